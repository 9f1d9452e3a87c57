"""Reminder services in processes of their own, for the two-instance and crash tests.

``seed`` gives the database many reminder steps due at one moment; ``deliverer`` is a
reminder service in a spawned process (sweep and delivery, like ``council serve``'s job);
run as a script, this module is a service that sweeps and delivers once and can be killed.

Usage: python reminder_workers.py DATABASE_URL SMTP_PORT NOW_ISO
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool
from sqlmodel import col

from council.cases.obligations import lines as line_store
from council.cases.obligations.tables import OutboxMessage
from council.config.settings import load_settings
from council.workflow import obligation_services, reminder_settings, services
from council.workflow.app import App

COMMITTEES = ["BR", "ØU", "SUD", "BIU", "BUU", "KFU", "SOU", "TMU"]
SENDER = "paamindelser@kk.example"


def smtp_settings(port: int) -> dict[str, object]:
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_starttls": False,
        "smtp_sender": SENDER,
        "smtp_timeout_seconds": 60.0,  # a loaded CI machine must not turn into a retry
    }


def seed(app: App, *, cases: int, now: datetime) -> None:
    """``cases`` cases, each owing every committee a yearly status (2008-08-01 to
    2010-12-31, due 31.12, weekly escalations): one line per (case, committee)."""
    for n in range(cases):
        number = f"2010-{5000 + n}"
        services.create_case(
            app.database.unit_of_work(),
            number=number,
            title=f"Sag {n}",
            owner="Socialforvaltningen",
            actor="clerk",
            now=now,
        )
        obligation_services.add_obligation(
            app.database.unit_of_work(),
            config=reminder_settings.reminder_config(app),
            case_number=number,
            committee_codes=COMMITTEES,
            starts_on=date(2008, 8, 1),
            ends_on=date(2010, 12, 31),
            actor="clerk",
            now=now,
        )


def due_steps(app: App, *, now: datetime) -> set[str]:
    """The step of each period that is current at ``now`` (the last one due; the earlier
    ones a first sweep writes as superseded), worked out from the schedule (not from the
    outbox), as the ``X-Council-Reminder`` header its message carries:
    obligation/period/step."""
    return {key for key, current in _due(app, now=now) if current}


def superseded_steps(app: App, *, now: datetime) -> set[str]:
    """The steps due at ``now`` that a later step of their period passes."""
    return {key for key, current in _due(app, now=now) if not current}


def _due(app: App, *, now: datetime) -> list[tuple[str, bool]]:
    config = reminder_settings.reminder_config(app)
    found: list[tuple[str, bool]] = []
    with app.database.reading() as session:
        for line in line_store.lines(session):
            due, _ = line.schedule(send_at=config.send_at).due(now=now, fulfilled={})
            last = {period.key: step.key for period, step in due}
            found += [
                (f"{line.id}/{period.key}/{step.key}", last[period.key] == step.key)
                for period, step in due
            ]
    return found


def outbox_status(url: str) -> Counter[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(col(OutboxMessage.status), func.count()).group_by(col(OutboxMessage.status))
            )
            return Counter({str(status): int(count) for status, count in rows})
    finally:
        engine.dispose()


def deliverer(
    url: str, name: str, port: int, now: datetime, expected: int, barrier: Any, results: Any
) -> None:
    """A reminder service: sweep and deliver at ``now`` until the outbox holds ``expected``
    sent rows (the other service may be the one that wrote or sent them)."""
    app = App(settings=load_settings(database_url=url, **smtp_settings(port)))
    app.initialised_database()
    barrier.wait(timeout=60)
    sent = failed = runs = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        run = obligation_services.run_reminders(app, now=now)
        runs += 1
        sent += len(run.delivery.sent)
        failed += len(run.delivery.failed)
        if outbox_status(url)["sent"] >= expected:
            break
        time.sleep(0.05)
    app.database.dispose()
    results.put((name, runs, sent, failed))


def main() -> None:
    url, port, when = sys.argv[1:]
    app = App(settings=load_settings(database_url=url, **smtp_settings(int(port))))
    app.initialised_database()
    print("running", flush=True)
    run = obligation_services.run_reminders(app, now=datetime.fromisoformat(when))
    print(f"done {len(run.written)} written {len(run.delivery.sent)} sent", flush=True)


if __name__ == "__main__":
    main()
