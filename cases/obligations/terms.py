"""The terms of a status obligation as people and files give them, read into checked values.

``FREQ=YEARLY;INTERVAL=2`` becomes a :class:`Cadence`, ``31.12`` a :class:`DueRule`; lead
times, the escalation interval, the send time and the time zone are checked here too. The
date rules (``periods``, ``steps``) take these values and trust them. Every refusal is an
:class:`InvalidInputError` of one line that says what is wrong and shows a valid value.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

from council.cases.dates import month_day, month_day_problem
from council.cases.errors import InvalidInputError

DEFAULT_TZ = "Europe/Copenhagen"
DEFAULT_SEND_AT = time(8, 0)
DEFAULT_LEAD_DAYS: tuple[int, ...] = (60, 14, 0)
DEFAULT_ESCALATE_EVERY_DAYS = 7
MAX_DAYS = 3660
"""The longest lead time or escalation interval, in days (ten years)."""
DEFAULT_DUE_SOON_DAYS = 14

_CADENCE_EXAMPLE = "skriv den som 'FREQ=YEARLY' eller 'FREQ=YEARLY;INTERVAL=2'"
_DUE_EXAMPLE = "skriv måned og dag som '12-31', '31.12' eller '31. december'"
_BOUND_PARTS = frozenset({"DTSTART", "UNTIL", "COUNT"})
_ALLOWED_PARTS = frozenset({"FREQ", "INTERVAL"})


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
                f"kadencens interval {self.interval!r} er ikke et helt tal; {_CADENCE_EXAMPLE}"
            )
        if self.interval < 1:
            raise InvalidInputError(
                f"kadencens INTERVAL={self.interval} skal være 1 eller mere; {_CADENCE_EXAMPLE}"
            )

    @property
    def rule(self) -> str:
        """The canonical RRULE text (without the ``RRULE:`` prefix)."""
        if self.interval == 1:
            return "FREQ=YEARLY"
        return f"FREQ=YEARLY;INTERVAL={self.interval}"

    def __str__(self) -> str:
        return self.rule


def parse_cadence(rrule_text: str) -> Cadence:
    """Validate an RFC 5545 RRULE and return its :class:`Cadence`.

    Accepted: ``FREQ=YEARLY`` with an optional ``INTERVAL=n`` (n >= 1), case-insensitive, with
    or without an ``RRULE:`` prefix. Refused: text ``dateutil.rrule.rrulestr`` cannot read;
    ``DTSTART``, ``UNTIL`` and ``COUNT`` (the obligation's own start and end bound the
    periods); any other frequency or ``BY...`` part (the due rule, not the RRULE, says on
    which day a status is due).
    """
    if not isinstance(rrule_text, str) or not rrule_text.strip():
        raise InvalidInputError(f"kadencen er tom; {_CADENCE_EXAMPLE}")
    shown = repr(" ".join(rrule_text.split()))
    text, parts = _rule_parts(rrule_text, shown)
    _refuse_bounds_and_repeats(parts, shown)
    try:
        # dateutil reads the rule as RFC 5545 says; the values are then taken from the
        # text it accepted, since the parsed rule keeps them only in private attributes.
        rrulestr(text, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError, OverflowError) as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InvalidInputError(
            f"kadencen {shown} er ikke en gyldig RRULE ({reason}); {_CADENCE_EXAMPLE}"
        ) from exc
    values = dict(parts)
    if values["FREQ"].strip().upper() != "YEARLY":
        raise InvalidInputError(
            f"kadencen {shown} er ikke årlig; statusforpligtelser gentages hvert n-te år; "
            f"{_CADENCE_EXAMPLE}"
        )
    extra = sorted(set(values) - _ALLOWED_PARTS)
    if extra:
        raise InvalidInputError(
            f"kadencen {shown} indeholder {', '.join(extra)}; kun FREQ og INTERVAL "
            f"understøttes (fristreglen giver dagen); {_CADENCE_EXAMPLE}"
        )
    interval = int(values.get("INTERVAL", "1"))  # rrulestr has read it as a whole number
    if interval < 1:
        raise InvalidInputError(
            f"kadencen {shown} har INTERVAL={interval}, som skal være 1 eller mere; "
            f"{_CADENCE_EXAMPLE}"
        )
    return Cadence(interval=interval)


def _rule_parts(rrule_text: str, shown: str) -> tuple[str, list[tuple[str, str]]]:
    """One RRULE line without its prefix, and its ``NAME=VALUE`` parts (names in upper
    case) in their order."""
    text = rrule_text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :].strip()
    if "DTSTART" in text.upper():
        raise InvalidInputError(
            f"kadencen {shown} indeholder DTSTART; forpligtelsens startdato fastlægger "
            f"perioderne, så udelad den og {_CADENCE_EXAMPLE}"
        )
    if "\n" in text or "\r" in text:
        raise InvalidInputError(
            f"kadencen {shown} har mere end én linje; angiv én RRULE, {_CADENCE_EXAMPLE}"
        )
    text = text.rstrip(";").strip()
    parts: list[tuple[str, str]] = []
    for part in text.split(";"):
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(
                f"kadencen {shown} har {part.strip()!r}, som ikke er NAVN=VÆRDI; {_CADENCE_EXAMPLE}"
            )
        parts.append((name.strip().upper(), value))
    return text, parts


def _refuse_bounds_and_repeats(parts: list[tuple[str, str]], shown: str) -> None:
    names = [name for name, _ in parts]
    bounds = sorted(_BOUND_PARTS.intersection(names))
    if bounds:
        raise InvalidInputError(
            f"kadencen {shown} indeholder {'/'.join(bounds)}; forpligtelsens start- og "
            f"slutdato afgrænser perioderne, så udelad det og {_CADENCE_EXAMPLE}"
        )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InvalidInputError(
            f"kadencen {shown} angiver {', '.join(duplicates)} mere end én gang; {_CADENCE_EXAMPLE}"
        )
    if "FREQ" not in names:
        raise InvalidInputError(f"kadencen {shown} har ingen FREQ; {_CADENCE_EXAMPLE}")


# --------------------------------------------------------------------------- due rule


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
                    f"fristens måned/dag {value!r} er ikke et helt tal; {_DUE_EXAMPLE}"
                )
        problem = month_day_problem(self.month, self.day)
        if problem is not None:
            raise InvalidInputError(f"fristreglen: {problem}; {_DUE_EXAMPLE}")

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


def parse_due_rule(text: str) -> DueRule:
    """Read a due day of the year in any form ``cases.dates.month_day`` reads: ``12-31``,
    ``31.12``, ``31/12``, ``31. december``, ``31. dec.`` ... 29 February is accepted and falls
    on 28 February in common years."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError(f"fristreglen er tom; {_DUE_EXAMPLE}")
    try:
        month, day = month_day(text)
    except ValueError as exc:
        raise InvalidInputError(f"fristreglen: {exc}; {_DUE_EXAMPLE}") from exc
    return DueRule(month=month, day=day)


@dataclass(frozen=True, slots=True, kw_only=True)
class Terms:
    """What every line of one obligation shares: its dates and reminder rules (the lead
    times and escalation are checked when a schedule is made of them)."""

    starts_on: date
    ends_on: date
    cadence: Cadence
    due: DueRule
    lead_days: tuple[int, ...]
    escalate_every_days: int | None
    about: str = ""


# --------------------------------------------------------------------------- numbers and clock


def check_leads(lead_days: Iterable[int]) -> tuple[int, ...]:
    """Lead times in days, each once, largest (earliest) first."""
    if isinstance(lead_days, (str, bytes)):
        raise InvalidInputError(f"varsler {lead_days!r} skal være antal dage, fx 60, 14, 0")
    leads = list(lead_days)
    for lead in leads:
        if isinstance(lead, bool) or not isinstance(lead, int) or not 0 <= lead <= MAX_DAYS:
            raise InvalidInputError(
                f"varslet {lead!r} skal være et helt antal dage fra 0 til {MAX_DAYS}, fx 60, 14, 0"
            )
    return tuple(sorted(set(leads), reverse=True))


def check_escalation(every: int | None) -> int | None:
    """Days between overdue reminders, or ``None`` for no escalation."""
    if every is None:
        return None
    if isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= MAX_DAYS:
        raise InvalidInputError(
            f"eskaleringsintervallet {every!r} skal være et helt antal dage fra 1 til "
            f"{MAX_DAYS} (fx 7), eller None for ingen eskalering"
        )
    return every


def check_send_at(send_at: time) -> time:
    """A local time of day without a zone (the zone is given apart), first occurrence."""
    if send_at.tzinfo is not None:
        raise InvalidInputError(
            f"afsendelsestidspunktet {send_at.isoformat()} har en tidszone; angiv lokal tid "
            "som 08:00 og zonen for sig"
        )
    return send_at.replace(fold=0)


def zone(tz: str) -> ZoneInfo:
    """The IANA time zone ``tz``."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise InvalidInputError(
            f"tidszonen {tz!r} er ukendt; angiv et IANA-navn som 'Europe/Copenhagen'"
        ) from exc
