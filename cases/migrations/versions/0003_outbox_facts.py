"""the outbox keeps a reminder's facts; its text is rendered when it is first delivered

Revision ID: 0003_outbox_facts
Revises: 0002_obligations

A new row holds ``facts`` (a JSON snapshot of what the reminder says) and gets its
subject and bodies when delivery first claims it, so those columns may be empty until
then. Rows already in the outbox keep their text and have no facts; delivery sends them
as before. Downgrading needs every row rendered (deliver the outbox first).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_outbox_facts"
down_revision = "0002_obligations"
branch_labels = None
depends_on = None

TEXTS = ("subject", "body_text", "body_html")


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("facts", sa.Text(), nullable=True))
        for name in TEXTS:
            batch_op.alter_column(name, existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    unrendered = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT count(*) FROM outbox_message "
                "WHERE subject IS NULL OR body_text IS NULL OR body_html IS NULL"
            )
        )
        .scalar()
    )
    if unrendered:
        raise RuntimeError(
            f"{unrendered} outbox message(s) are not rendered yet; run 'council reminders run' "
            "to deliver them before downgrading"
        )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        for name in TEXTS:
            batch_op.alter_column(name, existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("facts")
