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
            "council db backup kopierer SQLite-filen; tag sikkerhedskopi af PostgreSQL med "
            "pg_dump (se README'ens afsnit Operations)"
        )
    if target.exists() or target.is_symlink():
        raise DatabaseError(f"{target} findes allerede; vælg et nyt filnavn")
    if not target.parent.is_dir():
        raise DatabaseError(f"kan ikke skrive {target}: mappen {target.parent} findes ikke")
    try:
        with sqlite3.connect(source) as connection:
            connection.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise DatabaseError(f"sikkerhedskopien til {target} mislykkedes: {exc}") from exc
