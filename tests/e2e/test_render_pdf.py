"""council render ... --format pdf: read back page by page as text (pypdf) and as a picture
(pdftoppm); page numbers, Danish dates, the contents of a long agenda, closed items as in
HTML."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult, environment_for

Council = Callable[..., CliResult]
A = ("--actor", "clerk")

pytestmark = pytest.mark.sqlite_only  # the layout does not depend on the database
ARTIFACTS = Path(os.environ.get("COUNCIL_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def long_agenda(council: Council) -> Council:
    """BIU 23.02.2010 with seven items, number 7 closed ("Personsag ..."), one with a bilag."""
    steps: list[tuple[str, ...]] = [
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Partnerskabsaftale", "--owner",
         "Socialforvaltningen", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-02-23", "--time", "15:30",
         "--place", "Rådhuset", *A),
    ]  # fmt: skip
    titles = [
        "Status på partnerskabsaftale med Dansk Flytningshjælp",
        "Budgetopfølgning for Beskæftigelses- og Integrationsforvaltningen",
        "Mentorkurser for frivillige",
        "Karrierebiblioteket",
        "Boligsocial indsats i Tingbjerg",
        "Sprogcentrenes kapacitet",
    ]
    for number, title in enumerate(titles, start=1):
        steps += [
            ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", title,
             "--kind", "beslutning", "--point", "At udvalget godkender indstillingen.",
             "--problem", "Forvaltningen redegør for status. " * 60, "--attachment", "Notat", *A),
            ("item", "present", str(number), "--meeting", "1", *A),
        ]  # fmt: skip
    steps += [
        ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title",
         "Personsag om hemmelig fratrædelse", "--closed", "--kind", "beslutning", "--point",
         "At udvalget godkender fratrædelsen.", *A),
        ("item", "present", "7", "--meeting", "1", *A),
    ]  # fmt: skip
    for step in steps:
        result = council(*step)
        assert result.code == 0, (step, result.err)
    return council


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of the PDF at ``path``, as a reader's copy-and-paste gets it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages(path))


def test_an_agenda_pdf_has_page_numbers_contents_and_withholds_the_closed_item(
    long_agenda: Council, tmp_path: Path
) -> None:
    target = tmp_path / "dagsorden.pdf"
    old = os.umask(0o022)
    try:
        result = long_agenda("render", "agenda", "BIU:2010-02-23", "-o", str(target))
    finally:
        os.umask(old)

    assert result.code == 0, result.err
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    pages = pdf_pages(target)
    assert len(pages) >= 8  # the contents, then each of the seven items on a page of its own
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} af {len(pages)}" in page
        assert "mødet den 23. februar 2010 kl. 15.30, Rådhuset" in page  # the running head
    contents = pages[0]
    assert "Dagsorden" in contents and "Indhold" in contents
    assert "3. Mentorkurser for frivillige (2010-4130)" in contents
    assert "7. Lukket punkt" in contents
    # the contents give each item the page it starts on: the first item page 2
    item_pages = {
        line.split(".")[0]: line.rsplit(" ", 1)[-1]
        for line in contents.splitlines()
        if line[:2] in {f"{n}." for n in range(1, 8)}
    }
    assert item_pages["1"] == "2"
    assert pages[int(item_pages["3"]) - 1].count("Mentorkurser for frivillige") >= 1
    text = "\n".join(pages)
    assert "fratrædelse" not in text.lower() and "personsag" not in text.lower()
    assert "Bilag" in text and "Notat" in text


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftoppm) is not installed; .ci/run installs it",
)
def test_an_agenda_pdf_turns_into_a_picture_of_its_first_page(
    long_agenda: Council, tmp_path: Path
) -> None:
    """The PNG is kept among the test artifacts, to look at."""
    target = tmp_path / "dagsorden.pdf"
    assert long_agenda("render", "agenda", "1", "-o", str(target)).code == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    picture = ARTIFACTS / "agenda-pdf-page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(target), str(picture)],
        check=True,
    )
    first = sorted(ARTIFACTS.glob("agenda-pdf-page*.png"))[0]
    assert first.read_bytes().startswith(b"\x89PNG") and first.stat().st_size > 2_000


def test_an_internal_pdf_shows_the_closed_item_marked_on_every_page(
    long_agenda: Council, tmp_path: Path
) -> None:
    target = tmp_path / "internt.pdf"
    result = long_agenda(
        "render", "agenda", "1", "--internal", "--format", "pdf", "-o", str(target)
    )
    assert result.code == 0, result.err
    pages = pdf_pages(target)
    assert "Personsag om hemmelig fratrædelse (2010-4130) (lukket punkt)" in "\n".join(pages)
    assert all("INTERNT" in page for page in pages)


def test_minutes_history_and_item_render_as_pdf_with_danish_dates(
    long_agenda: Council, tmp_path: Path
) -> None:
    for step in (
        ("item", "decide", "1", "udsat", *A),
        ("item", "decide", "3", "godkendt", *A),
        ("item", "decide", "7", "godkendt", "--text", "Fratrædelsen blev godkendt.", *A),
    ):
        assert long_agenda(*step).code == 0, step
    for args in (("minutes", "1"), ("history", "2010-4130"), ("item", "3")):
        target = tmp_path / f"{args[0]}.pdf"
        result = long_agenda("render", *args, "-o", str(target))
        assert result.code == 0, result.err
        pages = pdf_pages(target)
        assert all(f"Side {n} af {len(pages)}" in page for n, page in enumerate(pages, start=1))
    minutes = pdf_text(tmp_path / "minutes.pdf")
    assert "Beslutningsprotokol" in minutes and "23. februar 2010" in minutes
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010" in minutes
    assert "fratrædelse" not in minutes.lower()
    history = pdf_text(tmp_path / "history.pdf")
    assert "Sagshistorik for sag 2010-4130" in history
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010" in history
    assert "2010-02-23" not in history
    assert "fratrædelse" not in history.lower()
    assert "Mentorkurser for frivillige" in pdf_text(tmp_path / "item.pdf")


def test_replacing_a_pdf_keeps_the_files_permissions(long_agenda: Council, tmp_path: Path) -> None:
    target = tmp_path / "dagsorden.pdf"
    target.write_bytes(b"old")
    target.chmod(0o600)
    result = long_agenda("render", "agenda", "1", "-o", str(target))
    assert result.code == 0, result.err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_pipe_gets_the_pdf_with_dash_o_dash(long_agenda: Council, db_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "council", "render", "agenda", "1", "-f", "pdf", "-o", "-"],
        env=environment_for(db_path),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF-") and done.stdout.rstrip().endswith(b"%%EOF")
