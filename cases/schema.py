"""Creating and upgrading the schema with the Alembic migrations shipped in ``cases/migrations``."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from council.cases.db import Database, not_sqlite_message, translate
from council.cases.errors import DatabaseError
from council.cases.sqlite_files import is_sqlite_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision``, the newest by default (creating it when empty)."""
    path = database.path
    if path is not None:
        _check_writable(path)
    check_integrity(database)
    try:
        with database.engine.begin() as connection:
            _refuse_foreign(connection, database)
            config = alembic_config(database)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise translate(exc, database) from exc


def _check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DatabaseError(f"kan ikke oprette databasen i {path}: mappen {folder} findes ikke")
    if path.exists() and path.is_dir():
        raise DatabaseError(f"kan ikke bruge {path} som database: det er en mappe")
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK):
        reason = "skrivebeskyttet filsystem" if _read_only(folder) else "adgang nægtet"
        raise DatabaseError(f"kan ikke skrive databasen i {path}: {reason}")


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows)
        return False


def check_integrity(database: Database, *, thorough: bool = False) -> None:
    """Refuse an SQLite file that is no SQLite database or is damaged.

    ``PRAGMA quick_check`` reads every page (``integrity_check``, when ``thorough``, also
    compares every index with its table): a damaged page that no query of the migrations
    happens to read would otherwise let ``db upgrade`` and ``db check`` report all well.
    PostgreSQL checks its own pages as it reads them.
    """
    path = database.path
    if path is None or not path.is_file():
        return
    if path.stat().st_size and not is_sqlite_file(path):
        raise DatabaseError(not_sqlite_message(str(path)))
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        with database.engine.connect() as connection:
            found = [str(row[0]) for row in connection.exec_driver_sql(f"PRAGMA {pragma}")]
    except SQLAlchemyError as exc:
        raise translate(exc, database) from exc
    if found != ["ok"]:
        lines = "\n".join(found).splitlines()
        problem = "; ".join(line for line in lines if not line.startswith("***"))
        problem = problem if len(problem) <= 120 else problem[:119] + "…"
        raise DatabaseError(
            f"databasen i {path} er beskadiget (SQLite {pragma}: {problem}); "
            "genskab den fra en sikkerhedskopi"
        )


def _refuse_foreign(connection: Connection, database: Database) -> None:
    """An SQLite file that holds tables but no migration history belongs to another program."""
    if connection.dialect.name != "sqlite":
        return
    tables = sorted(inspect(connection).get_table_names())
    if tables and "alembic_version" not in tables:
        shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        raise DatabaseError(
            f"SQLite-filen {database.describe()} indeholder et andet programs tabeller ({shown}); "
            "peg COUNCIL_DATABASE_URL på en ny fil eller på council-databasen"
        )


def current_revision(database: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    try:
        with database.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise translate(exc, database) from exc


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def schema_differences(database: Database) -> list[str]:
    """What differs between the tables in the models and those in the database (empty: none)."""
    import council.cases.accounts
    import council.cases.models  # registers the tables
    import council.cases.obligations.tables  # noqa: F401
    from council.cases.search_index import in_metadata

    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": in_metadata}
            )
            return [str(diff) for diff in compare_metadata(context, SQLModel.metadata)]
    except SQLAlchemyError as exc:
        raise translate(exc, database) from exc
