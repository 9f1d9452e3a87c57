"""Result goals of status obligations: the acts that record them.

Acts like the others in :mod:`council.workflow.services`: keyword-only, an ``actor`` and
an injected ``now``, everything given checked before anything is read or written, and
every row written together with its audit entry (``cases.obligations.goals``) in one
transaction, committed whole or not at all. Where the goals stand is read by
:mod:`council.workflow.read_models.goals`.

- ``add_goal``: a goal with its first target, on one line or on every line of a case
  (an agreement's goals hold for each committee that gets the status).
- ``revise_goal``: a new target with the day it was agreed and the reason; the earlier
  targets are kept.
- ``report_values``: what a status item reports for its goals, for the period it fulfils
  (or a period given).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from council.cases import items
from council.cases.dates import format_date, local_date, require_aware, require_plausible
from council.cases.db import UnitOfWork
from council.cases.errors import InvalidInputError
from council.cases.obligations import fulfilment, goal_rules, goal_status, goals, lines
from council.cases.obligations.lines import Line
from council.workflow.services.inputs import require_actor

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
    name = _plain(name, what="målets navn", longest=MAX_NAME, required=True)
    unit = _plain(unit, what="enheden", longest=MAX_UNIT)
    reason = _plain(reason, what="begrundelsen", longest=MAX_REASON)
    given = _targets(targets)
    way = goal_rules.direction_of(direction)
    if agreed_on is not None:
        require_plausible(agreed_on, what=f"aftaledatoen {format_date(agreed_on)}")
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
                targets=[
                    (goal_status.known_period(line, period), value) for period, value in given
                ],
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
    reason = _plain(reason, what="begrundelsen", longest=MAX_REASON)
    if not reason:
        raise InvalidInputError(
            "en revision kræver en begrundelse; angiv --reason, fx --reason 'nedjustering fra "
            "125 til 100 forløb'"
        )
    value = _number(target, what="målværdien")
    day = require_plausible(
        agreed_on or local_date(now), what=f"aftaledatoen {format_date(agreed_on)}"
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
                period_key=goal_status.known_period(line, period),
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
        raise InvalidInputError('angiv mindst ét --goal NAVN VÆRDI, fx --goal "Brugere" 1370')
    note = _plain(note, what="noten", longest=MAX_REASON)
    parsed = [
        (given.goal, *goal_rules.parse_number(given.value, what=f"værdien for '{given.goal}'"))
        for given in values
    ]
    with uow:
        item = items.by_id(uow.session, item_id)
        linked = goal_status.lines_of_item(uow.session, item_id)
        if not linked:
            raise InvalidInputError(
                f"punkt-id {item_id} besvarer ingen statusforpligtelse; knyt det først med "
                f"'council obligation link FORPLIGTELSE --item {item_id}'"
            )
        line = linked[0]
        found = goals.goals_of(uow.session, [line.id])[line.id]
        chosen = _once_each([(goals.goal_named(found, n, line=line), v, a) for n, v, a in parsed])
        if period is None:
            key = _period_answered(uow, line, item_id, fulfilling_states, now=now)
        else:
            key = goal_status.known_period(line, period)
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


_Chosen = tuple[goals.Goal, float, bool]


def _once_each(chosen: list[_Chosen]) -> list[_Chosen]:
    """The goals given, refused when one is named twice."""
    names = [goal.name for goal, _, _ in chosen]
    twice = {n for n in names if names.count(n) > 1}
    if twice:
        raise InvalidInputError(
            f"målet '{sorted(twice)[0]}' er angivet to gange; angiv det én gang"
        )
    return chosen


def _period_answered(
    uow: UnitOfWork, line: Line, item_id: int, fulfilling_states: Iterable[str], *, now: datetime
) -> str | None:
    """The period item ``item_id`` fulfilled, or the one it will fulfil."""
    done = fulfilment.fulfilments(uow.session, [line.id], fulfilling_states=fulfilling_states)
    assigned = fulfilment.by_period(line.periods, done[line.id])
    return goal_status.period_of_item(line, item_id, assigned, today=local_date(now)).key


def _targets(texts: Sequence[str]) -> list[tuple[str | None, float]]:
    """``200`` (every period) and ``2009=120`` (one period), each checked; at most one for
    every period and one per period."""
    if not texts:
        raise InvalidInputError("angiv målets --target, fx --target 200")
    result: list[tuple[str | None, float]] = []
    for text in texts:
        period, sep, number = str(text).partition("=")
        key = period.strip() if sep else None
        value = _number(number if sep else text, what="målværdien")
        if any(known == key for known, _ in result):
            which = f"period {key}" if key else "every period"
            raise InvalidInputError(f"to målværdier for {which}; angiv én")
        result.append((key, value))
    return result


def _number(value: str | float, *, what: str) -> float:
    if isinstance(value, str):
        number, approximate = goal_rules.parse_number(value, what=what)
        if approximate:
            raise InvalidInputError(f"{what} '{value}' er angivet som omtrentlig; angiv tallet")
        return number
    return goal_rules.check_number(value, what=what)


def _plain(text: str, *, what: str, longest: int, required: bool = False) -> str:
    """``text`` on one line, without characters a reader could not see; refused when
    required and empty, or longer than ``longest``."""
    value = " ".join(str(text).split())
    hidden = next((c for c in value if unicodedata.category(c) in _HIDDEN), None)
    if hidden is not None:
        raise InvalidInputError(
            f"{what} indeholder et usynligt tegn eller styretegn (U+{ord(hidden):04X}); "
            "skriv med almindelige bogstaver"
        )
    if required and not value:
        raise InvalidInputError(f"{what} er tom; angiv et, fx --name 'Nye frivillige'")
    if len(value) > longest:
        raise InvalidInputError(f"{what} er {len(value)} tegn lang; angiv højst {longest}")
    return value
