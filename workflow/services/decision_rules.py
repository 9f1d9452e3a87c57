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
    Remark,
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
    if typed:
        _check_plain(parts)
    if parts.votes is not None:
        _check_votes(parts.votes, committee_code, members, what="afstemningen")
    for number, amendment in enumerate(parts.amendments, start=1):
        _check_amendment(amendment, number, committee_code, members)
    for remark in parts.remarks:
        _check_remark(remark, typed=typed)
    _check_points(parts, item_id, committee_code, members, points, typed=typed)
    for absent in parts.attendance:
        if not absent.name.strip():
            raise InvalidInputError("et medlem, der ikke deltog, skal nævnes ved navn")


def _check_plain(parts: DecisionParts) -> None:
    """A clerk's names and texts hold no control or invisible characters."""
    for what, value in _written(parts):
        hidden = next((c for c in value if unicodedata.category(c) in _UNPRINTABLE), None)
        if hidden is not None:
            raise InvalidInputError(
                f"{what} «{_short(value.replace(hidden, ' '))}» indeholder et usynligt tegn eller "
                f"styretegn (U+{ord(hidden):04X}); skriv det som almindelig tekst"
            )


def _check_remark(remark: Remark, *, typed: bool) -> None:
    if remark.kind not in REMARK_KINDS:
        raise InvalidInputError(f"en bemærkning er {', '.join(REMARK_KINDS)}, ikke '{remark.kind}'")
    unsigned = not (remark.author or "").strip()
    if typed and remark.kind != "bemærkning" and unsigned:
        raise InvalidInputError(
            f"{remark.kind} «{_short(remark.text)}» nævner ingen afsender; "
            "skriv den som 'Enhedslisten: ...' (hvem, et kolon, så teksten)"
        )
    if not remark.text.strip():
        raise InvalidInputError(f"bemærkningen fra {remark.author} har ingen tekst")


def _check_points(
    parts: DecisionParts,
    item_id: int,
    committee_code: str,
    members: int | None,
    points: int,
    *,
    typed: bool,
) -> None:
    """Each at-point given a result once, and only points the item has (an import keeps a
    result the minutes give for a point beyond the recommendation's)."""
    seen: set[int] = set()
    for point in parts.points:
        if point.point < 1 or (typed and point.point > points):
            has = (
                f"har {points} at-punkt{'er' if points != 1 else ''}"
                if points
                else "har ingen at-punkter"
            )
            raise InvalidInputError(
                f"punkt-id {item_id} {has}; der er intet at-punkt {point.point} at give et resultat"
            )
        if point.point in seen:
            raise InvalidInputError(f"at-punkt {point.point} har fået to resultater; giv ét")
        seen.add(point.point)
        if point.votes is not None:
            _check_votes(
                point.votes, committee_code, members, what=f"afstemningen om at-punkt {point.point}"
            )


_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _written(parts: DecisionParts) -> Iterator[tuple[str, str]]:
    """Every name and text of the parts, with what it is."""
    votes = [parts.votes] if parts.votes else []
    votes += [a.votes for a in parts.amendments if a.votes]
    votes += [p.votes for p in parts.points if p.votes]
    for vote in votes:
        for group in (*vote.groups_for, *vote.groups_against, *vote.groups_abstained):
            yield "et parti eller medlem i afstemningen", group
    for amendment in parts.amendments:
        yield "ændringsforslagets stiller", amendment.proposer or ""
        yield "et ændringsforslag", amendment.text
        yield "det, et ændringsforslag erstatter", amendment.replaces or ""
    for remark in parts.remarks:
        yield "en bemærknings afsender", remark.author or ""
        yield "en bemærkning", remark.text
    for absent in parts.attendance:
        yield "et medlem, der ikke deltog", absent.name


def _check_votes(votes: Votes, committee_code: str, members: int | None, *, what: str) -> None:
    if votes.mode not in VOTE_MODES:
        raise InvalidInputError(f"{what} er {', '.join(VOTE_MODES)}, ikke '{votes.mode}'")
    for side, count in (
        ("for", votes.for_count),
        ("imod", votes.against),
        ("undlod", votes.abstained),
    ):
        if count is not None and count < 0:
            raise InvalidInputError(f"{what} tæller {count} {side}; et antal er 0 eller mere")
    if members is not None and votes.counted > members:
        raise InvalidInputError(
            f"{what} tæller {votes.counted} medlemmer, men {committee_code} har {members} "
            "pladser; tjek tallene"
        )


def _check_amendment(
    amendment: Amendment, number: int, committee_code: str, members: int | None
) -> None:
    label = amendment.label or f"ÆF{number}"
    if not amendment.text.strip():
        raise InvalidInputError(f"ændringsforslag {label} har ingen tekst")
    if amendment.result is not None and amendment.result not in AMENDMENT_RESULTS:
        raise InvalidInputError(
            f"ændringsforslag {label} blev {', '.join(AMENDMENT_RESULTS)}, ikke "
            f"'{amendment.result}'"
        )
    if amendment.votes is not None:
        _check_votes(amendment.votes, committee_code, members, what=f"afstemningen om {label}")


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
