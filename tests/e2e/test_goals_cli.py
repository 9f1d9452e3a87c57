"""Result goals through the ``council`` command: recorded, revised with their history kept,
reported by a status item, shown by ``council status`` and in the item's documents, each
change audited and verified."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from support import PROJECT, CliResult

Council = Callable[..., CliResult]
A = ("--actor", "clerk")
GOLDEN = PROJECT / "tests" / "golden"
UPDATE = os.environ.get("COUNCIL_UPDATE_GOLDEN") == "1"


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with COUNCIL_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture
def goals(council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Council:
    """Case 2010-4130 owing SUD and BIU a yearly status, with two goals on both lines, a
    revision, and a BIU status item that reported its 2009 and 2010 values."""
    monkeypatch.setenv("COUNCIL_MAILDIR", str(tmp_path / "mail"))
    ok(council("init", *A))
    ok(council("case", "new", "--number", "2010-4130", "--title", "Partnerskabsaftale",
               "--owner", "Socialforvaltningen", *A))  # fmt: skip
    ok(council("obligation", "add", "--case", "2010-4130", "--committee", "SUD",
               "--committee", "BIU", "--from", "2008-08-01", "--to", "2010-12-31", *A))  # fmt: skip
    ok(council("obligation", "goal", "add", "2010-4130", "--name", "Nye frivillige",
               "--unit", "frivillige", "--target", "200", "--target", "2009=120", *A))  # fmt: skip
    ok(council("obligation", "goal", "add", "2010-4130", "--name", "Mentorforløb",
               "--unit", "forløb", "--target", "125", "--agreed", "28.05.2008", *A))  # fmt: skip
    ok(council("obligation", "goal", "revise", "2010-4130", "--name", "Mentorforløb",
               "--target", "100", "--agreed", "2010-06-30",
               "--reason", "nedjustering fra 125 til 100 forløb", *A))  # fmt: skip
    ok(council("meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A))
    ok(council("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--kind",
               "orientering", "--title", "Status på partnerskabsaftale", "--point",
               "At udvalget tager orienteringen til efterretning.", "--signature",
               "Morten Binder", "--signature", "Kaj Ove Christiansen", "--fulfils",
               "2010-4130:BIU", *A))  # fmt: skip
    ok(council("item", "present", "1", "--meeting", "BIU:2010-02-23", "--number", "4", *A))
    ok(council("item", "report", "1", "--period", "2009", "--goal", "Nye frivillige", "140", *A))
    ok(council("item", "report", "1", "--period", "2010", "--goal", "nye frivillige",
               "ca. 427", "--goal", "Mentorforløb", "21", *A))  # fmt: skip
    return council


def test_a_revision_keeps_the_earlier_target_its_day_and_reason(goals: Council) -> None:
    listed = ok(goals("obligation", "goal", "list", "2010-4130:BIU")).out
    rows = [" ".join(line.replace("│", " ").split()) for line in listed.splitlines()]
    assert any("Mentorforløb forløb mindst 125 alle 28.05.2008" in row for row in rows), listed
    assert any("100 alle 30.06.2010 nedjustering fra 125 til 100 forløb" in row for row in rows)
    assert any("120 2009 01.08.2008" in row for row in rows)  # a milestone for 2009 alone
    trail = json.loads(ok(goals("history", "2010-4130", "--json")).out)
    assert isinstance(trail, list)
    assert "audit trail verified" in ok(goals("audit", "verify")).out


def test_the_status_table_shows_target_revision_reported_value_met_and_trend(
    goals: Council,
) -> None:
    text = ok(goals("status", "2010-4130:BIU")).out
    assert_golden("status-2010-4130-biu.txt", text)
    rows = [" ".join(line.split()) for line in text.splitlines()]
    assert "Nye frivillige (mindst, frivillige) 2009 120 140 nået" in rows
    assert "2010 200 ca. 427 nået stigende" in rows
    assert "Mentorforløb (mindst, forløb) 2009 125 – ikke indberettet" in rows
    assert "2010 100 ¹ 21 ikke nået" in rows
    assert (
        "¹ Mentorforløb: nedjusteret fra 125 til 100 den 30. juni 2010: nedjustering fra 125 "
        "til 100 forløb" in text
    )
    one = ok(goals("status", "2010-4130:BIU", "--period", "2010")).out
    assert "2009 " not in one.split("Mål ", 1)[1] and "stigende" in one


def test_the_status_table_as_html_and_csv(goals: Council) -> None:
    html = ok(goals("status", "2010-4130", "--format", "html")).out
    assert html.startswith("<!DOCTYPE html>") and '<html lang="da">' in html
    assert '<table class="goals">' in html and '<th scope="row">Nye frivillige' in html
    rows = list(
        csv.DictReader(io.StringIO(ok(goals("status", "2010-4130", "--format", "csv")).out))
    )
    biu = [r for r in rows if r["udvalg"] == "BIU" and r["mål"] == "Nye frivillige"]
    assert [(r["periode"], r["målsætning"], r["indberettet"], r["cirka"], r["vurdering"])
            for r in biu] == [("2009", "120", "140", "false", "nået"),
                              ("2010", "200", "427", "true", "nået")]  # fmt: skip
    sud = [r for r in rows if r["udvalg"] == "SUD"]
    assert {r["vurdering"] for r in sud} == {"ikke indberettet"}
    mentor = [r for r in rows if r["udvalg"] == "BIU" and r["mål"] == "Mentorforløb"]
    assert mentor[-1]["revideret fra"] == "125" and mentor[-1]["målsætning"] == "100"


def test_the_items_documents_hold_status_paa_maal(goals: Council, tmp_path: Path) -> None:
    text = ok(goals("render", "item", "1")).out
    section = text[text.index("Status på mål") :]
    assert_golden("item-status-paa-maal.txt", section)
    html = ok(goals("render", "agenda", "BIU:2010-02-23", "--format", "html")).out
    assert "<h3>Status på mål</h3>" in html and "ca. 427" in html


def test_a_value_reported_again_replaces_it_and_the_trail_holds_both(goals: Council) -> None:
    ok(goals("item", "report", "1", "--period", "2010", "--goal", "Mentorforløb", "25", *A))
    assert "2010 100 ¹ 25 ikke nået" in [
        " ".join(line.split()) for line in ok(goals("status", "2010-4130:BIU")).out.splitlines()
    ]
    assert "audit trail verified" in ok(goals("audit", "verify")).out


def test_a_rendered_item_with_its_goals_imports_as_the_same_item(
    goals: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = tmp_path / "punkt.txt"
    ok(goals("render", "item", "1", "-o", str(exported)))
    monkeypatch.setenv("COUNCIL_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    ok(goals("init", *A))
    ok(goals("import", "text", str(exported), "--committee", "BIU", *A))
    again = ok(goals("render", "item", "1")).out
    assert "Status på mål" not in again  # the goals are not imported, and nothing else is lost
    original = exported.read_text(encoding="utf-8")
    before, _, after = original.partition("\nStatus på mål\n")
    assert again.startswith(before.removeprefix("4. ").rstrip("\n"))  # not on an agenda here
    assert after[after.index("Morten Binder") :] in again  # the signatures after the goals
