"""The rules a decision's parts must keep, and what the parts say of the outcome.

A vote cannot count more members than the committee has seats, nor a negative number; a
protocol remark or reservation names who made it; a result point by point names an at-point
the item has. What the points decide is a rule of ``config/workflow.toml``
(``[workflow] point_rule``), never a guess: with ``first`` the first at-point's result is
the item's, so a committee that rejects it rejects the item.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

from council.cases.decision_parts import (
    REMARK_KINDS,
    VOTE_MODES,
    Amendment,
    DecisionParts,
    PointResult,
    Votes,
    copenhagen_lines,
)
from council.cases.errors import InvalidInputError
from council.workflow.machine import Rulebook

AMENDMENT_RESULTS = ("vedtaget", "forkastet", "trukket")


def check_parts(
    parts: DecisionParts,
    *,
    item_id: int,
    committee_code: str,
    members: int | None,
    points: int,
    typed: bool = True,
) -> None:
    """Refuse parts that cannot be true of item ``item_id`` of ``committee_code`` (which
    has ``members`` seats, None when not configured, and ``points`` at-points).

    ``typed=False`` (an import, which keeps what the minutes say) accepts a protocol remark
    whose author the source leaves out and the line breaks of a source's text; a clerk's
    remark names its author, and a clerk's names and texts hold no control characters."""
    for what, value in _written(parts) if typed else ():
        hidden = next((c for c in value if unicodedata.category(c) in _UNPRINTABLE), None)
        if hidden is not None:
            raise InvalidInputError(
                f"{what} «{_short(value.replace(hidden, ' '))}» holds an invisible or control "
                f"character (U+{ord(hidden):04X}); write it in plain text"
            )
    if parts.votes is not None:
        _check_votes(parts.votes, committee_code, members, what="the vote")
    for number, amendment in enumerate(parts.amendments, start=1):
        _check_amendment(amendment, number, committee_code, members)
    for remark in parts.remarks:
        if remark.kind not in REMARK_KINDS:
            raise InvalidInputError(f"a remark is a {', '.join(REMARK_KINDS)}, not '{remark.kind}'")
        unsigned = not (remark.author or "").strip()
        if typed and remark.kind != "bemærkning" and unsigned:
            raise InvalidInputError(
                f"the {remark.kind} «{_short(remark.text)}» names no author; "
                "write it as 'Enhedslisten: ...' (who, a colon, then the text)"
            )
        if not remark.text.strip():
            raise InvalidInputError(f"the remark of {remark.author} has no text")
    seen: set[int] = set()
    for point in parts.points:
        if point.point < 1 or (typed and point.point > points):
            has = f"has {points} at-point{'s' if points != 1 else ''}" if points else "has none"
            raise InvalidInputError(
                f"item {item_id} {has}; there is no at-point {point.point} to give a result"
            )
        if point.point in seen:
            raise InvalidInputError(f"at-point {point.point} is given two results; give one")
        seen.add(point.point)
        if point.votes is not None:
            _check_votes(
                point.votes, committee_code, members, what=f"the vote on point {point.point}"
            )
    for absent in parts.attendance:
        if not absent.name.strip():
            raise InvalidInputError("a member who did not take part must be named")


_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _written(parts: DecisionParts) -> Iterator[tuple[str, str]]:
    """Every name and text of the parts, with what it is."""
    votes = [parts.votes] if parts.votes else []
    votes += [a.votes for a in parts.amendments if a.votes]
    votes += [p.votes for p in parts.points if p.votes]
    for vote in votes:
        for group in (*vote.groups_for, *vote.groups_against, *vote.groups_abstained):
            yield "a party or member of the vote", group
    for amendment in parts.amendments:
        yield "an amendment's proposer", amendment.proposer or ""
        yield "an amendment", amendment.text
        yield "what an amendment replaces", amendment.replaces or ""
    for remark in parts.remarks:
        yield "a remark's author", remark.author or ""
        yield "a remark", remark.text
    for absent in parts.attendance:
        yield "a member who did not take part", absent.name


def _check_votes(votes: Votes, committee_code: str, members: int | None, *, what: str) -> None:
    if votes.mode not in VOTE_MODES:
        raise InvalidInputError(f"{what} is {', '.join(VOTE_MODES)}, not '{votes.mode}'")
    for side, count in (
        ("for", votes.for_count),
        ("imod", votes.against),
        ("undlod", votes.abstained),
    ):
        if count is not None and count < 0:
            raise InvalidInputError(f"{what} counts {count} {side}; a count is 0 or more")
    if members is not None and votes.counted > members:
        raise InvalidInputError(
            f"{what} counts {votes.counted} members, but {committee_code} has {members} seats; "
            "check the counts"
        )


def _check_amendment(
    amendment: Amendment, number: int, committee_code: str, members: int | None
) -> None:
    label = amendment.label or f"ÆF{number}"
    if not amendment.text.strip():
        raise InvalidInputError(f"amendment {label} has no text")
    if amendment.result is not None and amendment.result not in AMENDMENT_RESULTS:
        raise InvalidInputError(
            f"amendment {label} was {', '.join(AMENDMENT_RESULTS)}, not '{amendment.result}'"
        )
    if amendment.votes is not None:
        _check_votes(amendment.votes, committee_code, members, what=f"the vote on {label}")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def outcome_from_points(
    rulebook: Rulebook, points: Sequence[PointResult], *, count: int
) -> str | None:
    """The outcome the points give by ``[workflow] point_rule``; None: they do not decide.

    ``count`` is how many at-points the item has."""
    rule = rulebook.definition.point_rule
    results = {point.point: point.result for point in points}
    if rule == "first":
        return results.get(1)
    if rule == "all" and count and len(results) == count:
        outcomes = set(results.values())
        if outcomes == {"godkendt"}:
            return "godkendt"
        if "ikke_godkendt" in outcomes:
            return "ikke_godkendt"
    return None


def worded(
    rulebook: Rulebook, parts: DecisionParts, sentence: str, *, onward: str | None = None
) -> str:
    """A typed decision's text: ``sentence`` with its parts as Copenhagen words them, and
    where a referral sends the case (``onward``, a body's name)."""
    if not parts and onward is None:
        return sentence
    words = {name: state.label.lower() for name, state in rulebook.definition.states.items()}
    return "\n".join(copenhagen_lines(parts, sentence, outcome_words=words, onward=onward))
