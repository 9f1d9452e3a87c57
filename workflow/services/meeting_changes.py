"""Correcting the calendar of meetings: an item moved to another meeting, a meeting given
a new date, cancelled (aflyst) or planned again. Each is one audited change; nothing is
deleted, and what was before stays in the trail.

The rules:

- An item is moved only while it is before a meeting that is not held (put before it and
  not decided there), and only to a planned meeting of its own committee dated after the
  meetings that treated it before. Another committee's meeting is refused: an item is one
  committee's treatment of a case (its obligations, referrals and competence are that
  committee's), so an item put before the wrong committee is withdrawn and drafted anew
  for the right one, and both acts stay in the trail.
- A meeting is rescheduled or cancelled only while it is planned and no decision is
  recorded at it (a meeting that decided something took place); a new date must be free
  for the committee and after the meetings that treated its items before.
- Reopening makes a held or cancelled meeting planned again. It never touches a decision:
  those recorded at a held meeting stay, and are in its minutes when it is closed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from council.cases import agenda_moves, audit, committees, items, meetings, transitions
from council.cases.agenda_moves import Placement
from council.cases.dates import format_long_date, require_aware, require_plausible
from council.cases.db import UnitOfWork
from council.cases.errors import ConflictError
from council.cases.models import Meeting
from council.workflow.errors import MeetingChangeRefused
from council.workflow.machine import Rulebook
from council.workflow.services.inputs import require_actor
from council.workflow.services.meeting_rules import (
    clock,
    named,
    reason_given,
    status_word,
)


@dataclass(frozen=True)
class MovedItem:
    """An item moved: from which meeting to which, its new agenda number and version."""

    item_id: int
    from_meeting: int
    to_meeting: int
    number: int | None
    version: int
    placements: tuple[Placement, ...]


@dataclass(frozen=True)
class WaitingItem:
    """An item that was on a cancelled meeting's agenda (ask visibility what to show)."""

    item_id: int
    title: str
    closed: bool


@dataclass(frozen=True)
class Cancelled:
    """A meeting cancelled: the items left on its agenda, the committee's next planned
    meeting they are offered to (None: there is none), and those moved there."""

    meeting: Meeting
    committee_code: str
    waiting: tuple[WaitingItem, ...]
    next_meeting: Meeting | None
    moved: tuple[MovedItem, ...] = ()


def move_item(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item_id: int,
    meeting_ref: str,
    reason: str | None = None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
    from_meeting: int | None = None,
) -> MovedItem:
    """Take the item off the agenda of the meeting it is before and put it last on the
    agenda of another planned meeting of its committee (``from_meeting``: only if it is
    before that one)."""
    actor, now = require_actor(actor), require_aware(now)
    with uow:
        target = meetings.by_ref(uow.session, meeting_ref)
        moved = _move(
            uow, rulebook, item_id, target, reason, actor, now, expected_version, from_meeting
        )
        uow.commit()
    return moved


def _move(
    uow: UnitOfWork,
    rulebook: Rulebook,
    item_id: int,
    target: Meeting,
    reason: str | None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
    from_meeting: int | None = None,
) -> MovedItem:
    assert target.id is not None
    reason = reason_given(reason, meeting_id=target.id, required=None)
    item = transitions.load(uow, item_id, with_latest_entry=True)
    if expected_version is not None and expected_version != item.version:
        raise ConflictError(item.id, expected_version, item.version)
    source, entry = item.latest_meeting, item.latest_entry
    if item.state not in rulebook.presented_states or source is None or entry is None:
        raise _refused(
            item.id,
            target,
            f"punkt-id {item.id} står ikke på et mødes dagsorden og venter på en beslutning "
            f"(det er {rulebook.label(item.state).lower()}); kun et forelagt punkt flyttes",
        )
    if from_meeting is not None and source.id != from_meeting:
        raise _refused(
            item.id,
            target,
            f"punkt-id {item.id} står ikke (længere) på dagsordenen for møde {from_meeting}",
        )
    if source.held_at is not None:
        raise _refused(
            item.id,
            target,
            f"punkt-id {item.id} står på {named(source)}, som er afholdt; "
            "et punkt flyttes kun, før mødet holdes",
        )
    if target.id == source.id:
        raise _refused(item.id, target, f"punkt-id {item.id} står allerede på møde {target.id}")
    if target.committee_id != item.committee_id:
        other = committees.by_id(uow.session, target.committee_id).code
        raise _refused(
            item.id,
            target,
            f"møde {target.id} er {other}'s, men punkt-id {item.id} er {item.committee.code}'s "
            "behandling af sagen; et punkt flyttes kun mellem sit eget udvalgs møder (står "
            "det for det forkerte udvalg, så træk det tilbage og opret det for det rigtige)",
        )
    _require_planned(target, item.id, "et punkt kan kun flyttes til et planlagt møde")
    treated = agenda_moves.last_decided_on(uow, item.id)
    if treated is not None and (target.date is None or target.date <= treated):
        raise _refused(
            item.id,
            target,
            f"punkt-id {item.id} blev behandlet på et møde den {format_long_date(treated)}; "
            "det kan kun flyttes til et senere møde",
        )
    transitions.store_state(uow, item, item.state)  # a new version: a clerk's form is stale
    placements = agenda_moves.move(
        uow, entry_id=entry.id, from_meeting_id=source.id, to_meeting_id=target.id
    )
    audit.record(
        uow,
        action="item.moved",
        actor=actor,
        now=now,
        case_id=item.case_id,
        item_id=item.id,
        data={
            "from_meeting_id": source.id,
            "to_meeting_id": target.id,
            "version": item.version + 1,
            "reason": reason,
            "entries": [placement.image() for placement in placements],
        },
    )
    number = next(p.number for p in placements if p.id == entry.id)
    return MovedItem(item.id, source.id, target.id, number, item.version + 1, tuple(placements))


def reschedule_meeting(
    uow: UnitOfWork,
    *,
    meeting_ref: str,
    on: date,
    start_time: time | None = None,
    keep_time: bool = True,
    reason: str | None = None,
    actor: str,
    now: datetime,
    expected_sequence: int | None = None,
) -> Meeting:
    """Give a planned meeting a new date (and time; without one given it keeps its time,
    unless ``keep_time`` is False). ``expected_sequence``: the meeting's sequence as a form
    read it; a meeting changed since is refused."""
    actor, now = require_actor(actor), require_aware(now)
    require_plausible(on, what=f"the meeting date {format_long_date(on)}")
    with uow:
        meeting = meetings.by_ref(uow.session, meeting_ref)
        assert meeting.id is not None
        meetings.lock_to_change(uow, meeting)  # no decision slips in while it is checked
        why = reason_given(reason, meeting_id=meeting.id, required=None)
        _require_unchanged(meeting, expected_sequence)
        _require_planned(meeting, None, "kun et planlagt møde kan flyttes")
        _require_no_decisions(uow, meeting, "flyttes")
        if start_time is None and keep_time:
            start_time = meeting.start_time
        if on == meeting.date and start_time == meeting.start_time:
            raise _refused(
                None,
                meeting,
                f"møde {meeting.id} holdes allerede den {format_long_date(on)}{clock(start_time)}; "
                "giv en anden dato eller et andet tidspunkt",
            )
        taken = meetings.on_date(uow.session, committee_id=meeting.committee_id, on=on)
        if taken is not None and taken.id != meeting.id:
            code = committees.by_id(uow.session, meeting.committee_id).code
            raise _refused(
                None,
                meeting,
                f"{code} har allerede et møde den {format_long_date(on)} (møde {taken.id}); "
                "et udvalg holder højst ét møde om dagen",
            )
        for item_id, treated in sorted(agenda_moves.treated_before(uow, meeting.id).items()):
            if on <= treated:
                raise _refused(
                    item_id,
                    meeting,
                    f"punkt-id {item_id} på mødets dagsorden blev behandlet på et møde den "
                    f"{format_long_date(treated)}; møde {meeting.id} kan kun flyttes til en "
                    "senere dato",
                )
        meetings.reschedule(
            uow, meeting, on=on, start_time=start_time, reason=why, actor=actor, now=now
        )
        uow.commit()
    return meeting


def cancel_meeting(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    meeting_ref: str,
    reason: str,
    move_to: str | None = None,
    actor: str,
    now: datetime,
    expected_sequence: int | None = None,
) -> Cancelled:
    """Cancel a planned meeting (it is kept, as aflyst). The items on its agenda are offered
    to the committee's next planned meeting, or moved to ``move_to`` in the same change."""
    actor, now = require_actor(actor), require_aware(now)
    with uow:
        meeting = meetings.by_ref(uow.session, meeting_ref)
        assert meeting.id is not None
        meetings.lock_to_change(uow, meeting)  # no decision slips in while it is checked
        why = reason_given(
            reason, meeting_id=meeting.id, required="en aflysning", example="formanden er syg"
        )
        assert why is not None
        _require_unchanged(meeting, expected_sequence)
        if meeting.cancelled_at is not None:
            raise _refused(None, meeting, f"{named(meeting)} er allerede aflyst")
        _require_planned(meeting, None, "kun et planlagt møde kan aflyses")
        _require_no_decisions(uow, meeting, "aflyses")
        target = meetings.by_ref(uow.session, move_to) if move_to is not None else None
        meetings.cancel(uow, meeting, reason=why, actor=actor, now=now)
        waiting = tuple(
            WaitingItem(item_id, found.title, found.closed)
            for item_id in agenda_moves.items_on(uow, meeting.id)
            if (found := items.by_id(uow.session, item_id))
        )
        moved: tuple[MovedItem, ...] = ()
        if target is not None:
            moved = tuple(_move(uow, rulebook, w.item_id, target, why, actor, now) for w in waiting)
        code = committees.by_id(uow.session, meeting.committee_id).code
        following = [
            m
            for m in meetings.unheld_after(
                uow.session, committee_id=meeting.committee_id, after=meeting.date, limit=2
            )
            if m.id != meeting.id
        ]
        uow.commit()
    return Cancelled(meeting, code, waiting, following[0] if following else None, moved)


def reopen_meeting(
    uow: UnitOfWork, *, meeting_ref: str, reason: str, actor: str, now: datetime
) -> tuple[Meeting, str, int]:
    """Make a held or cancelled meeting planned again; returns it, what it was (afholdt or
    aflyst) and how many items have a decision at it, which stay as they are."""
    actor, now = require_actor(actor), require_aware(now)
    with uow:
        meeting = meetings.by_ref(uow.session, meeting_ref)
        assert meeting.id is not None
        meetings.lock_to_change(uow, meeting)  # reopened once, also by two clerks at once
        why = reason_given(
            reason, meeting_id=meeting.id, required="en genåbning", example="aflyst ved en fejl"
        )
        assert why is not None
        was = status_word(meeting)
        if was == "planlagt":
            raise _refused(
                None, meeting, f"møde {meeting.id} er allerede planlagt; intet at genåbne"
            )
        decided = len(agenda_moves.decided_items(uow, meeting.id))
        meetings.reopen(uow, meeting, reason=why, actor=actor, now=now)
        uow.commit()
    return meeting, was, decided


def _require_unchanged(meeting: Meeting, expected_sequence: int | None) -> None:
    if expected_sequence is not None and expected_sequence != (meeting.sequence or 0):
        raise _refused(
            None,
            meeting,
            f"{named(meeting)} er ændret af en anden (flyttet, aflyst eller genåbnet), siden du "
            "hentede siden; intet er gemt",
        )


def _require_planned(meeting: Meeting, item_id: int | None, rule: str) -> None:
    status = status_word(meeting)
    if status != "planlagt":
        hint = ""
        if item_id is None:
            hint = f" (genåbn det først med 'council meeting reopen {meeting.id} --reason ...')"
        raise _refused(item_id, meeting, f"{named(meeting)} er {status}; {rule}{hint}")


def _require_no_decisions(uow: UnitOfWork, meeting: Meeting, act: str) -> None:
    assert meeting.id is not None
    decided = agenda_moves.decided_items(uow, meeting.id)
    if decided:
        shown = ", ".join(str(item_id) for item_id in sorted(decided))
        raise _refused(
            None,
            meeting,
            f"{named(meeting)} har allerede beslutninger (punkt-id {shown}); et møde, der "
            f"har truffet beslutninger, kan ikke {act}",
        )


def _refused(item_id: int | None, meeting: Meeting, message: str) -> MeetingChangeRefused:
    assert meeting.id is not None
    return MeetingChangeRefused(message, meeting_id=meeting.id, item_id=item_id)
