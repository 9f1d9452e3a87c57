"""Finding things, attaching files, PDF: each mistake is one clear line, a non-zero exit, and
the database (and the attachment store) as they were."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "clerk")


@pytest.fixture
def prepared(council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Council:
    """Case 2010-4130; BIU meeting 1 (held) with item 1 decided on it; item 2 drafted with
    a bilag by name; a folder of files to attach (good and bad ones)."""
    monkeypatch.setenv("COUNCIL_ATTACHMENT_DIR", str(tmp_path / "bilag"))
    monkeypatch.setenv("COUNCIL_ATTACHMENT_MAX_BYTES", "5000")
    files = tmp_path / "filer"
    files.mkdir()
    (files / "notat.txt").write_text("Status for mentorkurserne.\n", encoding="utf-8")
    (files / "notat.pdf").write_text("Ikke en PDF.\n", encoding="utf-8")
    (files / "program.exe").write_bytes(b"MZ\x90\x00" + bytes(100))
    (files / "stor.txt").write_text("a" * 5001, encoding="utf-8")
    (files / "link.txt").symlink_to(files / "notat.txt")
    (files / "ny\nlinje.txt").write_text("Status.\n", encoding="utf-8")
    (files / "rapport\u202efdp.txt").write_text("Shown as rapporttxt.pdf.\n", encoding="utf-8")
    os.mkfifo(files / "fifo.txt")
    monkeypatch.chdir(files)
    steps = [
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-01-26", *A),
        ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", "Status",
         "--kind", "orientering", *A),
        ("item", "present", "1", "--meeting", "1", *A),
        ("item", "decide", "1", "taget til efterretning", *A),
        ("meeting", "close", "1", *A),
        ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", "Bevilling",
         "--kind", "beslutning", "--attachment", "Notat", *A),
    ]  # fmt: skip
    for step in steps:
        result = council(*step)
        assert result.code == 0, (step, result.err)
    return council


MISTAKES: list[tuple[str, tuple[str, ...], str]] = [
    ("search for nothing", ("search", ""), "angiv noget at søge efter"),
    ("search by stop words only", ("search", "og i at"), "har intet ord at søge på"),
    ("search by excluded words only", ("search", "--", "-status"), "har intet ord at søge på"),
    ("search without text", ("search",), "angiv en TEKST at søge efter"),
    ("search with a limit of 0", ("search", "status", "--limit", "0"), "--limit er 1 til 200"),
    ("search text too long", ("search", "x" * 201), "angiv højst 200"),
    ("reindex with a text", ("search", "status", "--reindex"), "--reindex tager ingen søgetekst"),
    ("meetings of an unknown committee", ("meeting", "list", "--committee", "XYZ"),
     "ukendt udvalg 'XYZ'"),
    ("meetings from a malformed date", ("meeting", "list", "--from", "1/2-2010"), "er ikke en dato"),
    ("meetings from after to", ("meeting", "list", "--from", "2011-01-01", "--to", "2010-01-01"),
     "ligger efter --to"),
    ("meetings of an unknown status", ("meeting", "list", "--status", "udsat"),
     "mødestatus 'udsat' er ukendt"),
    ("meetings from year 1066", ("meeting", "list", "--from", "1066-10-14"), "1066"),
    ("items of an unknown state", ("item", "list", "--state", "vedtaget"),
     "'vedtaget' er ikke en status"),
    ("items of an unknown meeting", ("item", "list", "--meeting", "BIU:2010-03-01"),
     "ukendt møde"),
    ("items of an unknown committee", ("item", "list", "--committee", "XYZ"),
     "ukendt udvalg 'XYZ'"),
    ("a list with a limit of 0", ("case", "list", "--limit", "0"), "--limit er 1 til 10000"),
    ("attach without an actor", ("item", "attach", "2", "notat.txt"), "ingen aktør angivet"),
    ("attach to an unknown item", ("item", "attach", "99", "notat.txt", *A), "ukendt punkt-id 99"),
    ("attach a missing file", ("item", "attach", "2", "mangler.pdf", *A),
     "mangler.pdf: filen findes ikke"),
    ("attach text named .pdf", ("item", "attach", "2", "notat.pdf", *A),
     "navnet siger en PDF, men indholdet er almindelig tekst"),
    ("attach a program", ("item", "attach", "2", "program.exe", *A), "ingen af de typer"),
    ("attach a file over the limit", ("item", "attach", "2", "stor.txt", *A),
     "højst fylde 5,000 byte (COUNCIL_ATTACHMENT_MAX_BYTES)"),
    ("attach a symbolic link", ("item", "attach", "2", "link.txt", *A), "er et symbolsk link"),
    ("attach a FIFO", ("item", "attach", "2", "fifo.txt", *A), "ikke en almindelig fil"),
    ("attach a device", ("item", "attach", "2", "/dev/zero", *A), "ikke en almindelig fil"),
    ("attach a folder", ("item", "attach", "2", ".", *A), "er en mappe"),
    ("attach to a decided item", ("item", "attach", "1", "notat.txt", *A), "er afgjort"),
    ("attach one good and one bad file", ("item", "attach", "2", "notat.txt", "notat.pdf", *A),
     "notat.pdf: navnet siger en PDF"),
    ("a title for two files", ("item", "attach", "2", "notat.txt", "notat.txt", "--title", "X",
     *A), "--title navngiver én fils bilag"),
    ("a file name with a line break", ("item", "attach", "2", "ny\nlinje.txt", *A),
     "'ny\\nlinje.txt': navnet indeholder et styretegn (U+000A)"),
    ("a file name that turns its suffix around",
     ("item", "attach", "2", "rapport\u202efdp.txt", *A), "indeholder et styretegn (U+202E)"),
    ("a bilag title with a line break", ("item", "attach", "2", "notat.txt", "--title",
     "Notat\nom noget", *A), "bilagets titel indeholder et styretegn (U+000A)"),
    ("a missing file with a line break", ("item", "attach", "2", "mang\nler.pdf", *A),
     "filen findes ikke"),
    ("the same file twice", ("item", "attach", "2", "notat.txt", "notat.txt", *A),
     "har samme indhold som notat.txt"),
    ("a PDF in a .txt file", ("render", "agenda", "1", "--format", "pdf", "-o", "dagsorden.txt"),
     "-o dagsorden.txt ender på .txt, men --format er pdf"),
    ("text in a .pdf file", ("render", "minutes", "1", "--format", "txt", "-o", "protokol.pdf"),
     "-o protokol.pdf ender på .pdf, men --format er txt"),
    ("a PDF without a suffix", ("render", "history", "2010-4130", "-f", "pdf", "-o", "historik"),
     "en PDF skrives til en fil, der ender på .pdf"),
    ("a PDF to the terminal", ("render", "item", "1", "--format", "pdf"),
     "en PDF skrives ikke til en terminal"),
    ("a PDF of an unknown meeting", ("render", "agenda", "7", "-o", "dagsorden.pdf"),
     "ukendt møde '7'"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "args", "message"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_mistake_is_one_clear_line_and_changes_nothing(
    prepared: Council,
    snapshot: Callable[[], str],
    tmp_path: Path,
    what: str,
    args: tuple[str, ...],
    message: str,
) -> None:
    before = snapshot()
    stored = sorted((tmp_path / "bilag").rglob("*"))
    written = sorted((tmp_path / "filer").iterdir())
    result = prepared(*args)
    assert result.code != 0, result.out
    assert message in result.err
    assert result.err.startswith("fejl: ")
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert snapshot() == before
    assert sorted((tmp_path / "bilag").rglob("*")) == stored
    assert sorted((tmp_path / "filer").iterdir()) == written  # no stray .pdf left behind


def test_attachments_need_a_folder_when_the_database_is_not_an_sqlite_file(
    prepared: Council, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("beside an SQLite file the folder is found")
    monkeypatch.delenv("COUNCIL_ATTACHMENT_DIR")
    result = prepared("item", "attach", "2", "notat.txt", *A)
    assert result.code == 1
    assert "sæt COUNCIL_ATTACHMENT_DIR" in result.err
