"""a bilag taken off its item keeps its row: when it was taken off

Revision ID: 0014_attachments_removed
Revises: 0013_meeting_calendar

An item's bilag can be taken off it by an edit (``item.corrected``, whose body names the
positions it took off). Nothing is deleted: the row stays, with the time it was taken off
(``removed_at``; NULL for every bilag still on its item, as all are in an upgraded
database), so the trail keeps the file's facts and ``audit verify`` still checks the file.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from council.cases.types import UTCDateTime

revision = "0014_attachments_removed"
down_revision = "0013_meeting_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN only: SQLite's batch mode would copy the table, as 0013 explains.
    op.add_column("attachment", sa.Column("removed_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.execute('ALTER TABLE "attachment" DROP COLUMN "removed_at"')
