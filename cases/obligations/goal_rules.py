"""Result goals as rules: numbers as people write them, the target in force for a period,
whether a reported value meets it, and the trend across periods.

Pure functions, no database. Rules the status table and the documents rely on:

- A target holds for every period, or for one period only (``period_key``). The first
  target and each revision carry the day they were agreed on.
- The target *in force* for a period is the latest target that applies to it and was
  agreed on or before its due date; a target for that period alone wins over one for
  every period agreed on the same day. When every applicable target was agreed after the
  due date, the first one holds (a goal recorded after the fact still has a target).
- A value meets an "at least" target when it is at least the target, an "at most" target
  when it is at most the target. A value reported as approximate ("ca. 1.370") is judged
  by its number.
- The trend between two periods compares their reported values: up, down or level.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from babel.numbers import format_decimal

from council.cases.errors import InvalidInputError
from council.cases.obligations.periods import Period

Assessment = Literal["met", "not_met", "not_reported"]
Trend = Literal["up", "down", "level"]

ASSESSMENT_LABELS: dict[str, str] = {
    "met": "nået",
    "not_met": "ikke nået",
    "not_reported": "ikke indberettet",
}
TREND_LABELS: dict[str, str] = {"up": "stigende", "down": "faldende", "level": "uændret"}
DIRECTION_LABELS: dict[str, str] = {"at_least": "mindst", "at_most": "højst"}
DIRECTION_WORDS: dict[str, str] = {
    "at_least": "at_least",
    "mindst": "at_least",
    "at-least": "at_least",
    "min": "at_least",
    "at_most": "at_most",
    "højst": "at_most",
    "hoejst": "at_most",
    "at-most": "at_most",
    "max": "at_most",
}
LARGEST = 1e12
"""The largest target or value accepted: far above any count a status reports."""

_APPROXIMATE = re.compile(r"^(?:ca\.?|cirka|omkring|~|≈)\s*", re.IGNORECASE)
_DANISH = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$")
_EXAMPLE = "skriv et tal som 427, 1.370, 62,5 eller 'ca. 1370'"


@dataclass(frozen=True, slots=True)
class TargetEntry:
    """A target as agreed: the first one of a goal, or a revision."""

    id: int
    period_key: str | None  # None: every period
    target: float
    agreed_on: date
    reason: str


@dataclass(frozen=True, slots=True)
class InForce:
    """The target in force for a period, and what it replaced, if it is a revision."""

    target: float
    entry: TargetEntry
    replaced: TargetEntry | None  # the earlier target for the same periods, if revised


def parse_number(text: str, *, what: str) -> tuple[float, bool]:
    """A number as a Danish reader writes it, and whether it was marked approximate.

    ``1.370`` is one thousand three hundred and seventy, ``62,5`` a decimal, ``ca. 1370``
    or ``~1370`` approximate. ``1.5`` is refused as ambiguous. Negative numbers, numbers
    above :data:`LARGEST` and anything else are refused naming ``what``.
    """
    raw = " ".join(str(text).split())
    body = _APPROXIMATE.sub("", raw, count=1)
    approximate = body != raw
    if body.startswith("-") or body.startswith("−"):
        raise InvalidInputError(f"{what} '{raw}' er negativ; angiv 0 eller mere")
    if not _DANISH.fullmatch(body):
        if re.fullmatch(r"\d+\.\d{1,2}|\d+\.\d{4,}", body):
            raise InvalidInputError(
                f"{what} '{raw}' er tvetydig: skriv decimaler med komma (1,5) og "
                "tusinder med punktum (1.500)"
            )
        raise InvalidInputError(f"{what} '{raw}' er ikke et tal; {_EXAMPLE}")
    value = float(body.replace(".", "").replace(",", "."))
    if not math.isfinite(value) or value > LARGEST:
        raise InvalidInputError(f"{what} '{raw}' er for stor; angiv højst 1.000.000.000.000")
    return value, approximate


def check_number(value: float, *, what: str) -> float:
    """A number given as a number (not text): finite, 0 or more, at most :data:`LARGEST`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInputError(f"{what} {value!r} er ikke et tal; {_EXAMPLE}")
    if not math.isfinite(value) or value < 0 or value > LARGEST:
        raise InvalidInputError(f"{what} {value!r} skal være fra 0 til 1.000.000.000.000")
    return float(value)


def direction_of(word: str) -> str:
    """``at_least`` or ``at_most`` from the code name or the Danish word."""
    found = DIRECTION_WORDS.get(" ".join(word.split()).casefold())
    if found is None:
        raise InvalidInputError(f"retningen '{word}' er ukendt; brug 'mindst' eller 'højst'")
    return found


def format_number(value: float, *, approximate: bool = False) -> str:
    """``1.370``, ``62,5``, ``ca. 1.370``: a number as Danish text."""
    text = format_decimal(value, format="#,##0.##", locale="da_DK")
    return f"ca. {text}" if approximate else text


def in_force(entries: Sequence[TargetEntry], period: Period) -> InForce | None:
    """The target in force for ``period`` (see the module's rules); ``None`` without any."""
    applicable = [e for e in entries if e.period_key in (None, period.key)]
    if not applicable:
        return None

    def order(entry: TargetEntry) -> tuple[date, int, int]:
        return (entry.agreed_on, entry.period_key is not None, entry.id)

    ordered = sorted(applicable, key=order)
    agreed = [e for e in ordered if e.agreed_on <= period.due] or ordered[:1]
    entry = agreed[-1]
    earlier = [e for e in ordered if order(e) < order(entry) and e.period_key == entry.period_key]
    replaced = earlier[-1] if earlier else None
    return InForce(entry.target, entry, replaced)


def assess(direction: str, target: float | None, value: float | None) -> Assessment:
    """Whether ``value`` meets ``target`` (``not_reported`` without a value)."""
    if value is None or target is None:
        return "not_reported"
    met = value >= target if direction == "at_least" else value <= target
    return "met" if met else "not_met"


def trend(values: Iterable[float | None]) -> Trend | None:
    """The direction from the second-last to the last reported value; ``None`` with fewer
    than two."""
    reported = [v for v in values if v is not None]
    if len(reported) < 2:
        return None
    before, last = reported[-2], reported[-1]
    if last > before:
        return "up"
    if last < before:
        return "down"
    return "level"
