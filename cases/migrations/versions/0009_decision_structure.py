"""decisions as councils take them: votes, amendments, remarks, point results, attendance;
decision competence and referral chains; committees' seats, routes and earlier names

Revision ID: 0009_decision_structure
Revises: 0008_result_goals

A decision keeps, beside its outcome and verbatim text, its parts as JSON (NULL for a part
it lacks): ``votes`` (counts and groups for, imod, undlod), ``amendments``, ``remarks``
(protokolbemærkninger), ``point_results`` (at-point by at-point) and ``attendance`` (who
was inhabil or did not take part).

An agenda item names the body competent to decide its matter
(``competent_committee_id``; NULL: its own committee) and, for the item a referral made,
the decision that made it (``referred_from``). A meeting keeps who was absent
(``absent``). A committee keeps its number of seats (``members``), the next body of its
route (``recommends_to``) and the names it had before (``earlier_names``).

Every new column is nullable and empty on an upgraded database: decisions recorded before
keep verifying, as their audit entries hold no parts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_decision_structure"
down_revision = "0008_result_goals"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
DECISION_PARTS = ("votes", "amendments", "remarks", "point_results", "attendance")


# Only columns are added (ALTER TABLE ... ADD COLUMN): SQLite's batch mode would otherwise
# copy a table and drop the old one, which its foreign keys refuse for a committee, meeting or
# item that other rows point at. For that reason too ``competent_committee_id`` and
# ``referred_from`` are plain integers, checked by the acts that write them.
NEW_COLUMNS = {
    "decision": [sa.Column(name, JSON_DOCUMENT, nullable=True) for name in DECISION_PARTS],
    "agenda_item": [
        sa.Column("competent_committee_id", sa.Integer(), nullable=True),
        sa.Column("referred_from", sa.Integer(), nullable=True),
    ],
    "meeting": [sa.Column("absent", JSON_DOCUMENT, nullable=True)],
    "committee": [
        sa.Column("members", sa.Integer(), nullable=True),
        sa.Column("recommends_to", sa.String(length=16), nullable=True),
        sa.Column("earlier_names", JSON_DOCUMENT, nullable=True),
    ],
}


def upgrade() -> None:
    for table, columns in NEW_COLUMNS.items():
        for column in columns:
            op.add_column(table, column)
    op.create_index("ix_agenda_item_referred_from", "agenda_item", ["referred_from"])


def downgrade() -> None:
    op.drop_index("ix_agenda_item_referred_from", table_name="agenda_item")
    for table, columns in reversed(NEW_COLUMNS.items()):
        for column in reversed(columns):
            # SQLite drops a column in place (3.35 and later), without copying the table
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column.name}"')
