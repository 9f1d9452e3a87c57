"""A published item's text laid out in the sections an agenda item has.

An item holds a resumé, the administration's recommendation, Problemstilling, Løsning,
Økonomi and Videre proces (the Copenhagen layout). Sources head their text otherwise; each
known heading goes to its section, and a heading this table does not know is kept with its
text, under its own heading, in the section before it, so no published word is lost:

====================================================  ==============
Resumé, Resume, Sammendrag, an unheaded opening        summary
Problemstilling, Baggrund                              problem
Løsning, Sagsfremstilling                              solution
Økonomi, Økonomiske konsekvenser ..., Økonomi og ...   economy
Videre proces                                          next_steps
====================================================  ==============

A "Bilag" section loses the lines that name one of the item's attachments by its document
number (they are imported as attachments), and what is left continues the section before
it; "Oversigt over politisk behandling" is left out, because its
decisions are imported as decisions. Earlier treatments named without a decision ("Tidligere
behandling") end the resumé.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from council.cases.importers.published import ItemKind, PublishedItem, Section

ORIENTATION: ItemKind = "orientering"
DECISION: ItemKind = "beslutning"
_FIELDS = ("summary", "problem", "solution", "economy", "next_steps")
_KNOWN = {
    "resumé": "summary",
    "resume": "summary",
    "sammendrag": "summary",
    "problemstilling": "problem",
    "baggrund": "problem",
    "løsning": "solution",
    "sagsfremstilling": "solution",
    "økonomi": "economy",
    "videre proces": "next_steps",
}
_LEFT_OUT = frozenset({"oversigt over politisk behandling"})
_REFERENCE = re.compile(r"^\S*\d\S* - (?P<name>.+)$")


@dataclass(frozen=True)
class ItemContent:
    """What drafting the item stores: its title, kind and sections, verbatim."""

    title: str
    kind: ItemKind
    closed: bool
    administration: str | None
    recommendation: tuple[str, ...]
    summary: str = ""
    problem: str = ""
    solution: str = ""
    economy: str = ""
    next_steps: str = ""
    signatures: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()


@dataclass
class _Layout:
    texts: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in _FIELDS})
    current: str = "summary"

    def add(self, section: Section, attachments: tuple[str, ...]) -> None:
        heading = " ".join((section.heading or "").split())
        key = heading.casefold().rstrip(":")
        if key in _LEFT_OUT:
            return
        body = section.text
        if key == "bilag":  # what is left of it continues the text it interrupted
            body, heading = _without_attachment_lines(body, attachments), ""
        if not body.strip():
            return
        target = _target(key)
        if target is not None and not self.texts[target]:
            self.current = target
            self.texts[target].append(body.strip())
            return
        if target is not None:
            self.current = target
        self.texts[self.current].append(f"{heading}\n{body.strip()}" if heading else body.strip())

    def text(self, name: str) -> str:
        return "\n\n".join(self.texts[name])


def item_content(item: PublishedItem, *, earlier_without_text: tuple[str, ...] = ()) -> ItemContent:
    """``item``'s text in an agenda item's sections (see the table above)."""
    attachments = tuple(a.name for a in item.attachments if not a.closed)
    layout = _Layout()
    for section in item.sections:
        layout.add(section, attachments)
    summary = layout.text("summary")
    if earlier_without_text:
        earlier = "Tidligere behandling\n" + "\n".join(earlier_without_text)
        summary = f"{summary}\n\n{earlier}" if summary else earlier
    return ItemContent(
        title=item.title,
        kind=item.kind or _kind_from_recommendation(item.recommendation),
        closed=item.closed,
        administration=item.administration,
        recommendation=item.recommendation,
        summary=summary,
        problem=layout.text("problem"),
        solution=layout.text("solution"),
        economy=layout.text("economy"),
        next_steps=layout.text("next_steps"),
        signatures=item.signatures,
        attachments=attachments,
    )


def _target(key: str) -> str | None:
    if key == "":
        return "summary"
    if key.startswith("økonomi"):
        return "economy"
    return _KNOWN.get(key)


def _without_attachment_lines(text: str, attachments: tuple[str, ...]) -> str:
    """The lines of a "Bilag" section that do not merely name an attachment ("2012-200782 -
    Bygningsliste og prioriteringssystem")."""
    names = {name.strip() for name in attachments if name.strip()}

    def names_one(line: str) -> bool:
        reference = _REFERENCE.match(line.strip())
        return reference is not None and reference["name"] in names

    return "\n".join(line for line in text.split("\n") if not names_one(line))


def _kind_from_recommendation(points: tuple[str, ...]) -> ItemKind:
    """An item that asks the committee to take something to note is an orientation."""
    return ORIENTATION if "til efterretning" in " ".join(points).casefold() else DECISION
