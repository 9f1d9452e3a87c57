"""Creating and upgrading the schema with the Alembic migrations shipped in ``cases/migrations``."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from council.cases.db import Database, translate
from council.cases.errors import DatabaseError

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
    try:
        with database.engine.begin() as connection:
            config = alembic_config(database)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise translate(exc, database) from exc


def _check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DatabaseError(f"cannot create the database at {path}: folder {folder} does not exist")
    if path.exists() and path.is_dir():
        raise DatabaseError(f"cannot use {path} as the database: it is a folder")
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK):
        raise DatabaseError(f"cannot write the database at {path}: permission denied")


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
    import council.cases.obligations  # noqa: F401

    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return [str(diff) for diff in compare_metadata(context, SQLModel.metadata)]
    except SQLAlchemyError as exc:
        raise translate(exc, database) from exc
