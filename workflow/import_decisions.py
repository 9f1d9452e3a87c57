"""Replaying one planned decision: line it up with what is recorded, or take it at its meeting.

A decision is lined up with the item's recorded ones (same text, and the same date where the
file gives one) and only those after them are replayed; a file whose decisions contradict the
recorded ones is refused. A recorded decision whose wording is the first lines of the file's
is the same one, stored shorter: it is completed as an audited correction.

A new decision is taken at the committee's meeting of its date (created when missing; one
without a date at a meeting whose date is unknown): the item is put before it
(``services.present_item``, with the agenda number the source prints there, or none) and the
decision recorded (``services.decide_item``) with its verbatim text, date, outcome and the
bodies it refers the case to. Wording the phrase table does not know is recorded through the
workflow's ``discuss`` transition (drøftet: treated, not concluded) with its outcome unknown.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from council.cases import items, transitions
from council.cases.dates import format_date
from council.cases.importers.replay_plan import PlannedDecision, PlannedItem
from council.cases.meetings import MeetingRow
from council.cases.models import Meeting
from council.workflow import services
from council.workflow.import_items import ImportRun, ItemProgress, Recorded, grown, same
from council.workflow.import_reports import ImportedDecision
from council.workflow.item_corrections import REASON_MORE_CONTENT, correct_decision_wording

UNCLASSIFIED_TRIGGER = "discuss"


def replay_decision(run: ImportRun, progress: ItemProgress, decision: PlannedDecision) -> None:
    position = line_up(run, progress, decision)
    if position is not None:
        _found_again(run, progress, decision, position)
        return
    progress.matched = len(progress.recorded)
    meeting = _meeting_for(run, progress, decision)
    number = _present(run, progress, meeting, decision.number)
    result = services.decide_item(
        run.act(),
        run.rulebook,
        item_id=progress.item.id or 0,
        outcome=decision.outcome or unclassified_outcome(run),
        text=decision.text,
        decided_on=decision.date,
        date_unknown=decision.date is None,
        classified=decision.outcome is not None,
        referred_to=decision.referred_to,
        parts=decision.parts,
        parts_in_text=True,
        actor=run.actor,
        now=run.now,
    )
    progress.recorded.append(
        Recorded(
            decision.date, decision.text, result.to_state, decision.outcome, result.decision_id or 0
        )
    )
    progress.matched = len(progress.recorded)
    progress.decisions.append(imported_decision(decision, result.to_state, number=number, new=True))


def _found_again(
    run: ImportRun, progress: ItemProgress, decision: PlannedDecision, position: int
) -> None:
    earlier = progress.recorded[position]
    completed = not same(decision, earlier)
    if completed:
        correct_decision_wording(
            run.act(),
            decision_id=earlier.decision_id,
            text=decision.text,
            reason=REASON_MORE_CONTENT,
            source=run.meeting.source,
            actor=run.actor,
            now=run.now,
        )
        progress.recorded[position] = replace(earlier, text=decision.text)
    found = imported_decision(
        decision, earlier.to_state, number=None, new=False, completed=completed
    )
    progress.decisions.append(replace(found, meeting_date=decision.date or earlier.date))
    progress.matched = position + 1


def imported_decision(
    decision: PlannedDecision,
    to_state: str,
    *,
    number: int | None,
    new: bool,
    completed: bool = False,
) -> ImportedDecision:
    return ImportedDecision(
        committee_code=decision.committee.code,
        meeting_date=decision.date,
        agenda_number=number,
        outcome=decision.outcome,
        to_state=to_state,
        text=decision.text,
        new=new,
        completed=completed,
        referred_to=decision.referred_to,
    )


def line_up(run: ImportRun, progress: ItemProgress, decision: PlannedDecision) -> int | None:
    """The index of the recorded decision this one is, or None if it is new.

    The first decision of a file may match any recorded one (a file that continues an
    earlier one, or repeats the whole history); after that they must follow in order.
    """
    recorded = progress.recorded
    if progress.matched is None:
        for index, earlier in enumerate(recorded):
            if same(decision, earlier) or grown(decision, earlier):
                return index
        return None
    index = progress.matched
    if index >= len(recorded):
        return None
    earlier = recorded[index]
    if not (same(decision, earlier) or grown(decision, earlier)):
        raise run.fail(
            f"item {progress.item.id} already records «{earlier.text}» "
            f"({format_date(earlier.date)}) where the file has «{decision.text}» "
            f"({format_date(decision.date)})"
        )
    return index


def unclassified_outcome(run: ImportRun) -> str:
    for move in run.rulebook.definition.transitions:
        if move.trigger == UNCLASSIFIED_TRIGGER:
            return move.dest
    raise run.fail(
        f"a decision text is not recognised and the workflow has no "
        f"'{UNCLASSIFIED_TRIGGER}' transition to record it with"
    )


def _meeting_for(
    run: ImportRun, progress: ItemProgress, decision: PlannedDecision
) -> Meeting | MeetingRow:
    committee = run.committee(decision.committee.code)
    if decision.date is not None:
        meeting = run.index.meeting_on(run.uow, committee.id or 0, decision.date)
        if meeting is not None:
            return meeting
    else:
        waiting = _open_meeting(run, progress)
        if waiting is not None and waiting.date is None:
            return waiting
    return create_meeting(run, committee.code, decision.date)


def create_meeting(run: ImportRun, code: str, on: date | None) -> Meeting:
    """A meeting the source names; the file's own meeting with its time and place."""
    planned = run.meeting
    own = code == planned.committee.code and on == planned.date
    meeting = services.create_meeting(
        run.act(),
        committee_code=code,
        on=on,
        start_time=planned.start_time if own else None,
        place=planned.place if own else None,
        actor=run.actor,
        now=run.now,
    )
    return run.index.created_meeting(meeting)


def _open_meeting(run: ImportRun, progress: ItemProgress) -> MeetingRow | None:
    """The meeting the item is before now, waiting for a decision, if any."""
    if progress.created and not progress.presented_at and not progress.decisions:
        return None  # drafted by this replay and not yet put before any meeting
    item = transitions.load(run.uow, progress.item.id or 0, with_latest_entry=True)
    if item.state not in run.rulebook.presented_states:
        return None
    return item.latest_meeting


def _present(
    run: ImportRun, progress: ItemProgress, meeting: Meeting | MeetingRow, number: int | None
) -> int | None:
    """Put the item before ``meeting`` unless it already is; returns its agenda number."""
    item_id, meeting_id = progress.item.id or 0, meeting.id or 0
    waiting = _open_meeting(run, progress)
    if waiting is not None and waiting.id == meeting_id:
        entry = items.entry_at(run.uow.session, meeting_id=meeting_id, item_id=item_id)
        return entry.number if entry else None
    if number is not None:
        holder = items.number_holder(run.uow, meeting_id=meeting_id, number=number)
        if holder is not None and holder[0] != item_id:
            code = run.committee_code(meeting.committee_id)
            raise run.fail(
                f"punkt {number} of the {code} meeting of {format_date(meeting.date)} is "
                f"already item {holder[0]} ('{holder[1]}')"
            )
    result = services.present_item(
        run.act(),
        run.rulebook,
        item_id=item_id,
        meeting_ref=str(meeting_id),
        number=number,
        unnumbered=number is None,
        actor=run.actor,
        now=run.now,
    )
    return result.agenda_number


def present_on_own_agenda(run: ImportRun, planned: PlannedItem, progress: ItemProgress) -> None:
    """An agenda published before the meeting: put the item on it, without a decision."""
    own = run.meeting
    if own.date is None:
        return
    if any(
        d.committee.code == own.committee.code and d.date == own.date for d in planned.decisions
    ):
        return
    committee = run.committee(own.committee.code)
    meeting = run.index.meeting_on(run.uow, committee.id or 0, own.date)
    if meeting is not None:
        entry = items.entry_at(
            run.uow.session, meeting_id=meeting.id or 0, item_id=progress.item.id or 0
        )
        if entry is not None:
            return
    else:
        meeting = create_meeting(run, committee.code, own.date)
    _present(run, progress, meeting, planned.number)
    progress.presented_at.append(f"{committee.code} {format_date(own.date)}")
