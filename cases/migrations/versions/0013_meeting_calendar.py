"""meetings cancelled and moved: when a meeting was cancelled, how often it changed

Revision ID: 0013_meeting_calendar
Revises: 0012_corrections

A meeting keeps when it was cancelled (``cancelled_at``; NULL: it was not, or it was
reopened) and how often its date, time or status changed (``sequence``, a calendar's
SEQUENCE; NULL for a meeting that never changed, as every meeting of an upgraded database). Both are audited: the entries
that change them (``meeting.rescheduled``, ``meeting.cancelled``, ``meeting.reopened``)
hold their new values, and a meeting created before holds neither.

The audit trail gets an index on ``action``: a meeting's page lists the changes made to
it, which are found among the trail's entries by their action.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from council.cases.types import UTCDateTime

revision = "0013_meeting_calendar"
down_revision = "0012_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN only: SQLite's batch mode would copy the meeting table, which the foreign
    # keys of agenda entries and decisions refuse to let it drop.
    op.add_column("meeting", sa.Column("cancelled_at", UTCDateTime(), nullable=True))
    op.add_column("meeting", sa.Column("sequence", sa.Integer(), nullable=True))
    op.create_index("ix_audit_entry_action", "audit_entry", ["action"])


def downgrade() -> None:
    op.drop_index("ix_audit_entry_action", table_name="audit_entry")
    for name in ("sequence", "cancelled_at"):
        op.execute(f'ALTER TABLE "meeting" DROP COLUMN "{name}"')
