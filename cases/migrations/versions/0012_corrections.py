"""corrections that leave a trail: approved minutes, corrected decisions and items

Revision ID: 0012_corrections
Revises: 0011_audit_supersessions

A meeting keeps the day its minutes were approved (``minutes_approved_on``; NULL: not
yet). A correction of a recorded decision (its outcome and wording) or of an item after its
final decision (title, texts, kind, closed flag) is a row of ``correction``, kept beside
what it corrects: what it was, what it became, why, who and when, and whether the minutes
had been approved with the text before. Nothing already in a database changes: the new
column is empty and the new table has no rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from council.cases.types import UTCDateTime

revision = "0012_corrections"
down_revision = "0011_audit_supersessions"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # a column only (ALTER TABLE ... ADD COLUMN): SQLite's batch mode would copy the table
    op.add_column("meeting", sa.Column("minutes_approved_on", sa.Date(), nullable=True))
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("agenda_item.id"), nullable=False),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decision.id"), nullable=True),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("after_approval", sa.Boolean(), nullable=False),
        sa.Column("before", JSON_DOCUMENT, nullable=False),
        sa.Column("after", JSON_DOCUMENT, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("corrected_at", UTCDateTime(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False, unique=True),
    )
    op.create_index("ix_correction_item_id", "correction", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_correction_item_id", table_name="correction")
    op.drop_table("correction")
    op.execute('ALTER TABLE "meeting" DROP COLUMN "minutes_approved_on"')
