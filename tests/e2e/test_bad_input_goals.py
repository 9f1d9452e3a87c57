"""Bad input to the result goals: one clear line on stderr, a non-zero exit, and the
database exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "clerk")


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


@pytest.fixture
def ready(council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Council:
    """An obligation with one goal, and an item that answers it."""
    monkeypatch.setenv("COUNCIL_MAILDIR", str(tmp_path / "mail"))
    ok(council("init", *A))
    ok(council("case", "new", "--number", "2010-4130", "--title", "Partnerskabsaftale",
               "--owner", "Socialforvaltningen", *A))  # fmt: skip
    ok(council("obligation", "add", "--case", "2010-4130", "--committee", "BIU",
               "--from", "2008-08-01", "--to", "2010-12-31", *A))  # fmt: skip
    ok(council("obligation", "goal", "add", "1", "--name", "Brugere", "--target", "750", *A))
    ok(council("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--kind",
               "orientering", "--title", "Status", "--point", "At ...", "--fulfils", "1", *A))  # fmt: skip
    ok(council("case", "new", "--number", "2010-9999", "--title", "Uden forpligtelse",
               "--owner", "Socialforvaltningen", *A))  # fmt: skip
    ok(council("item", "draft", "--case", "2010-9999", "--committee", "BIU", "--kind",
               "orientering", "--title", "Andet", "--point", "At ...", *A))  # fmt: skip
    return council


GOAL = ("obligation", "goal")
CASES = [
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "-200", *A), "is negative"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "2011=5", *A), "has no period '2011'"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "mange", *A), "is not a number"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "1.5", *A), "is ambiguous"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "ca. 200", *A), "marked approximate"),
    ((*GOAL, "add", "1", "--name", "  ", "--target", "200", *A), "the goal's name is empty"),
    ((*GOAL, "add", "1", "--name", "Bru\x1b[31mgere", "--target", "2", *A), "control character"),
    ((*GOAL, "add", "1", "--name", "brugere", "--target", "200", *A), "already has a goal"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "200", "--direction", "cirka", *A),
     "direction 'cirka' is unknown"),
    ((*GOAL, "add", "7", "--name", "Frivillige", "--target", "200", *A), "unknown obligation 7"),
    ((*GOAL, "add", "2010-0000", "--name", "Frivillige", "--target", "2", *A), "does not name"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "200", *A[:0]), "no actor given"),
    ((*GOAL, "revise", "1", "--name", "Brugere", "--target", "800", *A), "needs its reason"),
    ((*GOAL, "revise", "1", "--name", "Brugere", "--target", "800", "--reason", " ", *A),
     "needs its reason"),
    ((*GOAL, "revise", "1", "--name", "Deltagere", "--target", "8", "--reason", "x", *A),
     "has no goal 'Deltagere'; its goals: 'Brugere'"),
    ((*GOAL, "revise", "1", "--name", "Brugere", "--target", "-1", "--reason", "x", *A),
     "is negative"),
    (("item", "report", "1", "--goal", "Deltagere", "12", *A), "has no goal 'Deltagere'"),
    (("item", "report", "1", "--goal", "Brugere", "1370", "--period", "2011", *A),
     "has no period '2011'; its periods: 2009, 2010"),
    (("item", "report", "1", "--goal", "Brugere", "-3", *A), "is negative"),
    (("item", "report", "1", "--goal", "Brugere", "12", "--goal", "brugere", "13", *A),
     "is given twice"),
    (("item", "report", "1", "--goal", "Brugere", *A), "each --goal needs a name and a value"),
    (("item", "report", "1", "Brugere", "12", *A), "is not understood"),
    (("item", "report", "1", *A), "give at least one --goal"),
    (("item", "report", "2", "--goal", "Brugere", "12", *A), "answers no status obligation"),
    (("item", "report", "9", "--goal", "Brugere", "12", *A), "unknown item"),
    (("status", "1", "--period", "2011"), "has no period '2011'"),
    (("status", "2010-9999"), "has no obligation"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "says"), CASES, ids=[" ".join(c[0][:5]) for c in CASES])
def test_bad_goal_input_is_one_line_a_non_zero_exit_and_no_change(
    ready: Council, snapshot: Callable[[], str], args: tuple[str, ...], says: str
) -> None:
    before = snapshot()
    result = ready(*args)
    assert result.code != 0
    assert says in result.err, result.err
    assert result.err.startswith("error: ")
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    assert snapshot() == before


def test_one_bad_value_among_good_ones_writes_none_of_them(
    ready: Council, snapshot: Callable[[], str]
) -> None:
    ok(ready("obligation", "goal", "add", "1", "--name", "Frivillige", "--target", "200", *A))
    before = snapshot()
    result = ready("item", "report", "1", "--goal", "Frivillige", "427", "--goal", "Brugere",
                   "ca. x", *A)  # fmt: skip
    assert result.code != 0 and "is not a number" in result.err
    assert snapshot() == before
