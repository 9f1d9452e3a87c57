"""result goals of obligations, superseded and digest reminders, calendar addresses

Revision ID: 0008_result_goals
Revises: 0007_search_and_attachments

- ``result_goal``, ``result_goal_target`` and ``result_goal_value``: an obligation line's
  result goals (resultatmål), each target as agreed and every revision of it, and the
  value a status item reported for a goal in a period. Each is audited.
- ``outbox_message.superseded_by``: a reminder step that a sweep after downtime found
  passed by a later step of the same period is kept with status ``superseded`` and the id
  of the row sent instead. ``obligation_id`` and ``committee_id`` may be empty: a daily
  digest row belongs to a recipient, not to one obligation.
- ``user_account.calendar_token_hash``: the SHA-256 of the secret in the address of a
  user's calendar of deadlines.

Downgrading removes the goals and the digest rows, and makes superseded rows ``sent``
(they will never be sent either way).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import council.cases.types

revision = "0008_result_goals"
down_revision = "0007_search_and_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "result_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("direction", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["obligation_id"], ["status_obligation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("obligation_id", "name", name="uq_result_goal_name"),
    )
    with op.batch_alter_table("result_goal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_result_goal_obligation_id"), ["obligation_id"], unique=False
        )
    op.create_table(
        "result_goal_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recorded_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["result_goal.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("result_goal_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_result_goal_target_goal_id"), ["goal_id"], unique=False
        )
    op.create_table(
        "result_goal_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("approximate", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recorded_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["result_goal.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["agenda_item.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("goal_id", "period_key", "item_id", name="uq_result_goal_value"),
    )
    with op.batch_alter_table("result_goal_value", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_result_goal_value_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_result_goal_value_item_id"), ["item_id"], unique=False)
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))
        batch_op.alter_column("obligation_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("committee_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "calendar_token_hash",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=True,
            )
        )
        batch_op.create_unique_constraint(
            "uq_user_account_calendar_token_hash", ["calendar_token_hash"]
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint("uq_user_account_calendar_token_hash", type_="unique")
        batch_op.drop_column("calendar_token_hash")
    op.execute("DELETE FROM outbox_message WHERE obligation_id IS NULL")
    op.execute("UPDATE outbox_message SET status = 'sent' WHERE status = 'superseded'")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.alter_column("committee_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("obligation_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("superseded_by")
    op.drop_table("result_goal_value")
    op.drop_table("result_goal_target")
    op.drop_table("result_goal")
