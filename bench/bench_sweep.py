"""One reminder sweep over 100,000 obligation lines: nothing due, and 1,000 steps due.

The product runs ``notifications.sweep.sweep`` (what ``council reminders run`` does before
it delivers): it finds the lines whose bookmark (``next_check_at``) has come, works out
their due steps, writes each to the outbox with its Message-ID and the facts its text is
made of (delivery renders the e-mail when it first sends it, not timed here), and moves
the bookmarks, in write transactions of up to 500 lines. The baseline is plain ``sqlite3`` on
the same file (same pragmas) selecting the same due rows the same way: in a
``BEGIN IMMEDIATE`` transaction, batches of 500 lines by the bookmark index, each with the
case and committee columns the sweep reads, until a batch comes back empty. Both sides are
timed warm: each has already run its query once on its open connection.

Setup: two obligations are recorded through the product's own service (so every column is
as the product writes it), then copied by bulk SQL: 1,000 lines whose first reminder (60
days before a 30 June due date) has come at the sweep's ``now``, and the rest not due
before November. Each timed sweep runs on a fresh copy of the file, in a process that has
already swept once (finding nothing), as the ``council serve`` service does every few
minutes (so its statements are compiled). The due lines share one schedule, which the
sweep works out once; bench/FLOORS.md gives the figure for lines that do not.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.common import Result, Scale, make_app, median, raw_connection, sqlite_datetime

DUE_LINES = 1_000
WARM_UP_AT = datetime(2010, 3, 1, 12, 0, tzinfo=UTC)
NOTHING_DUE_AT = datetime(2010, 4, 1, 12, 0, tzinfo=UTC)
SOME_DUE_AT = datetime(2010, 5, 15, 12, 0, tzinfo=UTC)

BASELINE_SQL = """
SELECT o.id, o.case_id, o.committee_id, o.about, o.starts_on, o.ends_on, o.cadence,
       o.due_rule, o.lead_days, o.escalate_every_days, o.recipients, o.created_at,
       o.next_check_at, c.number, c.title, c.owner, m.code, m.name
FROM status_obligation o
JOIN case_record c ON c.id = o.case_id
JOIN committee m ON m.id = o.committee_id
WHERE o.next_check_at <= ? AND o.id > ?
ORDER BY o.next_check_at, o.id
LIMIT 500
"""


def build_lines(path: Path, lines: int, *, due: int = DUE_LINES) -> None:
    """A database of ``lines`` obligation lines, ``due`` of them due on 15.05.2010."""
    from council.workflow import obligation_services, reminder_settings, services

    app = make_app(path)
    config = reminder_settings.reminder_config(app)
    at = datetime(2009, 6, 1, 8, 0, tzinfo=UTC)
    for number in ("BENCH-LATER", "BENCH-DUE"):
        services.create_case(
            app.database.unit_of_work(),
            number=number,
            title="Partnerskabsaftale",
            owner="Socialforvaltningen",
            actor="bench",
            now=at,
        )
    later = obligation_services.add_obligation(
        app.database.unit_of_work(),
        config=config,
        case_number="BENCH-LATER",
        committee_codes=["BIU"],
        starts_on=date(2010, 1, 1),
        ends_on=date(2012, 12, 31),
        due="31.12",
        recipients=["sekretariat@kk.example"],
        actor="bench",
        now=at,
    )[0]
    due_line = obligation_services.add_obligation(
        app.database.unit_of_work(),
        config=config,
        case_number="BENCH-DUE",
        committee_codes=["SUD"],
        starts_on=date(2009, 7, 1),
        ends_on=date(2012, 6, 30),
        due="30.06",
        recipients=["sekretariat@kk.example"],
        actor="bench",
        now=at,
    )[0]
    app.database.dispose()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("BEGIN")
    columns = (
        "case_id, committee_id, about, starts_on, ends_on, cadence, due_rule, lead_days, "
        "escalate_every_days, recipients, created_at, next_check_at"
    )
    for template, copies in ((later.id, lines - due - 1), (due_line.id, due - 1)):
        connection.execute(
            f"WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?) "
            f"INSERT INTO status_obligation ({columns}) "
            f"SELECT {columns} FROM status_obligation, n WHERE status_obligation.id = ?",
            (copies, template),
        )
    connection.execute("COMMIT")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def product_sweep(path: Path, now: datetime) -> tuple[float, int]:
    from council.config.reminders import load_reminders
    from council.config.settings import load_settings
    from council.notifications.sweep import sweep
    from council.workflow.app import App
    from council.workflow.visibility import MAIL

    app = App(settings=load_settings(database_url=f"sqlite:///{path}"))
    config = load_reminders(app.settings.reminders_file)
    definition = app.rulebook.definition
    database = app.database

    def once(at: datetime) -> Any:
        return sweep(
            database,
            now=at,
            fulfilling_states=definition.fulfilling_states,
            send_at=config.send_at,
            message_domain="council.invalid",
            audience=MAIL,
            state_labels={name: state.label for name, state in definition.states.items()},
        )

    # A warm process, as in `council serve` (a sweep every few minutes): the connection
    # is open and the statements compiled by an earlier sweep that found nothing due.
    once(WARM_UP_AT)
    start = time.perf_counter()
    result = once(now)
    spent = time.perf_counter() - start
    database.dispose()
    return spent, len(result.written)


def raw_due(path: Path, now: datetime) -> tuple[float, int]:
    """The baseline, warm as the product is: its connection open and its statement
    prepared by a pass that found nothing (sqlite3 keeps prepared statements per
    connection), then the timed pass."""
    connection = raw_connection(path)
    _select_due(connection, WARM_UP_AT)
    start = time.perf_counter()
    found = _select_due(connection, now)
    spent = time.perf_counter() - start
    connection.close()
    return spent, found


def _select_due(connection: sqlite3.Connection, now: datetime) -> int:
    bound = sqlite_datetime(now)
    connection.execute("BEGIN IMMEDIATE")
    found, last = 0, 0
    while rows := connection.execute(BASELINE_SQL, (bound, last)).fetchall():
        found += len(rows)
        last = rows[-1][0]
    connection.execute("COMMIT")
    return found


def run(scale: Scale, workdir: Path) -> list[Result]:
    lines = scale.sweep_lines
    template = workdir / "sweep-template.db"
    build_lines(template, lines)
    results: list[Result] = []
    repeats = 5
    for label, now, expected in (
        ("nothing due", NOTHING_DUE_AT, 0),
        (f"{DUE_LINES:,} steps due", SOME_DUE_AT, DUE_LINES),
    ):
        product_times, raw_times = [], []
        for attempt in range(repeats if expected == 0 else 3):
            copy = workdir / f"sweep-{attempt}.db"
            shutil.copyfile(template, copy)
            raw_spent, found = raw_due(copy, now)
            spent, written = product_sweep(copy, now)
            if found != expected or written != expected:
                raise AssertionError(
                    f"expected {expected} due steps, the baseline found {found} lines "
                    f"and the sweep wrote {written}"
                )
            raw_times.append(raw_spent)
            product_times.append(spent)
            copy.unlink()
        product, raw = median(product_times), median(raw_times)
        ratio = product / raw
        results.append(
            Result(
                name=f"reminder sweep over {lines:,} obligation lines, {label}",
                figure=f"{product * 1e3:,.1f} ms",
                baseline=f"{raw * 1e3:,.2f} ms (raw SQL selecting the same {expected:,} due rows)",
                ratio=ratio,
                target="≤ 3×",
                passed=ratio <= 3,
                notes=[f"median of {len(product_times)}, each on a fresh copy of the file"],
            )
        )
    return results
