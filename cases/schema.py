"""Creating and upgrading the schema with the Alembic migrations shipped in ``cases/migrations``."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import SQLAlchemyError

from cases.db import Database, translate
from cases.errors import DatabaseError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def upgrade(database: Database) -> None:
    """Bring the schema to the newest revision (creating it on an empty database)."""
    path = database.path
    if path is not None:
        _check_writable(path)
    try:
        with database.engine.begin() as connection:
            config = alembic_config(database)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
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
