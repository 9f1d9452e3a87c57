"""a search index in step with the records; attachments as files

Revision ID: 0007_search_and_attachments
Revises: 0006_audit_protection

``search_entry`` holds one row per searchable part (a case, an item, a decision, an
attachment) with the case and item it belongs to and whether that item is closed. On
SQLite its words are in the FTS5 table ``search_fts`` (rowid = ``search_entry.id``, Danish
stems, ranked by bm25 with the columns weighted 10, 5 and 1); on PostgreSQL in the column
``tsv`` (``to_tsvector('danish', ...)``, weighted A, B and D) under a GIN index. The index
is built from the records at the end of the upgrade.

An attachment (bilag) may now be a file: its name, size, media type, SHA-256 (the file's
name in the attachment store) and the text extracted from it for search.

Parallel branches are adding 0006-0008; this revision follows 0005 until they are merged.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_search_and_attachments"
down_revision = "0006_audit_protection"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from council.cases import search_index

    with op.batch_alter_table("attachment") as batch:
        batch.add_column(
            sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch.add_column(sa.Column("size", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch.add_column(
            sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))
        batch.create_index("ix_attachment_sha256", ["sha256"])
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column(
            "tsv", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "ref_id", name="uq_search_entry_part"),
    )
    op.create_index("ix_search_entry_item_id", "search_entry", ["item_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE {search_index.FTS_TABLE} USING fts5("
            "ref, title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        op.execute(
            f"INSERT INTO {search_index.FTS_TABLE} ({search_index.FTS_TABLE}, rank) "
            "VALUES ('rank', 'bm25(10.0, 5.0, 1.0)')"
        )
    else:
        op.create_index(search_index.TSV_INDEX, "search_entry", ["tsv"], postgresql_using="gin")
    # the schema of this release has no bilag taken off an item (that came with 0014)
    search_index.rebuild(
        op.get_bind(), search_index.every_part(op.get_bind(), bilag_removable=False)
    )


def downgrade() -> None:
    from council.cases import search_index

    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE {search_index.FTS_TABLE}")
    else:
        op.drop_index(search_index.TSV_INDEX, table_name="search_entry")
    op.drop_index("ix_search_entry_item_id", table_name="search_entry")
    op.drop_table("search_entry")
    with op.batch_alter_table("attachment") as batch:
        batch.drop_index("ix_attachment_sha256")
        batch.drop_column("text")
        batch.drop_column("sha256")
        batch.drop_column("media_type")
        batch.drop_column("size")
        batch.drop_column("file_name")
