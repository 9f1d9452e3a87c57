"""The named guards that ``config/workflow.toml`` may attach to a transition.

A guard looks at the :class:`TransitionContext` and returns ``None`` to allow the move or
one sentence saying why not; the machine turns that sentence into a ``GuardRefused``.

Guards read facts, not ORM rows: the context holds the few columns a guard may consult
(the protocols below), which the transition loads as plain tuples. A model instance
(``AgendaItem``, ``Meeting``, ...) has the same attributes and serves as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from council.cases.dates import format_date

ORIENTATION = "orientering"
DECISION = "beslutning"


class ItemFacts(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def committee_id(self) -> int: ...
    @property
    def kind(self) -> str: ...


class CommitteeFacts(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def code(self) -> str: ...


class CompetentFacts(Protocol):
    """The body that decides an item's matter."""

    @property
    def id(self) -> int | None: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...


class MeetingFacts(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def committee_id(self) -> int: ...
    @property
    def date(self) -> date | None: ...
    @property
    def held_at(self) -> datetime | None: ...


class EntryFacts(Protocol):
    @property
    def meeting_id(self) -> int: ...


@dataclass(frozen=True, slots=True)
class TransitionContext:
    """What the guards may consult: the item, its committee and the meeting concerned."""

    item: ItemFacts
    committee: CommitteeFacts
    meeting: MeetingFacts | None = None
    meeting_committee: CommitteeFacts | None = None
    open_entry: EntryFacts | None = None
    last_treated_on: date | None = None
    decided_on: date | None = None
    competent: CompetentFacts | None = None  # None: the item's own committee decides


Guard = Callable[[TransitionContext], str | None]
GUARDS: dict[str, Guard] = {}


def guard(name: str) -> Callable[[Guard], Guard]:
    def register(function: Guard) -> Guard:
        GUARDS[name] = function
        return function

    return register


def _meeting_name(meeting: MeetingFacts, committee: CommitteeFacts | None) -> str:
    code = committee.code if committee else "?"
    return f"the {code} meeting of {format_date(meeting.date)} (meeting {meeting.id})"


@guard("meeting_is_unheld")
def meeting_is_unheld(context: TransitionContext) -> str | None:
    meeting = context.meeting
    if meeting is None:
        return "a meeting is needed: pass --meeting"
    if meeting.held_at is not None:
        return (
            f"{_meeting_name(meeting, context.meeting_committee)} has been held; "
            "choose a meeting that has not been held yet"
        )
    return None


@guard("meeting_of_items_committee")
def meeting_of_items_committee(context: TransitionContext) -> str | None:
    meeting = context.meeting
    if meeting is not None and meeting.committee_id != context.item.committee_id:
        return (
            f"item {context.item.id} belongs to {context.committee.code}, but "
            f"{_meeting_name(meeting, context.meeting_committee)} is another committee's; "
            f"choose a {context.committee.code} meeting"
        )
    return None


@guard("not_before_another_meeting")
def not_before_another_meeting(context: TransitionContext) -> str | None:
    if context.open_entry is not None:
        return (
            f"item {context.item.id} is already before meeting {context.open_entry.meeting_id}; "
            "record a decision there first"
        )
    return None


@guard("meeting_after_last_treatment")
def meeting_after_last_treatment(context: TransitionContext) -> str | None:
    meeting, last = context.meeting, context.last_treated_on
    if (
        meeting is not None
        and meeting.date is not None
        and last is not None
        and meeting.date <= last
    ):
        return (
            f"item {context.item.id} was last treated on {format_date(last)}; "
            "it can only be put before a later meeting"
        )
    return None


@guard("decided_on_or_after_meeting")
def decided_on_or_after_meeting(context: TransitionContext) -> str | None:
    meeting, decided_on = context.meeting, context.decided_on
    if meeting and meeting.date and decided_on and decided_on < meeting.date:
        return (
            f"the decision date {format_date(decided_on)} is before the meeting of "
            f"{format_date(meeting.date)}; give a date on or after the meeting"
        )
    return None


@guard("is_orientation_item")
def is_orientation_item(context: TransitionContext) -> str | None:
    if context.item.kind != ORIENTATION:
        return (
            f"item {context.item.id} is a beslutningssag; only orienteringssager are taken "
            "to note (decide it with godkendt, ikke godkendt or anbefalet)"
        )
    return None


@guard("is_decision_item")
def is_decision_item(context: TransitionContext) -> str | None:
    if context.item.kind != DECISION:
        return (
            f"item {context.item.id} is an orienteringssag; it is taken to note, "
            "not approved, rejected or recommended"
        )
    return None


@guard("committee_is_competent")
def committee_is_competent(context: TransitionContext) -> str | None:
    """Only the body competent for the item's matter gives it a final decision; another
    committee recommends it on (committees.toml says who decides which matter)."""
    competent = context.competent
    if competent is None or competent.id == context.committee.id:
        return None
    own = context.committee.code
    return (
        f"item {context.item.id} is for {competent.name} ({competent.code}) to decide, "
        f"not {own}; {own} can recommend it (anbefalet) to the next body"
    )
