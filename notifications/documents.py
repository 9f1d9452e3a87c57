"""Agenda (dagsorden), minutes (beslutningsprotokol) and case history as documents.

The functions here read the records (the stores of ``cases``), build
plain view models and render them through the one Jinja2 environment
(:mod:`notifications.rendering`) as text or HTML. An item is laid out as the Copenhagen agenda
lays it out: "N. Title (case)", the summary, "Indstilling og beslutning" with the
administration's "at ..." points, Problemstilling, Løsning, Økonomi, Videre proces, Bilag, the
signatures, then every decision taken on it so far, each as "<Udvalg>s beslutning den
dd.mm.yyyy" and its verbatim text. A status item that answers an obligation with result
goals also gets "Status på mål" after Videre proces: each goal's target and the value
reported for the period (``goal_documents``). A decision whose date the source does not
give is kept in its place and headed "<Udvalg>s beslutning (dato ukendt)".

"So far" depends on the document: an agenda shows the decisions taken before the item was put
on that meeting's agenda (an earlier postponement), the minutes add the decision taken at the
meeting, a case history shows them all.

Public documents show a closed item (lukket punkt) only as its number and "Lukket punkt";
a document for an audience that may see closed items shows it in full and marks the whole
document as internal. Which it is, is not decided here: every builder is given the
``audience`` (``council.workflow.visibility``) and asks it about each item.

The text layout is the one the Copenhagen importer reads: an item rendered alone as text
(:func:`item_document`) can be imported again and gives back the same sections and decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from urllib.parse import quote

from sqlmodel import Session

from council.cases import (
    agendas,
    case_history,
    case_records,
    committees,
    corrections,
    items,
    meetings,
    referral_chain,
)
from council.cases import attachments as attachment_store
from council.cases.agendas import DocumentLine
from council.cases.attachments import AttachmentLine
from council.cases.case_history import HistoryRow
from council.cases.corrections import CorrectionRow
from council.cases.item_records import AgendaEntryRecord, DecisionRecord
from council.cases.models import AgendaItem, Committee, Meeting
from council.cases.obligations.goal_status import ItemGoals, agenda_goals, item_goals
from council.config.workflow_definition import WorkflowDefinition
from council.notifications import correction_text
from council.notifications.audience import Audience, ShownItem
from council.notifications.document_models import (
    AttachmentView,
    Block,
    ChainStep,
    DecisionView,
    Document,
    HistoryDocument,
    HistoryEvent,
    ItemDocument,
    ItemView,
    MeetingDocument,
    Section,
    TrailAnchor,
)
from council.notifications.errors import TemplateError
from council.notifications.goal_documents import GoalTable, item_goal_table
from council.notifications.rendering import long_date, render, short_date

__all__ = [
    "Document",
    "HistoryDocument",
    "ItemDocument",
    "ItemView",
    "MeetingDocument",
    "TrailAnchor",
    "agenda_document",
    "history_document",
    "item_document",
    "minutes_document",
    "render_document",
]

FORMATS = ("txt", "html")
UNKNOWN_DATE = "(dato ukendt)"

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BULLET = re.compile(r"^(?:[-–•·▪*])\s+")


# ------------------------------------------------------------------------------ building


def agenda_document(
    session: Session, *, meeting_ref: str, definition: WorkflowDefinition, audience: Audience
) -> MeetingDocument:
    """The meeting's agenda: its items in order, with the decisions taken before it."""
    return _meeting_document(
        session, meeting_ref=meeting_ref, definition=definition, audience=audience, minutes=False
    )


def minutes_document(
    session: Session,
    *,
    meeting_ref: str,
    definition: WorkflowDefinition,
    audience: Audience,
    trail: TrailAnchor,
) -> MeetingDocument:
    """The meeting's minutes: the agenda with each item's decision at the meeting, and the
    line that anchors the audit trail (``trail``)."""
    return _meeting_document(
        session,
        meeting_ref=meeting_ref,
        definition=definition,
        audience=audience,
        minutes=True,
        trail=trail,
    )


def history_document(
    session: Session, *, case_number: str, definition: WorkflowDefinition, audience: Audience
) -> HistoryDocument:
    """Every item of the case with all its decisions, then every act in recorded order."""
    case = case_records.by_number(session, case_number)
    assert case.id is not None
    views: list[ItemView] = []
    for item, _code in items.of_case(session, case.id):
        assert item.id is not None
        entry = items.latest_entry(session, item.id)
        committee = committees.by_id(session, item.committee_id)
        decisions = _decisions(session, item, committee, definition)
        views.append(
            _item_view(
                session,
                item,
                committee_name=_name_then(session, committee, entry, decisions),
                case_number=case.number,
                number=entry.number if entry else None,
                decisions=decisions,
                definition=definition,
                audience=audience,
            )
        )
    events = tuple(
        _event(row, definition, shown=audience.item(row))
        for row in case_history.history(session, case.id)
    )
    return HistoryDocument(
        template="history",
        case_number=case.number,
        case_title=case.title,
        owner=case.owner,
        internal=audience.may_see_closed,
        items=tuple(views),
        events=events,
        chain=_chain(session, case.id, definition, audience),
    )


def _chain(
    session: Session, case_id: int, definition: WorkflowDefinition, audience: Audience
) -> tuple[ChainStep, ...]:
    """The case body by body (behandlingsforløb), when a decision sent it on to another."""
    steps = referral_chain.chain(session, case_id)
    if not any(step.referred_to or step.follow_on for step in steps):
        return ()
    names = {c.id: c for c in committees.every(session)}
    shown = []
    for step in steps:
        committee = names[step.committee_id]
        withheld = audience.item(step).withheld
        onward = ""
        if step.follow_on is not None:
            follow_id, code = step.follow_on
            target = next(c for c in names.values() if c.code == code)
            onward = f"{committees.name_on(target, step.on)} (punkt-id {follow_id})"
        elif step.referred_to:
            onward = " og ".join(step.referred_to)
        outcome = _label(definition, step.outcome) if step.outcome else "uklassificeret"
        shown.append(
            ChainStep(
                committee_name=committees.name_on(committee, step.on),
                date=step.on,
                outcome=audience.item(step).title if withheld else outcome,
                onward="" if withheld else onward,
                withheld=withheld,
            )
        )
    return tuple(shown)


def item_document(
    session: Session, *, item_id: int, definition: WorkflowDefinition, audience: Audience
) -> ItemDocument:
    """One item with all its decisions, numbered as on its latest agenda."""
    item = items.by_id(session, item_id)
    assert item.id is not None
    case = case_records.by_id(session, item.case_id)
    committee = committees.by_id(session, item.committee_id)
    entry = items.latest_entry(session, item.id)
    decisions = _decisions(session, item, committee, definition)
    committee_name = _name_then(session, committee, entry, decisions)
    view = _item_view(
        session,
        item,
        committee_name=committee_name,
        case_number=case.number,
        number=entry.number if entry else None,
        decisions=decisions,
        definition=definition,
        audience=audience,
    )
    return ItemDocument(
        template="item",
        case_number=case.number,
        committee_name=committee_name,
        internal=audience.may_see_closed,
        item=view,
    )


def render_document(document: Document, *, fmt: str) -> str:
    """The document as ``txt`` or ``html``, through the project's one Jinja2 environment."""
    if fmt not in FORMATS:
        raise TemplateError(f"ukendt dokumentformat '{fmt}'; brug et af {', '.join(FORMATS)}")
    return render(f"{document.template}.{fmt}.j2", document=document)


def _meeting_document(
    session: Session,
    *,
    meeting_ref: str,
    definition: WorkflowDefinition,
    audience: Audience,
    minutes: bool,
    trail: TrailAnchor | None = None,
) -> MeetingDocument:
    meeting = meetings.by_ref(session, meeting_ref)
    assert meeting.id is not None
    committee = committees.by_id(session, meeting.committee_id)
    committee_name = committees.name_on(committee, meeting.date)
    # the agenda, every decision on its items and their attachments: three selects
    decided = agendas.document_decisions(session, meeting.id)
    attached = agendas.document_attachments(session, meeting.id)
    lines = agendas.document_lines(session, meeting.id)
    corrected = corrections.on_agenda(session, meeting.id)
    goals = agenda_goals(session, meeting.id, fulfilling_states=definition.fulfilling_states)
    views = []
    for line in lines:
        recorded = decided.get(line.id, [])
        everything = [
            (
                decision.audit_seq,
                _DecisionRow(
                    decision, on, committees.name_on(committee, decision.decided_on or on)
                ),
            )
            for decision, on in recorded
        ]
        shown, decided_here = _so_far(everything, meeting.id, line.entry_seq, minutes=minutes)
        views.append(
            _item_view(
                session,
                line,
                committee_name=committee_name,
                case_number=line.case_number,
                number=line.number,
                decisions=shown,
                definition=definition,
                audience=audience,
                continued_from=_carried_from(recorded, meeting.id, definition.carry_over),
                awaiting_decision=minutes and not decided_here,
                attachments=attached.get(line.id, []),
                corrected=corrected.get(line.id, []),
                goals=goals,
            )
        )
    return MeetingDocument(
        template="minutes" if minutes else "agenda",
        title="Beslutningsprotokol" if minutes else "Dagsorden",
        committee_name=committee_name,
        committee_code=committee.code,
        meeting_id=meeting.id,
        date=meeting.date,
        meeting_phrase=meeting_phrase(meeting),
        held=meeting.held_at is not None,
        internal=audience.may_see_closed,
        items=tuple(views),
        trail=trail,
        absent=tuple(_absence(a) for a in meeting.absent or ()) if minutes else (),
        approved=approved_line(meeting.minutes_approved_on) if minutes else "",
        cancelled=meeting.cancelled_at is not None,
    )


def approved_line(on: date | None) -> str:
    """ "Protokollen godkendt den 9. marts 2010" ("" while the minutes are not approved)."""
    return f"Protokollen godkendt den {long_date(on)}" if on is not None else ""


def _absence(absence: dict[str, str | None]) -> str:
    """ "Anne Jensen (afbud)"."""
    reason = absence.get("reason")
    name = absence.get("name") or ""
    return f"{name} ({reason})" if reason else name


def _so_far(
    everything: list[tuple[int, _DecisionRow]], meeting_id: int, entry_seq: int, *, minutes: bool
) -> tuple[list[tuple[int, _DecisionRow]], bool]:
    """The decisions a meeting's document shows of an item, and whether one was taken at
    the meeting: the agenda shows those before the item was put on it, the minutes add
    the one taken there."""
    here = [seq for seq, decision in everything if decision.meeting_id == meeting_id]
    if minutes and here:
        return [pair for pair in everything if pair[0] <= max(here)], True
    return [pair for pair in everything if pair[0] < entry_seq], bool(here)


def _carried_from(
    recorded: list[tuple[DecisionRecord, date | None]],
    meeting_id: int,
    carry_states: frozenset[str],
) -> date | None:
    """The date of the earlier meeting whose decision carried the item on to this one
    (the latest such decision), as ``cases.agendas.lines`` gives it."""
    carried = [
        (decision.id, on)
        for decision, on in recorded
        if decision.meeting_id is not None
        and decision.meeting_id != meeting_id
        and decision.to_state in carry_states
    ]
    return max(carried, key=lambda pair: pair[0])[1] if carried else None


def _decisions(
    session: Session, item: AgendaItem, committee: Committee, definition: WorkflowDefinition
) -> list[tuple[int, _DecisionRow]]:
    assert item.id is not None
    recorded = items.decisions_of(session, item.id)
    days = _naming_days(
        [decision.decided_on or meeting_date for decision, meeting_date in recorded]
    )
    return [
        (
            decision.audit_seq,
            _DecisionRow(decision, meeting_date, committees.name_on(committee, day)),
        )
        for (decision, meeting_date), day in zip(recorded, days, strict=True)
    ]


def _naming_days(days: list[date | None]) -> list[date | None]:
    """The day to name the committee by for each decision: its own, else (a source that
    gives none) the next decision's, else the one before."""
    named: list[date | None] = list(days)
    following: date | None = None
    for index in range(len(named) - 1, -1, -1):
        if named[index] is None:
            named[index] = following
        following = named[index]
    preceding: date | None = None
    for index, day in enumerate(named):
        if day is None:
            named[index] = preceding
        preceding = named[index]
    return named


def _name_then(
    session: Session,
    committee: Committee,
    entry: AgendaEntryRecord | None,
    decisions: list[tuple[int, _DecisionRow]],
) -> str:
    """The committee's name when it last treated the item (its latest decision, else the
    meeting it was last put before; today's name for an item on no agenda yet)."""
    if decisions:
        return decisions[-1][1].committee_name
    if entry is not None:
        return committees.name_on(committee, meetings.by_id(session, entry.meeting_id).date)
    return committee.name


@dataclass(frozen=True)
class _DecisionRow:
    """A recorded decision with what is needed to show it, before it becomes a view."""

    decision: DecisionRecord
    meeting_date: date | None
    committee_name: str

    @property
    def meeting_id(self) -> int | None:
        return self.decision.meeting_id


def _item_view(
    session: Session,
    item: AgendaItem | DocumentLine,
    *,
    committee_name: str,
    case_number: str,
    number: int | None,
    decisions: list[tuple[int, _DecisionRow]],
    definition: WorkflowDefinition,
    audience: Audience,
    continued_from: date | None = None,
    awaiting_decision: bool = False,
    attachments: list[AttachmentLine] | None = None,
    corrected: list[CorrectionRow] | None = None,
    goals: dict[int, ItemGoals] | None = None,
) -> ItemView:
    """The item as a document shows it; what is not given (``attachments``,
    ``corrected``, ``goals`` by item, read for a whole agenda at once) is read here."""
    assert item.id is not None
    shown = audience.item(item)
    withheld = shown.withheld
    if attachments is None and not withheld:
        attachments = attachment_store.of_item(session, item.id)
    if corrected is None:
        corrected = [] if withheld else corrections.of_item(session, item.id)
    prefix = f"{number}. " if number is not None else ""
    heading = f"{prefix}{shown.title}"
    if not withheld:
        heading = f"{prefix}{item.title} ({case_number})"
        if continued_from is not None:
            heading += f" (udsat fra mødet den {long_date(continued_from)})"
    return ItemView(
        anchor=f"punkt-{item.id}",
        number=number,
        heading=heading,
        title=shown.title,
        case_number="" if withheld else case_number,
        committee_name=committee_name,
        closed=item.closed,
        withheld=withheld,
        summary="" if withheld else item.summary,
        summary_blocks=() if withheld else paragraphs(item.summary),
        administration=item.administration,
        points=() if withheld else tuple(item.recommendation),
        sections=() if withheld else _sections(item),
        signatures=() if withheld else tuple(item.signatures),
        attachments=() if withheld else tuple(map(attachment_view, attachments or ())),
        decisions=()
        if withheld
        else tuple(_decision_view(d, definition, corrected) for _, d in decisions),
        notes=()
        if withheld
        else tuple(correction_text.note(c) for c in corrected if c.decision_id is None),
        state=_label(definition, item.state),
        awaiting_decision=awaiting_decision and not withheld,
        item_id=item.id,
        goals=None if withheld else _goals(session, item.id, definition, goals),
    )


ATTACHMENT_PATH = "/bilag"
"""Where the web application serves an attachment's file: ``/bilag/ID/NAME``."""


def attachment_view(line: AttachmentLine) -> AttachmentView:
    """A bilag as documents list it, linked to its file when it has one."""
    if not line.has_file or line.file_name is None:
        return AttachmentView(line.title)
    href = f"{ATTACHMENT_PATH}/{line.id}/{quote(line.file_name, safe='')}"
    return AttachmentView(line.title, href, line.file_name)


def _goals(
    session: Session,
    item_id: int,
    definition: WorkflowDefinition,
    known: dict[int, ItemGoals] | None = None,
) -> GoalTable | None:
    """The item's "Status på mål", when it answers an obligation that has result goals
    (from ``known``, when the goals were read for the whole agenda)."""
    if known is not None:
        found = known.get(item_id)
    else:
        found = item_goals(session, item_id, fulfilling_states=definition.fulfilling_states)
    return item_goal_table(found) if found is not None else None


def _sections(item: AgendaItem | DocumentLine) -> tuple[Section, ...]:
    """Problemstilling, Løsning, Økonomi and Videre proces, those that say something."""
    return tuple(
        Section(heading, text, paragraphs(text))
        for heading, text in (
            ("Problemstilling", item.problem),
            ("Løsning", item.solution),
            ("Økonomi", item.economy),
            ("Videre proces", item.next_steps),
        )
        if text.strip()
    )


def _decision_view(
    row: _DecisionRow, definition: WorkflowDefinition, corrected: list[CorrectionRow]
) -> DecisionView:
    """The decision as recorded (as approved, when corrected after its minutes were),
    with a "Rettet den ..." note for each correction of it."""
    decision = row.decision
    # the day the decision was taken (--at a later day than the meeting's is shown so); the
    # meeting's day for a decision whose source gives none
    when = decision.decided_on or row.meeting_date
    own = [c for c in corrected if c.decision_id == decision.id]
    text = correction_text.as_approved(decision.text, own)
    heading = decision_heading(row.committee_name, when)
    if definition.withdrawn is not None and decision.to_state == definition.withdrawn:
        # "Punktet blev trukket: <grund>" in place of the committee's decision
        heading, text = " ".join(text.split()), ""
    return DecisionView(
        heading=heading,
        committee_name=row.committee_name,
        date=when,
        text=text,
        blocks=tuple(Block("p", (line,)) for line in text.splitlines() if line.strip()),
        outcome=_label(definition, decision.outcome) if decision.outcome else None,
        state=_label(definition, decision.to_state),
        notes=tuple(correction_text.note(c) for c in own),
    )


def _event(row: HistoryRow, definition: WorkflowDefinition, *, shown: ShownItem) -> HistoryEvent:
    withheld = shown.withheld
    decided = row.text is not None
    return HistoryEvent(
        seq=row.seq,
        recorded_at=row.recorded_at,
        actor=row.actor,
        committee_code=row.committee,
        meeting_date=row.meeting_date,
        on_meeting=row.meeting_id is not None,
        agenda_number=row.agenda_number,
        act=shown.title if withheld else _act(row),
        from_state="" if withheld else _label(definition, row.from_state),
        to_state="" if withheld else _label(definition, row.to_state),
        outcome=_label(definition, row.outcome) if row.outcome and not withheld else None,
        unclassified=decided and row.outcome is None and not withheld,
        text=None if withheld else _history_text(row),
        withheld=withheld,
    )


def _act(row: HistoryRow) -> str:
    if row.correction is not None:
        return "Rettelse"
    if row.move is not None:
        return "Flyttet"
    return "Beslutning" if row.text is not None else "Forelagt"


def _history_text(row: HistoryRow) -> str | None:
    """The decision's words, for a correction its "Rettet den ..." note, for a move where
    from and to."""
    if row.move is not None:
        return correction_text.move_note(row.move)
    found = row.correction
    if found is None:
        return row.text
    return correction_text.note_of(
        subject=found["subject"],
        reason=found["reason"],
        after_approval=found["minutes_approved"],
        before=found["before"],
        after=found["after"],
        corrected_at=row.recorded_at,
    )


# ------------------------------------------------------------------------------ wording


def genitive(name: str) -> str:
    """'Socialudvalget' -> 'Socialudvalgets'; a name ending in s, x or z takes an apostrophe."""
    return f"{name}'" if name.endswith(("s", "x", "z")) else f"{name}s"


def decision_heading(committee_name: str, when: date | None) -> str:
    """'Socialudvalgets beslutning den 16.09.2026', or '... beslutning (dato ukendt)'."""
    if when is None:
        return f"{genitive(committee_name)} beslutning {UNKNOWN_DATE}"
    return f"{genitive(committee_name)} beslutning den {short_date(when)}"


def meeting_phrase(meeting: Meeting) -> str:
    """'mødet den 23. februar 2010 kl. 15.30, Rådhuset'; an unknown date says so."""
    phrase = f"mødet den {long_date(meeting.date)}" if meeting.date else f"mødet {UNKNOWN_DATE}"
    if meeting.start_time is not None:
        phrase += f" kl. {_clock(meeting.start_time)}"
    if meeting.place:
        phrase += f", {meeting.place}"
    return phrase


def _clock(value: time) -> str:
    return f"{value.hour:02d}.{value.minute:02d}"


def _label(definition: WorkflowDefinition, state: str) -> str:
    known = definition.states.get(state)
    return known.label if known else state


def paragraphs(text: str) -> tuple[Block, ...]:
    """Blank-line separated paragraphs; a run of "- ..." paragraphs becomes one list."""
    blocks: list[Block] = []
    for raw in _PARAGRAPH_BREAK.split(text.strip()):
        lines = tuple(line.strip() for line in raw.splitlines() if line.strip())
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            points = tuple(_BULLET.sub("", line, count=1) for line in lines)
            if blocks and blocks[-1].kind == "ul":
                blocks[-1] = Block("ul", blocks[-1].lines + points)
            else:
                blocks.append(Block("ul", points))
        else:
            blocks.append(Block("p", lines))
    return tuple(blocks)
