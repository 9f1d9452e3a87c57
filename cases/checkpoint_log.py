"""The checkpoint log: signed statements of the audit trail's head, kept outside the database.

One line per checkpoint, canonical JSON (sorted keys, no spaces, UTF-8), appended and never
rewritten::

    {"at":"2010-02-23T16:05:00.000000+00:00","database":"<32 hex>","entries":1234,
     "head":"<64 hex>","key":"<16 hex>","n":3,"prev":"<64 hex>","sig":"<base64>","v":1}

``entries`` and ``head`` are the trail's length and the hash of its last entry when the
checkpoint was made, ``database`` the id in ``audit_head`` (so a checkpoint of another
database is recognised), ``key`` the id of the key that signed, ``n`` the checkpoint's
place in the log. The log is hash-linked like the trail: ``prev`` is the SHA-256 of the
whole previous line (zeros for the first), and the Ed25519 signature ``sig`` covers every
other field, ``prev`` included. So an edited line fails its signature, and a deleted,
inserted or reordered line breaks the numbering and the link of the line after it; only
lines cut off the end go unnoticed here, which is why the log is copied elsewhere (see the
README's section for auditors).

Whether the trail still extends each checkpoint is checked by ``cases.audit_anchors``.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from council.cases.audit import canonical_json, utc_iso
from council.cases.audit_keys import SigningKey, VerifyingKey
from council.cases.dates import format_minute
from council.cases.errors import CheckpointLogError

FORMAT_VERSION = 1
FIRST_PREV = "0" * 64
MAX_LOG_BYTES = 256 * 1024 * 1024  # a line is about 330 bytes: a checkpoint an hour for 90 years
FIELDS = frozenset({"at", "database", "entries", "head", "key", "n", "prev", "sig", "v"})
_HASH = re.compile(r"[0-9a-f]{64}")
_DATABASE_ID = re.compile(r"[0-9a-f]{32}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
SIGNATURE_BYTES = 64


@dataclass(frozen=True)
class Checkpoint:
    """One signed statement: the trail of database ``database`` had ``entries`` entries,
    the last with hash ``head``, at ``at``."""

    number: int
    database: str
    entries: int
    head: str
    at: datetime
    key: str
    prev: str
    signature: str  # base64 of the 64-byte Ed25519 signature

    def signed_bytes(self) -> bytes:
        """What the signature covers: every field but the signature, canonical JSON."""
        return canonical_json(self._fields()).encode("utf-8")

    def line(self) -> str:
        """The checkpoint as its line of the log (without the line break)."""
        return canonical_json({**self._fields(), "sig": self.signature})

    def describe(self) -> str:
        """'kontrolpunkt 3 (post 1234, signeret 23.02.2010 17:05)', for messages."""
        return (
            f"kontrolpunkt {self.number} (post {self.entries}, signeret {format_minute(self.at)})"
        )

    def _fields(self) -> dict[str, Any]:
        return {
            "at": utc_iso(self.at),
            "database": self.database,
            "entries": self.entries,
            "head": self.head,
            "key": self.key,
            "n": self.number,
            "prev": self.prev,
            "v": FORMAT_VERSION,
        }


def line_hash(line: str) -> str:
    """The link to a line: SHA-256 of its text (without the line break)."""
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def signed(
    key: SigningKey,
    *,
    number: int,
    prev: str,
    database: str,
    entries: int,
    head: str,
    at: datetime,
) -> Checkpoint:
    """A new checkpoint, signed with ``key``."""
    unsigned = Checkpoint(number, database, entries, head, at, key.public.key_id, prev, "")
    signature = base64.b64encode(key.sign(unsigned.signed_bytes())).decode("ascii")
    return Checkpoint(number, database, entries, head, at, unsigned.key, prev, signature)


@dataclass(frozen=True)
class LogLine:
    """A line of the log as read: the checkpoint it holds and its exact text."""

    checkpoint: Checkpoint
    text: str


def read_log(path: Path) -> list[LogLine]:
    """Every line of the log at ``path``; a line that is no checkpoint is refused, naming it.

    This checks each line's form only; :func:`check_log` checks the links and signatures.
    """
    return _parse(path, _read_text(path))


def _read_text(path: Path) -> str:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise CheckpointLogError(
            f"ingen kontrolpunkt-log i {path}: 'council audit checkpoint' skriver en "
            "(COUNCIL_CHECKPOINT_LOG angiver en anden)"
        ) from None
    except OSError as exc:
        raise CheckpointLogError(
            f"kan ikke læse kontrolpunkt-loggen {path}: {exc.strerror}"
        ) from exc
    if not stat.S_ISREG(status.st_mode):
        raise CheckpointLogError(f"kontrolpunkt-loggen {path} er ikke en almindelig fil")
    if status.st_size > MAX_LOG_BYTES:
        raise CheckpointLogError(
            f"kontrolpunkt-loggen {path} er større end {MAX_LOG_BYTES:,} byte: den er ikke en "
            "sådan log"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CheckpointLogError(
            f"kan ikke læse kontrolpunkt-loggen {path}: {exc.strerror}"
        ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CheckpointLogError(
            f"kontrolpunkt-loggen {path} er ikke UTF-8-tekst (byte {exc.start}): den er ikke "
            "en sådan log"
        ) from exc


def _parse(path: Path, text: str) -> list[LogLine]:
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] != "":
        raise CheckpointLogError(
            f"{path}, linje {len(lines)}: afskåret (intet linjeskift til sidst); loggen er "
            "redigeret, eller dens sidste skrivning blev afbrudt: gem den som bevis, og begynd "
            "en ny log (COUNCIL_CHECKPOINT_LOG)"
        )
    return [_line(path, number, line) for number, line in enumerate(lines[:-1], start=1)]


def _line(path: Path, number: int, text: str) -> LogLine:
    try:
        return LogLine(_checkpoint(json.loads(text)), text)
    except (ValueError, TypeError, KeyError) as exc:
        reason = str(exc) if isinstance(exc, _Malformed) else "ikke et JSON-objekt"
        raise CheckpointLogError(
            f"{path}, linje {number}: ikke et kontrolpunkt ({reason}); loggen er redigeret "
            "eller er ikke en kontrolpunkt-log"
        ) from exc


class _Malformed(ValueError):
    """A line that is JSON but no checkpoint; its text says which field is wrong."""


def _checkpoint(value: Any) -> Checkpoint:
    if not isinstance(value, dict):
        raise _Malformed("ikke et JSON-objekt")
    if set(value) != FIELDS:
        odd = sorted(set(value) ^ FIELDS)
        raise _Malformed(f"felterne {', '.join(odd)} mangler eller er ukendte")
    if value["v"] != FORMAT_VERSION:
        raise _Malformed(f"formatet {value['v']!r}, som denne version ikke kan læse")
    number, entries = value["n"], value["entries"]
    if type(number) is not int or number < 1:
        raise _Malformed("'n' er ikke et tal fra 1")
    if type(entries) is not int or entries < 0:
        raise _Malformed("'entries' er ikke et antal")
    for name, pattern in (
        ("head", _HASH),
        ("prev", _HASH),
        ("database", _DATABASE_ID),
        ("key", _KEY_ID),
    ):
        if not isinstance(value[name], str) or not pattern.fullmatch(value[name]):
            raise _Malformed(f"'{name}' er ikke et hex-id af den rette længde")
    try:
        at = datetime.fromisoformat(value["at"])
    except (TypeError, ValueError):
        raise _Malformed("'at' er ikke et tidspunkt") from None
    if at.tzinfo is None:
        raise _Malformed("'at' har ingen tidszone")
    signature = value["sig"]
    if not isinstance(signature, str) or len(_signature_bytes(signature)) != SIGNATURE_BYTES:
        raise _Malformed("'sig' er ikke en Ed25519-signatur")
    return Checkpoint(
        number,
        value["database"],
        entries,
        value["head"],
        at,
        value["key"],
        value["prev"],
        signature,
    )


def _signature_bytes(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""


# ------------------------------------------------------------------------------ checking


@dataclass(frozen=True)
class LogCheck:
    """The checkpoints that verified, in order, and the first problem after them (if any)."""

    checkpoints: list[Checkpoint]
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_log(lines: list[LogLine], key: VerifyingKey | None) -> LogCheck:
    """Walk the log: numbering, links, form and (given ``key``) every signature, stopping
    at the first problem."""
    verified: list[Checkpoint] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else None
        problem = link_problem(index + 1, line, previous)
        if problem is None and key is not None:
            problem = signature_problem(line.checkpoint, key)
        if problem is not None:
            return LogCheck(verified, problem)
        verified.append(line.checkpoint)
    return LogCheck(verified)


def link_problem(place: int, line: LogLine, previous: LogLine | None) -> str | None:
    """Why the line at ``place`` (1, 2, ...) does not follow ``previous``; None if it does."""
    checkpoint = line.checkpoint
    if checkpoint.number != place:
        return (
            f"kontrolpunkt {place} står ikke, hvor loggen skal have det: linje {place} har "
            f"kontrolpunkt {checkpoint.number} (en linje er slettet, indsat eller flyttet)"
        )
    if line.text != checkpoint.line():
        return f"{checkpoint.describe()} er ikke, som produktet skrev det: linjen er redigeret"
    expected = FIRST_PREV if previous is None else line_hash(previous.text)
    if checkpoint.prev != expected:
        return (
            f"{checkpoint.describe()} følger ikke linjen før: en linje er redigeret, "
            "slettet, indsat eller flyttet"
        )
    return None


def signature_problem(checkpoint: Checkpoint, key: VerifyingKey) -> str | None:
    """Why ``checkpoint`` is not signed by ``key``; None if it is."""
    if checkpoint.key != key.key_id:
        where = f" ({key.path})" if key.path else ""
        return (
            f"{checkpoint.describe()} er signeret med nøglen {checkpoint.key}, ikke med den "
            f"angivne offentlige nøgle {key.key_id}{where}: den forkerte nøgle, eller et "
            "kontrolpunkt, denne nøgle ikke har lavet"
        )
    if not key.verifies(_signature_bytes(checkpoint.signature), checkpoint.signed_bytes()):
        return (
            f"{checkpoint.describe()} har en signatur, der ikke holder med nøglen "
            f"{key.key_id}: kontrolpunktet er forfalsket eller redigeret"
        )
    return None


# ------------------------------------------------------------------------------ appending


class Appender:
    """The log, locked for appending: its lines as read under the lock, and the next line."""

    def __init__(self, path: Path, descriptor: int, lines: list[LogLine]) -> None:
        self.path = path
        self.lines = lines
        self._descriptor = descriptor

    @property
    def next_number(self) -> int:
        return len(self.lines) + 1

    @property
    def next_prev(self) -> str:
        return line_hash(self.lines[-1].text) if self.lines else FIRST_PREV

    def append(self, checkpoint: Checkpoint) -> None:
        """Write ``checkpoint`` as the next line and make it durable."""
        if checkpoint.number != self.next_number or checkpoint.prev != self.next_prev:
            raise ValueError("the checkpoint does not follow the log's last line")
        data = (checkpoint.line() + "\n").encode("utf-8")
        try:
            written = os.write(self._descriptor, data)
            if written != len(data):
                raise OSError(0, "the disk took only part of the line")
            os.fsync(self._descriptor)
        except OSError as exc:
            raise CheckpointLogError(
                f"kan ikke skrive til kontrolpunkt-loggen {self.path}: {exc.strerror}"
            ) from exc
        self.lines.append(LogLine(checkpoint, checkpoint.line()))


@contextmanager
def appending(path: Path) -> Iterator[Appender]:
    """The log at ``path`` (made when missing), locked against other writers of this
    machine (``flock``) while the caller reads it and appends."""
    if os.path.lexists(path) and not path.is_file():
        raise CheckpointLogError(f"kontrolpunkt-loggen {path} er ikke en almindelig fil")
    if not path.parent.is_dir():
        raise CheckpointLogError(
            f"kan ikke skrive kontrolpunkt-loggen {path}: mappen {path.parent} findes ikke"
        )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        raise CheckpointLogError(
            f"kan ikke skrive til kontrolpunkt-loggen {path}: {exc.strerror}"
        ) from exc
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield Appender(path, descriptor, read_log(path))
    finally:
        os.close(descriptor)  # releases the lock
