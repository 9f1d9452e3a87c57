"""Alembic environment: runs on the connection ``cases.schema`` hands it."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

# importing the modules registers their tables on the metadata: the user accounts, the
# records, the obligations and the outbox, the search index
import council.cases.accounts
import council.cases.models
import council.cases.obligations.tables
import council.cases.search_index

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=council.cases.search_index.in_metadata,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
