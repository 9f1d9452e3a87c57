"""The secretariat's day through the ``council`` command, on a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult, environment_for

Council = Callable[..., CliResult]


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


@pytest.fixture
def biu_case(council: Council) -> Council:
    ok(council("init", "--actor", "clerk"))
    ok(
        council(
            "case",
            "new",
            "--number",
            "2010-4130",
            "--title",
            "Partnerskabsaftale",
            "--owner",
            "Socialforvaltningen",
            "--actor",
            "clerk",
        )
    )
    ok(council("meeting", "new", "--committee", "BIU", "--date", "26.01.2010", "--actor", "clerk"))
    ok(
        council(
            "meeting",
            "new",
            "--committee",
            "biu",
            "--date",
            "2010-02-23",
            "--time",
            "15:30",
            "--place",
            "Rådhuset",
            "--actor",
            "clerk",
        )
    )
    ok(
        council(
            "item",
            "draft",
            "--case",
            "2010-4130",
            "--committee",
            "BIU",
            "--title",
            "Status på partnerskabsaftale med Dansk Flytningshjælp",
            "--kind",
            "orientering",
            "--point",
            "At udvalget tager orienteringen til efterretning.",
            "--problem",
            "Socialudvalget og BIU skal 1 gang årligt forelægges status.",
            "--economy",
            "Ingen.",
            "--signature",
            "Morten Binder",
            "--signature",
            "Kaj Ove Christiansen",
            "--attachment",
            "Efterretningsnotat",
            "--actor",
            "clerk",
        )
    )
    return council


def test_an_item_is_postponed_carried_over_and_taken_to_note(biu_case: Council) -> None:
    council = biu_case
    ok(
        council(
            "item",
            "present",
            "1",
            "--meeting",
            "BIU:2010-01-26",
            "--number",
            "4",
            "--actor",
            "clerk",
        )
    )
    decided = ok(council("item", "decide", "1", "udsat", "--actor", "clerk"))
    assert "Forelagt → Udsat" in decided.out
    assert "«Indstillingen blev udsat.»" in decided.out
    ok(council("meeting", "close", "1", "--actor", "clerk"))

    offered = ok(council("meeting", "show", "2"))
    assert "udsat punkt: punkt-id 1" in offered.out
    assert "udsat fra mødet den 26.01.2010" in offered.out

    ok(council("item", "present", "1", "--meeting", "2", "--number", "4", "--actor", "clerk"))
    agenda = ok(council("meeting", "show", "BIU:23.02.2010"))
    assert "udsat fra mødet den 26.01.2010" in agenda.out
    refused = council("meeting", "close", "2", "--actor", "clerk")
    assert refused.code == 1 and "endnu ingen beslutning på punkt 4" in refused.err

    ok(council("item", "decide", "1", "Taget til efterretning", "--actor", "clerk"))
    ok(council("meeting", "close", "BIU:2010-02-23", "--actor", "clerk"))

    shown = ok(council("item", "show", "1"))
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 26.01.2010" in shown.out
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010" in shown.out
    assert "Morten Binder / Kaj Ove Christiansen" in shown.out
    case = ok(council("case", "show", "2010-4130"))
    assert "Taget til efterretning" in case.out


def test_history_gives_the_same_rows_as_table_json_and_csv(biu_case: Council) -> None:
    council = biu_case
    ok(council("item", "present", "1", "--meeting", "1", "--actor", "clerk"))
    ok(council("item", "decide", "1", "udsat", "--actor", "Anne Clerk"))
    ok(council("item", "present", "1", "--meeting", "2", "--actor", "clerk"))
    ok(
        council(
            "item",
            "decide",
            "1",
            "taget_til_efterretning",
            "--text",
            "Indstillingen blev taget til efterretning.",
            "--actor",
            "Anne Clerk",
        )
    )

    rows = json.loads(ok(council("history", "2010-4130", "--json")).out)
    assert [(r["from_state"], r["to_state"], r["outcome"]) for r in rows] == [
        ("drafted", "forelagt", None),
        ("forelagt", "udsat", "udsat"),
        ("udsat", "forelagt", None),
        ("forelagt", "taget_til_efterretning", "taget_til_efterretning"),
    ]
    assert rows[1]["text"] == "Indstillingen blev udsat."
    assert rows[1]["meeting_date"] == "2010-01-26"
    assert rows[3]["decided_on"] == "2010-02-23"
    assert rows[3]["actor"] == "Anne Clerk"
    assert rows[3]["recorded_at"].endswith("+00:00")

    csv_rows = list(csv.DictReader(io.StringIO(ok(council("history", "2010-4130", "--csv")).out)))
    assert [r["text"] for r in csv_rows] == [r["text"] or "" for r in rows]
    assert [int(r["seq"]) for r in csv_rows] == [r["seq"] for r in rows]

    table = ok(council("history", "2010-4130")).out
    assert "Indstillingen blev udsat." in table
    assert "Anne Clerk" in table
    assert "BIU" in table


def test_the_actor_can_come_from_the_environment(
    biu_case: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCIL_ACTOR", "Env Clerk")
    ok(biu_case("item", "present", "1", "--meeting", "1"))
    rows = json.loads(ok(biu_case("history", "2010-4130", "--json")).out)
    assert rows[-1]["actor"] == "Env Clerk"


def test_the_demo_prints_the_seed_history_and_a_passing_verification(tmp_path: Path) -> None:
    """Run as a user would: the installed entry point in a subprocess, twice."""
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "council", "demo", "--db", str(tmp_path / "d.db")],
            capture_output=True,
            text=True,
            env=environment_for(tmp_path / "unused.db", COLUMNS="200"),
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "dato antaget" in out
    assert "Indstillingen blev udsat." in out
    assert out.count("Indstillingen blev taget til efterretning.") >= 2
    assert "02.12.2009" in out and "23.02.2010" in out
    assert "revisionskontrol: OK" in out
    accounts = re.findall(r"^  (sekretariat|revisor|admin) +adgangskode (\S+)", out, re.MULTILINE)
    assert [name for name, _ in accounts] == ["sekretariat", "revisor", "admin"]
    assert "council web --db" in out
    history = subprocess.run(
        [sys.executable, "-m", "council", "history", "2010-4130", "--json"],
        capture_output=True,
        text=True,
        env=environment_for(tmp_path / "d.db"),
        check=True,
    )
    rows = [
        (r["committee"], r["outcome"], r["decided_on"])
        for r in json.loads(history.stdout)
        if r["outcome"]
    ]
    assert rows == [
        ("SUD", "taget_til_efterretning", "2009-12-02"),
        ("BIU", "udsat", "2010-01-26"),
        ("BIU", "taget_til_efterretning", "2010-02-23"),
        ("SUD", "taget_til_efterretning", "2010-12-01"),
        ("BIU", "taget_til_efterretning", "2010-12-14"),
    ]
