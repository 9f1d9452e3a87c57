"""Recognising SQLite files by their bytes, and marking a file as made by one application.

A file is told to be an SQLite database by the 16 bytes every one begins with, without
opening it through SQLite (which would create journal files beside it, or replay them).
SQLite keeps a 32-bit ``application_id`` in the header (bytes 68-71, ``PRAGMA
application_id``) for exactly this: saying which program a database file belongs to. The
demo marks its databases there, so it can tell them from anything else without a table
or a migration.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from council.cases.errors import DatabaseError
from council.config.os_reasons import os_reason

MAGIC = b"SQLite format 3\x00"
_APPLICATION_ID_AT = 68
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database (write-ahead log, its index, rollback journal)."""


def read_header(path: Path, size: int = 100) -> bytes:
    """The first ``size`` bytes of a regular file (fewer if it is shorter); never follows
    a symbolic link and never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    handle = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return b""
        return os.read(handle, size)
    finally:
        os.close(handle)


def is_sqlite_file(path: Path) -> bool:
    """Whether ``path`` is a regular file that begins as an SQLite database does."""
    try:
        return read_header(path, len(MAGIC)) == MAGIC
    except OSError:
        return False


def application_id(path: Path) -> int | None:
    """The ``application_id`` in the header of the SQLite file ``path``; None when the file
    is not an SQLite database (or cannot be read)."""
    try:
        header = read_header(path)
    except OSError:
        return None
    if not header.startswith(MAGIC) or len(header) < _APPLICATION_ID_AT + 4:
        return None
    return int.from_bytes(header[_APPLICATION_ID_AT : _APPLICATION_ID_AT + 4], "big")


def database_of_companion(path: Path) -> Path | None:
    """The SQLite database whose journal or WAL file ``path`` is, if it is one."""
    for suffix in COMPANION_SUFFIXES:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            owner = path.with_name(path.name[: -len(suffix)])
            if is_sqlite_file(owner):
                return owner
    return None


def create_marked(path: Path, mark: int) -> None:
    """Create a new, empty SQLite database at ``path`` carrying ``mark`` as its
    application id. Refuses (``DatabaseError``) if anything already exists there.

    The file is created exclusively (no symbolic link is followed) and marked in SQLite's
    rollback-journal mode, so the mark is in the file itself before anything else writes.
    """
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError as exc:
        raise DatabaseError(f"kan ikke oprette {path}: der findes allerede noget dér") from exc
    except OSError as exc:
        raise DatabaseError(f"kan ikke oprette {path}: {os_reason(exc)}") from exc
    os.close(handle)
    try:
        connection = sqlite3.connect(path)
        try:
            connection.execute(f"PRAGMA application_id = {int(mark)}")
            connection.commit()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        path.unlink(missing_ok=True)
        raise DatabaseError(f"kan ikke oprette databasen {path}: {exc}") from exc
