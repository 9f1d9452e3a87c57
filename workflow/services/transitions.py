"""The two moves of an agenda item: put before a meeting (forelæg), and decided there.

Each is one transaction: the item read with what its guards consult, the version the
clerk read checked, the transition chosen by the rulebook and its guards fired, then the
item's state compare-and-set with the agenda entry or decision and its audit entry
(:func:`council.cases.transitions.record_transition`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from council.cases import committees, items, meetings, transitions
from council.cases.dates import format_date, local_date, require_aware, require_plausible
from council.cases.db import UnitOfWork
from council.cases.decision_parts import DecisionParts
from council.cases.errors import ConflictError, InvalidInputError
from council.cases.item_records import AgendaEntryRecord, DecisionRecord, Record
from council.cases.meetings import MeetingRow
from council.cases.transitions import LoadedItem
from council.config.workflow_definition import TransitionDef
from council.workflow.guards import EntryFacts, TransitionContext
from council.workflow.machine import ItemState, Rulebook
from council.workflow.services import decision_rules, referrals
from council.workflow.services.inputs import require_actor
from council.workflow.services.meeting_rules import refuse_cancelled
from council.workflow.services.referrals import FollowOn

MAX_AGENDA_NUMBER = 9999


@dataclass(frozen=True)
class TransitionResult:
    """What a transition did: the item as it found it, the move, and what it recorded.

    ``title`` and ``closed`` are the item's, so that a face can ask
    :mod:`council.workflow.visibility` what of it to show.
    """

    item: LoadedItem
    trigger: str
    to_state: str
    record: Record
    follow_on: FollowOn | None = None  # the next body's item, after a referral

    @property
    def item_id(self) -> int:
        return self.item.id

    @property
    def from_state(self) -> str:
        return self.item.state

    @property
    def version(self) -> int:
        return self.item.version + 1

    @property
    def meeting_id(self) -> int | None:
        return self.record.meeting_id

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def closed(self) -> bool:
        return bool(self.item.closed)

    @property
    def decision(self) -> DecisionRecord | None:
        return self.record if isinstance(self.record, DecisionRecord) else None

    @property
    def agenda_number(self) -> int | None:
        return self.record.number if isinstance(self.record, AgendaEntryRecord) else None

    @property
    def decision_id(self) -> int | None:
        return self.decision.id if self.decision else None

    @property
    def decided_on(self) -> date | None:
        return self.decision.decided_on if self.decision else None

    @property
    def text(self) -> str | None:
        return self.decision.text if self.decision else None


def present_item(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item_id: int,
    meeting_ref: str,
    number: int | None = None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
    unnumbered: bool = False,
) -> TransitionResult:
    """Forelæg: put the item before a meeting of its committee as agenda number ``number``.

    Without ``number`` the item gets the one after the highest on the agenda, unless
    ``unnumbered`` (an imported treatment whose source does not print its number there:
    none is made up).
    """
    actor, now = require_actor(actor), require_aware(now)
    if number is not None and not 1 <= number <= MAX_AGENDA_NUMBER:
        raise InvalidInputError(f"et punktnummer er 1 til {MAX_AGENDA_NUMBER}, ikke {number}")
    with uow:
        item = _read(uow, item_id, expected_version, with_latest_entry=False)
        move = rulebook.presentation(item.state, item.id)
        meeting = meetings.lock_against_change(uow, meetings.row_by_ref(uow, meeting_ref))
        refuse_cancelled(meeting, item.id, act="forelægges")
        open_entry = items.latest_entry(uow, item.id) if _presented(rulebook, item) else None
        to_state = _fire(uow, rulebook, move, item, meeting, open_entry)
        entry = AgendaEntryRecord(
            meeting_id=meeting.id,
            item_id=item.id,
            number=number if number or unnumbered else meetings.claim_next_number(uow, meeting.id),
            from_state=item.state,
            actor=actor,
            presented_at=now,
        )
        result = _recorded(uow, item, move, to_state, entry)
        uow.commit()
    return result


def decide_item(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item_id: int,
    outcome: str | None,
    text: str | None = None,
    decided_on: date | None = None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
    classified: bool = True,
    date_unknown: bool = False,
    referred_to: tuple[str, ...] = (),
    refer_to_codes: tuple[str, ...] = (),
    parts: DecisionParts = DecisionParts(),
    parts_in_text: bool = False,
) -> TransitionResult:
    """Record the committee's decision on an item: its outcome and the verbatim text (the
    state's standard sentence when none is given), at the meeting it is before.

    ``classified=False`` keeps the text of a decision whose wording no phrase recognised
    (an import); its outcome is then stored as unknown while the state still moves.
    ``date_unknown=True`` stores no decision date (a source that does not give it) instead
    of defaulting to the meeting's date or today. ``referred_to`` names the bodies the
    decision sends the case on to, as the source writes them; ``refer_to_codes`` names them
    by committee code (a clerk's), each one a configured committee.

    ``parts`` are the vote, amendments, remarks, results point by point and who did not
    take part (:mod:`council.cases.decision_parts`), checked against the committee (its
    seats) and the item (its at-points). A typed decision's text is its sentence with the
    parts worded after Copenhagen's minutes; ``parts_in_text`` says the text already words
    them (an import, verbatim). With results point by point, ``outcome`` may be None: the
    points give it by ``[workflow] point_rule``, and an outcome that contradicts them is
    refused. A decision whose outcome refers (``[workflow] refers``) gives the next body
    of the route an item of the case (:mod:`.referrals`).
    """
    actor, now = require_actor(actor), require_aware(now)
    if decided_on is not None:
        require_plausible(decided_on, what=f"beslutningsdatoen {format_date(decided_on)}")
    with uow:
        item = _read(uow, item_id, expected_version, with_latest_entry=True)
        if refer_to_codes:
            named = referrals.bodies(uow, refer_to_codes)
            referred_to = (*referred_to, *(committee.name for committee in named))
        outcome = _checked_outcome(uow, rulebook, item, outcome, parts, typed=not parts_in_text)
        move = rulebook.decision(item.state, outcome, item.id)
        # before a meeting, the item's latest agenda entry is the open one, at that meeting
        presented = _presented(rulebook, item)
        entry, meeting = (item.latest_entry, item.latest_meeting) if presented else (None, None)
        if meeting is not None:  # held against a cancellation until the decision is stored
            meeting = meetings.lock_against_change(uow, meeting)
            refuse_cancelled(meeting, item.id, act="besluttes")
        on = None if date_unknown else decided_on or _date_of(meeting) or local_date(now)
        to_state = _fire(uow, rulebook, move, item, meeting, entry, decided_on=on)
        target = referrals.next_body(
            uow, rulebook, item=item, to_state=to_state, referred_to=referred_to
        )
        if refer_to_codes and target is None:
            raise InvalidInputError(
                "--to angiver, hvor en anbefaling sendes hen; "
                f"'{rulebook.label(to_state).lower()}' "
                "sender ikke sagen videre"
            )
        if target is not None and not referred_to:  # where the case went, by the route
            referred_to = (target.name,)
        decision = DecisionRecord(
            item_id=item.id,
            meeting_id=meeting.id if meeting else None,
            decided_on=on,
            trigger=move.trigger,
            from_state=item.state,
            to_state=to_state,
            outcome=move.dest if classified else None,
            text=_text(
                rulebook,
                move,
                text,
                parts,
                parts_in_text=parts_in_text,
                onward=target.name if target is not None else None,
            ),
            actor=actor,
            recorded_at=now,
            referred_to=list(referred_to) or None,
            **parts.columns(),
        )
        result = _recorded(uow, item, move, to_state, decision)
        follow_on = None
        if target is not None and result.decision is not None:
            follow_on = referrals.refer_on(
                uow,
                rulebook,
                item=item,
                target=target,
                decision_id=result.decision.id,
                actor=actor,
                now=now,
            )
        uow.commit()
    return replace(result, follow_on=follow_on)


def _checked_outcome(
    uow: UnitOfWork,
    rulebook: Rulebook,
    item: LoadedItem,
    outcome: str | None,
    parts: DecisionParts,
    *,
    typed: bool,
) -> str:
    """The outcome to record: the one given, or the one the points give; refused when the
    parts cannot be true of the item or contradict the outcome."""
    points = len(items.recommendation_of(uow, item.id)) if parts.points else 0
    members = committees.members_of(uow, item.committee_id) if parts else None
    return judged_outcome(
        rulebook,
        outcome,
        parts,
        item_id=item.id,
        committee_code=item.committee.code,
        members=members,
        points=points,
        typed=typed,
    )


def judged_outcome(
    rulebook: Rulebook,
    outcome: str | None,
    parts: DecisionParts,
    *,
    item_id: int,
    committee_code: str,
    members: int | None,
    points: int,
    typed: bool,
) -> str:
    """As :func:`_checked_outcome`, on the facts it reads: the committee's seats
    (``members``) and the item's number of at-points (``points``)."""
    if parts:
        decision_rules.check_parts(
            parts,
            item_id=item_id,
            committee_code=committee_code,
            members=members,
            points=points,
            typed=typed,
        )
    given = rulebook.outcome_of(outcome) if outcome is not None else None
    from_points = decision_rules.outcome_from_points(rulebook, parts.points, count=points)
    # an import keeps the outcome its phrase table read; the points stay beside it
    if typed and from_points is not None and given is not None and given != from_points:
        rule = rulebook.definition.point_rule
        raise InvalidInputError(
            f"resultaterne at-punkt for at-punkt gør punkt-id {item_id} "
            f"'{rulebook.label(from_points).lower()}' ([workflow] point_rule = \"{rule}\" i "
            f"{rulebook.definition.path.name}), ikke '{rulebook.label(given).lower()}'; "
            "afgør det sådan, eller ret at-punkterne"
        )
    chosen = given or from_points
    if chosen is None:
        raise InvalidInputError(
            "angiv udfaldet (fx godkendt) eller resultater at-punkt for at-punkt, der afgør det"
        )
    return chosen


def _read(
    uow: UnitOfWork, item_id: int, expected_version: int | None, *, with_latest_entry: bool
) -> LoadedItem:
    """The item; a clerk who read an older version is told so before anything is judged."""
    item = transitions.load(uow, item_id, with_latest_entry=with_latest_entry)
    if expected_version is not None and expected_version != item.version:
        raise ConflictError(item.id, expected_version, item.version)
    return item


def _presented(rulebook: Rulebook, item: LoadedItem) -> bool:
    """Whether the item is before a meeting now (its latest agenda entry is open)."""
    return item.state in rulebook.presented_states


def _fire(
    uow: UnitOfWork,
    rulebook: Rulebook,
    move: TransitionDef,
    item: LoadedItem,
    meeting: MeetingRow | None,
    open_entry: EntryFacts | None,
    *,
    decided_on: date | None = None,
) -> str:
    """Run ``move``'s guards on what they consult; the state it leads to (refusals raise)."""
    committee = item.committee
    if meeting is None or meeting.committee_id == committee.id:
        meeting_committee = committee
    else:
        meeting_committee = committees.row(uow, meeting.committee_id)
    context = TransitionContext(
        item=item,
        committee=committee,
        meeting=meeting,
        meeting_committee=meeting_committee,
        open_entry=open_entry,
        last_treated_on=item.last_treated_on,
        decided_on=decided_on,
        competent=item.competent,
    )
    holder = ItemState(item.state)
    rulebook.fire(move, holder, context)
    return holder.state


fire_guards = _fire
"""Run a move's guards on what they consult (a correction judges its outcome so)."""


def _date_of(meeting: MeetingRow | None) -> date | None:
    return meeting.date if meeting else None


def _text(
    rulebook: Rulebook,
    move: TransitionDef,
    text: str | None,
    parts: DecisionParts,
    *,
    parts_in_text: bool,
    onward: str | None,
) -> str:
    """The decision's text: a source's verbatim, or a clerk's sentence (the standard one by
    default) with the parts worded around it and, for a referral, where the case goes."""
    sentence = text if text is not None else rulebook.standard_sentence(move.dest)
    if sentence is None or not sentence.strip():
        raise InvalidInputError(
            f"'{rulebook.label(move.dest)}' har ingen standardsætning; angiv beslutningen med "
            "--text"
        )
    if parts_in_text:
        return sentence
    if onward is not None and onward.casefold() in sentence.casefold():
        onward = None  # the clerk's sentence says where it goes
    return decision_rules.worded(rulebook, parts, sentence, onward=onward)


def _recorded(
    uow: UnitOfWork,
    item: LoadedItem,
    move: TransitionDef,
    to_state: str,
    record: Record,
) -> TransitionResult:
    written = transitions.record_transition(
        uow, item, record, trigger=move.trigger, to_state=to_state
    )
    return TransitionResult(item, move.trigger, to_state, written)
