"""Result goals of status obligations: the acts that record them, and the status table.

Acts like those in ``workflow.services``: keyword-only, an ``actor`` and an injected
``now``, everything given checked before anything is read or written, and every row
written together with its audit entry (``cases.obligations.goals``) in one transaction,
committed whole or not at all.

- ``add_goal``: a goal with its first target, on one line or on every line of a case
  (an agreement's goals hold for each committee that gets the status).
- ``revise_goal``: a new target with the day it was agreed and the reason; the earlier
  targets are kept.
- ``report_values``: what a status item reports for its goals, for the period it fulfils
  (or a period given).
- ``goal_table``: where the goals stand, per period (``council status``, the documents).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from council.cases import queries
from council.cases.dates import format_date, local_date, require_aware, require_plausible
from council.cases.db import Database, UnitOfWork
from council.cases.errors import InvalidInputError
from council.cases.obligations import fulfilment, goal_rules, goal_status, goals, lines
from council.cases.obligations.goal_status import LineGoals
from council.cases.obligations.lines import Line
from council.workflow.app import App
from council.workflow.services import require_actor
from council.workflow.spreadsheet import csv_text

MAX_NAME = 200
MAX_UNIT = 60
MAX_REASON = 2000
_HIDDEN = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


@dataclass(frozen=True)
class GoalValueGiven:
    """One value as a person gives it: the goal's name and the number as text."""

    goal: str
    value: str


def add_goal(
    uow: UnitOfWork,
    *,
    obligation_ref: str,
    name: str,
    targets: Sequence[str],
    unit: str = "",
    direction: str = "at_least",
    agreed_on: date | None = None,
    reason: str = "",
    actor: str,
    now: datetime,
) -> list[tuple[Line, goals.Goal]]:
    """Record a result goal with its targets on the line(s) ``obligation_ref`` names (a
    case alone: each of its lines). A target ``200`` holds for every period, ``2009=120``
    for that period only (a milestone); they were agreed on ``agreed_on`` (default: the
    obligation's start)."""
    actor, now = require_actor(actor), require_aware(now)
    name = _plain(name, what="the goal's name", longest=MAX_NAME, required=True)
    unit = _plain(unit, what="the unit", longest=MAX_UNIT)
    reason = _plain(reason, what="the reason", longest=MAX_REASON)
    given = _targets(targets)
    way = goal_rules.direction_of(direction)
    if agreed_on is not None:
        require_plausible(agreed_on, what=f"the day agreed {format_date(agreed_on)}")
    with uow:
        found = lines.every_by_ref(uow.session, obligation_ref)
        added = []
        for line in found:
            goal = goals.add_goal(
                uow.session,
                line,
                name=name,
                unit=unit,
                direction=way,
                targets=[(_period_key(line, period), value) for period, value in given],
                agreed_on=agreed_on or line.starts_on,
                reason=reason,
                actor=actor,
                now=now,
            )
            added.append((line, goal))
        uow.commit()
    return added


def revise_goal(
    uow: UnitOfWork,
    *,
    obligation_ref: str,
    name: str,
    target: str | float,
    reason: str,
    agreed_on: date | None = None,
    period: str | None = None,
    actor: str,
    now: datetime,
) -> list[tuple[Line, goals.Goal, goal_rules.TargetEntry]]:
    """Record a revised target of the goal ``name`` on the line(s) ``obligation_ref`` names,
    agreed on ``agreed_on`` (default: today) for the reason given (required)."""
    actor, now = require_actor(actor), require_aware(now)
    reason = _plain(reason, what="the reason", longest=MAX_REASON)
    if not reason:
        raise InvalidInputError(
            "a revision needs its reason; give --reason, e.g. --reason 'nedjustering fra 125 "
            "til 100 forløb'"
        )
    value = _number(target, what="the target")
    day = require_plausible(
        agreed_on or local_date(now), what=f"the day agreed {format_date(agreed_on)}"
    )
    with uow:
        found = lines.every_by_ref(uow.session, obligation_ref)
        existing = goals.goals_of(uow.session, [line.id for line in found])
        revised = []
        for line in found:
            goal = goals.goal_named(existing[line.id], name, line=line)
            entry = goals.revise_goal(
                uow.session,
                line,
                goal,
                target=value,
                period_key=_period_key(line, period),
                agreed_on=day,
                reason=reason,
                actor=actor,
                now=now,
            )
            revised.append((line, goal, entry))
        uow.commit()
    return revised


@dataclass(frozen=True)
class Reported:
    """What ``report_values`` recorded: the line, the period and each value."""

    line: Line
    period_key: str
    values: list[tuple[goals.Goal, goals.ReportedValue]]


def report_values(
    uow: UnitOfWork,
    *,
    fulfilling_states: Iterable[str],
    item_id: int,
    values: Sequence[GoalValueGiven],
    period: str | None = None,
    note: str = "",
    actor: str,
    now: datetime,
) -> Reported:
    """Record what status item ``item_id`` reports for the goals of the obligation it
    answers: for ``period``, or the period it fulfilled, or the one it will fulfil. Every
    value is checked (a known goal, a number) before any is written."""
    actor, now = require_actor(actor), require_aware(now)
    if not values:
        raise InvalidInputError('give at least one --goal NAME VALUE, e.g. --goal "Brugere" 1370')
    note = _plain(note, what="the note", longest=MAX_REASON)
    parsed = [
        (given.goal, *goal_rules.parse_number(given.value, what=f"the value of '{given.goal}'"))
        for given in values
    ]
    with uow:
        item = queries.item_by_id(uow.session, item_id)
        linked = goal_status.lines_of_item(uow.session, item_id)
        if not linked:
            raise InvalidInputError(
                f"item {item_id} answers no status obligation; link it first with "
                f"'council obligation link OBLIGATION --item {item_id}'"
            )
        line = linked[0]
        found = goals.goals_of(uow.session, [line.id])[line.id]
        chosen = [(goals.goal_named(found, name, line=line), v, a) for name, v, a in parsed]
        names = [goal.name for goal, _, _ in chosen]
        twice = {n for n in names if names.count(n) > 1}
        if twice:
            raise InvalidInputError(f"goal '{sorted(twice)[0]}' is given twice; give it once")
        if period is None:
            done = fulfilment.fulfilments(
                uow.session, [line.id], fulfilling_states=fulfilling_states
            )[line.id]
            assigned = fulfilment.by_period(line.periods, done)
            key: str | None = goal_status.period_of_item(
                line, item_id, assigned, today=local_date(now)
            ).key
        else:
            key = _period_key(line, period)
        assert key is not None and item.id is not None
        recorded = [
            (
                goal,
                goals.report_value(
                    uow.session,
                    line,
                    goal,
                    item_id=item.id,
                    period_key=key,
                    value=value,
                    approximate=approximate,
                    note=note,
                    actor=actor,
                    now=now,
                ),
            )
            for goal, value, approximate in chosen
        ]
        uow.commit()
    return Reported(line, key, recorded)


def goal_table(app: App, *, obligation_ref: str, period: str | None = None) -> list[LineGoals]:
    """Where the goals of the line(s) ``obligation_ref`` names stand, per period."""
    database = app.initialised_database()
    return goal_table_of(
        database,
        obligation_ref=obligation_ref,
        period=period,
        fulfilling_states=app.rulebook.definition.fulfilling_states,
    )


def goal_table_of(
    database: Database,
    *,
    obligation_ref: str,
    period: str | None,
    fulfilling_states: Iterable[str],
) -> list[LineGoals]:
    with database.reading() as session:
        found = lines.every_by_ref(session, obligation_ref)
        if period is not None:
            for line in found:
                _period_key(line, period)
        return goal_status.line_goals(
            session, found, fulfilling_states=fulfilling_states, period_key=period
        )


STATUS_CSV_HEADER = (
    "forpligtelse", "sag", "udvalg", "mål", "enhed", "retning", "periode", "målsætning",
    "revideret fra", "indberettet", "cirka", "vurdering", "indberettet af punkt",
)  # fmt: skip


def status_csv(tables: Sequence[LineGoals]) -> str:
    """The status table as CSV (UTF-8, ``,``), one row per goal and period; numbers as
    numbers, texts safe to open in a spreadsheet."""
    rows = []
    for found in tables:
        line = found.line
        for status in found.goals:
            goal = status.goal
            for row in status.periods:
                if row.target is None and row.value is None:
                    continue
                replaced = row.target.replaced if row.target else None
                rows.append(
                    (
                        line.id, line.case_number, line.committee_code, goal.name, goal.unit,
                        goal_rules.DIRECTION_LABELS[goal.direction], row.period.key,
                        _plain_number(row.target.target) if row.target else None,
                        _plain_number(replaced.target) if replaced else None,
                        _plain_number(row.value.value) if row.value else None,
                        row.value.approximate if row.value else None,
                        goal_rules.ASSESSMENT_LABELS[row.assessment],
                        row.value.item_id if row.value else None,
                    )
                )  # fmt: skip
    return csv_text(STATUS_CSV_HEADER, rows)


def _plain_number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def goals_of_line(database: Database, line_id: int) -> list[goals.Goal]:
    """The goals of one line (the web's reporting form)."""
    with database.reading() as session:
        line = lines.line(session, line_id)
        return goals.goals_of(session, [line.id])[line.id]


def item_goals(
    database: Database, item_id: int, *, fulfilling_states: Iterable[str], now: datetime
) -> goal_status.ItemGoals | None:
    """The goals an item reports on, for its page (``None``: it answers no line with goals)."""
    with database.reading() as session:
        return goal_status.item_goals(
            session, item_id, fulfilling_states=fulfilling_states, today=local_date(now)
        )


def _period_key(line: Line, period: str | None) -> str | None:
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


def _targets(texts: Sequence[str]) -> list[tuple[str | None, float]]:
    """``200`` (every period) and ``2009=120`` (one period), each checked; at most one for
    every period and one per period."""
    if not texts:
        raise InvalidInputError("give the goal's --target, e.g. --target 200")
    result: list[tuple[str | None, float]] = []
    for text in texts:
        period, sep, number = str(text).partition("=")
        key = period.strip() if sep else None
        value = _number(number if sep else text, what="the target")
        if any(known == key for known, _ in result):
            which = f"period {key}" if key else "every period"
            raise InvalidInputError(f"two targets for {which}; give one")
        result.append((key, value))
    return result


def _number(value: str | float, *, what: str) -> float:
    if isinstance(value, str):
        number, approximate = goal_rules.parse_number(value, what=what)
        if approximate:
            raise InvalidInputError(f"{what} '{value}' is marked approximate; give the number")
        return number
    return goal_rules.check_number(value, what=what)


def _plain(text: str, *, what: str, longest: int, required: bool = False) -> str:
    """``text`` on one line, without characters a reader could not see; refused when
    required and empty, or longer than ``longest``."""
    value = " ".join(str(text).split())
    hidden = next((c for c in value if unicodedata.category(c) in _HIDDEN), None)
    if hidden is not None:
        raise InvalidInputError(
            f"{what} holds an invisible or control character (U+{ord(hidden):04X}); "
            "give it in plain letters"
        )
    if required and not value:
        raise InvalidInputError(f"{what} is empty; give one, e.g. --name 'Nye frivillige'")
    if len(value) > longest:
        raise InvalidInputError(f"{what} is {len(value)} characters long; give at most {longest}")
    return value
