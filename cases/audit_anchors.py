"""Whether the audit trail still extends what was written down about it outside the database.

A checkpoint (``cases.checkpoint_log``) or a head someone noted says: this database's trail
had N entries, the last with hash H. The trail still extends it when its entry N has hash H
and the chain verifies from there: a trail rewritten with recomputed hashes, cut short with
its head moved back, or wiped and started again is internally consistent, and only this
comparison catches it. The entries are looked up by ``seq`` (a few point reads); whether the
chain verifies is ``cases.audit_verify``'s walk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from council.cases.audit import GENESIS_HASH, chain_hash
from council.cases.checkpoint_log import Checkpoint
from council.cases.models import AuditEntry, AuditHead

LOOKUP_BATCH = 500


@dataclass(frozen=True)
class TrailHead:
    """The database's identity and where its trail ends, as its head row says."""

    database_id: str
    entries: int
    hash: str


def trail_head(session: Session) -> TrailHead:
    database_id, seq, digest = session.execute(
        select(AuditHead.database_id, AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
    ).one()
    return TrailHead(database_id, seq, digest)


@dataclass(frozen=True)
class _Stored:
    prev_hash: str
    body: str
    hash: str


def _stored(session: Session, seqs: Iterable[int]) -> dict[int, _Stored]:
    wanted = sorted({seq for seq in seqs if seq > 0})
    found: dict[int, _Stored] = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        batch = wanted[start : start + LOOKUP_BATCH]
        rows = session.execute(
            select(AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.body, AuditEntry.hash).where(
                AuditEntry.seq.in_(batch)
            )
        )
        for seq, prev_hash, body, digest in rows:
            found[seq] = _Stored(prev_hash, body, digest)
    return found


def first_not_held(
    session: Session, checkpoints: Sequence[Checkpoint], head: TrailHead
) -> tuple[Checkpoint, str] | None:
    """The first of ``checkpoints`` the trail no longer extends, with why; None when the
    trail extends them all (each entry as signed, the chain from it is the walk's part)."""
    stored = _stored(session, (c.entries for c in checkpoints if c.database == head.database_id))
    for checkpoint in checkpoints:
        problem = _why_not_held(checkpoint, head, stored.get(checkpoint.entries))
        if problem is not None:
            return checkpoint, f"{checkpoint.describe()} no longer holds: {problem}"
    return None


def _why_not_held(checkpoint: Checkpoint, head: TrailHead, row: _Stored | None) -> str | None:
    if checkpoint.database != head.database_id:
        return (
            f"it was made for another database ({checkpoint.database}; this one is "
            f"{head.database_id}): the log of another database, or this database was replaced"
        )
    if checkpoint.entries > head.entries:
        return (
            f"the trail now ends at entry {head.entries}: entries were cut off, or the trail "
            "was wiped and started again"
        )
    if checkpoint.entries == 0:
        return None if checkpoint.head == GENESIS_HASH else "it names a head for no entries"
    if row is None:
        return f"entry {checkpoint.entries} is missing from the trail"
    if row.hash != checkpoint.head:
        return (
            f"entry {checkpoint.entries} now has hash {row.hash[:16]}…, not the signed "
            f"{checkpoint.head[:16]}…: the trail was rewritten"
        )
    if chain_hash(row.prev_hash, row.body) != row.hash:
        return f"entry {checkpoint.entries} was altered: its content does not match its hash"
    return None


def entry_with_hash(session: Session, prefix: str) -> int | None:
    """The entry whose hash starts with ``prefix`` (lower-case hex), or None."""
    found = session.execute(
        select(AuditEntry.seq)
        .where(AuditEntry.hash.startswith(prefix, autoescape=True))
        .order_by(AuditEntry.seq)
        .limit(1)
    ).scalar()
    return int(found) if found is not None else None
