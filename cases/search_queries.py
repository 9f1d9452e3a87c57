"""Searching the index: the ranked query that finds the best part of each item and case,
and the cases and items the hits belong to. What is indexed, and how, is
:mod:`council.cases.search_index`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, select, text
from sqlmodel import col

from council.cases.models import AgendaItem, Case, Committee
from council.cases.prepared import Prepared
from council.cases.search_index import FTS_TABLE
from council.cases.search_text import SearchQuery


class Hit(NamedTuple):
    """The best-ranked part of one item (or of a case, for its own part): ``item_id`` is
    None for a case's part."""

    kind: str
    ref_id: int
    case_id: int
    item_id: int | None
    closed: bool


_SQLITE_SEARCH = {
    closed: Prepared(
        text(
            "SELECT e.kind, e.ref_id, e.case_id, e.item_id, e.closed, min(f.rank) AS score "
            f"FROM {FTS_TABLE} f JOIN search_entry e ON e.id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH :query{'' if closed else ' AND e.closed = 0'} "
            "GROUP BY e.case_id, e.item_id ORDER BY score, e.case_id, coalesce(e.item_id, 0) "
            "LIMIT :limit"
        )
    )
    for closed in (True, False)
}
_POSTGRES_SEARCH = {
    closed: Prepared(
        text(
            "WITH best AS (SELECT DISTINCT ON (e.case_id, e.item_id) e.kind, e.ref_id, "
            "e.case_id, e.item_id, e.closed, ts_rank(e.tsv, q.query, 1) AS score "
            "FROM search_entry e, websearch_to_tsquery('danish', :query) AS q(query) "
            f"WHERE e.tsv @@ q.query{'' if closed else ' AND NOT e.closed'} "
            "ORDER BY e.case_id, e.item_id, score DESC) "
            "SELECT kind, ref_id, case_id, item_id, closed, score FROM best "
            "ORDER BY score DESC, case_id, coalesce(item_id, 0) LIMIT :limit"
        )
    )
    for closed in (True, False)
}


def search(
    connection: Connection, query: SearchQuery, *, include_closed: bool, limit: int
) -> list[Hit]:
    """The best ``limit`` items and cases for ``query``, best first, each by its best part;
    a closed item's parts only when ``include_closed``."""
    if query.empty or limit < 1:
        return []
    if connection.dialect.name == "sqlite":
        statement, wording = _SQLITE_SEARCH[include_closed], query.fts5()
    else:
        statement, wording = _POSTGRES_SEARCH[include_closed], query.websearch()
    rows = statement.rows(connection, query=wording, limit=limit)
    return [
        Hit(kind, ref_id, case_id, item_id, bool(closed))
        for kind, ref_id, case_id, item_id, closed, _ in rows
    ]


class ItemFacts(NamedTuple):
    id: int
    title: str
    closed: bool
    state: str
    committee_code: str


class CaseFacts(NamedTuple):
    id: int
    number: str
    title: str


_CASE_FACTS = select(col(Case.id), col(Case.number), col(Case.title)).where(
    col(Case.id).in_(bindparam("ids", expanding=True))
)
_ITEM_FACTS = (
    select(
        col(AgendaItem.id),
        col(AgendaItem.title),
        col(AgendaItem.closed),
        col(AgendaItem.state),
        col(Committee.code),
    )
    .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
    .where(col(AgendaItem.id).in_(bindparam("ids", expanding=True)))
)


def facts_of(
    connection: Connection, hits: Sequence[Hit]
) -> tuple[dict[int, CaseFacts], dict[int, ItemFacts]]:
    """The cases and items the hits belong to."""
    case_ids = sorted({hit.case_id for hit in hits})
    item_ids = sorted({hit.item_id for hit in hits if hit.item_id is not None})
    cases: dict[int, CaseFacts] = {}
    if case_ids:
        for row in connection.execute(_CASE_FACTS, {"ids": case_ids}):
            case = CaseFacts._make(row)
            cases[case.id] = case
    found: dict[int, ItemFacts] = {}
    if item_ids:
        for item_row in connection.execute(_ITEM_FACTS, {"ids": item_ids}):
            item = ItemFacts._make(item_row)
            found[item.id] = item
    return cases, found
