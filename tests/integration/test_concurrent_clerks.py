"""Two clerks in two processes advancing the same items at the same moments."""

from __future__ import annotations

import multiprocessing
from datetime import date, timedelta

from clerks import clerk, presenter
from sqlalchemy import func, select
from support import Scenario

from council.cases.audit_verify import verify
from council.cases.models import AgendaEntry, AgendaItem, Decision

ROUNDS = 260
ITEMS = 4


def test_every_conflicting_attempt_loses_cleanly_and_no_update_is_lost(
    scenario: Scenario, database_url: str
) -> None:
    first = date(2010, 1, 4)
    meetings = [
        scenario.meeting("BIU", (first + timedelta(days=7 * k)).isoformat())
        for k in range(ROUNDS // ITEMS // 2 + 2)
    ]
    items = [scenario.draft(title=f"Punkt {n}") for n in range(ITEMS)]
    scenario.app.database.dispose()

    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(
            target=clerk, args=(database_url, name, items, meetings, ROUNDS, barrier, results)
        )
        for name in ("clerk A", "clerk B")
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=240) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    wins = sum(report[1] for report in reports)
    conflicts = sum(report[2] for report in reports)
    print(f"\n{2 * ROUNDS} attempts: {wins} won, {conflicts} refused as conflicts")
    assert wins + conflicts == 2 * ROUNDS
    assert wins == ROUNDS and conflicts == ROUNDS
    assert all(report[3] in ([], ["punkt-id"]) for report in reports)

    with scenario.app.database.reading() as session:
        versions = session.scalars(select(AgendaItem.version).where(AgendaItem.id.in_(items)))
        transitions = sum(version - 1 for version in versions)
        presented = session.scalar(select(func.count()).select_from(AgendaEntry))
        decided = session.scalar(select(func.count()).select_from(Decision))
        assert transitions == wins == presented + decided
        report = verify(session)
        assert report.ok, report.problem


def test_two_clerks_filling_one_agenda_at_once_get_distinct_numbers(
    scenario: Scenario, database_url: str
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    items = [scenario.draft(title=f"Punkt {n}") for n in range(40)]
    scenario.app.database.dispose()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(
            target=presenter, args=(database_url, name, share, meeting, barrier, results)
        )
        for name, share in (("clerk A", items[0::2]), ("clerk B", items[1::2]))
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    numbers = sorted(n for _, given in reports for n in given)
    assert numbers == list(range(1, len(items) + 1))
    with scenario.app.database.reading() as session:
        assert verify(session).ok
