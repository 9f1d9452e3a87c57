"""A case as the faces show it: its items (``case show``), its page (the case's history as
a document), and finding cases and items by what they are called."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from council.cases import case_records, items, referral_chain
from council.cases.db import Database
from council.cases.models import Case
from council.workflow.machine import Rulebook
from council.workflow.visibility import Audience, ShownItem

if TYPE_CHECKING:  # the documents (and Jinja2) load only for the pages that show them
    from council.notifications import documents


@dataclass(frozen=True)
class CaseItemLine:
    """One of a case's items: ``kind`` and ``state`` (its label) are None when withheld."""

    item_id: int
    committee_code: str
    shown: ShownItem
    kind: str | None
    state: str | None
    version: int


@dataclass(frozen=True)
class ChainLine:
    """One body's decision on the case, in recorded order: ``outcome`` (a label) and
    ``onward`` (where it sent the case) are None when its item is withheld."""

    item_id: int
    committee_code: str
    on: date | None
    outcome: str | None
    onward: str | None


@dataclass(frozen=True)
class CaseView:
    number: str
    title: str
    owner: str
    items: tuple[CaseItemLine, ...]
    chain: tuple[ChainLine, ...] = ()  # every decision, body by body


def case_view(
    database: Database, rulebook: Rulebook, *, number: str, audience: Audience
) -> CaseView:
    """A case and its agenda items."""
    with database.reading() as session:
        case = case_records.by_number(session, number)
        assert case.id is not None
        found = items.of_case(session, case.id)
        steps = referral_chain.chain(session, case.id)
    chain = tuple(_chain_line(step, rulebook, audience) for step in steps)
    lines = []
    for item, code in found:
        assert item.id is not None
        shown = audience.item(item)
        lines.append(
            CaseItemLine(
                item_id=item.id,
                committee_code=code,
                shown=shown,
                kind=shown.reveal(item.kind),
                state=shown.reveal(rulebook.label(item.state)),
                version=item.version,
            )
        )
    return CaseView(
        number=case.number, title=case.title, owner=case.owner, items=tuple(lines), chain=chain
    )


def _chain_line(
    step: referral_chain.ChainStep, rulebook: Rulebook, audience: Audience
) -> ChainLine:
    shown = audience.item(step)
    outcome = rulebook.label(step.outcome) if step.outcome else "uklassificeret"
    onward = None
    if step.follow_on is not None:
        onward = f"{step.follow_on[1]} (punkt-id {step.follow_on[0]})"
    elif step.referred_to:
        onward = " og ".join(step.referred_to)
    return ChainLine(
        item_id=step.item_id,
        committee_code=step.committee_code,
        on=step.on,
        outcome=shown.reveal(outcome),
        onward=shown.reveal(onward),
    )


def case_page(
    database: Database, rulebook: Rulebook, number: str, *, audience: Audience
) -> documents.HistoryDocument:
    """The case's page: every item with its decisions, then every recorded act."""
    from council.notifications import documents

    with database.reading() as session:
        return documents.history_document(
            session, case_number=number, definition=rulebook.definition, audience=audience
        )


def find_cases(database: Database, text: str = "", *, limit: int = 100) -> list[Case]:
    """Cases whose number or title contains ``text`` (every case when empty), newest first."""
    with database.reading() as session:
        return case_records.search(session, text=text, limit=limit)
