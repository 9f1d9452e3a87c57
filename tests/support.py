"""Helpers the tests share: a Copenhagen clock, a ready scenario, database dumps."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from council.workflow.app import App

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
PROJECT = Path(__file__).resolve().parents[1]
# The shared material lies beside the project; COUNCIL_TEST_SHARED names it elsewhere (a
# worktree one level deeper, a CI checkout).
SHARED = Path(os.environ.get("COUNCIL_TEST_SHARED") or PROJECT.parent / "shared")
REALDATA = SHARED / "realdata"


def real_file(relative: str) -> Path:
    """A file of the shared real material, or skip the test saying which one is absent."""
    path = REALDATA / relative
    if not path.is_file():
        import pytest

        pytest.skip(
            f"real input {path} is absent (the shared folder is not beside the project; COUNCIL_TEST_SHARED names it)"
        )
    return path


def at(text: str) -> datetime:
    """A Copenhagen wall-clock moment, e.g. at("2010-02-23 17:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=COPENHAGEN)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def environment_for(db_path: Path, **extra: str) -> dict[str, str]:
    """A process environment pointing the CLI at ``db_path``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env["COUNCIL_DATABASE_URL"] = f"sqlite:///{db_path}"
    env.update(extra)
    return env


@dataclass
class Scenario:
    """A case with BIU and SUD meetings, and helpers to draft, present and decide items."""

    app: App
    case_number: str = "2010-4130"

    def uow(self):  # type: ignore[no-untyped-def]
        return self.app.database.unit_of_work()

    def meeting(self, committee: str, on: str) -> int:
        from council.cases.dates import parse_date
        from council.workflow import services

        meeting = services.create_meeting(
            self.uow(),
            committee_code=committee,
            on=parse_date(on),
            actor="clerk",
            now=at(f"{on} 08:00"),
        )
        assert meeting.id is not None
        return meeting.id

    def draft(
        self, committee: str = "BIU", kind: str = "orientering", title: str = "Status"
    ) -> int:
        from council.workflow import services

        item = services.draft_item(
            self.uow(),
            self.app.rulebook,
            case_number=self.case_number,
            committee_code=committee,
            draft=services.ItemDraft(title=title, kind=kind, recommendation=("At ...",)),
            actor="clerk",
            now=at("2010-01-04 09:00"),
        )
        assert item.id is not None
        return item.id

    def present(self, item_id: int, meeting_id: int, when: str = "2010-01-10 09:00"):  # type: ignore[no-untyped-def]
        from council.workflow import services

        return services.present_item(
            self.uow(),
            self.app.rulebook,
            item_id=item_id,
            meeting_ref=str(meeting_id),
            actor="clerk",
            now=at(when),
        )

    def decide(self, item_id: int, outcome: str, when: str = "2010-01-26 17:00", **kw):  # type: ignore[no-untyped-def]
        from council.workflow import services

        return services.decide_item(
            self.uow(),
            self.app.rulebook,
            item_id=item_id,
            outcome=outcome,
            actor="clerk",
            now=at(when),
            **kw,
        )


DISARM = {
    "sqlite": [
        "DROP TRIGGER audit_entry_no_update",
        "DROP TRIGGER audit_entry_no_delete",
        "DROP TRIGGER audit_head_forward_only",
        "DROP TRIGGER audit_head_no_delete",
    ],
    "postgresql": [
        "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
        "ALTER TABLE audit_head DISABLE TRIGGER audit_head_forward_only",
    ],
}


def tamper(app: App, sql: str) -> None:
    """What someone with direct database access could do: disarm the triggers and write."""
    from sqlalchemy import text

    engine = app.database.engine
    with engine.begin() as connection:
        for statement in DISARM[engine.dialect.name] + [s for s in sql.split(";") if s.strip()]:
            connection.execute(text(statement))


POSTGRES_ADMIN_URL = os.environ.get("COUNCIL_TEST_POSTGRES_URL")


def dump(target: Path | str) -> str:
    """The whole database as text, for 'nothing changed' assertions.

    ``target`` is an SQLite file or a database URL; SQLite is dumped with ``iterdump``
    (schema, triggers and rows), any other database table by table in a stable order.
    """
    import sqlite3

    url = target if isinstance(target, str) else f"sqlite:///{target}"
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            return "<no database file>"
        connection = sqlite3.connect(path)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    return _dump_tables(url)


def _dump_tables(url: str) -> str:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            lines = []
            inspector = inspect(connection)
            for table in sorted(inspector.get_table_names()):
                columns = [c["name"] for c in inspector.get_columns(table)]
                order = ", ".join(f'CAST("{c}" AS TEXT)' for c in columns)
                rows = connection.execute(text(f'SELECT * FROM "{table}" ORDER BY {order}'))
                lines.append(f"{table}: {[tuple(row) for row in rows]!r}")
            return "\n".join(lines)
    finally:
        engine.dispose()


@contextmanager
def fresh_postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"council_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def wait_until_the_killed_session_is_gone(url: str) -> None:
    """A PostgreSQL backend may still finish a COMMIT its killed client had already sent."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, poolclass=NullPool)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                others = connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).scalar()
            if not others:
                return
            time.sleep(0.05)
    finally:
        engine.dispose()


# Forcing two acts on PostgreSQL to interleave without sleeping: a third connection holds
# the audit head, which every act appends to last, so an act stops there holding what it
# has locked; a second act is started once the first is seen waiting.
WAITING = (
    "SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE NOT l.granted AND a.datname = current_database()"
)


@contextmanager
def audit_head_held(scenario: Scenario) -> Iterator[object]:
    """The audit head's row held by a connection of its own until the block ends."""
    from sqlalchemy import text

    with scenario.app.database.engine.connect() as holder:
        holder.execute(text("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE"))
        yield holder
        holder.rollback()


def waiting_until(scenario: Scenario, count: int) -> None:
    """Until ``count`` sessions of this database wait for a lock (polled, not slept)."""
    from sqlalchemy import text

    deadline = time.monotonic() + 60
    with scenario.app.database.engine.connect() as probe:
        while probe.execute(text(WAITING)).scalar_one() < count:
            probe.rollback()
            assert time.monotonic() < deadline, f"fewer than {count} sessions ever waited"
