"""Read queries for browsing: a committee's meetings, what awaits the secretariat, search.

They sit beside :mod:`cases.queries` and only read. Which rows a viewer may see is not
decided here: a caller that must leave closed items out says so (``include_closed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlmodel import Session, col

from council.cases.models import AgendaEntry, AgendaItem, Case, Committee, Decision, Meeting


def meetings_of_committee(session: Session, committee_id: int) -> list[Meeting]:
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


def meetings_between(
    session: Session, *, committee_codes: tuple[str, ...] | None, start: date, end: date
) -> list[MeetingLine]:
    """Meetings dated from ``start`` to ``end`` (of those committees, or of all), by date."""
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
        select(Meeting, Committee.code, Committee.name, items, decided)
        .join(Committee, col(Committee.id) == col(Meeting.committee_id))
        .where(col(Meeting.date) >= start, col(Meeting.date) <= end)
        .order_by(col(Meeting.date), col(Committee.code))
    )
    if committee_codes is not None:
        statement = statement.where(col(Committee.code).in_(committee_codes))
    return [MeetingLine(*row) for row in session.execute(statement).all()]


@dataclass(frozen=True)
class ItemLine:
    """An item as a list shows it, with the latest meeting it was put before."""

    id: int
    title: str
    closed: bool
    kind: str
    state: str
    version: int
    case_number: str
    committee_code: str
    meeting_id: int | None
    meeting_date: date | None
    agenda_number: int | None


def items_in_states(
    session: Session,
    *,
    states: frozenset[str],
    committee_codes: tuple[str, ...] | None = None,
    committee_id: int | None = None,
    limit: int = 200,
) -> list[ItemLine]:
    """Items whose state is one of ``states``, oldest first, each with its latest agenda
    entry (meeting, date, number) when it has one."""
    latest = (
        select(func.max(AgendaEntry.id))
        .where(col(AgendaEntry.item_id) == col(AgendaItem.id))
        .correlate(AgendaItem)
        .scalar_subquery()
    )
    statement = (
        select(
            AgendaItem.id,
            AgendaItem.title,
            AgendaItem.closed,
            AgendaItem.kind,
            AgendaItem.state,
            AgendaItem.version,
            Case.number,
            Committee.code,
            Meeting.id,
            Meeting.date,
            AgendaEntry.number,
        )
        .join(Case, col(Case.id) == col(AgendaItem.case_id))
        .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
        .outerjoin(AgendaEntry, col(AgendaEntry.id) == latest)
        .outerjoin(Meeting, col(Meeting.id) == col(AgendaEntry.meeting_id))
        .where(col(AgendaItem.state).in_(sorted(states)))
        .order_by(col(AgendaItem.id))
        .limit(limit)
    )
    if committee_codes is not None:
        statement = statement.where(col(Committee.code).in_(committee_codes))
    if committee_id is not None:
        statement = statement.where(col(AgendaItem.committee_id) == committee_id)
    return [ItemLine(*row) for row in session.execute(statement).all()]


def unheld_meetings_after(
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


def cases(session: Session, *, text: str = "", limit: int = 100) -> list[Case]:
    """Cases whose number or title contains ``text`` (all when empty), the newest first."""
    statement = select(Case).order_by(col(Case.id).desc()).limit(limit)
    wanted = text.strip()
    if wanted:
        pattern = f"%{_escape_like(wanted)}%"
        statement = statement.where(
            or_(
                col(Case.number).ilike(pattern, escape="\\"),
                col(Case.title).ilike(pattern, escape="\\"),
            )
        )
    return list(session.scalars(statement))


@dataclass(frozen=True)
class FoundItem:
    id: int
    title: str
    state: str
    case_number: str
    committee_code: str


def items_titled_like(
    session: Session, *, text: str, include_closed: bool, limit: int = 50
) -> list[FoundItem]:
    """Items whose title contains ``text``; a closed item is matched only when
    ``include_closed`` (its title must not be found by those who may not read it)."""
    wanted = text.strip()
    if not wanted:
        return []
    pattern = f"%{_escape_like(wanted)}%"
    condition: ColumnElement[bool] = col(AgendaItem.title).ilike(pattern, escape="\\")
    if not include_closed:
        condition = and_(condition, col(AgendaItem.closed).is_(False))
    rows = session.execute(
        select(AgendaItem.id, AgendaItem.title, AgendaItem.state, Case.number, Committee.code)
        .join(Case, col(Case.id) == col(AgendaItem.case_id))
        .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
        .where(condition)
        .order_by(col(AgendaItem.id).desc())
        .limit(limit)
    ).all()
    return [FoundItem(*row) for row in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
