"""Searching the records: ``council search`` and the web's search page ask the same question.

A search finds cases and items by their case numbers, titles, sections, decision texts and
attachments (names and the text of their files), with Danish stemming
(:mod:`council.cases.search_text`), ranked, each with a snippet of the text it was found
in. Closed items (lukket punkt) are looked for only for an audience that may see them: for
the public they are left out of the query itself, so neither they nor a snippet of their
text can turn up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from council.cases import search_index, search_queries
from council.cases.db import Database
from council.cases.errors import InvalidInputError
from council.cases.search_index import PartText
from council.cases.search_queries import Hit
from council.cases.search_text import Fragment, SearchQuery, parse_query, snippet
from council.workflow.machine import Rulebook
from council.workflow.visibility import Audience, ShownItem

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
MAX_QUERY_LENGTH = 200

FOUND_IN = {
    search_index.CASE: "sagen",
    search_index.ITEM: "punktet",
    search_index.DECISION: "beslutningen",
    search_index.ATTACHMENT: "bilag",
}
"""Where a hit was found, in Danish (an attachment adds its name)."""


@dataclass(frozen=True)
class SearchHit:
    """A case (``item_id`` None) or an item that the search found, best first."""

    rank: int
    case_number: str
    case_title: str
    item_id: int | None
    committee_code: str | None
    shown: ShownItem | None  # the item as its audience sees it; None for a case
    state: str | None  # the item's state (label)
    found_in: str  # Danish: sagen, punktet, beslutningen, bilag «name»
    snippet: tuple[Fragment, ...]

    @property
    def title(self) -> str:
        return self.shown.marked_title if self.shown else self.case_title

    @property
    def snippet_text(self) -> str:
        return "".join(fragment.text for fragment in self.snippet)

    def as_record(self) -> dict[str, Any]:
        """The hit for machines (``--json``, the web's API)."""
        return {
            "rank": self.rank,
            "kind": "case" if self.item_id is None else "item",
            "case": self.case_number,
            "case_title": self.case_title,
            "item": self.item_id,
            "committee": self.committee_code,
            "title": self.shown.title if self.shown else self.case_title,
            "closed": bool(self.shown and self.shown.marked),
            "state": self.state,
            "found_in": self.found_in,
            "snippet": self.snippet_text,
            "matches": [fragment.text for fragment in self.snippet if fragment.found],
        }


def read_query(text: str) -> SearchQuery:
    """The search text as a query; refused when it is too long or has nothing to look for."""
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInputError(
            f"søgeteksten er {len(text)} tegn lang; angiv højst {MAX_QUERY_LENGTH}"
        )
    query = parse_query(text)
    if query.empty:
        if not text.strip():
            raise InvalidInputError("angiv noget at søge efter, fx flygtningehjælp")
        raise InvalidInputError(
            f"'{text.strip()}' har intet ord at søge på (for almindelige ord, eller kun ord, der "
            "udelades med -); tilføj et ord, der siger, hvad du leder efter"
        )
    return query


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError(f"--limit er 1 til {MAX_LIMIT}, ikke {limit}")
    return limit


def search(
    database: Database,
    rulebook: Rulebook,
    text: str,
    *,
    audience: Audience,
    limit: int = DEFAULT_LIMIT,
) -> list[SearchHit]:
    """The cases and items ``text`` finds, best first, as ``audience`` may see them."""
    query = read_query(text)
    check_limit(limit)
    with database.unit_of_work(write=False) as uow:
        connection = uow.connection()
        hits = search_queries.search(
            connection, query, include_closed=audience.may_see_closed, limit=limit
        )
        cases, items = search_queries.facts_of(connection, hits)
        texts = search_index.texts_of(connection, [(h.kind, h.ref_id) for h in hits])
    found: list[SearchHit] = []
    for hit in hits:
        case = cases.get(hit.case_id)
        item = items.get(hit.item_id) if hit.item_id is not None else None
        if case is None or (hit.item_id is not None and item is None):
            continue  # removed since it was indexed: nothing to show
        shown = audience.item(item) if item is not None else None
        if shown is not None and shown.withheld:
            continue  # never reached: the query left it out
        part = texts.get((hit.kind, hit.ref_id), PartText("", "", ""))
        found.append(
            SearchHit(
                rank=len(found) + 1,
                case_number=case.number,
                case_title=case.title,
                item_id=hit.item_id,
                committee_code=item.committee_code if item else None,
                shown=shown,
                state=rulebook.label(item.state) if item else None,
                found_in=_found_in(hit, part),
                snippet=_snippet(part, query),
            )
        )
    return found


def _found_in(hit: Hit, part: PartText) -> str:
    where = FOUND_IN[hit.kind]
    return f"{where} «{part.title}»" if hit.kind == search_index.ATTACHMENT else where


def _snippet(part: PartText, query: SearchQuery) -> tuple[Fragment, ...]:
    """Of the part's texts, the first (body, title, number) that holds a word the query
    found; else the beginning of its body or title."""
    wanted = query.stems
    candidates = [part.body, part.title, part.ref]
    for candidate in candidates:
        pieces = snippet(candidate, wanted)
        if any(piece.found for piece in pieces):
            return pieces
    return next((snippet(c, wanted) for c in candidates if c.strip()), ())
