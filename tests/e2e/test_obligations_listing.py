"""``council obligations``: a Danish table within the terminal's width, streamed from the
store in batches, and JSON with code names for machines."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult, at

from council.cases.obligations import status
from council.workflow.app import App
from council.workflow.read_models import obligations as reads

Council = Callable[..., CliResult]
A = ("--actor", "clerk")
DATE = re.compile(r"\d\d\.\d\d\.\d{4}")
CODE_NAMES = re.compile(r"\b(lead-\d+|overdue-\d+|due_soon|late_fulfilled|upcoming|overdue)\b")


@pytest.fixture
def listed(council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Council:
    """Six cases, each owing SUD and BIU a yearly status from 2008 to 2010."""
    monkeypatch.setenv("COUNCIL_MAILDIR", str(tmp_path / "mail"))
    assert council("init", *A).code == 0
    for n in range(6):
        number = f"2010-{4130 + n}"
        made = council(
            "case", "new", "--number", number, "--title", f"Aftale {n}",
            "--owner", "Socialforvaltningen", *A,
        )  # fmt: skip
        assert made.code == 0, made.err
        added = council(
            "obligation", "add", "--case", number, "--committee", "SUD", "--committee", "BIU",
            "--from", "2008-08-01", "--to", "31.12.2010", *A,
        )  # fmt: skip
        assert added.code == 0, added.err
    return council


def test_the_table_fits_eighty_columns_in_danish_with_every_date_whole(
    listed: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = listed("obligations", "--at", "2010-01-10").out
    lines = out.splitlines()
    assert lines[0] == "Statusforpligtelser pr. 10. januar 2010"
    assert max(len(line) for line in lines) <= 80
    assert "overskredet med" in out and "Rykker 2" in out and "Påmindelse" in out
    assert not CODE_NAMES.search(out)
    # each row's period, due date and next reminder's date, never cut across lines
    assert len(re.findall(r"31\.12\.2009", out)) == 12
    assert all(DATE.fullmatch(d) for d in re.findall(r"\d\d\.\d\d\.\d+", out))


def test_json_gives_every_row_with_code_names_and_iso_dates(listed: Council) -> None:
    rows = json.loads(listed("obligations", "--at", "2010-01-10", "--json").out)
    assert len(rows) == 24  # 6 cases x 2 committees x the periods 2009 and 2010
    first = rows[0]
    assert first["case_number"] == "2010-4130" and first["committee"] == "SUD"
    assert first["period"] == "2009" and first["due"] == "2009-12-31"
    assert first["state"] == "overdue" and first["next_step"] == "overdue-2"
    assert first["next_reminder"] == "2010-01-14"
    assert {row["state"] for row in rows} == {"overdue", "upcoming"}
    overdue = json.loads(listed("obligations", "--at", "2010-01-10", "--overdue", "--json").out)
    assert len(overdue) == 12 and {row["state"] for row in overdue} == {"overdue"}
    assert json.loads(listed("obligations", "--at", "2009-06-01", "--overdue", "--json").out) == []


def test_an_unknown_committee_is_one_line_before_any_row(listed: Council) -> None:
    result = listed("obligations", "--committee", "XYZ", "--json")
    assert result.code == 1
    assert result.out == ""
    assert result.err.strip().count("\n") == 0 and "XYZ" in result.err


@pytest.mark.parametrize("batch", [1, 2, 5, 1000])
def test_the_streamed_rows_are_the_table_whatever_the_batch(
    listed: Council, app: App, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = [reads.as_record(row) for row in reads.obligation_table(app, now=at("2010-01-10"))]
    monkeypatch.setattr(status, "STATUS_BATCH", batch)
    rows = reads.obligation_rows(app, now=at("2010-01-10"))
    first = next(rows)
    streamed = [reads.as_record(first), *(reads.as_record(row) for row in rows)]
    assert streamed == whole
    assert [r["case_number"] for r in streamed] == sorted(r["case_number"] for r in streamed)
