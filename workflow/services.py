"""The acts of the secretariat, each one short function over a unit of work.

Every function takes keyword-only arguments, an ``actor`` and an injected ``now``, and
commits its records together with their audit entry, or nothing at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from council.cases import audit, queries
from council.cases.dates import format_date, local_date, require_aware, require_plausible
from council.cases.db import Prepared, PreparedInsert, UnitOfWork
from council.cases.errors import AlreadyExistsError, ConflictError, InvalidInputError, NotFoundError
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    Case,
    Committee,
    Decision,
    Meeting,
)
from council.cases.types import is_row_id
from council.config.committees import CommitteeConfig
from council.workflow.errors import InvalidActorError, MissingActorError, WorkflowError
from council.workflow.guards import DECISION, ORIENTATION, TransitionContext
from council.workflow.machine import ItemState, Rulebook

CASE_NUMBER = re.compile(r"^[0-9A-Za-zÆØÅæøå][0-9A-Za-zÆØÅæøå./-]{0,39}$")
KIND_WORDS = {
    "orientering": ORIENTATION,
    "orienteringssag": ORIENTATION,
    "beslutning": DECISION,
    "beslutningssag": DECISION,
}


MAX_AGENDA_NUMBER = 9999


MAX_ACTOR_LENGTH = 200
"""The length of the ``actor`` columns (the audit trail, decisions, agenda entries, links)."""
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control and format characters (newlines, escapes, zero-width and direction marks),
surrogates, private-use and unassigned code points, line and paragraph separators."""


def require_actor(actor: str | None) -> str:
    """The name of who acts, as the records keep it; refused when missing, when it holds a
    character a reader of the audit trail could not see (or that would break a line), when
    it has no letter or digit, or when it is longer than the records hold."""
    if actor is None or not actor.strip():
        raise MissingActorError(
            "no actor given: pass --actor NAME or set COUNCIL_ACTOR "
            "(every change records who made it)"
        )
    name = actor.strip()
    hidden = next((c for c in name if unicodedata.category(c) in _UNPRINTABLE), None)
    if hidden is not None:
        raise InvalidActorError(
            f"the actor name holds an invisible or control character (U+{ord(hidden):04X}); "
            "give the name in plain letters, e.g. --actor 'Anne Jensen, BIU-sekretariatet'"
        )
    if not any(unicodedata.category(c)[0] in "LN" for c in name):
        raise InvalidActorError(
            "the actor name has no letter or digit; give a name, "
            "e.g. --actor 'Anne Jensen, BIU-sekretariatet'"
        )
    if len(name) > MAX_ACTOR_LENGTH:
        raise InvalidActorError(
            f"the actor name is {len(name)} characters long; the records hold at most "
            f"{MAX_ACTOR_LENGTH}: give a shorter name"
        )
    return name


def _required_text(value: str, what: str) -> str:
    if not value or not value.strip():
        raise InvalidInputError(f"{what} must not be empty")
    return value.strip()


def load_committees(
    uow: UnitOfWork, *, committees: list[CommitteeConfig], actor: str, now: datetime
) -> list[str]:
    """Add or update committees from config; returns the codes that changed."""
    actor, now = require_actor(actor), require_aware(now)
    changed = []
    with uow:
        session = uow.session
        for config in committees:
            row = session.scalars(select(Committee).where(Committee.code == config.code)).first()
            values = {
                "name": config.name,
                "administration": config.administration,
                "secretariat_email": config.secretariat_email,
            }
            if row is not None and all(getattr(row, k) == v for k, v in values.items()):
                continue
            if row is None:
                row = Committee(code=config.code, **values)
                session.add(row)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            session.flush()
            link = audit.next_link(session)
            audit.append(
                session,
                link,
                action="committee.loaded",
                actor=actor,
                now=now,
                data={"code": config.code, **values},
            )
            changed.append(config.code)
        uow.commit()
    return changed


def create_case(
    uow: UnitOfWork, *, number: str, title: str, owner: str, actor: str, now: datetime
) -> Case:
    actor, now = require_actor(actor), require_aware(now)
    number = number.strip()
    if not CASE_NUMBER.match(number):
        raise InvalidInputError(
            f"case number '{number}' is malformed; use the journal number, e.g. 2010-4130"
        )
    title, owner = _required_text(title, "the case title"), _required_text(owner, "the owner")
    with uow:
        session = uow.session
        if session.scalars(select(Case.id).where(Case.number == number)).first() is not None:
            raise AlreadyExistsError(
                f"case {number} already exists; 'council case show {number}' shows it"
            )
        case = Case(number=number, title=title, owner=owner, created_at=now)
        session.add(case)
        session.flush()
        link = audit.next_link(session)
        audit.append(
            session,
            link,
            action="case.created",
            actor=actor,
            now=now,
            case_id=case.id,
            data={"number": number, "title": title, "owner": owner},
        )
        uow.commit()
    return case


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
    actor, now = require_actor(actor), require_aware(now)
    if on is not None:
        require_plausible(on, what=f"the meeting date {format_date(on)}")
    with uow:
        session = uow.session
        committee = queries.committee_by_code(session, committee_code)
        if (
            on is not None
            and session.scalars(
                select(Meeting.id).where(Meeting.committee_id == committee.id, Meeting.date == on)
            ).first()
            is not None
        ):
            raise AlreadyExistsError(f"{committee.code} already has a meeting on {format_date(on)}")
        meeting = Meeting(
            committee_id=committee.id,
            date=on,
            start_time=start_time,
            place=place,
            created_at=now,
        )
        session.add(meeting)
        session.flush()
        link = audit.next_link(session)
        audit.append(
            session,
            link,
            action="meeting.created",
            actor=actor,
            now=now,
            data={
                "meeting_id": meeting.id,
                "committee": committee.code,
                "date": on.isoformat() if on else None,
                "start_time": start_time.isoformat() if start_time else None,
                "place": place,
            },
        )
        uow.commit()
    return meeting


def close_meeting(
    uow: UnitOfWork, rulebook: Rulebook, *, meeting_ref: str, actor: str, now: datetime
) -> Meeting:
    """Mark a meeting held; refused while an item on its agenda has no decision."""
    actor, now = require_actor(actor), require_aware(now)
    with uow:
        session = uow.session
        meeting = queries.meeting_by_ref(session, meeting_ref)
        if meeting.held_at is not None:
            raise WorkflowError(f"meeting {meeting.id} was already closed")
        carry = rulebook.definition.carry_over
        undecided = [
            line
            for line in queries.agenda(session, meeting, carry_states=carry)
            if line.decision is None
        ]
        if undecided:
            numbers = ", ".join(f"punkt {line.number} (item {line.item.id})" for line in undecided)
            raise WorkflowError(
                f"meeting {meeting.id} cannot be closed: no decision yet on {numbers}; "
                "record one with 'council item decide'"
            )
        meeting.held_at = now
        session.add(meeting)
        link = audit.next_link(session)
        audit.append(
            session,
            link,
            action="meeting.closed",
            actor=actor,
            now=now,
            data={"meeting_id": meeting.id},
        )
        uow.commit()
    return meeting


@dataclass(frozen=True)
class ItemDraft:
    """The content of an agenda item as the administration writes it."""

    title: str
    kind: str
    closed: bool = False
    summary: str = ""
    administration: str | None = None
    recommendation: tuple[str, ...] = ()
    problem: str = ""
    solution: str = ""
    economy: str = ""
    next_steps: str = ""
    signatures: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()


def normalise_kind(word: str) -> str:
    kind = KIND_WORDS.get(word.strip().casefold())
    if kind is None:
        raise InvalidInputError(f"item kind '{word}' is unknown; use orientering or beslutning")
    return kind


def draft_item(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    case_number: str,
    committee_code: str,
    draft: ItemDraft,
    actor: str,
    now: datetime,
) -> AgendaItem:
    actor, now = require_actor(actor), require_aware(now)
    title = _required_text(draft.title, "the item title")
    kind = normalise_kind(draft.kind)
    points = tuple(p.strip() for p in draft.recommendation if p.strip())
    with uow:
        session = uow.session
        case = queries.case_by_number(session, case_number)
        committee = queries.committee_by_code(session, committee_code)
        item = AgendaItem(
            case_id=case.id,
            committee_id=committee.id,
            title=title,
            kind=kind,
            closed=draft.closed,
            summary=draft.summary.strip(),
            administration=(draft.administration or committee.administration).strip(),
            recommendation=list(points),
            problem=draft.problem.strip(),
            solution=draft.solution.strip(),
            economy=draft.economy.strip(),
            next_steps=draft.next_steps.strip(),
            signatures=list(draft.signatures),
            state=rulebook.definition.initial,
            version=1,
            created_at=now,
        )
        session.add(item)
        session.flush()
        for position, name in enumerate(draft.attachments, start=1):
            session.add(Attachment(item_id=item.id, position=position, title=name))
        link = audit.next_link(session)
        audit.append(
            session,
            link,
            action="item.drafted",
            actor=actor,
            now=now,
            case_id=case.id,
            item_id=item.id,
            data={
                "state": item.state,
                "case": case.number,
                "committee": committee.code,
                "title": title,
                "kind": kind,
                "closed": draft.closed,
                "summary": item.summary,
                "administration": item.administration,
                "recommendation": list(points),
                "problem": item.problem,
                "solution": item.solution,
                "economy": item.economy,
                "next_steps": item.next_steps,
                "signatures": list(draft.signatures),
                "attachments": list(draft.attachments),
            },
        )
        uow.commit()
    return item


@dataclass(frozen=True)
class TransitionResult:
    """What a transition did; ``title`` and ``closed`` are the item's, so that a face can
    ask :mod:`council.workflow.visibility` what of it to show."""

    item_id: int
    trigger: str
    from_state: str
    to_state: str
    version: int
    meeting_id: int | None
    agenda_number: int | None = None
    decision_id: int | None = None
    decided_on: date | None = None
    text: str | None = None
    title: str = ""
    closed: bool = False


def present_item(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item_id: int,
    meeting_ref: str,
    number: int | None = None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
    unnumbered: bool = False,
) -> TransitionResult:
    """Forelæg: put the item before a meeting of its committee as agenda number ``number``.

    Without ``number`` the item gets the meeting's next one, unless ``unnumbered`` (an
    imported treatment whose source does not print its number there: none is made up).
    """
    actor, now = require_actor(actor), require_aware(now)
    if number is not None and not 1 <= number <= MAX_AGENDA_NUMBER:
        raise InvalidInputError(f"an agenda number is 1 to {MAX_AGENDA_NUMBER}, not {number}")
    with uow:
        connection = uow.connection()
        loaded = _load_item(uow, connection, item_id, _FOR_PRESENT)
        item = loaded.item
        _check_version(item, expected_version)
        move = rulebook.presentation(item.state, item.id)
        meeting = _meeting_by_ref(uow, connection, meeting_ref)
        context = _context(uow, rulebook, loaded, meeting=meeting)
        holder = _fire(rulebook, move, item, context)
        if connection.dialect.name != "sqlite":
            # agenda numbers are handed out one clerk at a time (SQLite's BEGIN IMMEDIATE
            # already serialises writers; elsewhere the meeting's row is the lock)
            _LOCK_MEETING.scalar(connection, meeting_id=meeting.id)
        if number is None and not unnumbered:
            number = (_HIGHEST_NUMBER.scalar(connection, meeting_id=meeting.id) or 0) + 1
        _store_state(uow, item, holder.state)
        link = audit.next_link(connection)
        entry_id = _insert(
            uow,
            AgendaEntry,
            meeting_id=meeting.id,
            item_id=item.id,
            number=number,
            from_state=item.state,
            actor=actor,
            presented_at=now,
            audit_seq=link.seq,
        )
        audit.append(
            connection,
            link,
            action="item.transition",
            actor=actor,
            now=now,
            case_id=item.case_id,
            item_id=item.id,
            data={
                "trigger": move.trigger,
                "from": item.state,
                "to": holder.state,
                "version": item.version + 1,
                "meeting_id": meeting.id,
                "agenda_entry": {"id": entry_id, "meeting_id": meeting.id, "number": number},
            },
        )
        uow.commit()
    return TransitionResult(
        item.id,
        move.trigger,
        item.state,
        holder.state,
        item.version + 1,
        meeting.id,
        agenda_number=number,
        title=item.title,
        closed=bool(item.closed),
    )


def decide_item(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item_id: int,
    outcome: str,
    text: str | None = None,
    decided_on: date | None = None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
    classified: bool = True,
    date_unknown: bool = False,
    referred_to: tuple[str, ...] = (),
) -> TransitionResult:
    """Record the committee's decision on an item: its outcome and the verbatim text.

    ``classified=False`` keeps the text of a decision whose wording no phrase recognised
    (an import); its outcome is then stored as unknown while the state still moves.
    ``date_unknown=True`` stores no decision date (a source that does not give it) instead
    of defaulting to the meeting's date or today. ``referred_to`` names the bodies the
    decision sends the case on to, as the source writes them.
    """
    actor, now = require_actor(actor), require_aware(now)
    if decided_on is not None:
        require_plausible(decided_on, what=f"the decision date {format_date(decided_on)}")
    with uow:
        connection = uow.connection()
        loaded = _load_item(uow, connection, item_id, _FOR_DECISION)
        item = loaded.item
        _check_version(item, expected_version)
        move = rulebook.decision(item.state, outcome, item.id)
        # the open entry is the latest one, loaded with the item (and its meeting with it)
        entry = loaded.latest_entry() if item.state in rulebook.presented_states else None
        meeting = loaded.latest_entry_meeting() if entry else None
        on = (
            None
            if date_unknown
            else decided_on or (meeting.date if meeting else None) or local_date(now)
        )
        context = _context(uow, rulebook, loaded, meeting=meeting, open_entry=entry, decided_on=on)
        holder = _fire(rulebook, move, item, context)
        sentence = text if text is not None else rulebook.standard_sentence(move.dest)
        if sentence is None or not sentence.strip():
            raise InvalidInputError(
                f"'{rulebook.label(move.dest)}' has no standard sentence; give the decision --text"
            )
        _store_state(uow, item, holder.state)
        link = audit.next_link(connection)
        stored_outcome = move.dest if classified else None
        referral = {"referred_to": list(referred_to)} if referred_to else {}
        decision_id = _insert(
            uow,
            Decision,
            item_id=item.id,
            meeting_id=meeting.id if meeting else None,
            decided_on=on,
            trigger=move.trigger,
            from_state=item.state,
            to_state=holder.state,
            outcome=stored_outcome,
            text=sentence,
            actor=actor,
            recorded_at=now,
            audit_seq=link.seq,
            **referral,
        )
        audit.append(
            connection,
            link,
            action="item.transition",
            actor=actor,
            now=now,
            case_id=item.case_id,
            item_id=item.id,
            data={
                "trigger": move.trigger,
                "from": item.state,
                "to": holder.state,
                "version": item.version + 1,
                "meeting_id": meeting.id if meeting else None,
                "decision": {
                    "id": decision_id,
                    "outcome": stored_outcome,
                    "text": sentence,
                    "decided_on": on.isoformat() if on else None,
                    **referral,
                },
            },
        )
        uow.commit()
    return TransitionResult(
        item.id,
        move.trigger,
        item.state,
        holder.state,
        item.version + 1,
        meeting.id if meeting else None,
        decision_id=decision_id,
        decided_on=on,
        text=sentence,
        title=item.title,
        closed=bool(item.closed),
    )


def _context(
    uow: UnitOfWork,
    rulebook: Rulebook,
    loaded: _LoadedItem,
    *,
    meeting: _MeetingRow | None,
    open_entry: _EntryRow | None = None,
    decided_on: date | None = None,
) -> TransitionContext:
    """What the guards see, from the item as loaded with its committee and dates."""
    connection = uow.connection()
    item, committee = loaded.item, loaded.committee
    if committee is None:
        committee = _committee(uow, connection, item.committee_id)
    meeting_committee = (
        committee
        if meeting is None or meeting.committee_id == committee.id
        else _committee(uow, connection, meeting.committee_id)
    )
    if open_entry is None and item.state in rulebook.presented_states:
        open_entry = _LATEST_ENTRY.first(connection, item_id=item.id)
    return TransitionContext(
        item=item,
        committee=committee,
        meeting=meeting,
        meeting_committee=meeting_committee,
        open_entry=open_entry,
        last_treated_on=loaded.last_treated_on,
        decided_on=decided_on,
    )


def _check_version(item: _ItemRow, expected_version: int | None) -> None:
    """A clerk who read an older version is told so before anything else is judged."""
    if expected_version is not None and expected_version != item.version:
        raise ConflictError(_conflict_message(item.id))


def _fire(rulebook: Rulebook, move: Any, item: _ItemRow, context: TransitionContext) -> ItemState:
    holder = ItemState(item.state)
    rulebook.fire(move, holder, context)
    return holder


def _conflict_message(item_id: int) -> str:
    return (
        f"item {item_id} was changed by someone else since you read it; "
        f"look at 'council item show {item_id}' and try again"
    )


def _store_state(uow: UnitOfWork, item: _ItemRow, state: str) -> None:
    """Compare-and-set on the version column: a concurrent change makes this a conflict."""
    changed = _STORE_STATE.run(
        uow.connection(),
        item_id=item.id,
        expected_version=item.version,
        state=state,
        version=item.version + 1,
    )
    if changed != 1:
        raise ConflictError(_conflict_message(item.id))


def _insert(uow: UnitOfWork, table: Any, **values: Any) -> int:
    statement = _INSERTS.get((table, tuple(values)))
    if statement is None:
        statement = PreparedInsert(table, table.id, column_keys=tuple(values))
        _INSERTS[(table, tuple(values))] = statement
    try:
        new_id = statement(uow.connection(), **values)
    except IntegrityError as exc:
        if table is AgendaEntry:
            raise AlreadyExistsError(
                f"meeting {values['meeting_id']} already has an item number {values['number']}; "
                "choose another --number"
            ) from exc
        raise
    return int(new_id)


# ------------------------------------------------------------------ the transitions' hot path
#
# A transition is a handful of one-row statements. Through the ORM each costs several times
# what SQLite spends on it (statement building, cache keys, identity map, loading), so the
# present/decide path runs compiled Core statements on the unit's connection (cases.db.
# Prepared) and hands the guards plain tuples of the columns they read (workflow.guards'
# protocols). Anything unusual (a meeting named COMMITTEE:DATE, a row that is not there)
# goes through cases.queries as before, so lookups and their error messages stay the same.


class _ItemRow(NamedTuple):
    id: int
    case_id: int
    committee_id: int
    kind: str
    state: str
    version: int
    title: str
    closed: bool


class _CommitteeRow(NamedTuple):
    id: int
    code: str


class _MeetingRow(NamedTuple):
    id: int
    committee_id: int
    date: date | None
    held_at: datetime | None


class _EntryRow(NamedTuple):
    id: int
    meeting_id: int


def _columns(model: Any, row: Any, source: Any = None) -> list[Any]:
    """The model's columns named like ``row``'s fields, from ``source`` (an alias) if given."""
    return [getattr(source if source is not None else model, key) for key in row._fields]


class _Rows:
    """Loads one row of a model's columns by a WHERE clause, as a plain tuple type."""

    def __init__(
        self, model: Any, row: Any, where: ColumnElement[bool], *, order_by: Any = None
    ) -> None:
        self.row = row
        statement = select(*_columns(model, row)).where(where)
        if order_by is not None:
            statement = statement.order_by(order_by).limit(1)
        self.statement = Prepared(statement)

    def first(self, connection: Connection, **params: Any) -> Any:
        found = self.statement.first(connection, **params)
        return None if found is None else self.row._make(found)


_MEETING = _Rows(Meeting, _MeetingRow, Meeting.id == bindparam("id"))
_COMMITTEE = _Rows(Committee, _CommitteeRow, Committee.id == bindparam("id"))
_LATEST_ENTRY = _Rows(
    AgendaEntry,
    _EntryRow,
    AgendaEntry.item_id == bindparam("item_id"),
    order_by=AgendaEntry.id.desc(),
)
# FOR NO KEY UPDATE (PostgreSQL): presentations to one meeting queue on its row, while
# decisions and entries that merely reference the meeting (their foreign keys take FOR KEY
# SHARE) do not wait for it: a plain FOR UPDATE here deadlocked against a decision at the
# same meeting that already held the audit head.
_LOCK_MEETING = Prepared(
    select(Meeting.id).where(Meeting.id == bindparam("meeting_id")).with_for_update(key_share=True)
)
_HIGHEST_NUMBER = Prepared(
    select(func.max(AgendaEntry.number)).where(AgendaEntry.meeting_id == bindparam("meeting_id"))
)
_STORE_STATE = Prepared(
    update(AgendaItem).where(
        AgendaItem.id == bindparam("item_id"),
        AgendaItem.version == bindparam("expected_version"),
    ),
    column_keys=("state", "version"),
)
_INSERTS: dict[tuple[Any, tuple[str, ...]], PreparedInsert] = {}


def _item_bundle(*, with_latest_entry: bool) -> Prepared:
    """One select for what a transition reads about its item: the item, its committee and
    the date it was last treated (queries.last_treated_on); for a decision also its latest
    agenda entry (queries.latest_entry) and that entry's meeting. Outer joins: a part that
    is not there comes back as NULLs."""
    treated_meeting, treated_entry = aliased(Meeting), aliased(AgendaEntry)
    last_treated_on = (
        select(func.max(treated_meeting.date))
        .join(treated_entry, treated_entry.meeting_id == treated_meeting.id)
        .where(treated_entry.item_id == AgendaItem.id)
        .correlate(AgendaItem)
        .scalar_subquery()
    )
    columns = [
        *_columns(AgendaItem, _ItemRow),
        *_columns(Committee, _CommitteeRow),
        last_treated_on.label("last_treated_on"),
    ]
    statement = select(*columns).outerjoin(Committee, Committee.id == AgendaItem.committee_id)
    if with_latest_entry:
        open_entry, open_meeting, newer = (
            aliased(AgendaEntry, name="open_entry"),
            aliased(Meeting, name="open_meeting"),
            aliased(AgendaEntry),
        )
        latest_id = (
            select(func.max(newer.id))
            .where(newer.item_id == AgendaItem.id)
            .correlate(AgendaItem)
            .scalar_subquery()
        )
        statement = (
            statement.add_columns(
                *_columns(AgendaEntry, _EntryRow, open_entry),
                *_columns(Meeting, _MeetingRow, open_meeting),
            )
            .outerjoin(open_entry, open_entry.id == latest_id)
            .outerjoin(open_meeting, open_meeting.id == open_entry.meeting_id)
        )
    return Prepared(statement.where(AgendaItem.id == bindparam("id")))


_FOR_PRESENT = _item_bundle(with_latest_entry=False)
_FOR_DECISION = _item_bundle(with_latest_entry=True)
_COMMITTEE_AT = len(_ItemRow._fields)
_TREATED_AT = _COMMITTEE_AT + len(_CommitteeRow._fields)
_ENTRY_AT = _TREATED_AT + 1
_MEETING_AT = _ENTRY_AT + len(_EntryRow._fields)


class _LoadedItem:
    """An item as a transition loads it, with the rows around it (as the bundle gave them)."""

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.row = row
        self.item = _ItemRow._make(row[:_COMMITTEE_AT])
        self.committee: _CommitteeRow | None = None
        if row[_COMMITTEE_AT] is not None:  # else there is no such committee: _context says so
            self.committee = _CommitteeRow._make(row[_COMMITTEE_AT:_TREATED_AT])
        self.last_treated_on: date | None = row[_TREATED_AT]

    def latest_entry(self) -> _EntryRow | None:
        row = self.row
        if len(row) <= _ENTRY_AT or row[_ENTRY_AT] is None:
            return None
        return _EntryRow._make(row[_ENTRY_AT:_MEETING_AT])

    def latest_entry_meeting(self) -> _MeetingRow | None:
        row = self.row
        if len(row) <= _MEETING_AT or row[_MEETING_AT] is None:
            return None
        return _MeetingRow._make(row[_MEETING_AT:])


def _load_item(
    uow: UnitOfWork, connection: Connection, item_id: int, bundle: Prepared
) -> _LoadedItem:
    row = bundle.first(connection, id=item_id) if is_row_id(item_id) else None
    if row is None:
        queries.item_by_id(uow.session, item_id)  # says which item does not exist
        row = bundle.first(connection, id=item_id)  # it was committed meanwhile
        if row is None:
            raise NotFoundError(f"unknown item {item_id}")
    return _LoadedItem(row)


def _committee(uow: UnitOfWork, connection: Connection, committee_id: int) -> _CommitteeRow:
    committee: _CommitteeRow | None = _COMMITTEE.first(connection, id=committee_id)
    if committee is None:
        found = queries.committee_by_id(uow.session, committee_id)
        return _CommitteeRow(committee_id, found.code)
    return committee


def _meeting_by_ref(uow: UnitOfWork, connection: Connection, ref: str) -> _MeetingRow:
    text = ref.strip()
    if text.isascii() and text.isdigit() and is_row_id(int(text)):
        meeting: _MeetingRow | None = _MEETING.first(connection, id=int(text))
        if meeting is not None:
            return meeting
    found = queries.meeting_by_ref(uow.session, ref)
    assert found.id is not None
    return _MeetingRow(found.id, found.committee_id, found.date, found.held_at)
