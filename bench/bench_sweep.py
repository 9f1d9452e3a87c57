"""One reminder sweep over 100,000 obligation lines: nothing due, and 1,000 steps due.

The product runs ``notifications.sweep.sweep`` (what ``council reminders run`` does before
it delivers): it finds the lines whose bookmark (``next_check_at``) has come, works out
their due steps, writes each to the outbox with its Message-ID and the facts its text is
made of (delivery renders the e-mail when it first sends it, not timed here), audits what
it wrote, and moves the bookmarks, in write transactions of up to 500 lines.

The baseline is plain ``sqlite3`` on the same file (same pragmas) running the SQL the sweep
runs, statement for statement: each ``BEGIN IMMEDIATE``, select, executemany, commit and
rollback the product's driver connection received, with the same parameters. They are
recorded once, before timing, from a product sweep on a copy of the file of its own, so the
baseline does none of the Python the product does to make them (the outbox rows, their
facts, the audit entry are built beforehand); selects are fetched to the last row. After
each timed pass the baseline's file must hold what the product's holds (outbox, audit
entries, bookmarks).

Both sides are timed warm. The product's process has already swept once (finding nothing),
as the ``council serve`` service does every few minutes (so its statements are compiled);
the baseline's connection has replayed that sweep too, and run each of its statements once
in a transaction it rolled back (sqlite3 keeps prepared statements per connection).

Setup: two obligations are recorded through the product's own service (so every column is
as the product writes it), then copied by bulk SQL: 1,000 lines whose first reminder (60
days before a 30 June due date) has come at the sweep's ``now``, and the rest not due
before November. Each timed 1,000-due sweep, product and baseline, runs on a fresh copy of
the file, the two sides alternating. Nothing due changes nothing, so both sides keep one
copy, one process and one connection and alternate many short passes. The due lines share
one schedule, which the sweep works out once; bench/FLOORS.md gives the figure for lines
that do not.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.common import Result, Scale, make_app, median, raw_connection

DUE_LINES = 1_000
WARM_UP_AT = datetime(2010, 3, 1, 12, 0, tzinfo=UTC)
NOTHING_DUE_AT = datetime(2010, 4, 1, 12, 0, tzinfo=UTC)
SOME_DUE_AT = datetime(2010, 5, 15, 12, 0, tzinfo=UTC)


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


class ProductSweeper:
    """The product in a warm process: one ``App`` on the file, its reminder settings read."""

    def __init__(self, path: Path) -> None:
        from council.config.reminders import load_reminders
        from council.config.settings import load_settings
        from council.workflow.app import App

        self.app = App(settings=load_settings(database_url=f"sqlite:///{path}"))
        self.config = load_reminders(self.app.settings.reminders_file)

    def once(self, at: datetime) -> int:
        """One sweep at ``at``; the number of outbox rows it wrote."""
        from council.notifications.sweep import sweep
        from council.workflow.visibility import MAIL

        definition = self.app.rulebook.definition
        result = sweep(
            self.app.database,
            now=at,
            fulfilling_states=definition.fulfilling_states,
            send_at=self.config.send_at,
            message_domain="council.invalid",
            audience=MAIL,
            state_labels={name: state.label for name, state in definition.states.items()},
        )
        return len(result.written)

    def close(self) -> None:
        self.app.database.dispose()


def product_sweep(path: Path, now: datetime) -> tuple[float, int]:
    """One timed sweep at ``now`` in a warm process: the connection is open and the
    statements compiled by an earlier sweep that found nothing due."""
    product = ProductSweeper(path)
    product.once(WARM_UP_AT)
    start = time.perf_counter()
    written = product.once(now)
    spent = time.perf_counter() - start
    product.close()
    return spent, written


Call = tuple[str, str, Any]  # ("execute" | "many" | "commit" | "rollback", sql, parameters)


class _RecordingCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> Any:  # type: ignore[override]
        _log(self.connection).append(("execute", sql, _copied(parameters)))
        return super().execute(sql, parameters)

    def executemany(self, sql: str, rows: Any, /) -> Any:  # type: ignore[override]
        rows = [_copied(row) for row in rows]
        _log(self.connection).append(("many", sql, rows))
        return super().executemany(sql, rows)


class _RecordingConnection(sqlite3.Connection):
    """A driver connection that keeps every call the product makes on it (the SQL, its
    parameters, the commits and rollbacks), in order, while ``calls`` is a list."""

    calls: list[Call] | None = None

    def cursor(self, factory: Any = None) -> Any:  # type: ignore[override]
        return super().cursor(factory or _RecordingCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:  # type: ignore[override]
        return self.cursor().execute(sql, parameters)

    def commit(self) -> None:
        _log(self).append(("commit", "", ()))
        super().commit()

    def rollback(self) -> None:
        _log(self).append(("rollback", "", ()))
        super().rollback()


_IGNORED: list[Call] = []


def _log(connection: sqlite3.Connection) -> list[Call]:
    calls = getattr(connection, "calls", None)
    return _IGNORED if calls is None else calls


def _copied(parameters: Any) -> Any:
    return dict(parameters) if isinstance(parameters, dict) else tuple(parameters)


def record_sweeps(path: Path, *moments: datetime) -> list[list[Call]]:
    """The driver calls of a product sweep at each of ``moments`` in turn, in one process
    (the first warms it; recorded too), on ``path``, which they change."""
    from sqlite3 import dbapi2  # the module SQLAlchemy's SQLite dialect connects through
    from unittest import mock

    connect = dbapi2.connect
    recorded: list[list[Call]] = []

    def recording(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return connect(*args, **kwargs, factory=_RecordingConnection)

    with mock.patch.object(dbapi2, "connect", recording):
        product = ProductSweeper(path)
        try:
            for moment in moments:
                calls: list[Call] = []
                _RecordingConnection.calls = calls
                product.once(moment)
                _RecordingConnection.calls = None
                recorded.append(calls)
        finally:
            _RecordingConnection.calls = None
            product.close()
    return recorded


class RawSweeper:
    """The baseline: replays recorded driver calls on one plain sqlite3 connection."""

    def __init__(self, path: Path, warm_up: list[Call], timed: list[Call]) -> None:
        self.connection = raw_connection(path)
        self.replay(warm_up)
        # Every statement of the timed pass prepared once, in a transaction undone
        self.connection.execute("BEGIN IMMEDIATE")
        done: set[str] = set()
        for kind, sql, parameters in timed:
            if kind in ("execute", "many") and sql not in done and not sql.startswith("BEGIN"):
                done.add(sql)
                self.connection.execute(sql, parameters[0] if kind == "many" else parameters)
        self.connection.rollback()

    def replay(self, calls: list[Call]) -> None:
        connection = self.connection
        for kind, sql, parameters in calls:
            if kind == "execute":
                connection.execute(sql, parameters).fetchall()
            elif kind == "many":
                connection.executemany(sql, parameters)
            elif kind == "commit":
                connection.commit()
            else:
                connection.rollback()

    def close(self) -> None:
        self.connection.close()


def writes(path: Path) -> list[list[tuple[Any, ...]]]:
    """What a sweep leaves behind: the outbox, the audit trail, the bookmarks."""
    connection = sqlite3.connect(path)
    try:
        return [
            connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("outbox_message", "audit_entry", "audit_head")
        ] + [connection.execute("SELECT id, next_check_at FROM status_obligation").fetchall()]
    finally:
        connection.close()


def _due_steps(template: Path, workdir: Path, repeats: int) -> dict[str, Any]:
    """1,000 due: product and baseline alternating, each pass on a fresh copy."""
    recorded = workdir / "sweep-recorded.db"
    shutil.copyfile(template, recorded)
    warm_up, timed = record_sweeps(recorded, WARM_UP_AT, SOME_DUE_AT)
    expected = writes(recorded)
    recorded.unlink()
    product_times, raw_times, product_cpu, raw_cpu = [], [], [], []
    for attempt in range(repeats):
        sides = ("raw", "product") if attempt % 2 else ("product", "raw")
        for side in sides:
            copy = workdir / f"sweep-{side}.db"
            shutil.copyfile(template, copy)
            if side == "product":
                product = ProductSweeper(copy)
                product.once(WARM_UP_AT)
                start, cpu = time.perf_counter(), time.process_time()
                written = product.once(SOME_DUE_AT)
                product_times.append(time.perf_counter() - start)
                product_cpu.append(time.process_time() - cpu)
                product.close()
                if written != DUE_LINES:
                    raise AssertionError(f"the sweep wrote {written} steps, not {DUE_LINES}")
            else:
                raw = RawSweeper(copy, warm_up, timed)
                start, cpu = time.perf_counter(), time.process_time()
                raw.replay(timed)
                raw_times.append(time.perf_counter() - start)
                raw_cpu.append(time.process_time() - cpu)
                raw.close()
            if writes(copy) != expected:
                raise AssertionError(f"the {side} pass did not leave what the recorded sweep did")
            copy.unlink()
    return {
        "product": product_times,
        "raw": raw_times,
        "product_cpu": product_cpu,
        "raw_cpu": raw_cpu,
        "statements": sum(
            len(p) if kind == "many" else 1 for kind, _, p in timed if kind in ("execute", "many")
        ),
        "transactions": sum(1 for kind, _, _ in timed if kind == "commit"),
    }


def _nothing_due(template: Path, workdir: Path, repeats: int) -> dict[str, Any]:
    """Nothing due: both sides warm on one copy, alternating ``repeats`` passes."""
    copy = workdir / "sweep-nothing.db"
    shutil.copyfile(template, copy)
    warm_up, timed = record_sweeps(copy, WARM_UP_AT, NOTHING_DUE_AT)
    product = ProductSweeper(copy)
    product.once(WARM_UP_AT)
    raw = RawSweeper(copy, warm_up, timed)
    product_times, raw_times = [], []
    for attempt in range(repeats):
        for side in ("raw", "product") if attempt % 2 else ("product", "raw"):
            start = time.perf_counter()
            if side == "product":
                written = product.once(NOTHING_DUE_AT)
                product_times.append(time.perf_counter() - start)
                if written:
                    raise AssertionError(f"the sweep wrote {written} steps with nothing due")
            else:
                raw.replay(timed)
                raw_times.append(time.perf_counter() - start)
    raw.close()
    product.close()
    copy.unlink()
    return {"product": product_times, "raw": raw_times}


def run(scale: Scale, workdir: Path) -> list[Result]:
    lines = scale.sweep_lines
    template = workdir / "sweep-template.db"
    build_lines(template, lines)
    nothing = _nothing_due(template, workdir, repeats=201)
    due = _due_steps(template, workdir, repeats=5)
    template.unlink()
    name = f"reminder sweep over {lines:,} obligation lines"
    results = []
    for label, figures, digits, what in (
        ("nothing due", nothing, 3, "the same select, finding nothing"),
        (
            f"{DUE_LINES:,} steps due",
            due,
            2,
            f"the same {due.get('statements', 0):,} statements in "
            f"{due.get('transactions', 0)} transactions, parameters built beforehand",
        ),
    ):
        product, raw = median(figures["product"]), median(figures["raw"])
        ratio = product / raw
        notes = [
            f"median of {len(figures['product'])} alternating passes"
            + (", each on a fresh copy of the file" if figures is due else " on one copy")
            + f"; fastest {min(figures['product']) * 1e3:,.{digits}f} ms against "
            f"{min(figures['raw']) * 1e3:,.{digits}f} ms "
            f"({min(figures['product']) / min(figures['raw']):.2f}×)"
        ]
        if figures is due:
            cpu = median(due["product_cpu"]), median(due["raw_cpu"])
            notes.append(
                f"CPU {cpu[0] * 1e3:,.1f} ms against {cpu[1] * 1e3:,.1f} ms "
                f"({cpu[0] / cpu[1]:.2f}×)"
            )
        results.append(
            Result(
                name=f"{name}, {label}",
                figure=f"{product * 1e3:,.{digits}f} ms",
                baseline=f"{raw * 1e3:,.{digits}f} ms (raw sqlite3: {what})",
                ratio=ratio,
                target="≤ 3×",
                passed=ratio <= 3,
                notes=notes,
            )
        )
    return results
