"""the reminders already in the outbox enter the audit trail

Revision ID: 0010_audit_existing_reminders
Revises: 0009_decision_structure

Reminders (outbox rows: steps and digests) are audited from this release on: written
(``reminders.written``), gathered into a digest, rendered and sent. The rows a database
already holds were written before, without entries, so ``audit verify`` would report each
as added behind the audit's back. The upgrade appends ONE entry, ``reminders.adopted``,
holding every such row as it is now (its step, facts, texts, whether it was sent, when and
to whom); from there on the trail vouches for them like any other row.

Only rows no entry names yet are adopted (a row some ``reminders.written`` or earlier
``reminders.adopted`` entry holds is left to it), so the upgrade is safe to run again after
a downgrade. No rows: no entry. The downgrade leaves the entry: the trail is append-only.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from council.cases.audit import canonical_json, chain_hash, utc_iso
from council.cases.types import UTCDateTime

revision = "0010_audit_existing_reminders"
down_revision = "0009_decision_structure"
branch_labels = None
depends_on = None

ACTION = "reminders.adopted"
ACTOR = "databaseopgraderingen"

# The columns of 0009, as this revision reads and writes them (not the models of later ones).
OUTBOX = sa.table(
    "outbox_message",
    sa.column("id", sa.Integer()),
    sa.column("obligation_id", sa.Integer()),
    sa.column("committee_id", sa.Integer()),
    sa.column("period_key", sa.String()),
    sa.column("step_key", sa.String()),
    sa.column("step_kind", sa.String()),
    sa.column("step_at", UTCDateTime()),
    sa.column("message_id", sa.String()),
    sa.column("recipients", sa.JSON()),
    sa.column("facts", sa.Text()),
    sa.column("created_at", UTCDateTime()),
    sa.column("subject", sa.Text()),
    sa.column("body_text", sa.Text()),
    sa.column("body_html", sa.Text()),
    sa.column("status", sa.String()),
    sa.column("sent_at", UTCDateTime()),
    sa.column("delivered_to", sa.String()),
)
ENTRY = sa.table(
    "audit_entry",
    sa.column("seq", sa.Integer()),
    sa.column("recorded_at", UTCDateTime()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("case_id", sa.Integer()),
    sa.column("item_id", sa.Integer()),
    sa.column("body", sa.Text()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)
HEAD = sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash"))
TIMES = ("step_at", "created_at", "sent_at")


def upgrade() -> None:
    connection = op.get_bind()
    known = _ids_in_the_trail(connection)
    images = [
        _image(row._asdict())
        for row in connection.execute(sa.select(OUTBOX).order_by(OUTBOX.c.id))
        if row.id not in known
    ]
    if images:
        _append(connection, {"messages": images}, now=datetime.now(UTC))


def downgrade() -> None:
    """The entry stays: the trail is append-only, and it still says what the rows were."""


def _ids_in_the_trail(connection: sa.Connection) -> set[int]:
    bodies = connection.execute(
        sa.select(ENTRY.c.body).where(ENTRY.c.action.in_(("reminders.written", ACTION)))
    ).scalars()
    return {
        int(message["id"]) for body in bodies for message in json.loads(body)["data"]["messages"]
    }


def _image(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the entry holds it: times in the trail's form, the recipients a list."""
    for name in TIMES:
        if row[name] is not None:
            row[name] = utc_iso(row[name])
    row["recipients"] = list(row["recipients"] or [])
    return row


def _append(connection: sa.Connection, data: dict[str, Any], *, now: datetime) -> None:
    """The entry after the head, as the product appends one (the head moves forward)."""
    seq, prev_hash = connection.execute(
        sa.select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.id == 1)
    ).one()
    seq += 1
    body = canonical_json(
        {
            "seq": seq,
            "at": utc_iso(now),
            "actor": ACTOR,
            "action": ACTION,
            "case_id": None,
            "item_id": None,
            "data": data,
            "prev": prev_hash,
        }
    )
    digest = chain_hash(prev_hash, body)
    connection.execute(
        sa.insert(ENTRY).values(
            seq=seq,
            recorded_at=now,
            actor=ACTOR,
            action=ACTION,
            case_id=None,
            item_id=None,
            body=body,
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    connection.execute(sa.update(HEAD).where(HEAD.c.id == 1).values(seq=seq, hash=digest))
