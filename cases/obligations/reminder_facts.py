"""What a reminder tells that is read when it is sent, not when its step was written: the
last decision on the items that answer the obligation, and the committee's next meeting.

Plain reads for ``notifications.reminder_text``; which items a mail may name is decided
there (a closed item's decision never reaches a mail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import Connection, Date, Integer, bindparam, select
from sqlmodel import col

from council.cases.committees import name_among
from council.cases.models import AgendaItem, Committee, Decision, Meeting
from council.cases.obligations.tables import ObligationLink
from council.cases.prepared import Prepared


@dataclass(frozen=True, slots=True)
class LastDecision:
    """The latest decision recorded on an item linked to a line."""

    item_id: int
    title: str
    state: str
    closed: bool
    to_state: str
    on: date | None
    committee_name: str


@dataclass(frozen=True, slots=True)
class NextMeeting:
    """A committee's next meeting that is not yet held."""

    id: int
    on: date
    start_time: time | None
    place: str | None


_LAST_DECISION = Prepared(
    select(
        col(AgendaItem.id),
        col(AgendaItem.title),
        col(AgendaItem.state),
        col(AgendaItem.closed),
        col(Decision.to_state),
        col(Decision.decided_on),
        col(Meeting.date),
        col(Committee.name),
        col(Committee.earlier_names),
    )
    .select_from(ObligationLink)
    .join(AgendaItem, col(AgendaItem.id) == ObligationLink.item_id)
    .join(Decision, col(Decision.item_id) == AgendaItem.id)
    .join(Committee, col(Committee.id) == AgendaItem.committee_id)
    .outerjoin(Meeting, col(Meeting.id) == Decision.meeting_id)
    .where(col(ObligationLink.obligation_id) == bindparam("line_id", type_=Integer()))
    .order_by(col(Decision.recorded_at).desc(), col(Decision.id).desc())
    .limit(1)
)
_NEXT_MEETING = Prepared(
    select(col(Meeting.id), col(Meeting.date), col(Meeting.start_time), col(Meeting.place))
    .where(
        col(Meeting.committee_id) == bindparam("committee_id", type_=Integer()),
        col(Meeting.date) >= bindparam("on_or_after", type_=Date()),
        col(Meeting.held_at).is_(None),
        col(Meeting.cancelled_at).is_(None),
    )
    .order_by(col(Meeting.date))
    .limit(1)
)


def last_decision(connection: Connection, line_id: int) -> LastDecision | None:
    """The decision recorded last on any item linked to line ``line_id``."""
    row = _LAST_DECISION.first(connection, line_id=line_id)
    if row is None:
        return None
    item_id, title, state, closed, to_state, decided_on, meeting_on, name, earlier = row
    assert item_id is not None  # a row's key
    on = decided_on or meeting_on
    committee = name_among(name, earlier or (), on)  # as it was named on the day
    return LastDecision(item_id, title, state, bool(closed), to_state, on, committee)


def next_meeting(
    connection: Connection, committee_id: int, *, on_or_after: date
) -> NextMeeting | None:
    """The committee's first meeting on or after ``on_or_after`` that is planned (neither
    held nor cancelled)."""
    row = _NEXT_MEETING.first(connection, committee_id=committee_id, on_or_after=on_or_after)
    if row is None:
        return None
    meeting_id, on, start_time, place = row
    assert meeting_id is not None and on is not None  # a row's key; the select asks for a date
    return NextMeeting(meeting_id, on, start_time, place)
