"""The append-only, hash-chained audit trail.

Each entry's body is canonical JSON (sorted keys, compact separators, UTF-8) and its hash
is ``sha256(prev_hash + body)``, so an entry cannot be edited, removed, inserted or moved
without breaking the chain. The ``audit_head`` row holds the last link: appending locks it
(``SELECT ... FOR UPDATE``), so concurrent writers append one after another and the chain
cannot fork, and a trail whose last entries were cut off no longer reaches the head.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import NoResultFound
from sqlmodel import Session, col

from council.cases.db import UnitOfWork, connection_for
from council.cases.models import AuditEntry, AuditHead
from council.cases.prepared import Prepared

GENESIS_HASH = "0" * 64
ENTRY_COLUMNS = (
    "seq",
    "recorded_at",
    "actor",
    "action",
    "case_id",
    "item_id",
    "body",
    "prev_hash",
    "hash",
)
_LOCK_HEAD = Prepared(
    select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1).with_for_update()
)
_INSERT_ENTRY = Prepared(insert(AuditEntry), column_keys=ENTRY_COLUMNS)
_MOVE_HEAD = Prepared(update(AuditHead).where(col(AuditHead.id) == 1), column_keys=("seq", "hash"))


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
"""Made once: ``json.dumps`` with these options builds a new encoder on every call."""


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


def chain_hash(prev_hash: str, body: str) -> str:
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    """The next place in the chain, reserved by locking the head row."""

    seq: int
    prev_hash: str


_HELD = "council_audit_held_head"
"""Key in the connection's ``info`` of the head a :func:`held_head` block has moved to,
not yet written (None before its first entry)."""


def next_link(session: UnitOfWork | Session | Connection) -> Link:
    """Lock the head for this transaction and return the place of the next entry.

    Records that point at their audit entry (decisions, agenda entries) can be written
    with ``link.seq`` before the entry itself is appended. ``session`` is the unit of
    work's session or its connection (the same transaction either way).
    """
    connection = connection_for(session)
    held = connection.info.get(_HELD)
    if held is not None:
        return Link(seq=held[0] + 1, prev_hash=held[1])
    head = _LOCK_HEAD.first(connection)
    if head is None:
        raise NoResultFound("No row was found when one was required")
    seq, digest = head
    return Link(seq=seq + 1, prev_hash=digest)


@contextmanager
def held_head(session: UnitOfWork | Session | Connection) -> Iterator[None]:
    """Append many entries in one transaction and move the head once, at the end.

    Inside the block the head row is locked and read at the first entry, as always; each
    entry then takes its place from the one before instead of reading the head again, and
    the head is written once, to the last entry, when the block ends without an error
    (before the caller commits). An error leaves the head unwritten: the caller's
    transaction, which rolls back, holds the entries too.
    """
    connection = connection_for(session)
    if _HELD in connection.info:
        raise RuntimeError("the audit head is already held on this connection")
    connection.info[_HELD] = None
    try:
        yield
        held = connection.info.get(_HELD)
        if held is not None:
            _MOVE_HEAD.run(connection, seq=held[0], hash=held[1])
    finally:
        connection.info.pop(_HELD, None)


def append(
    session: UnitOfWork | Session | Connection,
    link: Link,
    *,
    action: str,
    actor: str,
    now: datetime,
    data: dict[str, Any],
    case_id: int | None = None,
    item_id: int | None = None,
) -> None:
    """Add the entry at ``link`` (from :func:`next_link`) in the caller's transaction."""
    if now.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    seq, prev_hash = link.seq, link.prev_hash
    body = canonical_json(
        {
            "seq": seq,
            "at": utc_iso(now),
            "actor": actor,
            "action": action,
            "case_id": case_id,
            "item_id": item_id,
            "data": data,
            "prev": prev_hash,
        }
    )
    digest = chain_hash(prev_hash, body)
    connection = connection_for(session)
    _INSERT_ENTRY.run(
        connection,
        seq=seq,
        recorded_at=now,
        actor=actor,
        action=action,
        case_id=case_id,
        item_id=item_id,
        body=body,
        prev_hash=prev_hash,
        hash=digest,
    )
    if _HELD in connection.info:
        connection.info[_HELD] = (seq, digest)
    else:
        _MOVE_HEAD.run(connection, seq=seq, hash=digest)


class PendingEntry(NamedTuple):
    """An entry not yet chained: what :func:`append` takes besides its link."""

    action: str
    actor: str
    now: datetime
    data: dict[str, Any]
    case_id: int | None = None
    item_id: int | None = None


def append_many(
    session: UnitOfWork | Session | Connection, first: Link, entries: Sequence[PendingEntry]
) -> None:
    """Add ``entries`` at ``first`` and the places after it, chained in one pass and
    written in one ``executemany``: the same bodies and hashes as :func:`append` called
    once per entry. ``first`` is the place :func:`next_link` gives (records pointing at
    these entries were written with the seqs that follow it)."""
    if not entries:
        return
    connection = connection_for(session)
    seq, prev_hash = first.seq, first.prev_hash
    rows = []
    for entry in entries:
        if entry.now.tzinfo is None:
            raise ValueError("audit timestamps must be timezone-aware")
        body = canonical_json(
            {
                "seq": seq,
                "at": utc_iso(entry.now),
                "actor": entry.actor,
                "action": entry.action,
                "case_id": entry.case_id,
                "item_id": entry.item_id,
                "data": entry.data,
                "prev": prev_hash,
            }
        )
        digest = chain_hash(prev_hash, body)
        rows.append(
            {
                "seq": seq,
                "recorded_at": entry.now,
                "actor": entry.actor,
                "action": entry.action,
                "case_id": entry.case_id,
                "item_id": entry.item_id,
                "body": body,
                "prev_hash": prev_hash,
                "hash": digest,
            }
        )
        seq, prev_hash = seq + 1, digest
    _INSERT_ENTRY.many(connection, rows)
    if _HELD in connection.info:
        connection.info[_HELD] = (seq - 1, prev_hash)
    else:
        _MOVE_HEAD.run(connection, seq=seq - 1, hash=prev_hash)


def utc_iso(moment: datetime) -> str:
    """The form timestamps take inside audit bodies."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def record(
    uow: UnitOfWork,
    *,
    action: str,
    actor: str,
    now: datetime,
    data: dict[str, Any],
    case_id: int | None = None,
    item_id: int | None = None,
) -> Link:
    """Append an entry for a change already written in the unit's transaction (whose rows
    need not point at it); returns the link it took."""
    link = next_link(uow)
    append(
        uow, link, action=action, actor=actor, now=now, data=data, case_id=case_id, item_id=item_id
    )
    return link
