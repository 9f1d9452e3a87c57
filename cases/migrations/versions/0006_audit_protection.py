"""the audit trail protected in the database itself, and an identity for signed checkpoints

Revision ID: 0006_audit_protection
Revises: 0005_import_referrals

``audit_head.database_id`` is a random id made here, once per database (a backup or a
restored copy keeps it): every signed checkpoint of the trail carries it, so a checkpoint
made for another database is reported as such instead of as a rewritten trail.

What the database refuses from now on, whoever asks (the triggers of 0001 already refuse
UPDATE and DELETE of audit entries):

- ``TRUNCATE audit_entry`` and ``TRUNCATE audit_head`` (PostgreSQL; row triggers do not see
  a TRUNCATE, and SQLite has none);
- deleting the head row, moving the head back (a trail cut short and its head rewound to
  match), and changing the database id.

On PostgreSQL an owner can still disable triggers; ``council db grants ROLE`` prints the
GRANTs that leave the application's role unable to: it may only SELECT and INSERT audit
entries and move the head forward (see the README's section for auditors).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_audit_protection"
down_revision = "0005_import_referrals"
branch_labels = None
depends_on = None

HEAD_MESSAGE = "the audit head only moves forward"


def upgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(
            sa.Column("database_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
    op.execute(sa.text("UPDATE audit_head SET database_id = :id").bindparams(id=uuid.uuid4().hex))
    with op.batch_alter_table("audit_head") as batch:
        batch.alter_column(
            "database_id",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=32),
            nullable=False,
        )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
            f"BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head "
            "WHEN NEW.seq <= OLD.seq OR NEW.id IS NOT OLD.id "
            "OR NEW.database_id IS NOT OLD.database_id "
            f"BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            f"IF TG_OP <> 'UPDATE' THEN RAISE EXCEPTION '{HEAD_MESSAGE}'; END IF; "
            "IF NEW.seq <= OLD.seq OR NEW.id IS DISTINCT FROM OLD.id "
            "OR NEW.database_id IS DISTINCT FROM OLD.database_id "
            f"THEN RAISE EXCEPTION '{HEAD_MESSAGE}'; END IF; "
            "RETURN NEW; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head "
            "FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_head_forward_only")
        op.execute("DROP TRIGGER IF EXISTS audit_head_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
        op.execute("DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head")
        op.execute("DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_head")
        op.execute("DROP FUNCTION IF EXISTS audit_head_forward_only()")
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("database_id")
