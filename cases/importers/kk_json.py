"""Copenhagen agenda items as JSON, as the Sagsvagt scraper publishes them (``data/kk.json``).

One object is one item of one meeting: ``{kommune, udvalg, dato, type, nr, kilde, titel,
afsnit: [{titel, tekst}], bilag: [{navn, url}]}``. ``afsnit`` are the kk.dk headings in
order (Resumé, Indstilling, Problemstilling, ..., "Oversigt over politisk behandling",
Beslutning); unknown ones are kept as sections. Inside "Beslutning", "Oversigt over politisk
behandling" and "Tidligere beslutninger", a line "<Udvalg>s beslutning i mødet den 7. maj
2026" starts a dated decision; those before the item's own meeting are the earlier bodies'
decisions on the same case.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from council.cases.importers.danish import decision_heading, parse_date
from council.cases.importers.decisions import decision_from_text
from council.cases.importers.hardened import (
    DEFAULT_MAX_BYTES,
    check_size,
    fail,
    plain_lines,
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
)

SYSTEM: SourceSystem = "kk-json"
_HISTORY_SECTIONS = frozenset({"oversigt over politisk behandling", "tidligere beslutninger"})
_ADMINISTRATION = re.compile(r"^(?P<who>.+?)\s+indstiller\b[\s,:]*(?P<rest>.*)$")
_BULLET = re.compile(r"^(?:[•·▪*–-]|\d{1,2}[.)])\s*(?P<point>\S.*)$")
_CASE_NUMBER = re.compile(r"\s*\((?P<case>\d{4}-\d+)\)\s*$")
_CONTINUED = re.compile(r"\s*\(\s*udsat fra mødet den (?P<date>[^)]+?)\s*\)\s*$", re.I)
_NAME = r"[A-ZÆØÅ][\w'’.-]*(?:\s+[A-ZÆØÅ][\w'’.-]*){1,4}"
_SIGNATURE_LINE = re.compile(rf"^{_NAME}(?:\s+[-–/]\s+{_NAME})*$")
_STATUS: dict[str, MeetingStatus] = {"referat": "minutes", "dagsorden": "final_agenda"}


def parse_kk_json(
    data: bytes,
    *,
    source: str,
    municipality: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PublishedMeeting:
    """Parse one Sagsvagt item; the meeting it returns holds that one item."""
    check_size(data, source=source, max_bytes=max_bytes)
    text = utf8_text(data, source=source, what="JSON")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        cut = not text.rstrip().endswith(("}", "]")) or exc.pos >= len(text.rstrip())
        where = "it is cut off" if cut else f"at offset {exc.pos}"
        raise fail(source, f"er ikke gyldig JSON ({exc.msg}; {where})") from exc
    except RecursionError as exc:
        raise fail(source, "indlejrer JSON for dybt til at være et dagsordenspunkt") from exc
    if not isinstance(record, dict) or "afsnit" not in record or "udvalg" not in record:
        raise fail(
            source, "er ikke et københavnsk dagsordenspunkt i JSON (skal have udvalg og afsnit)"
        )
    committee = _string(record, "udvalg", source)
    day = parse_date(_string(record, "dato", source))
    if day is None:
        raise fail(source, f"har en dato, der ikke er ÅÅÅÅ-MM-DD: {record.get('dato')!r}")
    number = record.get("nr")
    if isinstance(number, str) and number.strip().isdigit():
        number = int(number)
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise fail(source, f"har intet punktnummer ('nr' skal være et helt tal, fandt {number!r})")
    kind = _string(record, "type", source, required=False)
    raw_title = _string(record, "titel", source)
    title, case_number, continued = _split_title(raw_title)
    parts = _read_afsnit(record["afsnit"], source=source, committee=committee, day=day)
    sections, decisions, earlier, administration, points = parts
    signatures = _take_signatures(sections)
    item = PublishedItem(
        number=number,
        title=title,
        provenance=Provenance(SYSTEM, source, ""),
        case_number=case_number,
        closed=title.casefold().startswith("lukket punkt"),
        administration=administration,
        recommendation=points,
        sections=tuple(sections),
        attachments=_attachments(record.get("bilag"), source),
        signatures=signatures,
        continued_from=continued,
        decisions=tuple(decisions),
        earlier=tuple(earlier),
    )
    return PublishedMeeting(
        municipality=municipality or _string(record, "kommune", source, required=False) or None,
        committee=committee,
        date=day,
        status=_STATUS.get(kind.casefold(), "final_agenda"),
        status_as_written=kind,
        provenance=Provenance(SYSTEM, source, ""),
        items=(item,),
    )


def _read_afsnit(
    afsnit: object, *, source: str, committee: str, day: dt.date
) -> tuple[
    list[Section], list[PublishedDecision], list[PublishedDecision], str | None, tuple[str, ...]
]:
    """Sections, decisions, earlier decisions and the recommendation, in the source's order."""
    if not isinstance(afsnit, list) or not all(
        isinstance(part, dict)
        and isinstance(part.get("titel"), str)
        and isinstance(part.get("tekst"), str)
        for part in afsnit
    ):
        raise fail(source, "har 'afsnit', der ikke er en liste af {titel, tekst}-tekster")
    sections: list[Section] = []
    decisions: list[PublishedDecision] = []
    earlier: list[PublishedDecision] = []
    administration: str | None = None
    points: tuple[str, ...] = ()
    for index, part in enumerate(afsnit):
        heading = " ".join(part["titel"].split()) or None
        folded = (heading or "").casefold()
        lines = plain_lines(part["tekst"])
        provenance = Provenance(SYSTEM, source, f"/afsnit/{index}/tekst")
        if folded == "indstilling":
            administration, points = _recommendation(lines)
        elif folded == "beslutning":
            intro, dated = _dated(lines, provenance, default=(committee, day))
            decisions.extend(dated)
            if intro:
                sections.append(Section(heading, "\n".join(intro), provenance))
        elif folded in _HISTORY_SECTIONS:
            intro, dated = _dated(lines, provenance, default=None)
            earlier.extend(dated)
            if intro:
                sections.append(Section(heading, "\n".join(intro), provenance))
        elif lines:
            sections.append(Section(heading, "\n".join(lines), provenance))
    return sections, decisions, earlier, administration, points


def _dated(
    lines: list[str],
    provenance: Provenance,
    *,
    default: tuple[str, dt.date] | None,
) -> tuple[list[str], list[PublishedDecision]]:
    """Split at dated decision headings: (lines before the first, the decisions).

    With ``default`` (the item's own committee and date), text without any heading is that
    committee's decision at this meeting.
    """
    intro: list[str] = []
    blocks: list[tuple[str | None, list[str]]] = []
    for line in lines:
        if decision_heading(line) is not None:
            blocks.append((line, []))
        elif blocks:
            blocks[-1][1].append(line)
        else:
            intro.append(line)
    if not blocks and default is not None and intro:
        blocks, intro = [(None, intro)], []
    decisions: list[PublishedDecision] = []
    for heading, body in blocks:
        dated = decision_heading(heading) if heading else None
        who, when = (dated.body, dated.date) if dated else default or (None, None)
        decisions.append(
            decision_from_text(
                "\n".join(body),
                body=who,
                date=when,
                heading=heading,
                agenda_number=dated.agenda_number if dated else None,
                provenance=provenance,
            )
        )
    return intro, decisions


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
        bullet = _BULLET.match(line)
        if bullet is not None:
            points.append(bullet["point"])
        elif points:
            points[-1] = f"{points[-1]}\n{line}"
        else:
            points.append(line)
    return administration, tuple(points)


def _take_signatures(sections: list[Section]) -> tuple[str, ...]:
    """The "Henrik Lund - Mikkel Boje" line that ends the last section before the decisions."""
    for position in range(len(sections) - 1, -1, -1):
        section = sections[position]
        if (section.heading or "").casefold() in _HISTORY_SECTIONS | {"beslutning"}:
            continue
        lines = section.text.split("\n")
        if not _SIGNATURE_LINE.match(lines[-1]):
            return ()
        names = tuple(name.strip() for name in re.split(r"\s+[-–/]\s+", lines[-1]))
        sections[position] = Section(section.heading, "\n".join(lines[:-1]), section.provenance)
        return names
    return ()


def _attachments(bilag: object, source: str) -> tuple[Attachment, ...]:
    if bilag is None:
        return ()
    if not isinstance(bilag, list):
        raise fail(source, "har 'bilag', der ikke er en liste")
    found: list[Attachment] = []
    for index, entry in enumerate(bilag):
        name = entry.get("navn") if isinstance(entry, dict) else entry
        if not isinstance(name, str):
            raise fail(source, f"har et bilag uden navn (bilag[{index}])")
        if name.strip():
            found.append(
                Attachment(
                    name=" ".join(name.split()),
                    provenance=Provenance(SYSTEM, source, f"/bilag/{index}"),
                )
            )
    return tuple(found)


def _split_title(raw: str) -> tuple[str, str | None, Any]:
    title, case_number, continued = raw, None, None
    while True:
        if (case := _CASE_NUMBER.search(title)) is not None:
            case_number, title = case["case"], title[: case.start()]
        elif (later := _CONTINUED.search(title)) is not None:
            continued, title = parse_date(later["date"]), title[: later.start()]
        else:
            return " ".join(title.split()), case_number, continued


def _string(record: dict[str, Any], key: str, source: str, *, required: bool = True) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise fail(source, f"har ingen tekst i '{key}'")
    return " ".join(value.split())
