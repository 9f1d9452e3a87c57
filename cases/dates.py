"""Danish dates: the month names, the forms dates are written in, and the Copenhagen clock.

The one place that knows them. Users type ``2010-02-23`` or ``23.02.2010`` (and a time,
``2010-02-23T08:00``); published agendas write ``4. december 2012``, ``04.12.2012`` or
``10-04-2013``; a status is due on a day of the year, ``31.12`` or ``31. dec.``; the minutes
show ``23.02.2010``, letters ``23. februar 2010``. Timestamps are stored in UTC and shown as
Copenhagen wall-clock time.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from council.cases.errors import InvalidInputError
from council.config.settings import TIMEZONE

LOCAL_ZONE = ZoneInfo(TIMEZONE)
LOCALE = "da_DK"

_MONTH_NAMES = (
    "januar jan",
    "februar feb",
    "marts mar",
    "april apr",
    "maj",
    "juni jun",
    "juli jul",
    "august aug",
    "september sep sept",
    "oktober okt",
    "november nov",
    "december dec",
)
MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()
}
"""A Danish month's name, its first three letters (and ``sept``), lower case -> its number."""

DATE = (
    r"(?:(?P<iso_year>\d{4})-(?P<iso_month>\d{2})-(?P<iso_day>\d{2})"
    r"|(?P<day>\d{1,2})(?:[.-](?P<month>\d{1,2})[.-]|\.?\s*(?P<month_name>[a-zæøå]+)\.?\s+)"
    r"(?P<year>\d{4}))"
)
"""A date as published texts write it (a regular expression; match it ignoring case):
``2026-08-11``, ``04.12.2012``, ``10-04-2013``, ``4. december 2012``, ``4. dec. 2012``.
:func:`date_from_match` reads a match."""

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DANISH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
"""The dates a meeting, a decision or an obligation's period can have: wide enough for any
archive and any agreement, narrow enough that a mistyped year (``0001``, ``9999``) is caught
before it is stored or used to compute reminders. A moment to sweep or look at (``--now``,
``--at``) is bounded below by the same year; its upper limit is the reminder service's."""


_DATE_AND_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)(.*)$")
_ISO_MONTH_DAY = re.compile(r"(?:--)?(\d{1,2})-(\d{1,2})")
_DAY_DOT_MONTH = re.compile(r"(\d{1,2})\s*[./]\s*(\d{1,2})\.?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})\.?\s*([^\W\d_]+)\.?")


# --------------------------------------------------------------------------- reading


def month_number(name: str) -> int | None:
    """``"december"``, ``"Dec"``, ``"sept"`` -> 12, 12, 9; a word that is no month -> None."""
    return MONTHS.get(name.casefold())


def date_from_match(match: re.Match[str]) -> date | None:
    """The date a :data:`DATE` match names, or None when it is not a real day."""
    try:
        if match["iso_year"]:
            return date(int(match["iso_year"]), int(match["iso_month"]), int(match["iso_day"]))
        month = int(match["month"]) if match["month"] else month_number(match["month_name"]) or 0
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def parse_date(text: str, *, what: str = "datoen", latest: date = LATEST_DATE) -> date:
    """``2010-02-23`` or ``23.02.2010`` from EARLIEST_DATE to ``latest``, as users type them;
    anything else is one clear line."""
    value = text.strip()
    match = _ISO.match(value)
    parts = (match.group(1), match.group(2), match.group(3)) if match else None
    if parts is None and (match := _DANISH.match(value)):
        parts = (match.group(3), match.group(2), match.group(1))
    if parts is None:
        raise InvalidInputError(
            f"{what} '{text}' er ikke en dato; skriv den som 2010-02-23 eller 23.02.2010"
        )
    try:
        day = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise InvalidInputError(f"{what} '{text}' findes ikke i kalenderen") from exc
    return require_plausible(day, what=f"{what} '{text}'", latest=latest)


def require_plausible(day: date, *, what: str = "datoen", latest: date = LATEST_DATE) -> date:
    """``day`` if it lies from EARLIEST_DATE to ``latest`` (by default the last day of the
    years the product records)."""
    if EARLIEST_DATE <= day <= latest:
        return day
    if latest == LATEST_DATE:
        problem = f"ligger uden for {EARLIEST_DATE.year}–{LATEST_DATE.year}, de år der registreres"
    elif day < EARLIEST_DATE:
        problem = f"ligger før {EARLIEST_DATE.year}, det første år der registreres"
    else:
        problem = f"ligger efter {format_date(latest)}"
    raise InvalidInputError(f"{what} {problem}; tjek årstallet")


def parse_time(text: str, *, what: str = "klokkeslættet") -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise InvalidInputError(f"{what} '{text}' er ikke et klokkeslæt; skriv det som 15:30")
    try:
        return time(int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise InvalidInputError(f"{what} '{text}' er ikke et klokkeslæt") from exc


def parse_moment(text: str, *, what: str = "tidspunktet", end_of_day: bool = False) -> datetime:
    """``2010-02-23``, ``23.02.2010``, ``2010-02-23T08:00`` or ``2010-02-23 08:00[+01:00]``.

    A time without an offset is Copenhagen wall-clock time; a date alone is the start of
    that day (or its last moment, with ``end_of_day``). A year before 1900 is refused here;
    how late a sweep may run is the reminder service's to say.
    """
    value = text.strip()
    match = _DATE_AND_TIME.match(value)
    if match is None:
        day = parse_date(value, what=what, latest=date.max)
        moment = datetime.combine(day, time(0, 0), tzinfo=LOCAL_ZONE)
        return moment + timedelta(days=1, microseconds=-1) if end_of_day else moment
    hour, minutes = match.group(2).split(":", 1)
    clock = f"{int(hour):02d}:{minutes}"
    try:
        parsed = datetime.fromisoformat(f"{match.group(1)}T{clock}{match.group(3)}")
    except ValueError as exc:
        raise InvalidInputError(
            f"{what} '{text}' er ikke en dato og et klokkeslæt; skriv det som 2010-02-23T08:00"
        ) from exc
    require_plausible(parsed.date(), what=f"{what} '{text}'", latest=date.max)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=LOCAL_ZONE)


def month_day(text: str) -> tuple[int, int]:
    """A day of the year, as ``(month, day)``: ``12-31`` and ``--12-31`` (ISO month-day),
    ``31.12``, ``31.12.`` and ``31/12``, ``31 december``, ``31. december`` and ``31. dec.``
    (case and surrounding blanks do not matter). 29 February is a day of the year.

    A ``ValueError`` says what is wrong, starting with the text as given.
    """
    shown = repr(text.strip())
    cleaned = " ".join(text.split()).lower()
    if match := _ISO_MONTH_DAY.fullmatch(cleaned):
        month, day = int(match.group(1)), int(match.group(2))
    elif match := _DAY_DOT_MONTH.fullmatch(cleaned):
        day, month = int(match.group(1)), int(match.group(2))
    elif match := _DAY_MONTH_NAME.fullmatch(cleaned):
        day, name = int(match.group(1)), match.group(2)
        found = month_number(name)
        if found is None:
            raise ValueError(f"{shown}: {name!r} er ikke et dansk månedsnavn")
        month = found
    else:
        raise ValueError(f"{shown} er ikke en dag i året")
    problem = month_day_problem(month, day)
    if problem is not None:
        raise ValueError(f"{shown} er ikke en dag i året ({problem})")
    return month, day


def month_day_problem(month: int, day: int) -> str | None:
    """What is wrong with a month and day, or ``None`` (29 February is fine)."""
    if not 1 <= month <= 12:
        return f"måned {month} er ikke 1-12"
    # 2000 is a leap year, so 29 February passes here.
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return f"dag {day} findes ikke i måned {month}"
    return None


# --------------------------------------------------------------------------- showing


def format_date(value: date | None) -> str:
    """``23.02.2010``, the minutes' short form; an unknown date says so."""
    return value.strftime("%d.%m.%Y") if value else "(dato ukendt)"


@lru_cache(maxsize=4096)  # a reminder round formats the same few days thousands of times
def format_long_date(value: date | None) -> str:
    """``23. februar 2010``, as letters write it (Babel's Danish); an unknown date says so."""
    if value is None:
        return "(dato ukendt)"
    from babel.dates import format_date as babel_format_date  # only renderings need Babel

    return str(babel_format_date(value, format="d. MMMM y", locale=LOCALE))


def format_moment(moment: datetime) -> str:
    """An aware UTC timestamp as Copenhagen wall-clock time to the second."""
    return moment.astimezone(LOCAL_ZONE).strftime("%d.%m.%Y %H:%M:%S")


def format_minute(moment: datetime) -> str:
    """An aware timestamp as Copenhagen wall-clock time to the minute, ``23.02.2010 17:00``;
    at the very end of the calendar, where Copenhagen's time would not exist, in its own
    zone with the offset."""
    try:
        return moment.astimezone(LOCAL_ZONE).strftime("%d.%m.%Y %H:%M")
    except OverflowError:
        return moment.strftime("%d.%m.%Y %H:%M%z")


def local_date(moment: datetime) -> date:
    """The Copenhagen calendar date of an aware moment."""
    return moment.astimezone(LOCAL_ZONE).date()


def require_aware(moment: datetime, *, what: str = "now") -> datetime:
    if moment.tzinfo is None:
        raise InvalidInputError(f"{what} skal have en tidszone, fx 2010-02-23T10:00+01:00")
    return moment


def utc_now() -> datetime:
    """The real clock, read only at the faces and passed down as ``now``."""
    return datetime.now(UTC)
