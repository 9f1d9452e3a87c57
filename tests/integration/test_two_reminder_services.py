"""Two reminder services on one database and one real SMTP server: each step sent once.

Thousands of steps fall due at the same moment (the services were down for months); two
processes sweep and deliver at once. Each step is written once, the current step of each
period to be sent and the ones it passes as superseded. The database divides the work
(the outbox rows are claimed ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, under SQLite's
write lock), and the server, counting by Message-ID, gets every current step exactly once
and no superseded one.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from mailserver import MailServer
from reminder_workers import deliverer, due_steps, outbox_status, seed, superseded_steps
from support import at

from council.workflow.app import App

CASES = 15  # x 8 committees = 120 lines, about 24 due steps each, one of them current
NOW = "2010-06-01 12:00"


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


def test_two_services_deliver_each_current_step_of_thousands_due_exactly_once(
    app: App, database_url: str, mail: MailServer
) -> None:
    now = at(NOW)
    seed(app, cases=CASES, now=at("2009-01-05 10:00"))
    expected = due_steps(app, now=now)
    passed = superseded_steps(app, now=now)
    assert len(expected) >= 120 and len(passed) >= 2500
    app.database.dispose()

    started = time.monotonic()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(
            target=deliverer,
            args=(database_url, name, mail.port, now, len(expected), barrier, results),
        )
        for name in ("service A", "service B")
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=420) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    elapsed = time.monotonic() - started

    received = mail.messages()
    by_id = Counter(r.message_id for r in received)
    twice = {message_id: n for message_id, n in by_id.items() if n > 1}
    steps = {str(r.message["X-Council-Reminder"]) for r in received}
    sent_by = {name: sent for name, _runs, sent, _failed in reports}
    print(
        f"\n{len(expected)} steps due at once; {len(received)} messages at the server, "
        f"{len(by_id)} distinct Message-IDs, {len(twice)} sent twice; "
        f"sent by {sent_by}; {elapsed:.1f} s"
    )
    assert not twice
    assert steps == expected
    assert len(by_id) == len(received) == len(expected)
    assert sum(sent_by.values()) == len(expected)
    assert all(failed == 0 for *_rest, failed in reports)
    assert not steps & passed
    assert outbox_status(database_url) == Counter(
        {"sent": len(expected), "superseded": len(passed)}
    )
