"""Looking records up by the names users type, and the read models the faces show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, func, literal, null, select, union_all
from sqlmodel import Session

from council.cases.dates import parse_date
from council.cases.db import Prepared, connection_of
from council.cases.errors import NotFoundError
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    Case,
    Committee,
    Decision,
    Meeting,
)
from council.cases.types import is_row_id

_MEETING_REF = re.compile(r"^\s*([^\s:@/]+)\s*[:@/ ]\s*(\S+)\s*$")


def committee_by_code(session: Session, code: str) -> Committee:
    wanted = code.strip().upper()
    committee = session.scalars(select(Committee).where(Committee.code == wanted)).first()
    if committee is None:
        known = ", ".join(session.scalars(select(Committee.code).order_by(Committee.code)))
        raise NotFoundError(f"unknown committee '{code}'; known committees: {known or 'none'}")
    return committee


def committee_by_id(session: Session, committee_id: int) -> Committee:
    committee = session.get(Committee, committee_id)
    if committee is None:
        raise NotFoundError(f"committee {committee_id} does not exist")
    return committee


def case_by_number(session: Session, number: str) -> Case:
    case = session.scalars(select(Case).where(Case.number == number.strip())).first()
    if case is None:
        raise _unknown_case(number)
    return case


def _unknown_case(number: str) -> NotFoundError:
    return NotFoundError(f"unknown case '{number}'; create it with 'council case new'")


def item_by_id(session: Session, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id) if is_row_id(item_id) else None
    if item is None:
        raise NotFoundError(
            f"unknown item {item_id}; 'council case show CASE' lists a case's items"
        )
    return item


def meeting_by_ref(session: Session, ref: str) -> Meeting:
    """A meeting by its number (``7``) or by committee and date (``BIU:2010-02-23``)."""
    text = ref.strip()
    if text.isascii() and text.isdigit():
        meeting = session.get(Meeting, int(text)) if is_row_id(int(text)) else None
    else:
        match = _MEETING_REF.match(text)
        if match is None:
            raise NotFoundError(
                f"'{ref}' does not name a meeting; give its number or COMMITTEE:DATE, "
                "e.g. BIU:2010-02-23"
            )
        committee = committee_by_code(session, match.group(1))
        on = parse_date(match.group(2), what="meeting date")
        meeting = session.scalars(
            select(Meeting).where(Meeting.committee_id == committee.id, Meeting.date == on)
        ).first()
    if meeting is None:
        raise NotFoundError(f"unknown meeting '{ref}'; create it with 'council meeting new'")
    return meeting


def latest_entry(session: Session, item_id: int) -> AgendaEntry | None:
    """The item's most recent placement on an agenda."""
    return session.scalars(
        select(AgendaEntry).where(AgendaEntry.item_id == item_id).order_by(AgendaEntry.id.desc())
    ).first()


def last_treated_on(session: Session, item_id: int) -> date | None:
    """The date of the latest meeting the item was put before."""
    return session.scalar(
        select(func.max(Meeting.date))
        .join(AgendaEntry, AgendaEntry.meeting_id == Meeting.id)
        .where(AgendaEntry.item_id == item_id)
    )


def next_agenda_number(session: Session, meeting_id: int) -> int:
    highest = session.scalar(
        select(func.max(AgendaEntry.number)).where(AgendaEntry.meeting_id == meeting_id)
    )
    return (highest or 0) + 1


def attachments_of(session: Session, item_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Attachment.title)
            .where(Attachment.item_id == item_id)
            .order_by(Attachment.position)
        )
    )


@dataclass(frozen=True)
class AgendaLine:
    """One line of a meeting's agenda: the item, its number and its decision there, if any."""

    number: int | None  # None: imported from a source that does not print it
    item: AgendaItem
    case_number: str
    decision: Decision | None
    carried_from: date | None


def agenda(session: Session, meeting: Meeting, *, carry_states: frozenset[str]) -> list[AgendaLine]:
    """The meeting's items in agenda order, each with the decision taken on it there.

    ``carry_states`` are the outcomes that carry an item on to a later meeting (udsat);
    a line carried that way says from which meeting.
    """
    rows = session.execute(
        select(AgendaEntry.number, AgendaItem, Case.number)
        .join(AgendaItem, AgendaItem.id == AgendaEntry.item_id)
        .join(Case, Case.id == AgendaItem.case_id)
        .where(AgendaEntry.meeting_id == meeting.id)
        .order_by(AgendaEntry.number)
    ).all()
    decisions = {
        d.item_id: d
        for d in session.scalars(
            select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id)
        )
    }
    lines = []
    for number, item, case_number in rows:
        carried = _carried_from(session, item.id, meeting, carry_states)
        lines.append(AgendaLine(number, item, case_number, decisions.get(item.id), carried))
    return lines


def _carried_from(
    session: Session, item_id: int, meeting: Meeting, carry_states: frozenset[str]
) -> date | None:
    """The date of the earlier meeting that carried this item on, if one did."""
    return session.scalar(
        select(Meeting.date)
        .join(Decision, Decision.meeting_id == Meeting.id)
        .where(
            Decision.item_id == item_id,
            Decision.meeting_id != meeting.id,
            Decision.to_state.in_(carry_states),  # type: ignore[attr-defined]
        )
        .order_by(Decision.id.desc())
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
    if meeting.held_at is not None:
        return []
    unheld_dates = list(
        session.scalars(
            select(Meeting.date)
            .where(
                Meeting.committee_id == meeting.committee_id,
                Meeting.held_at.is_(None),
                Meeting.date.is_not(None),
            )
            .order_by(Meeting.date)
        )
    )
    rows = session.execute(
        select(AgendaItem, Case.number)
        .join(Case, Case.id == AgendaItem.case_id)
        .where(
            AgendaItem.committee_id == meeting.committee_id,
            AgendaItem.state.in_(carry_states),  # type: ignore[attr-defined]
        )
        .order_by(AgendaItem.id)
    ).all()
    offered = []
    for item, case_number in rows:
        postponed_on = last_treated_on(session, item.id)
        later = [d for d in unheld_dates if postponed_on is None or d > postponed_on]
        if later and later[0] == meeting.date:
            offered.append(CarriedOver(item, case_number, postponed_on))
    return offered


class HistoryRow(NamedTuple):
    """One transition of one of a case's items, as auditors read it.

    An immutable named tuple rather than a frozen dataclass: a history is built row by
    row on every ``council history``, and a frozen dataclass's __init__ costs several
    times the row's database work.
    """

    seq: int
    item_id: int
    item_title: str
    item_closed: bool
    committee: str
    meeting_id: int | None
    meeting_date: date | None
    agenda_number: int | None
    trigger: str
    from_state: str
    to_state: str
    outcome: str | None
    text: str | None
    decided_on: date | None
    actor: str
    recorded_at: datetime

    @property
    def title(self) -> str:
        """The item's title (with :attr:`closed`, the row stands for its item)."""
        return self.item_title

    @property
    def closed(self) -> bool:
        """Whether the item is a closed one (lukket punkt)."""
        return bool(self.item_closed)


_HISTORY = Prepared(
    union_all(
        # decisions first: the union's column types (result processors) are this select's
        select(  # type: ignore[misc]  # mypy gives up on the overloads of a select this wide
            Decision.audit_seq,
            Decision.item_id,
            AgendaItem.title,
            AgendaItem.closed,
            Committee.code,
            Decision.meeting_id,
            Meeting.date,
            AgendaEntry.number,
            Decision.trigger,
            Decision.from_state,
            Decision.to_state,
            Decision.outcome,
            Decision.text,
            Decision.decided_on,
            Decision.actor,
            Decision.recorded_at,
        )
        .join(AgendaItem, AgendaItem.id == Decision.item_id)
        .join(Committee, Committee.id == AgendaItem.committee_id)
        .outerjoin(Meeting, Meeting.id == Decision.meeting_id)
        .outerjoin(
            AgendaEntry,
            (AgendaEntry.meeting_id == Decision.meeting_id)
            & (AgendaEntry.item_id == Decision.item_id),
        )
        .where(AgendaItem.case_id == bindparam("case_id")),
        # presentations, in the same columns: trigger "present", to "forelagt", decided_on
        # the meeting's date, no outcome and no text
        select(
            AgendaEntry.audit_seq,
            AgendaEntry.item_id,
            AgendaItem.title,
            AgendaItem.closed,
            Committee.code,
            AgendaEntry.meeting_id,
            Meeting.date,
            AgendaEntry.number,
            literal("present"),
            AgendaEntry.from_state,
            literal("forelagt"),
            null(),
            null(),
            Meeting.date,
            AgendaEntry.actor,
            AgendaEntry.presented_at,
        )
        .join(AgendaItem, AgendaItem.id == AgendaEntry.item_id)
        .join(Committee, Committee.id == AgendaItem.committee_id)
        .join(Meeting, Meeting.id == AgendaEntry.meeting_id)
        .where(AgendaItem.case_id == bindparam("case_id")),
    )
)


def case_history(source: Session | Connection, case_id: int) -> list[HistoryRow]:
    """Every presentation and decision of the case's items, in the order they were recorded.

    One indexed select of plain columns (no ORM entities), compiled once (``Prepared``);
    its columns are HistoryRow's. ``source`` is a unit of work's session or, cheaper, its
    connection.
    """
    connection = connection_of(source) if isinstance(source, Session) else source
    rows = _HISTORY.rows(connection, case_id=case_id)
    return sorted(map(HistoryRow._make, rows), key=lambda row: row.seq)


_CASE_ID = Prepared(select(Case.id).where(Case.number == bindparam("number")))


def case_id_by_number(connection: Connection, number: str) -> int:
    """The case's id, on a bare connection (the history's path); refusal as case_by_number."""
    case_id = _CASE_ID.scalar(connection, number=number.strip())
    if case_id is None:
        raise _unknown_case(number)
    return int(case_id)


def items_of_case(session: Session, case_id: int) -> list[tuple[AgendaItem, str]]:
    return [
        (item, code)
        for item, code in session.execute(
            select(AgendaItem, Committee.code)
            .join(Committee, Committee.id == AgendaItem.committee_id)
            .where(AgendaItem.case_id == case_id)
            .order_by(AgendaItem.id)
        ).all()
    ]


def decisions_of(session: Session, item_id: int) -> list[tuple[Decision, date | None]]:
    return [
        (decision, on)
        for decision, on in session.execute(
            select(Decision, Meeting.date)
            .outerjoin(Meeting, Meeting.id == Decision.meeting_id)
            .where(Decision.item_id == item_id)
            .order_by(Decision.audit_seq)
        ).all()
    ]
