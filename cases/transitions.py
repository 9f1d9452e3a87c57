"""An agenda item's transition in the records: the item as its guards read it, the
compare-and-set of its state, and the agenda entry or decision with its audit entry.

A transition is a handful of one-row statements. Through the ORM each costs several times
what SQLite spends on it (statement building, cache keys, identity map, loading), so this
store runs compiled Core statements (:class:`~council.cases.prepared.Prepared`) on the unit of
work's connection and returns named rows of the columns the guards and the acts read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, null, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import col

from council.cases import audit, items, search_index
from council.cases.committees import CommitteeRow
from council.cases.db import UnitOfWork
from council.cases.decision_parts import PART_COLUMNS
from council.cases.errors import AgendaNumberTaken, ConflictError, NotFoundError
from council.cases.item_records import (
    AgendaEntryRecord,
    DecisionRecord,
    Record,
    transition_body,
)
from council.cases.meetings import MeetingRow
from council.cases.models import AgendaEntry, AgendaItem, Committee, Decision, Meeting
from council.cases.prepared import Prepared, PreparedInsert
from council.cases.types import is_row_id


class OpenEntry(NamedTuple):
    """The item's latest agenda entry: the meeting it was last put before."""

    id: int
    meeting_id: int


class CompetentBody(NamedTuple):
    id: int
    code: str
    name: str


class LoadedItem(NamedTuple):
    """An agenda item as a transition reads it, in one select: its own columns, its
    committee's code, the date it was last treated, and (loaded for a decision) its latest
    agenda entry with that entry's meeting; a part that is not there is None."""

    id: int
    case_id: int
    committee_id: int
    kind: str
    state: str
    version: int
    title: str
    closed: bool
    competent_committee_id: int | None
    committee_code: str | None
    last_treated_on: date | None
    entry_id: int | None
    entry_meeting_id: int | None
    meeting_committee_id: int | None
    meeting_date: date | None
    meeting_held_at: datetime | None
    meeting_cancelled_at: datetime | None
    competent_code: str | None
    competent_name: str | None

    @property
    def committee(self) -> CommitteeRow:
        assert self.committee_code is not None, "load() refuses an item without its committee"
        return CommitteeRow(self.committee_id, self.committee_code)

    @property
    def competent(self) -> CompetentBody | None:
        """The body that decides the item's matter when it is not the item's committee."""
        if self.competent_committee_id is None or self.competent_code is None:
            return None
        return CompetentBody(
            self.competent_committee_id, self.competent_code, self.competent_name or ""
        )

    @property
    def latest_entry(self) -> OpenEntry | None:
        if self.entry_id is None or self.entry_meeting_id is None:
            return None
        return OpenEntry(self.entry_id, self.entry_meeting_id)

    @property
    def latest_meeting(self) -> MeetingRow | None:
        """The meeting of :attr:`latest_entry`."""
        if self.entry_meeting_id is None or self.meeting_committee_id is None:
            return None
        return MeetingRow(
            self.entry_meeting_id,
            self.meeting_committee_id,
            self.meeting_date,
            self.meeting_held_at,
            self.meeting_cancelled_at,
        )


def _load_statement(*, with_latest_entry: bool) -> Prepared:
    entry = aliased(AgendaEntry, name="latest_entry")
    meeting = aliased(Meeting, name="latest_meeting")
    competent = aliased(Committee, name="competent")
    own = LoadedItem._fields[: LoadedItem._fields.index("committee_code")]
    latest: dict[str, Any] = {
        "entry_id": entry.id,
        "entry_meeting_id": entry.meeting_id,
        "meeting_committee_id": meeting.committee_id,
        "meeting_date": meeting.date,
        "meeting_held_at": meeting.held_at,
        "meeting_cancelled_at": meeting.cancelled_at,
    }
    if not with_latest_entry:
        latest = dict.fromkeys(latest, null())
    columns = {
        **{name: getattr(AgendaItem, name) for name in own},
        "committee_code": Committee.code,
        "last_treated_on": items.last_treated_on_of(col(AgendaItem.id)).correlate(AgendaItem),
        **latest,
        "competent_code": competent.code,
        "competent_name": competent.name,
    }
    assert tuple(columns) == LoadedItem._fields
    statement = (
        select(*columns.values())
        .outerjoin(Committee, col(Committee.id) == col(AgendaItem.committee_id))
        .outerjoin(competent, col(competent.id) == col(AgendaItem.competent_committee_id))
    )
    if with_latest_entry:
        latest_id = items.latest_entry_id_of(col(AgendaItem.id)).correlate(AgendaItem)
        statement = statement.outerjoin(entry, col(entry.id) == latest_id).outerjoin(
            meeting, col(meeting.id) == col(entry.meeting_id)
        )
    return Prepared(statement.where(col(AgendaItem.id) == bindparam("id")))


_FOR_PRESENTING = _load_statement(with_latest_entry=False)
_FOR_DECIDING = _load_statement(with_latest_entry=True)


def load(uow: UnitOfWork, item_id: int, *, with_latest_entry: bool) -> LoadedItem:
    """The item as a transition reads it; its latest agenda entry only when asked for."""
    statement = _FOR_DECIDING if with_latest_entry else _FOR_PRESENTING
    found = statement.first(uow.connection(), id=item_id) if is_row_id(item_id) else None
    if found is None:
        raise NotFoundError("item", item_id)
    item = LoadedItem._make(found)
    if item.committee_code is None:
        raise NotFoundError("committee", item.committee_id)
    return item


_STORE_STATE = Prepared(
    update(AgendaItem).where(
        col(AgendaItem.id) == bindparam("item_id"),
        col(AgendaItem.version) == bindparam("expected_version"),
    ),
    column_keys=("state", "version"),
)
_VERSION = Prepared(select(col(AgendaItem.version)).where(col(AgendaItem.id) == bindparam("id")))


def store_state(uow: UnitOfWork, item: LoadedItem, state: str) -> None:
    """Move the item to ``state`` if it is still at the version it was read at (a
    compare-and-set on the version column): a concurrent change makes this a conflict."""
    connection = uow.connection()
    changed = _STORE_STATE.run(
        connection,
        item_id=item.id,
        expected_version=item.version,
        state=state,
        version=item.version + 1,
    )
    if changed != 1:
        raise ConflictError(item.id, item.version, _VERSION.scalar(connection, id=item.id))


_INSERTS: dict[tuple[type, tuple[str, ...]], PreparedInsert] = {}
# A JSON column given None stores JSON's null; left out of the INSERT it is SQL NULL, which
# is what readers of a decision without a referral look for.
_LEFT_OUT_WHEN_NONE = frozenset({"referred_to", *PART_COLUMNS})


def record_values(record: Record, audit_seq: int) -> dict[str, Any]:
    """The columns an INSERT of ``record`` names, with their values (the id left out)."""
    values = {
        name: value
        for name, value in record._asdict().items()
        if name != "id" and not (value is None and name in _LEFT_OUT_WHEN_NONE)
    }
    values["audit_seq"] = audit_seq
    return values


def _insert(connection: Connection, record: Record, audit_seq: int) -> int:
    """Insert ``record`` (its id left to the database); returns the new row's id."""
    values = record_values(record, audit_seq)
    keys = (type(record), tuple(values))
    statement = _INSERTS.get(keys)
    if statement is None:
        model = AgendaEntry if isinstance(record, AgendaEntryRecord) else Decision
        statement = _INSERTS[keys] = PreparedInsert(model, model.id, column_keys=keys[1])
    return statement(connection, **values)


def record_transition(
    uow: UnitOfWork, item: LoadedItem, record: Record, *, trigger: str, to_state: str
) -> Record:
    """Move ``item`` to ``to_state`` and write ``record`` (the agenda entry or decision the
    move makes) with its ``item.transition`` audit entry, in the unit's transaction.

    Returns the record as written, with its id and the seq of its audit entry.
    """
    connection = uow.connection()
    store_state(uow, item, to_state)
    link = audit.next_link(connection)
    try:
        new_id = _insert(connection, record, link.seq)
    except IntegrityError as exc:
        if isinstance(record, AgendaEntryRecord) and record.number is not None:
            raise AgendaNumberTaken(record.meeting_id, record.number) from exc
        raise
    record = record._replace(audit_seq=link.seq, id=new_id)
    if isinstance(record, DecisionRecord):
        search_index.index_decision(
            connection,
            decision_id=new_id,
            item_id=item.id,
            case_id=item.case_id,
            closed=bool(item.closed),
            text_=record.text,
        )
    audit.append(
        connection,
        link,
        action="item.transition",
        actor=record.actor,
        now=record.recorded_at,
        case_id=item.case_id,
        item_id=item.id,
        data=transition_body(item, record, trigger=trigger, to_state=to_state),
    )
    return record
