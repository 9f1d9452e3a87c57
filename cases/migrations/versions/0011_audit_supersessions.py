"""the reminders already superseded enter the audit trail as superseded

Revision ID: 0011_audit_supersessions
Revises: 0010_audit_existing_reminders

A reminder step passed by a later step of its period is never sent: written so by a
sweep after downtime, or marked so by delivery when it claims it. From this release on
both are audited (the written row's image holds its status and the row it points at;
delivery appends ``reminders.superseded``), so a pending reminder marked superseded
behind the product's back, which would silence it, is caught by ``audit verify``. The
rows a database already holds were superseded without saying so in the trail; the
upgrade appends ONE entry, ``reminders.superseded``, naming each such row and the row it
points at, as it is now.

Only rows the trail does not already hold as superseded are named (neither a
``reminders.written`` image written superseded nor a ``reminders.superseded`` entry), so
the upgrade is safe to run again after a downgrade. No rows: no entry. The downgrade
leaves the entry: the trail is append-only.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from council.cases.audit import canonical_json, chain_hash, utc_iso
from council.cases.types import UTCDateTime

revision = "0011_audit_supersessions"
down_revision = "0010_audit_existing_reminders"
branch_labels = None
depends_on = None

ACTION = "reminders.superseded"
ACTOR = "databaseopgraderingen"

# The columns of 0010, as this revision reads and writes them (not the models of later ones).
OUTBOX = sa.table(
    "outbox_message",
    sa.column("id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("superseded_by", sa.Integer()),
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


def upgrade() -> None:
    connection = op.get_bind()
    known = _superseded_in_the_trail(connection)
    superseded = [
        {"id": row_id, "by": by}
        for row_id, by in connection.execute(
            sa.select(OUTBOX.c.id, OUTBOX.c.superseded_by)
            .where(OUTBOX.c.status == "superseded")
            .order_by(OUTBOX.c.id)
        )
        if row_id not in known
    ]
    if superseded:
        _append(connection, {"superseded": superseded}, now=datetime.now(UTC))


def downgrade() -> None:
    """The entry stays: the trail is append-only, and it still says what the rows were."""


def _superseded_in_the_trail(connection: sa.Connection) -> set[int]:
    found: set[int] = set()
    for action, body in connection.execute(
        sa.select(ENTRY.c.action, ENTRY.c.body).where(
            ENTRY.c.action.in_(("reminders.written", ACTION))
        )
    ):
        data = json.loads(body)["data"]
        if action == ACTION:
            found.update(int(passed["id"]) for passed in data["superseded"])
        else:
            found.update(
                int(message["id"])
                for message in data["messages"]
                if message.get("status") == "superseded"
            )
    return found


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
