"""Acts on meetings: creating one, and closing it as held once every item is decided."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from council.cases import agendas, committees, meetings
from council.cases.dates import (
    format_date,
    format_long_date,
    local_date,
    require_aware,
    require_plausible,
)
from council.cases.db import UnitOfWork
from council.cases.errors import InvalidInputError
from council.cases.models import Meeting
from council.workflow.errors import CorrectionRefused, MeetingAlreadyHeld, UndecidedAgenda
from council.workflow.machine import Rulebook
from council.workflow.services.inputs import require_actor


def create_meeting(
    uow: UnitOfWork,
    *,
    committee_code: str,
    on: date | None,
    start_time: time | None = None,
    place: str | None = None,
    actor: str,
    now: datetime,
) -> Meeting:
    """A meeting of the committee; a committee meets at most once a day. ``on`` is None
    for a meeting whose date the source does not give (an import)."""
    actor, now = require_actor(actor), require_aware(now)
    if on is not None:
        require_plausible(on, what=f"mødedatoen {format_date(on)}")
    with uow:
        committee = committees.by_code(uow.session, committee_code)
        meeting = meetings.create(
            uow,
            committee=committee,
            on=on,
            start_time=start_time,
            place=place,
            actor=actor,
            now=now,
        )
        uow.commit()
    return meeting


def close_meeting(
    uow: UnitOfWork, rulebook: Rulebook, *, meeting_ref: str, actor: str, now: datetime
) -> Meeting:
    """Mark a meeting held; refused while an item on its agenda has no decision there."""
    actor, now = require_actor(actor), require_aware(now)
    with uow:
        meeting = meetings.by_ref(uow.session, meeting_ref)
        assert meeting.id is not None
        meetings.lock_to_change(uow, meeting)  # a second close, or a late decision, waits
        if meeting.held_at is not None:
            raise MeetingAlreadyHeld(meeting.id)
        agenda = agendas.lines(uow.session, meeting, carry_states=rulebook.definition.carry_over)
        undecided = tuple(
            (line.number, line.item.id or 0) for line in agenda if line.decision is None
        )
        if undecided:
            raise UndecidedAgenda(meeting.id, undecided)
        meetings.close(uow, meeting, actor=actor, now=now)
        uow.commit()
    return meeting


def approve_minutes(
    uow: UnitOfWork,
    *,
    meeting_ref: str,
    approved_on: date | None = None,
    actor: str,
    now: datetime,
) -> Meeting:
    """Record that the committee approved the minutes of a held meeting (on
    ``approved_on``, by default today): once, and not before the meeting. From then on a
    decision of the meeting is corrected only with a note that the minutes were approved
    with the text before (:mod:`council.workflow.services.corrections`)."""
    actor, now = require_actor(actor), require_aware(now)
    on = approved_on or local_date(now)
    require_plausible(on, what=f"godkendelsesdatoen {format_date(on)}")
    with uow:
        meeting = meetings.by_ref(uow.session, meeting_ref)
        meetings.lock_to_change(uow, meeting)  # approved once, also by two clerks at once
        if meeting.held_at is None:
            raise CorrectionRefused(
                "meeting_not_held",
                f"møde {meeting.id} er ikke afholdt; protokollen godkendes, når mødet er "
                "lukket som afholdt ('council meeting close')",
            )
        if meeting.minutes_approved_on is not None:
            raise CorrectionRefused(
                "minutes_already_approved",
                f"protokollen for møde {meeting.id} blev godkendt den "
                f"{format_long_date(meeting.minutes_approved_on)}; den godkendes kun én gang",
            )
        if meeting.date is not None and on < meeting.date:
            raise CorrectionRefused(
                "approved_before_meeting",
                f"protokollen kan ikke godkendes den {format_long_date(on)}, før mødet den "
                f"{format_long_date(meeting.date)}; giv --at en dato efter mødet",
            )
        if on > local_date(now):
            raise CorrectionRefused(
                "approved_in_future",
                f"protokollen kan ikke godkendes den {format_long_date(on)}, som ligger efter i "
                f"dag ({format_long_date(local_date(now))}); giv --at den dag, udvalget godkendte "
                "den",
            )
        meetings.approve_minutes(uow, meeting, approved_on=on, actor=actor, now=now)
        uow.commit()
    return meeting


ABSENCE_REASONS = ("afbud", "fravær")


def record_attendance(
    uow: UnitOfWork,
    *,
    meeting_ref: str,
    absent: Sequence[str],
    reason: str | None = None,
    nobody: bool = False,
    actor: str,
    now: datetime,
) -> Meeting:
    """Record who was absent from the meeting (``reason`` afbud or fravær, for each named):
    the whole list, which replaces any recorded before; ``nobody`` says nobody was."""
    actor, now = require_actor(actor), require_aware(now)
    if nobody == bool(absent):
        raise InvalidInputError("nævn de fraværende med --absent NAVN, eller angiv --nobody")
    why = reason.strip().casefold() if reason else None
    if why is not None and why not in ABSENCE_REASONS:
        raise InvalidInputError(f"--reason er afbud eller fravær, ikke '{reason}'")
    names = [name.strip() for name in absent]
    if any(not name for name in names):
        raise InvalidInputError("et fraværende medlem skal nævnes ved navn")
    doubled = {name for name in names if names.count(name) > 1}
    if doubled:
        raise InvalidInputError(
            f"{sorted(doubled)[0]} er nævnt to gange; nævn hvert medlem én gang"
        )
    with uow:
        meeting = meetings.by_ref(uow.session, meeting_ref)
        members = committees.by_id(uow.session, meeting.committee_id).members
        if members is not None and len(names) > members:
            raise InvalidInputError(
                f"{len(names)} medlemmer nævnt som fraværende, men udvalget har {members} pladser"
            )
        meetings.record_attendance(
            uow,
            meeting,
            absent=[{"name": name, "reason": why} for name in names],
            actor=actor,
            now=now,
        )
        uow.commit()
    return meeting
