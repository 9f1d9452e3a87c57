"""Engines, sessions and the unit of work.

SQLite (the embedded default) runs with WAL, foreign keys and a busy timeout, and every
write transaction starts with ``BEGIN IMMEDIATE`` so two writers queue instead of failing
half-way. Any other SQLAlchemy URL (``COUNCIL_DATABASE_URL``) is used as given.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlmodel import Session

from council.cases.errors import DatabaseError

WRITE_OPTION = "council_write"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other databases and ``:memory:``."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def displayed_url(url: str) -> str:
    """``url`` fit to show: its password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_url(path: Path) -> str:
    """The database URL of the SQLite file ``path``, whatever characters its name holds
    (``?``, ``#`` and ``%`` would otherwise be read as parts of the URL)."""
    return URL.create("sqlite", database=str(path)).render_as_string()


def make_engine(url: str, *, busy_timeout_ms: int = 10_000) -> Engine:
    """An engine for ``url``, with the SQLite settings this product relies on."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(
            f"databasen '{url}' (--database eller COUNCIL_DATABASE_URL) er hverken en fil "
            "eller en database-URL; angiv fx council.db eller postgresql+psycopg://..."
        ) from exc
    try:
        if parsed.get_backend_name() != "sqlite":
            return create_engine(url, pool_pre_ping=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})
    except ArgumentError as exc:  # no such dialect or driver (NoSuchModuleError)
        raise DatabaseError(
            "databasen (--database eller COUNCIL_DATABASE_URL) er en, denne installation ikke "
            f"kan bruge ({parsed.drivername}); angiv en fil, sqlite:///FIL eller "
            "postgresql+psycopg://..."
        ) from exc
    except ImportError as exc:  # the dialect is known, its driver is not installed
        raise DatabaseError(
            f"driveren til {parsed.drivername} er ikke installeret ({exc.name}); "
            "til PostgreSQL installeres den med: pip install -e '.[postgres]'"
        ) from exc

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal" and _ours(cursor):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        _begin_sqlite(connection, write=write)

    return engine


def _ours(cursor: Any) -> bool:
    """Whether an SQLite file may be switched to WAL (which is kept in the file): a new or
    empty one, or one with this product's migrations; never another program's database."""
    tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master")}
    return not tables or "alembic_version" in tables


def _begin_sqlite(connection: Connection, *, write: bool) -> None:
    """``BEGIN IMMEDIATE`` for writers, ``BEGIN`` for readers, straight on the driver.

    exec_driver_sql() costs several times the BEGIN itself; driver errors are wrapped as
    SQLAlchemy wraps them. A transaction a unit of work already began on the driver is
    joined, not begun twice.
    """
    driver = connection.connection.dbapi_connection
    if driver is None or driver.in_transaction:
        return
    statement = "BEGIN IMMEDIATE" if write else "BEGIN"
    dbapi = connection.dialect.loaded_dbapi
    try:
        driver.execute(statement)
    except dbapi.Error as exc:
        raise DBAPIError.instance(statement, (), exc, dbapi.Error) from exc


def _commit_driver(connection: Connection) -> None:
    driver = connection.connection.dbapi_connection
    assert driver is not None
    dbapi = connection.dialect.loaded_dbapi
    try:
        driver.commit()
    except dbapi.Error as exc:
        raise DBAPIError.instance("COMMIT", (), exc, dbapi.Error) from exc


class _Spares:
    """One idle SQLite connection per kind (reader, writer), kept open between units of work.

    Checking a connection out of SQLAlchemy's pool and back in (the ``Connection`` object,
    the pool's events, reset-on-return) costs more than an SQLite transaction's BEGIN and
    COMMIT. A unit of work that ran only on its connection (no ORM session) and ended its
    transaction leaves the connection here for the next unit, in any thread; a unit that
    finds the slot empty (another unit holds it) checks one out of the pool. At
    most two connections are kept, and :meth:`close` (from ``Database.dispose``, or when
    the database object is collected) gives them back to the pool.
    """

    def __init__(self) -> None:
        self._idle: dict[bool, Connection] = {}
        self._lock = threading.Lock()

    def take(self, write: bool) -> Connection | None:
        with self._lock:
            return self._idle.pop(write, None)

    def give(self, write: bool, connection: Connection) -> None:
        with self._lock:
            if write not in self._idle:
                self._idle[write] = connection
                return
        connection.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = list(self._idle.values()), {}
        for connection in idle:
            connection.close()


class Database:
    """An engine and the way to open read and write units of work on it."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 10_000) -> None:
        self.url = url
        self._path = sqlite_path(url)
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        self._writer = self.engine.execution_options(**{WRITE_OPTION: True})
        self._spares: _Spares | None = None
        self._schema_seen = False  # the schema, once found, is not looked for again
        if self.engine.dialect.name == "sqlite":
            self._spares = _Spares()
            weakref.finalize(self, self._spares.close)

    @property
    def path(self) -> Path | None:
        return self._path

    def describe(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string()

    def require_initialised(self) -> None:
        """Refuse early, with a hint, when the database does not exist or lacks the schema.

        The schema is looked for (a catalogue read) until it has been found once: a web
        application asks before every request, and an initialised database stays so."""
        if self.path is not None and not self.path.exists():
            raise DatabaseError(
                f"ingen database i {self.path}: kør 'council init' først "
                "(eller angiv en eksisterende med --database eller COUNCIL_DATABASE_URL)"
            )
        if self._schema_seen:
            return
        try:
            with self.engine.connect() as connection:
                tables = set(inspect(connection).get_table_names())
        except SQLAlchemyError as exc:
            raise translate(exc, self) from exc
        if "audit_head" not in tables:
            raise DatabaseError(
                f"databasen i {self.describe()} er ikke klargjort: kør 'council init'"
            )
        self._schema_seen = True

    def unit_of_work(self, *, write: bool = True) -> UnitOfWork:
        return UnitOfWork(self, write=write)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; nothing it does is committed."""
        with self.unit_of_work(write=False) as uow:
            yield uow.session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read-only session that sees the database as it was at one moment throughout.

        SQLite's read transaction does so; PostgreSQL's default (READ COMMITTED) shows each
        statement the latest commits, so this one runs REPEATABLE READ. For reads whose parts
        must agree, as the audit head and the walk of the trail while clerks append to it.
        """
        if self.engine.dialect.name == "sqlite":
            with self.reading() as session:
                yield session
            return
        try:
            with self.engine.connect() as plain:
                connection = plain.execution_options(isolation_level="REPEATABLE READ")
                connection.begin()
                session = Session(bind=connection, expire_on_commit=False)
                try:
                    yield session
                finally:
                    session.close()
                    connection.rollback()
        except SQLAlchemyError as exc:
            raise translate(exc, self) from exc

    def dispose(self) -> None:
        if self._spares is not None:
            self._spares.close()
        self.engine.dispose()


class UnitOfWork:
    """One transaction: ``with uow: ...; uow.commit()``; leaving without commit rolls back.

    The connection (and its ``BEGIN``/``BEGIN IMMEDIATE``) is opened on first use, by
    :meth:`connection` or :attr:`session`; the ORM session is made only when asked for and
    then runs on that same connection and transaction, so hot paths that need no ORM can
    run :class:`~council.cases.prepared.Prepared` statements without paying for a session.
    """

    def __init__(self, database: Database, *, write: bool) -> None:
        self.database = database
        self.write = write
        self._session: Session | None = None
        self._connection: Connection | None = None
        self._on_driver = False  # the transaction was begun on the driver, not by SQLAlchemy

    def __enter__(self) -> UnitOfWork:
        self._session = None  # a fresh transaction each time the unit is entered
        self._connection = None
        return self

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(
                bind=self.connection(),
                expire_on_commit=False,
                join_transaction_mode="control_fully",
            )
        return self._session

    @session.setter
    def session(self, session: Session) -> None:
        self._session = session

    def connection(self) -> Connection:
        """The unit's connection, inside its transaction (with the session's work flushed)."""
        if self._session is not None:
            return connection_of(self._session)
        if self._connection is None:
            spares = self.database._spares
            connection = spares.take(self.write) if spares is not None else None
            if connection is None:
                bind = self.database._writer if self.write else self.database.engine
                connection = bind.connect()
            try:
                if connection.dialect.name == "sqlite":
                    # SQLAlchemy's begin()/commit() bookkeeping costs several times the
                    # BEGIN and COMMIT themselves; a session made later joins this
                    # transaction (see _begin_sqlite) and then commits it itself.
                    _begin_sqlite(connection, write=self.write)
                    self._on_driver = True
                else:
                    connection.begin()
                    self._on_driver = False
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the loaded rows
        # without expiring them, so a face can still read what it fetched.
        try:
            if self._session is not None:
                self._session.close()
        finally:
            if self._connection is not None:
                self._release(self._connection)
                self._connection = None
        if isinstance(exc, SQLAlchemyError):
            raise translate(exc, self.database) from exc

    def _release(self, connection: Connection) -> None:
        """Back to the pool, or kept open for the next unit when it is clean (see _Spares):
        no session touched it and its transaction, if still open, rolled back."""
        spares = self.database._spares
        if spares is None or self._session is not None or not self._on_driver:
            connection.close()
        elif _reusable(connection):
            spares.give(self.write, connection)
        else:
            connection.close()

    def commit(self) -> None:
        try:
            if self._session is not None:
                self._session.commit()
            elif self._connection is not None:
                if self._on_driver and not self._connection.in_transaction():
                    _commit_driver(self._connection)
                else:
                    self._connection.commit()
        except SQLAlchemyError as exc:
            self._rollback()
            raise translate(exc, self.database) from exc

    def joined(self) -> UnitOfWork:
        """A unit of work inside this one's transaction, for an act run as one step of a
        larger one (an import replays many acts as one change).

        Its commit only flushes: the outer unit commits, or rolls back, all of it. Leaving
        it never rolls back; an error goes on to the outer unit, which undoes everything.
        """
        return _Joined(self)

    def _rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()
        elif self._connection is not None:
            if self._on_driver and not self._connection.in_transaction():
                driver = self._connection.connection.dbapi_connection
                if driver is not None:
                    driver.rollback()
            else:
                self._connection.rollback()


class _Joined(UnitOfWork):
    """See :meth:`UnitOfWork.joined`. Entering it flushes what the outer session holds and
    lets go of the rows it loaded, so the act reads them as the previous act left them
    (acts also write through their connection, behind the session's back)."""

    def __init__(self, outer: UnitOfWork) -> None:
        super().__init__(outer.database, write=outer.write)
        self._outer = outer

    def __enter__(self) -> UnitOfWork:
        self.commit()
        self._outer.session.expunge_all()
        return self

    @property
    def session(self) -> Session:
        return self._outer.session

    @session.setter
    def session(self, session: Session) -> None:
        self._outer.session = session

    def connection(self) -> Connection:
        return connection_of(self._outer.session)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, SQLAlchemyError):
            raise translate(exc, self.database) from exc

    def commit(self) -> None:
        try:
            self._outer.session.flush()
        except SQLAlchemyError as exc:
            raise translate(exc, self.database) from exc


def _reusable(connection: Connection) -> bool:
    """Open, valid, in no SQLAlchemy transaction, its driver's transaction rolled back."""
    if connection.closed or connection.invalidated or connection.in_transaction():
        return False
    driver = connection.connection.dbapi_connection
    if driver is None:
        return False
    if driver.in_transaction:
        try:
            driver.rollback()
        except connection.dialect.loaded_dbapi.Error:
            return False
    return True


def connection_of(session: Session) -> Connection:
    """The session's connection in its transaction, after the autoflush a query would do.

    A unit of work's session is bound to the unit's connection, already in its
    transaction: that connection is used as it is, without starting the session's own
    transaction bookkeeping (which the session does when it first needs it).
    """
    if session.autoflush:
        session.flush()
    bind = session.bind
    if (isinstance(bind, Connection) and bind.in_transaction()) or _on_driver(bind):
        return bind  # type: ignore[return-value]
    return session.connection()


def connection_for(where: UnitOfWork | Session | Connection) -> Connection:
    """The connection, inside its transaction, of a unit of work, a session or itself:
    the stores' compiled statements run on whichever their caller holds."""
    if isinstance(where, UnitOfWork):
        return where.connection()
    if isinstance(where, Session):
        return connection_of(where)
    return where


def _on_driver(bind: Any) -> bool:
    """A connection whose transaction was begun on the driver (see UnitOfWork.connection)."""
    if not isinstance(bind, Connection) or bind.closed or bind.dialect.name != "sqlite":
        return False
    driver = bind.connection.dbapi_connection
    return driver is not None and bool(driver.in_transaction)


def not_sqlite_message(where: str) -> str:
    return (
        f"{where} er ikke en SQLite-database (og ikke en council-database); peg "
        "COUNCIL_DATABASE_URL (eller --database) på council-databasen eller på en ny fil"
    )


def translate(exc: SQLAlchemyError, database: Database) -> DatabaseError:
    """A library error as one line a user can act on."""
    message = str(getattr(exc, "orig", exc)).splitlines()[0]
    where = database.describe()
    if "file is not a database" in message:
        return DatabaseError(not_sqlite_message(where))
    if "malformed" in message:
        return DatabaseError(
            f"databasen i {where} er beskadiget ({message}); genskab den fra en sikkerhedskopi"
        )
    if isinstance(exc, OperationalError):
        if "locked" in message or "busy" in message:
            return DatabaseError(f"databasen i {where} er optaget; prøv igen om et øjeblik")
        if "unable to open" in message or "readonly" in message or "read-only" in message:
            return DatabaseError(
                f"kan ikke åbne eller skrive databasen i {where} ({message}); "
                "tjek stien og dens rettigheder"
            )
    return DatabaseError(f"databasefejl i {where}: {message}")
