"""The plain-text Copenhagen layout in the neutral shape, so every format replays one way.

:func:`published_from_text_item` takes what ``copenhagen_text.parse_copenhagen_text`` read
and states it as a :class:`PublishedMeeting` holding that one item. The text parser already
found the decisions; their outcome (which it also reads) is left behind here, because the
replay step classifies every format's decision text with the same phrase table.

The text names no meeting of its own: the meeting is the one the caller names (from the
file name, ``koebenhavn_<udvalg>_<dato>_punktNN.txt``), else the last dated decision's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from council.cases.importers.copenhagen_text import ParsedItem
from council.cases.importers.decision_structure import read_structure
from council.cases.importers.hardened import fail
from council.cases.importers.published import (
    Attachment,
    Provenance,
    PublishedDecision,
    PublishedItem,
    PublishedMeeting,
    Section,
    SourceSystem,
)

SYSTEM: SourceSystem = "text"
_SECTIONS = (
    ("Resumé", "summary"),
    ("Problemstilling", "problem"),
    ("Løsning", "solution"),
    ("Økonomi", "economy"),
    ("Videre proces", "next_steps"),
)


def published_from_text_item(
    item: ParsedItem,
    *,
    committee: str | None = None,
    meeting_date: dt.date | None = None,
    municipality: str | None = "København",
    undated: bool = False,
) -> PublishedMeeting:
    """``item`` as the one item of its meeting; a meeting that cannot be named is refused.

    ``undated`` accepts an item of a named committee whose text and file name give no
    meeting date: its meeting's date is then None.
    """
    dated = [decision for decision in item.decisions if decision.date is not None]
    day = meeting_date or (dated[-1].date if dated else None)
    body = committee or (dated[-1].committee_name if dated else None)
    if body is None or (day is None and not undated):
        raise fail(
            item.source,
            "angiver hverken mødets udvalg eller dets dato; angiv dem "
            "(koebenhavn_<udvalg>_<YYYY-MM-DD>_punktNN.txt)",
        )

    def where(path: str) -> Provenance:
        return Provenance(SYSTEM, item.source, path)

    published = PublishedItem(
        number=item.number,
        title=item.title,
        provenance=where("item"),
        case_number=item.case_number,
        administration=item.administration,
        recommendation=item.recommendation,
        sections=_sections(item, where),
        attachments=_attachments(item, where),
        signatures=item.signatures,
        continued_from=item.continued_from,
        decisions=_decisions(item, where),
        kind="orientering" if item.kind == "orientering" else None,
    )
    return PublishedMeeting(
        municipality=municipality,
        committee=body,
        date=day,
        status="minutes" if item.decisions else "final_agenda",
        status_as_written="beslutning" if item.decisions else "dagsorden",
        provenance=where("meeting"),
        items=(published,),
    )


def _sections(item: ParsedItem, where: Callable[[str], Provenance]) -> tuple[Section, ...]:
    """The sections in the source's order, headings the product has no field for among
    them (a text without headings gives the known fields' sections)."""
    return tuple(
        Section(heading, text, where(f"item/sections[{index}]"))
        for index, (heading, text) in enumerate(item.sections, start=1)
    ) or tuple(
        Section(heading, getattr(item, field), where(f"item/{field}"))
        for heading, field in _SECTIONS
        if getattr(item, field)
    )


def _attachments(item: ParsedItem, where: Callable[[str], Provenance]) -> tuple[Attachment, ...]:
    return tuple(
        Attachment(name=name, provenance=where(f"item/attachments[{index}]"))
        for index, name in enumerate(item.attachments, start=1)
    ) + tuple(
        Attachment(name=name, provenance=where(f"item/attachment_links[{index}]"))
        for index, name in enumerate(item.attachment_links, start=1)
    )


def _decisions(
    item: ParsedItem, where: Callable[[str], Provenance]
) -> tuple[PublishedDecision, ...]:
    decisions = []
    for index, decision in enumerate(item.decisions, start=1):
        structure = read_structure(decision.text, body=decision.committee_name)
        decisions.append(
            PublishedDecision(
                body=decision.committee_name,
                date=decision.date,
                text=decision.text,
                heading=decision.heading,
                remarks=structure.remarks,
                vote=structure.vote,
                referred_to=structure.referred_to,
                absent=structure.absent,
                provenance=where(f"item/decision[{index}]"),
            )
        )
    return tuple(decisions)
