"""The demo's files: a new SQLite database marked as the demo's, and its Maildir.

``council demo`` starts from scratch each run, but it may only ever replace what an earlier
run made. Its database carries ``DEMO_MARK`` as SQLite's ``application_id`` (bytes 68-71 of
the header: no table, no migration), its Maildir a marker file. Anything else at the path
(a council database with real entries, a text file, a folder, a symbolic link, a FIFO,
journal files without their database, a Maildir the demo did not make) is refused before
anything is removed. From a Maildir of its own the demo removes only the message files it
names itself (``council.<digest>``), and the folders when they are then empty.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from council.cases.errors import DatabaseError
from council.cases.sqlite_files import COMPANION_SUFFIXES, application_id, create_marked
from council.config.os_reasons import os_reason
from council.notifications.transports import MAILDIR_FILE, default_maildir
from council.workflow.errors import OverwriteRefused

DEFAULT_DEMO_FILE = "council-demo.db"
DEMO_MARK = int.from_bytes(b"CDMO", "big")
"""The ``application_id`` of a demo database: "CDMO", council demo (0x43444D4F)."""
MAILDIR_MARKER = ".council-demo"
_MAILDIR_FOLDERS = ("tmp", "new", "cur")


def demo_path(text: str) -> Path:
    """The demo database named on the command line; refuses names that cannot be a file."""
    if not text.strip():
        raise OverwriteRefused(
            f"--db kræver et filnavn til demodatabasen, fx --db {DEFAULT_DEMO_FILE}"
        )
    path = Path(text)
    if text.endswith(("/", os.sep)) or path.name in ("", ".", ".."):
        raise OverwriteRefused(
            f"--db {text} angiver en mappe; angiv et filnavn, fx --db {path / DEFAULT_DEMO_FILE}"
        )
    return path


def prepare_demo_database(path: Path) -> Path:
    """Make ``path`` a new demo database and its Maildir ready; returns the Maildir.

    An earlier run's database (with its journal files) and messages are removed first;
    anything else at those places is refused with one line, and then nothing is touched.
    """
    earlier = _earlier_run(path)
    maildir = default_maildir(path)
    try:
        for file in earlier.files:
            file.unlink(missing_ok=True)
        if earlier.maildir:
            _empty_demo_maildir(maildir)
        create_marked(path, DEMO_MARK)
        _make_demo_maildir(maildir, path)
    except OSError as exc:
        raise DatabaseError(
            f"kan ikke forberede demoen i {path}: {os_reason(exc)} ({exc.filename or path})"
        ) from exc
    return maildir


@dataclass
class _EarlierRun:
    files: list[Path] = field(default_factory=list)
    maildir: bool = False


def _earlier_run(path: Path) -> _EarlierRun:
    """What an earlier demo run left at ``path``, checked to be nothing but that."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OverwriteRefused(
            f"kan ikke oprette demodatabasen {path}: mappen {folder} findes ikke"
        )
    if default_maildir(path) == path:
        raise OverwriteRefused(
            f"--db {path} ville være sin egen Maildir; angiv et navn, der ender på .db, fx "
            f"{path.with_suffix('.db')}"
        )
    found = _EarlierRun()
    database = _status(path)
    if database is not None:
        _require_demo_database(path, database)
        found.files.append(path)
    for suffix in COMPANION_SUFFIXES:
        companion = Path(f"{path}{suffix}")
        status = _status(companion)
        if status is None:
            continue
        if database is None or not stat.S_ISREG(status.st_mode):
            raise OverwriteRefused(
                f"{companion} findes, men hører ikke til en demodatabase i {path}; demoen "
                "erstatter kun filer, den selv har lavet: flyt den væk, eller vælg en anden --db"
            )
        found.files.append(companion)
    maildir = default_maildir(path)
    status = _status(maildir)
    if status is not None:
        marker = _status(maildir / MAILDIR_MARKER)
        if not stat.S_ISDIR(status.st_mode) or marker is None or not stat.S_ISREG(marker.st_mode):
            raise OverwriteRefused(
                f"{maildir} findes og er ikke lavet af demoen, som ville levere sin post "
                "dér: flyt den væk, eller vælg en anden --db"
            )
        found.maildir = True
    return found


def _require_demo_database(path: Path, status: os.stat_result) -> None:
    mode = status.st_mode
    if stat.S_ISLNK(mode):
        what = "et symbolsk link"
    elif stat.S_ISDIR(mode):
        what = "en mappe"
    elif not stat.S_ISREG(mode):
        what = "ikke en almindelig fil"
    else:
        mark = application_id(path)
        if mark == DEMO_MARK:
            return
        what = "en database, demoen ikke har lavet" if mark is not None else "ikke en demodatabase"
    raise OverwriteRefused(
        f"{path} er {what}; demoen erstatter kun en database, en tidligere demo har lavet: "
        "vælg en anden --db (eller flyt filen væk)"
    )


def _status(path: Path) -> os.stat_result | None:
    """``lstat`` of ``path`` (symbolic links are not followed), None when nothing is there."""
    try:
        return path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OverwriteRefused(f"kan ikke bruge {path} til demoen: {os_reason(exc)}") from exc


def _empty_demo_maildir(maildir: Path) -> None:
    """Remove the messages the demo wrote; folders go only when nothing else is left."""
    for name in _MAILDIR_FOLDERS:
        folder = maildir / name
        status = _status(folder)
        if status is None or not stat.S_ISDIR(status.st_mode):
            continue
        for entry in folder.iterdir():
            if MAILDIR_FILE.fullmatch(entry.name) and stat.S_ISREG(entry.lstat().st_mode):
                entry.unlink()
        _remove_if_empty(folder)
    (maildir / MAILDIR_MARKER).unlink(missing_ok=True)
    _remove_if_empty(maildir)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # something the demo did not write is in it: it stays
        folder.rmdir()


def _make_demo_maildir(maildir: Path, database: Path) -> None:
    for name in _MAILDIR_FOLDERS:
        (maildir / name).mkdir(parents=True, exist_ok=True)
    (maildir / MAILDIR_MARKER).write_text(
        f"The Maildir of the demo database {database.name}, made by 'council demo'.\n"
        "The next run of the demo removes the messages in it.\n",
        encoding="utf-8",
    )
