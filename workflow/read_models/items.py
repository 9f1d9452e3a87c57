"""An agenda item as the faces show it: in full (``item show``), as its page (the item in
the Copenhagen layout, and for the secretariat the meeting it awaits a decision at and
those it may be put before), and what was recorded on it since a version was read.

Withheld from its audience, a closed item keeps its number, committee and version and shows
"Lukket punkt" for its title; its case number, kind, state, sections and decisions are
left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from council.cases import attachments as attachment_store
from council.cases import case_history, case_records, committees, corrections, items, meetings
from council.cases import item_texts as item_text_store
from council.cases.attachments import AttachmentLine
from council.cases.case_history import HistoryRow
from council.cases.db import Database
from council.cases.item_texts import Heading, Sections
from council.cases.models import AgendaItem, Committee, Meeting
from council.workflow.machine import Rulebook
from council.workflow.visibility import Audience, ShownItem

if TYPE_CHECKING:  # the documents (and Jinja2) load only for the pages that show them
    from council.notifications import documents

SECTION_HEADINGS = (
    ("Problemstilling", "problem"),
    ("Løsning", "solution"),
    ("Økonomi", "economy"),
    ("Videre proces", "next_steps"),
)


@dataclass(frozen=True)
class DecisionLine:
    """A decision on an item: its date (the meeting's, else the decision's), the state it
    moved the item to (label), who recorded it and when, and its verbatim text."""

    on: date | None
    state: str
    actor: str
    recorded_at: datetime
    text: str
    committee_name: str = ""  # the committee's name on that day
    referred_to: tuple[str, ...] = ()  # the bodies it sent the case on to, as written
    follow_on: tuple[int, str] | None = None  # the item it made for the next body, its code
    withdrawn: bool = False  # the item was withdrawn: "Punktet blev trukket: <grund>"
    notes: tuple[str, ...] = ()  # "Rettet den ...: ...", one per correction of it


@dataclass(frozen=True)
class ItemDetail:
    """One item in full, or (withheld) its number, committee and version only."""

    item_id: int
    case_number: str | None
    committee_code: str
    committee_name: str
    shown: ShownItem
    kind: str | None
    state: str | None
    version: int
    summary: str = ""
    administration: str = ""
    points: tuple[str, ...] = ()
    sections: tuple[tuple[str, str], ...] = ()  # (heading, text) of the non-empty ones
    signatures: tuple[str, ...] = ()
    attachments: tuple[AttachmentLine, ...] = ()
    decisions: tuple[DecisionLine, ...] = ()
    competent: str | None = None  # "Borgerrepræsentationen (BR)": who decides, when not it
    referred_from: tuple[int, str] | None = None  # the item whose referral made it, its code
    notes: tuple[str, ...] = ()  # "Rettet den ...: ..." of the item's corrections after the
    # final decision (its title, texts, bilag), as the minutes print them under it


def item_detail(
    database: Database, rulebook: Rulebook, *, item_id: int, audience: Audience
) -> ItemDetail:
    """An item: its content, state and decisions, with the notes of their corrections."""
    from council.notifications import correction_text  # its dates load the templates' module

    with database.reading() as session:
        item = items.by_id(session, item_id)
        committee = committees.by_id(session, item.committee_id)
        case = case_records.by_id(session, item.case_id)
        attachments = attachment_store.of_item(session, item_id)
        decisions = items.decisions_of(session, item_id)
        corrected = corrections.of_item(session, item_id)
        follow_ons = items.referred_by(session, [d.id for d, _ in decisions])
        competent = (
            committees.by_id(session, item.competent_committee_id)
            if item.competent_committee_id is not None
            else None
        )
        referred_from = (
            items.referring_item(session, item.referred_from) if item.referred_from else None
        )
    assert item.id is not None
    shown = audience.item(item)
    detail = ItemDetail(
        item_id=item.id,
        case_number=shown.reveal(case.number),
        committee_code=committee.code,
        committee_name=committee.name,
        shown=shown,
        kind=shown.reveal(item.kind),
        state=shown.reveal(rulebook.label(item.state)),
        version=item.version,
    )
    if shown.withheld:
        return detail
    sections = ((heading, getattr(item, name)) for heading, name in SECTION_HEADINGS)
    return replace(
        detail,
        summary=item.summary,
        administration=item.administration,
        points=tuple(item.recommendation),
        sections=tuple((heading, text) for heading, text in sections if text),
        signatures=tuple(item.signatures),
        attachments=tuple(attachments),
        decisions=tuple(
            DecisionLine(
                on=meeting_date or decision.decided_on,
                state=rulebook.label(decision.to_state),
                actor=decision.actor,
                recorded_at=decision.recorded_at,
                text=decision.text,
                committee_name=committees.name_on(committee, meeting_date or decision.decided_on),
                referred_to=tuple(decision.referred_to or ()),
                follow_on=follow_ons.get(decision.id),
                withdrawn=decision.to_state == rulebook.definition.withdrawn,
                notes=tuple(
                    correction_text.note(c) for c in corrected if c.decision_id == decision.id
                ),
            )
            for decision, meeting_date in decisions
        ),
        competent=f"{competent.name} ({competent.code})" if competent else None,
        referred_from=referred_from,
        notes=tuple(correction_text.note(c) for c in corrected if c.decision_id is None),
    )


@dataclass(frozen=True)
class ItemPage:
    document: documents.ItemDocument
    item: AgendaItem
    committee: Committee
    case_number: str
    before_meeting: Meeting | None  # the meeting it is put before and awaits a decision at
    meetings_to_present: list[Meeting]  # unheld meetings it may be put before


def item_page(
    database: Database, rulebook: Rulebook, item_id: int, *, audience: Audience, desk: bool = True
) -> ItemPage:
    """The item as a document and, with ``desk``, the meeting it awaits a decision at and
    the meetings it may be put before (the secretariat's part of the page)."""
    from council.notifications import documents

    definition = rulebook.definition
    with database.reading() as session:
        item = items.by_id(session, item_id)
        assert item.id is not None
        document = documents.item_document(
            session, item_id=item_id, definition=definition, audience=audience
        )
        committee = committees.by_id(session, item.committee_id)
        before: Meeting | None = None
        if desk and item.state in rulebook.presented_states:
            entry = items.latest_entry(session, item.id)
            before = meetings.by_id(session, entry.meeting_id) if entry else None
        candidates: list[Meeting] = []
        if desk and definition.transitions_from(item.state, act="present"):
            candidates = meetings.unheld_after(
                session,
                committee_id=item.committee_id,
                after=items.last_treated_on(session, item.id),
            )
    return ItemPage(document, item, committee, document.case_number, before, candidates)


def item_document(
    database: Database, rulebook: Rulebook, item_id: int, *, audience: Audience
) -> documents.ItemDocument:
    """The item alone with all its decisions, in the layout the importer reads back."""
    from council.notifications import documents

    with database.reading() as session:
        return documents.item_document(
            session, item_id=item_id, definition=rulebook.definition, audience=audience
        )


def item_facts(database: Database, item_id: int) -> tuple[AgendaItem, Committee]:
    """The item and its committee, for checking what a user may do with it."""
    with database.reading() as session:
        item = items.by_id(session, item_id)
        return item, committees.by_id(session, item.committee_id)


def changes_since(database: Database, item_id: int, version: int) -> list[HistoryRow]:
    """What was recorded on the item after the user read ``version`` of it: every
    transition moves the version on by one, so these are its transitions from that one."""
    with database.unit_of_work(write=False) as uow:
        item = items.by_id(uow.session, item_id)
        rows = case_history.history(uow, item.case_id)
    mine = [row for row in rows if row.item_id == item_id]
    return mine[max(version - 1, 0) :]


def item_texts(database: Database, item_id: int) -> tuple[Heading, Sections]:
    """The item's title, kind, closed flag and sections as stored: what an edit starts from."""
    with database.reading() as session:
        return item_text_store.heading_of(session, item_id), item_text_store.sections_of(
            session, item_id
        )[0]
