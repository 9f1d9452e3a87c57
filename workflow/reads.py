"""Read models for the web application's pages, beside the acts in ``workflow.services``.

Each function reads in one read-only unit of work and returns plain objects the page shows.
Whether a closed item is shown in full is the caller's ``internal`` (the face decides it
with one function for every page); the documents below apply it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from council.cases import browse_queries, document_queries, queries
from council.cases.audit_verify import VerifyReport, verify
from council.cases.browse_queries import FoundItem, ItemLine, MeetingLine
from council.cases.dates import local_date
from council.cases.db import Database
from council.cases.errors import NotFoundError
from council.cases.models import AgendaItem, Case, Committee, Meeting
from council.cases.obligations import outbox as outbox_store
from council.cases.obligations.outbox import OutboxRow
from council.cases.obligations.status import PeriodStatus
from council.cases.obligations.tables import FAILED
from council.cases.queries import CarriedOver, HistoryRow
from council.config.workflow_definition import WorkflowDefinition
from council.notifications import documents
from council.workflow.app import App
from council.workflow.checkpoints import AuditFiles, trail_anchor
from council.workflow.machine import Rulebook
from council.workflow.obligation_services import obligation_table
from council.workflow.visibility import audience

UPCOMING_DAYS = 14


def committees(database: Database) -> list[Committee]:
    with database.reading() as session:
        return document_queries.all_committees(session)


def committee_meetings(database: Database, code: str) -> tuple[Committee, list[Meeting]]:
    with database.reading() as session:
        committee = queries.committee_by_code(session, code)
        assert committee.id is not None
        return committee, browse_queries.meetings_of_committee(session, committee.id)


@dataclass(frozen=True)
class MeetingPage:
    document: documents.MeetingDocument
    meeting: Meeting
    committee: Committee
    agenda: list[queries.AgendaLine]
    offered: list[CarriedOver]  # postponed items whose next meeting this is
    waiting: list[ItemLine]  # the committee's other items that may be put on an agenda

    @property
    def undecided(self) -> int:
        return sum(1 for line in self.agenda if line.decision is None)


def meeting_page(
    database: Database,
    rulebook: Rulebook,
    meeting_id: int,
    *,
    internal: bool,
    files: AuditFiles,
    desk: bool = True,
) -> MeetingPage:
    """The meeting's agenda (its minutes, once held) and, with ``desk``, its agenda lines
    and what may still be put on it (the secretariat's part of the page)."""
    definition = rulebook.definition
    with database.reading() as session:
        meeting = _meeting(session, meeting_id)
        held = meeting.held_at is not None
        trail = trail_anchor(database, files) if held else None
        document = _meeting_document(
            session, meeting_id, definition, internal=internal, trail=trail
        )
        committee = queries.committee_by_id(session, meeting.committee_id)
        agenda: list[queries.AgendaLine] = []
        offered: list[CarriedOver] = []
        waiting: list[ItemLine] = []
        if desk:
            agenda = queries.agenda(session, meeting, carry_states=definition.carry_over)
            offered = queries.carried_over(session, meeting, carry_states=definition.carry_over)
        if desk and not held:
            presentable = {
                source for t in definition.transitions if t.act == "present" for source in t.sources
            }
            waiting = browse_queries.items_in_states(
                session,
                states=frozenset(presentable - definition.carry_over),
                committee_id=meeting.committee_id,
            )
    return MeetingPage(document, meeting, committee, agenda, offered, waiting)


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFoundError(f"unknown meeting {meeting_id}")
    return meeting


def meeting_document(
    database: Database,
    rulebook: Rulebook,
    meeting_id: int,
    *,
    minutes: bool,
    internal: bool,
    files: AuditFiles,
) -> documents.MeetingDocument:
    """The agenda or the minutes alone, as ``council render`` makes them."""
    trail = trail_anchor(database, files) if minutes else None
    with database.reading() as session:
        _meeting(session, meeting_id)
        return _meeting_document(
            session, meeting_id, rulebook.definition, internal=internal, trail=trail
        )


def _meeting_document(
    session: Session,
    meeting_id: int,
    definition: WorkflowDefinition,
    *,
    internal: bool,
    trail: documents.TrailAnchor | None,
) -> documents.MeetingDocument:
    """The agenda, or (given the line anchoring the audit trail) the minutes."""
    viewers = audience(internal=internal)
    if trail is None:
        return documents.agenda_document(
            session, meeting_ref=str(meeting_id), definition=definition, audience=viewers
        )
    return documents.minutes_document(
        session,
        meeting_ref=str(meeting_id),
        definition=definition,
        audience=viewers,
        trail=trail,
    )


@dataclass(frozen=True)
class ItemPage:
    document: documents.ItemDocument
    item: AgendaItem
    committee: Committee
    case_number: str
    before_meeting: Meeting | None  # the meeting it is put before and awaits a decision at
    meetings_to_present: list[Meeting]  # unheld meetings it may be put before


def item_page(
    database: Database, rulebook: Rulebook, item_id: int, *, internal: bool, desk: bool = True
) -> ItemPage:
    """The item as a document and, with ``desk``, the meeting it awaits a decision at and
    the meetings it may be put before (the secretariat's part of the page)."""
    definition = rulebook.definition
    with database.reading() as session:
        item = queries.item_by_id(session, item_id)
        assert item.id is not None
        document = documents.item_document(
            session, item_id=item_id, definition=definition, audience=audience(internal=internal)
        )
        committee = queries.committee_by_id(session, item.committee_id)
        before: Meeting | None = None
        if desk and item.state in rulebook.presented_states:
            entry = queries.latest_entry(session, item.id)
            before = session.get(Meeting, entry.meeting_id) if entry else None
        candidates: list[Meeting] = []
        if desk and definition.transitions_from(item.state, act="present"):
            candidates = browse_queries.unheld_meetings_after(
                session,
                committee_id=item.committee_id,
                after=queries.last_treated_on(session, item.id),
            )
    return ItemPage(document, item, committee, document.case_number, before, candidates)


def item_facts(database: Database, item_id: int) -> tuple[AgendaItem, Committee]:
    """The item and its committee, for checking what a user may do with it."""
    with database.reading() as session:
        item = queries.item_by_id(session, item_id)
        return item, queries.committee_by_id(session, item.committee_id)


def meeting_facts(database: Database, meeting_id: int) -> tuple[Meeting, Committee]:
    with database.reading() as session:
        meeting = _meeting(session, meeting_id)
        return meeting, queries.committee_by_id(session, meeting.committee_id)


def changes_since(database: Database, item_id: int, version: int) -> list[HistoryRow]:
    """What was recorded on the item after the user read ``version`` of it: every
    transition moves the version on by one, so these are its transitions from that one."""
    with database.unit_of_work(write=False) as uow:
        item = queries.item_by_id(uow.session, item_id)
        rows = queries.case_history(uow.connection(), item.case_id)
    mine = [row for row in rows if row.item_id == item_id]
    return mine[max(version - 1, 0) :]


def case_page(
    database: Database, rulebook: Rulebook, number: str, *, internal: bool
) -> documents.HistoryDocument:
    with database.reading() as session:
        return documents.history_document(
            session,
            case_number=number,
            definition=rulebook.definition,
            audience=audience(internal=internal),
        )


def case_history(database: Database, number: str) -> tuple[Case, list[HistoryRow], set[int]]:
    """A case, its history rows and the ids of its closed items (downloads, the API)."""
    with database.unit_of_work(write=False) as uow:
        session = uow.session
        case = queries.case_by_number(session, number)
        assert case.id is not None
        closed = {item.id for item, _code in queries.items_of_case(session, case.id) if item.closed}
        rows = queries.case_history(uow.connection(), case.id)
    return case, rows, {i for i in closed if i is not None}


def find_cases(database: Database, text: str = "", *, limit: int = 100) -> list[Case]:
    with database.reading() as session:
        return browse_queries.cases(session, text=text, limit=limit)


def find_items(database: Database, text: str, *, include_closed: bool) -> list[FoundItem]:
    with database.reading() as session:
        return browse_queries.items_titled_like(session, text=text, include_closed=include_closed)


@dataclass(frozen=True)
class Postponed:
    item: ItemLine
    next_meeting: Meeting | None


@dataclass(frozen=True)
class Overview:
    """What needs the secretariat's attention, for its committees (all, for None)."""

    today: date
    meetings: list[MeetingLine]  # in the next UPCOMING_DAYS days
    awaiting: list[ItemLine]  # put before a meeting, no decision yet
    postponed: list[Postponed]  # to be carried on to the next meeting
    obligations: list[PeriodStatus]  # due soon or overdue
    failed: list[OutboxRow]  # reminders whose delivery failed


def overview(app: App, *, committee_codes: tuple[str, ...] | None, now: datetime) -> Overview:
    database, definition = app.initialised_database(), app.rulebook.definition
    today = local_date(now)
    with database.reading() as session:
        meetings = browse_queries.meetings_between(
            session,
            committee_codes=committee_codes,
            start=today,
            end=today + timedelta(days=UPCOMING_DAYS),
        )
        awaiting = browse_queries.items_in_states(
            session, states=app.rulebook.presented_states, committee_codes=committee_codes
        )
        postponed = []
        for line in browse_queries.items_in_states(
            session, states=definition.carry_over, committee_codes=committee_codes, limit=50
        ):
            committee = queries.committee_by_code(session, line.committee_code)
            assert committee.id is not None
            following = browse_queries.unheld_meetings_after(
                session, committee_id=committee.id, after=line.meeting_date, limit=1
            )
            postponed.append(Postponed(line, following[0] if following else None))
        failed = [
            row
            for row in outbox_store.listing(session, status=FAILED)
            if committee_codes is None or row.committee_code in committee_codes
        ]
    obligations = [
        row
        for row in obligation_table(app, now=now)
        if row.state.kind in ("due_soon", "overdue")
        and (committee_codes is None or row.line.committee_code in committee_codes)
    ]
    return Overview(today, meetings, awaiting, postponed, obligations, failed)


def audit_check(database: Database) -> VerifyReport:
    """``council audit verify``: the whole trail walked, the records compared."""
    with database.reading() as session:
        return verify(session)


def outbox(database: Database, *, status: str | None = None) -> list[OutboxRow]:
    with database.reading() as session:
        return outbox_store.listing(session, status=status)


__all__ = ["FoundItem", "ItemLine", "MeetingLine"]
