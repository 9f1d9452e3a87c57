"""eDoc agenda publishing XML (``eDocAgendaPublishing.xml``, as OS2dagsorden reads it).

The file is one meeting: ``/Meeting`` with Committee, MeetingDate ("04-12-2012 13:00:00"),
MeetingState ("Referat endeligt godkendt") and one ``MeetingAgendaType`` per agenda kind
("Åben dagsorden", "Lukket dagsorden"), each with its ``MeetingAgendaItem`` elements. An
item's structured parts are its number, its ``Document/Title``, its ``AgendaItemType`` ("Til
orientering", ...) and its attachments; its text, the recommendation and the decision exist
only in ``FullText``, the plain text of the item's PDF. That text is cut at the headings
eDoc prints ("Sammendrag", "Indstilling", "<Udvalg>s beslutning den 04.12.2012 Punkt 2", ...).

The meeting's own ``FullText`` (the front page) gives the place ("i Mødecenter C, ...") and
who attended ("Tilstede", "Afbud/Fraværende").
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from council.cases.importers.danish import decision_heading, parse_date
from council.cases.importers.decisions import ItemContents, decision_from_text, earlier_treatment
from council.cases.importers.hardened import DEFAULT_MAX_BYTES, fail, parse_xml, plain_lines
from council.cases.importers.published import (
    Attachment,
    ItemKind,
    MeetingStatus,
    Provenance,
    PublishedItem,
    PublishedMeeting,
    Section,
    SourceSystem,
    copenhagen_time,
)

SYSTEM: SourceSystem = "edoc"
# The headings eDoc's item template prints, one per line.
_HEADINGS = frozenset(
    {
        "sammendrag",
        "baggrund",
        "sagsfremstilling",
        "økonomiske konsekvenser og finansiering",
        "økonomi",
        "lovgrundlag",
        "høring",
        "kommunikation",
        "bilag",
        "beslutningen træffes af",
        "indstilling",
    }
)
_DECIDED_BY = "beslutningen træffes af"
_ITEM_TITLE = re.compile(r"^(?P<number>\d{1,3})\.\s+(?P<title>\S.*)$")
_CASE_NUMBER = re.compile(r"^sagsnr\.?\s*:\s*(?P<case>\S+)", re.IGNORECASE)
_DOCUMENT_NUMBER = re.compile(r"^dok\.?\s*nr\.?\s*:", re.IGNORECASE)
_ADMINISTRATION = re.compile(r"^(?P<who>.+?)\s+indstiller\b[\s,:]*(?P<rest>.*)$")
_POINT_MARK = re.compile(r"^(?P<mark>[A-ZÆØÅ]|\d{1,2})\)\s*(?P<text>.*)$")
_MEETING_DATE = re.compile(
    r"^(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})(?:\s+(?P<H>\d{2}):(?P<M>\d{2}))?"
)
_KINDS: dict[str, ItemKind] = {
    "til orientering": "orientering",
    "til godkendelse": "beslutning",
    "til beslutning": "beslutning",
}


def parse_edoc(
    data: bytes,
    *,
    source: str,
    municipality: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PublishedMeeting:
    """Parse an eDoc publishing file; anything else is one ``ImportFormatError``."""
    root = parse_xml(data, source=source, max_bytes=max_bytes)
    if root.tag != "Meeting" or root.find("MeetingAgendaTypes") is None:
        raise fail(
            source, f"er ikke en eDoc-fil med en offentliggjort dagsorden (rod <{root.tag}>)"
        )
    tree = root.getroottree()
    committee = _required(root, "Committee", source)
    starts = _meeting_datetime(_required(root, "MeetingDate", source), source)
    state = _required(root, "MeetingState", source)
    front = plain_lines(root.findtext("MeetingAgendaTypes/MeetingAgendaType/FullText") or "")
    present, absent = _attendance(front)
    items: list[PublishedItem] = []
    for agenda_type in root.iterfind("MeetingAgendaTypes/MeetingAgendaType"):
        closed = "lukket" in (agenda_type.findtext("AgendaType") or "").casefold()
        for element in agenda_type.iterfind("MeetingAgendaItems/MeetingAgendaItem"):
            items.append(_item(element, tree, source=source, committee=committee, closed=closed))
    numbers = [item.number for item in items]
    if len(set(numbers)) != len(numbers):
        raise fail(source, f"giver to punkter samme nummer ({sorted(numbers)})")
    return PublishedMeeting(
        municipality=municipality,
        committee=committee,
        date=starts.date(),
        starts_at=starts,
        status=_status(state),
        status_as_written=state,
        place=_place(front, committee),
        present=present,
        absent=absent,
        provenance=Provenance(SYSTEM, source, tree.getpath(root)),
        items=tuple(sorted(items, key=lambda item: item.number)),
    )


def _item(
    element: etree._Element, tree: etree._ElementTree, *, source: str, committee: str, closed: bool
) -> PublishedItem:
    where = tree.getpath(element)
    number, title, lines, text_path = _numbered_text(element, tree, source)
    kind_written = _own_agenda_item_type(element, committee)
    provenance = Provenance(SYSTEM, source, text_path)
    blocks = _blocks(lines)
    header = blocks.pop(0)[1] if blocks and blocks[0][0] is None else []
    case_number = next((m["case"] for m in map(_CASE_NUMBER.match, header) if m), None)
    references = [(line, earlier_treatment(line, provenance)) for line in header]
    loose = [
        line
        for line, treatment in references
        if treatment is None and not _CASE_NUMBER.match(line) and not _DOCUMENT_NUMBER.match(line)
    ]
    decided_by = next(
        (" ".join(body) or None for heading, body in blocks if _is(heading, _DECIDED_BY)),
        None,
    )
    contents = _contents(blocks, decided_by, provenance)
    return PublishedItem(
        number=number,
        title=title,
        provenance=Provenance(SYSTEM, source, where),
        case_number=case_number,
        closed=closed,
        kind=_KINDS.get((kind_written or "").casefold()),
        kind_as_written=kind_written,
        administration=contents.administration,
        recommendation=contents.points,
        sections=((Section(None, "\n".join(loose), provenance),) if loose else ())
        + tuple(contents.sections),
        attachments=_attachments(element, tree, source),
        decided_by=decided_by,
        decisions=tuple(contents.decisions),
        earlier=tuple(treatment for _, treatment in references if treatment is not None),
    )


def _numbered_text(
    element: etree._Element, tree: etree._ElementTree, source: str
) -> tuple[int, str, list[str], str]:
    """The item's number, title, text lines after its "N. Title" line, and the text's path."""
    where = tree.getpath(element)
    number_text = element.findtext("AgendaItemNumber") or ""
    if not number_text.strip().isdigit():
        raise fail(source, f"et punkt har intet punktnummer ({where}/AgendaItemNumber)")
    number = int(number_text)
    full_text = element.find("FullText")
    text = full_text.text if full_text is not None and full_text.text else ""
    lines = plain_lines(text)
    title = (element.findtext("Document/Title") or "").strip()
    if lines and (first := _ITEM_TITLE.match(lines[0])) is not None:
        if int(first["number"]) != number:
            raise fail(source, f"teksten til punkt {number} begynder med nummer {first['number']}")
        lines = lines[1:]
        title = title or first["title"]
    if not title:
        raise fail(source, f"punkt {number} har ingen titel ({where}/Document/Title)")
    return number, title, lines, tree.getpath(full_text) if full_text is not None else where


def _contents(
    blocks: list[tuple[str | None, list[str]]], decided_by: str | None, provenance: Provenance
) -> ItemContents:
    """The recommendation, sections and dated decisions of the item's headed blocks."""
    contents = ItemContents()
    for heading, body in blocks:
        dated = decision_heading(heading) if heading else None
        if dated is not None:
            contents.decisions.append(
                decision_from_text(
                    "\n".join(body),
                    body=dated.body,
                    date=dated.date,
                    heading=heading,
                    agenda_number=dated.agenda_number,
                    decided_by=decided_by,
                    provenance=provenance,
                )
            )
        elif _is(heading, "indstilling"):
            contents.administration, contents.points = _recommendation(body)
        elif not _is(heading, _DECIDED_BY):
            contents.sections.append(Section(heading, "\n".join(body), provenance))
    return contents


def _is(heading: str | None, name: str) -> bool:
    return heading is not None and heading.casefold() == name


def _blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Cut the item text at eDoc's heading lines; the first block may have no heading."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in lines:
        if line.casefold() in _HEADINGS or decision_heading(line) is not None:
            blocks.append((line, []))
        else:
            blocks[-1][1].append(line)
    return [block for block in blocks if block[0] is not None or block[1]]


def _recommendation(lines: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """ "X indstiller, at" then "A)" / "B)" points -> (X, points)."""
    administration: str | None = None
    points: list[str] = []
    for index, line in enumerate(lines):
        who = _ADMINISTRATION.match(line) if index == 0 else None
        if who is not None:
            administration = who["who"]
            continue
        mark = _POINT_MARK.match(line)
        if mark is not None:
            points.append(mark["text"])
        elif points:
            points[-1] = f"{points[-1]}\n{line}" if points[-1] else line
        else:
            points.append(line)
    return administration, tuple(point for point in points if point)


def _attachments(
    element: etree._Element, tree: etree._ElementTree, source: str
) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for attachment in element.iterfind("Document/Attachments/Attachment"):
        name = (attachment.findtext("Title") or attachment.findtext("NeutralTitle") or "").strip()
        if not name:
            continue
        publishing = (attachment.findtext("PublishingType") or "").casefold()
        found.append(
            Attachment(
                name=name,
                reference=attachment.get("attachmentid"),
                closed=bool(publishing) and "ikke" in publishing,
                provenance=Provenance(SYSTEM, source, tree.getpath(attachment)),
            )
        )
    return tuple(found)


def _own_agenda_item_type(element: etree._Element, committee: str) -> str | None:
    """The item's type at this committee (the document lists every body it goes to)."""
    for agenda_item in element.iterfind("Document/AgendaItems/AgendaItem"):
        if (agenda_item.findtext("Committee") or "").strip() == committee:
            return (agenda_item.findtext("AgendaItemType") or "").strip() or None
    return None


def _meeting_datetime(text: str, source: str) -> dt.datetime:
    match = _MEETING_DATE.match(text.strip())
    day = parse_date(f"{match['d']}.{match['m']}.{match['y']}") if match else None
    if match is None or day is None:
        raise fail(source, f"har en MeetingDate, eDoc ikke skriver: {text!r}")
    return copenhagen_time(day, int(match["H"] or 0), int(match["M"] or 0))


def _status(state: str) -> MeetingStatus:
    folded = state.casefold()
    if "referat" in folded:
        return "minutes"
    if "kladde" in folded or "udkast" in folded or "foreløbig" in folded:
        return "draft_agenda"
    return "final_agenda"


def _place(lines: list[str], committee: str) -> str | None:
    """The front page's "i <sted>" line, right after the weekday-and-time line."""
    for index, line in enumerate(lines[:-1]):
        if (
            " kl. " in line
            and lines[index + 1].startswith("i ")
            and index
            and (lines[index - 1] == committee)
        ):
            return lines[index + 1][2:].strip()
    return None


def _attendance(lines: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    present: list[str] = []
    absent: list[str] = []
    current: list[str] | None = None
    for line in lines:
        folded = line.casefold()
        if folded == "tilstede":
            current = present
        elif folded.startswith("afbud"):
            current = absent
        elif folded in {"sekretær", "indholdsfortegnelse"} or (current is not None and not line):
            current = None
        elif current is not None:
            current.append(line)
        if folded == "indholdsfortegnelse":
            break
    return tuple(present), tuple(absent)


def _required(root: etree._Element, tag: str, source: str) -> str:
    value = (root.findtext(tag) or "").strip()
    if not value:
        raise fail(source, f"har ingen <{tag}>; et eDoc-møde skal have den")
    return value
