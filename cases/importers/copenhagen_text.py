"""Parse one agenda item published as plain text in the Copenhagen (kk.dk) layout.

Two layouts are read, both a list of lines in which a line that is exactly a known heading
(``_HEADINGS``, any case) starts a section:

* 2010 (``seeds/agenda-item-biu-2010-4130.txt``): paragraphs separated by blank lines; the
  title ends with the case number, "4. Status på ... (2010-4130)"; "INDSTILLING OG Beslutning"
  opens the recommendation, points are numbered "1. At ..."; the signatures ("Morten Binder",
  "/ Kaj Ove Christiansen") follow BILAG; after them come the decisions: a decision line with no
  heading (its meeting is not given), a "bilag" block of links, and dated decisions headed
  "<Udvalg>s beslutning den 23.02.2010".
* 2026 (``realdata/copenhagen-text/``): one paragraph per line, bullets "• at ...",
  signatures before a bare "Beslutning" heading, then "Bilag N. name" lines. No case number
  and no meeting date inside: the caller passes the meeting's date and committee
  (``default_date``/``default_committee``, see :func:`meeting_hint_from_filename`). A title may
  end "(udsat fra mødet den 26. august 2026)": that is ``continued_from``.

Other forms read the same way: a member proposal (medlemsforslag) has "Det foreslås, at ..."
where an administration's "X indstiller" stands, in the opening text or under Indstilling; an
orientation item may have no Indstilling at all (its title, text or decision speaks of an
orientering); headings the product has no section for ("Politisk handlerum", "Motivering",
``_OTHER_HEADINGS``) start a section of their own, kept under its heading in
``ParsedItem.sections``; signatures may stand two on a line ("Per Bennetsen / Katrine Ring",
"/Katrine Ring og Henrik Lund").

The parser is pure: text in, frozen dataclasses out, ``ImportFormatError`` for anything that
is not an agenda item, ``CutOffItemError`` for the first part of one (see ``cut_off.py``).
Decision outcomes come from the phrase table (``phrases.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from council.cases.dates import DATE, EARLIEST_DATE, LATEST_DATE, date_from_match
from council.cases.errors import CutOffItemError, ImportFormatError
from council.cases.importers.cut_off import Part, cut_off_part
from council.cases.importers.phrases import PhraseTable, classify_decision, default_phrase_table

# Heading line (case-insensitive, trailing colon ignored) -> section key.
_HEADINGS = {
    "resumé": "summary",
    "resume": "summary",
    "medlemsforslag": "recommendation",  # a member proposal's "Det foreslås, at ..."
    "indstilling": "recommendation",
    "indstilling og beslutning": "recommendation",
    "problemstilling": "problem",
    "løsning": "solution",
    "økonomi": "economy",
    "videre proces": "next_steps",
    "status på mål": "goals",  # the result goals this product renders; not imported
    "bilag": "attachments",
    "beslutning": "decision",
    # the earlier bodies' treatment of the case: its dated "<Udvalg>s beslutning i mødet den
    # ..." lines start decisions; what comes before the first (the recommendation that body
    # was given) is none, and is not read as one
    "oversigt over politisk behandling": "history",
    "tidligere beslutninger": "history",
}
# Headings of sections the product stores no field for: each starts a section of its own, kept
# with its heading (``ParsedItem.sections``), so its text is never read as the section before.
_OTHER_HEADINGS = frozenset(
    {
        "politisk handlerum",
        "motivering",
        "motivation",
        "baggrund",
        "sagsfremstilling",
        "høring",
        "kommunikation",
        "borgerinddragelse",
        "forslagsstiller",
        "forslagsstillere",
        "hjemmel",
        "lovgrundlag",
        "tidsplan",
        "ligestillingsvurdering",
        "klimavurdering",
        "miljøvurdering",
    }
)
_OTHER = "other"
# the heading under which each text field is published, in ``ParsedItem.sections``
_TEXT_HEADINGS = {
    "summary": "Resumé",
    "problem": "Problemstilling",
    "solution": "Løsning",
    "economy": "Økonomi",
    "next_steps": "Videre proces",
}
_TITLE_LINE = re.compile(r"^(?P<number>\d{1,3})\.\s+(?P<title>\S.*)$")
_CASE_NUMBER = re.compile(r"\s*\((?P<case>\d{4}-\d+)\)$")
_CONTINUED = re.compile(r"\s*\(\s*udsat fra mødet den (?P<date>[^)]+?)\s*\)$", re.IGNORECASE)
_DECISION_HEADING = re.compile(
    rf"^(?P<genitive>[A-ZÆØÅ][^.]*?[s'’])\s+beslutning\s+(?:i\s+mødet\s+)?den\s+{DATE}\.?$",
    re.IGNORECASE,
)
_ADMINISTRATION = re.compile(r"^(?P<who>.+?)\s+indstiller\b[\s,:]*(?P<rest>.*)$")
_PROPOSED = re.compile(r"^det\s+foreslås\b[\s,:]*(?P<rest>.*)$", re.IGNORECASE)
_ORIENTATION = re.compile(r"\borienter", re.IGNORECASE)
_POINT = re.compile(r"^(?:[•·▪*–-]|\d{1,2}[.)])?\s*(?P<point>[Aa]t\s.*)$")
_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\([^)]*\)$")
# "Bilag 1. X", "Bilag 1: X", "1) X" and "Bilag 1 - X" alike
_ATTACHMENT = re.compile(
    r"^(?:bilag\s+)?\d{1,3}\s*(?:[.:)]|\s[-–])\s*(?P<name>\S.*)$", re.IGNORECASE
)
_NAME_WORD = r"[A-ZÆØÅ][\w'’-]*\.?"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,5}}"
# "Morten Binder", "/ Kaj Ove Christiansen", "Per Bennetsen / Katrine Ring",
# "/Katrine Ring og Henrik Lund"
_SIGNATURE = re.compile(rf"^(?:/\s*)?{_NAME}(?:\s*(?:/|\bog\b)\s*{_NAME})*$")
_SIGNATURE_JOIN = re.compile(r"\s*/\s*|\s+og\s+")
_NOT_ITEM = "ikke et dagsordenspunkt i Københavns layout"
_FILENAME = re.compile(
    r"^koebenhavn_(?P<slug>[a-z0-9æøå-]+)_(?P<date>\d{4}-\d{2}-\d{2})_punkt(?P<number>\d+)\.txt$"
)


@dataclass(frozen=True)
class ParsedDecision:
    """One decision on the item: who, when (None if the source does not say), what."""

    committee_name: str | None
    date: dt.date | None
    text: str  # verbatim lines of the decision block, joined with newlines
    outcome: str | None  # a workflow state name from the phrase table, None if not recognised
    heading: str | None = None  # the heading line the decision stood under, if any


@dataclass(frozen=True)
class ParsedItem:
    """An agenda item as published; text fields keep the source's wording exactly."""

    source: str
    number: int
    title: str  # without the bracketed case number and "(udsat fra mødet ...)"
    raw_title: str  # the first line after "N. ", as printed
    case_number: str | None
    summary: str
    administration: str | None  # "X" of "X indstiller,"
    recommendation: tuple[str, ...]  # the "at ..." points, marker removed
    problem: str = ""
    solution: str = ""
    economy: str = ""
    next_steps: str = ""
    signatures: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()  # names from the BILAG list
    attachment_links: tuple[str, ...] = ()  # link texts "[Bilag 1: ...](url)"
    continued_from: dt.date | None = None  # the meeting that postponed the item
    decisions: tuple[ParsedDecision, ...] = ()
    # every text section in the source's order, as (heading, text): the fields above under
    # their own headings ("Resumé", "Problemstilling", ...) and the others as written
    sections: tuple[tuple[str, str], ...] = ()
    kind: str | None = None  # "orientering" for an orientation without an Indstilling


class MeetingHint(NamedTuple):
    committee_slug: str
    date: dt.date
    number: int


@dataclass
class _Section:
    key: str
    heading: str | None
    lines: list[str] = field(default_factory=list)
    committee: str | None = None
    date: dt.date | None = None


def meeting_hint_from_filename(name: str | Path) -> MeetingHint | None:
    """``koebenhavn_<udvalg>_<YYYY-MM-DD>_punktNN.txt`` -> (udvalg slug, date, item number)."""
    match = _FILENAME.match(Path(name).name)
    if match is None:
        return None
    try:
        when = dt.date.fromisoformat(match["date"])
    except ValueError:
        return None
    if not EARLIEST_DATE <= when <= LATEST_DATE:
        return None
    return MeetingHint(match["slug"], when, int(match["number"]))


def parse_copenhagen_text(
    text: str,
    *,
    source: str,
    default_date: dt.date | None = None,
    default_committee: str | None = None,
    phrases: PhraseTable | None = None,
) -> ParsedItem:
    """Parse ``text``; ``source`` names it in errors. Defaults apply to a bare "Beslutning"."""
    table = phrases or default_phrase_table()
    lines = [line.strip() for line in text.replace("\ufeff", "").splitlines() if line.strip()]
    first = _TITLE_LINE.match(lines[0]) if lines else None
    if first is None:
        found = repr(lines[0][:60]) if lines else "en tom tekst"
        raise _error(source, f"{_NOT_ITEM}: første linje skal være 'N. Titel', fandt {found}")
    raw_title = first["title"]
    title, case_number, continued = _split_title(raw_title, source)

    sections = _sections(lines[1:], source)
    parts = [Part(section.heading, tuple(section.lines)) for section in sections]
    signatures, sections = _take_signatures(sections)
    by_key: dict[str, list[_Section]] = {}
    for section in sections:
        by_key.setdefault(section.key, []).append(section)
    kind = None
    if "recommendation" in by_key:
        administration, points = _recommendation(by_key["recommendation"])
        if not points:
            raise _error(source, f"{_NOT_ITEM}: afsnittet 'Indstilling' har ingen 'at ...'-punkter")
    elif _is_orientation(title, sections):
        administration, points, kind = None, [], "orientering"
    else:
        raise _error(source, f"{_NOT_ITEM}: der er intet afsnit 'Indstilling'")
    summary = _joined(by_key.get("summary", []))
    if continued is None:
        continued = _continued_from(summary, source)

    decisions: list[ParsedDecision] = []
    for section in by_key.get("decision", []):
        if not section.lines:
            continue
        bare = section.heading is not None and section.date is None  # "Beslutning" alone
        decision_text = "\n".join(section.lines).strip()
        decisions.append(
            ParsedDecision(
                committee_name=default_committee if bare else section.committee,
                date=default_date if bare else section.date,
                text=decision_text,
                outcome=classify_decision(decision_text, table),
                heading=section.heading,
            )
        )
    attachment_lines = [line for s in by_key.get("attachments", []) for line in s.lines]
    item = ParsedItem(
        source=source,
        number=int(first["number"]),
        title=title,
        raw_title=raw_title,
        case_number=case_number,
        summary=summary,
        administration=administration,
        recommendation=tuple(points),
        problem=_joined(by_key.get("problem", [])),
        solution=_joined(by_key.get("solution", [])),
        economy=_joined(by_key.get("economy", [])),
        next_steps=_joined(by_key.get("next_steps", [])),
        signatures=tuple(signatures),
        attachments=tuple(
            _attachment_name(line) for line in attachment_lines if not _LINK.match(line)
        ),
        attachment_links=tuple(m["text"] for m in map(_LINK.match, attachment_lines) if m),
        continued_from=continued,
        decisions=tuple(decisions),
        sections=tuple(_text_sections(sections)),
        kind=kind,
    )
    cut = cut_off_part(text, item, parts)
    if cut is not None:
        raise CutOffItemError(f"{source}: filen ser afskåret ud: {cut}")
    return item


# ---------------------------------------------------------------------------------- helpers


def _error(source: str, what: str) -> ImportFormatError:
    return ImportFormatError(f"{source}: {what}")


def _sections(lines: list[str], source: str) -> list[_Section]:
    """Cut the lines after the title into sections at heading lines."""
    sections = [_Section("summary", None)]
    for line in lines:
        name = " ".join(line.split()).rstrip(":").strip()
        key = _HEADINGS.get(name.casefold())
        if key is None and name.casefold() in _OTHER_HEADINGS:
            key = _OTHER
        dated = _DECISION_HEADING.match(line)
        if key is not None:
            sections.append(_Section(key, name if key == _OTHER else line))
        elif sections[-1].key == "summary" and _PROPOSED.match(line):
            # a member proposal: "Det foreslås, at ..." opens its recommendation
            sections.append(_Section("recommendation", None, [line]))
        elif dated is not None:
            when = _date(dated, line, source)
            sections.append(_Section("decision", line, [], _committee(dated["genitive"]), when))
        else:
            sections[-1].lines.append(line)
    return sections


def _take_signatures(sections: list[_Section]) -> tuple[list[str], list[_Section]]:
    """Find the signature lines; lines after them (before a heading) are an undated decision.

    The signatures are the first run of name lines ("Morten Binder", "/ Kaj Ove Christiansen")
    that holds a "/ Name" line or stands right before a decision heading.
    """
    for index, section in enumerate(sections):
        next_is_decision = index + 1 < len(sections) and sections[index + 1].key == "decision"
        start = None
        for position, line in enumerate([*section.lines, ""]):
            if _SIGNATURE.match(line):
                start = position if start is None else start
                continue
            if start is not None:
                run = section.lines[start:position]
                at_end = position == len(section.lines)
                if any("/" in line for line in run) or (at_end and next_is_decision):
                    rest = section.lines[position:]
                    section.lines = section.lines[:start]
                    undated = [_Section("decision", None, rest)] if rest else []
                    names = [
                        name
                        for line in run
                        for name in _SIGNATURE_JOIN.split(line.lstrip("/").strip())
                        if name
                    ]
                    return names, [*sections[: index + 1], *undated, *sections[index + 1 :]]
                start = None
    return [], sections


def _recommendation(sections: list[_Section]) -> tuple[str | None, list[str]]:
    administration: str | None = None
    points: list[str] = []
    for raw in (line for section in sections for line in section.lines):
        line = raw
        opening = administration is None and not points
        proposed = _PROPOSED.match(line) if opening else None
        who = _ADMINISTRATION.match(line) if opening and proposed is None else None
        if proposed is not None:
            line = proposed["rest"]
        elif who is not None:
            administration, line = who["who"], who["rest"]
        point = _POINT.match(line)
        if point is not None:
            points.append(point["point"])
        elif points and line:
            points[-1] += "\n" + line
    return administration, points


def _is_orientation(title: str, sections: list[_Section]) -> bool:
    """An item without an Indstilling is an orientation when its title, opening text or a
    decision says so ("Orientering om ...", "Udvalget orienteres", "Orienteringen blev
    afholdt"); any other text without one is no agenda item."""
    said = [
        title,
        *(line for s in sections if s.key in ("summary", "decision") for line in s.lines),
    ]
    return any(_ORIENTATION.search(line) for line in said)


def _text_sections(sections: list[_Section]) -> list[tuple[str, str]]:
    """The text sections in order, each under its heading; fields that come in several parts
    keep the first part's place."""
    placed: list[tuple[str, str]] = []
    seen: set[str] = set()
    for section in sections:
        if section.key == _OTHER:
            text = "\n\n".join(section.lines)
            if text:
                placed.append((section.heading or "", text))
        elif section.key in _TEXT_HEADINGS and section.key not in seen:
            text = _joined([s for s in sections if s.key == section.key])
            if text:
                seen.add(section.key)
                placed.append((_TEXT_HEADINGS[section.key], text))
    return placed


def _split_title(raw: str, source: str) -> tuple[str, str | None, dt.date | None]:
    """Strip the trailing "(2010-4130)" and "(udsat fra mødet den ...)", in either order."""
    title, case_number, continued = raw, None, None
    while True:
        if (case := _CASE_NUMBER.search(title)) is not None:
            case_number, title = case["case"], title[: case.start()]
        elif (later := _CONTINUED.search(title)) is not None:
            continued, title = _parse_date(later["date"], raw, source), title[: later.start()]
        else:
            return title.rstrip(), case_number, continued


def _continued_from(text: str, source: str) -> dt.date | None:
    match = re.search(r"\(\s*udsat fra mødet den ([^)]+?)\s*\)", text, re.IGNORECASE)
    return _parse_date(match[1], match[0], source) if match else None


def _parse_date(text: str, context: str, source: str) -> dt.date:
    match = re.fullmatch(DATE, text.strip().casefold())
    if match is None:
        raise _error(source, f"kan ikke læse datoen i {context!r}")
    return _date(match, context, source)


def _date(match: re.Match[str], context: str, source: str) -> dt.date:
    found = date_from_match(match)
    if found is None:
        raise _error(source, f"umulig dato i {context!r}")
    if not EARLIEST_DATE <= found <= LATEST_DATE:
        raise _error(
            source,
            f"datoen i {context!r} ligger uden for {EARLIEST_DATE.year}–{LATEST_DATE.year}",
        )
    return found


def _committee(genitive: str) -> str:
    """ "Beskæftigelses- og Integrationsudvalgets" -> "Beskæftigelses- og Integrationsudvalget"."""
    return genitive[:-1] if genitive.endswith(("s", "'", "’")) else genitive


def _attachment_name(line: str) -> str:
    match = _ATTACHMENT.match(line)
    return match["name"] if match else line


def _joined(sections: list[_Section]) -> str:
    return "\n\n".join(line for section in sections for line in section.lines)
