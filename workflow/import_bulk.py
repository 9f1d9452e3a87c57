"""Replaying a new meeting's items as sets: the bulk form of the import's acts.

The usual import is a year of minutes: meetings the database does not hold yet, each
item a new case (or a new item of a case already there) put before that meeting and
decided there. The per-item replay runs an act per case, item, meeting, presentation and
decision, ~38 statements an item. For such a meeting this module applies the same rules
to the plan instead — the acts' checks of their input, the workflow's moves with their
guards fired on the same rulebook with the facts each transition would read — and hands
the rows to :mod:`council.cases.import_batch`, which writes each table as a set and
chains the audit entries in one pass. The rows and the audit entries are the ones the
per-item acts write, byte for byte.

A meeting keeps the per-item path when anything is unusual: the meeting is in the
database already (a re-import, a newer version of it), an item continues a postponed one
or is found again, a decision at another meeting or committee or more than one, a
referral that gives the next body an item, an agenda number used twice, anything an act
would refuse (the per-item path then refuses it in its own words), or a database other
than SQLite (whose keys :mod:`~council.cases.import_batch` cannot reserve ahead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from council.cases import audit, committees, import_batch, items, meetings
from council.cases.case_records import CaseRecord, CaseRef
from council.cases.committees import CommitteeRow
from council.cases.dates import format_date, require_plausible
from council.cases.import_batch import MeetingSet, NextIds
from council.cases.importers.replay_plan import PlannedDecision, PlannedItem, PlannedMeeting
from council.cases.item_records import AgendaEntryRecord, DecisionRecord
from council.cases.items import DraftedItem
from council.cases.meetings import MeetingRow
from council.cases.models import Committee, Meeting
from council.cases.transitions import LoadedItem
from council.config.errors import CouncilError
from council.workflow import services
from council.workflow.import_decisions import imported_decision, unclassified_outcome
from council.workflow.import_items import (
    ImportRun,
    ItemProgress,
    Recorded,
    found_again,
    item_draft,
    kind_for,
)
from council.workflow.import_reports import ImportedCase
from council.workflow.services import referrals
from council.workflow.services.inputs import required_text
from council.workflow.services.transitions import fire_guards, judged_outcome

Replayed = list[tuple[ImportedCase, list[ItemProgress]]]
"""Per published item, its case and its committee's item, as the per-item replay reports."""


class _PerItem(Exception):
    """The meeting is not one for the bulk form; the per-item path replays it."""


@dataclass
class _Plan:
    """A meeting's rows with what the import learns of them."""

    rows: MeetingSet
    meeting: Meeting
    replayed: Replayed = field(default_factory=list)
    cases: list[CaseRecord] = field(default_factory=list)
    drafted: list[DraftedItem] = field(default_factory=list)
    routes: dict[tuple[str, tuple[str, ...]], committees.CommitteeLine | None] = field(
        default_factory=dict
    )


def replay_new_meeting(run: ImportRun) -> Replayed | None:
    """Replay the file's meeting as sets, or return None (nothing written) for the
    per-item path."""
    connection = run.uow.connection()
    if not import_batch.supported(connection) or not _plain(run.meeting):
        return None
    try:
        plan = _planned(run, NextIds(connection))
    except (_PerItem, CouncilError):
        return None
    meeting = meetings.insert(
        run.uow,
        committee=run.committee(run.meeting.committee.code),
        on=plan.meeting.date,
        start_time=plan.meeting.start_time,
        place=plan.meeting.place,
        now=run.now,
        meeting_id=plan.meeting.id,
    )
    assert meeting.id == plan.meeting.id, "the meeting takes the key reserved for it"
    import_batch.write(connection, plan.rows)
    run.index.created_meeting(meeting)
    for case in plan.cases:
        run.index.created_case(case)
    for drafted in plan.drafted:
        run.index.drafted_item(drafted)
    return plan.replayed


def _plain(meeting: PlannedMeeting) -> bool:
    """The plan's shape allows the bulk form: a dated meeting, each item under a case
    number of its own with at most one decision, taken at this meeting, and no agenda
    number twice."""
    if meeting.date is None or not meeting.items:
        return False
    numbers: list[int] = []
    cases: set[str] = set()
    for planned in meeting.items:
        number = planned.case_number
        if planned.continued_from is not None or number is None or number != number.strip():
            return False
        if number in cases or len(planned.decisions) > 1:
            return False
        cases.add(number)
        decisions = planned.decisions
        if decisions and (
            decisions[0].committee.code != meeting.committee.code
            or decisions[0].date != meeting.date
        ):
            return False
        agenda_number = decisions[0].number if decisions else planned.number
        if agenda_number is not None:
            if not 1 <= agenda_number <= services.MAX_AGENDA_NUMBER:
                return False
            numbers.append(agenda_number)
    return len(numbers) == len(set(numbers))


def _planned(run: ImportRun, ids: NextIds) -> _Plan:
    """The meeting's rows as the acts would write them, every rule checked on the plan."""
    own = run.meeting
    on = own.date
    assert on is not None
    committee = run.committee(own.committee.code)
    assert committee.id is not None
    if run.index.meeting_on(run.uow, committee.id, on) is not None:
        raise _PerItem
    require_plausible(on, what=f"mødedatoen {format_date(on)}")
    meeting = Meeting(
        id=ids.take("meeting"),
        committee_id=committee.id,
        date=on,
        start_time=own.start_time,
        place=own.place,
        created_at=run.now,
    )
    rows = MeetingSet(audit.next_link(run.uow.connection()), ids.peek("search_entry"))
    plan = _Plan(rows, meeting)
    for position, planned in enumerate(own.items):
        case, created = _case(run, plan, ids, planned, committee)
        progress = _drafted(run, plan, ids, planned, case, committee)
        if position == 0:
            rows.add_entry(
                "meeting.created",
                actor=run.actor,
                now=run.now,
                data=meetings.created_data(meeting, committee),
            )
        _treated(run, plan, ids, planned, progress, committee)
        imported = ImportedCase(
            case.number, created, planned.invented_number, planned.continued_from
        )
        plan.replayed.append((imported, [progress]))
    return plan


def _case(
    run: ImportRun, plan: _Plan, ids: NextIds, planned: PlannedItem, committee: Committee
) -> tuple[CaseRef, bool]:
    """As ``find_case``: the case there is (its committee's item must be new), or a new
    one checked as ``services.create_case`` checks it."""
    assert planned.case_number is not None
    found = run.index.case(run.uow, planned.case_number)
    if found is not None:
        if found_again(run, planned, found, committee) is not None:
            raise _PerItem
        return found, False
    number = planned.case_number
    if not services.CASE_NUMBER.match(number):
        raise _PerItem
    content = planned.content
    title = required_text(content.title, "sagens titel")
    owner = required_text(content.administration or run.meeting.committee.administration, "ejeren")
    case = plan.rows.add_case(
        ids.take("case"), number=number, title=title, owner=owner, actor=run.actor, now=run.now
    )
    plan.cases.append(case)
    return CaseRef(case.id, case.number), True


def _drafted(
    run: ImportRun,
    plan: _Plan,
    ids: NextIds,
    planned: PlannedItem,
    case: CaseRef,
    committee: Committee,
) -> ItemProgress:
    """As ``services.draft_item`` of the published item's content."""
    assert committee.id is not None
    draft = item_draft(planned.content, kind_for(run.rulebook, planned, committee.code))
    title = required_text(draft.title, "punktets titel")
    kind = services.normalise_kind(draft.kind)
    state = run.rulebook.definition.initial
    rows = items.draft_rows(
        case=case,
        committee=CommitteeRow(committee.id, committee.code),
        title=title,
        kind=kind,
        closed=draft.closed,
        sections=draft.sections(committee.administration),
        state=state,
        now=run.now,
    )
    item_id = ids.take("item")
    plan.rows.add_item(item_id, ids, rows, actor=run.actor, now=run.now)
    drafted = DraftedItem(item_id, case.id, committee.id, title, kind, draft.closed, state, 1)
    plan.drafted.append(drafted)
    return ItemProgress(drafted, True, [])


def _treated(
    run: ImportRun,
    plan: _Plan,
    ids: NextIds,
    planned: PlannedItem,
    progress: ItemProgress,
    committee: Committee,
) -> None:
    """The item put before the meeting and, when the file records it, decided there."""
    meeting = plan.meeting
    assert meeting.id is not None and meeting.date is not None and committee.id is not None
    row = MeetingRow(meeting.id, committee.id, meeting.date, None, None)
    drafted = progress.item
    assert isinstance(drafted, DraftedItem)
    decision = planned.decisions[0] if planned.decisions else None
    number = decision.number if decision is not None else planned.number
    item = _loaded(drafted, committee, state=drafted.state, version=1)
    move = run.rulebook.presentation(item.state, item.id)
    to_state = fire_guards(run.uow, run.rulebook, move, item, row, None)
    entry = plan.rows.add_transition(
        AgendaEntryRecord(
            meeting_id=meeting.id,
            item_id=item.id,
            number=number,
            from_state=item.state,
            actor=run.actor,
            presented_at=run.now,
            id=ids.take("agenda_entry"),
        ),
        trigger=move.trigger,
        to_state=to_state,
    )
    if decision is None:
        progress.presented_at.append(f"{committee.code} {format_date(meeting.date)}")
        return
    item = _loaded(drafted, committee, state=to_state, version=2, entry=entry, meeting=row)
    record = _decided(run, plan, ids, item, row, decision)
    progress.recorded.append(
        Recorded(decision.date, decision.text, record.to_state, decision.outcome, record.id)
    )
    progress.matched = len(progress.recorded)
    progress.decisions.append(
        imported_decision(decision, record.to_state, number=entry.number, new=True)
    )


def _decided(
    run: ImportRun,
    plan: _Plan,
    ids: NextIds,
    item: LoadedItem,
    meeting: MeetingRow,
    decision: PlannedDecision,
) -> DecisionRecord:
    """As ``services.decide_item`` of the file's decision, the item before ``meeting``."""
    assert decision.date is not None
    require_plausible(decision.date, what=f"beslutningsdatoen {format_date(decision.date)}")
    rulebook, parts = run.rulebook, decision.parts
    points = len(plan.rows.item_values(item.id)["recommendation"]) if parts.points else 0
    outcome = judged_outcome(
        rulebook,
        decision.outcome or unclassified_outcome(run),
        parts,
        item_id=item.id,
        committee_code=item.committee.code,
        members=committees.members_of(run.uow, item.committee_id) if parts else None,
        points=points,
        typed=False,
    )
    move = rulebook.decision(item.state, outcome, item.id)
    presented = item.state in rulebook.presented_states
    open_entry, at = (item.latest_entry, meeting) if presented else (None, None)
    decided = fire_guards(run.uow, rulebook, move, item, at, open_entry, decided_on=decision.date)
    if _refers_on(run, plan, item, decided, decision) or not decision.text.strip():
        raise _PerItem  # a follow-on item, or a text the act refuses
    return plan.rows.add_transition(
        DecisionRecord(
            item_id=item.id,
            meeting_id=at.id if at is not None else None,
            decided_on=decision.date,
            trigger=move.trigger,
            from_state=item.state,
            to_state=decided,
            outcome=move.dest if decision.outcome is not None else None,
            text=decision.text,
            actor=run.actor,
            recorded_at=run.now,
            referred_to=list(decision.referred_to) or None,
            **parts.columns(),
            id=ids.take("decision"),
        ),
        trigger=move.trigger,
        to_state=decided,
    )


def _refers_on(
    run: ImportRun, plan: _Plan, item: LoadedItem, decided: str, decision: PlannedDecision
) -> bool:
    """Whether the decision gives the next body of the route an item of the case. That
    follows from the outcome and the bodies named: the committee is the meeting's, and
    the committees do not change while the import runs."""
    route = (decided, decision.referred_to)
    if route not in plan.routes:
        plan.routes[route] = referrals.next_body(
            run.uow, run.rulebook, item=item, to_state=decided, referred_to=decision.referred_to
        )
    return plan.routes[route] is not None


def _loaded(
    drafted: DraftedItem,
    committee: Committee,
    *,
    state: str,
    version: int,
    entry: AgendaEntryRecord | None = None,
    meeting: MeetingRow | None = None,
) -> LoadedItem:
    """The item as ``transitions.load`` would read it at this point of its replay."""
    treated: date | None = meeting.date if meeting is not None else None
    return LoadedItem(
        id=drafted.id,
        case_id=drafted.case_id,
        committee_id=drafted.committee_id,
        kind=drafted.kind,
        state=state,
        version=version,
        title=drafted.title,
        closed=drafted.closed,
        competent_committee_id=None,
        committee_code=committee.code,
        last_treated_on=treated,
        entry_id=entry.id if entry is not None else None,
        entry_meeting_id=entry.meeting_id if entry is not None else None,
        meeting_committee_id=meeting.committee_id if meeting is not None else None,
        meeting_date=treated,
        meeting_held_at=None,
        meeting_cancelled_at=None,
        competent_code=None,
        competent_name=None,
    )
