"""Moving an agenda entry to another meeting, and numbering an agenda anew without gaps.

An item put before the wrong meeting keeps its agenda entry (when and by whom it was put
before a meeting, and from which state): the entry's meeting and number change, and the
items after it on the meeting it left move up one number each. Every entry given a new
meeting or number is returned, so that the audit entry of the move holds them all.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select, update
from sqlmodel import col

from council.cases import meetings
from council.cases.db import UnitOfWork
from council.cases.models import AgendaEntry, Decision, Meeting
from council.cases.prepared import Prepared


class Placement(NamedTuple):
    """An agenda entry's place: its meeting and number (None: a source printed none)."""

    id: int
    meeting_id: int
    number: int | None

    def image(self) -> dict[str, Any]:
        return self._asdict()


_AGENDA = Prepared(
    select(col(AgendaEntry.id), col(AgendaEntry.meeting_id), col(AgendaEntry.number))
    .where(col(AgendaEntry.meeting_id) == bindparam("meeting_id"))
    .order_by(col(AgendaEntry.number).nulls_last(), col(AgendaEntry.id))
)
_PLACE = Prepared(
    update(AgendaEntry).where(col(AgendaEntry.id) == bindparam("entry_id")),
    column_keys=("meeting_id", "number"),
)
_DECIDED_ITEMS = Prepared(
    select(col(Decision.item_id)).where(col(Decision.meeting_id) == bindparam("meeting_id"))
)


_ITEMS_ON = Prepared(
    select(col(AgendaEntry.item_id))
    .where(col(AgendaEntry.meeting_id) == bindparam("meeting_id"))
    .order_by(col(AgendaEntry.number).nulls_last(), col(AgendaEntry.id))
)


def items_on(uow: UnitOfWork, meeting_id: int) -> list[int]:
    """The items on the meeting's agenda, in its order."""
    return [item_id for (item_id,) in _ITEMS_ON.rows(uow.connection(), meeting_id=meeting_id)]


def decided_items(uow: UnitOfWork, meeting_id: int) -> set[int]:
    """The items that have a decision recorded at the meeting."""
    return {item_id for (item_id,) in _DECIDED_ITEMS.rows(uow.connection(), meeting_id=meeting_id)}


_EARLIER_TREATMENT = Prepared(
    select(col(Decision.item_id), func.max(col(Meeting.date)))
    .join(Meeting, col(Meeting.id) == col(Decision.meeting_id))
    .where(
        col(Decision.item_id).in_(
            select(col(AgendaEntry.item_id)).where(
                col(AgendaEntry.meeting_id) == bindparam("meeting_id")
            )
        ),
        col(Decision.meeting_id) != bindparam("meeting_id"),
        col(Meeting.date).is_not(None),
    )
    .group_by(col(Decision.item_id))
)
_ITEM_TREATED = Prepared(
    select(func.max(col(Meeting.date)))
    .join(Decision, col(Decision.meeting_id) == col(Meeting.id))
    .where(col(Decision.item_id) == bindparam("item_id"))
)


def treated_before(uow: UnitOfWork, meeting_id: int) -> dict[int, date]:
    """For each item on the meeting's agenda decided at another meeting too (postponed,
    discussed), the latest date of such a meeting."""
    return dict(_EARLIER_TREATMENT.rows(uow.connection(), meeting_id=meeting_id))


def last_decided_on(uow: UnitOfWork, item_id: int) -> date | None:
    """The date of the latest meeting at which the item has a decision (None: none)."""
    found: date | None = _ITEM_TREATED.scalar(uow.connection(), item_id=item_id)
    return found


def move(
    uow: UnitOfWork, *, entry_id: int, from_meeting_id: int, to_meeting_id: int
) -> list[Placement]:
    """Put the entry last on the other meeting's agenda and number both agendas from 1
    without gaps (entries without a number keep none); the entries whose place changed."""
    for meeting_id in sorted((from_meeting_id, to_meeting_id)):  # one order: no deadlock
        meetings.lock_agenda(uow, meeting_id)
    connection = uow.connection()
    changed = {entry.id: entry for entry in _renumber(uow, to_meeting_id)}
    number = meetings.claim_next_number(uow, to_meeting_id)
    _PLACE.run(connection, entry_id=entry_id, meeting_id=to_meeting_id, number=number)
    changed[entry_id] = Placement(entry_id, to_meeting_id, number)
    changed.update((entry.id, entry) for entry in _renumber(uow, from_meeting_id))
    return sorted(changed.values())


def _renumber(uow: UnitOfWork, meeting_id: int) -> list[Placement]:
    """Number the meeting's numbered entries 1, 2, ... in their order; those renumbered.

    In ascending order each new number is free when it is given: the entries before hold
    the numbers below it, and every entry after holds a higher one.
    """
    connection = uow.connection()
    renumbered = []
    agenda = [Placement._make(row) for row in _AGENDA.rows(connection, meeting_id=meeting_id)]
    numbered = [entry for entry in agenda if entry.number is not None]
    for position, entry in enumerate(numbered, start=1):
        if entry.number != position:
            _PLACE.run(connection, entry_id=entry.id, meeting_id=meeting_id, number=position)
            renumbered.append(Placement(entry.id, meeting_id, position))
    return renumbered
