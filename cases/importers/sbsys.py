"""SBSYS publication XML (``Publication<N>.xml`` from SBSYS eDagsorden, as OS2dagsorden reads it).

``/Publication`` holds one ``Agenda`` per meeting: its ``Name`` (the committee as written),
``Meeting/When``, ``Until`` and ``Where``, its members, and ``Items/Item`` with Number,
Caption, IsPublic, Case/Number and ``Fields/ItemField``: a Caption ("Sammendrag",
"Indstilling", "Tidligere behandling", "Beslutning", ...) and HTML Content. A field with
``IsFeedback`` true is where the meeting writes its decision; an empty one is no decision.
``PublicationTypeAsEnum`` says Draft, Final or Minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from lxml import etree

from council.cases.importers.danish import parse_date
from council.cases.importers.decisions import ItemContents, decision_from_text, earlier_treatment
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

SYSTEM: SourceSystem = "sbsys"
_DECIDED_BY = "beslutningen træffes af"
_WHEN = re.compile(r"^(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})\s+(?P<H>\d{2}):(?P<M>\d{2})")
_ADMINISTRATION = re.compile(r"^(?P<who>.+?)\s+indstiller\b[\s,:]*(?P<rest>.*)$")
_STATUS: dict[str, MeetingStatus] = {
    "draft": "draft_agenda",
    "final": "final_agenda",
    "minutes": "minutes",
}


def parse_sbsys(
    data: bytes,
    *,
    source: str,
    municipality: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PublishedMeeting:
    """Parse an SBSYS publication holding one meeting; anything else is one error."""
    root = parse_xml(data, source=source, max_bytes=max_bytes)
    agendas = root.findall("Agendas/Agenda") if root.tag == "Publication" else []
    if not agendas:
        raise fail(
            source, f"er ikke en SBSYS-offentliggørelse (rod <{root.tag}>, ingen Agendas/Agenda)"
        )
    if len(agendas) > 1:
        raise fail(
            source, f"offentliggør {len(agendas)} møder; importér én offentliggørelse ad gangen"
        )
    agenda = agendas[0]
    tree = root.getroottree()
    committee = (agenda.findtext("Name") or agenda.findtext("Committee/Name") or "").strip()
    if not committee:
        raise fail(source, "nævner intet udvalg (Agenda/Name)")
    starts = _moment(agenda.findtext("Meeting/When"), source, "Meeting/When", required=True)
    assert starts is not None
    ends = _moment(agenda.findtext("Meeting/Until"), source, "Meeting/Until", required=False)
    kind = (root.findtext("PublicationTypeAsEnum") or "").strip()
    if kind.casefold() not in _STATUS:
        raise fail(source, f"har en offentliggørelsestype, SBSYS ikke skriver: {kind!r}")
    items = [
        _item(element, tree, source=source, committee=committee, day=starts.date())
        for element in agenda.iterfind("Items/Item")
    ]
    numbers = [item.number for item in items]
    if len(set(numbers)) != len(numbers):
        raise fail(source, f"giver to punkter samme nummer ({sorted(numbers)})")
    return PublishedMeeting(
        municipality=municipality,
        committee=committee,
        date=starts.date(),
        starts_at=starts,
        ends_at=ends,
        status=_STATUS[kind.casefold()],
        status_as_written=kind,
        place=(agenda.findtext("Meeting/Where") or "").strip() or None,
        present=_members(agenda),
        provenance=Provenance(SYSTEM, source, tree.getpath(agenda)),
        items=tuple(sorted(items, key=lambda item: item.number)),
    )


def _item(
    element: etree._Element,
    tree: etree._ElementTree,
    *,
    source: str,
    committee: str,
    day: dt.date,
) -> PublishedItem:
    where = tree.getpath(element)
    number_text = (element.findtext("Number") or "").strip()
    title = (element.findtext("Caption") or "").strip()
    if not number_text.isdigit() or not title:
        raise fail(source, f"et punkt mangler sit Number eller sin Caption ({where})")
    fields = [
        _read_field(field, tree, source)
        for field in sorted(element.iterfind("Fields/ItemField"), key=_field_index)
    ]
    decided_by = next(
        (" ".join(f.lines) for f in fields if f.caption.casefold() == _DECIDED_BY and f.lines),
        None,
    )
    contents = ItemContents()
    for field in fields:
        _gather(contents, field, committee=committee, day=day, decided_by=decided_by)
    case_number = (element.findtext("Case/Number") or "").strip() or None
    return PublishedItem(
        number=int(number_text),
        title=title,
        provenance=Provenance(SYSTEM, source, where),
        case_number=case_number,
        closed=(element.findtext("IsPublic") or "").strip().casefold() == "false",
        administration=contents.administration,
        recommendation=contents.points,
        sections=tuple(contents.sections),
        attachments=_attachments(element, tree, source),
        decided_by=decided_by,
        decisions=tuple(contents.decisions),
        earlier=tuple(contents.earlier),
    )


class _Field(NamedTuple):
    caption: str
    content: etree._Element | None
    lines: list[str]
    provenance: Provenance
    feedback: bool  # where the meeting writes its decision


def _read_field(field: etree._Element, tree: etree._ElementTree, source: str) -> _Field:
    content = field.find("Content")
    return _Field(
        caption=(field.findtext("Caption") or "").strip(),
        content=content,
        lines=element_lines(html_fragment(content.text or "")) if content is not None else [],
        provenance=Provenance(
            SYSTEM, source, tree.getpath(content if content is not None else field)
        ),
        feedback=(field.findtext("IsFeedback") or "").strip().casefold() == "true",
    )


def _gather(
    contents: ItemContents, field: _Field, *, committee: str, day: dt.date, decided_by: str | None
) -> None:
    folded = field.caption.casefold()
    if field.feedback:
        if field.lines:  # an empty decision field is no decision
            contents.decisions.append(
                decision_from_text(
                    "\n".join(field.lines),
                    body=committee,
                    date=day,
                    heading=field.caption or None,
                    decided_by=decided_by,
                    provenance=field.provenance,
                )
            )
    elif folded == "tidligere behandling":
        for line in field.lines:
            treatment = earlier_treatment(line, field.provenance)
            if treatment is None:
                contents.sections.append(Section(field.caption, line, field.provenance))
            else:
                contents.earlier.append(treatment)
    elif folded == "indstilling":
        contents.administration, contents.points = _recommendation(field.content)
    elif folded != _DECIDED_BY and field.lines:
        contents.sections.append(
            Section(field.caption or None, "\n".join(field.lines), field.provenance)
        )


def _recommendation(content: etree._Element | None) -> tuple[str | None, tuple[str, ...]]:
    """The "X indstiller, at" paragraph and the list items after it."""
    if content is None or not (content.text or "").strip():
        return None, ()
    fragment = html_fragment(content.text or "")
    administration: str | None = None
    points: list[str] = []
    for child in fragment:
        text_lines = element_lines(child)
        if child.tag in {"ol", "ul"}:
            points.extend(" ".join(element_lines(li)) for li in child.iterfind("li"))
            continue
        for line in text_lines:
            who = _ADMINISTRATION.match(line) if administration is None and not points else None
            if who is not None:
                administration = who["who"]
                if who["rest"].strip().casefold() not in {"", "at"}:
                    points.append(who["rest"].strip())
            else:
                points.append(line)
    return administration, tuple(point for point in points if point)


def _attachments(
    element: etree._Element, tree: etree._ElementTree, source: str
) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for enclosure in element.iterfind("Enclosures/Enclosure"):
        name = (enclosure.findtext("Name") or enclosure.findtext("FileName") or "").strip()
        if name:
            found.append(
                Attachment(
                    name=name,
                    reference=(enclosure.findtext("FileName") or "").strip() or None,
                    closed=(enclosure.findtext("IsPublic") or "").strip().casefold() == "false",
                    provenance=Provenance(SYSTEM, source, tree.getpath(enclosure)),
                )
            )
    return tuple(found)


def _members(agenda: etree._Element) -> tuple[str, ...]:
    return tuple(
        name
        for member in agenda.iterfind("Meeting/Members/MeetingMember")
        if (name := " ".join((member.findtext("Name") or "").split()))
    )


def _field_index(field: etree._Element) -> int:
    index = (field.findtext("Index") or "").strip()
    return int(index) if index.isdigit() else 0


def _moment(text: str | None, source: str, tag: str, *, required: bool) -> dt.datetime | None:
    match = _WHEN.match((text or "").strip())
    day = parse_date(f"{match['d']}.{match['m']}.{match['y']}") if match else None
    if match is None or day is None:
        if required:
            raise fail(source, f"har intet læsbart {tag} (fandt {text!r})")
        return None
    return copenhagen_time(day, int(match["H"]), int(match["M"]))
