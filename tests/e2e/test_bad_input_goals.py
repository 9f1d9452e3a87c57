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
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "-200", *A), "er negativ"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "2011=5", *A), "has no period '2011'"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "mange", *A), "er ikke et tal"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "1.5", *A), "er tvetydig"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "ca. 200", *A), "angivet som omtrentlig"),
    ((*GOAL, "add", "1", "--name", "  ", "--target", "200", *A), "målets navn er tom"),
    ((*GOAL, "add", "1", "--name", "Bru\x1b[31mgere", "--target", "2", *A), "styretegn"),
    ((*GOAL, "add", "1", "--name", "brugere", "--target", "200", *A), "har allerede et mål"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "200", "--direction", "cirka", *A),
     "retningen 'cirka' er ukendt"),
    ((*GOAL, "add", "7", "--name", "Frivillige", "--target", "200", *A), "ukendt statusforpligtelse 7"),
    ((*GOAL, "add", "2010-0000", "--name", "Frivillige", "--target", "2", *A), "angiver ikke"),
    ((*GOAL, "add", "1", "--name", "Frivillige", "--target", "200", *A[:0]), "ingen aktør angivet"),
    ((*GOAL, "revise", "1", "--name", "Brugere", "--target", "800", *A), "kræver en begrundelse"),
    ((*GOAL, "revise", "1", "--name", "Brugere", "--target", "800", "--reason", " ", *A),
     "kræver en begrundelse"),
    ((*GOAL, "revise", "1", "--name", "Deltagere", "--target", "8", "--reason", "x", *A),
     "har intet mål 'Deltagere'; dens mål: 'Brugere'"),
    ((*GOAL, "revise", "1", "--name", "Brugere", "--target", "-1", "--reason", "x", *A),
     "er negativ"),
    (("item", "report", "1", "--goal", "Deltagere", "12", *A), "har intet mål 'Deltagere'"),
    (("item", "report", "1", "--goal", "Brugere", "1370", "--period", "2011", *A),
     "has no period '2011'; its periods: 2009, 2010"),
    (("item", "report", "1", "--goal", "Brugere", "-3", *A), "er negativ"),
    (("item", "report", "1", "--goal", "Brugere", "12", "--goal", "brugere", "13", *A),
     "er angivet to gange"),
    (("item", "report", "1", "--goal", "Brugere", *A), "hver --goal skal have et navn og en værdi"),
    (("item", "report", "1", "Brugere", "12", *A), "forstås ikke"),
    (("item", "report", "1", *A), "angiv mindst ét --goal"),
    (("item", "report", "2", "--goal", "Brugere", "12", *A), "besvarer ingen statusforpligtelse"),
    (("item", "report", "9", "--goal", "Brugere", "12", *A), "ukendt punkt-id"),
    (("status", "1", "--period", "2011"), "has no period '2011'"),
    (("status", "2010-9999"), "ingen statusforpligtelse passer"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "says"), CASES, ids=[" ".join(c[0][:5]) for c in CASES])
def test_bad_goal_input_is_one_line_a_non_zero_exit_and_no_change(
    ready: Council, snapshot: Callable[[], str], args: tuple[str, ...], says: str
) -> None:
    before = snapshot()
    result = ready(*args)
    assert result.code != 0
    assert says in result.err, result.err
    assert result.err.startswith("fejl: ")
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
    assert result.code != 0 and "er ikke et tal" in result.err
    assert snapshot() == before
