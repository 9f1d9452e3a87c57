"""Parsing dates typed by users and showing dates the way Danish minutes do."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from council.cases.errors import InvalidInputError
from council.config.settings import TIMEZONE

LOCAL_ZONE = ZoneInfo(TIMEZONE)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DANISH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
"""The dates a meeting, a decision or an obligation's period can have: wide enough for any
archive and any agreement, narrow enough that a mistyped year (``0001``, ``9999``) is caught
before it is stored or used to compute reminders. A moment to sweep or look at (``--now``,
``--at``) is bounded below by the same year; its upper limit is the reminder service's."""


def parse_date(text: str, *, what: str = "date", latest: date = LATEST_DATE) -> date:
    """``2010-02-23`` or ``23.02.2010`` from EARLIEST_DATE to ``latest``; anything else is
    one clear line."""
    value = text.strip()
    match = _ISO.match(value)
    parts = (match.group(1), match.group(2), match.group(3)) if match else None
    if parts is None and (match := _DANISH.match(value)):
        parts = (match.group(3), match.group(2), match.group(1))
    if parts is None:
        raise InvalidInputError(
            f"{what} '{text}' is not a date; write it as 2010-02-23 or 23.02.2010"
        )
    try:
        day = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise InvalidInputError(f"{what} '{text}' does not exist in the calendar ({exc})") from exc
    return require_plausible(day, what=f"{what} '{text}'", latest=latest)


def require_plausible(day: date, *, what: str = "date", latest: date = LATEST_DATE) -> date:
    """``day`` if it lies from EARLIEST_DATE to ``latest`` (by default the last day of the
    years the product records)."""
    if EARLIEST_DATE <= day <= latest:
        return day
    if latest == LATEST_DATE:
        problem = (
            f"is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}, the years the product records"
        )
    elif day < EARLIEST_DATE:
        problem = f"is before {EARLIEST_DATE.year}, the first year the product records"
    else:
        problem = f"is after {format_date(latest)}"
    raise InvalidInputError(f"{what} {problem}; check the year")


def parse_time(text: str, *, what: str = "time") -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise InvalidInputError(f"{what} '{text}' is not a time of day; write it as 15:30")
    try:
        return time(int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise InvalidInputError(f"{what} '{text}' is not a time of day ({exc})") from exc


def format_date(value: date | None) -> str:
    """``23.02.2010``, the minutes' short form; an unknown date says so."""
    return value.strftime("%d.%m.%Y") if value else "(dato ukendt)"


def local_date(moment: datetime) -> date:
    """The Copenhagen calendar date of an aware moment."""
    return moment.astimezone(LOCAL_ZONE).date()


def format_moment(moment: datetime) -> str:
    """An aware UTC timestamp as Copenhagen wall-clock time."""
    return moment.astimezone(LOCAL_ZONE).strftime("%d.%m.%Y %H:%M:%S")


def require_aware(moment: datetime, *, what: str = "now") -> datetime:
    if moment.tzinfo is None:
        raise InvalidInputError(f"{what} must carry a time zone, e.g. 2010-02-23T10:00+01:00")
    return moment


def utc_now() -> datetime:
    """The real clock, read only at the faces and passed down as ``now``."""
    return datetime.now(UTC)
