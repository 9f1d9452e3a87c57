"""initial schema

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import council.cases.types

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("recorded_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_case_id"), ["case_id"], unique=False)

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_table(
        "committee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("administration", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("secretariat_email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("administration", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recommendation", JSON_DOCUMENT, nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("solution", sa.Text(), nullable=False),
        sa.Column("economy", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("signatures", JSON_DOCUMENT, nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", council.cases.types.UTCDateTime(), nullable=False),
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
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_item_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_agenda_item_committee_state", ["committee_id", "state"], unique=False
        )

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("held_at", council.cases.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committee.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("committee_id", "date", name="uq_meeting_committee_date"),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_committee_id"), ["committee_id"], unique=False)

    op.create_table(
        "agenda_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("from_state", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("presented_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_seq"),
        sa.UniqueConstraint("meeting_id", "item_id", name="uq_agenda_entry_item"),
        sa.UniqueConstraint("meeting_id", "number", name="uq_agenda_entry_number"),
    )
    with op.batch_alter_table("agenda_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_entry_item_id"), ["item_id"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "position", name="uq_attachment_position"),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_item_id"), ["item_id"], unique=False)

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("trigger", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("from_state", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("to_state", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recorded_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_seq"),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_meeting_id"), ["meeting_id"], unique=False)

    _create_append_only_guards()
    op.bulk_insert(
        sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash")),
        [{"id": 1, "seq": 0, "hash": "0" * 64}],
    )


APPEND_ONLY_MESSAGE = "the audit trail is append-only"


def _create_append_only_guards() -> None:
    """Refuse UPDATE and DELETE on the audit trail in the database itself."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_decision_item_id"))

    op.drop_table("decision")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_item_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("agenda_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_entry_item_id"))

    op.drop_table("agenda_entry")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_committee_id"))

    op.drop_table("meeting")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_index("ix_agenda_item_committee_state")
        batch_op.drop_index(batch_op.f("ix_agenda_item_case_id"))

    op.drop_table("agenda_item")
    op.drop_table("committee")
    op.drop_table("case_record")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_case_id"))

    op.drop_table("audit_entry")
