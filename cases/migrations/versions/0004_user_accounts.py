"""user accounts of the web application

Revision ID: 0004_user_accounts
Revises: 0003_outbox_facts

One row per person who may log in: name, role, committees, the Argon2 hash of the password,
whether the account is disabled, the epoch every session cookie carries, and the login
throttle (failed attempts in a row, and until when further attempts are refused).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import council.cases.types

revision = "0004_user_accounts"
down_revision = "0003_outbox_facts"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("committees", JSON_DOCUMENT, nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("throttled_until", council.cases.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", council.cases.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("user_account")
