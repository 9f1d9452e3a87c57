"""``council import text`` and ``council render ...`` as a user runs them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "anna (sekretariatet)")
SEED = "seeds/agenda-item-biu-2010-4130.txt"
TEXT_DIR = "realdata/copenhagen-text"


@pytest.fixture
def ready(council: Council) -> Council:
    assert council("init", *A).code == 0
    return council


@pytest.fixture
def imported(ready: Council, shared_dir: Path) -> Council:
    files = [str(shared_dir / SEED), *sorted(str(p) for p in (shared_dir / TEXT_DIR).glob("*.txt"))]
    result = ready("import", "text", *files, *A)
    assert result.code == 0, result.err
    return ready


def test_a_user_imports_the_seed_and_the_copenhagen_files_and_prints_their_documents(
    ready: Council, shared_dir: Path, tmp_path: Path
) -> None:
    files = [str(shared_dir / SEED), *sorted(str(p) for p in (shared_dir / TEXT_DIR).glob("*.txt"))]
    result = ready("import", "text", *files, *A)
    assert result.code == 0, result.err
    assert result.err == ""
    assert "agenda-item-biu-2010-4130.txt: sag 2010-4130 oprettet" in result.out
    assert "sag SUD-2026-08-26-p7 (opfundet nummer: filen angiver intet) oprettet" in result.out
    assert "fortsætter punktet, der blev udsat 26.08.2026" in result.out
    assert "opfundne sagsnumre er <udvalg>-<første mødedato>-p<punkt>" in result.out

    minutes = ready("render", "minutes", "SUD:2026-09-16")
    assert minutes.code == 0, minutes.err
    assert "BESLUTNINGSPROTOKOL" in minutes.out
    assert "(udsat fra mødet den 26. august 2026)" in minutes.out
    assert "Socialudvalgets beslutning den 26.08.2026" in minutes.out
    assert "Socialudvalgets beslutning den 16.09.2026" in minutes.out

    history = ready("render", "history", "2010-4130", "--format", "txt")
    assert history.code == 0, history.err
    assert "Beskæftigelses- og Integrationsudvalgets beslutning (dato ukendt)" in history.out
    assert "registreret" in history.out and "af anna (sekretariatet)" in history.out

    page = tmp_path / "historik.html"
    written = ready("render", "history", "SUD-2026-08-26-p7", "-o", str(page))
    assert written.code == 0, written.err
    assert f"skrev {page} (html)" in written.out
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="da">' in html

    agenda = tmp_path / "dagsorden.txt"
    assert ready("render", "agenda", "BIU:2010-02-23", "-o", str(agenda)).code == 0
    assert agenda.read_text(encoding="utf-8").startswith("Beskæftigelses- og Integrationsudvalget")

    verified = ready("audit", "verify")
    assert verified.code == 0 and "revisionssporet er kontrolleret" in verified.out


def test_importing_the_same_files_again_says_so_and_changes_nothing(
    imported: Council, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    again = imported("import", "text", str(shared_dir / SEED), *A)
    assert again.code == 0, again.err
    assert "allerede importeret, sag 2010-4130; intet er ændret" in again.out
    assert snapshot() == before


def test_an_unclassified_decision_is_reported_to_the_user(
    ready: Council, shared_dir: Path, tmp_path: Path
) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_text(
        (shared_dir / SEED)
        .read_text(encoding="utf-8")
        .replace("Indstillingen blev taget til efterretning.", "Udvalget bad om en redegørelse."),
        encoding="utf-8",
    )
    result = ready("import", "text", str(odd), *A)
    assert result.code == 0, result.err
    assert (
        "UKLASSIFICERET (registreret som drøftet) «Udvalget bad om en redegørelse.»" in result.out
    )
    assert "1 beslutning(er) UKLASSIFICERET" in result.out
    history = ready("render", "history", "2010-4130")
    assert "Uklassificeret beslutning" in history.out


def test_html_and_text_go_to_standard_output_by_default(imported: Council) -> None:
    html = imported("render", "agenda", "BIU:2010-02-23", "--format", "html")
    assert html.code == 0 and html.out.startswith("<!DOCTYPE html>")
    text = imported("render", "item", "1")
    assert text.code == 0 and text.out.startswith("4. Status på partnerskabsaftale")


def test_a_rendered_item_imports_into_a_fresh_database_as_the_same_item(
    imported: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = tmp_path / "punkt.txt"
    assert imported("render", "item", "1", "-o", str(exported)).code == 0
    original = imported("render", "item", "1").out
    monkeypatch.setenv("COUNCIL_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    assert imported("init", *A).code == 0
    result = imported("import", "text", str(exported), *A)
    assert result.code == 0, result.err
    assert imported("render", "item", "1").out == original


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (
                "import",
                "text",
                "{shared}/realdata/copenhagen-json/"
                "koebenhavn_oekonomiudvalget_2026-08-11_punkt28.sagsvagt-kk.json",
                *A,
            ),
            "ikke et dagsordenspunkt",
        ),
        (("import", "text", "{shared}/" + SEED, "{tmp}/missing.txt", *A), "kan ikke læses"),
        (("import", "text", "{shared}/" + SEED), "ingen aktør angivet"),
        (
            ("import", "text", "{shared}/" + SEED, "--committee", "XYZ", *A),
            "ukendt udvalg 'XYZ'",
        ),
        (
            ("import", "text", "{shared}/seeds/bilag-1-status-memo-ocr.txt", *A),
            "ikke et dagsordenspunkt",
        ),
        (("import", "text", *A), "argumentet FILE_OR_FOLDER mangler"),
        (("render", "minutes", "BIU:2031-01-01"), "ukendt møde"),
        (("render", "agenda", "nonsense"), "angiver ikke et møde"),
        (("render", "history", "1999-1"), "ukendt sag '1999-1'"),
        (("render", "item", "999"), "ukendt punkt-id 999"),
        (("render", "history", "2010-4130", "--format", "pdf"), "pdf"),
        (("render", "history", "2010-4130", "-o", "{tmp}/no/such/folder/h.txt"), "kan ikke skrive"),
    ],
)
def test_bad_input_is_one_line_a_non_zero_exit_and_an_unchanged_database(
    imported: Council,
    shared_dir: Path,
    tmp_path: Path,
    snapshot: Callable[[], str],
    args: tuple[str, ...],
    message: str,
) -> None:
    before = snapshot()
    argv = [a.format(shared=shared_dir, tmp=tmp_path) for a in args]
    result = imported(*argv)
    assert result.code != 0
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("fejl: ") and message in lines[0], lines[0]
    assert snapshot() == before


def test_a_closed_item_is_withheld_unless_the_document_is_internal(ready: Council) -> None:
    steps = [
        ("case", "new", "--number", "2010-1", "--title", "Personsag", "--owner", "BIF", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A),
        (
            "item",
            "draft",
            "--case",
            "2010-1",
            "--committee",
            "BIU",
            "--title",
            "Sag om NN",
            "--kind",
            "beslutning",
            "--closed",
            "--point",
            "At udvalget godkender.",
            *A,
        ),
        ("item", "present", "1", "--meeting", "1", *A),
    ]
    for step in steps:
        assert ready(*step).code == 0, step
    public = ready("render", "agenda", "1")
    assert public.code == 0 and "1. Lukket punkt" in public.out
    assert "Sag om NN" not in public.out and "godkender" not in public.out
    internal = ready("render", "agenda", "1", "--internal", "--format", "html")
    assert "Sag om NN (2010-1)" in internal.out and "Internt dokument" in internal.out
