"""Where an obligation line's result goals stand: per goal and period, the target in force,
the value reported, met or not, and the trend (the rows of ``council status`` and of
"Status på mål" in an item's documents).

Which reported value counts for a period: the one the item that fulfilled the period
reported, if it reported one; else the one recorded last for that period (a status still
on its way to the committee).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, bindparam, select
from sqlmodel import Session, col

from council.cases.db import connection_of
from council.cases.errors import InvalidInputError
from council.cases.models import AgendaEntry
from council.cases.obligations import goal_rules
from council.cases.obligations.fulfilment import Fulfilment, by_period, fulfilments
from council.cases.obligations.goal_rules import Assessment, InForce, Trend
from council.cases.obligations.goals import Goal, ReportedValue, goals_of, values_of
from council.cases.obligations.lines import Line, lines
from council.cases.obligations.periods import Period
from council.cases.obligations.tables import GOAL_TABLE, LINK_TABLE, VALUE_TABLE
from council.cases.prepared import Prepared


@dataclass(frozen=True, slots=True)
class GoalPeriod:
    """One goal in one period."""

    period: Period
    target: InForce | None
    value: ReportedValue | None
    assessment: Assessment


@dataclass(frozen=True, slots=True)
class GoalStatus:
    """One goal across the periods shown, and its trend."""

    goal: Goal
    periods: tuple[GoalPeriod, ...]
    trend: Trend | None


@dataclass(frozen=True, slots=True)
class LineGoals:
    """A line's goals, and which item fulfilled which period."""

    line: Line
    goals: tuple[GoalStatus, ...]
    fulfilled: dict[str, Fulfilment]


def line_goals(
    source: Session | Connection,
    found_lines: Sequence[Line],
    *,
    fulfilling_states: Iterable[str],
    period_key: str | None = None,
) -> list[LineGoals]:
    """The goals of each line, across its periods (or only ``period_key``; the trend is
    still reckoned up to that period)."""
    connection = connection_of(source) if isinstance(source, Session) else source
    line_ids = [line.id for line in found_lines]
    goals = goals_of(connection, line_ids)
    values = values_of(connection, [goal.id for found in goals.values() for goal in found])
    done = fulfilments(connection, line_ids, fulfilling_states=fulfilling_states)
    result = []
    for line in found_lines:
        periods = line.periods
        assigned = by_period(periods, done[line.id])
        statuses = []
        for goal in goals[line.id]:
            rows = [_goal_period(goal, period, values[goal.id], assigned) for period in periods]
            if period_key is not None:
                upto = [p.key for p in periods].index(period_key) + 1
                rows = rows[:upto]
            tendency = goal_rules.trend(row.value.value if row.value else None for row in rows)
            shown = rows[-1:] if period_key is not None else rows
            statuses.append(GoalStatus(goal, tuple(shown), tendency))
        result.append(LineGoals(line, tuple(statuses), assigned))
    return result


def _goal_period(
    goal: Goal,
    period: Period,
    values: Sequence[ReportedValue],
    assigned: dict[str, Fulfilment],
) -> GoalPeriod:
    target = goal_rules.in_force(goal.targets, period)
    mine = [value for value in values if value.period_key == period.key]
    fulfilment = assigned.get(period.key)
    by_fulfilling = [v for v in mine if fulfilment and v.item_id == fulfilment.item_id]
    chosen = by_fulfilling or mine
    value = chosen[-1] if chosen else None
    assessment = goal_rules.assess(
        goal.direction, target.target if target else None, value.value if value else None
    )
    return GoalPeriod(period, target, value, assessment)


def lines_of_item(source: Session | Connection, item_id: int) -> list[Line]:
    """The obligation lines an item is linked to (answers), in the order they were linked."""
    connection = connection_of(source) if isinstance(source, Session) else source
    ids = list(
        connection.scalars(
            select(LINK_TABLE.c.obligation_id)
            .where(LINK_TABLE.c.item_id == item_id)
            .order_by(LINK_TABLE.c.id)
        )
    )
    return lines(connection, ids=ids) if ids else []


def reported_periods(source: Session | Connection, item_id: int) -> list[str]:
    """The periods an item reported values for."""
    connection = connection_of(source) if isinstance(source, Session) else source
    return list(
        connection.scalars(
            select(VALUE_TABLE.c.period_key)
            .where(VALUE_TABLE.c.item_id == item_id)
            .distinct()
            .order_by(VALUE_TABLE.c.period_key)
        )
    )


def known_period(line: Line, period: str | None) -> str | None:
    """``period`` as one of the line's period keys (``None`` stays ``None``: every period)."""
    if period is None:
        return None
    text = period.strip()
    keys = [p.key for p in line.periods]
    if text not in keys:
        raise InvalidInputError(
            f"obligation {line.id} ({line.case_number}, {line.committee_code}) has no period "
            f"'{text}'; its periods: {', '.join(keys)}"
        )
    return text


def period_of_item(
    line: Line, item_id: int, fulfilled: dict[str, Fulfilment], *, today: date | None = None
) -> Period:
    """The period a status item reports on: the one it fulfilled; else the earliest not yet
    fulfilled (that has begun by ``today``, when given): the one it will fulfil; else the
    first."""
    for key, fulfilment in fulfilled.items():
        if fulfilment.item_id == item_id:
            return next(p for p in line.periods if p.key == key)
    open_periods = [
        p for p in line.periods if p.key not in fulfilled and (today is None or p.start <= today)
    ]
    return (open_periods or list(line.periods))[0]


@dataclass(frozen=True, slots=True)
class ItemGoals:
    """The goals an item reports on: its line, the period, and each goal's row."""

    line: Line
    period: Period
    goals: tuple[GoalStatus, ...]


def item_goals(
    source: Session | Connection,
    item_id: int,
    *,
    fulfilling_states: Iterable[str],
    today: date | None = None,
) -> ItemGoals | None:
    """The "Status på mål" of an item: the goals of the line it answers, for the period it
    reported on (or fulfils); ``None`` when it answers no line with goals."""
    states = tuple(fulfilling_states)
    for line in lines_of_item(source, item_id):
        [found] = line_goals(source, [line], fulfilling_states=states)
        if not found.goals:
            continue
        reported = reported_periods(source, item_id)
        keys = [p.key for p in line.periods]
        if reported and all(key in keys for key in reported):
            period = next(p for p in line.periods if p.key == reported[-1])
        else:
            period = period_of_item(line, item_id, found.fulfilled, today=today)
        [shown] = line_goals(source, [line], fulfilling_states=states, period_key=period.key)
        return ItemGoals(line, period, shown.goals)
    return None


_ON_AGENDA_WITH_GOALS = Prepared(
    select(LINK_TABLE.c.item_id)
    .where(
        LINK_TABLE.c.item_id.in_(
            select(col(AgendaEntry.item_id)).where(
                col(AgendaEntry.meeting_id) == bindparam("meeting_id")
            )
        ),
        LINK_TABLE.c.obligation_id.in_(select(GOAL_TABLE.c.obligation_id)),
    )
    .distinct()
)


def agenda_goals(
    source: Session | Connection,
    meeting_id: int,
    *,
    fulfilling_states: Iterable[str],
    today: date | None = None,
) -> dict[int, ItemGoals]:
    """The "Status på mål" of every item on the meeting's agenda that has one (by item id):
    one compiled select finds the items linked to a line with goals, and only those are
    read as :func:`item_goals` reads one item."""
    connection = connection_of(source) if isinstance(source, Session) else source
    states = tuple(fulfilling_states)
    found = {}
    for (item_id,) in _ON_AGENDA_WITH_GOALS.rows(connection, meeting_id=meeting_id):
        goals = item_goals(connection, item_id, fulfilling_states=states, today=today)
        if goals is not None:
            found[item_id] = goals
    return found
