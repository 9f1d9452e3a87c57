"""A Copenhagen text item read for import: parsed, its committee named, as a published meeting.

:func:`parse_text` is the Copenhagen parser (``copenhagen_text``) plus what the import needs
on top: the meeting date (and the punkt check) from a file name
``koebenhavn_<udvalg>_<YYYY-MM-DD>_punktNN.txt``, and the product's own text layout read
back (an invented case number "(SUD-2026-08-26-p7)" at the end of the title, decisions headed
"<Udvalg>s beslutning (dato ukendt)").

:func:`published_text_meeting` then names the committee the item is before (``--committee``,
else the file name, else the committee of the last dated decision: a published item ends with
the decision of the committee that published it) and the body of every decision (one without
a heading was taken by the committee whose decision follows it, else by the item's), and
states the item as the one item of its meeting (:mod:`from_copenhagen_text`). Pure: the
committees are given, not looked up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from council.cases.errors import CutOffItemError, ImportFormatError
from council.cases.importers.committee_names import CommitteeRef, Committees
from council.cases.importers.copenhagen_text import (
    ParsedDecision,
    ParsedItem,
    meeting_hint_from_filename,
    parse_copenhagen_text,
)
from council.cases.importers.from_copenhagen_text import published_from_text_item
from council.cases.importers.phrases import PhraseTable, classify_decision, default_phrase_table
from council.cases.importers.published import PublishedMeeting

_UNDATED_HEADING = re.compile(
    r"^(?P<genitive>[A-ZÆØÅ][^.]*?[s'’])\s+beslutning\s*(?:den\s*)?\(\s*dato ukendt\s*\)\.?$",
    re.IGNORECASE,
)
_INVENTED_NUMBER = re.compile(r"\s*\((?P<case>[A-ZÆØÅ]{1,8}-\d{4}-\d{2}-\d{2}-p\d{1,3})\)$")


@dataclass(frozen=True)
class TextSource:
    """One file's name (its meeting hint, and how errors name it) and its text."""

    name: str
    text: str


def parse_text(
    source: TextSource, *, committee_name: str | None = None, phrases: PhraseTable | None = None
) -> ParsedItem:
    """Parse one file as the import reads it, without touching the database."""
    table = phrases or default_phrase_table()
    hint = meeting_hint_from_filename(source.name)
    parsed = parse_copenhagen_text(
        source.text,
        source=source.name,
        default_date=hint.date if hint else None,
        default_committee=committee_name,
        phrases=table,
    )
    if hint is not None and hint.number != parsed.number:
        raise ImportFormatError(
            f"{source.name}: filnavnet siger punkt {hint.number}, teksten {parsed.number}"
        )
    parsed = _own_case_number(parsed)
    last_line = parsed.decisions[-1].text.split("\n")[-1].strip() if parsed.decisions else ""
    if _UNDATED_HEADING.match(last_line):  # the product's own heading, with nothing under it
        raise CutOffItemError(
            f"{source.name}: filen ser afskåret ud: den slutter med overskriften «{last_line}» "
            "og intet under den"
        )
    return replace(parsed, decisions=tuple(_split_undated_headings(parsed.decisions, table)))


def published_text_meeting(
    source: TextSource,
    *,
    committees: Committees,
    forced: CommitteeRef | None = None,
    phrases: PhraseTable | None = None,
) -> PublishedMeeting:
    """The file as the one item of its committee's meeting, every decision's body named."""
    hint = meeting_hint_from_filename(source.name)
    named = committees.by_slug(hint.committee_slug, source=source.name) if hint else None
    committee = forced or named
    parsed = parse_text(
        source, committee_name=committee.name if committee else None, phrases=phrases
    )
    if committee is None:
        dated = [d for d in parsed.decisions if d.committee_name and d.date]
        if not dated:
            raise ImportFormatError(
                f"{source.name}: kan ikke se, hvilket udvalg punktet er for; angiv --committee KODE"
            )
        committee = committees.named(dated[-1].committee_name or "", source=source.name)
    decisions = _with_bodies(parsed.decisions, committee, committees, source.name)
    own = [d.date for d in decisions if d.committee_name == committee.name and d.date]
    # without a file name's date, the meeting is the committee's last dated one; a text that
    # gives none is an item drafted, not yet put on an agenda
    meeting_date = hint.date if hint else (own[-1] if own else None)
    item = replace(parsed, decisions=tuple(decisions), attachment_links=())
    return published_from_text_item(
        item, committee=committee.name, meeting_date=meeting_date, undated=True
    )


def _with_bodies(
    decisions: Sequence[ParsedDecision],
    committee: CommitteeRef,
    committees: Committees,
    source: str,
) -> list[ParsedDecision]:
    """Each decision with its committee's configured name; one without a heading was taken
    by the committee whose decision follows it, else by the item's."""
    named: list[ParsedDecision] = []
    following = committee
    for decision in reversed(decisions):
        if decision.committee_name:
            following = committees.named(decision.committee_name, source=source)
        named.insert(0, replace(decision, committee_name=following.name))
    return named


def _own_case_number(parsed: ParsedItem) -> ParsedItem:
    """A title ending in one of the product's invented numbers "(SUD-2026-08-26-p7)" names it."""
    if parsed.case_number is not None:
        return parsed
    match = _INVENTED_NUMBER.search(parsed.title)
    if match is None:
        return parsed
    return replace(parsed, title=parsed.title[: match.start()].rstrip(), case_number=match["case"])


def _split_undated_headings(
    decisions: Sequence[ParsedDecision], table: PhraseTable
) -> list[ParsedDecision]:
    """Cut decisions at "<Udvalg>s beslutning (dato ukendt)" lines (the product's own layout)."""
    result: list[ParsedDecision] = []
    for decision in decisions:
        lines = decision.text.split("\n")
        if not any(_UNDATED_HEADING.match(line.strip()) for line in lines):
            result.append(decision)
            continue
        pieces: list[tuple[ParsedDecision, list[str]]] = [(decision, [])]
        for line in lines:
            heading = _UNDATED_HEADING.match(line.strip())
            if heading is None:
                pieces[-1][1].append(line)
                continue
            genitive = heading["genitive"]
            name = genitive[:-1] if genitive.endswith(("s", "'", "’")) else genitive
            pieces.append((ParsedDecision(name, None, "", None, line.strip()), []))
        for template, body in pieces:
            text = "\n".join(body).strip()
            if text:
                result.append(replace(template, text=text, outcome=classify_decision(text, table)))
    return result
