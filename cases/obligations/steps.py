"""A line's reminder steps, and which of them are due at a moment.

A line's terms are checked once and made into its :class:`Schedule`::

    schedule(start=, end=, cadence=, due=, lead_days=, ...)  -> Schedule
        .periods                                  its reporting periods (``periods.periods``)
        .steps(period)                            "lead-60", "lead-14", "due", "overdue-1", ...
        .period_due(period, now=, fulfilled_on=)  PeriodDue: the steps due, the next to come
        .due(now=, fulfilled=)                    the same for all its periods, and the bookmark
        .first_step_at()                          when its first reminder falls due

"What is due" has one definition, :func:`_walk`, which both ``period_due`` and ``due`` use.
The rules that make a sweep idempotent:

- A step's ``key`` is unique within one period; ``(obligation, committee, period.key, step.key)``
  identifies one reminder.
- "The obligation's end stops everything": no step is dated after the obligation's end date.
  A period whose due date equals the end date still gets its lead and due-day notices, but no
  overdue escalation. (A missing status stays *overdue* in ``period_state``; it is only the
  reminders that stop.)
- Steps: ``lead-N`` for each N > 0 in the lead times, N days before the due date (kept
  even when that falls before the period's start: a known duty may be announced in
  advance); ``due`` if 0 is among them; ``overdue-k`` every ``escalate_every_days`` after
  the due date (``None``: no escalation). Each is sent at the send time, local time.
- A step dated on or after the fulfilment date is never due; steps strictly before it are.
  A fulfilment date after ``now`` counts as not yet fulfilled (``periods.fulfilled_by``).
- What is due only grows as ``now`` grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from council.cases.errors import InvalidInputError
from council.cases.obligations.periods import Period, fulfilled_by, periods, require_now
from council.cases.obligations.terms import (
    DEFAULT_DUE,
    DEFAULT_ESCALATE_EVERY_DAYS,
    DEFAULT_LEAD_DAYS,
    DEFAULT_SEND_AT,
    DEFAULT_TZ,
    Cadence,
    DueRule,
    check_escalation,
    check_leads,
    check_send_at,
    parse_cadence,
    parse_due_rule,
    zone,
)

StepKind = Literal["lead", "due", "overdue"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One reminder of a period.

    ``key`` is stable and unique within the period: ``lead-60``, ``lead-14``, ``due``,
    ``overdue-1``, ``overdue-2``, ... ``day`` is the local (committee) date it is sent on and
    ``due_at`` the send instant, timezone-aware in UTC.
    """

    key: str
    kind: StepKind
    day: date
    due_at: datetime


class PeriodDue(NamedTuple):
    """What a period owes at a moment."""

    steps: list[Step]
    """The steps due by then, in ``due_at`` order: what a sweep must have sent."""
    following: Step | None
    """The first step not yet due; ``None`` when the period is fulfilled (by then) or no
    step is left before the obligation's end."""


def _walk(steps: Iterable[Step], *, now: datetime, fulfilled: date | None) -> PeriodDue:
    """What is due: the steps up to ``now``, stopping at the first one dated on or after the
    (already effective) fulfilment date, which is never due and never comes."""
    due: list[Step] = []
    for step in steps:
        if fulfilled is not None and step.day >= fulfilled:
            return PeriodDue(due, None)
        if step.due_at > now:
            return PeriodDue(due, step)
        due.append(step)
    return PeriodDue(due, None)


def _generate_steps(
    period: Period,
    leads: tuple[int, ...],
    every: int | None,
    obligation_end: date,
    local: ZoneInfo,
    send_at: time,
) -> Iterator[Step]:
    def make(key: str, kind: StepKind, day: date) -> Step:
        due_at = datetime.combine(day, send_at, tzinfo=local).astimezone(UTC)
        return Step(key=key, kind=kind, day=day, due_at=due_at)

    for lead in leads:  # largest first, so earliest first
        day = period.due - timedelta(days=lead)
        if day <= obligation_end:
            yield make("due", "due", day) if lead == 0 else make(f"lead-{lead}", "lead", day)
    if every is None:
        return
    count = 1
    while True:
        try:
            day = period.due + timedelta(days=every * count)
        except OverflowError:
            return
        if day > obligation_end:
            return
        yield make(f"overdue-{count}", "overdue", day)
        count += 1


def _check_reach(period: Period, leads: Iterable[int]) -> None:
    """No lead may reach before year 1 from the period's due date."""
    for lead in leads:
        try:
            period.due - timedelta(days=lead)
        except OverflowError as exc:
            raise InvalidInputError(
                f"lead time of {lead} days reaches before year 1; give fewer days"
            ) from exc


# --------------------------------------------------------------------------- a line's schedule


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """An obligation line's periods and reminder rules, checked once.

    For the sweep, which asks the same question of many lines, and for the status table.
    Immutable, so lines with the same rules may share one.
    """

    cadence: Cadence
    periods: tuple[Period, ...]
    leads: tuple[int, ...]
    every: int | None
    obligation_end: date
    zone: ZoneInfo
    send_at: time

    def steps(self, period: Period) -> Iterator[Step]:
        """Every reminder step of one of the line's periods, in ``due_at`` order (a finite,
        lazy sequence)."""
        return _generate_steps(
            period, self.leads, self.every, self.obligation_end, self.zone, self.send_at
        )

    def period_due(self, period: Period, *, now: datetime, fulfilled_on: date | None) -> PeriodDue:
        """What one of the line's periods owes at ``now``: the steps due by then and the one
        that follows; a fulfilment dated after ``now`` counts as none."""
        require_now(now)
        fulfilled = fulfilled_by(fulfilled_on, now=now, tz=self.zone)
        return _walk(self.steps(period), now=now, fulfilled=fulfilled)

    def due(
        self, *, now: datetime, fulfilled: Mapping[str, date]
    ) -> tuple[list[tuple[Period, Step]], datetime | None]:
        """The steps due at ``now`` in every period (periods in order) and the instant of the
        earliest step not yet due, or ``None``. ``fulfilled`` maps a period's key to its
        fulfilment date."""
        require_now(now)
        due: list[tuple[Period, Step]] = []
        coming: datetime | None = None
        for period in self.periods:
            on = fulfilled_by(fulfilled.get(period.key), now=now, tz=self.zone)
            steps, following = _walk(self.steps(period), now=now, fulfilled=on)
            due += [(period, step) for step in steps]
            if following is None:
                continue
            if coming is None or following.due_at < coming:
                coming = following.due_at
            if not steps:
                # Not one step of this period is due yet. The first step of each later
                # period falls later still (due dates rise, the leads are the same), so
                # none of theirs is due, and none comes before this one.
                break
        return due, coming

    def first_step_at(self) -> datetime | None:
        """The instant of the line's earliest reminder step, whatever is fulfilled."""
        firsts = (next(self.steps(period), None) for period in self.periods)
        return min((step.due_at for step in firsts if step is not None), default=None)


def schedule(
    *,
    start: date,
    end: date,
    cadence: Cadence | str,
    due: DueRule | str = DEFAULT_DUE,
    lead_days: Iterable[int] = DEFAULT_LEAD_DAYS,
    escalate_every_days: int | None = DEFAULT_ESCALATE_EVERY_DAYS,
    tz: str = DEFAULT_TZ,
    send_at: time = DEFAULT_SEND_AT,
) -> Schedule:
    """A line's :class:`Schedule`, every argument checked here, once (texts of cadence and
    due rule parsed once per process; the sweep makes one per distinct set of terms).

    08:00 in Copenhagen is 07:00 UTC in winter (CET) and 06:00 UTC in summer (CEST). A send
    time that does not exist on a day (inside a spring-forward gap) is read with the offset
    before the change; one that occurs twice takes its first occurrence.
    """
    cadence_value = _cached_cadence(cadence) if isinstance(cadence, str) else cadence
    due_rule = _cached_due_rule(due) if isinstance(due, str) else due
    found = periods(start=start, end=end, cadence=cadence_value, due=due_rule)
    leads = check_leads(lead_days)
    every = check_escalation(escalate_every_days)
    local = zone(tz)
    at = check_send_at(send_at)
    _check_reach(found[0], leads[:1])  # the earliest due date, the longest lead
    return Schedule(
        cadence=cadence_value,
        periods=tuple(found),
        leads=leads,
        every=every,
        obligation_end=end,
        zone=local,
        send_at=at,
    )


@lru_cache(maxsize=64)
def _cached_due_rule(text: str) -> DueRule:
    """:func:`parse_due_rule` for the few due rules lines store."""
    return parse_due_rule(text)


@lru_cache(maxsize=64)
def _cached_cadence(text: str) -> Cadence:
    """:func:`parse_cadence` for the few cadence texts lines store (it parses an RRULE)."""
    return parse_cadence(text)
