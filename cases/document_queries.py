"""Read queries for the documents (agenda, minutes, case history) and for importing items.

These sit beside :mod:`cases.queries` and only read; every write goes through a service in
``workflow``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    Case,
    Committee,
    Decision,
    Meeting,
)

_CHUNK = 500

# ------------------------------------------------------------------------------- documents


def agenda_entry(session: Session, *, meeting_id: int, item_id: int) -> AgendaEntry | None:
    """The placement of an item on a meeting's agenda (the latest, should there be two)."""
    return session.scalars(
        select(AgendaEntry)
        .where(col(AgendaEntry.meeting_id) == meeting_id, col(AgendaEntry.item_id) == item_id)
        .order_by(col(AgendaEntry.audit_seq).desc())
    ).first()


def agenda_lines(session: Session, meeting_id: int) -> list[tuple[int, int, AgendaItem, str]]:
    """The meeting's agenda in order: (number, the entry's audit seq, item, case number)."""
    return [
        (number, seq, item, case_number)
        for number, seq, item, case_number in session.execute(
            select(AgendaEntry.number, AgendaEntry.audit_seq, AgendaItem, Case.number)
            .join(AgendaItem, col(AgendaItem.id) == col(AgendaEntry.item_id))
            .join(Case, col(Case.id) == col(AgendaItem.case_id))
            .where(col(AgendaEntry.meeting_id) == meeting_id)
            .order_by(col(AgendaEntry.number))
        ).all()
    ]


def decisions_of_items(
    session: Session, item_ids: list[int]
) -> dict[int, list[tuple[Decision, date | None]]]:
    """Each item's decisions in recorded order, with the date of the meeting each was at."""
    found: dict[int, list[tuple[Decision, date | None]]] = {}
    for start in range(0, len(item_ids), _CHUNK):
        for decision, on in session.execute(
            select(Decision, Meeting.date)
            .outerjoin(Meeting, col(Meeting.id) == col(Decision.meeting_id))
            .where(col(Decision.item_id).in_(item_ids[start : start + _CHUNK]))
            .order_by(col(Decision.audit_seq))
        ).all():
            found.setdefault(decision.item_id, []).append((decision, on))
    return found


def attachments_of_items(session: Session, item_ids: list[int]) -> dict[int, list[str]]:
    """Each item's attachment titles in order."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(item_ids), _CHUNK):
        for item_id, title in session.execute(
            select(Attachment.item_id, Attachment.title)
            .where(col(Attachment.item_id).in_(item_ids[start : start + _CHUNK]))
            .order_by(col(Attachment.item_id), col(Attachment.position))
        ).all():
            found.setdefault(item_id, []).append(title)
    return found


def case_of(session: Session, case_id: int) -> Case | None:
    return session.get(Case, case_id)


# ------------------------------------------------------------------------------- importing


def all_committees(session: Session) -> list[Committee]:
    """Every committee, by code."""
    return list(session.scalars(select(Committee).order_by(col(Committee.code))))


def find_case(session: Session, number: str) -> Case | None:
    return session.scalars(select(Case).where(col(Case.number) == number)).first()


def meeting_on(session: Session, *, committee_id: int, on: date) -> Meeting | None:
    """The committee's meeting on a date, if there is one."""
    return session.scalars(
        select(Meeting).where(col(Meeting.committee_id) == committee_id, col(Meeting.date) == on)
    ).first()


def item_titled(
    session: Session, *, case_id: int, committee_id: int, title: str
) -> AgendaItem | None:
    """A case's item for a committee with exactly this title (the first, if several)."""
    return session.scalars(
        select(AgendaItem)
        .where(
            col(AgendaItem.case_id) == case_id,
            col(AgendaItem.committee_id) == committee_id,
            col(AgendaItem.title) == title,
        )
        .order_by(col(AgendaItem.id))
    ).first()


def items_on_meeting_titled(session: Session, *, meeting_id: int, title: str) -> list[AgendaItem]:
    """The items with exactly this title that were put before the meeting."""
    return list(
        session.scalars(
            select(AgendaItem)
            .join(AgendaEntry, col(AgendaEntry.item_id) == col(AgendaItem.id))
            .where(col(AgendaEntry.meeting_id) == meeting_id, col(AgendaItem.title) == title)
            .order_by(col(AgendaItem.id))
            .distinct()
        )
    )


def item_numbered(session: Session, *, meeting_id: int, number: int) -> AgendaItem | None:
    """The item that holds agenda number ``number`` at the meeting, if any."""
    return session.scalars(
        select(AgendaItem)
        .join(AgendaEntry, col(AgendaEntry.item_id) == col(AgendaItem.id))
        .where(col(AgendaEntry.meeting_id) == meeting_id, col(AgendaEntry.number) == number)
    ).first()
