"""Rebuilding the search index from the records (``council search --reindex``).

The index is kept in step with every write by the stores themselves; rebuilding it is
for a database whose index was lost or damaged, or after the way words are indexed has
changed. It changes no record and needs no audit entry: the index is derived from them.
"""

from __future__ import annotations

from council.cases import search_index
from council.cases.db import UnitOfWork


def reindex(uow: UnitOfWork) -> int:
    """Build the search index again in one transaction; returns how many parts it holds."""
    with uow:
        count = search_index.rebuild(uow.connection())
        uow.commit()
    return count
