"""Reading the Danish wording the publishing systems share: dates, decision headings, lists.

These work on text already taken out of the markup.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from council.cases.dates import DATE, date_from_match

_DATE_ONLY = re.compile(rf"^\s*{DATE}\s*$", re.IGNORECASE)
_TIME = re.compile(r"\bkl\.?\s*(?P<hour>\d{1,2})[.:](?P<minute>\d{2})\b", re.IGNORECASE)

# "Xs beslutning [i mødet] den D [Punkt N]" (eDoc, kk.dk) and
# "Beslutning i X den D" (Acadre).
_GENITIVE_HEADING = re.compile(
    rf"^(?P<genitive>\S.*?[s'’])\s+beslutning\s+(?:i\s+mødet\s+)?den\s+{DATE}\.?"
    r"(?:\s+punkt\s+(?P<number>\d+))?\s*$",
    re.IGNORECASE,
)
_BESLUTNING_I = re.compile(
    rf"^beslutning\s+i\s+(?P<body>\S.*?)\s+den\s+{DATE}\.?(?:\s+punkt\s+(?P<number>\d+))?\s*$",
    re.IGNORECASE,
)
# "Kommunalbestyrelsen den 30. januar 2012 Punkt 5": an earlier treatment named, not quoted.
_TREATMENT = re.compile(
    rf"^(?P<body>[A-ZÆØÅ]\S*(?:\s+\S+){{0,8}}?)\s+den\s+{DATE}\.?\s+punkt\s+(?P<number>\d+)\s*$",
    re.IGNORECASE,
)


class DatedHeading(NamedTuple):
    """A decision heading or a treatment reference: who, when, and their item number."""

    body: str
    date: dt.date
    agenda_number: str | None


def parse_date(text: str) -> dt.date | None:
    """ "04.12.2012", "10-04-2013", "4. december 2012", "2026-08-11" -> a date, else None."""
    match = _DATE_ONLY.match(text)
    return date_from_match(match) if match else None


def find_date(text: str) -> dt.date | None:
    """The first date written anywhere in ``text``."""
    for match in re.finditer(DATE, text, re.IGNORECASE):
        when = date_from_match(match)
        if when is not None:
            return when
    return None


def find_time(text: str) -> tuple[int, int] | None:
    """ "kl. 13:00" / "kl. 15.45" -> (hour, minute)."""
    match = _TIME.search(text)
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    return (hour, minute) if hour < 24 and minute < 60 else None


def decision_heading(line: str) -> DatedHeading | None:
    """Read a dated decision heading in any of the layouts the sources use."""
    text = " ".join(line.split())
    if (match := _GENITIVE_HEADING.match(text)) is not None:
        body = base_form(match["genitive"])
    elif (match := _BESLUTNING_I.match(text)) is not None:
        body = match["body"]
    else:
        return None
    when = date_from_match(match)
    return DatedHeading(body, when, match["number"]) if when else None


def treatment_reference(line: str) -> DatedHeading | None:
    """ "KMB IT-udvalget den 5. december 2012 Punkt 3" -> that treatment."""
    match = _TREATMENT.match(" ".join(line.split()))
    if match is None:
        return None
    when = date_from_match(match)
    return DatedHeading(match["body"], when, match["number"]) if when else None


def base_form(genitive: str) -> str:
    """ "Beskæftigelses- og Integrationsudvalgets" -> "Beskæftigelses- og Integrationsudvalget"."""
    return genitive[:-1] if genitive.endswith(("s", "'", "’")) else genitive


def split_names(text: str) -> tuple[str, ...]:
    """ "A, B og C" -> ("A", "B", "C"), not splitting inside brackets."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        depth += 1 if char in "([" else -1 if char in ")]" else 0
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    names: list[str] = []
    for part in parts:
        names.extend(_split_og(part))
    return tuple(name.strip(" .") for name in names if name.strip(" ."))


def _split_og(part: str) -> list[str]:
    """Split at " og " outside brackets, unless the word before ends in "-"."""
    pieces: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(part):
        char = part[index]
        depth += 1 if char in "([" else -1 if char in ")]" else 0
        if depth == 0 and part.startswith(" og ", index) and not part[:index].endswith("-"):
            pieces.append(part[start:index])
            start = index + 4
            index += 4
            continue
        index += 1
    pieces.append(part[start:])
    return pieces
