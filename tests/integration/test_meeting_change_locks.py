"""A meeting cancelled or rescheduled while a decision is recorded at it, on PostgreSQL;
and one meeting closed, approved or reopened by two clerks at once.

Two clerks at once: one cancels (or moves) the meeting, the other records a decision at
it. Whichever comes first, the other waits for it and then sees what it did: the
cancellation is refused because the meeting has decided something, or the decision is
refused because the meeting is cancelled. Never both. (SQLite serialises writers with
``BEGIN IMMEDIATE``, so only PostgreSQL can interleave them.)

The interleaving is forced without sleeping: a third connection holds the audit head,
which every act appends to last, so the first act stops there, holding what it has
locked; the second is started once the first is seen waiting, and is itself seen waiting
before the head is let go.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import text
from support import Scenario, at, audit_head_held, waiting_until

from council.cases.audit_verify import verify
from council.cases.dates import parse_date
from council.workflow.errors import CorrectionRefused, MeetingAlreadyHeld, MeetingChangeRefused
from council.workflow.services import meeting_changes, meetings


@pytest.fixture
def planned(scenario: Scenario, database_url: str) -> tuple[Scenario, int, int]:
    """BIU meeting 1 (16.03.2010), planned, with item 1 before it."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE")
    meeting = scenario.meeting("BIU", "2010-03-16")
    item = scenario.draft()
    scenario.present(item, meeting, when="2010-03-01 09:00")
    return scenario, meeting, item


def interleaved(
    scenario: Scenario, first: Callable[[], Any], second: Callable[[], Any]
) -> tuple[Future[Any], Future[Any]]:
    """``first`` run until it waits for the audit head, then ``second`` until it waits too;
    then both let go."""
    with ThreadPoolExecutor(max_workers=2) as pool, audit_head_held(scenario):
        began = pool.submit(first)
        waiting_until(scenario, 1)
        followed = pool.submit(second)
        waiting_until(scenario, 2)
    return began, followed


def decide(scenario: Scenario, item: int) -> Callable[[], Any]:
    return lambda: scenario.decide(item, "taget til efterretning", when="2010-03-16 17:00")


def cancel(scenario: Scenario, meeting: int) -> Callable[[], Any]:
    return lambda: meeting_changes.cancel_meeting(
        scenario.app.database.unit_of_work(),
        scenario.app.rulebook,
        meeting_ref=str(meeting),
        reason="formanden er syg",
        actor="clerk B",
        now=at("2010-03-16 16:00"),
    )


def reschedule(scenario: Scenario, meeting: int) -> Callable[[], Any]:
    return lambda: meeting_changes.reschedule_meeting(
        scenario.app.database.unit_of_work(),
        meeting_ref=str(meeting),
        on=parse_date("2010-03-30"),
        reason="flyttet",
        actor="clerk B",
        now=at("2010-03-16 16:00"),
    )


def decisions_and_state(scenario: Scenario, meeting: int) -> tuple[int, bool, str]:
    with scenario.app.database.engine.connect() as connection:
        decided = connection.execute(text("SELECT count(*) FROM decision")).scalar_one()
        cancelled, on = connection.execute(
            text("SELECT cancelled_at IS NOT NULL, date FROM meeting WHERE id = :id"),
            {"id": meeting},
        ).one()
    return decided, bool(cancelled), str(on)


def verified(scenario: Scenario) -> None:
    with scenario.app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem


@pytest.mark.parametrize("change", [cancel, reschedule], ids=["cancel", "reschedule"])
def test_a_meeting_changed_while_a_decision_is_recorded_at_it_is_refused(
    planned: tuple[Scenario, int, int], change: Callable[[Scenario, int], Callable[[], Any]]
) -> None:
    scenario, meeting, item = planned
    decided, changed = interleaved(scenario, decide(scenario, item), change(scenario, meeting))
    decided.result(timeout=60)
    with pytest.raises(MeetingChangeRefused, match="har allerede beslutninger"):
        changed.result(timeout=60)
    assert decisions_and_state(scenario, meeting) == (1, False, "2010-03-16")
    verified(scenario)


def test_a_decision_at_a_meeting_being_cancelled_is_refused(
    planned: tuple[Scenario, int, int],
) -> None:
    scenario, meeting, item = planned
    cancelled, decided = interleaved(scenario, cancel(scenario, meeting), decide(scenario, item))
    cancelled.result(timeout=60)
    with pytest.raises(MeetingChangeRefused, match="er aflyst"):
        decided.result(timeout=60)
    assert decisions_and_state(scenario, meeting) == (0, True, "2010-03-16")
    verified(scenario)


def close(scenario: Scenario, meeting: int) -> Callable[[], Any]:
    return lambda: meetings.close_meeting(
        scenario.app.database.unit_of_work(),
        scenario.app.rulebook,
        meeting_ref=str(meeting),
        actor="clerk B",
        now=at("2010-03-16 19:00"),
    )


def approve(scenario: Scenario, meeting: int) -> Callable[[], Any]:
    return lambda: meetings.approve_minutes(
        scenario.app.database.unit_of_work(),
        meeting_ref=str(meeting),
        actor="clerk B",
        now=at("2010-03-20 10:00"),
    )


def reopen(scenario: Scenario, meeting: int) -> Callable[[], Any]:
    return lambda: meeting_changes.reopen_meeting(
        scenario.app.database.unit_of_work(),
        meeting_ref=str(meeting),
        reason="lukket ved en fejl",
        actor="clerk B",
        now=at("2010-03-20 11:00"),
    )


def actions(scenario: Scenario) -> list[str]:
    with scenario.app.database.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT action FROM audit_entry WHERE action LIKE 'meeting.%'")
        )
        return sorted(row[0] for row in rows)


@pytest.mark.parametrize(
    ("act", "before", "refusal", "recorded"),
    [
        (close, (), MeetingAlreadyHeld, "meeting.closed"),
        (approve, (close,), CorrectionRefused, "meeting.approved"),
        (reopen, (close,), MeetingChangeRefused, "meeting.reopened"),
    ],
    ids=["close", "approve", "reopen"],
)
def test_two_clerks_closing_approving_or_reopening_one_meeting_at_once_record_it_once(
    planned: tuple[Scenario, int, int],
    act: Callable[[Scenario, int], Callable[[], Any]],
    before: tuple[Callable[[Scenario, int], Callable[[], Any]], ...],
    refusal: type[Exception],
    recorded: str,
) -> None:
    scenario, meeting, item = planned
    decide(scenario, item)()
    for step in before:
        step(scenario, meeting)()
    first, second = interleaved(scenario, act(scenario, meeting), act(scenario, meeting))
    first.result(timeout=60)
    with pytest.raises(refusal):
        second.result(timeout=60)
    assert actions(scenario).count(recorded) == 1
    verified(scenario)
