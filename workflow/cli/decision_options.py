"""What ``council item decide`` is told of a decision's parts, read into
:class:`~council.cases.decision_parts.DecisionParts`.

The forms (each explained in the command's help):

* ``--for 8 --against 3 --abstain 0``, ``--for-groups F,B,A,Ø`` (and ``--against-groups``,
  ``--abstain-groups``), ``--without-vote``, ``--unanimous``;
* ``--remark "Enhedslisten: ..."``: who, a colon, the text (a remark without an author is
  refused by the act, not here);
* ``--amendment "Det Konservative Folkeparti [som nyt at-punkt]: at ... => forkastet 2-9-0"``:
  who, optionally what it replaces or adds to in brackets, a colon, the text, optionally
  ``=>`` and the result with the vote for-imod-undlod;
* ``--point 2=forkastet``: an at-point's result as an outcome word;
* ``--inhabil NAME`` and ``--absent NAME``: who did not take part in the item.

Only the shape is read here; whether the parts can be true (counts, seats, points, authors)
is the act's to judge (``workflow.services.decision_rules``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from council.cases.decision_parts import (
    Amendment,
    Attendance,
    DecisionParts,
    PointResult,
    Remark,
    Votes,
)
from council.cases.errors import InvalidInputError
from council.workflow.machine import Rulebook

_AMENDMENT = re.compile(
    r"^(?P<proposer>[^:\[\]]+?)\s*(?:\[(?P<replaces>[^\]]+)\])?\s*:\s*(?P<text>.+?)"
    r"(?:\s*=>\s*(?P<result>[a-zæøå ]+?)(?:\s+(?P<votes>-?\d+-\d+(?:-\d+)?))?)?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_POINT = re.compile(r"^\s*(?P<point>-?\d+)\s*=\s*(?P<result>\S.*?)\s*$")
_RESULTS = {"vedtaget": "vedtaget", "godkendt": "vedtaget", "forkastet": "forkastet"}
_RESULTS |= {"trukket": "trukket", "trukket tilbage": "trukket", "afvist": "forkastet"}


def parts_from_options(
    rulebook: Rulebook,
    *,
    votes_for: int | None,
    against: int | None,
    abstain: int | None,
    for_groups: str | None,
    against_groups: str | None,
    abstain_groups: str | None,
    without_vote: bool,
    unanimous: bool,
    remarks: Sequence[str],
    amendments: Sequence[str],
    points: Sequence[str],
    inhabil: Sequence[str],
    absent: Sequence[str],
) -> DecisionParts:
    """The parts the options describe; a malformed option is one line saying its form."""
    if without_vote and unanimous:
        raise InvalidInputError(
            "en beslutning træffes --without-vote eller --unanimous, ikke begge"
        )
    counted = (votes_for, against, abstain, for_groups, against_groups, abstain_groups)
    votes = None
    if any(value is not None for value in counted) or without_vote or unanimous:
        votes = Votes(
            for_count=votes_for,
            against=against,
            abstained=abstain,
            groups_for=_groups(for_groups),
            groups_against=_groups(against_groups),
            groups_abstained=_groups(abstain_groups),
            mode="uden_afstemning" if without_vote else "enstemmigt" if unanimous else "afstemning",
        )
    return DecisionParts(
        votes=votes,
        amendments=tuple(_amendment(text, number) for number, text in enumerate(amendments, 1)),
        remarks=tuple(_remark(text) for text in remarks),
        points=tuple(_point(rulebook, text) for text in points),
        attendance=(
            *(Attendance(name.strip(), "inhabil") for name in inhabil),
            *(Attendance(name.strip(), "fraværende") for name in absent),
        ),
    )


def _groups(text: str | None) -> tuple[str, ...]:
    return tuple(group.strip() for group in (text or "").split(",") if group.strip())


def _remark(text: str) -> Remark:
    author, colon, said = text.partition(":")
    if not colon:
        return Remark(None, text.strip())
    return Remark(author.strip() or None, said.strip())


def _amendment(text: str, number: int) -> Amendment:
    match = _AMENDMENT.match(text.strip())
    if match is None:
        raise InvalidInputError(
            f"--amendment {text!r} er ikke 'HVEM: TEKST' (eventuelt 'HVEM [som nyt at-punkt]: "
            "TEKST => forkastet 2-9-0')"
        )
    result = None
    if match["result"]:
        result = _RESULTS.get(" ".join(match["result"].casefold().split()))
        if result is None:
            raise InvalidInputError(
                f"ændringsforslag {number}: '{match['result']}' er intet resultat; brug vedtaget, "
                "forkastet eller trukket"
            )
    votes = None
    if match["votes"]:
        if match["votes"].startswith("-"):
            raise InvalidInputError(
                f"ændringsforslag {number}: afstemningen {match['votes']} tæller under 0; et antal "
                "er 0 eller mere"
            )
        counts = [int(n) for n in match["votes"].split("-")]
        counts += [0] * (3 - len(counts))
        votes = Votes(for_count=counts[0], against=counts[1], abstained=counts[2])
    return Amendment(
        text=match["text"].strip(),
        proposer=match["proposer"].strip(),
        label=f"ÆF{number}",
        replaces=_placement(match["replaces"]),
        result=result,
        votes=votes,
    )


def _placement(text: str | None) -> str | None:
    """ "som nyt at-punkt" or "nyt at-punkt" -> "nyt at-punkt"."""
    if not text or not text.strip():
        return None
    words = text.split()
    return " ".join(words[1:] if words[0].casefold() == "som" else words) or None


def _point(rulebook: Rulebook, text: str) -> PointResult:
    match = _POINT.match(text)
    if match is None:
        raise InvalidInputError(f"--point {text!r} er ikke N=RESULTAT, fx --point 2=forkastet")
    return PointResult(int(match["point"]), rulebook.outcome_of(match["result"]))
