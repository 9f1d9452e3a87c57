"""Structure that a decision's text states plainly: remarks, a vote, a referral, who was absent.

This never decides the outcome (the phrase table does that) and never replaces the text: it
only lifts out what the wording says in a fixed form, and leaves anything else to the
verbatim text. Each reader is deliberately narrow; a form it does not know yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from council.cases.importers.danish import split_names
from council.cases.importers.hardened import plain_lines
from council.cases.importers.published import Remark, Vote, VoteSide, VoteSideName

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")

_BODY_REMARK = re.compile(r"\bmed\s+(?:denne|følgende)\s+bemærkning\s*:?\s*(?P<rest>.*)$", re.I)
_PROTOCOL_BY = re.compile(
    r"^(?P<author>[A-ZÆØÅ].*?)\s+(?:afgav|fremsatte|ønskede)\s+(?:følgende\s+|en\s+)?"
    r"(?:protokolbemærkning|tilført\s+protokollen)\s*[:.]?\s*(?P<text>.*)$"
)
_PROTOCOL_HEAD = re.compile(
    r"^protokolbemærkning(?:\s+fra\s+(?P<author>[^:]+))?\s*:\s*(?P<text>.*)$", re.I
)
_RESERVATION = re.compile(r"^(?P<author>[A-ZÆØÅ].*?)\s+tog\s+forbehold\b")
_ABSENT = re.compile(
    r"^(?P<who>.+?)\s+(?:deltog\s+ikke|var\s+forhindret|havde\s+meldt\s+afbud)\b(?P<rest>.*)$"
)
_STANCE = re.compile(r"^(?P<who>.+?)\s+kunne\s+(?P<not>ikke\s+)?tiltræde\b")
# "For stemte: 8 (F, B, A, Ø)", and Borgerrepræsentationen's "For: Ø, F, A" under its count
_SIDE_LINE = re.compile(
    r"^(?P<side>for\s+stemte|imod\s+stemte|undlod\s+at\s+stemme|stemmer\s+for|stemmer\s+imod"
    r"|undlod|for|imod)\s*:\s*(?P<who>.*)$",
    re.I,
)
_COUNTED_GROUPS = re.compile(r"^(?P<count>\d+)\s*(?:\((?P<groups>[^)]*)\))?\s*$")
_FOR_AGAINST = re.compile(r"\bmed\s+(?P<for>\d+)\s+stemmer?\s+mod\s+(?P<against>\d+)\b", re.I)
# "8 medlemmer undlod at stemme", "2 undlod at stemme", "Ingen (medlemmer) undlod at stemme"
_ABSTAINED = re.compile(
    r"\b(?P<count>\d+|ingen)\s+(?:medlemm?er\s+|medlem\s+)?undlod\s+at\s+stemme\b", re.I
)
_AMENDMENT = re.compile(r"ændringsforslag", re.I)
_REFERRAL_VERB = re.compile(
    r"\b(?:oversend\w*|fremsend\w*|videresend\w*|sendes\s+videre)\b(?P<rest>[^.]*)", re.I
)
_OVER_FOR = re.compile(r"\b(?:anbefaler|anbefalet|indstiller)\s+over\s*for\s+(?P<rest>[^.]*)", re.I)
_FOR_APPROVAL = re.compile(r"\bindstilles\s+til\s+godkendelse\b(?P<rest>[^.]*)", re.I)
_JOINERS = frozenset({"og", "eller", "til", "i", "for", "med", "af", "om", "at"})
_SIDE_NAMES: dict[str, VoteSideName] = {
    "for stemte": "for",
    "stemmer for": "for",
    "imod stemte": "imod",
    "stemmer imod": "imod",
    "undlod at stemme": "undlod",
    "undlod": "undlod",
    "for": "for",
    "imod": "imod",
}


_ORDINAL_WORDS = {
    "første": 1,
    "andet": 2,
    "anden": 2,
    "tredje": 3,
    "fjerde": 4,
    "femte": 5,
    "sjette": 6,
    "syvende": 7,
    "ottende": 8,
    "niende": 9,
    "tiende": 10,
}
_POINT_RESULT = re.compile(
    r"^indstillingens\s+(?:(?P<number>\d{1,2})\.|(?P<word>[a-zæøå]+))\s+at-punkt\s+blev\s+"
    r"(?P<rest>.+?)\.?$",
    re.I,
)


def read_points(text: str) -> tuple[tuple[int, str], ...]:
    """The at-points a decision settles one by one, as (number, what it says of the
    point): "Indstillingens 1. at-punkt blev godkendt uden afstemning." -> (1, "godkendt
    uden afstemning"); "Indstillingens første at-punkt blev forkastet" -> (1, "forkastet").
    A point named twice keeps its first result; any other form yields nothing."""
    found: dict[int, str] = {}
    for line in _runs(plain_lines(text)):
        for sentence in _SENTENCE_END.split(line):
            match = _POINT_RESULT.match(sentence.strip())
            if match is None:
                continue
            word = (match["word"] or "").casefold()
            number = int(match["number"]) if match["number"] else _ORDINAL_WORDS.get(word)
            if number is not None and number >= 1:
                found.setdefault(number, match["rest"].strip())
    return tuple(sorted(found.items()))


@dataclass(frozen=True)
class DecisionStructure:
    remarks: tuple[Remark, ...] = ()
    vote: Vote | None = None
    referred_to: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


def read_structure(
    text: str, *, body: str | None = None, decided_by: str | None = None
) -> DecisionStructure:
    """What ``text`` (a decision of ``body``) states plainly.

    ``decided_by`` is the body the item says takes the decision; an "Indstilles til
    godkendelse" that names no receiver refers the case there when it is another body.
    """
    lines = plain_lines(text)
    sentences = [part for line in _runs(lines) for part in _SENTENCE_END.split(line) if part]
    return DecisionStructure(
        remarks=_remarks(lines, sentences),
        vote=_vote(lines, sentences, body),
        referred_to=_referrals(" ".join(lines), body=body, decided_by=decided_by),
        absent=_absent(sentences),
    )


def _runs(lines: list[str]) -> list[str]:
    """Join lines that continue one sentence ("... til Økonomiudvalget og" / "Borger...")."""
    runs: list[str] = []
    for line in lines:
        continues = runs and (
            line[:1].islower() or runs[-1].endswith(",") or runs[-1].split()[-1] in _JOINERS
        )
        if continues:
            runs[-1] = f"{runs[-1]} {line}"
        else:
            runs.append(line)
    return runs


# ------------------------------------------------------------------------------ remarks


def _remarks(lines: list[str], sentences: list[str]) -> tuple[Remark, ...]:
    remarks: list[Remark] = []
    for index, line in enumerate(lines):
        if (match := _BODY_REMARK.search(line)) is not None:
            following = _until_attendance([match["rest"], *lines[index + 1 :]])
            if following:
                remarks.append(Remark("bemærkning", None, "\n".join(following)))
        elif (match := _PROTOCOL_BY.match(line) or _PROTOCOL_HEAD.match(line)) is not None:
            body = match["text"].strip() or (lines[index + 1] if index + 1 < len(lines) else "")
            author = (match["author"] or "").strip() or None
            if body:
                remarks.append(Remark("protokolbemærkning", author, body))
    remarks.extend(
        Remark("forbehold", match["author"], sentence)
        for sentence in sentences
        if (match := _RESERVATION.match(sentence)) is not None
    )
    return tuple(remarks)


def _until_attendance(lines: list[str]) -> list[str]:
    kept: list[str] = []
    for line in lines:
        if _ABSENT.match(line) or _SIDE_LINE.match(line):
            break
        if line.strip():
            kept.append(line.strip())
    return kept


# ------------------------------------------------------------------------------ absence


def _absent(sentences: list[str]) -> tuple[str, ...]:
    """ "X og Y deltog ikke ...", "Følgende deltog ikke ...: X." -> (X, Y)."""
    names: list[str] = []
    for sentence in sentences:
        match = _ABSENT.match(sentence)
        if match is None:
            continue
        who = match["who"].strip()
        if who.casefold().startswith("følgende"):
            _, colon, after = match["rest"].partition(":")
            who = after if colon else ""
        names.extend(name for name in split_names(who) if name[:1].isupper())
    return tuple(dict.fromkeys(names))


# -------------------------------------------------------------------------------- votes


def _vote(lines: list[str], sentences: list[str], body: str | None) -> Vote | None:
    used: list[str] = []
    sides: list[VoteSide] = []
    majority = False
    for sentence in sentences:
        stance = _STANCE.match(sentence)
        if stance is None:
            continue
        who = stance["who"].strip()
        if who.casefold().startswith("et flertal"):
            majority = True
            used.append(sentence)
            continue
        names = split_names(who)
        if names and all(_is_name(name, body) for name in names):
            side: VoteSideName = "imod" if stance["not"] else "for"
            sides.append(VoteSide(side, None, names, sentence))
            used.append(sentence)
    flat = " ".join(lines).casefold()
    counts, counted_at, of_amendment = _counts(lines)
    if of_amendment and "uden afstemning" in flat:
        # only amendments were counted; the recommendation itself went without a vote
        counts, counted_at = {}, -1
    for line in _side_lines(lines, counted_at):
        match = _SIDE_LINE.match(line)
        if match is None:
            continue
        side_name = _SIDE_NAMES[" ".join(match["side"].casefold().split())]
        count, who = _count_and_groups(match["who"])
        sides.append(
            VoteSide(side_name, count if count is not None else counts.get(side_name), who, line)
        )
        used.append(line)
    counted_sides = {side.side for side in sides}
    for side_name, count in counts.items():
        if side_name not in counted_sides:
            sides.append(VoteSide(side_name, count, (), _count_sentence(sentences, side_name)))
    # a counted vote on the recommendation is its vote, though a point or the amended
    # recommendation went "uden afstemning" afterwards
    without_vote = "uden afstemning" in flat and (counted_at is None or of_amendment)
    unanimous = "enstemmig" in flat
    if not (sides or majority or without_vote or unanimous):
        return None
    context = [s for s in sentences if _mentions_vote(s)]
    return Vote(
        text="\n".join(dict.fromkeys([*context, *used])),
        sides=tuple(sides),
        without_vote=without_vote,
        unanimous=unanimous,
        majority=majority,
    )


def _counts(lines: list[str]) -> tuple[dict[VoteSideName, int], int | None, bool]:
    """The counts of the vote on the recommendation, the line that states them, and whether
    they are an amendment's (no other counts were found).

    Amendments are voted on first ("Ændringsforslaget blev forkastet med 42 stemmer mod 5.
    7 medlemmer undlod at stemme."): the counts are those of the first "med N stemmer mod M"
    that is not about an amendment, with the abstentions said in the same or the next
    sentence; when every count is an amendment's, the first is taken."""
    found: list[tuple[int, str, str]] = []  # (line index, the sentence, what follows it)
    for index, line in enumerate(lines):
        parts = [part for part in _SENTENCE_END.split(line) if part]
        for position, sentence in enumerate(parts):
            if _FOR_AGAINST.search(sentence):
                after = parts[position + 1] if position + 1 < len(parts) else ""
                if not after and index + 1 < len(lines):
                    after = lines[index + 1]
                found.append((index, sentence, after))
    counts: dict[VoteSideName, int] = {}
    if not found:
        if (abstained := _ABSTAINED.search(" ".join(lines))) is not None:
            counts["undlod"] = _count(abstained["count"])
        return counts, None, False
    own = [hit for hit in found if not _AMENDMENT.search(hit[1])]
    index, sentence, after = (own or found)[0]
    match = _FOR_AGAINST.search(sentence)
    assert match is not None
    counts["for"], counts["imod"] = int(match["for"]), int(match["against"])
    abstained = _ABSTAINED.search(sentence) or _ABSTAINED.search(after)
    if abstained is not None:
        counts["undlod"] = _count(abstained["count"])
    return counts, index, not own


def _count(said: str) -> int:
    return 0 if said.casefold() == "ingen" else int(said)


def _side_lines(lines: list[str], counted_at: int | None) -> list[str]:
    """The "For stemte: ..." lines of the counted vote: those right after its line (and its
    abstention sentence); every such line when no count was found."""
    if counted_at is None:
        return [line for line in lines if _SIDE_LINE.match(line)]
    if counted_at < 0:  # the counts found were set aside
        return []
    taken: list[str] = []
    for line in lines[counted_at + 1 :]:
        if _SIDE_LINE.match(line):
            taken.append(line)
        elif taken or not _ABSTAINED.search(line):
            break
    return taken


def _count_and_groups(text: str) -> tuple[int | None, tuple[str, ...]]:
    match = _COUNTED_GROUPS.match(text.strip())
    if match is not None:
        return int(match["count"]), split_names(match["groups"] or "")
    return None, split_names(text)


def _count_sentence(sentences: list[str], side: VoteSideName) -> str:
    pattern = _ABSTAINED if side == "undlod" else _FOR_AGAINST
    return next((s for s in sentences if pattern.search(s)), "")


def _mentions_vote(sentence: str) -> bool:
    folded = sentence.casefold()
    return (
        "uden afstemning" in folded
        or "enstemmig" in folded
        or _FOR_AGAINST.search(sentence) is not None
        or _ABSTAINED.search(sentence) is not None
    )


def _is_name(name: str, body: str | None) -> bool:
    first = name.split(maxsplit=1)[0] if name.split() else ""
    if not first[:1].isupper() or first.casefold() in {"udvalget", "følgende", "der"}:
        return False
    return body is None or name.casefold() != body.casefold()


# --------------------------------------------------------------------------- referrals


def _referrals(text: str, *, body: str | None, decided_by: str | None) -> tuple[str, ...]:
    found: list[str] = []
    for match in _REFERRAL_VERB.finditer(text):
        found.extend(_bodies_after(match["rest"], ("til", "i", "for")))
    for match in _OVER_FOR.finditer(text):
        found.extend(_body_names(match["rest"].split()))
    for match in _FOR_APPROVAL.finditer(text):
        named = _bodies_after(match["rest"], ("i", "til"))
        if named:
            found.extend(named)
        elif decided_by and (body is None or decided_by.casefold() != body.casefold()):
            found.append(decided_by)
    unique = dict.fromkeys(name for name in found if body is None or name != body)
    return tuple(unique)


def _bodies_after(rest: str, prepositions: tuple[str, ...]) -> list[str]:
    """The first run of capitalised words after one of ``prepositions`` in ``rest``."""
    words = rest.split()
    for index, word in enumerate(words[:-1]):
        if word.casefold() in prepositions and words[index + 1][:1].isupper():
            return _body_names(words[index + 1 :])
    return []


def _body_names(words: list[str]) -> list[str]:
    """ "Økonomiudvalget og Borgerrepræsentationen uden ..." -> both names."""
    taken: list[str] = []
    for index, word in enumerate(words):
        bare = word.rstrip(",.;:")
        follows = words[index + 1] if index + 1 < len(words) else ""
        capital = bare[:1].isupper()
        joining = bare == "og" and taken and (follows[:1].isupper())
        if not (capital or joining):
            break
        taken.append(bare)
        if bare != word:  # punctuation ends the name
            break
    return list(split_names(" ".join(taken))) if taken else []
