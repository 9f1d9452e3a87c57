"""The store of result goals: goals, their targets and revisions, the values reported.

Every write lands together with its audit entry, whose body holds the full after-image of
the row it wrote (``goal.added`` with the goal and its first target, ``goal.revised`` with
the new target, ``goal.value_reported`` with the value), so ``audit verify`` rebuilds
these tables from the trail. A revision never changes an earlier target: it is a new
row, so the history of a goal's targets is kept. A value reported again for the same
goal, period and item replaces the earlier one, and its entry holds both.

What is checked here is what only the records know (a goal's name is unique on its line,
a period belongs to the line); the numbers and words are checked before (``goal_rules``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlmodel import Session

from council.cases import audit
from council.cases.db import connection_of
from council.cases.errors import GoalExists, InvalidInputError, UnknownGoal
from council.cases.obligations.goal_rules import TargetEntry
from council.cases.obligations.lines import Line
from council.cases.obligations.tables import (
    GOAL_TABLE,
    TARGET_TABLE,
    VALUE_TABLE,
    chunks,
)


@dataclass(frozen=True, slots=True)
class Goal:
    """A result goal of a line, with every target agreed for it, oldest first."""

    id: int
    obligation_id: int
    name: str
    unit: str
    direction: str
    position: int
    targets: tuple[TargetEntry, ...]


@dataclass(frozen=True, slots=True)
class ReportedValue:
    """A value a status item reported for a goal in a period."""

    id: int
    goal_id: int
    item_id: int
    period_key: str
    value: float
    approximate: bool
    note: str
    recorded_at: datetime


def _connection(source: Session | Connection) -> Connection:
    return connection_of(source) if isinstance(source, Session) else source


def goals_of(source: Session | Connection, line_ids: Sequence[int]) -> dict[int, list[Goal]]:
    """Per line, its goals in their order, each with its targets."""
    connection = _connection(source)
    result: dict[int, list[Goal]] = {line_id: [] for line_id in line_ids}
    rows: list[Any] = []
    for chunk in chunks(list(line_ids)):
        rows += connection.execute(
            select(
                GOAL_TABLE.c.id,
                GOAL_TABLE.c.obligation_id,
                GOAL_TABLE.c.name,
                GOAL_TABLE.c.unit,
                GOAL_TABLE.c.direction,
                GOAL_TABLE.c.position,
            ).where(GOAL_TABLE.c.obligation_id.in_(chunk))
        ).all()
    targets = _targets(connection, [row[0] for row in rows])
    for goal_id, line_id, name, unit, direction, position in sorted(rows, key=lambda r: r[5]):
        result[line_id].append(
            Goal(goal_id, line_id, name, unit, direction, position, tuple(targets[goal_id]))
        )
    return result


def _targets(connection: Connection, goal_ids: Sequence[int]) -> dict[int, list[TargetEntry]]:
    result: dict[int, list[TargetEntry]] = {goal_id: [] for goal_id in goal_ids}
    for chunk in chunks(list(goal_ids)):
        for target_id, goal_id, period_key, target, agreed_on, reason in connection.execute(
            select(
                TARGET_TABLE.c.id,
                TARGET_TABLE.c.goal_id,
                TARGET_TABLE.c.period_key,
                TARGET_TABLE.c.target,
                TARGET_TABLE.c.agreed_on,
                TARGET_TABLE.c.reason,
            )
            .where(TARGET_TABLE.c.goal_id.in_(chunk))
            .order_by(TARGET_TABLE.c.id)
        ).all():
            result[goal_id].append(
                TargetEntry(target_id, period_key, float(target), agreed_on, reason)
            )
    return result


def values_of(
    source: Session | Connection, goal_ids: Sequence[int]
) -> dict[int, list[ReportedValue]]:
    """Per goal, every value reported for it, in the order they were recorded."""
    connection = _connection(source)
    result: dict[int, list[ReportedValue]] = {goal_id: [] for goal_id in goal_ids}
    for chunk in chunks(list(goal_ids)):
        for row in connection.execute(
            select(
                VALUE_TABLE.c.id,
                VALUE_TABLE.c.goal_id,
                VALUE_TABLE.c.item_id,
                VALUE_TABLE.c.period_key,
                VALUE_TABLE.c.value,
                VALUE_TABLE.c.approximate,
                VALUE_TABLE.c.note,
                VALUE_TABLE.c.recorded_at,
            )
            .where(VALUE_TABLE.c.goal_id.in_(chunk))
            .order_by(VALUE_TABLE.c.recorded_at, VALUE_TABLE.c.id)
        ).all():
            value_id, goal_id, item_id, period_key, value, approximate, note, at = row
            result[goal_id].append(
                ReportedValue(
                    value_id, goal_id, item_id, period_key, float(value), bool(approximate),
                    note, at,
                )
            )  # fmt: skip
    return result


def goal_named(goals: Sequence[Goal], name: str, *, line: Line) -> Goal:
    """The goal called ``name`` (case and spacing ignored); refused naming the goals there are."""
    wanted = _folded(name)
    for goal in goals:
        if _folded(goal.name) == wanted:
            return goal
    raise UnknownGoal(
        name,
        obligation_id=line.id,
        case_number=line.case_number,
        committee_code=line.committee_code,
        known=[goal.name for goal in goals],
    )


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def add_goal(
    session: Session,
    line: Line,
    *,
    name: str,
    unit: str,
    direction: str,
    targets: Sequence[tuple[str | None, float]],
    agreed_on: date,
    reason: str,
    actor: str,
    now: datetime,
) -> Goal:
    """Record a goal of ``line`` with its first targets (``(None, n)`` for every period,
    ``("2009", n)`` for one), and the audit entry ``goal.added``."""
    connection = session.connection()  # the session commits what is written on it
    existing = goals_of(connection, [line.id])[line.id]
    if any(_folded(goal.name) == _folded(name) for goal in existing):
        raise GoalExists(
            name,
            obligation_id=line.id,
            case_number=line.case_number,
            committee_code=line.committee_code,
        )
    position = (
        connection.scalar(
            select(func.coalesce(func.max(GOAL_TABLE.c.position), 0)).where(
                GOAL_TABLE.c.obligation_id == line.id
            )
        )
        or 0
    ) + 1
    goal_row = {
        "obligation_id": line.id,
        "name": name,
        "unit": unit,
        "direction": direction,
        "position": position,
    }
    goal_id = _insert(connection, GOAL_TABLE, {**goal_row, "actor": actor, "created_at": now})
    entries, bodies = [], []
    for period_key, target in targets:
        target_row = _target_row(goal_id, period_key, target, agreed_on, reason)
        target_id = _insert(
            connection, TARGET_TABLE, {**target_row, "actor": actor, "recorded_at": now}
        )
        entries.append(TargetEntry(target_id, period_key, target, agreed_on, reason))
        bodies.append({"id": target_id, **_target_body(target_row)})
    _audit(
        connection,
        "goal.added",
        line=line,
        actor=actor,
        now=now,
        data={
            "case": line.case_number,
            "committee": line.committee_code,
            "goal": {"id": goal_id, **goal_row},
            "targets": bodies,
        },
    )
    return Goal(goal_id, line.id, name, unit, direction, position, tuple(entries))


def revise_goal(
    session: Session,
    line: Line,
    goal: Goal,
    *,
    target: float,
    period_key: str | None,
    agreed_on: date,
    reason: str,
    actor: str,
    now: datetime,
) -> TargetEntry:
    """Record a revised target of ``goal`` (a new row; the earlier ones are kept) and the
    audit entry ``goal.revised``."""
    connection = session.connection()  # the session commits what is written on it
    target_row = _target_row(goal.id, period_key, target, agreed_on, reason)
    target_id = _insert(
        connection, TARGET_TABLE, {**target_row, "actor": actor, "recorded_at": now}
    )
    _audit(
        connection,
        "goal.revised",
        line=line,
        actor=actor,
        now=now,
        data={
            "committee": line.committee_code,
            "goal": goal.name,
            "target": {"id": target_id, **_target_body(target_row)},
        },
    )
    return TargetEntry(target_id, period_key, target, agreed_on, reason)


def report_value(
    session: Session,
    line: Line,
    goal: Goal,
    *,
    item_id: int,
    period_key: str,
    value: float,
    approximate: bool,
    note: str,
    actor: str,
    now: datetime,
) -> ReportedValue:
    """Record what item ``item_id`` reports for ``goal`` in ``period_key`` (replacing what
    it reported before for that goal and period), and the audit entry ``goal.value_reported``."""
    if period_key not in {period.key for period in line.periods}:
        keys = ", ".join(period.key for period in line.periods)
        raise InvalidInputError(
            f"statusforpligtelse {line.id} har ingen periode '{period_key}'; dens perioder: {keys}"
        )
    connection = session.connection()  # the session commits what is written on it
    row = {
        "goal_id": goal.id,
        "item_id": item_id,
        "period_key": period_key,
        "value": value,
        "approximate": approximate,
        "note": note,
    }
    value_id, previous = _write_value(connection, row, actor=actor, now=now)
    _audit(
        connection,
        "goal.value_reported",
        line=line,
        actor=actor,
        now=now,
        item_id=item_id,
        data={
            "committee": line.committee_code,
            "goal": goal.name,
            "value": {"id": value_id, **row, "value": _number(value)},
            "previous": previous,
        },
    )
    return ReportedValue(value_id, goal.id, item_id, period_key, value, approximate, note, now)


def _write_value(
    connection: Connection, row: dict[str, Any], *, actor: str, now: datetime
) -> tuple[int, dict[str, Any] | None]:
    """Write one reported value, replacing what the same item reported for the same goal
    and period; returns its id and the value it replaced (None when new)."""
    before = connection.execute(
        select(VALUE_TABLE.c.id, VALUE_TABLE.c.value, VALUE_TABLE.c.approximate).where(
            VALUE_TABLE.c.goal_id == row["goal_id"],
            VALUE_TABLE.c.period_key == row["period_key"],
            VALUE_TABLE.c.item_id == row["item_id"],
        )
    ).first()
    if before is None:
        return _insert(connection, VALUE_TABLE, {**row, "actor": actor, "recorded_at": now}), None
    connection.execute(
        update(VALUE_TABLE)
        .where(VALUE_TABLE.c.id == before[0])
        .values(
            value=row["value"],
            approximate=row["approximate"],
            note=row["note"],
            actor=actor,
            recorded_at=now,
        )
    )
    return before[0], {"value": _number(before[1]), "approximate": bool(before[2])}


def _target_row(
    goal_id: int, period_key: str | None, target: float, agreed_on: date, reason: str
) -> dict[str, Any]:
    return {
        "goal_id": goal_id,
        "period_key": period_key,
        "target": target,
        "agreed_on": agreed_on,
        "reason": reason,
    }


def _target_body(row: dict[str, Any]) -> dict[str, Any]:
    """A target row as its audit entry holds it (the day as ISO text)."""
    return {**row, "target": _number(row["target"]), "agreed_on": row["agreed_on"].isoformat()}


def _number(value: float) -> int | float:
    """Whole numbers as JSON integers, so the trail reads 427, not 427.0."""
    return int(value) if float(value).is_integer() else float(value)


def _insert(connection: Connection, table: Any, values: dict[str, Any]) -> int:
    result = connection.execute(table.insert().values(**values))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _audit(
    connection: Connection,
    action: str,
    *,
    line: Line,
    actor: str,
    now: datetime,
    data: dict[str, Any],
    item_id: int | None = None,
) -> None:
    audit.append(
        connection,
        audit.next_link(connection),
        action=action,
        actor=actor,
        now=now,
        case_id=line.case_id,
        item_id=item_id,
        data={"obligation_id": line.id, **data},
    )
