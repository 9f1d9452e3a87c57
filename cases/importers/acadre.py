"""Acadre meeting XML and its index (Acadre MM's publishing export, as OS2dagsorden reads it).

Acadre writes a database dump: ``<table name="...">`` elements holding
``<fields><field name="column">value</field></fields>`` and their child tables. The meeting
file has ``table[@name='agenda']`` (its name, "Dagsorden" or "Referat") with the committee,
the meeting (date, finish, location, members) and one ``agendaitemparents`` per item, each
holding an ``agendaitem`` with its ``bullet`` sections and ``enclosure`` attachments. A bullet
named "Beslutning i <udvalg> den 10-04-2013" is a decision: an item carried over several
meetings keeps each meeting's decision, in order.

The index (``XML_<agenda>.xml``) describes the export: committee, meeting, agenda and the
produced documents; its fields are written as attributes (``<field name="Referat">``). It is
optional here; when given, it must describe the same agenda.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from lxml import etree

from council.cases.importers.danish import decision_heading
from council.cases.importers.decisions import ItemContents, decision_from_text
from council.cases.importers.hardened import (
    DEFAULT_MAX_BYTES,
    element_lines,
    fail,
    html_fragment,
    parse_xml,
)
from council.cases.importers.published import (
    Attachment,
    MeetingStatus,
    Provenance,
    PublishedItem,
    PublishedMeeting,
    Section,
    SourceSystem,
    copenhagen_time,
)

SYSTEM: SourceSystem = "acadre"
_MOMENT = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:\s+(?P<H>\d{2}):(?P<M>\d{2}))?")
_ADMINISTRATION = re.compile(r"^(?P<who>.+?)\s+indstiller\b[\s,:]*(?P<rest>.*)$")
_POINT = re.compile(r"^(?:[•·▪*–-]|\d{1,2}[.)]|[A-Z]\))\s*(?P<point>\S.*)$")


class AcadreIndex(NamedTuple):
    """What an Acadre index file says about the export it belongs to."""

    agenda_id: str
    agenda_name: str
    committee: str
    meeting_name: str
    meeting_file: str | None  # "Files_1863_3687982/3687981.XML", where the export put it


def parse_acadre_index(
    data: bytes, *, source: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> AcadreIndex:
    root = parse_xml(data, source=source, max_bytes=max_bytes)
    if root.tag != "root" or root.find("table[@name='agenda']/fields/field[@sysid]") is None:
        raise fail(source, "er ikke en Acadre-indeksfil (ingen tabel 'agenda' med et sysid)")

    def attribute(table: str, name: str) -> str:
        found = root.xpath(f"table[@name=$table]/fields/field[@{name}][1]/@{name}", table=table)
        return str(found[0]).strip() if found else ""

    meeting_file = None
    for produced in root.iterfind("table[@name='producedAgenda']/fields"):
        values = {key: value for field in produced for key, value in field.attrib.items()}
        if values.get("filesfolder") and values.get("xmlFusionID"):
            meeting_file = f"{values['filesfolder']}/{values['xmlFusionID']}.XML"
    return AcadreIndex(
        agenda_id=attribute("agenda", "sysid"),
        agenda_name=attribute("agenda", "name"),
        committee=attribute("committee", "name"),
        meeting_name=attribute("meeting", "name"),
        meeting_file=meeting_file,
    )


def parse_acadre(
    data: bytes,
    *,
    source: str,
    index: bytes | None = None,
    index_source: str = "index",
    municipality: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PublishedMeeting:
    """Parse an Acadre meeting file (and, if given, check it against its index)."""
    root = parse_xml(data, source=source, max_bytes=max_bytes)
    agenda = root.find("table[@name='agenda']") if root.tag == "root" else None
    if agenda is None or agenda.find("table[@name='meeting']") is None:
        if root.find("table[@name='agenda']/fields/field[@sysid]") is not None:
            raise fail(source, "er et Acadre-indeks, ikke mødefilen; angiv møde-XML'en")
        raise fail(source, "er ikke en Acadre-mødefil (ingen tabel 'agenda' med et møde)")
    tree = root.getroottree()
    agenda_fields = _fields(agenda)
    if index is not None:
        described = parse_acadre_index(index, source=index_source, max_bytes=max_bytes)
        if described.agenda_id != agenda_fields.get("sysid", ""):
            raise fail(
                index_source,
                f"beskriver dagsorden {described.agenda_id}, men {source} er dagsorden "
                f"{agenda_fields.get('sysid', '?')}",
            )
    committee_fields = _fields(agenda.find("table[@name='committee']"))
    meeting = agenda.find("table[@name='meeting']")
    meeting_fields = _fields(meeting)
    committee = committee_fields.get("name", "")
    if not committee:
        raise fail(source, "nævner intet udvalg (tabellen 'committee', feltet 'name')")
    starts = _moment(meeting_fields.get("date", ""), source, "the meeting's date", required=True)
    assert starts is not None
    ends = _moment(meeting_fields.get("finish", ""), source, "its finish", required=False)
    agenda_name = agenda_fields.get("name", "")
    parents = sorted(
        agenda.iterfind("table[@name='agendaitemparents']"),
        key=lambda parent: _number(_fields(parent).get("sort", "")),
    )
    items = [
        _item(parent, position, tree, source=source, committee=committee, day=starts.date())
        for position, parent in enumerate(parents, start=1)
    ]
    present, absent = _members(meeting)
    return PublishedMeeting(
        municipality=municipality,
        committee=committee,
        name=meeting_fields.get("name") or None,
        date=starts.date(),
        starts_at=starts,
        ends_at=ends,
        status=_status(agenda_name),
        status_as_written=agenda_name,
        place=_place(meeting_fields),
        present=present,
        absent=absent,
        provenance=Provenance(SYSTEM, source, tree.getpath(agenda)),
        items=tuple(items),
    )


def _item(
    parent: etree._Element,
    position: int,
    tree: etree._ElementTree,
    *,
    source: str,
    committee: str,
    day: dt.date,
) -> PublishedItem:
    element = parent.find("table[@name='agendaitem']")
    if element is None:
        raise fail(source, f"et punkt rummer intet agendaitem ({tree.getpath(parent)})")
    where = tree.getpath(element)
    fields = _fields(element)
    title = fields.get("name", "")
    if not title:
        raise fail(source, f"et punkt har intet navn ({where})")
    contents = ItemContents()
    bullets = sorted(
        element.iterfind("table[@name='bullet']"),
        key=lambda bullet: _number(_fields(bullet).get("bulletsortorder", "")),
    )
    for bullet in bullets:
        _gather(contents, bullet, tree, source=source, committee=committee, day=day)
    access = fields.get("accessname", "").casefold()
    return PublishedItem(
        number=position,
        title=title,
        provenance=Provenance(SYSTEM, source, where),
        case_number=fields.get("caseno") or None,
        closed=bool(access) and not access.startswith("åben"),
        kind_as_written=fields.get("type") or None,
        administration=contents.administration,
        recommendation=contents.points,
        sections=tuple(contents.sections),
        attachments=_attachments(element, tree, source),
        decisions=tuple(contents.decisions),
    )


def _gather(
    contents: ItemContents,
    bullet: etree._Element,
    tree: etree._ElementTree,
    *,
    source: str,
    committee: str,
    day: dt.date,
) -> None:
    """One bullet (a headed part of the item) into the item's contents."""
    heading = _fields(bullet).get("bulletname", "")
    content = bullet.find("fields/field[@name='bulletcontent']")
    lines = element_lines(html_fragment(content.text or "")) if content is not None else []
    provenance = Provenance(
        SYSTEM, source, tree.getpath(content if content is not None else bullet)
    )
    dated = decision_heading(heading)
    if dated is not None or heading.casefold() == "beslutning":
        if lines:  # an empty decision field is no decision
            contents.decisions.append(
                decision_from_text(
                    "\n".join(lines),
                    body=dated.body if dated else committee,
                    date=dated.date if dated else day,
                    heading=heading,
                    agenda_number=dated.agenda_number if dated else None,
                    provenance=provenance,
                )
            )
    elif heading.casefold() == "indstilling":
        contents.administration, contents.points = _recommendation(lines)
    elif lines:
        contents.sections.append(Section(heading or None, "\n".join(lines), provenance))


def _recommendation(lines: list[str]) -> tuple[str | None, tuple[str, ...]]:
    administration: str | None = None
    points: list[str] = []
    for line in lines:
        who = _ADMINISTRATION.match(line) if administration is None and not points else None
        if who is not None:
            administration = who["who"]
            rest = who["rest"].strip()
            if rest.casefold() not in {"", "at"}:
                points.append(rest)
            continue
        point = _POINT.match(line)
        points.append(point["point"] if point else line)
    return administration, tuple(points)


def _attachments(
    element: etree._Element, tree: etree._ElementTree, source: str
) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for enclosure in element.iterfind("table[@name='enclosure']"):
        fields = _fields(enclosure)
        if not fields.get("name"):
            continue
        access = fields.get("accessname", "").casefold()
        found.append(
            Attachment(
                name=fields["name"],
                reference=fields.get("fileno") or fields.get("filename") or None,
                closed=bool(access) and not access.startswith("åben"),
                provenance=Provenance(SYSTEM, source, tree.getpath(enclosure)),
            )
        )
    return tuple(found)


def _members(meeting: etree._Element) -> tuple[tuple[str, ...], tuple[str, ...]]:
    present: list[str] = []
    absent: list[str] = []
    for member in meeting.iterfind("table[@name='meetmember']/table[@name='member']"):
        fields = _fields(member)
        name = " ".join(fields.get("name", "").split())
        if name:
            (absent if fields.get("absent", "0") not in {"", "0"} else present).append(name)
    return tuple(present), tuple(absent)


def _place(fields: dict[str, str]) -> str | None:
    parts = [fields.get("location", "")]
    parts.extend(element_lines(html_fragment(fields.get("address", "").replace("<br>", "<br/>"))))
    place = ", ".join(part for part in parts if part and set(part) != {"?"})
    return place or None


def _fields(table: etree._Element | None) -> dict[str, str]:
    """A table's own ``fields/field[@name]`` values (not its child tables')."""
    if table is None:
        return {}
    return {
        field.get("name"): (field.text or "").strip()
        for field in table.iterfind("fields/field[@name]")
    }


def _status(agenda_name: str) -> MeetingStatus:
    folded = agenda_name.casefold()
    if "referat" in folded or "protokol" in folded:
        return "minutes"
    if "udkast" in folded or "kladde" in folded:
        return "draft_agenda"
    return "final_agenda"


def _moment(text: str, source: str, what: str, *, required: bool) -> dt.datetime | None:
    match = _MOMENT.match(text.strip())
    if match is None:
        if required:
            raise fail(source, f"har ingen læsbar {what} (fandt {text!r})")
        return None
    try:
        day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise fail(source, f"har en umulig dato for {what}: {text!r}") from exc
    return copenhagen_time(day, int(match["H"] or 0), int(match["M"] or 0))


def _number(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0
