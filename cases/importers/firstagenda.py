"""FirstAgenda minutes and agendas published as an HTML page (e.g. Aarhus' dagsordener site).

The page has the meeting in ``table.dagsordeninfo`` (``span.udvalg``, ``span.dato`` "onsdag
den 1. oktober 2025 kl. 15.45", ``span.sted``) and its kind in ``h1.dato`` ("Referat ...",
"Dagsorden ..."). Each item is a ``tr.punktrow``: the number in ``span.label``, the title in
``h2.overskrift``, the case number in ``span.sagsnummer``, the attachments as
``a.bilag-link``, and the item text in ``div.punkt``, where every ``h3`` heads the
``span.resume`` after it. "Beslutninger" is this meeting's decision, "Beslutningspunkter"
the recommendation, "Sagsforløb" the earlier treatments ("Udvalg: ...", "Dato: ...",
"Punktnummer: ...", then the decision); any other heading is a section of its own.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.html
from lxml import etree

from council.cases.importers.danish import find_date, find_time, parse_date
from council.cases.importers.decisions import decision_from_text
from council.cases.importers.hardened import (
    DEFAULT_MAX_BYTES,
    check_size,
    element_lines,
    fail,
    parse_html_document,
    utf8_text,
)
from council.cases.importers.published import (
    Attachment,
    MeetingStatus,
    Provenance,
    PublishedDecision,
    PublishedItem,
    PublishedMeeting,
    Section,
    SourceSystem,
    copenhagen_time,
)

SYSTEM: SourceSystem = "firstagenda"
_HISTORY_FIELD = re.compile(r"^(?P<key>udvalg|dato|punktnummer)\s*:\s*(?P<value>.*)$", re.I)
_RECOMMENDATION_LEAD = re.compile(r"^det\s+indstilles\b[\s,:]*(?:at\s*)?$", re.I)


def parse_firstagenda(
    data: bytes,
    *,
    source: str,
    municipality: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PublishedMeeting:
    """Parse a FirstAgenda meeting page; anything else is one ``ImportFormatError``."""
    check_size(data, source=source, max_bytes=max_bytes)
    page = parse_html_document(
        utf8_text(data, source=source, what="en FirstAgenda-side"), source=source
    )
    tree = page.getroottree()
    info = _first(page, "//table[contains(concat(' ', @class, ' '), ' dagsordeninfo ')]")
    rows = page.xpath("//tr[contains(concat(' ', @class, ' '), ' punktrow ')]")
    if info is None or not rows:
        raise fail(
            source,
            "er ikke en FirstAgenda-mødeside (ingen table.dagsordeninfo eller ingen punkter)",
        )
    committee = _text(info, ".//span[contains(@class, 'udvalg')]")
    when_text = _text(info, ".//span[contains(@class, 'dato')]")
    day = find_date(when_text)
    if not committee or day is None:
        raise fail(
            source, f"nævner intet udvalg eller ingen mødedato ({committee!r}, {when_text!r})"
        )
    time = find_time(when_text)
    heading = _text(page, "//h1[contains(@class, 'dato')]")
    items = [_item(row, tree, source=source, committee=committee, day=day) for row in rows]
    numbers = [item.number for item in items]
    if len(set(numbers)) != len(numbers):
        raise fail(source, f"giver to punkter samme nummer ({sorted(numbers)})")
    participants = _first(info, ".//td[contains(@class, 'deltagere')]")
    return PublishedMeeting(
        municipality=municipality,
        committee=committee,
        date=day,
        starts_at=copenhagen_time(day, *time) if time else None,
        status=_status(heading),
        status_as_written=heading.split()[0] if heading else "",
        place=_text(info, ".//span[contains(@class, 'sted')]") or None,
        present=tuple(element_lines(participants)) if participants is not None else (),
        provenance=Provenance(SYSTEM, source, tree.getpath(info)),
        items=tuple(sorted(items, key=lambda item: item.number)),
    )


def _item(
    row: lxml.html.HtmlElement,
    tree: etree._ElementTree,
    *,
    source: str,
    committee: str,
    day: dt.date,
) -> PublishedItem:
    where = tree.getpath(row)
    number_text = _text(
        row, ".//span[contains(@class, 'label') and not(contains(@class, 'pdf-label'))]"
    )
    title = _text(row, ".//h2[contains(@class, 'overskrift')]")
    if not number_text.isdigit() or not title:
        raise fail(source, f"et punkt mangler sit nummer eller sin titel ({where})")
    closed = title.casefold().startswith("lukket punkt")
    sections: list[Section] = []
    decisions: list[PublishedDecision] = []
    earlier: list[PublishedDecision] = []
    points: tuple[str, ...] = ()
    punkt = _first(row, ".//div[contains(concat(' ', @class, ' '), ' punkt ')]")
    for heading, lines, element in _blocks(punkt):
        provenance = Provenance(SYSTEM, source, tree.getpath(element))
        folded = (heading or "").casefold()
        if folded in {"beslutninger", "beslutning"}:
            if lines:
                decisions.append(_decision(committee, day, lines, heading, None, provenance))
        elif folded == "beslutningspunkter":
            points = tuple(line for line in lines if not _RECOMMENDATION_LEAD.match(line))
        elif folded == "sagsforløb":
            earlier.extend(_history(lines, provenance))
        elif lines:
            sections.append(Section(heading, "\n".join(lines), provenance))
    return PublishedItem(
        number=int(number_text),
        title=title,
        provenance=Provenance(SYSTEM, source, where),
        case_number=_text(row, ".//span[contains(@class, 'sagsnummer')]") or None,
        closed=closed,
        recommendation=points,
        sections=tuple(sections),
        attachments=_attachments(row, tree, source),
        decisions=tuple(decisions),
        earlier=tuple(earlier),
    )


def _blocks(
    punkt: lxml.html.HtmlElement | None,
) -> list[tuple[str | None, list[str], lxml.html.HtmlElement]]:
    """(heading, lines, element) for each h3 and the span.resume after it, in order."""
    if punkt is None:
        return []
    blocks: list[tuple[str | None, list[str], lxml.html.HtmlElement]] = []
    heading: str | None = None
    for element in punkt.iter("h3", "span"):
        if element.tag == "h3":
            heading = " ".join(element.text_content().split()) or None
        elif "resume" in (element.get("class") or "").split():
            blocks.append((heading, element_lines(element), element))
            heading = None
    return blocks


def _decision(
    body: str,
    day: dt.date | None,
    lines: list[str],
    heading: str | None,
    number: str | None,
    provenance: Provenance,
) -> PublishedDecision:
    return decision_from_text(
        "\n".join(lines),
        body=body,
        date=day,
        heading=heading,
        agenda_number=number,
        provenance=provenance,
    )


def _history(lines: list[str], provenance: Provenance) -> list[PublishedDecision]:
    """ "Udvalg: X", "Dato: dd-mm-yyyy", "Punktnummer: N", then the decision's lines."""
    entries: list[dict[str, str]] = []
    texts: list[list[str]] = []
    for line in lines:
        field = _HISTORY_FIELD.match(line)
        if field is not None and field["key"].casefold() == "udvalg":
            entries.append({"udvalg": field["value"].strip()})
            texts.append([])
        elif field is not None and entries and not texts[-1]:
            entries[-1][field["key"].casefold()] = field["value"].strip()
        elif entries:
            texts[-1].append(line)
    return [
        _decision(
            entry["udvalg"],
            parse_date(entry.get("dato", "")),
            text,
            "Sagsforløb",
            entry.get("punktnummer") or None,
            provenance,
        )
        for entry, text in zip(entries, texts, strict=True)
    ]


def _attachments(
    row: lxml.html.HtmlElement, tree: etree._ElementTree, source: str
) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for link in row.xpath(".//a[contains(concat(' ', @class, ' '), ' bilag-link ')]"):
        name = " ".join(link.text_content().split())
        if name:
            found.append(
                Attachment(
                    name=name,
                    reference=(link.get("id") or "").removeprefix("enclosure-") or None,
                    provenance=Provenance(SYSTEM, source, tree.getpath(link)),
                )
            )
    return tuple(found)


def _status(heading: str) -> MeetingStatus:
    folded = heading.casefold()
    if folded.startswith("referat"):
        return "minutes"
    if "foreløbig" in folded or "udkast" in folded:
        return "draft_agenda"
    return "final_agenda"


def _first(element: lxml.html.HtmlElement, xpath: str) -> lxml.html.HtmlElement | None:
    found = element.xpath(xpath)
    return found[0] if found else None


def _text(element: lxml.html.HtmlElement, xpath: str) -> str:
    found = _first(element, xpath)
    return " ".join(found.text_content().split()) if found is not None else ""
