"""``council import FILE_OR_FOLDER...`` as a user runs it on the real published files.

The format is detected (or forced by naming it first), a folder imports every file it
recognises, a summary table ends the output, ``--dry-run`` changes nothing, the minutes
rendered afterwards show the imported decisions, and ``audit verify`` passes. Hostile files
(none of the formats, malformed XML, an XML bomb, an external entity, a cut-off file) are one
line each, with the database as it was.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support import PROJECT, REALDATA, CliResult

Council = Callable[..., CliResult]
A = ("--actor", "Anne Jensen, sekretariatet")
COMMITTEES = PROJECT / "tests" / "data" / "committees-realdata.toml"
EDOC = "edoc/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_meeting.edoc.xml"
ACADRE = "acadre/syddjurs_puk_2013-06-20_meeting.acadre.xml"
FIRSTAGENDA = "firstagenda/aarhus_teknisk-udvalg_2025-10-01_referat.firstagenda.html"
SUMMARY = ("Fil", "Format", "Møder", "Punkter", "Beslutninger", "Uklassificerede")


@pytest.fixture
def realdata(shared_dir: Path) -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"the real published files ({REALDATA}) are absent")
    return REALDATA


@pytest.fixture
def ready(council: Council, monkeypatch: pytest.MonkeyPatch) -> Council:
    monkeypatch.setenv("COUNCIL_COMMITTEES_FILE", str(COMMITTEES))
    assert council("init", *A).code == 0
    return council


def refused(result: CliResult, *parts: str) -> str:
    assert result.code != 0, result.out
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("fejl: ") and "intet blev importeret" in lines[0], lines[0]
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


def summary_line(out: str, name: str) -> list[str]:
    """The cells of the summary table's row for the file ``name``."""
    row = next(line for line in out.splitlines() if line.startswith("│ " + name[:40]))
    return [cell.strip() for cell in row.strip("│").split("│")]


def test_a_folder_of_every_format_imports_with_a_summary_and_verifies(
    ready: Council, realdata: Path
) -> None:
    result = ready("import", str(realdata), *A)
    assert result.code == 0, result.err
    for heading in SUMMARY:
        assert heading in result.out
    assert summary_line(result.out, Path(EDOC).name)[1:] == ["edoc", "1", "8", "8", "8", "0", "2"]
    assert summary_line(result.out, Path(ACADRE).name)[1:] == [
        "acadre",
        "3",
        "1",
        "3",
        "3",
        "3",
        "0",
    ]
    assert "README.md: sprunget over, ingen af de formater" in result.out
    assert "acadre-index" not in result.out  # read with its meeting file, not on its own
    verified = ready("audit", "verify")
    assert verified.code == 0, verified.err


def test_importing_the_folder_again_reports_every_file_as_already_imported(
    ready: Council, realdata: Path, snapshot: Callable[[], str]
) -> None:
    assert ready("import", str(realdata), *A).code == 0
    before = snapshot()
    again = ready("import", str(realdata), *A)
    assert again.code == 0, again.err
    assert summary_line(again.out, Path(EDOC).name)[5] == "0"  # no new decision
    assert again.out.count("allerede importeret") == 7
    assert snapshot() == before


def test_a_dry_run_prints_the_same_table_and_changes_nothing(
    ready: Council, realdata: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    result = ready("import", "--dry-run", str(realdata / EDOC), *A)
    assert result.code == 0, result.err
    assert "prøvekørsel: intet er ændret" in result.out
    assert summary_line(result.out, Path(EDOC).name)[1:] == ["edoc", "1", "8", "8", "8", "0", "2"]
    assert snapshot() == before


def test_the_imported_decisions_are_in_the_rendered_minutes(ready: Council, realdata: Path) -> None:
    assert ready("import", str(realdata / EDOC), str(realdata / FIRSTAGENDA), *A).code == 0
    minutes = ready("render", "minutes", "SFU:2012-12-04")
    assert minutes.code == 0, minutes.err
    assert minutes.out.count("Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012") == 8
    assert "Indstilles til godkendelse" in minutes.out
    assert "med denne bemærkning:\nGruppen af unge i Ballerup Kommune" in minutes.out
    aarhus = ready("render", "minutes", "TU:2025-10-01")
    assert aarhus.code == 0, aarhus.err
    assert "Sagen blev udsat uden behandling." in aarhus.out
    assert "Solveig Munk kunne ikke tiltræde indstillingen." in aarhus.out


def test_a_forced_format_reads_the_file_as_that_format(ready: Council, realdata: Path) -> None:
    result = ready("import", "firstagenda", str(realdata / FIRSTAGENDA), *A)
    assert result.code == 0, result.err
    refused(ready("import", "edoc", str(realdata / FIRSTAGENDA), *A))


# ------------------------------------------------------------------ hostile files


BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    "<Meeting><CommitteeName>&lol3;</CommitteeName></Meeting>\n"
)
EXTERNAL = (
    '<?xml version="1.0"?>\n<!DOCTYPE Meeting [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    "<Meeting><CommitteeName>&secret;</CommitteeName></Meeting>\n"
)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        (
            "notes.xml",
            "<?xml version='1.0'?><notes><note>hej</note></notes>",
            "ingen af de formater",
        ),
        ("møde.edoc.xml", "<Meeting><Committee>Udvalg</Committee>", "XML"),
        ("bomb.edoc.xml", BOMB, "DTD"),
        ("external.edoc.xml", EXTERNAL, "DTD"),
        ("data.json", '{"title": "not an agenda"}', "ingen af de formater"),
    ],
)
def test_a_hostile_or_foreign_file_is_one_line_and_nothing_is_imported(
    ready: Council,
    tmp_path: Path,
    snapshot: Callable[[], str],
    name: str,
    content: str,
    says: str,
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = snapshot()
    refused(ready("import", str(path), *A), says)
    assert snapshot() == before


def test_a_cut_off_file_among_good_ones_refuses_the_whole_import(
    ready: Council, realdata: Path, tmp_path: Path, snapshot: Callable[[], str]
) -> None:
    data = (realdata / EDOC).read_bytes()
    cut = tmp_path / Path(EDOC).name
    cut.write_bytes(data[: len(data) // 2])
    before = snapshot()
    refused(ready("import", str(realdata / FIRSTAGENDA), str(cut), *A), cut.name)
    assert snapshot() == before


def test_a_folder_with_a_hostile_file_of_a_known_format_imports_nothing(
    ready: Council, realdata: Path, tmp_path: Path, snapshot: Callable[[], str]
) -> None:
    folder = tmp_path / "dagsordener"
    folder.mkdir()
    shutil.copy(realdata / EDOC, folder)
    (folder / "bomb.edoc.xml").write_text(BOMB, encoding="utf-8")
    before = snapshot()
    refused(ready("import", str(folder), *A), "bomb.edoc.xml")
    assert snapshot() == before


def test_an_imported_decision_keeps_its_verbatim_text_and_its_vote_and_reservations_as_parts(
    ready: Council, realdata: Path
) -> None:
    assert ready("import", str(realdata / FIRSTAGENDA), *A).code == 0
    rows = json.loads(ready("history", "EMN-2025-009242", "--json").out)
    decided = [row for row in rows if row["outcome"] is not None]
    voted = next(row for row in decided if row["votes"] is not None)
    assert voted["votes"]["groups"]["imod"] == ["Solveig Munk"]
    assert "Jesper Kjeldsen" in voted["votes"]["groups"]["for"]
    assert {"Jakob Søgaard Clausen"} <= {remark["author"] for remark in voted["remarks"]}
    assert voted["attendance"] == [{"name": "Liv Gro Jensen", "reason": "fraværende"}]
    # the text stays as the minutes wrote it: nothing worded around it on import
    assert "Stemmer for:" not in voted["text"] and "Sagen oversendes" not in voted["text"]
    assert ready("audit", "verify").code == 0
