"""Read queries for the documents (agenda, minutes, case history) and for importing items.

These sit beside :mod:`cases.queries` and only read; every write goes through a service in
``workflow``.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from council.cases.db import Prepared, connection_of
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    Case,
    Committee,
    Decision,
    Meeting,
)

# ------------------------------------------------------------------------------- documents


def agenda_entry(session: Session, *, meeting_id: int, item_id: int) -> AgendaEntry | None:
    """The placement of an item on a meeting's agenda (the latest, should there be two)."""
    return session.scalars(
        select(AgendaEntry)
        .where(col(AgendaEntry.meeting_id) == meeting_id, col(AgendaEntry.item_id) == item_id)
        .order_by(col(AgendaEntry.audit_seq).desc())
    ).first()


class ItemRow(NamedTuple):
    """The columns of an agenda item a document shows (a plain row, not an ORM object)."""

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


class DecisionRow(NamedTuple):
    """The columns of a decision a document shows, with its meeting's date."""

    id: int
    item_id: int
    meeting_id: int | None
    audit_seq: int
    decided_on: date | None
    to_state: str
    outcome: str | None
    text: str
    meeting_date: date | None


_ITEM_COLUMNS = [getattr(AgendaItem, name) for name in ItemRow._fields]
_ON_AGENDA = select(AgendaEntry.item_id).where(
    col(AgendaEntry.meeting_id) == bindparam("meeting_id")
)
_AGENDA_LINES = Prepared(
    select(AgendaEntry.number, AgendaEntry.audit_seq, Case.number, *_ITEM_COLUMNS)
    .join(AgendaItem, col(AgendaItem.id) == col(AgendaEntry.item_id))
    .join(Case, col(Case.id) == col(AgendaItem.case_id))
    .where(col(AgendaEntry.meeting_id) == bindparam("meeting_id"))
    .order_by(col(AgendaEntry.number))
)
_AGENDA_DECISIONS = Prepared(
    select(*[getattr(Decision, name) for name in DecisionRow._fields[:-1]], Meeting.date)
    .outerjoin(Meeting, col(Meeting.id) == col(Decision.meeting_id))
    .where(col(Decision.item_id).in_(_ON_AGENDA))
    .order_by(col(Decision.audit_seq))
)
_AGENDA_ATTACHMENTS = Prepared(
    select(Attachment.item_id, Attachment.title)
    .where(col(Attachment.item_id).in_(_ON_AGENDA))
    .order_by(col(Attachment.item_id), col(Attachment.position))
)


def agenda_lines(session: Session, meeting_id: int) -> list[tuple[int, int, str, ItemRow]]:
    """The meeting's agenda in order: (number, the entry's audit seq, case number, item);
    one compiled select of plain columns."""
    return [
        (row[0], row[1], row[2], ItemRow._make(row[3:]))
        for row in _AGENDA_LINES.rows(connection_of(session), meeting_id=meeting_id)
    ]


def agenda_decisions(session: Session, meeting_id: int) -> dict[int, list[DecisionRow]]:
    """Every decision on the items of the meeting's agenda, per item in recorded order."""
    found: dict[int, list[DecisionRow]] = {}
    for row in _AGENDA_DECISIONS.rows(connection_of(session), meeting_id=meeting_id):
        decision = DecisionRow._make(row)
        found.setdefault(decision.item_id, []).append(decision)
    return found


def agenda_attachments(session: Session, meeting_id: int) -> dict[int, list[str]]:
    """The attachment titles of the items of the meeting's agenda, per item in order."""
    found: dict[int, list[str]] = {}
    for item_id, title in _AGENDA_ATTACHMENTS.rows(connection_of(session), meeting_id=meeting_id):
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


def items_titled(
    session: Session, *, case_id: int, committee_id: int, title: str
) -> list[AgendaItem]:
    """Every item of a case for a committee with exactly this title, oldest first."""
    return list(
        session.scalars(
            select(AgendaItem)
            .where(
                col(AgendaItem.case_id) == case_id,
                col(AgendaItem.committee_id) == committee_id,
                col(AgendaItem.title) == title,
            )
            .order_by(col(AgendaItem.id))
        )
    )


def decisions_of_items(
    session: Session, item_ids: list[int]
) -> dict[int, list[tuple[Decision, date | None]]]:
    """Each item's decisions with their meeting's date, in recorded order (one query)."""
    found: dict[int, list[tuple[Decision, date | None]]] = {item_id: [] for item_id in item_ids}
    if not item_ids:
        return found
    rows = session.execute(
        select(Decision, Meeting.date)
        .outerjoin(Meeting, col(Meeting.id) == col(Decision.meeting_id))
        .where(col(Decision.item_id).in_(item_ids))
        .order_by(col(Decision.audit_seq))
    ).all()
    for decision, on in rows:
        found[decision.item_id].append((decision, on))
    return found


def numbers_at_meeting(
    session: Session, *, meeting_id: int, item_ids: list[int]
) -> dict[int, int | None]:
    """The agenda numbers the items have at the meeting, for those on its agenda."""
    if not item_ids:
        return {}
    rows = session.execute(
        select(AgendaEntry.item_id, AgendaEntry.number).where(
            col(AgendaEntry.meeting_id) == meeting_id, col(AgendaEntry.item_id).in_(item_ids)
        )
    ).all()
    return {item_id: number for item_id, number in rows}


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
