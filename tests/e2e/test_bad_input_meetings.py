"""Correcting the calendar of meetings refused: one Danish line that says what is wrong and
what to do, a non-zero exit, and the database exactly as it was (its dump, and on SQLite
its file byte for byte)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "clerk")


def draft(title: str) -> tuple[str, ...]:
    return ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", title,
            "--kind", "orientering", *A)  # fmt: skip


@pytest.fixture
def calendar(council: Council) -> Council:
    """BIU: meeting 1 on 01.01.1999 (a mistake) with items 1 and 2 on its agenda, meeting 2
    on 02.03.2010, meeting 3 on 16.03.2010 held with item 3 decided; SUD: meeting 4 on
    03.03.2010; meeting 5 on 23.03.2010 cancelled; item 4 drafted."""
    steps = [
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "1999-01-01", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-03-02", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-03-16", *A),
        ("meeting", "new", "--committee", "SUD", "--date", "2010-03-03", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-03-23", *A),
        *[draft(f"Punkt {n}") for n in (1, 2, 3, 4)],
        ("item", "present", "1", "--meeting", "1", *A),
        ("item", "present", "2", "--meeting", "1", *A),
        ("item", "present", "3", "--meeting", "3", *A),
        ("item", "decide", "3", "taget til efterretning", *A),
        ("meeting", "close", "3", *A),
        ("meeting", "cancel", "5", "--reason", "formanden er syg", *A),
    ]
    for step in steps:
        result = council(*step)
        assert result.code == 0, (step, result.err)
    return council


MISTAKES: list[tuple[str, tuple[str, ...], str]] = [
    (
        "a move to another committee's meeting",
        ("item", "move", "1", "--meeting", "4", *A),
        "møde 4 er SUD's, men punkt-id 1 er BIU's behandling af sagen",
    ),
    (
        "a move to a held meeting",
        ("item", "move", "1", "--meeting", "3", *A),
        "er afholdt; et punkt kan kun flyttes til et planlagt møde",
    ),
    (
        "a move to a cancelled meeting",
        ("item", "move", "1", "--meeting", "5", *A),
        "er aflyst; et punkt kan kun flyttes til et planlagt møde",
    ),
    (
        "a move to the meeting it is on",
        ("item", "move", "1", "--meeting", "1", *A),
        "punkt-id 1 står allerede på møde 1",
    ),
    (
        "a move of a draft",
        ("item", "move", "4", "--meeting", "2", *A),
        "punkt-id 4 står ikke på et mødes dagsorden og venter på en beslutning (det er kladde)",
    ),
    (
        "a move of a decided item",
        ("item", "move", "3", "--meeting", "2", *A),
        "(det er taget til efterretning); kun et forelagt punkt flyttes",
    ),
    (
        "a move with a stale version",
        ("item", "move", "1", "--meeting", "2", "--expect-version", "1", *A),
        "punkt-id 1 er ændret af en anden, siden du læste det",
    ),
    (
        "a move with a reason that hides a line break",
        ("item", "move", "1", "--meeting", "2", "--reason", "a\nb", *A),
        "begrundelsen indeholder et usynligt tegn eller styretegn (U+000A)",
    ),
    (
        "a reschedule of a held meeting",
        ("meeting", "reschedule", "3", "--date", "2010-03-17", *A),
        "møde 3 (16. marts 2010) er afholdt; kun et planlagt møde kan flyttes",
    ),
    (
        "a reschedule of a cancelled meeting",
        ("meeting", "reschedule", "5", "--date", "2010-03-30", *A),
        "er aflyst; kun et planlagt møde kan flyttes (genåbn det først med",
    ),
    (
        "a reschedule onto a day the committee meets",
        ("meeting", "reschedule", "1", "--date", "2010-03-02", *A),
        "BIU har allerede et møde den 2. marts 2010 (møde 2)",
    ),
    (
        "a reschedule to the same day and time",
        ("meeting", "reschedule", "1", "--date", "01.01.1999", *A),
        "møde 1 holdes allerede den 1. januar 1999; giv en anden dato",
    ),
    (
        "a reschedule to a day that does not exist",
        ("meeting", "reschedule", "1", "--date", "2010-02-30", *A),
        "mødedatoen '2010-02-30' findes ikke i kalenderen",
    ),
    (
        "a reschedule to an implausible year",
        ("meeting", "reschedule", "1", "--date", "2310-02-03", *A),
        "tjek årstallet",
    ),
    (
        "a reschedule to a time that is none",
        ("meeting", "reschedule", "1", "--date", "2010-02-23", "--time", "25:00", *A),
        "mødets klokkeslæt '25:00' er ikke et klokkeslæt",
    ),
    (
        "a reschedule of an unknown meeting",
        ("meeting", "reschedule", "99", "--date", "2010-02-23", *A),
        "ukendt møde '99'",
    ),
    (
        "a cancellation without a reason",
        ("meeting", "cancel", "2", *A),
        "en aflysning kræver en begrundelse; giv den med --reason",
    ),
    (
        "a cancellation with a blank reason",
        ("meeting", "cancel", "2", "--reason", "   ", *A),
        "en aflysning kræver en begrundelse",
    ),
    (
        "a cancellation with an overlong reason",
        ("meeting", "cancel", "2", "--reason", "x" * 1001, *A),
        "begrundelsen er 1001 tegn lang; skriv den på højst 1000 tegn",
    ),
    (
        "a cancellation of a held meeting",
        ("meeting", "cancel", "3", "--reason", "fejl", *A),
        "møde 3 (16. marts 2010) er afholdt; kun et planlagt møde kan aflyses",
    ),
    (
        "a cancellation of a cancelled meeting",
        ("meeting", "cancel", "5", "--reason", "igen", *A),
        "møde 5 (23. marts 2010) er allerede aflyst",
    ),
    (
        "a cancellation moving its items to another committee's meeting",
        ("meeting", "cancel", "1", "--reason", "fejl", "--move-to", "4", *A),
        "møde 4 er SUD's, men punkt-id 1 er BIU's",
    ),
    (
        "a cancellation moving its items to a held meeting",
        ("meeting", "cancel", "1", "--reason", "fejl", "--move-to", "3", *A),
        "er afholdt; et punkt kan kun flyttes til et planlagt møde",
    ),
    (
        "a reopening without a reason",
        ("meeting", "reopen", "3", *A),
        "en genåbning kræver en begrundelse",
    ),
    (
        "a reopening of a planned meeting",
        ("meeting", "reopen", "2", "--reason", "fejl", *A),
        "møde 2 er allerede planlagt; intet at genåbne",
    ),
    (
        "a change without an actor",
        ("meeting", "cancel", "2", "--reason", "fejl"),
        "ingen aktør angivet",
    ),
]


def file_digest(database_url: str) -> str | None:
    """The SQLite file's bytes, its log first written into it: whether the last connection
    to close moved the log into the file (which rewrites it, content unchanged) depends on
    when other connections are collected; a write since the last digest changes it."""
    if not database_url.startswith("sqlite:///"):
        return None
    path = Path(database_url.removeprefix("sqlite:///"))
    with closing(sqlite3.connect(path)) as connection:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert not busy, "a connection still reads or writes the file"
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("what", "args", "message"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_refused_calendar_correction_is_one_line_and_changes_nothing(
    calendar: Council,
    snapshot: Callable[[], str],
    database_url: str,
    what: str,
    args: tuple[str, ...],
    message: str,
) -> None:
    before, digest = snapshot(), file_digest(database_url)
    result = calendar(*args)
    assert result.code != 0, what
    assert result.err.startswith("fejl: "), result.err
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert message in result.err, result.err
    assert snapshot() == before
    assert file_digest(database_url) == digest


@pytest.mark.parametrize(
    ("what", "args", "message"),
    [
        (
            "putting an item before a cancelled meeting",
            ("item", "present", "4", "--meeting", "5", *A),
            "møde 5 er aflyst, så punkt-id 4 kan ikke forelægges dér",
        ),
        (
            "deciding an item on a cancelled meeting's agenda",
            ("item", "decide", "1", "udsat", *A),
            "møde 1 er aflyst, så punkt-id 1 kan ikke besluttes dér; flyt punktet",
        ),
        (
            "rescheduling a meeting with a decision recorded",
            ("meeting", "reschedule", "2", "--date", "2010-03-04", *A),
            "møde 2 (2. marts 2010) har allerede beslutninger (punkt-id 2); et møde, der har "
            "truffet beslutninger, kan ikke flyttes",
        ),
        (
            "cancelling a meeting with a decision recorded",
            ("meeting", "cancel", "2", "--reason", "fejl", *A),
            "kan ikke aflyses",
        ),
        (
            "moving an item to a meeting before its earlier treatment",
            ("item", "move", "2", "--meeting", "7", *A),
            "punkt-id 2 blev behandlet på et møde den 2. marts 2010; det kan kun flyttes til et "
            "senere møde",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and " " in value else "",
)
def test_nothing_is_put_before_decided_at_or_moved_behind_what_happened(
    calendar: Council,
    snapshot: Callable[[], str],
    what: str,
    args: tuple[str, ...],
    message: str,
) -> None:
    """Meeting 1 cancelled with item 1 left on it; item 2 moved to meeting 2, postponed
    there and put before meeting 6 (BIU, 30.03.2010); meeting 7 (BIU, 01.03.2010) planned,
    a day before the postponement."""
    for step in (
        ("item", "move", "2", "--meeting", "2", *A),
        ("item", "decide", "2", "udsat", *A),
        ("meeting", "cancel", "1", "--reason", "forkert dato", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-03-30", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-03-01", *A),
        ("item", "present", "2", "--meeting", "6", *A),
    ):
        done = calendar(*step)
        assert done.code == 0, (step, done.err)
    before = snapshot()
    result = calendar(*args)
    assert result.code != 0, what
    assert result.err.startswith("fejl: ") and result.err.count("\n") == 1, result.err
    assert message in result.err, result.err
    assert snapshot() == before
