"""Writing a document to the file a user named: all of it or nothing, and never over
something that is not a document.

``-o FILE`` may create a file or replace a regular file. It refuses a symbolic link, a
folder, a FIFO, a device or a socket (a rename would replace the link or the node itself,
not write through it), and an SQLite database or one of its journal files (the live
database is one ``-o`` away). ``-o -`` is standard output. The document goes to a
temporary file beside the target, which is flushed to disk and renamed over it: a new file
gets the permissions of the user's umask (as the shell's ``>`` would), a replaced file
keeps its own.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from council.cases.sqlite_files import database_of_companion, is_sqlite_file
from council.config.os_reasons import os_reason
from council.notifications.errors import NotificationError
from council.workflow.errors import OverwriteRefused

STANDARD_OUTPUT = "-"


def output_target(text: str) -> Path | None:
    """The file ``-o`` names, or None for standard output (``-o -``)."""
    if text == STANDARD_OUTPUT:
        return None
    path = Path(text)
    if not text.strip():
        raise OverwriteRefused("-o kræver et filnavn, fx -o dagsorden.html, eller - for skærmen")
    if text.endswith(("/", os.sep)) or path.name in ("", ".", ".."):
        raise OverwriteRefused(
            f"-o {text} angiver en mappe; angiv et filnavn, fx -o {path / 'dagsorden.html'}"
        )
    return path


def write_document(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8 with ``\\n`` line ends, or bytes: a PDF) to
    ``path``, whole or not at all."""
    existing = _replaceable(path)
    folder = path.parent if str(path.parent) else Path(".")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        handle, temporary = _temporary_beside(folder, path.name)
        try:
            with os.fdopen(handle, "wb") as stream:
                if existing is not None:
                    os.fchmod(stream.fileno(), stat.S_IMODE(existing.st_mode))
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise NotificationError(f"kan ikke skrive {path}: {os_reason(exc)}") from exc


def _replaceable(path: Path) -> os.stat_result | None:
    """The status of the file ``path`` replaces (None: a new file); refuses anything but a
    regular file that is no SQLite database."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise NotificationError(f"kan ikke skrive {path}: {os_reason(exc)}") from exc
    mode = status.st_mode
    if stat.S_ISLNK(mode):
        refusal = "er et symbolsk link; skriv til den fil, det peger på, eller vælg et andet navn"
    elif stat.S_ISDIR(mode):
        refusal = f"er en mappe; angiv et filnavn, fx -o {path / 'dagsorden.html'}"
    elif not stat.S_ISREG(mode):
        refusal = "er ikke en almindelig fil (en enhed, FIFO eller socket); vælg et andet navn"
    elif is_sqlite_file(path):
        refusal = "er en SQLite-database; et dokument erstatter aldrig en: vælg et andet navn"
    elif (owner := database_of_companion(path)) is not None:
        refusal = f"hører til SQLite-databasen {owner}; vælg et andet navn"
    else:
        return status
    raise OverwriteRefused(f"-o {path} {refusal}")


def _temporary_beside(folder: Path, name: str) -> tuple[int, Path]:
    """A new, empty file in ``folder`` opened for writing, created with the umask's
    permissions (``tempfile`` would make it 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _attempt in range(100):
        temporary = folder / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {folder / name}")
