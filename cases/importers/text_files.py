"""Reading a file given for import: a regular file, of bounded size, holding UTF-8 text.

A published agenda item is a text of some tens of KB. What a user may name instead is
refused before it can hurt: a device such as ``/dev/zero`` (endless), a FIFO (would block
until something writes to it), a directory, a file larger than the import limit (only the
limit plus one byte is ever read), bytes that are not UTF-8, or a file holding NUL bytes
(binary data that happens to decode). Each is one ``ImportFormatError`` line.

The file is opened without blocking and checked on the open descriptor, so a path that is
swapped for a FIFO between a check and the open cannot make the import hang.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from council.cases.errors import ImportFormatError
from council.config.os_reasons import os_reason
from council.config.settings import DEFAULT_IMPORT_MAX_BYTES

DEFAULT_MAX_BYTES = DEFAULT_IMPORT_MAX_BYTES
_CHUNK = 1 << 16
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
_NOT_FILES = (
    (stat.S_ISDIR, "en mappe"),
    (stat.S_ISFIFO, "en FIFO (navngivet rør)"),
    (stat.S_ISCHR, "en tegnenhed"),
    (stat.S_ISBLK, "en blokenhed"),
    (stat.S_ISSOCK, "en socket"),
)
_GIVE_A_FILE = "angiv dagsordenspunktets tekstfil"


def read_text_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of ``path``; anything that is not a small UTF-8 text file is refused."""
    return decode_text(path.name, read_file_bytes(path, max_bytes=max_bytes))


def read_file_bytes(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, what: str = _GIVE_A_FILE
) -> bytes:
    """The bytes of ``path``, a regular file of at most ``max_bytes``; ``what`` says what
    to name instead of a directory, a device or a FIFO."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except IsADirectoryError as exc:
        raise ImportFormatError(f"{path}: er en mappe, ikke en fil; {what}") from exc
    except OSError as exc:
        raise ImportFormatError(f"{path}: kan ikke læses ({os_reason(exc)})") from exc
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _NOT_FILES if test(mode)), "ikke en almindelig fil")
            raise ImportFormatError(f"{path}: er {kind}, ikke en fil; {what}")
        data = _read_at_most(descriptor, max_bytes + 1, path)
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        raise ImportFormatError(
            f"{path.name}: er større end importgrænsen på {max_bytes:,} byte "
            "(COUNCIL_IMPORT_MAX_BYTES); et dagsordenspunkt er en tekst på nogle titals KB: "
            "tjek, at det er den rigtige fil, eller hæv grænsen"
        )
    return data


def decode_text(name: str, data: bytes) -> str:
    """``data`` as text: UTF-8 (a byte-order mark is allowed), with no NUL bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"{name}: ikke en UTF-8-tekstfil (byte 0x{data[exc.start]:02x} ved position "
            f"{exc.start}); gem den som UTF-8, og importér den igen"
        ) from exc
    if "\x00" in text:
        raise ImportFormatError(
            f"{name}: indeholder NUL-byte (position {text.index(chr(0))}), så det er ikke en "
            "tekstfil; "
            f"{_GIVE_A_FILE}"
        )
    return text


def _read_at_most(descriptor: int, limit: int, path: Path) -> bytes:
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        try:
            chunk = os.read(descriptor, min(remaining, _CHUNK))
        except OSError as exc:
            raise ImportFormatError(f"{path}: kan ikke læses ({os_reason(exc)})") from exc
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
