"""The date mathematics of status obligations: periods, due dates, reminder steps, states.

Pure functions only: no database, no clock. Every function takes its dates and ``now``
as arguments, so a test or a demo can replay 2009-2010.

The pieces, from stored text to "what is due now"::

    parse_cadence("FREQ=YEARLY")  -> Cadence        (RFC 5545 RRULE, yearly or every n-th year)
    parse_due_rule("31.12")       -> DueRule        (a month and day; default 31 December)
    periods(start=, end=, cadence=, due=)           -> [Period]   key "2009" or "2009-2010"
    fulfilments_by_period(periods, [(date, x)])     -> {key: (date, x)}  which decision fulfils what
    reminder_steps(period=, obligation_end=, ...)   -> Iterator[Step]  "lead-60", "due", "overdue-1"
    steps_due(..., now=, fulfilled_on=)             -> [Step]     what a sweep must have sent
    next_step(..., now=, fulfilled_on=)             -> Step | None
    schedule(...).due(now=, fulfilled=)             -> both, for every period of a line at once
    period_state(period=, now=, fulfilled_on=)      -> PeriodState  for a status table

Rules the storage layer must follow (they make the keys stable and sweeps idempotent):

- A period runs from the day after the previous due date to its own due date; the first due
  date lies at least one cadence interval after the start (no status for a stub year), the
  last is clipped to the obligation's end (see :func:`periods`).
- A period's ``key`` is its *nominal* due year (``"2009"``; ``"2009-2010"`` for every second
  year), never derived from the clipped dates, so it does not change if the end is moved.
- A step's ``key`` is unique within one period; ``(obligation, committee, period.key, step.key)``
  identifies one reminder.
- "The obligation's end stops everything": no step is dated after the obligation's end date.
  A period whose due date equals the end date still gets its lead and due-day notices, but no
  overdue escalation. (A missing status stays *overdue* in :func:`period_state`; it is only the
  reminders that stop.)
- Fulfilment is a local (Europe/Copenhagen) date. A step dated on or after the fulfilment date is
  never due; steps strictly before it are. A fulfilment date after ``now`` counts as not yet
  fulfilled (replaying history must not know the future).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import YEARLY, rrulestr

from council.cases.errors import InvalidInputError

__all__ = [
    "DEFAULT_DUE",
    "DEFAULT_DUE_SOON_DAYS",
    "DEFAULT_ESCALATE_EVERY_DAYS",
    "DEFAULT_LEAD_DAYS",
    "DEFAULT_SEND_AT",
    "DEFAULT_TZ",
    "Cadence",
    "DueRule",
    "Period",
    "PeriodState",
    "PeriodStateKind",
    "Schedule",
    "Step",
    "StepKind",
    "fulfilments_by_period",
    "next_step",
    "parse_cadence",
    "parse_due_rule",
    "period_state",
    "periods",
    "reminder_steps",
    "schedule",
    "send_instant",
    "steps_due",
]

DEFAULT_TZ = "Europe/Copenhagen"
DEFAULT_SEND_AT = time(8, 0)
DEFAULT_LEAD_DAYS: tuple[int, ...] = (60, 14, 0)
DEFAULT_ESCALATE_EVERY_DAYS = 7
MAX_DAYS = 3660
"""The longest lead time or escalation interval, in days (ten years)."""
DEFAULT_DUE_SOON_DAYS = 14

StepKind = Literal["lead", "due", "overdue"]
PeriodStateKind = Literal["upcoming", "due_soon", "overdue", "fulfilled", "late_fulfilled"]

T = TypeVar("T")

_CADENCE_EXAMPLE = "write one like 'FREQ=YEARLY' or 'FREQ=YEARLY;INTERVAL=2'"
_DUE_EXAMPLE = "write month and day like '12-31', '31.12' or '31. december'"


# --------------------------------------------------------------------------- cadence


@dataclass(frozen=True, slots=True, kw_only=True)
class Cadence:
    """A yearly RRULE: a status every ``interval`` calendar years.

    ``rule`` is the canonical RRULE text to store (``FREQ=YEARLY`` or
    ``FREQ=YEARLY;INTERVAL=2``); :func:`parse_cadence` of it gives the same value back.
    """

    interval: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.interval, bool) or not isinstance(self.interval, int):
            raise InvalidInputError(
                f"cadence interval {self.interval!r} is not a whole number; {_CADENCE_EXAMPLE}"
            )
        if self.interval < 1:
            raise InvalidInputError(
                f"cadence INTERVAL={self.interval} must be 1 or more; {_CADENCE_EXAMPLE}"
            )

    @property
    def rule(self) -> str:
        """The canonical RRULE text (without the ``RRULE:`` prefix)."""
        if self.interval == 1:
            return "FREQ=YEARLY"
        return f"FREQ=YEARLY;INTERVAL={self.interval}"

    def __str__(self) -> str:
        return self.rule


_BOUND_PARTS = frozenset({"DTSTART", "UNTIL", "COUNT"})
_ALLOWED_PARTS = frozenset({"FREQ", "INTERVAL"})


def parse_cadence(rrule_text: str) -> Cadence:
    """Validate an RFC 5545 RRULE and return its :class:`Cadence`.

    Accepted: ``FREQ=YEARLY`` with an optional ``INTERVAL=n`` (n >= 1), case-insensitive, with
    or without an ``RRULE:`` prefix. Refused, with a one-line :class:`InvalidInputError`:
    text ``dateutil.rrule.rrulestr`` cannot read; ``DTSTART``, ``UNTIL`` and ``COUNT`` (the
    obligation's own start and end bound the periods); any other frequency or ``BY...`` part
    (the due rule, not the RRULE, says on which day a status is due).
    """
    if not isinstance(rrule_text, str) or not rrule_text.strip():
        raise InvalidInputError(f"cadence is empty; {_CADENCE_EXAMPLE}")
    shown = " ".join(rrule_text.split())
    text = rrule_text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :].strip()
    if "DTSTART" in text.upper():
        raise InvalidInputError(
            f"cadence {shown!r} contains DTSTART; the obligation's start date anchors the "
            f"periods, so leave it out and {_CADENCE_EXAMPLE}"
        )
    if "\n" in text or "\r" in text:
        raise InvalidInputError(
            f"cadence {shown!r} has more than one line; give a single RRULE, {_CADENCE_EXAMPLE}"
        )
    text = text.rstrip(";").strip()
    names: list[str] = []
    for part in text.split(";"):
        name, sep, _value = part.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(
                f"cadence {shown!r} has {part.strip()!r}, which is not NAME=VALUE; "
                f"{_CADENCE_EXAMPLE}"
            )
        names.append(name.strip().upper())
    bounds = sorted(_BOUND_PARTS.intersection(names))
    if bounds:
        raise InvalidInputError(
            f"cadence {shown!r} contains {'/'.join(bounds)}; the obligation's start and end "
            f"dates bound the periods, so leave it out and {_CADENCE_EXAMPLE}"
        )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InvalidInputError(
            f"cadence {shown!r} gives {', '.join(duplicates)} more than once; {_CADENCE_EXAMPLE}"
        )
    if "FREQ" not in names:
        raise InvalidInputError(f"cadence {shown!r} has no FREQ; {_CADENCE_EXAMPLE}")
    try:
        rule = rrulestr(text, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError, OverflowError) as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InvalidInputError(
            f"cadence {shown!r} is not a valid RRULE ({reason}); {_CADENCE_EXAMPLE}"
        ) from exc
    if rule._freq != YEARLY:
        raise InvalidInputError(
            f"cadence {shown!r} is not yearly; status obligations recur every n-th year; "
            f"{_CADENCE_EXAMPLE}"
        )
    extra = sorted(set(names) - _ALLOWED_PARTS)
    if extra:
        raise InvalidInputError(
            f"cadence {shown!r} contains {', '.join(extra)}; only FREQ and INTERVAL are "
            f"supported (the due rule gives the day); {_CADENCE_EXAMPLE}"
        )
    interval = int(rule._interval)
    if interval < 1:
        raise InvalidInputError(
            f"cadence {shown!r} has INTERVAL={interval}, which must be 1 or more; "
            f"{_CADENCE_EXAMPLE}"
        )
    return Cadence(interval=interval)


# --------------------------------------------------------------------------- due rule
def _month_day_problem(month: int, day: int) -> str | None:
    """What is wrong with a month and day, or ``None`` (29 February is fine)."""
    if not 1 <= month <= 12:
        return f"month {month} is not 1-12"
    # 2000 is a leap year, so 29 February passes here and DueRule.on() moves it.
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return f"day {day} does not exist in month {month}"
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class DueRule:
    """A status is due by this month and day in the period's last year.

    29 February is allowed; in a year that is not a leap year it falls on 28 February.
    ``text`` (``"12-31"``) is the canonical form to store.
    """

    month: int = 12
    day: int = 31

    def __post_init__(self) -> None:
        for value in (self.month, self.day):
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidInputError(
                    f"due month/day {value!r} is not a whole number; {_DUE_EXAMPLE}"
                )
        problem = _month_day_problem(self.month, self.day)
        if problem is not None:
            raise InvalidInputError(f"due rule {problem}; {_DUE_EXAMPLE}")

    @property
    def text(self) -> str:
        """The canonical stored form, ``MM-DD``."""
        return f"{self.month:02d}-{self.day:02d}"

    def on(self, year: int) -> date:
        """The due date in ``year`` (29 February becomes 28 February in a common year)."""
        if (self.month, self.day) == (2, 29) and not calendar.isleap(year):
            return date(year, 2, 28)
        return date(year, self.month, self.day)

    def __str__(self) -> str:
        return self.text


DEFAULT_DUE = DueRule(month=12, day=31)

_DANISH_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
    (
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ),
    start=1,
):
    _DANISH_MONTHS[_name] = _number
    _DANISH_MONTHS[_name[:3]] = _number
_DANISH_MONTHS["sept"] = 9

_ISO_MONTH_DAY = re.compile(r"(?:--)?(\d{1,2})-(\d{1,2})")
_DANISH_DAY_MONTH = re.compile(r"(\d{1,2})\s*[./]\s*(\d{1,2})\.?")
_DANISH_DAY_NAME = re.compile(r"(\d{1,2})\.?\s*([^\W\d_]+)\.?")


def parse_due_rule(text: str) -> DueRule:
    """Read a due day of the year.

    Accepted (case-insensitive, surrounding blanks ignored): ``12-31`` and ``--12-31``
    (ISO month-day), ``31.12``, ``31.12.`` and ``31/12`` (Danish day.month), ``31 december``,
    ``31. december`` and ``31. dec.`` (Danish month names or their first three letters;
    ``sept`` too). 29 February is accepted and falls on 28 February in common years.
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError(f"due rule is empty; {_DUE_EXAMPLE}")
    cleaned = " ".join(text.split()).lower()
    if match := _ISO_MONTH_DAY.fullmatch(cleaned):
        month, day = int(match.group(1)), int(match.group(2))
    elif match := _DANISH_DAY_MONTH.fullmatch(cleaned):
        day, month = int(match.group(1)), int(match.group(2))
    elif match := _DANISH_DAY_NAME.fullmatch(cleaned):
        day = int(match.group(1))
        name = match.group(2)
        if name not in _DANISH_MONTHS:
            raise InvalidInputError(
                f"due rule {text.strip()!r}: {name!r} is not a Danish month name; {_DUE_EXAMPLE}"
            )
        month = _DANISH_MONTHS[name]
    else:
        raise InvalidInputError(
            f"due rule {text.strip()!r} is not a day of the year; {_DUE_EXAMPLE}"
        )
    problem = _month_day_problem(month, day)
    if problem is not None:
        raise InvalidInputError(
            f"due rule {text.strip()!r} is not a day of the year ({problem}); {_DUE_EXAMPLE}"
        )
    return DueRule(month=month, day=day)


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """One reporting period of an obligation, ending on its due date.

    ``start`` is the obligation's start (first period) or the day after the previous due
    date; ``end`` and ``due`` are the same day: the date the status must reach the
    committee by. ``key`` names the period by its *nominal* due year (``"2009"``), or by the
    calendar years a multi-year cadence spans up to that year (``"2009-2010"`` for
    ``INTERVAL=2``). The nominal due year is the one the due rule gives before the last due
    date is clipped to the obligation's end, so keys do not change when the end is moved.
    """

    key: str
    start: date
    end: date
    due: date


def periods(
    *,
    start: date,
    end: date,
    cadence: Cadence | str,
    due: DueRule | str = DEFAULT_DUE,
) -> list[Period]:
    """The obligation's reporting periods between ``start`` and ``end`` (both inclusive).

    "Once a year during the agreement" is a status for each full cadence interval, never
    for a stub at the start:

    - the first due date is the first date the due rule gives on or after ``start`` plus
      one cadence interval minus one day (an obligation from 2008-08-01, yearly, due
      31 December: on or after 2009-07-31, so 2009-12-31; one from 2009-01-01: 2009-12-31);
    - the next due dates follow every ``interval`` years;
    - each period runs from the day after the previous due date (or from ``start``) to
      its due date;
    - the last due date is clipped to ``end``: when the next due date would fall after the
      obligation's end, the last period ends, and is due, on ``end`` (a final status when an
      agreement stops between two due dates). So every obligation has at least one period.

    The seed (2008-08-01 to 2010-12-31, yearly, due 31 December) has two periods: ``2009``
    (2008-08-01 to 2009-12-31) and ``2010`` (2010-01-01 to 2010-12-31). With ``INTERVAL=2``
    it has one, ``2009-2010`` (2008-08-01 to 2010-12-31). A period's key is its nominal due
    year, or ``"<due year - interval + 1>-<due year>"`` for a multi-year cadence.

    A text ``cadence`` or ``due`` is parsed with :func:`parse_cadence` / :func:`parse_due_rule`.
    """
    cadence_value = parse_cadence(cadence) if isinstance(cadence, str) else cadence
    due_rule = parse_due_rule(due) if isinstance(due, str) else due
    _require_date(start, "start")
    _require_date(end, "end")
    if end < start:
        raise InvalidInputError(
            f"obligation end {end.isoformat()} is before its start {start.isoformat()}; "
            "give an end on or after the start"
        )
    step = cadence_value.interval
    try:
        threshold = _add_years(start, step) - timedelta(days=1)
        year = threshold.year if due_rule.on(threshold.year) >= threshold else threshold.year + 1
        result: list[Period] = []
        period_start = start
        while True:
            nominal = due_rule.on(year)
            key = str(year) if step == 1 else f"{year - step + 1}-{year}"
            if nominal >= end:
                result.append(Period(key=key, start=period_start, end=end, due=end))
                return result
            result.append(Period(key=key, start=period_start, end=nominal, due=nominal))
            period_start = nominal + timedelta(days=1)
            year += step
    except (ValueError, OverflowError) as exc:
        raise InvalidInputError(
            f"obligation {start.isoformat()} to {end.isoformat()} reaches beyond year 9999; "
            "give dates within the calendar"
        ) from exc


def _add_years(day: date, years: int) -> date:
    """``day`` moved ``years`` years on; 29 February becomes 28 February in a common year."""
    year = day.year + years
    if (day.month, day.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def fulfilments_by_period(
    periods_: Sequence[Period], fulfilments: Iterable[tuple[date, T]]
) -> dict[str, tuple[date, T]]:
    """Which fulfilment counts for which period: ``{period key: (date, what)}``.

    ``fulfilments`` are the dates (with anything the caller wants back, e.g. the item and
    decision) on which a linked item reached a fulfilling outcome at the line's committee.
    Taken in date order (ties in the order given), each fulfils the earliest period that is
    not yet fulfilled and has started on or before its date; one that finds no such period
    (before the obligation's start, or every started period already fulfilled) counts for
    nothing. So a status taken to note after its due date fulfils the overdue period late
    rather than the next one: BIU's status of 23.02.2010 fulfils BIU's ``2009``, and
    ``2010`` stays open.
    """
    ordered = sorted(periods_, key=lambda period: period.start)
    open_periods = list(ordered)
    result: dict[str, tuple[date, T]] = {}
    for on, what in sorted(fulfilments, key=lambda pair: pair[0]):
        _require_date(on, "fulfilment date")
        for index, period in enumerate(open_periods):
            if period.start > on:
                break
            result[period.key] = (on, what)
            del open_periods[index]
            break
    return result


# --------------------------------------------------------------------------- reminder steps


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


def send_instant(*, day: date, tz: str = DEFAULT_TZ, send_at: time = DEFAULT_SEND_AT) -> datetime:
    """``send_at`` local time on ``day`` in ``tz``, as an aware UTC datetime.

    08:00 in Copenhagen is 07:00 UTC in winter (CET) and 06:00 UTC in summer (CEST).
    A local time that does not exist (inside a spring-forward gap) is read with the offset
    before the change; one that occurs twice takes its first occurrence.
    """
    zone = _zone(tz)
    if send_at.tzinfo is not None:
        raise InvalidInputError(
            f"send time {send_at.isoformat()} carries a time zone; give a local time like "
            "08:00 and the zone separately"
        )
    return datetime.combine(day, send_at.replace(fold=0), tzinfo=zone).astimezone(UTC)


def reminder_steps(
    *,
    period: Period,
    lead_days: Iterable[int] = DEFAULT_LEAD_DAYS,
    escalate_every_days: int | None = DEFAULT_ESCALATE_EVERY_DAYS,
    obligation_end: date,
    tz: str = DEFAULT_TZ,
    send_at: time = DEFAULT_SEND_AT,
) -> Iterator[Step]:
    """Every reminder step of ``period``, in ``due_at`` order (a finite, lazy sequence).

    - ``lead-N`` for each N > 0 in ``lead_days``: N days before the due date (kept even when
      that falls before the period's start: a known duty may be announced in advance).
    - ``due`` if 0 is in ``lead_days``: the due-day notice.
    - ``overdue-k`` for k = 1, 2, ...: ``k * escalate_every_days`` days after the due date
      (``None`` turns escalation off).

    The obligation's end stops everything: no step is dated after ``obligation_end``. So a
    period due on the end date gets its lead and due-day notices but no escalation.
    Arguments are checked when this is called, not when the result is first iterated.
    """
    leads = _check_leads(lead_days)
    every = _check_escalation(escalate_every_days)
    if obligation_end < period.end:
        raise InvalidInputError(
            f"obligation end {obligation_end.isoformat()} is before the end of period "
            f"{period.key} ({period.end.isoformat()}); pass the obligation's own end date"
        )
    zone = _zone(tz)
    send_instant(day=period.due, tz=tz, send_at=send_at)  # validates send_at now
    _check_reach(period, leads)
    return _generate_steps(
        period=period,
        leads=leads,
        every=every,
        obligation_end=obligation_end,
        zone=zone,
        send_at=send_at,
    )


def _generate_steps(
    *,
    period: Period,
    leads: tuple[int, ...],
    every: int | None,
    obligation_end: date,
    zone: ZoneInfo,
    send_at: time,
) -> Iterator[Step]:
    local_time = send_at.replace(fold=0)

    def make(key: str, kind: StepKind, day: date) -> Step:
        due_at = datetime.combine(day, local_time, tzinfo=zone).astimezone(UTC)
        return Step(key=key, kind=kind, day=day, due_at=due_at)

    for lead in leads:  # largest first, so earliest first
        day = period.due - timedelta(days=lead)
        if day > obligation_end:
            continue
        if lead == 0:
            yield make("due", "due", day)
        else:
            yield make(f"lead-{lead}", "lead", day)
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


def steps_due(
    *,
    period: Period,
    lead_days: Iterable[int] = DEFAULT_LEAD_DAYS,
    escalate_every_days: int | None = DEFAULT_ESCALATE_EVERY_DAYS,
    obligation_end: date,
    tz: str = DEFAULT_TZ,
    send_at: time = DEFAULT_SEND_AT,
    now: datetime,
    fulfilled_on: date | None,
) -> list[Step]:
    """The steps a sweep at ``now`` must have sent for ``period``, in ``due_at`` order.

    A step is due when its ``due_at <= now``, it is dated strictly before ``fulfilled_on``
    (a step on or after the fulfilment date is never due) and not after ``obligation_end``
    (see :func:`reminder_steps`). The result only grows as ``now`` grows.
    """
    _require_aware(now)
    fulfilled = _effective_fulfilment(fulfilled_on, now=now, tz=tz)
    result: list[Step] = []
    for step in reminder_steps(
        period=period,
        lead_days=lead_days,
        escalate_every_days=escalate_every_days,
        obligation_end=obligation_end,
        tz=tz,
        send_at=send_at,
    ):
        if step.due_at > now or (fulfilled is not None and step.day >= fulfilled):
            break
        result.append(step)
    return result


def next_step(
    *,
    period: Period,
    lead_days: Iterable[int] = DEFAULT_LEAD_DAYS,
    escalate_every_days: int | None = DEFAULT_ESCALATE_EVERY_DAYS,
    obligation_end: date,
    tz: str = DEFAULT_TZ,
    send_at: time = DEFAULT_SEND_AT,
    now: datetime,
    fulfilled_on: date | None,
) -> Step | None:
    """The first step of ``period`` that is not yet due at ``now``, or ``None``.

    ``None`` when the period is fulfilled (by ``now``) or no step is left before the
    obligation's end. A fulfilment dated after ``now`` is ignored, as everywhere.
    """
    _require_aware(now)
    fulfilled = _effective_fulfilment(fulfilled_on, now=now, tz=tz)
    for step in reminder_steps(
        period=period,
        lead_days=lead_days,
        escalate_every_days=escalate_every_days,
        obligation_end=obligation_end,
        tz=tz,
        send_at=send_at,
    ):
        if fulfilled is not None and step.day >= fulfilled:
            return None
        if step.due_at > now:
            return step
    return None


# --------------------------------------------------------------------------- a line's schedule


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """An obligation line's periods and reminder rules, checked once.

    For the sweep, which asks the same question of many lines: :meth:`due` gives what
    :func:`steps_due` and :func:`next_step` give for each period, in one pass and without
    checking the arguments again. Immutable, so lines with the same rules may share one.
    """

    cadence: Cadence
    periods: tuple[Period, ...]
    leads: tuple[int, ...]
    every: int | None
    obligation_end: date
    zone: ZoneInfo
    send_at: time

    def due(
        self, *, now: datetime, fulfilled: Mapping[str, date]
    ) -> tuple[list[tuple[Period, Step]], datetime | None]:
        """The steps due at ``now`` (per period, as :func:`steps_due` gives them, periods in
        order) and the instant of the earliest step not yet due (the earliest
        :func:`next_step` of any period), or ``None``. ``fulfilled`` maps a period's key to
        its fulfilment date; one after ``now``'s local date counts as not yet fulfilled.
        """
        _require_aware(now)
        today = now.astimezone(self.zone).date()
        due: list[tuple[Period, Step]] = []
        coming: datetime | None = None
        for period in self.periods:
            fulfilled_on = fulfilled.get(period.key)
            if fulfilled_on is not None and fulfilled_on > today:
                fulfilled_on = None
            following: Step | None = None
            before = len(due)
            for step in _generate_steps(
                period=period,
                leads=self.leads,
                every=self.every,
                obligation_end=self.obligation_end,
                zone=self.zone,
                send_at=self.send_at,
            ):
                if fulfilled_on is not None and step.day >= fulfilled_on:
                    break
                if step.due_at > now:
                    following = step
                    break
                due.append((period, step))
            if following is None:
                continue
            if coming is None or following.due_at < coming:
                coming = following.due_at
            if len(due) == before:
                # Not one step of this period is due yet. The first step of each later
                # period falls later still (due dates rise, the leads are the same), so
                # none of theirs is due, and none comes before this one.
                break
        return due, coming


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
    """A line's :class:`Schedule`, its arguments checked as :func:`periods` and
    :func:`reminder_steps` check them (texts of cadence and due rule parsed once per
    process; the sweep makes one per distinct set of rules)."""
    cadence_value = _cached_cadence(cadence) if isinstance(cadence, str) else cadence
    due_rule = _cached_due_rule(due) if isinstance(due, str) else due
    found = periods(start=start, end=end, cadence=cadence_value, due=due_rule)
    leads = _check_leads(lead_days)
    every = _check_escalation(escalate_every_days)
    zone = _zone(tz)
    send_instant(day=found[0].due, tz=tz, send_at=send_at)  # refuses a send time with a zone
    _check_reach(found[0], leads[:1])  # the earliest due date, the longest lead
    return Schedule(
        cadence=cadence_value,
        periods=tuple(found),
        leads=leads,
        every=every,
        obligation_end=end,
        zone=zone,
        send_at=send_at.replace(fold=0),
    )


@lru_cache(maxsize=64)
def _cached_due_rule(text: str) -> DueRule:
    """:func:`parse_due_rule` for the few due rules lines store."""
    return parse_due_rule(text)


@lru_cache(maxsize=64)
def _cached_cadence(text: str) -> Cadence:
    """:func:`parse_cadence` for the few cadence texts lines store (it parses an RRULE)."""
    return parse_cadence(text)


# --------------------------------------------------------------------------- period state


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodState:
    """Where a period stands at some moment, for a status table.

    - ``upcoming``: not fulfilled, due in more than ``due_soon_days`` days;
    - ``due_soon``: not fulfilled, due within ``due_soon_days`` days (the due day included);
    - ``overdue``: not fulfilled and the due date has passed; ``days_overdue`` >= 1;
    - ``fulfilled``: fulfilled on or before the due date;
    - ``late_fulfilled``: fulfilled after the due date; ``days_late`` >= 1.

    All day counts are between local (committee time zone) dates. ``days_until_due`` is
    negative once the due date has passed. ``fulfilled_on`` is ``None`` unless fulfilled by
    ``today``.
    """

    kind: PeriodStateKind
    today: date
    due: date
    days_until_due: int
    days_overdue: int = 0
    days_late: int = 0
    fulfilled_on: date | None = None


def period_state(
    *,
    period: Period,
    now: datetime,
    fulfilled_on: date | None,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    tz: str = DEFAULT_TZ,
) -> PeriodState:
    """The :class:`PeriodState` of ``period`` at ``now``.

    ``now`` must be timezone-aware; it is read as a local date in ``tz``. A fulfilment date
    after that local date counts as not yet fulfilled. A period stays ``overdue`` after the
    obligation's end (only the reminders stop there).
    """
    _require_aware(now)
    if isinstance(due_soon_days, bool) or not isinstance(due_soon_days, int) or due_soon_days < 0:
        raise InvalidInputError(
            f"due-soon window {due_soon_days!r} must be a whole number of days, 0 or more"
        )
    today = now.astimezone(_zone(tz)).date()
    fulfilled = _effective_fulfilment(fulfilled_on, now=now, tz=tz)
    until = (period.due - today).days
    if fulfilled is not None:
        late = (fulfilled - period.due).days
        if late > 0:
            return PeriodState(
                kind="late_fulfilled",
                today=today,
                due=period.due,
                days_until_due=until,
                days_late=late,
                fulfilled_on=fulfilled,
            )
        return PeriodState(
            kind="fulfilled",
            today=today,
            due=period.due,
            days_until_due=until,
            fulfilled_on=fulfilled,
        )
    if until < 0:
        return PeriodState(
            kind="overdue", today=today, due=period.due, days_until_due=until, days_overdue=-until
        )
    kind: PeriodStateKind = "due_soon" if until <= due_soon_days else "upcoming"
    return PeriodState(kind=kind, today=today, due=period.due, days_until_due=until)


# --------------------------------------------------------------------------- helpers


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise InvalidInputError(
            f"time zone {tz!r} is unknown; give an IANA name like 'Europe/Copenhagen'"
        ) from exc


def _require_date(value: object, name: str) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInputError(f"{name} {value!r} is not a date; give one like 2008-08-01")


def _require_aware(now: datetime) -> None:
    if not isinstance(now, datetime):
        raise InvalidInputError(f"now {now!r} is not a datetime; give an aware one in UTC")
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInputError(
            f"now {now.isoformat()} has no time zone; give an aware datetime, "
            "e.g. datetime(2010, 3, 31, tzinfo=UTC)"
        )


def _effective_fulfilment(fulfilled_on: date | None, *, now: datetime, tz: str) -> date | None:
    """``fulfilled_on`` if it is on or before ``now``'s local date, else ``None``."""
    if fulfilled_on is None:
        return None
    _require_date(fulfilled_on, "fulfilment date")
    today = now.astimezone(_zone(tz)).date()
    return fulfilled_on if fulfilled_on <= today else None


def _check_leads(lead_days: Iterable[int]) -> tuple[int, ...]:
    if isinstance(lead_days, (str, bytes)):
        raise InvalidInputError(f"lead times {lead_days!r} must be numbers of days, e.g. 60, 14, 0")
    leads = list(lead_days)
    for lead in leads:
        if isinstance(lead, bool) or not isinstance(lead, int) or not 0 <= lead <= MAX_DAYS:
            raise InvalidInputError(
                f"lead time {lead!r} must be a whole number of days from 0 to {MAX_DAYS}, "
                "e.g. 60, 14, 0"
            )
    return tuple(sorted(set(leads), reverse=True))


def _check_reach(period: Period, leads: Iterable[int]) -> None:
    """No lead may reach before year 1 from the period's due date."""
    for lead in leads:
        try:
            period.due - timedelta(days=lead)
        except OverflowError as exc:
            raise InvalidInputError(
                f"lead time of {lead} days reaches before year 1; give fewer days"
            ) from exc


def _check_escalation(every: int | None) -> int | None:
    if every is None:
        return None
    if isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= MAX_DAYS:
        raise InvalidInputError(
            f"escalation interval {every!r} must be a whole number of days from 1 to "
            f"{MAX_DAYS} (e.g. 7), or None for no escalation"
        )
    return every
