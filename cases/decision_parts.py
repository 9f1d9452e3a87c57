"""What a decision holds beside its outcome and text: the vote, amendments, protocol
remarks, results point by point, and who did not take part.

Real minutes carry more than an outcome word: how each party voted ("For stemte: F, B, A,
Ø"), which amendment (ændringsforslag) fell, who wrote a protocol remark
(protokolbemærkning), which at-point was rejected, and who was inhabil. These are the
value types of those parts and their one JSON shape, the same in the table's columns
(``decision.votes``, ``amendments``, ``remarks``, ``point_results``, ``attendance``), in the
audit entry that recorded them and in ``history --json``. A decision without a part has
NULL in its column and no key in its audit body, so decisions recorded before the parts
existed verify as they did.

:func:`copenhagen_lines` words the parts of a typed decision as Copenhagen's minutes do, in
their order: who did not take part, each amendment with its vote and result, the result
point by point, the decision sentence with its vote, the protocol remarks. A typed
decision's text is stored so, and the importer (``importers.decision_structure``) reads the
same wording back into the same parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

VoteMode = Literal["afstemning", "uden_afstemning", "enstemmigt"]
RemarkKind = Literal["protokolbemærkning", "bemærkning", "forbehold"]
AttendanceReason = Literal["inhabil", "fraværende"]
AbsenceReason = Literal["afbud", "fravær"]
SIDES = ("for", "imod", "undlod")
VOTE_MODES: tuple[VoteMode, ...] = ("afstemning", "uden_afstemning", "enstemmigt")
REMARK_KINDS: tuple[RemarkKind, ...] = ("protokolbemærkning", "bemærkning", "forbehold")
PART_COLUMNS = ("votes", "amendments", "remarks", "point_results", "attendance")
"""The decision table's columns that hold the parts, in the order of the record."""


@dataclass(frozen=True)
class Votes:
    """A vote: the counts for, against (imod) and abstaining (undlod), each side's parties
    or members as written, and how it was carried; a count the source leaves out is None."""

    for_count: int | None = None
    against: int | None = None
    abstained: int | None = None
    groups_for: tuple[str, ...] = ()
    groups_against: tuple[str, ...] = ()
    groups_abstained: tuple[str, ...] = ()
    mode: VoteMode = "afstemning"

    @property
    def counted(self) -> int:
        """How many members the counts name."""
        return sum(n for n in (self.for_count, self.against, self.abstained) if n is not None)

    def as_json(self) -> dict[str, Any]:
        return {
            "for": self.for_count,
            "imod": self.against,
            "undlod": self.abstained,
            "groups": {
                "for": list(self.groups_for),
                "imod": list(self.groups_against),
                "undlod": list(self.groups_abstained),
            },
            "mode": self.mode,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Votes:
        groups = value.get("groups") or {}
        return cls(
            for_count=value.get("for"),
            against=value.get("imod"),
            abstained=value.get("undlod"),
            groups_for=tuple(groups.get("for") or ()),
            groups_against=tuple(groups.get("imod") or ()),
            groups_abstained=tuple(groups.get("undlod") or ()),
            mode=value.get("mode") or "afstemning",
        )


@dataclass(frozen=True)
class Amendment:
    """An ændringsforslag: who proposed it, its text, what it replaces or adds to ("nyt
    at-punkt", "tilføjelse til 1. at-punkt"), its own vote and its result (vedtaget,
    forkastet, trukket; None when the source does not say)."""

    text: str
    proposer: str | None = None
    label: str | None = None
    replaces: str | None = None
    result: str | None = None
    votes: Votes | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "proposer": self.proposer,
            "text": self.text,
            "replaces": self.replaces,
            "result": self.result,
            "votes": self.votes.as_json() if self.votes else None,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Amendment:
        votes = value.get("votes")
        return cls(
            text=value["text"],
            proposer=value.get("proposer"),
            label=value.get("label"),
            replaces=value.get("replaces"),
            result=value.get("result"),
            votes=Votes.from_json(votes) if votes else None,
        )


@dataclass(frozen=True)
class Remark:
    """A remark kept with the decision: a protokolbemærkning of a party or members, the
    body's own bemærkning (its author None), a forbehold (reservation)."""

    author: str | None
    text: str
    kind: RemarkKind = "protokolbemærkning"

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "author": self.author, "text": self.text}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Remark:
        return cls(value.get("author"), value["text"], value.get("kind") or "protokolbemærkning")


@dataclass(frozen=True)
class PointResult:
    """The result of one at-point of the recommendation (1 is the first), as a workflow
    outcome (``godkendt``, ``ikke_godkendt``, ...), with its vote when there was one."""

    point: int
    result: str
    votes: Votes | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "point": self.point,
            "result": self.result,
            "votes": self.votes.as_json() if self.votes else None,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> PointResult:
        votes = value.get("votes")
        return cls(value["point"], value["result"], Votes.from_json(votes) if votes else None)


@dataclass(frozen=True)
class Attendance:
    """A member who did not take part in the item: inhabil, or not there (fraværende)."""

    name: str
    reason: AttendanceReason = "fraværende"

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "reason": self.reason}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Attendance:
        return cls(value["name"], value.get("reason") or "fraværende")


@dataclass(frozen=True)
class Absence:
    """A member absent from a whole meeting: afbud (sent apologies) or fravær."""

    name: str
    reason: AbsenceReason | None = None

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "reason": self.reason}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Absence:
        return cls(value["name"], value.get("reason"))


@dataclass(frozen=True)
class DecisionParts:
    """Every part of a decision besides its outcome and text; empty when it has none."""

    votes: Votes | None = None
    amendments: tuple[Amendment, ...] = ()
    remarks: tuple[Remark, ...] = ()
    points: tuple[PointResult, ...] = ()
    attendance: tuple[Attendance, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.votes or self.amendments or self.remarks or self.points or self.attendance)

    def columns(self) -> dict[str, Any]:
        """The parts as the decision's columns hold them (None for a part it lacks)."""
        return {
            "votes": self.votes.as_json() if self.votes else None,
            "amendments": _list(self.amendments),
            "remarks": _list(self.remarks),
            "point_results": _list(self.points),
            "attendance": _list(self.attendance),
        }

    @classmethod
    def from_columns(
        cls,
        votes: Mapping[str, Any] | None,
        amendments: Sequence[Mapping[str, Any]] | None,
        remarks: Sequence[Mapping[str, Any]] | None,
        point_results: Sequence[Mapping[str, Any]] | None,
        attendance: Sequence[Mapping[str, Any]] | None,
    ) -> DecisionParts:
        return cls(
            votes=Votes.from_json(votes) if votes else None,
            amendments=tuple(Amendment.from_json(a) for a in amendments or ()),
            remarks=tuple(Remark.from_json(r) for r in remarks or ()),
            points=tuple(PointResult.from_json(p) for p in point_results or ()),
            attendance=tuple(Attendance.from_json(a) for a in attendance or ()),
        )


def _list(parts: Iterable[Any]) -> list[dict[str, Any]] | None:
    values = [part.as_json() for part in parts]
    return values or None


# ------------------------------------------------------------------------------ wording

_SIDE_WORDS = {"for": "Stemmer for", "imod": "Stemmer imod", "undlod": "Undlod at stemme"}
_RESULT_WORDS = {
    "vedtaget": "vedtaget",
    "forkastet": "forkastet",
    "trukket": "trukket tilbage",
}
ORDINALS = (
    "første",
    "andet",
    "tredje",
    "fjerde",
    "femte",
    "sjette",
    "syvende",
    "ottende",
    "niende",
    "tiende",
)


def vote_lines(votes: Votes) -> list[str]:
    """ "Stemmer for: 8 (F, B, A, Ø)", "Stemmer imod: 3 (C, I)", "Undlod at stemme: 0";
    "Uden afstemning." / "Enstemmigt." when it was carried so."""
    if votes.mode == "uden_afstemning":
        return ["Uden afstemning."]
    if votes.mode == "enstemmigt":
        return ["Enstemmigt."]
    lines = []
    for side, count, groups in (
        ("for", votes.for_count, votes.groups_for),
        ("imod", votes.against, votes.groups_against),
        ("undlod", votes.abstained, votes.groups_abstained),
    ):
        if count is None and not groups:
            continue
        said = str(count) if count is not None else ""
        if groups:
            said = f"{said} ({', '.join(groups)})" if said else ", ".join(groups)
        lines.append(f"{_SIDE_WORDS[side]}: {said}")
    return lines


def copenhagen_lines(
    parts: DecisionParts,
    sentence: str,
    *,
    outcome_words: Mapping[str, str],
    onward: str | None = None,
) -> list[str]:
    """The decision as Copenhagen's minutes word it: attendance, amendments, the points,
    ``sentence`` with its vote, where the case goes on to (``onward``, a body's name), the
    remarks. ``outcome_words`` names each outcome code in a sentence ("godkendt", "ikke
    godkendt")."""
    lines: list[str] = []
    for absent in parts.attendance:
        why = " på grund af inhabilitet" if absent.reason == "inhabil" else ""
        lines.append(f"{absent.name} deltog ikke i behandlingen af punktet{why}.")
    for number, amendment in enumerate(parts.amendments, start=1):
        label = amendment.label or f"ÆF{number}"
        proposer = amendment.proposer or "Der"
        placed = f" som {amendment.replaces}" if amendment.replaces else ""
        lines.append(f"{proposer} stillede følgende ændringsforslag ({label}){placed}:")
        lines.append(f"“{amendment.text}”")
        if amendment.result:
            result = _RESULT_WORDS.get(amendment.result, amendment.result)
            lines.append(f"Ændringsforslaget ({label}) blev {result}.")
        if amendment.votes:
            lines.extend(vote_lines(amendment.votes))
    for point in parts.points:
        word = outcome_words.get(point.result, point.result)
        lines.append(f"Indstillingens {_ordinal(point.point)} at-punkt blev {word}.")
        if point.votes:
            lines.extend(vote_lines(point.votes))
    votes = parts.votes
    if votes and votes.mode == "uden_afstemning" and "uden afstemning" not in sentence.casefold():
        lines.append(f"{sentence.rstrip().rstrip('.')} uden afstemning.")
    else:
        lines.append(sentence)
        if votes and not (votes.mode == "enstemmigt" and "enstemmig" in sentence.casefold()):
            lines.extend(vote_lines(votes))
    if onward is not None:
        lines.append(f"Sagen oversendes til {onward}.")
    for remark in parts.remarks:
        if remark.kind == "forbehold":
            lines.append(f"{remark.author} tog forbehold: “{remark.text}”")
        else:
            lines.append(f"{remark.author} afgav følgende protokolbemærkning:")
            lines.append(f"“{remark.text}”")
    return lines


def _ordinal(number: int) -> str:
    return ORDINALS[number - 1] if 1 <= number <= len(ORDINALS) else f"{number}."
