"""Which decisions fulfil an obligation line, and the items linked to it.

Fulfilment is derived from the decision history, never stored: a period is fulfilled by a
decision that moved a linked item of the line's committee into one of the workflow's
fulfilling states (the caller passes them in; this layer does not know the workflow). Which
period a decision fulfils follows :func:`periods.fulfilments_by_period`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import Session, col

from council.cases.dates import local_date
from council.cases.models import AgendaItem, Decision, Meeting
from council.cases.obligations.periods import Period, fulfilments_by_period
from council.cases.obligations.tables import ObligationLink, StatusObligation, chunks


@dataclass(frozen=True, slots=True)
class Fulfilment:
    """A decision that moved a linked item into a fulfilling state at the line's committee."""

    on: date
    item_id: int
    decision_id: int
    to_state: str


@dataclass(frozen=True, slots=True)
class LinkedItem:
    """An item linked to a line, as a reminder lists it."""

    id: int
    title: str
    state: str
    closed: bool = False


def fulfilments(
    source: Session | Connection,
    line_ids: Sequence[int],
    *,
    fulfilling_states: Iterable[str],
) -> dict[int, list[Fulfilment]]:
    """Per line, the fulfilling decisions of its linked items at its committee, by date.

    A decision's date is the one recorded with it, else its meeting's date, else the
    Copenhagen date it was recorded on. Only the first fulfilling decision of an item
    counts (final states have no way out, so there is at most one).
    """
    states = sorted(set(fulfilling_states))
    result: dict[int, list[Fulfilment]] = {line_id: [] for line_id in line_ids}
    if not states:
        return result
    seen: set[tuple[int, int]] = set()
    for chunk in chunks(line_ids):
        for line_id, decision_id, item_id, to_state, decided_on, meeting_on, at in source.execute(
            _fulfilling_decisions(chunk, states)
        ).all():
            if (line_id, item_id) not in seen:
                seen.add((line_id, item_id))
                on = decided_on or meeting_on or local_date(at)
                result[line_id].append(Fulfilment(on, item_id, decision_id, to_state))
    for found in result.values():
        found.sort(key=lambda f: (f.on, f.decision_id))
    return result


def _fulfilling_decisions(line_ids: list[int], states: list[str]) -> Any:
    return (
        select(
            col(ObligationLink.obligation_id),
            col(Decision.id),
            col(Decision.item_id),
            col(Decision.to_state),
            col(Decision.decided_on),
            col(Meeting.date),
            col(Decision.recorded_at),
        )
        .join(StatusObligation, col(StatusObligation.id) == ObligationLink.obligation_id)
        .join(AgendaItem, col(AgendaItem.id) == ObligationLink.item_id)
        .join(Decision, col(Decision.item_id) == AgendaItem.id)
        .outerjoin(Meeting, col(Meeting.id) == Decision.meeting_id)
        .where(
            col(ObligationLink.obligation_id).in_(line_ids),
            col(AgendaItem.committee_id) == StatusObligation.committee_id,
            col(Decision.to_state).in_(states),
        )
        .order_by(col(Decision.id))
    )


def by_period(periods: Sequence[Period], found: Iterable[Fulfilment]) -> dict[str, Fulfilment]:
    """Which of ``found`` fulfils which period, by the period's key."""
    assigned = fulfilments_by_period(periods, [(f.on, f) for f in found])
    return {key: fulfilment for key, (_on, fulfilment) in assigned.items()}


def linked_items(connection: Connection, line_ids: Sequence[int]) -> dict[int, list[LinkedItem]]:
    """Per line, its linked items (number, title, state, closed) in the order they were linked."""
    result: dict[int, list[LinkedItem]] = {line_id: [] for line_id in line_ids}
    for chunk in chunks(line_ids):
        for line_id, item_id, title, state, closed in connection.execute(
            select(
                col(ObligationLink.obligation_id),
                col(AgendaItem.id),
                col(AgendaItem.title),
                col(AgendaItem.state),
                col(AgendaItem.closed),
            )
            .join(AgendaItem, col(AgendaItem.id) == ObligationLink.item_id)
            .where(col(ObligationLink.obligation_id).in_(chunk))
            .order_by(col(ObligationLink.id))
        ).all():
            assert item_id is not None  # the key of a joined row
            result[line_id].append(LinkedItem(item_id, title, state, bool(closed)))
    return result
