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
"""The dates a meeting, a decision, an obligation or a ``--now`` can have: wide enough for
any archive and any agreement, narrow enough that a mistyped year (``0001``, ``9999``) is
caught before it is stored or used to compute reminders."""


def parse_date(text: str, *, what: str = "date") -> date:
    """``2010-02-23`` or ``23.02.2010``; anything else is one clear line."""
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
    return require_plausible(day, what=f"{what} '{text}'")


def require_plausible(day: date, *, what: str = "date") -> date:
    """``day`` if it lies within the years the product records (see EARLIEST_DATE)."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InvalidInputError(
            f"{what} is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}, the years the "
            "product records; check the year"
        )
    return day


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
