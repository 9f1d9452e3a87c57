"""An obligation's reporting periods, which fulfilment counts for which, and where one stands.

Pure functions of dates: no database, no clock (``now`` is given, so a test or the demo can
replay 2009-2010). Rules the storage layer relies on (they keep keys stable):

- A period runs from the day after the previous due date to its own due date; the first due
  date lies at least one cadence interval after the start (no status for a stub year), the
  last is clipped to the obligation's end (see :func:`periods`).
- A period's ``key`` is its *nominal* due year (``"2009"``; ``"2009-2010"`` for every second
  year), never derived from the clipped dates, so it does not change if the end is moved.
- Fulfilment is a local (Europe/Copenhagen) date, and one after ``now``'s local date counts
  as not yet fulfilled (replaying history must not know the future): :func:`fulfilled_by`.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from council.cases.errors import InvalidInputError
from council.cases.obligations.terms import (
    DEFAULT_DUE,
    DEFAULT_DUE_SOON_DAYS,
    DEFAULT_TZ,
    Cadence,
    DueRule,
    parse_cadence,
    parse_due_rule,
    zone,
)

PeriodStateKind = Literal["upcoming", "due_soon", "overdue", "fulfilled", "late_fulfilled"]
T = TypeVar("T")


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
    it has one, ``2009-2010`` (2008-08-01 to 2010-12-31).

    Worked out once per distinct obligation terms in a process (a delivery or a sweep asks
    for the same terms for line after line; parsing the cadence is most of the work).
    """
    return list(_periods(start, end, cadence, due))


@functools.lru_cache(maxsize=4096)
def _periods(
    start: date, end: date, cadence: Cadence | str, due: DueRule | str
) -> tuple[Period, ...]:
    step = (parse_cadence(cadence) if isinstance(cadence, str) else cadence).interval
    due_rule = parse_due_rule(due) if isinstance(due, str) else due
    require_date(start, "start")
    require_date(end, "end")
    if end < start:
        raise InvalidInputError(
            f"forpligtelsens slutdato {end.isoformat()} ligger før startdatoen "
            f"{start.isoformat()}; "
            "angiv en slutdato på eller efter starten"
        )
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
                return tuple(result)
            result.append(Period(key=key, start=period_start, end=nominal, due=nominal))
            period_start = nominal + timedelta(days=1)
            year += step
    except (ValueError, OverflowError) as exc:
        raise InvalidInputError(
            f"forpligtelsen {start.isoformat()} til {end.isoformat()} rækker ud over år 9999; "
            "angiv datoer i kalenderen"
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
    open_periods = sorted(periods_, key=lambda period: period.start)
    result: dict[str, tuple[date, T]] = {}
    for on, what in sorted(fulfilments, key=lambda pair: pair[0]):
        require_date(on, "fulfilment date")
        if open_periods and open_periods[0].start <= on:
            result[open_periods.pop(0).key] = (on, what)
    return result


def fulfilled_by(fulfilled_on: date | None, *, now: datetime, tz: ZoneInfo) -> date | None:
    """``fulfilled_on`` if it is on or before ``now``'s local date, else ``None``: a status
    counts from its date on, and before that the period is still open."""
    if fulfilled_on is None:
        return None
    require_date(fulfilled_on, "fulfilment date")
    return fulfilled_on if fulfilled_on <= now.astimezone(tz).date() else None


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
    require_now(now)
    if isinstance(due_soon_days, bool) or not isinstance(due_soon_days, int) or due_soon_days < 0:
        raise InvalidInputError(
            f"vinduet for snarlig frist {due_soon_days!r} skal være et helt antal dage, 0 "
            "eller mere"
        )
    local = zone(tz)
    today = now.astimezone(local).date()
    fulfilled = fulfilled_by(fulfilled_on, now=now, tz=local)
    until = (period.due - today).days
    if fulfilled is not None:
        late = (fulfilled - period.due).days
        return PeriodState(
            kind="late_fulfilled" if late > 0 else "fulfilled",
            today=today,
            due=period.due,
            days_until_due=until,
            days_late=max(late, 0),
            fulfilled_on=fulfilled,
        )
    if until < 0:
        return PeriodState(
            kind="overdue", today=today, due=period.due, days_until_due=until, days_overdue=-until
        )
    kind: PeriodStateKind = "due_soon" if until <= due_soon_days else "upcoming"
    return PeriodState(kind=kind, today=today, due=period.due, days_until_due=until)


# --------------------------------------------------------------------------- argument checks


def require_date(value: object, name: str) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInputError(f"{name} {value!r} er ikke en dato; angiv en som 2008-08-01")


def require_now(now: datetime) -> None:
    """``now`` is an aware datetime (the rules read it as a local date and compare instants)."""
    if not isinstance(now, datetime):
        raise InvalidInputError(f"now {now!r} is not a datetime; give an aware one in UTC")
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInputError(
            f"now {now.isoformat()} has no time zone; give an aware datetime, "
            "e.g. datetime(2010, 3, 31, tzinfo=UTC)"
        )
