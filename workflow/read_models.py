"""What the faces show of a case, an item and a meeting, with visibility already applied.

Each function reads the records (``cases.queries``) and returns a plain, frozen read model
in which a closed item (lukket punkt) is already what its audience may see
(:mod:`council.workflow.visibility`): withheld, it keeps its number, committee, agenda
number and version, and shows "Lukket punkt" for its title; its case number (as in the
documents), kind, state, sections and decisions are left out. The CLI prints these; the
web application shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from council.cases import queries
from council.cases.db import Database
from council.cases.models import Case
from council.workflow.machine import Rulebook
from council.workflow.visibility import Audience, ShownItem


@dataclass(frozen=True)
class ItemLine:
    """An item in a list (a case's items): ``kind`` and ``state`` are None when withheld."""

    item_id: int
    committee_code: str
    shown: ShownItem
    kind: str | None
    state: str | None
    version: int


@dataclass(frozen=True)
class CaseView:
    number: str
    title: str
    owner: str
    items: tuple[ItemLine, ...]


@dataclass(frozen=True)
class DecisionLine:
    """A decision on an item: its date (the meeting's, else the decision's), the state it
    moved the item to (label), who recorded it and when, and its verbatim text."""

    on: date | None
    state: str
    actor: str
    recorded_at: datetime
    text: str


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
    attachments: tuple[str, ...] = ()
    decisions: tuple[DecisionLine, ...] = ()


@dataclass(frozen=True)
class AgendaLine:
    """One line of a meeting's agenda; ``decision`` is the text decided at this meeting."""

    number: int | None
    item_id: int
    case_number: str | None
    shown: ShownItem
    carried_from: date | None
    state: str | None
    decision: str | None


@dataclass(frozen=True)
class OfferedItem:
    """A postponed item offered to the meeting (udsat fra mødet den ...)."""

    item_id: int
    case_number: str | None
    shown: ShownItem
    postponed_on: date | None


@dataclass(frozen=True)
class MeetingView:
    meeting_id: int
    committee_name: str
    date: date | None
    start_time: time | None
    place: str | None
    held: bool
    lines: tuple[AgendaLine, ...]
    offered: tuple[OfferedItem, ...]


def case_view(
    database: Database, rulebook: Rulebook, *, number: str, audience: Audience
) -> CaseView:
    """A case and its agenda items."""
    with database.reading() as session:
        case = queries.case_by_number(session, number)
        assert case.id is not None
        items = queries.items_of_case(session, case.id)
    lines = []
    for item, code in items:
        assert item.id is not None
        shown = audience.item(item)
        lines.append(
            ItemLine(
                item_id=item.id,
                committee_code=code,
                shown=shown,
                kind=shown.reveal(item.kind),
                state=shown.reveal(rulebook.label(item.state)),
                version=item.version,
            )
        )
    return CaseView(number=case.number, title=case.title, owner=case.owner, items=tuple(lines))


def item_detail(
    database: Database, rulebook: Rulebook, *, item_id: int, audience: Audience
) -> ItemDetail:
    """An item: its content, state and decisions."""
    with database.reading() as session:
        item = queries.item_by_id(session, item_id)
        committee = queries.committee_by_id(session, item.committee_id)
        case = session.get(Case, item.case_id)
        attachments = queries.attachments_of(session, item_id)
        decisions = queries.decisions_of(session, item_id)
    assert case is not None and item.id is not None
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
    sections = (
        ("Problemstilling", item.problem),
        ("Løsning", item.solution),
        ("Økonomi", item.economy),
        ("Videre proces", item.next_steps),
    )
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
            )
            for decision, meeting_date in decisions
        ),
    )


def meeting_view(
    database: Database, rulebook: Rulebook, *, meeting_ref: str, audience: Audience
) -> MeetingView:
    """A meeting's agenda in order, and the postponed items offered to it."""
    carry = rulebook.definition.carry_over
    with database.reading() as session:
        meeting = queries.meeting_by_ref(session, meeting_ref)
        committee = queries.committee_by_id(session, meeting.committee_id)
        lines = queries.agenda(session, meeting, carry_states=carry)
        offered = queries.carried_over(session, meeting, carry_states=carry)
    assert meeting.id is not None
    agenda = []
    for line in lines:
        assert line.item.id is not None
        shown = audience.item(line.item)
        agenda.append(
            AgendaLine(
                number=line.number,
                item_id=line.item.id,
                case_number=shown.reveal(line.case_number),
                shown=shown,
                carried_from=line.carried_from,
                state=shown.reveal(rulebook.label(line.item.state)),
                decision=shown.reveal(line.decision.text if line.decision else None),
            )
        )
    return MeetingView(
        meeting_id=meeting.id,
        committee_name=committee.name,
        date=meeting.date,
        start_time=meeting.start_time,
        place=meeting.place,
        held=meeting.held_at is not None,
        lines=tuple(agenda),
        offered=tuple(_offered(entry, audience) for entry in offered),
    )


def _offered(entry: queries.CarriedOver, audience: Audience) -> OfferedItem:
    assert entry.item.id is not None
    shown = audience.item(entry.item)
    return OfferedItem(
        item_id=entry.item.id,
        case_number=shown.reveal(entry.case_number),
        shown=shown,
        postponed_on=entry.postponed_on,
    )
