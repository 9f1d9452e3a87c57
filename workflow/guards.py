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
    return f"{code}-mødet den {format_date(meeting.date)} (møde {meeting.id})"


@guard("meeting_is_unheld")
def meeting_is_unheld(context: TransitionContext) -> str | None:
    meeting = context.meeting
    if meeting is None:
        return "der skal angives et møde: brug --meeting"
    if meeting.held_at is not None:
        return (
            f"{_meeting_name(meeting, context.meeting_committee)} er allerede holdt; "
            "vælg et møde, der ikke er holdt endnu"
        )
    return None


@guard("meeting_of_items_committee")
def meeting_of_items_committee(context: TransitionContext) -> str | None:
    meeting = context.meeting
    if meeting is not None and meeting.committee_id != context.item.committee_id:
        return (
            f"punkt-id {context.item.id} hører til {context.committee.code}, men "
            f"{_meeting_name(meeting, context.meeting_committee)} er et andet udvalgs; "
            f"vælg et {context.committee.code}-møde"
        )
    return None


@guard("not_before_another_meeting")
def not_before_another_meeting(context: TransitionContext) -> str | None:
    if context.open_entry is not None:
        return (
            f"punkt-id {context.item.id} står allerede på møde {context.open_entry.meeting_id}; "
            "registrér en beslutning dér først"
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
            f"punkt-id {context.item.id} blev senest behandlet den {format_date(last)}; "
            "det kan kun forelægges et senere møde"
        )
    return None


@guard("decided_on_or_after_meeting")
def decided_on_or_after_meeting(context: TransitionContext) -> str | None:
    meeting, decided_on = context.meeting, context.decided_on
    if meeting and meeting.date and decided_on and decided_on < meeting.date:
        return (
            f"beslutningsdatoen {format_date(decided_on)} ligger før mødet den "
            f"{format_date(meeting.date)}; angiv en dato på eller efter mødet"
        )
    return None


@guard("is_orientation_item")
def is_orientation_item(context: TransitionContext) -> str | None:
    if context.item.kind != ORIENTATION:
        return (
            f"punkt-id {context.item.id} er en beslutningssag; kun orienteringssager tages til "
            "efterretning (afgør den med godkendt, ikke godkendt eller anbefalet)"
        )
    return None


@guard("is_decision_item")
def is_decision_item(context: TransitionContext) -> str | None:
    if context.item.kind != DECISION:
        return (
            f"punkt-id {context.item.id} er en orienteringssag; den tages til efterretning, "
            "den godkendes, forkastes eller anbefales ikke"
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
        f"punkt-id {context.item.id} afgøres af {competent.name} ({competent.code}), "
        f"ikke af {own}; {own} kan anbefale det (anbefalet) videre"
    )
