"""A new meeting's imported records written as sets, with their audit entries.

An import of a meeting that is new to the database (the usual one: a year of minutes)
writes per item a case, an item with its attachments, an agenda entry, a decision, their
search parts and four audit entries. One by one that is ~38 statements an item. Here the
workflow hands over the whole meeting at once, its rows already keyed, and each table is
written with one ``executemany``; the audit entries are chained in one pass
(:func:`council.cases.audit.append_many`).

SQLite only: the keys are the ones SQLite gives rows written one by one (max(id) + 1;
the tables have no AUTOINCREMENT), reserved by :class:`NextIds` before anything is
written, so the rows, and the audit entries that name them, are the same as the per-item
acts write. (PostgreSQL's keys come from sequences, which explicit keys would not move.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, func, insert, select
from sqlmodel import col

from council.cases import audit, case_records, search_index
from council.cases.case_records import CaseRecord
from council.cases.item_records import (
    AgendaEntryRecord,
    DecisionRecord,
    Record,
    transition_body,
)
from council.cases.items import DRAFTED_COLUMNS, DraftRows
from council.cases.models import AgendaEntry, AgendaItem, Attachment, Case, Decision, Meeting
from council.cases.prepared import Prepared
from council.cases.search_index import Part, SearchEntry
from council.cases.transitions import record_values

_KEYS: dict[str, Any] = {
    "case": Case.id,
    "meeting": Meeting.id,
    "item": AgendaItem.id,
    "attachment": Attachment.id,
    "agenda_entry": AgendaEntry.id,
    "decision": Decision.id,
    "search_entry": SearchEntry.id,
}
_HIGHEST_IDS = Prepared(
    select(*(select(func.max(col(key))).scalar_subquery() for key in _KEYS.values()))
)
_INSERT_CASES = Prepared(insert(Case), column_keys=("id", "number", "title", "owner", "created_at"))
_INSERT_ITEMS = Prepared(insert(AgendaItem), column_keys=("id", *DRAFTED_COLUMNS))
_INSERT_ATTACHMENTS = Prepared(
    insert(Attachment), column_keys=("id", "item_id", "position", "title")
)
R = TypeVar("R", AgendaEntryRecord, DecisionRecord)

_INSERT_RECORDS: dict[tuple[type, tuple[str, ...]], Prepared] = {}


def supported(connection: Connection) -> bool:
    """Whether a meeting can be written as sets on this database."""
    return connection.dialect.name == "sqlite"


class NextIds:
    """The keys the next rows of each table take, as SQLite would give them one by one."""

    def __init__(self, connection: Connection) -> None:
        if not supported(connection):
            raise ValueError("keys are reserved ahead on SQLite only")
        highest = _HIGHEST_IDS.first(connection) or ()
        self._next = {name: (top or 0) + 1 for name, top in zip(_KEYS, highest, strict=True)}

    def take(self, table: str) -> int:
        key = self._next[table]
        self._next[table] = key + 1
        return key

    def peek(self, table: str) -> int:
        return self._next[table]


@dataclass
class MeetingSet:
    """A meeting's new rows, keyed, in the order the per-item acts would write them."""

    first_link: audit.Link
    first_part_id: int
    cases: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    entries: list[audit.PendingEntry] = field(default_factory=list)
    _items: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def next_seq(self) -> int:
        """The seq of the next entry added."""
        return self.first_link.seq + len(self.entries)

    def add_case(
        self, case_id: int, *, number: str, title: str, owner: str, actor: str, now: datetime
    ) -> CaseRecord:
        """A new case, as :func:`council.cases.case_records.create` writes it."""
        self.cases.append(
            {"id": case_id, "number": number, "title": title, "owner": owner, "created_at": now}
        )
        text = search_index.case_text(number, title, owner)
        self.parts.append(Part(search_index.CASE, case_id, case_id, None, False, text))
        data = case_records.created_data(number, title, owner)
        self.entries.append(audit.PendingEntry("case.created", actor, now, data, case_id))
        return CaseRecord(case_id, number, title, owner, now)

    def add_item(
        self, item_id: int, ids: NextIds, drafted: DraftRows, *, actor: str, now: datetime
    ) -> None:
        """A drafted item with its attachments, as :func:`council.cases.items.draft`
        writes it; its state and version move with :meth:`add_transition`."""
        values = drafted.values
        case_id, closed = values["case_id"], values["closed"]
        self.items.append({"id": item_id, **values})
        self._items[item_id] = self.items[-1]
        self.parts.append(Part(search_index.ITEM, item_id, case_id, item_id, closed, drafted.text))
        for position, title in enumerate(drafted.attachments, start=1):
            attachment_id = ids.take("attachment")
            self.attachments.append(
                {"id": attachment_id, "item_id": item_id, "position": position, "title": title}
            )
            text = search_index.attachment_text(title, None)
            part = Part(search_index.ATTACHMENT, attachment_id, case_id, item_id, closed, text)
            self.parts.append(part)
        self.entries.append(
            audit.PendingEntry("item.drafted", actor, now, drafted.data, case_id, item_id)
        )

    def add_entry(self, action: str, *, actor: str, now: datetime, data: dict[str, Any]) -> None:
        """An audit entry of its own (a meeting's ``meeting.created``) at its place."""
        self.entries.append(audit.PendingEntry(action, actor, now, data))

    def item_values(self, item_id: int) -> dict[str, Any]:
        """The columns of an item of the set, as they will be written."""
        return self._items[item_id]

    def add_transition(self, record: R, *, trigger: str, to_state: str) -> R:
        """An item's transition (its agenda entry or decision, keyed by the caller), as
        :func:`council.cases.transitions.record_transition` writes it; returns the record
        with the seq of its entry."""
        item = self._items[record.item_id]
        before = _Before(item["state"], item["version"])
        record = record._replace(audit_seq=self.next_seq)
        self.records.append(record)
        case_id, closed = item["case_id"], bool(item["closed"])
        if isinstance(record, DecisionRecord):
            text = search_index.decision_text(record.text)
            part = Part(search_index.DECISION, record.id, case_id, record.item_id, closed, text)
            self.parts.append(part)
        data = transition_body(before, record, trigger=trigger, to_state=to_state)
        self.entries.append(
            audit.PendingEntry(
                "item.transition", record.actor, record.recorded_at, data, case_id, record.item_id
            )
        )
        item["state"], item["version"] = to_state, before.version + 1
        return record


class _Before(NamedTuple):
    state: str
    version: int


def write(connection: Connection, rows: MeetingSet) -> None:
    """Write the set in the caller's transaction (the meeting's own row already is)."""
    _INSERT_CASES.many(connection, rows.cases)
    _INSERT_ITEMS.many(connection, rows.items)
    _INSERT_ATTACHMENTS.many(connection, rows.attachments)
    grouped: dict[tuple[type, tuple[str, ...]], list[dict[str, Any]]] = {}
    for record in rows.records:
        values = {"id": record.id, **record_values(record, record.audit_seq)}
        grouped.setdefault((type(record), tuple(values)), []).append(values)
    for key, values_list in grouped.items():
        _insert_records(key).many(connection, values_list)
    search_index.add_numbered(connection, rows.parts, first_id=rows.first_part_id)
    audit.append_many(connection, rows.first_link, rows.entries)


def _insert_records(key: tuple[type, tuple[str, ...]]) -> Prepared:
    statement = _INSERT_RECORDS.get(key)
    if statement is None:
        kind, columns = key
        model = AgendaEntry if kind is AgendaEntryRecord else Decision
        assert kind in (AgendaEntryRecord, DecisionRecord)
        statement = _INSERT_RECORDS[key] = Prepared(insert(model), column_keys=columns)
    return statement
