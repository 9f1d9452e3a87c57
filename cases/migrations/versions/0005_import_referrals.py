"""imported decisions keep the bodies they refer a case to; agenda numbers may be unknown

Revision ID: 0005_import_referrals
Revises: 0004_user_accounts

A published decision that sends the case on ("Indstilles til godkendelse" when the municipal
council decides, "oversendt til Økonomiudvalget og Borgerrepræsentationen") records the
receiving bodies as written, in ``decision.referred_to`` (a JSON list; NULL for none).

An imported treatment whose source does not print the item's agenda number there (an earlier
committee's decision reprinted in the history) is put on that meeting's agenda without a
number, instead of one made up: ``agenda_entry.number`` becomes nullable. The unique
(meeting, number) constraint still holds for every number given.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_import_referrals"
down_revision = "0004_user_accounts"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.add_column(sa.Column("referred_to", JSON_DOCUMENT, nullable=True))
    with op.batch_alter_table("agenda_entry") as batch:
        batch.alter_column("number", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("agenda_entry") as batch:
        batch.alter_column("number", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("decision") as batch:
        batch.drop_column("referred_to")
