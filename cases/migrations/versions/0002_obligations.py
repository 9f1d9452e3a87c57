"""status obligations, the items linked to them and the reminder outbox

Revision ID: 0002_obligations
Revises: 0001_initial

Generated with alembic autogenerate against a database at 0001_initial, then tidied.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import council.cases.types

revision = "0002_obligations"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "status_obligation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("cadence", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("due_rule", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("lead_days", JSON_DOCUMENT, nullable=False),
        sa.Column("escalate_every_days", sa.Integer(), nullable=True),
        sa.Column("recipients", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.Column("next_check_at", council.cases.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committee.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("status_obligation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_obligation_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_status_obligation_committee_id"), ["committee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_status_obligation_next_check_at"), ["next_check_at"], unique=False
        )

    op.create_table(
        "obligation_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("linked_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["status_obligation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("obligation_id", "item_id", name="uq_obligation_link"),
    )
    with op.batch_alter_table("obligation_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_obligation_link_item_id"), ["item_id"], unique=False)

    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("step_key", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("step_kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("step_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.Column("claim_token", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("claimed_until", council.cases.types.UTCDateTime(), nullable=True),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
        sa.Column("recipients", JSON_DOCUMENT, nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("delivered_to", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("created_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.Column("sent_at", council.cases.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["status_obligation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
        sa.UniqueConstraint(
            "obligation_id", "committee_id", "period_key", "step_key", name="uq_outbox_step"
        ),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_message_status_next_attempt", ["status", "next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_status_next_attempt")

    op.drop_table("outbox_message")
    with op.batch_alter_table("obligation_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_obligation_link_item_id"))

    op.drop_table("obligation_link")
    with op.batch_alter_table("status_obligation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_obligation_next_check_at"))
        batch_op.drop_index(batch_op.f("ix_status_obligation_committee_id"))
        batch_op.drop_index(batch_op.f("ix_status_obligation_case_id"))

    op.drop_table("status_obligation")
