"""Committees and their meetings as the faces show them: a meeting's agenda in order with
the postponed items offered to it (``meeting show``, the secretariat's part of the meeting
page), its agenda or minutes as a document, and the committees' lists of meetings.

A withheld closed item on an agenda keeps its number and shows "Lukket punkt"; its case
number, state and decision text are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from council.cases import agendas, committees, corrections, items, meetings
from council.cases.corrections import CorrectionRow
from council.cases.dates import format_date
from council.cases.db import Database, UnitOfWork
from council.cases.decision_parts import Absence
from council.cases.items import ItemLine
from council.cases.models import Committee, Meeting
from council.workflow.machine import Rulebook
from council.workflow.visibility import Audience, ShownItem

if TYPE_CHECKING:  # the documents (and Jinja2) load only for the pages that show them
    from council.notifications import documents
    from council.workflow.audit_files import AuditFiles


def every_committee(database: Database) -> list[Committee]:
    with database.reading() as session:
        return committees.every(session)


def committee_meetings(database: Database, code: str) -> tuple[Committee, list[Meeting]]:
    """The committee and its meetings, the latest first."""
    with database.reading() as session:
        committee = committees.by_code(session, code)
        assert committee.id is not None
        return committee, meetings.of_committee(session, committee.id)


@dataclass(frozen=True)
class Cancellation:
    """When a meeting was cancelled (aflyst) and why, as the audit trail holds it."""

    at: datetime
    reason: str | None


def cancellations(database: Database, found: list[Meeting]) -> dict[int, Cancellation]:
    """The cancelled ones of ``found`` (by id): when and why (the latest cancellation)."""
    cancelled = [m for m in found if m.cancelled_at is not None and m.id is not None]
    if not cancelled:
        return {}
    with database.reading() as session:
        result = {}
        for meeting in cancelled:
            assert meeting.id is not None and meeting.cancelled_at is not None
            reasons = [
                change.data.get("reason")
                for change in meetings.changes(session, meeting.id)
                if change.action == "meeting.cancelled"
            ]
            result[meeting.id] = Cancellation(
                meeting.cancelled_at, reasons[-1] if reasons else None
            )
        return result


@dataclass(frozen=True)
class AgendaLine:
    """One line of a meeting's agenda; ``decision`` is the text decided at this meeting,
    ``state`` the item's state (code name) and ``state_label`` its label."""

    number: int | None
    item_id: int
    version: int
    case_number: str | None
    shown: ShownItem
    carried_from: date | None
    state: str | None
    state_label: str | None
    decision: str | None


@dataclass(frozen=True)
class OfferedItem:
    """A postponed item offered to the meeting (udsat fra mødet den ...)."""

    item_id: int
    version: int
    case_number: str | None
    shown: ShownItem
    postponed_on: date | None


@dataclass(frozen=True)
class ReferredItem:
    """An item a referral made for the committee, offered to its meetings."""

    item_id: int
    version: int
    case_number: str | None
    shown: ShownItem
    from_code: str
    referred_on: date | None


Day = date  # MeetingView's field ``date`` hides the type inside the class


@dataclass(frozen=True)
class ChangeLine:
    """A change to the meeting or its agenda, in Danish: when, by whom, what and why."""

    seq: int
    at: datetime
    actor: str
    what: str
    reason: str | None


def _when(on: str | None, start: str | None) -> str:
    if on is None:
        return "(dato ukendt)"
    text = format_date(date.fromisoformat(on))
    return text + (f" kl. {start[:2]}.{start[3:5]}" if start else "")


def _change_line(meeting_id: int, change: meetings.Change) -> ChangeLine:
    data = change.data
    if change.action == "meeting.rescheduled":
        before = data["before"]
        what = (
            f"flyttet fra {_when(before['date'], before['start_time'])} "
            f"til {_when(data['date'], data['start_time'])}"
        )
    elif change.action == "meeting.cancelled":
        what = "aflyst"
    elif change.action == "meeting.reopened":
        what = f"genåbnet (var {data['was']}), planlagt igen"
    elif change.action == "meeting.approved":
        what = f"protokollen godkendt den {format_date(date.fromisoformat(data['approved_on']))}"
    elif data["to_meeting_id"] == meeting_id:
        what = f"punkt-id {change.item_id} flyttet hertil fra møde {data['from_meeting_id']}"
    else:
        what = f"punkt-id {change.item_id} flyttet til møde {data['to_meeting_id']}"
    return ChangeLine(change.seq, change.at, change.actor, what, data.get("reason"))


def _correction_line(correction: CorrectionRow, *, reason_shown: bool) -> ChangeLine:
    """A decision taken at the meeting, corrected afterwards; its reason only where the
    audience may read the item."""
    what = f"beslutningen på punkt-id {correction.item_id} rettet"
    if correction.after_approval:
        what += " efter protokollens godkendelse"
    reason = correction.reason if reason_shown else None
    return ChangeLine(correction.audit_seq, correction.corrected_at, correction.actor, what, reason)


@dataclass(frozen=True)
class MeetingView:
    meeting_id: int
    committee_code: str
    committee_name: str
    date: date | None
    start_time: time | None
    place: str | None
    held: bool
    lines: tuple[AgendaLine, ...]
    offered: tuple[OfferedItem, ...]
    referred: tuple[ReferredItem, ...] = ()
    absent: tuple[Absence, ...] = ()  # members absent from the meeting (afbud, fravær)
    minutes_approved_on: Day | None = None  # the day the committee approved the minutes
    cancelled: bool = False  # aflyst
    changes: tuple[ChangeLine, ...] = ()  # moved, cancelled, reopened, approved; items
    # moved; decisions taken at the meeting corrected

    @property
    def undecided(self) -> int:
        """How many items on the agenda have no decision at the meeting yet."""
        return sum(1 for line in self.lines if line.decision is None)


def meeting_view(
    database: Database, rulebook: Rulebook, *, meeting_ref: str, audience: Audience
) -> MeetingView:
    """A meeting's agenda in order, and the postponed items offered to it."""
    with database.unit_of_work(write=False) as uow:
        meeting = meetings.by_ref(uow.session, meeting_ref)
        return _view(uow, rulebook, meeting, audience)


def _view(uow: UnitOfWork, rulebook: Rulebook, meeting: Meeting, audience: Audience) -> MeetingView:
    carry, session = rulebook.definition.carry_over, uow.session
    committee = committees.by_id(session, meeting.committee_id)
    lines = agendas.lines(session, meeting, carry_states=carry)
    offered = agendas.carried_over(session, meeting, carry_states=carry)
    referred = agendas.referred_waiting(session, meeting, initial=rulebook.definition.initial)
    assert meeting.id is not None
    shown_lines = tuple(_line(line, rulebook, audience) for line in lines)
    readable = {line.item_id for line in shown_lines if not line.shown.withheld}
    changes = [_change_line(meeting.id, change) for change in meetings.changes(session, meeting.id)]
    changes += [
        _correction_line(
            correction,
            reason_shown=audience.may_see_closed or correction.item_id in readable,
        )
        for correction in corrections.of_meeting_decisions(uow, meeting.id)
    ]
    return MeetingView(
        meeting_id=meeting.id,
        committee_code=committee.code,
        committee_name=committees.name_on(committee, meeting.date),
        date=meeting.date,
        start_time=meeting.start_time,
        place=meeting.place,
        held=meeting.held_at is not None,
        lines=shown_lines,
        offered=tuple(_offered(entry, audience) for entry in offered),
        referred=tuple(_referred(entry, audience) for entry in referred),
        absent=tuple(Absence.from_json(a) for a in meeting.absent or ()),
        minutes_approved_on=meeting.minutes_approved_on,
        cancelled=meeting.cancelled_at is not None,
        changes=tuple(sorted(changes, key=lambda change: change.seq)),
    )


def _referred(entry: agendas.Referred, audience: Audience) -> ReferredItem:
    assert entry.item.id is not None
    shown = audience.item(entry.item)
    return ReferredItem(
        item_id=entry.item.id,
        version=entry.item.version,
        case_number=shown.reveal(entry.case_number),
        shown=shown,
        from_code=entry.from_code,
        referred_on=entry.referred_on,
    )


def _line(line: agendas.AgendaLine, rulebook: Rulebook, audience: Audience) -> AgendaLine:
    item = line.item
    assert item.id is not None
    shown = audience.item(item)
    return AgendaLine(
        number=line.number,
        item_id=item.id,
        version=item.version,
        case_number=shown.reveal(line.case_number),
        shown=shown,
        carried_from=line.carried_from,
        state=shown.reveal(item.state),
        state_label=shown.reveal(rulebook.label(item.state)),
        decision=shown.reveal(line.decision.text if line.decision else None),
    )


def _offered(entry: agendas.CarriedOver, audience: Audience) -> OfferedItem:
    assert entry.item.id is not None
    shown = audience.item(entry.item)
    return OfferedItem(
        item_id=entry.item.id,
        version=entry.item.version,
        case_number=shown.reveal(entry.case_number),
        shown=shown,
        postponed_on=entry.postponed_on,
    )


@dataclass(frozen=True)
class MeetingPage:
    """The meeting's page: its agenda (its minutes, once held) as a document and, for the
    secretariat, its agenda lines and offers (``view``) and the committee's other items
    that may be put on it (``waiting``)."""

    document: documents.MeetingDocument
    meeting: Meeting
    committee: Committee
    view: MeetingView | None
    waiting: list[ItemLine]
    planned: tuple[Meeting, ...] = ()  # the committee's other planned meetings (a move's)


def meeting_page(
    database: Database,
    rulebook: Rulebook,
    meeting_id: int,
    *,
    audience: Audience,
    files: AuditFiles,
    desk: bool = True,
) -> MeetingPage:
    """The meeting's document (minutes with the line that anchors the audit trail, found
    in ``files``) and, with ``desk``, the secretariat's part of the page."""
    from council.workflow.read_models.audit import trail_anchor

    definition = rulebook.definition
    with database.unit_of_work(write=False) as uow:
        session = uow.session
        meeting = meetings.by_id(session, meeting_id)
        held = meeting.held_at is not None
        trail = trail_anchor(database, files) if held else None
        document = _document(uow, str(meeting_id), rulebook, audience, trail)
        committee = committees.by_id(session, meeting.committee_id)
        view = _view(uow, rulebook, meeting, audience) if desk else None
        waiting: list[ItemLine] = []
        planned: tuple[Meeting, ...] = ()
        if desk and not held:
            planned = tuple(
                m
                for m in meetings.unheld_after(
                    session, committee_id=meeting.committee_id, after=None, limit=40
                )
                if m.id != meeting.id
            )
        if desk and not held:
            presentable = {
                source for t in definition.transitions if t.act == "present" for source in t.sources
            }
            waiting = items.in_states(
                session,
                states=frozenset(presentable - definition.carry_over),
                committee_id=meeting.committee_id,
            )
    return MeetingPage(document, meeting, committee, view, waiting, planned)


def meeting_document(
    database: Database,
    rulebook: Rulebook,
    meeting_ref: str,
    *,
    minutes: bool,
    audience: Audience,
    files: AuditFiles,
) -> documents.MeetingDocument:
    """The agenda or the minutes alone, as ``council render`` makes them; the meeting by
    its number or as COMMITTEE:DATE. Minutes carry the line that anchors the audit trail."""
    from council.workflow.read_models.audit import trail_anchor

    trail = trail_anchor(database, files) if minutes else None
    with database.unit_of_work(write=False) as uow:
        return _document(uow, meeting_ref, rulebook, audience, trail)


def _document(
    uow: UnitOfWork,
    meeting_ref: str,
    rulebook: Rulebook,
    audience: Audience,
    trail: documents.TrailAnchor | None,
) -> documents.MeetingDocument:
    """The agenda, or (given the line anchoring the audit trail) the minutes."""
    from council.notifications import documents

    definition, session = rulebook.definition, uow.session
    if trail is None:
        return documents.agenda_document(
            session, meeting_ref=meeting_ref, definition=definition, audience=audience
        )
    return documents.minutes_document(
        session, meeting_ref=meeting_ref, definition=definition, audience=audience, trail=trail
    )


def meeting_facts(database: Database, meeting_id: int) -> tuple[Meeting, Committee]:
    """The meeting and its committee, for checking what a user may do with it."""
    with database.reading() as session:
        meeting = meetings.by_id(session, meeting_id)
        return meeting, committees.by_id(session, meeting.committee_id)
