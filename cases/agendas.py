"""A meeting's agenda: its lines with the decision taken at the meeting, the postponed items
offered to it, and what the agenda and minutes documents print of every item on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from council.cases import items
from council.cases.attachments import AttachmentLine
from council.cases.db import UnitOfWork, connection_for
from council.cases.item_records import DecisionRecord
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    Case,
    Committee,
    Decision,
    Meeting,
)
from council.cases.prepared import Prepared, columns_of


@dataclass(frozen=True)
class AgendaLine:
    """One line of a meeting's agenda: the item, its number and its decision there, if any."""

    number: int | None  # None: imported from a source that does not print it
    item: AgendaItem
    case_number: str
    decision: DecisionRecord | None
    carried_from: date | None


def lines(session: Session, meeting: Meeting, *, carry_states: frozenset[str]) -> list[AgendaLine]:
    """The meeting's items in agenda order, each with the decision taken on it there.

    ``carry_states`` are the outcomes that carry an item on to a later meeting (udsat);
    a line carried that way says from which meeting.
    """
    assert meeting.id is not None
    found = session.execute(
        select(col(AgendaEntry.number), AgendaItem, col(Case.number))
        .join(AgendaItem, col(AgendaItem.id) == col(AgendaEntry.item_id))
        .join(Case, col(Case.id) == col(AgendaItem.case_id))
        .where(col(AgendaEntry.meeting_id) == meeting.id)
        .order_by(col(AgendaEntry.number))
    ).all()
    decided = {
        decision.item_id: decision
        for decision in map(
            DecisionRecord._make, _DECIDED_AT.rows(connection_for(session), meeting_id=meeting.id)
        )
    }
    return [
        AgendaLine(
            number,
            item,
            case_number,
            decided.get(item.id or 0),
            _carried_from(session, item.id or 0, meeting.id, carry_states),
        )
        for number, item, case_number in found
    ]


_DECIDED_AT = Prepared(
    select(*columns_of(Decision, DecisionRecord))
    .where(col(Decision.meeting_id) == bindparam("meeting_id"))
    .order_by(col(Decision.id))
)


def _carried_from(
    session: Session, item_id: int, meeting_id: int, carry_states: frozenset[str]
) -> date | None:
    """The date of the earlier meeting that carried this item on, if one did."""
    return session.scalar(
        select(col(Meeting.date))
        .join(Decision, col(Decision.meeting_id) == col(Meeting.id))
        .where(
            col(Decision.item_id) == item_id,
            col(Decision.meeting_id) != meeting_id,
            col(Decision.to_state).in_(carry_states),
        )
        .order_by(col(Decision.id).desc())
    )


@dataclass(frozen=True)
class CarriedOver:
    """A postponed item offered for the committee's next unheld meeting."""

    item: AgendaItem
    case_number: str
    postponed_on: date | None


def carried_over(
    session: Session, meeting: Meeting, *, carry_states: frozenset[str]
) -> list[CarriedOver]:
    """Items of the meeting's committee waiting in ``carry_states`` whose next meeting this is.

    An item postponed at a meeting is offered to the first unheld meeting of its committee
    after that meeting; once put on an agenda it is an ordinary agenda line.
    """
    if meeting.held_at is not None or meeting.cancelled_at is not None:
        return []
    unheld_dates = [
        on
        for on in session.scalars(
            select(col(Meeting.date))
            .where(
                col(Meeting.committee_id) == meeting.committee_id,
                col(Meeting.held_at).is_(None),
                col(Meeting.cancelled_at).is_(None),
                col(Meeting.date).is_not(None),
            )
            .order_by(col(Meeting.date))
        )
        if on is not None
    ]
    waiting = session.execute(
        select(AgendaItem, col(Case.number))
        .join(Case, col(Case.id) == col(AgendaItem.case_id))
        .where(
            col(AgendaItem.committee_id) == meeting.committee_id,
            col(AgendaItem.state).in_(carry_states),
        )
        .order_by(col(AgendaItem.id))
    ).all()
    offered = []
    for item, case_number in waiting:
        postponed_on = items.last_treated_on(session, item.id or 0)
        later = [d for d in unheld_dates if postponed_on is None or d > postponed_on]
        if later and later[0] == meeting.date:
            offered.append(CarriedOver(item, case_number, postponed_on))
    return offered


@dataclass(frozen=True)
class Referred:
    """An item a referral made for the meeting's committee, waiting to be put on an agenda:
    the committee that referred it and the date of that decision."""

    item: AgendaItem
    case_number: str
    from_code: str
    referred_on: date | None


def referred_waiting(session: Session, meeting: Meeting, *, initial: str) -> list[Referred]:
    """The committee's items made by a referral and still in ``initial`` (on no agenda),
    offered to each of its planned meetings."""
    if meeting.held_at is not None or meeting.cancelled_at is not None:
        return []
    source = aliased(AgendaItem)
    rows = session.execute(
        select(AgendaItem, col(Case.number), col(Committee.code), col(Decision.decided_on))
        .join(Case, col(Case.id) == col(AgendaItem.case_id))
        .join(Decision, col(Decision.id) == col(AgendaItem.referred_from))
        .join(source, col(source.id) == col(Decision.item_id))
        .join(Committee, col(Committee.id) == col(source.committee_id))
        .where(
            col(AgendaItem.committee_id) == meeting.committee_id,
            col(AgendaItem.state) == initial,
        )
        .order_by(col(AgendaItem.id))
    ).all()
    return [Referred(item, number, code, on) for item, number, code, on in rows]


# ------------------------------------------------------------ what the documents print


class DocumentLine(NamedTuple):
    """An item on the agenda as a document prints it: its number there, the audit seq of
    its placement, its case, and the item's own columns (a plain row, not an ORM object)."""

    number: int | None
    entry_seq: int
    case_number: str
    id: int
    title: str
    kind: str
    closed: bool
    summary: str
    administration: str
    recommendation: list[str]
    problem: str
    solution: str
    economy: str
    next_steps: str
    signatures: list[str]
    state: str


_PLACEMENT = ("number", "entry_seq", "case_number")
_ON_AGENDA = select(col(AgendaEntry.item_id)).where(
    col(AgendaEntry.meeting_id) == bindparam("meeting_id")
)
_DOCUMENT_LINES = Prepared(
    select(
        col(AgendaEntry.number),
        col(AgendaEntry.audit_seq),
        col(Case.number),
        *[getattr(AgendaItem, name) for name in DocumentLine._fields if name not in _PLACEMENT],
    )
    .join(AgendaItem, col(AgendaItem.id) == col(AgendaEntry.item_id))
    .join(Case, col(Case.id) == col(AgendaItem.case_id))
    .where(col(AgendaEntry.meeting_id) == bindparam("meeting_id"))
    .order_by(col(AgendaEntry.number))
)
_DOCUMENT_DECISIONS = Prepared(
    select(*columns_of(Decision, DecisionRecord), col(Meeting.date))
    .outerjoin(Meeting, col(Meeting.id) == col(Decision.meeting_id))
    .where(col(Decision.item_id).in_(_ON_AGENDA))
    .order_by(col(Decision.audit_seq))
)
_DOCUMENT_ATTACHMENTS = Prepared(
    select(*columns_of(Attachment, AttachmentLine))
    .where(col(Attachment.item_id).in_(_ON_AGENDA), col(Attachment.removed_at).is_(None))
    .order_by(col(Attachment.item_id), col(Attachment.position))
)


def document_lines(where: UnitOfWork | Session, meeting_id: int) -> list[DocumentLine]:
    """The meeting's agenda in order, in one compiled select of plain columns."""
    return list(
        map(DocumentLine._make, _DOCUMENT_LINES.rows(connection_for(where), meeting_id=meeting_id))
    )


def document_decisions(
    where: UnitOfWork | Session, meeting_id: int
) -> dict[int, list[tuple[DecisionRecord, date | None]]]:
    """Every decision on the items of the meeting's agenda, per item in recorded order,
    each with its meeting's date."""
    found: dict[int, list[tuple[DecisionRecord, date | None]]] = {}
    for *columns, meeting_date in _DOCUMENT_DECISIONS.rows(
        connection_for(where), meeting_id=meeting_id
    ):
        decision = DecisionRecord._make(columns)
        found.setdefault(decision.item_id, []).append((decision, meeting_date))
    return found


def document_attachments(
    where: UnitOfWork | Session, meeting_id: int
) -> dict[int, list[AttachmentLine]]:
    """The bilag of the items of the meeting's agenda (those still on them), per item in
    order."""
    found: dict[int, list[AttachmentLine]] = {}
    for row in _DOCUMENT_ATTACHMENTS.rows(connection_for(where), meeting_id=meeting_id):
        line = AttachmentLine._make(row)
        found.setdefault(line.item_id, []).append(line)
    return found
