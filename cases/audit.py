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
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from cases.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, body: str) -> str:
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    """The next place in the chain, reserved by locking the head row."""

    seq: int
    prev_hash: str


def next_link(session: Session) -> Link:
    """Lock the head for this transaction and return the place of the next entry.

    Records that point at their audit entry (decisions, agenda entries) can be written
    with ``link.seq`` before the entry itself is appended.
    """
    head = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
    ).one()
    return Link(seq=head.seq + 1, prev_hash=head.hash)


def append(
    session: Session,
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
    session.execute(
        insert(AuditEntry).values(
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
    )
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest))


def utc_iso(moment: datetime) -> str:
    """The form timestamps take inside audit bodies."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
