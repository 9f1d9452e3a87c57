"""The meetings store: meetings by number or COMMITTEE:DATE, creating and closing them,
handing out agenda numbers, and the lists the faces browse."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, or_, select
from sqlmodel import Session, col

from council.cases import audit, committees
from council.cases.dates import parse_date
from council.cases.db import UnitOfWork, connection_of
from council.cases.errors import MalformedReference, MeetingDateTaken, NotFoundError
from council.cases.models import AgendaEntry, AuditEntry, Committee, Decision, Meeting
from council.cases.prepared import Prepared
from council.cases.types import is_row_id

_REF = re.compile(r"^\s*([^\s:@/]+)\s*[:@/ ]\s*(\S+)\s*$")


class MeetingRow(NamedTuple):
    """A meeting as a transition's guards read it."""

    id: int
    committee_id: int
    date: date | None
    held_at: datetime | None
    cancelled_at: datetime | None = None


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
        col(Meeting.id),
        col(Meeting.committee_id),
        col(Meeting.date),
        col(Meeting.held_at),
        col(Meeting.cancelled_at),
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
    return MeetingRow(
        meeting.id, meeting.committee_id, meeting.date, meeting.held_at, meeting.cancelled_at
    )


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
    assert committee.id is not None
    if on is not None and on_date(uow.session, committee_id=committee.id, on=on) is not None:
        raise MeetingDateTaken(committee.code, on)
    meeting = insert(uow, committee=committee, on=on, start_time=start_time, place=place, now=now)
    audit.record(
        uow, action="meeting.created", actor=actor, now=now, data=created_data(meeting, committee)
    )
    return meeting


def insert(
    uow: UnitOfWork,
    *,
    committee: Committee,
    on: date | None,
    start_time: time | None,
    place: str | None,
    now: datetime,
    meeting_id: int | None = None,
) -> Meeting:
    """The meeting's row alone (its ``meeting.created`` entry is :func:`created_data`'s):
    :func:`create`'s, or one of a set whose entries are chained together; ``meeting_id``
    the key that set reserved for it."""
    assert committee.id is not None
    meeting = Meeting(
        id=meeting_id,
        committee_id=committee.id,
        date=on,
        start_time=start_time,
        place=place,
        created_at=now,
    )
    session = uow.session
    session.add(meeting)
    session.flush()
    return meeting


def created_data(meeting: Meeting, committee: Committee) -> dict[str, Any]:
    """The data of a ``meeting.created`` entry."""
    return {
        "meeting_id": meeting.id,
        "committee": committee.code,
        "committee_id": committee.id,
        "date": meeting.date.isoformat() if meeting.date else None,
        "start_time": meeting.start_time.isoformat() if meeting.start_time else None,
        "place": meeting.place,
    }


def close(uow: UnitOfWork, meeting: Meeting, *, actor: str, now: datetime) -> None:
    """Mark the meeting held at ``now``, audited."""
    meeting.held_at = now
    uow.session.add(meeting)
    audit.record(
        uow, action="meeting.closed", actor=actor, now=now, data={"meeting_id": meeting.id}
    )


def reschedule(
    uow: UnitOfWork,
    meeting: Meeting,
    *,
    on: date,
    start_time: time | None,
    reason: str | None,
    actor: str,
    now: datetime,
) -> None:
    """Give the meeting a new date and start time, audited with the old ones and the
    reason; refused when the committee already meets that day."""
    assert meeting.id is not None
    other = on_date(uow.session, committee_id=meeting.committee_id, on=on)
    if other is not None and other.id != meeting.id:
        raise MeetingDateTaken(committees.by_id(uow.session, meeting.committee_id).code, on)
    before = {
        "date": meeting.date.isoformat() if meeting.date else None,
        "start_time": meeting.start_time.isoformat() if meeting.start_time else None,
    }
    meeting.date, meeting.start_time = on, start_time
    meeting.sequence = (meeting.sequence or 0) + 1
    uow.session.add(meeting)
    audit.record(
        uow,
        action="meeting.rescheduled",
        actor=actor,
        now=now,
        data={
            "meeting_id": meeting.id,
            "date": on.isoformat(),
            "start_time": start_time.isoformat() if start_time else None,
            "before": before,
            "sequence": meeting.sequence,
            "reason": reason,
        },
    )


def cancel(uow: UnitOfWork, meeting: Meeting, *, reason: str, actor: str, now: datetime) -> None:
    """Mark the meeting cancelled (aflyst) at ``now``, audited with the reason; it is kept."""
    meeting.cancelled_at = now
    meeting.sequence = (meeting.sequence or 0) + 1
    uow.session.add(meeting)
    audit.record(
        uow,
        action="meeting.cancelled",
        actor=actor,
        now=now,
        data={"meeting_id": meeting.id, "sequence": meeting.sequence, "reason": reason},
    )


def reopen(uow: UnitOfWork, meeting: Meeting, *, reason: str, actor: str, now: datetime) -> None:
    """A held or cancelled meeting planned again, audited with what it was and the reason.
    An approval of its minutes lapses: the minutes of the meeting held anew are approved
    anew."""
    was = "aflyst" if meeting.cancelled_at is not None else "afholdt"
    lapsed = meeting.minutes_approved_on
    meeting.held_at = meeting.cancelled_at = meeting.minutes_approved_on = None
    meeting.sequence = (meeting.sequence or 0) + 1
    uow.session.add(meeting)
    audit.record(
        uow,
        action="meeting.reopened",
        actor=actor,
        now=now,
        data={
            "meeting_id": meeting.id,
            "was": was,
            "sequence": meeting.sequence,
            "reason": reason,
            "minutes_approved_on": None,
            "approval_lapsed": lapsed.isoformat() if lapsed is not None else None,
        },
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


def approve_minutes(
    uow: UnitOfWork, meeting: Meeting, *, approved_on: date, actor: str, now: datetime
) -> None:
    """Record that the committee approved the meeting's minutes on ``approved_on``, audited
    as ``meeting.approved``."""
    meeting.minutes_approved_on = approved_on
    uow.session.add(meeting)
    audit.record(
        uow,
        action="meeting.approved",
        actor=actor,
        now=now,
        data={"meeting_id": meeting.id, "approved_on": approved_on.isoformat()},
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


# A meeting rescheduled or cancelled takes its row FOR UPDATE before it looks for decisions
# at it; a decision or presentation takes it FOR KEY SHARE (as its foreign key would, but
# before it looks at the meeting and before the audit head, so the order of locks is the
# same for all) and reads whether the meeting is cancelled under it. The two modes
# conflict, so one waits for the other and then sees what it did: a decision recorded
# while the meeting is cancelled, or a meeting cancelled while a decision is recorded at
# it, cannot slip in. KEY SHARE does not conflict with the agenda's FOR NO KEY UPDATE, so
# decisions and presentations at one meeting do not wait for each other.
_LOCK_TO_CHANGE = Prepared(
    select(col(Meeting.id)).where(col(Meeting.id) == bindparam("meeting_id")).with_for_update()
)
_LOCK_AGAINST_CHANGE = Prepared(
    select(col(Meeting.cancelled_at))
    .where(col(Meeting.id) == bindparam("meeting_id"))
    .with_for_update(read=True, key_share=True)
)


def lock_to_change(uow: UnitOfWork, meeting: Meeting) -> None:
    """Hold the meeting's row until the unit ends (a close, approval, reopening, reschedule
    or cancellation) and read it again under the lock. SQLite's ``BEGIN IMMEDIATE``
    already serialises writers."""
    connection = uow.connection()
    if connection.dialect.name != "sqlite":
        _LOCK_TO_CHANGE.scalar(connection, meeting_id=meeting.id)
        uow.session.refresh(meeting)


def lock_against_change(uow: UnitOfWork, meeting: MeetingRow) -> MeetingRow:
    """The meeting a decision is recorded at (or an item put before), its row held against
    a reschedule or a cancellation until the unit ends, with whether it is cancelled read
    under the lock."""
    connection = uow.connection()
    if connection.dialect.name == "sqlite":
        return meeting
    cancelled_at: datetime | None = _LOCK_AGAINST_CHANGE.scalar(connection, meeting_id=meeting.id)
    return meeting._replace(cancelled_at=cancelled_at)


def lock_agenda(uow: UnitOfWork, meeting_id: int) -> None:
    """Hold the meeting's agenda numbers until the unit ends (see :func:`claim_next_number`)."""
    connection = uow.connection()
    if connection.dialect.name != "sqlite":
        _LOCK.scalar(connection, meeting_id=meeting_id)


def claim_next_number(uow: UnitOfWork, meeting_id: int) -> int:
    """The number after the highest on the meeting's agenda, held until the unit ends.

    Agenda numbers are handed out one clerk at a time: SQLite's ``BEGIN IMMEDIATE``
    already serialises writers; elsewhere the meeting's row is locked for it.
    """
    connection = uow.connection()
    if connection.dialect.name != "sqlite":
        _LOCK.scalar(connection, meeting_id=meeting_id)
    return int(_HIGHEST_NUMBER.scalar(connection, meeting_id=meeting_id) or 0) + 1


CHANGE_ACTIONS = (
    "meeting.rescheduled",
    "meeting.cancelled",
    "meeting.reopened",
    "meeting.approved",
    "item.moved",
)


@dataclass(frozen=True)
class Change:
    """An audited change to the meeting or its agenda: the entry's seq, time, actor,
    action and data."""

    seq: int
    at: datetime
    actor: str
    action: str
    item_id: int | None
    data: dict[str, Any]


# The entries of those actions whose canonical body (no spaces) holds the meeting's id after
# a key ending in "meeting_id" (LIKE's "_" matches any one character): a superset of the
# meeting's own, found by the database; each is then checked against its parsed data.
_CHANGES = Prepared(
    select(
        col(AuditEntry.seq),
        col(AuditEntry.recorded_at),
        col(AuditEntry.actor),
        col(AuditEntry.action),
        col(AuditEntry.item_id),
        col(AuditEntry.body),
    )
    .where(
        or_(*(col(AuditEntry.action) == action for action in CHANGE_ACTIONS)),
        or_(
            col(AuditEntry.body).contains(bindparam("then_more")),
            col(AuditEntry.body).contains(bindparam("then_end")),
        ),
    )
    .order_by(col(AuditEntry.seq))
)


def changes(session: Session, meeting_id: int) -> list[Change]:
    """The rescheduling, cancelling, reopening and approval of the meeting's minutes, and
    the items moved to or from it, oldest first, as the audit trail holds them."""
    found = []
    for seq, at, actor, action, item_id, body in _CHANGES.rows(
        connection_of(session),
        then_more=f'meeting_id":{meeting_id},',
        then_end=f'meeting_id":{meeting_id}}}',
    ):
        data = json.loads(body)["data"]
        named = (data.get("meeting_id"), data.get("from_meeting_id"), data.get("to_meeting_id"))
        if meeting_id in named:
            found.append(Change(seq, at, actor, action, item_id, data))
    return found


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
    status: str | None = None,
    limit: int | None = None,
) -> list[MeetingLine]:
    """Meetings (of those committees, or of all; dated from ``start`` to ``end``; of one
    status: ``planned``, ``held`` or ``cancelled``), by date, a meeting without a date last."""
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
    if status is not None:
        statement = statement.where(*_STATUS[status])
    if committee_codes is not None:
        statement = statement.where(col(Committee.code).in_(committee_codes))
    return [MeetingLine(*found) for found in session.execute(statement).all()]


_STATUS = {
    "planned": (col(Meeting.held_at).is_(None), col(Meeting.cancelled_at).is_(None)),
    "held": (col(Meeting.held_at).is_not(None),),
    "cancelled": (col(Meeting.cancelled_at).is_not(None),),
}


def unheld_after(
    session: Session, *, committee_id: int, after: date | None, limit: int = 20
) -> list[Meeting]:
    """The committee's meetings not yet held, dated after ``after`` (all, if None), soonest
    first; a meeting without a date comes last."""
    statement = select(Meeting).where(
        col(Meeting.committee_id) == committee_id,
        col(Meeting.held_at).is_(None),
        col(Meeting.cancelled_at).is_(None),
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
