"""An item's bilag corrected through ``council item edit``: retitled, or taken off the item.

A bilag taken off keeps its row, its file in the attachment store and its trail; documents,
``item show`` and search no longer show it, and ``audit verify`` still checks its file.
After the item's final decision only with a reason, shown as a correction. Every refusal
is one Danish line on stderr, exit 1, and the database as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "clerk")


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


def refused(result: CliResult, message: str) -> None:
    assert result.code == 1, (result.code, result.out)
    assert "Traceback" not in result.err
    assert result.err.startswith("fejl: "), result.err
    assert result.err.count("\n") == 1, result.err
    assert message in result.err, result.err


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "bilag"


@pytest.fixture
def day(council: Council, tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch) -> Council:
    """BIU meeting 1 (23.02.2010). Item 1 (orientering), before meeting 1 and undecided,
    has three bilag with files: Notat, Budget (mentorbudget.txt) and Referat. Item 2
    (beslutning, closed: "Personsag") was approved at meeting 1 and has one bilag."""
    monkeypatch.setenv("COUNCIL_ATTACHMENT_DIR", str(store))
    files = tmp_path / "filer"
    files.mkdir()
    (files / "Notat.txt").write_text("Status for mentorkurserne.\n", encoding="utf-8")
    (files / "Budget.txt").write_text("Mentorbudgettet er brugt op.\n", encoding="utf-8")
    (files / "Referat.txt").write_text("Referat fra styregruppen.\n", encoding="utf-8")
    (files / "Journal.txt").write_text("Borgerens journal.\n", encoding="utf-8")
    monkeypatch.chdir(files)
    steps = [
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A),
        ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title",
         "Status på aftalen", "--kind", "orientering", *A),
        ("item", "attach", "1", "Notat.txt", "Budget.txt", "Referat.txt", *A),
        ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", "Personsag",
         "--kind", "beslutning", "--closed", *A),
        ("item", "attach", "2", "Journal.txt", *A),
        ("item", "present", "1", "--meeting", "1", *A),
        ("item", "present", "2", "--meeting", "1", *A),
        ("item", "decide", "2", "godkendt", *A),
    ]  # fmt: skip
    for step in steps:
        ok(council(*step))
    return council


def test_a_bilag_taken_off_before_the_decision_leaves_every_output_but_keeps_its_file(
    day: Council, store: Path
) -> None:
    assert "Budget" in ok(day("search", "mentorbudgettet")).out
    said = ok(
        day(
            "item", "edit", "1", "--rename-attachment", "1=Statusnotat 2010",
            "--remove-attachment", "2", *A,
        )
    ).out  # fmt: skip
    assert "punkt-id 1 (Status på aftalen) redigeret: bilag" in said
    shown = ok(day("item", "show", "1")).out
    assert "Bilag 1. Statusnotat 2010  [Notat.txt" in shown
    assert "Bilag 2. Referat  [Referat.txt" in shown
    assert "Budget" not in shown
    for args in (("render", "agenda", "1"), ("render", "agenda", "1", "--format", "html")):
        agenda = ok(day(*args)).out
        assert "Statusnotat 2010" in agenda and "Referat" in agenda
        assert "Budget" not in agenda, args
    assert "Rettet den" not in ok(day("render", "agenda", "1")).out  # no correction yet
    assert "Budget" not in ok(day("search", "mentorbudgettet")).out
    assert "Budget" not in ok(day("search", "mentorbudgettet", "--internal")).out
    assert len(list(store.rglob("*"))) >= 4  # every file is still in the store
    ok(day("audit", "verify"))
    # the same file may be attached again; it is a new bilag, numbered after the others
    ok(day("item", "attach", "1", "Budget.txt", *A))
    assert "Bilag 3. Budget  [Budget.txt" in ok(day("item", "show", "1")).out
    ok(day("audit", "verify"))


def test_a_removed_bilags_file_changed_in_the_store_is_still_reported(
    day: Council, store: Path
) -> None:
    ok(day("item", "edit", "1", "--remove-attachment", "2", *A))
    budget = next(
        path
        for path in store.rglob("*")
        if path.is_file() and path.read_bytes() == b"Mentorbudgettet er brugt op.\n"
    )
    budget.chmod(0o644)
    budget.write_bytes(b"Mentorbudgettet er ikke brugt.\n")
    checked = day("audit", "verify")
    assert checked.code == 1
    assert "Budget.txt" in checked.out + checked.err


def test_after_the_final_decision_a_bilag_is_changed_only_with_a_reason_as_a_correction(
    day: Council,
) -> None:
    ok(day("item", "decide", "1", "taget til efterretning", *A))
    ok(
        day(
            "item", "edit", "1", "--remove-attachment", "3", "--rename-attachment",
            "2=Mentorbudget", "--reason", "Referatet hørte til et andet punkt", *A,
        )
    )  # fmt: skip
    minutes = ok(day("render", "minutes", "1")).out
    assert "Mentorbudget" in minutes and "Referat" not in minutes.split("Rettet den")[0]
    assert (
        "bilagslisten er rettet efter den endelige beslutning; begrundelse: Referatet hørte "
        "til et andet punkt" in minutes
    )
    rows = json.loads(ok(day("history", "2010-4130", "--json")).out)
    edit = rows[-1]
    assert edit["trigger"] == "edit" and edit["correction"]["subject"] == "item"
    assert edit["correction"]["before"]["attachments"] == ["Notat", "Budget", "Referat"]
    assert edit["correction"]["after"]["attachments"] == ["Notat", "Mentorbudget"]
    ok(day("audit", "verify"))


def test_a_closed_items_bilag_corrected_stays_out_of_public_output(day: Council) -> None:
    ok(
        day(
            "item", "edit", "2", "--rename-attachment", "1=Borgerens journal 2010",
            "--reason", "Journalens år manglede", *A,
        )
    )  # fmt: skip
    for args in (
        ("render", "minutes", "1"),
        ("history", "2010-4130", "--json"),
        ("search", "journal", "--json"),
        ("item", "show", "2"),
    ):
        assert "borgerens journal" not in ok(day(*args)).out.lower(), args
    assert "Borgerens journal 2010" in ok(day("item", "show", "2", "--internal")).out
    ok(day("audit", "verify"))


REFUSED = [
    ("an unknown bilag number", ("1", "--remove-attachment", "4"),
     "punkt-id 1 har intet bilag 4 (det har bilag 1-3)"),
    ("bilag number 0", ("1", "--rename-attachment", "0=Noget"), "punkt-id 1 har intet bilag 0"),
    ("an unknown bilag of a closed item", ("2", "--remove-attachment", "2", "--reason", "x"),
     "punkt-id 2 har intet bilag 2 (det har bilag 1)"),
    ("no reason after the final decision", ("2", "--remove-attachment", "1"),
     "punkt-id 2 har en endelig beslutning ('godkendt'); ret det kun med --reason"),
    ("an unknown item", ("99", "--remove-attachment", "1"), "punkt-id 99"),
    ("a rename not N=TITLE", ("1", "--rename-attachment", "Statusnotat"),
     "--rename-attachment 'Statusnotat' er ikke N=TITEL"),
    ("an empty new title", ("1", "--rename-attachment", "1=  "), "bilagets titel"),
    ("a new title with a control character", ("1", "--rename-attachment", "1=a\u202eb"),
     "styretegn"),
    ("one bilag renamed and taken off", ("1", "--rename-attachment", "2=X",
     "--remove-attachment", "2"), "bilag 2 kan ikke både omdøbes og tages af punkt-id 1"),
    ("a rename to the title it has", ("1", "--rename-attachment", "1=Notat"),
     "siger allerede det"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "args", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_bilag_edit_that_cannot_be_is_one_line_and_changes_nothing(
    day: Council, snapshot: Callable[[], str], what: str, args: tuple[str, ...], message: str
) -> None:
    before = snapshot()
    result = day("item", "edit", *args, *A)
    refused(result, message)
    assert "Personsag" not in result.err and "Journal" not in result.err
    assert snapshot() == before, what


def test_a_bilag_taken_off_is_not_taken_off_again(
    day: Council, snapshot: Callable[[], str]
) -> None:
    ok(day("item", "edit", "1", "--remove-attachment", "3", *A))
    before = snapshot()
    refused(
        day("item", "edit", "1", "--remove-attachment", "3", *A),
        "punkt-id 1 har intet bilag 3 (det har bilag 1-2)",
    )
    assert snapshot() == before
