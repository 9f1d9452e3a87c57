"""Replaying one published item: its case, each committee's item of it, the item's text.

An item is found again by case, committee and exact title (or, for an item "udsat fra mødet
den ...", as the item of that title the committee postponed then); otherwise it is drafted
through ``services.draft_item``. An item found again is compared section by section with the
file (:mod:`workflow.item_corrections`): what the file has more of replaces the stored text
as an audited correction; what it has less of, or words otherwise, is kept and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from council.cases import case_records, item_texts, items, meetings
from council.cases.case_records import CaseRecord, CaseRef
from council.cases.dates import format_date
from council.cases.db import UnitOfWork
from council.cases.errors import ImportFormatError
from council.cases.importers.item_content import ItemContent
from council.cases.importers.phrases import normalise
from council.cases.importers.replay_plan import PlannedDecision, PlannedItem, PlannedMeeting
from council.cases.item_records import DecisionRecord
from council.cases.item_texts import Sections
from council.cases.items import DraftedItem
from council.cases.models import AgendaItem, Committee, Meeting
from council.workflow import services
from council.workflow.guards import DECISION, ORIENTATION
from council.workflow.import_reports import ImportedDecision
from council.workflow.item_corrections import (
    REASON_MORE_CONTENT,
    SectionReview,
    correct_sections,
    review_sections,
    wording_grows,
)
from council.workflow.machine import Rulebook


@dataclass
class ImportIndex:
    """The meetings, cases and items one import has looked up or written, each asked once.

    The import is the only writer in its transaction, so what it found or made stays as it
    was until the import ends; every meeting, case and item it creates is added here.
    """

    meetings: dict[tuple[int, date], Meeting | None] = field(default_factory=dict)
    cases: dict[str, CaseRef | None] = field(default_factory=dict)
    new_cases: set[int] = field(default_factory=set)
    drafted: set[tuple[int, int, str]] = field(default_factory=set)

    def meeting_on(self, uow: UnitOfWork, committee_id: int, on: date) -> Meeting | None:
        key = (committee_id, on)
        if key not in self.meetings:
            self.meetings[key] = meetings.on_date(uow.session, committee_id=committee_id, on=on)
        return self.meetings[key]

    def case(self, uow: UnitOfWork, number: str) -> CaseRef | None:
        if number not in self.cases:
            self.cases[number] = case_records.find_ref(uow, number)
        return self.cases[number]

    def items_titled(
        self, uow: UnitOfWork, case_id: int, committee_id: int, title: str
    ) -> list[AgendaItem]:
        """As :func:`items.titled`; a case this import created has only the items it drafted,
        so for a title it has not drafted there is nothing to ask."""
        if case_id in self.new_cases and (case_id, committee_id, title) not in self.drafted:
            return []
        return items.titled(uow.session, case_id=case_id, committee_id=committee_id, title=title)

    def created_meeting(self, meeting: Meeting) -> Meeting:
        if meeting.date is not None:
            self.meetings[(meeting.committee_id, meeting.date)] = meeting
        return meeting

    def created_case(self, case: CaseRecord) -> CaseRef:
        made = self.cases[case.number] = CaseRef(case.id, case.number)
        self.new_cases.add(made.id)
        return made

    def drafted_item(self, item: DraftedItem) -> None:
        self.drafted.add((item.case_id, item.committee_id, item.title))


@dataclass(frozen=True)
class ImportRun:
    """What every step of one file's replay shares: the transaction, who and when."""

    uow: UnitOfWork
    rulebook: Rulebook
    meeting: PlannedMeeting
    committees: dict[str, Committee]  # by code
    actor: str
    now: datetime
    index: ImportIndex
    bulk: bool = True  # a new meeting's items written as sets (:mod:`workflow.import_bulk`)

    def act(self) -> UnitOfWork:
        """The unit of work an act runs in: the import's own transaction."""
        return self.uow.joined()

    def fail(self, what: str) -> ImportFormatError:
        return ImportFormatError(f"{self.meeting.source}: {what}; intet blev importeret")

    def committee(self, code: str) -> Committee:
        return self.committees[code]

    def committee_code(self, committee_id: int) -> str:
        return next(c.code for c in self.committees.values() if c.id == committee_id)


@dataclass(frozen=True)
class Recorded:
    """A decision already recorded on the item."""

    date: date | None
    text: str
    to_state: str
    outcome: str | None
    decision_id: int


@dataclass
class ItemProgress:
    """One committee's item of the case, as the replay of a file goes along."""

    item: AgendaItem | DraftedItem
    created: bool
    recorded: list[Recorded]
    matched: int | None = None  # index in ``recorded`` of the next decision to line up with
    decisions: list[ImportedDecision] = field(default_factory=list)
    presented_at: list[str] = field(default_factory=list)
    texts: SectionReview | None = None


def find_case(run: ImportRun, planned: PlannedItem) -> tuple[CaseRef, bool]:
    """The item's case, created when missing; True when created."""
    if planned.continued_from is not None:
        item = continued_item(run, planned)
        number = case_records.by_id(run.uow.session, item.case_id).number
        if planned.case_number and planned.case_number != number:
            raise run.fail(
                f"the title names case {planned.case_number}, but the item it continues "
                f"(item {item.id}) belongs to case {number}"
            )
        return CaseRef(item.case_id, number), False
    assert planned.case_number is not None, "the plan names or invents a number"
    found = run.index.case(run.uow, planned.case_number)
    if found is not None:
        return found, False
    content = planned.content
    case = services.create_case(
        run.act(),
        number=planned.case_number,
        title=content.title,
        owner=content.administration or run.meeting.committee.administration,
        actor=run.actor,
        now=run.now,
    )
    return run.index.created_case(case), True


def continued_item(run: ImportRun, planned: PlannedItem) -> AgendaItem:
    """The item of this title that the meeting's committee postponed on ``continued_from``."""
    postponed_on = planned.continued_from
    assert postponed_on is not None
    committee = run.committee(run.meeting.committee.code)
    meeting = run.index.meeting_on(run.uow, committee.id or 0, postponed_on)
    candidates = (
        items.on_meeting_titled(
            run.uow.session, meeting_id=meeting.id or 0, title=planned.content.title
        )
        if meeting is not None
        else []
    )
    if not candidates:
        raise run.fail(
            f"the item continues one {committee.name} postponed on "
            f"{format_date(postponed_on)} ('{planned.content.title}'), which is not in the "
            "database; import that meeting's file first or together with this one"
        )
    return candidates[-1]


def item_progress(
    run: ImportRun, planned: PlannedItem, case: CaseRef, committee: Committee
) -> ItemProgress:
    """The committee's item of the case, found again or drafted, with what it records."""
    found = found_again(run, planned, case, committee)
    created = found is None
    item: AgendaItem | DraftedItem
    if found is not None:
        item = found
    else:
        item = services.draft_item(
            run.act(),
            run.rulebook,
            case_number=case.number,
            committee_code=committee.code,
            draft=item_draft(planned.content, kind_for(run.rulebook, planned, committee.code)),
            actor=run.actor,
            now=run.now,
        )
        run.index.drafted_item(item)
    progress = ItemProgress(item, created, [] if created else _recorded(run, item.id or 0))
    if not created:
        _complete_sections(run, progress, planned.content, committee)
    return progress


def found_again(
    run: ImportRun, planned: PlannedItem, case: CaseRef, committee: Committee
) -> AgendaItem | None:
    """The stored item this published one is, if any.

    A case can come before a committee again after it decided ("Meddelelser" under one case
    number every month), and one agenda can hold two items of one case and title: the item
    at the file's own meeting under the file's number is this one; else one that records
    one of the file's decisions for the committee; else one still open (postponed,
    discussed, on an agenda); else none, and a new item is drafted.
    """
    own = committee.code == run.meeting.committee.code
    if planned.continued_from is not None and own:
        return continued_item(run, planned)
    candidates = run.index.items_titled(run.uow, case.id, committee.id or 0, planned.content.title)
    if not candidates:
        return None
    numbers = _numbers_at_own_meeting(run, candidates) if own else {}
    for candidate in candidates:
        if numbers.get(candidate.id or 0, 0) == planned.number:
            return candidate
    others = [c for c in candidates if (c.id or 0) not in numbers]
    mine = [d for d in planned.decisions if d.committee.code == committee.code]
    recorded = items.decisions_of_items(run.uow.session, [c.id or 0 for c in others])
    for candidate in reversed(others):
        earlier = [_as_recorded(row) for row in recorded[candidate.id or 0]]
        if any(same(d, r) or grown(d, r) for d in mine for r in earlier):
            return candidate
    final = run.rulebook.definition.final_states
    return next((c for c in reversed(others) if c.state not in final), None)


def _numbers_at_own_meeting(run: ImportRun, candidates: list[AgendaItem]) -> dict[int, int | None]:
    """The candidates on the file's own meeting's agenda, with their numbers there."""
    if run.meeting.date is None or not candidates:
        return {}
    committee = run.committee(run.meeting.committee.code)
    meeting = run.index.meeting_on(run.uow, committee.id or 0, run.meeting.date)
    if meeting is None:
        return {}
    return items.numbers_at_meeting(
        run.uow.session, meeting_id=meeting.id or 0, item_ids=[c.id or 0 for c in candidates]
    )


def same(decision: PlannedDecision, earlier: Recorded) -> bool:
    """The recorded decision is this one: the same words (and date, where the file has one)."""
    return normalise(earlier.text) == normalise(decision.text) and (
        decision.date is None or decision.date == earlier.date
    )


def grown(decision: PlannedDecision, earlier: Recorded) -> bool:
    """The same decision with more lines, stating the same outcome."""
    return (
        wording_grows(earlier.text, decision.text)
        and decision.outcome == earlier.outcome
        and (decision.date is None or decision.date == earlier.date)
    )


def _recorded(run: ImportRun, item_id: int) -> list[Recorded]:
    return [_as_recorded(row) for row in items.decisions_of(run.uow, item_id)]


def _as_recorded(row: tuple[DecisionRecord, date | None]) -> Recorded:
    decision, meeting_date = row
    return Recorded(
        meeting_date or decision.decided_on,
        decision.text,
        decision.to_state,
        decision.outcome,
        decision.id or 0,
    )


def _complete_sections(
    run: ImportRun, progress: ItemProgress, content: ItemContent, committee: Committee
) -> None:
    """Replace stored sections that the file has more of; keep every other one."""
    item_id = progress.item.id or 0
    stored, _ = item_texts.sections_of(run.uow.session, item_id)
    progress.texts = review_sections(stored, _sections(content, committee))
    if progress.texts.grown:
        correct_sections(
            run.act(),
            item_id=item_id,
            sections=progress.texts.merged,
            reason=REASON_MORE_CONTENT,
            source=run.meeting.source,
            actor=run.actor,
            now=run.now,
        )


def _sections(content: ItemContent, committee: Committee) -> Sections:
    """The file's sections as drafting would store them."""
    return Sections(
        summary=content.summary.strip(),
        administration=(content.administration or committee.administration).strip(),
        recommendation=tuple(p.strip() for p in content.recommendation if p.strip()),
        problem=content.problem.strip(),
        solution=content.solution.strip(),
        economy=content.economy.strip(),
        next_steps=content.next_steps.strip(),
        signatures=tuple(content.signatures),
        attachments=tuple(content.attachments),
    )


def item_draft(content: ItemContent, kind: str) -> services.ItemDraft:
    return services.ItemDraft(
        title=content.title,
        kind=kind,
        closed=content.closed,
        summary=content.summary,
        administration=content.administration,
        recommendation=content.recommendation,
        problem=content.problem,
        solution=content.solution,
        economy=content.economy,
        next_steps=content.next_steps,
        signatures=content.signatures,
        attachments=content.attachments,
    )


def kind_for(rulebook: Rulebook, planned: PlannedItem, code: str) -> str:
    """Orientering or beslutning: what the committee's outcomes need, else what the source
    says (or the recommendation asks for)."""
    definition = rulebook.definition
    for decision in planned.decisions:
        if decision.committee.code != code or decision.outcome is None:
            continue
        for move in definition.transitions:
            if move.act == "decide" and move.dest == decision.outcome:
                if "is_orientation_item" in move.guards:
                    return ORIENTATION
                if "is_decision_item" in move.guards:
                    return DECISION
    return planned.content.kind
