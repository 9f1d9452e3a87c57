"""Engines, sessions and the unit of work.

SQLite (the embedded default) runs with WAL, foreign keys and a busy timeout, and every
write transaction starts with ``BEGIN IMMEDIATE`` so two writers queue instead of failing
half-way. Any other SQLAlchemy URL (``COUNCIL_DATABASE_URL``) is used as given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlmodel import Session

from cases.errors import DatabaseError

WRITE_OPTION = "council_write"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other databases and ``:memory:``."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, *, busy_timeout_ms: int = 10_000) -> Engine:
    """An engine for ``url``, with the SQLite settings this product relies on."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"COUNCIL_DATABASE_URL '{url}' is not a database URL") from exc
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Database:
    """An engine and the way to open read and write units of work on it."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 10_000) -> None:
        self.url = url
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        self._writer = self.engine.execution_options(**{WRITE_OPTION: True})

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    def describe(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string()

    def require_initialised(self) -> None:
        """Refuse early, with a hint, when the database does not exist or lacks the schema."""
        if self.path is not None and not self.path.exists():
            raise DatabaseError(
                f"no database at {self.path}: run 'council init' first "
                "(or set COUNCIL_DATABASE_URL to an existing one)"
            )
        try:
            with self.engine.connect() as connection:
                tables = set(inspect(connection).get_table_names())
        except SQLAlchemyError as exc:
            raise translate(exc, self) from exc
        if "audit_head" not in tables:
            raise DatabaseError(
                f"the database at {self.describe()} is not initialised: run 'council init'"
            )

    def unit_of_work(self, *, write: bool = True) -> UnitOfWork:
        return UnitOfWork(self, write=write)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; nothing it does is committed."""
        with self.unit_of_work(write=False) as uow:
            yield uow.session

    def dispose(self) -> None:
        self.engine.dispose()


class UnitOfWork:
    """One transaction: ``with uow: ...; uow.commit()``; leaving without commit rolls back."""

    session: Session

    def __init__(self, database: Database, *, write: bool) -> None:
        self.database = database
        self.write = write

    def __enter__(self) -> UnitOfWork:
        bind = self.database._writer if self.write else self.database.engine
        self.session = Session(bind=bind, expire_on_commit=False)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the loaded rows
        # without expiring them, so a face can still read what it fetched.
        self.session.close()
        if isinstance(exc, SQLAlchemyError):
            raise translate(exc, self.database) from exc

    def commit(self) -> None:
        try:
            self.session.commit()
        except SQLAlchemyError as exc:
            self.session.rollback()
            raise translate(exc, self.database) from exc


def translate(exc: SQLAlchemyError, database: Database) -> DatabaseError:
    """A library error as one line a user can act on."""
    message = str(getattr(exc, "orig", exc)).splitlines()[0]
    where = database.describe()
    if isinstance(exc, OperationalError):
        if "locked" in message or "busy" in message:
            return DatabaseError(f"the database at {where} is busy; try again in a moment")
        if "unable to open" in message or "readonly" in message or "read-only" in message:
            return DatabaseError(
                f"cannot open or write the database at {where} ({message}); "
                "check the path and its permissions"
            )
    return DatabaseError(f"database error at {where}: {message}")
