"""The meetings store: meetings by number or COMMITTEE:DATE, creating and closing them,
handing out agenda numbers, and the lists the faces browse."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import NamedTuple

from sqlalchemy import bindparam, func, or_, select
from sqlmodel import Session, col

from council.cases import audit, committees
from council.cases.dates import parse_date
from council.cases.db import Prepared, UnitOfWork
from council.cases.errors import MalformedReference, MeetingDateTaken, NotFoundError
from council.cases.models import AgendaEntry, Committee, Decision, Meeting
from council.cases.types import is_row_id

_REF = re.compile(r"^\s*([^\s:@/]+)\s*[:@/ ]\s*(\S+)\s*$")


class MeetingRow(NamedTuple):
    """A meeting as a transition's guards read it."""

    id: int
    committee_id: int
    date: date | None
    held_at: datetime | None


def by_id(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id) if is_row_id(meeting_id) else None
    if meeting is None:
        raise NotFoundError("meeting", meeting_id)
    return meeting


def by_ref(session: Session, ref: str) -> Meeting:
    """A meeting by its number (``7``) or by committee and date (``BIU:2010-02-23``)."""
    text = ref.strip()
    if text.isascii() and text.isdigit():
        meeting = session.get(Meeting, int(text)) if is_row_id(int(text)) else None
    else:
        match = _REF.match(text)
        if match is None:
            raise MalformedReference("meeting", ref)
        committee = committees.by_code(session, match.group(1))
        assert committee.id is not None
        meeting = on_date(
            session, committee_id=committee.id, on=parse_date(match.group(2), what="mødedatoen")
        )
    if meeting is None:
        raise NotFoundError("meeting", ref)
    return meeting


def on_date(session: Session, *, committee_id: int, on: date) -> Meeting | None:
    """The committee's meeting on a date, if there is one."""
    return session.scalars(
        select(Meeting).where(col(Meeting.committee_id) == committee_id, col(Meeting.date) == on)
    ).first()


_ROW = Prepared(
    select(
        col(Meeting.id), col(Meeting.committee_id), col(Meeting.date), col(Meeting.held_at)
    ).where(col(Meeting.id) == bindparam("id"))
)


def row_by_ref(uow: UnitOfWork, ref: str) -> MeetingRow:
    """As :func:`by_ref`, a meeting given by its number in one compiled select."""
    text = ref.strip()
    if text.isascii() and text.isdigit() and is_row_id(int(text)):
        found = _ROW.first(uow.connection(), id=int(text))
        if found is not None:
            return MeetingRow._make(found)
    meeting = by_ref(uow.session, ref)
    assert meeting.id is not None
    return MeetingRow(meeting.id, meeting.committee_id, meeting.date, meeting.held_at)


def create(
    uow: UnitOfWork,
    *,
    committee: Committee,
    on: date | None,
    start_time: time | None,
    place: str | None,
    actor: str,
    now: datetime,
) -> Meeting:
    """A new meeting with its audit entry; refused when the committee meets that day."""
    session = uow.session
    assert committee.id is not None
    if on is not None and on_date(session, committee_id=committee.id, on=on) is not None:
        raise MeetingDateTaken(committee.code, on)
    meeting = Meeting(
        committee_id=committee.id, date=on, start_time=start_time, place=place, created_at=now
    )
    session.add(meeting)
    session.flush()
    audit.record(
        uow,
        action="meeting.created",
        actor=actor,
        now=now,
        data={
            "meeting_id": meeting.id,
            "committee": committee.code,
            "committee_id": committee.id,
            "date": on.isoformat() if on else None,
            "start_time": start_time.isoformat() if start_time else None,
            "place": place,
        },
    )
    return meeting


def close(uow: UnitOfWork, meeting: Meeting, *, actor: str, now: datetime) -> None:
    """Mark the meeting held at ``now``, audited."""
    meeting.held_at = now
    uow.session.add(meeting)
    audit.record(
        uow, action="meeting.closed", actor=actor, now=now, data={"meeting_id": meeting.id}
    )


def record_attendance(
    uow: UnitOfWork,
    meeting: Meeting,
    *,
    absent: list[dict[str, str | None]],
    actor: str,
    now: datetime,
) -> None:
    """Set who was absent from the meeting (the whole list, replacing any before), audited
    as ``meeting.attendance``; an empty list records that nobody was."""
    meeting.absent = absent or None
    uow.session.add(meeting)
    audit.record(
        uow,
        action="meeting.attendance",
        actor=actor,
        now=now,
        data={"meeting_id": meeting.id, "absent": absent},
    )


# FOR NO KEY UPDATE (PostgreSQL): presentations to one meeting queue on its row, while
# decisions and entries that merely reference the meeting (their foreign keys take FOR KEY
# SHARE) do not wait for it: a plain FOR UPDATE here deadlocked against a decision at the
# same meeting that already held the audit head.
_LOCK = Prepared(
    select(col(Meeting.id))
    .where(col(Meeting.id) == bindparam("meeting_id"))
    .with_for_update(key_share=True)
)
_HIGHEST_NUMBER = Prepared(
    select(func.max(col(AgendaEntry.number))).where(
        col(AgendaEntry.meeting_id) == bindparam("meeting_id")
    )
)


def claim_next_number(uow: UnitOfWork, meeting_id: int) -> int:
    """The number after the highest on the meeting's agenda, held until the unit ends.

    Agenda numbers are handed out one clerk at a time: SQLite's ``BEGIN IMMEDIATE``
    already serialises writers; elsewhere the meeting's row is locked for it.
    """
    connection = uow.connection()
    if connection.dialect.name != "sqlite":
        _LOCK.scalar(connection, meeting_id=meeting_id)
    return int(_HIGHEST_NUMBER.scalar(connection, meeting_id=meeting_id) or 0) + 1


def of_committee(session: Session, committee_id: int) -> list[Meeting]:
    """The committee's meetings, the latest first (a meeting without a date last)."""
    return list(
        session.scalars(
            select(Meeting)
            .where(col(Meeting.committee_id) == committee_id)
            .order_by(col(Meeting.date).desc().nulls_last(), col(Meeting.id).desc())
        )
    )


@dataclass(frozen=True)
class MeetingLine:
    """A meeting with how far its agenda has come."""

    meeting: Meeting
    committee_code: str
    committee_name: str
    items: int
    decided: int


def between(
    session: Session, *, committee_codes: tuple[str, ...] | None, start: date, end: date
) -> list[MeetingLine]:
    """Meetings dated from ``start`` to ``end`` (of those committees, or of all), by date."""
    return listing(session, committee_codes=committee_codes, start=start, end=end)


def listing(
    session: Session,
    *,
    committee_codes: tuple[str, ...] | None = None,
    start: date | None = None,
    end: date | None = None,
    held: bool | None = None,
    limit: int | None = None,
) -> list[MeetingLine]:
    """Meetings (of those committees, or of all; dated from ``start`` to ``end``; held or
    not), by date, a meeting without a date last."""
    items = (
        select(func.count())
        .select_from(AgendaEntry)
        .where(col(AgendaEntry.meeting_id) == col(Meeting.id))
        .scalar_subquery()
    )
    decided = (
        select(func.count(func.distinct(Decision.item_id)))
        .where(col(Decision.meeting_id) == col(Meeting.id))
        .scalar_subquery()
    )
    statement = (
        select(Meeting, col(Committee.code), col(Committee.name), items, decided)
        .join(Committee, col(Committee.id) == col(Meeting.committee_id))
        .order_by(col(Meeting.date).nulls_last(), col(Committee.code), col(Meeting.id))
        .limit(limit)
    )
    if start is not None:
        statement = statement.where(col(Meeting.date) >= start)
    if end is not None:
        statement = statement.where(col(Meeting.date) <= end)
    if held is not None:
        held_at = col(Meeting.held_at)
        statement = statement.where(held_at.is_not(None) if held else held_at.is_(None))
    if committee_codes is not None:
        statement = statement.where(col(Committee.code).in_(committee_codes))
    return [MeetingLine(*found) for found in session.execute(statement).all()]


def unheld_after(
    session: Session, *, committee_id: int, after: date | None, limit: int = 20
) -> list[Meeting]:
    """The committee's meetings not yet held, dated after ``after`` (all, if None), soonest
    first; a meeting without a date comes last."""
    statement = select(Meeting).where(
        col(Meeting.committee_id) == committee_id, col(Meeting.held_at).is_(None)
    )
    if after is not None:
        statement = statement.where(or_(col(Meeting.date) > after, col(Meeting.date).is_(None)))
    return list(
        session.scalars(
            statement.order_by(col(Meeting.date).nulls_last(), col(Meeting.id)).limit(limit)
        )
    )


def dated(
    session: Session, *, committee_code: str | None = None
) -> list[tuple[Meeting, Committee]]:
    """Every meeting whose date is known (of one committee), with its committee, by date:
    what the calendar of meetings is made of."""
    statement = (
        select(Meeting, Committee)
        .join(Committee, col(Committee.id) == col(Meeting.committee_id))
        .where(col(Meeting.date).is_not(None))
        .order_by(col(Meeting.date), col(Meeting.id))
    )
    if committee_code is not None:
        statement = statement.where(col(Committee.code) == committee_code.strip().upper())
    return [(meeting, committee) for meeting, committee in session.execute(statement).all()]
