"""The status deadlines the calendars are made of: every obligation line's periods with
the day each was fulfilled, if it was."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from council.cases.obligations.fulfilment import by_period, fulfilments
from council.cases.obligations.lines import Line, lines
from council.cases.obligations.periods import Period


@dataclass(frozen=True, slots=True)
class Deadline:
    """One period of an obligation line: when its status is due, and when it was given."""

    line: Line
    period: Period
    fulfilled_on: date | None


def deadlines(
    session: Session,
    *,
    fulfilling_states: Iterable[str],
    committee_codes: Iterable[str] | None = None,
    owner: str | None = None,
) -> list[Deadline]:
    """Every period of every line (of these committees; of cases this administration
    owns), by due date."""
    found = lines(session)
    if committee_codes is not None:
        wanted = {code.strip().upper() for code in committee_codes}
        found = [line for line in found if line.committee_code in wanted]
    if owner is not None:
        folded = " ".join(owner.split()).casefold()
        found = [line for line in found if " ".join(line.case_owner.split()).casefold() == folded]
    done = fulfilments(session, [line.id for line in found], fulfilling_states=fulfilling_states)
    result = []
    for line in found:
        assigned = by_period(line.periods, done[line.id])
        for period in line.periods:
            fulfilment = assigned.get(period.key)
            result.append(Deadline(line, period, fulfilment.on if fulfilment else None))
    return sorted(result, key=lambda d: (d.period.due, d.line.case_number, d.line.id))
