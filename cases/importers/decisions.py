"""What a parser gathers from an item's headed parts, and the decisions among them.

Every parser meets decisions in two forms: a decision's own text under a heading, whose
structure (votes, remarks, referrals, absence) is read from the words; and an earlier
treatment named without its text ("KMB IT-udvalget den 5. december 2012 Punkt 3").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from council.cases.importers.danish import treatment_reference
from council.cases.importers.decision_structure import read_structure
from council.cases.importers.published import Provenance, PublishedDecision, Section


def decision_from_text(
    text: str,
    *,
    body: str | None,
    date: dt.date | None,
    provenance: Provenance,
    heading: str | None = None,
    agenda_number: str | None = None,
    decided_by: str | None = None,
) -> PublishedDecision:
    """The decision ``body`` took on ``date`` in the words ``text``, with the structure
    those words carry."""
    structure = read_structure(text, body=body, decided_by=decided_by)
    return PublishedDecision(
        body=body,
        date=date,
        text=text,
        heading=heading,
        agenda_number=agenda_number,
        remarks=structure.remarks,
        vote=structure.vote,
        referred_to=structure.referred_to,
        absent=structure.absent,
        provenance=provenance,
    )


def earlier_treatment(line: str, provenance: Provenance) -> PublishedDecision | None:
    """The earlier treatment ``line`` names (body, day, its agenda number), without a
    decision text; None when the line names none."""
    reference = treatment_reference(line)
    if reference is None:
        return None
    return PublishedDecision(
        body=reference.body,
        date=reference.date,
        text="",
        heading=line,
        agenda_number=reference.agenda_number,
        provenance=provenance,
    )


@dataclass
class ItemContents:
    """An item's recommendation, sections, decisions and earlier treatments, gathered part
    by part in the source's order."""

    administration: str | None = None
    points: tuple[str, ...] = ()
    sections: list[Section] = field(default_factory=list)
    decisions: list[PublishedDecision] = field(default_factory=list)
    earlier: list[PublishedDecision] = field(default_factory=list)
