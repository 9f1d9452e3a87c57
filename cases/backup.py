"""A consistent copy of the embedded SQLite database, taken while it is in use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from council.cases.db import Database
from council.cases.errors import DatabaseError


def backup_sqlite(database: Database, target: Path) -> None:
    """Write a compacted, consistent copy of the database to ``target`` (``VACUUM INTO``)."""
    source = database.path
    if source is None:
        raise DatabaseError(
            "council db backup copies the SQLite file; back up PostgreSQL with pg_dump "
            "(see the README's Operations section)"
        )
    if target.exists() or target.is_symlink():
        raise DatabaseError(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise DatabaseError(f"cannot write {target}: folder {target.parent} does not exist")
    try:
        with sqlite3.connect(source) as connection:
            connection.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise DatabaseError(f"backup to {target} failed: {exc}") from exc
