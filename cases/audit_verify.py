"""Verification of the audit trail, and of the records it vouches for.

The chain is walked once, in ``seq`` order, streaming. Every entry must follow the one
before it (no gap, the right previous hash), match its own hash, agree with its columns,
and the last entry must be the one the head row names. While walking, the expected
current shape of every case, item, agenda entry and decision is rebuilt from the bodies;
the tables must then hold exactly that, so a state or a decision text changed behind the
audit's back is caught as well as an edited entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cases.audit import GENESIS_HASH, chain_hash, utc_iso
from cases.models import AgendaEntry, AgendaItem, AuditEntry, AuditHead, Case, Decision

STREAM_BATCH = 5_000


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    head_hash: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Broken(Exception):
    """Raised inside the walk to stop at the first problem."""


@dataclass
class _Expected:
    """What the tables must hold, rebuilt from the audit bodies (fingerprints by id)."""

    cases: dict[int, int] = field(default_factory=dict)
    items: dict[int, tuple[str, int]] = field(default_factory=dict)
    entries: dict[int, int] = field(default_factory=dict)
    decisions: dict[int, int] = field(default_factory=dict)

    def absorb(self, seq: int, body: dict[str, Any]) -> None:
        action, data = body["action"], body["data"]
        if action == "case.created":
            self.cases[body["case_id"]] = _case_print(data["number"], data["title"], data["owner"])
        elif action == "item.drafted":
            self.items[body["item_id"]] = (data["state"], 1)
        elif action == "item.transition":
            item_id = body["item_id"]
            if item_id not in self.items:
                raise _Broken(
                    f"entry {seq}: a transition of item {item_id}, which was never drafted"
                )
            self.items[item_id] = (data["to"], data["version"])
            if "agenda_entry" in data:
                entry = data["agenda_entry"]
                self.entries[entry["id"]] = _entry_print(
                    item_id, entry["meeting_id"], entry["number"]
                )
            if "decision" in data:
                decision = data["decision"]
                self.decisions[decision["id"]] = _decision_print(
                    item_id,
                    data["to"],
                    decision["outcome"],
                    decision["text"],
                    decision["decided_on"],
                )


def _case_print(number: str, title: str, owner: str) -> int:
    return hash((number, title, owner))


def _entry_print(item_id: int, meeting_id: int, number: int) -> int:
    return hash((item_id, meeting_id, number))


def _decision_print(
    item_id: int, to_state: str, outcome: str | None, text: str, decided_on: str | None
) -> int:
    return hash((item_id, to_state, outcome, text, decided_on))


def verify(session: Session) -> VerifyReport:
    """Walk the whole trail; stop at the first entry or record that does not verify."""
    head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    expected = _Expected()
    count, last_hash = 0, GENESIS_HASH
    try:
        count, last_hash = _walk_chain(session, expected)
        if (count, last_hash) != (head.seq, head.hash):
            raise _Broken(
                f"the trail ends at entry {count} but its head records entry {head.seq}: "
                "entries were cut off or the head was altered"
            )
        _compare_records(session, expected)
    except _Broken as broken:
        return VerifyReport(entries=count, head_hash=last_hash, problem=str(broken))
    return VerifyReport(entries=count, head_hash=last_hash)


def _walk_chain(session: Session, expected: _Expected) -> tuple[int, str]:
    rows = session.execute(
        select(
            AuditEntry.seq,
            AuditEntry.recorded_at,
            AuditEntry.actor,
            AuditEntry.action,
            AuditEntry.case_id,
            AuditEntry.item_id,
            AuditEntry.body,
            AuditEntry.prev_hash,
            AuditEntry.hash,
        )
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=STREAM_BATCH)
    )
    previous_seq, previous_hash = 0, GENESIS_HASH
    for row in rows:
        seq = previous_seq + 1
        if row.seq != seq:
            raise _Broken(
                f"entry {seq} is missing: the trail jumps from entry {previous_seq} to {row.seq}"
            )
        if row.prev_hash != previous_hash:
            raise _Broken(
                f"entry {seq} does not follow entry {previous_seq}: previous hash differs "
                "(entries were inserted, removed or reordered)"
            )
        if chain_hash(row.prev_hash, row.body) != row.hash:
            raise _Broken(f"entry {seq} was altered: its content does not match its hash")
        body = json.loads(row.body)
        columns = (seq, utc_iso(row.recorded_at), row.actor, row.action, row.case_id, row.item_id)
        hashed = (
            body["seq"],
            body["at"],
            body["actor"],
            body["action"],
            body["case_id"],
            body["item_id"],
        )
        if columns != hashed or body["prev"] != row.prev_hash:
            raise _Broken(f"entry {seq} was altered: its columns disagree with its hashed body")
        expected.absorb(seq, body)
        previous_seq, previous_hash = seq, row.hash
    return previous_seq, previous_hash


def _compare_records(session: Session, expected: _Expected) -> None:
    _compare(
        "case",
        expected.cases,
        session.execute(select(Case.id, Case.number, Case.title, Case.owner)),
        lambda r: _case_print(r.number, r.title, r.owner),
    )
    items = session.execute(select(AgendaItem.id, AgendaItem.state, AgendaItem.version))
    _compare("agenda item", expected.items, items, lambda r: (r.state, r.version))
    entries = session.execute(
        select(AgendaEntry.id, AgendaEntry.item_id, AgendaEntry.meeting_id, AgendaEntry.number)
    )
    _compare(
        "agenda entry",
        expected.entries,
        entries,
        lambda r: _entry_print(r.item_id, r.meeting_id, r.number),
    )
    decisions = session.execute(
        select(
            Decision.id,
            Decision.item_id,
            Decision.to_state,
            Decision.outcome,
            Decision.text,
            Decision.decided_on,
        )
    )
    _compare(
        "decision",
        expected.decisions,
        decisions,
        lambda r: _decision_print(
            r.item_id,
            r.to_state,
            r.outcome,
            r.text,
            r.decided_on.isoformat() if r.decided_on else None,
        ),
    )


def _compare(
    kind: str, expected: dict[int, Any], rows: Iterable[Any], fingerprint: Callable[[Any], Any]
) -> None:
    unseen = set(expected)
    for row in rows:
        if row.id not in expected:
            raise _Broken(
                f"{kind} {row.id} has no audit entry: it was added behind the audit's back"
            )
        if fingerprint(row) != expected[row.id]:
            raise _Broken(f"{kind} {row.id} differs from its audit trail: it was changed directly")
        unseen.discard(row.id)
    if unseen:
        raise _Broken(f"{kind} {min(unseen)} is in the audit trail but missing from the records")
