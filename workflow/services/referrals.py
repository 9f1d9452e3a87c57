"""Referral chains: a committee that recommends a case on (anbefalet, oversendt) hands it
to the next body of the route, which gets an item of the same case waiting for its next
meeting.

The next body is the first the decision names ("oversendt til Økonomiudvalget og
Borgerrepræsentationen": Økonomiudvalget) that is another configured committee, else the
committee's own ``recommends_to`` in ``config/committees.toml`` (a specialist committee →
ØU → BR). Which outcomes refer is ``[workflow] refers`` in ``config/workflow.toml``. When
that body already has an open item of the case (an import that drafted it, a second
committee recommending the same case), no second one is made. The new item carries the
referring item's texts and competent body, and names the decision that made it
(``referred_from``), so the chain can be read back from the records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from council.cases import attachments, case_records, committees, item_texts, items
from council.cases.db import UnitOfWork
from council.cases.errors import NotFoundError
from council.cases.importers.committee_names import CommitteeRef, Committees
from council.cases.models import Committee
from council.cases.transitions import LoadedItem
from council.workflow.machine import Rulebook


@dataclass(frozen=True)
class FollowOn:
    """The next body's item of the case: made by this referral (``created``) or found."""

    item_id: int
    committee_code: str
    created: bool


def bodies(uow: UnitOfWork, codes: Sequence[str]) -> list[Committee]:
    """The committees ``codes`` name, for a typed referral; an unknown code is refused."""
    every = committees.every(uow.session)
    by_code = {committee.code: committee for committee in every}
    found = []
    for code in codes:
        committee = by_code.get(code.strip().upper())
        if committee is None:
            raise NotFoundError("committee", code, known=[c.code for c in every])
        found.append(committee)
    return found


def next_body(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item: LoadedItem,
    to_state: str,
    referred_to: Sequence[str],
) -> committees.CommitteeLine | None:
    """The body a decision moving ``item`` to ``to_state`` sends the case on to; None when
    the outcome does not refer or neither the decision nor the route names another body."""
    if to_state not in rulebook.definition.refers:
        return None
    every = committees.lines(uow)
    by_code = {committee.code: committee for committee in every}
    known = Committees(CommitteeRef(c.code, c.name, c.administration, c.names[1:]) for c in every)
    for name in referred_to:
        named = known.find(name)
        if named is not None and named.code != item.committee_code:
            return by_code[named.code]
    own = by_code.get(item.committee_code or "")
    if own is None or own.recommends_to is None:
        return None
    return by_code.get(own.recommends_to)


def refer_on(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item: LoadedItem,
    target: committees.CommitteeLine,
    decision_id: int,
    actor: str,
    now: datetime,
) -> FollowOn:
    """The next body's item of the case after the decision ``decision_id`` referred it
    to ``target`` (:func:`next_body`): made now, or the one already waiting there."""
    definition = rulebook.definition
    session = uow.session
    assert target.id is not None
    waiting = items.open_of_case(
        session, case_id=item.case_id, committee_id=target.id, final_states=definition.final_states
    )
    if waiting is not None:
        assert waiting.id is not None
        return FollowOn(waiting.id, target.code, created=False)
    source = items.by_id(session, item.id)
    sections, _version = item_texts.sections_of(session, item.id)
    # the next body gets the bilag still on the item, not those taken off it
    sections = replace(
        sections, attachments=tuple(line.title for line in attachments.of_item(session, item.id))
    )
    competent = (
        committees.by_id(session, item.competent_committee_id)
        if item.competent_committee_id is not None
        else None
    )
    case = case_records.by_id(session, item.case_id)
    assert case.id is not None and target.id is not None
    made = items.draft(
        uow,
        case=case_records.CaseRef(case.id, case.number),
        committee=committees.CommitteeRow(target.id, target.code),
        title=source.title,
        kind=source.kind,
        closed=source.closed,
        sections=sections,
        state=definition.initial,
        actor=actor,
        now=now,
        competent=(
            committees.CommitteeRow(competent.id, competent.code)
            if competent is not None and competent.id is not None and competent.id != target.id
            else None
        ),
        referred_from=decision_id,
    )
    assert made.id is not None
    return FollowOn(made.id, target.code, created=True)
