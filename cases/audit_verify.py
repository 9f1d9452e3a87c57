"""Verification of the audit trail, and of the records it vouches for.

The chain is walked once, in ``seq`` order, streaming. Every entry must follow the one
before it (no gap, the right previous hash), match its own hash, agree with its columns,
and the last entry must be the one the head row names. While walking, every row of every
audited table is rebuilt from the bodies, as one fingerprint per part of its image
(:mod:`council.cases.audit_images`, the registry of what the trail covers); the tables
must then hold exactly those rows, column for column, so a value changed, a row added or
removed behind the audit's back is caught as well as an edited entry. A row that differs
is named with its table and the columns that differ (the walk is repeated for that row's
values only; memory stays one fingerprint per part of each row).

A partial walk (:class:`WalkStart`, for ``audit verify --since-checkpoint``) starts after a
signed checkpoint instead of at the genesis; see there what it leaves out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Float, String, select, type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session, col

from council.cases.attachment_verify import FileCheck, attachment_files_problem
from council.cases.audit import GENESIS_HASH, canonical_json, chain_hash, utc_iso
from council.cases.audit_images import (
    AUDITED,
    Audited,
    Broken,
    Expected,
    is_date,
    is_timestamp,
    row_reader,
)
from council.cases.db import Prepared, connection_of
from council.cases.models import AuditEntry, AuditHead, Committee
from council.cases.types import UTCDateTime

STREAM_BATCH = 5_000
_decode = json.JSONDecoder().raw_decode


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    head_hash: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Differs(Exception):
    """A row's part differs from the trail's; the walk is repeated to name the column."""

    def __init__(self, audited: Audited, key: Any, part: int, found: tuple[Any, ...]) -> None:
        super().__init__(audited.name, key, part)
        self.audited, self.key, self.part, self.found = audited, key, part, found


def verify(
    session: Session, *, start: WalkStart | None = None, files: FileCheck | None = None
) -> VerifyReport:
    """Walk the whole trail (or, given ``start``, the part after it); stop at the first
    entry or record that does not verify.

    ``files`` checks each attached file in the attachment store (its hash); without it,
    a bilag with a file is a problem, since its file cannot be checked. A walk from
    ``start`` compares neither the records nor the files."""
    head = session.execute(
        select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)
    ).one()
    committee_id = _CommitteeIds(connection_of(session))
    expected = Expected(committee_id)
    count, last_hash = (start.seq, start.hash) if start else (0, GENESIS_HASH)
    try:
        count, last_hash = _walk_chain(session, expected, start=start)
        if (count, last_hash) != (head.seq, head.hash):
            raise Broken(
                f"the trail ends at entry {count} but its head records entry {head.seq}: "
                "entries were cut off or the head was altered"
            )
        if start is None:
            _compare_records(connection_of(session), expected)
            problem = attachment_files_problem(connection_of(session), files)
            if problem is not None:
                raise Broken(problem)
    except Broken as broken:
        return VerifyReport(entries=count, head_hash=last_hash, problem=str(broken))
    except _Differs as differs:
        return VerifyReport(
            entries=count,
            head_hash=last_hash,
            problem=_name_columns(session, differs, committee_id),
        )
    return VerifyReport(entries=count, head_hash=last_hash)


class _CommitteeIds:
    """Committee ids by code, read from the table when a body written before bodies named
    committees by id needs one (0, which names no row, for a code the table lacks)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.ids: dict[str, int] | None = None

    def __call__(self, code: str) -> int:
        if self.ids is None:
            found = self.connection.execute(select(col(Committee.code), col(Committee.id)))
            self.ids = {code: int(committee_id or 0) for code, committee_id in found}
        return self.ids.get(code, 0)


# ------------------------------------------------------------------------------ partial walks


@dataclass(frozen=True)
class WalkStart:
    """Where a partial walk begins: right after entry ``seq``, whose hash is ``hash``.

    The caller vouches for that entry (a signed checkpoint the trail still holds, checked
    by ``cases.audit_anchors``). Each entry after it gets every check of the full walk (its
    place, its link to the one before, its hash, its columns against its body) and the
    trail must end at the head. The records are **not** compared with the trail: they were
    built by the bodies before ``seq`` too, which a partial walk does not read, so a partial
    comparison would either miss what it cannot know or report rows it never saw made.
    The full walk (the default of ``audit verify``) compares them.
    """

    seq: int
    hash: str


def _absorb_nothing(
    _seq: int,
    _at: str,
    _actor: str,
    _action: str,
    _case_id: Any,
    _item_id: Any,
    _data: dict[str, Any],
) -> None:
    """A partial walk rebuilds no records (see :class:`WalkStart`)."""


# The timestamp column as SQLite stores it (naive UTC, microseconds).
_STORED_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


class _Envelope:
    """Checks an entry's columns against its hashed body and returns the body's ``data``.

    The fast way builds, from the columns, the canonical JSON the product writes around
    ``data`` (sorted keys: action, actor, at, case_id, data, item_id, prev, seq) and
    compares it with the start and end of the body as text; ``data`` must then parse as
    one complete JSON value. A body that passes is one whose parse has exactly these
    columns, so nothing a field-by-field comparison catches gets through; anything else
    (returned as None) is parsed whole and compared field by field by the walk, with the
    same verdicts and messages.
    """

    def __init__(self, to_datetime: Callable[[Any], Any], *, sqlite: bool) -> None:
        self.to_datetime = to_datetime
        self.sqlite = sqlite
        self.strings: dict[str, str] = {}

    def _text(self, value: Any) -> str | None:
        if type(value) is not str:
            return None
        known = self.strings.get(value)
        if known is None:
            if len(self.strings) > 10_000:
                self.strings.clear()
            known = self.strings[value] = canonical_json(value)
        return known

    def at(self, value: Any) -> str:
        """The column as the body holds it: through the column type, then ``utc_iso``."""
        if self.sqlite and type(value) is str and _STORED_AT.fullmatch(value):
            # SQLite's own storage form: utc_iso() of it is the same text rearranged. The
            # column type reads it with datetime.fromisoformat; that runs for the calendar
            # check it makes (a 31 February fails here as it failed there).
            datetime.fromisoformat(value)
            return value[:10] + "T" + value[11:] + "+00:00"
        return utc_iso(self.to_datetime(value))

    def fast_data(
        self,
        seq: int,
        stamp: str,
        actor: Any,
        action: Any,
        case_id: Any,
        item_id: Any,
        prev_hash: str,
        body: str,
    ) -> Any:
        item_text = _number(item_id)
        if item_text is None:
            return None
        suffix = f',"item_id":{item_text},"prev":"{prev_hash}","seq":{seq}}}'
        if not body.endswith(suffix):
            return None
        action_text, actor_text, case_text = self._text(action), self._text(actor), _number(case_id)
        if action_text is None or actor_text is None or case_text is None:
            return None
        prefix = (
            f'{{"action":{action_text},"actor":{actor_text},"at":"{stamp}",'
            f'"case_id":{case_text},"data":'
        )
        if not body.startswith(prefix):
            return None
        data = body[len(prefix) : len(body) - len(suffix)]
        try:
            value, end = _decode(data)  # json.loads without its whitespace allowances
        except ValueError:
            return None
        return value if end == len(data) else None


def _number(value: Any) -> str | None:
    if value is None:
        return "null"
    return str(value) if type(value) is int else None


def _envelope(connection: Connection) -> _Envelope:
    dialect = connection.dialect
    to_datetime = UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)
    assert to_datetime is not None, "UTCDateTime converts what it reads"
    return _Envelope(to_datetime, sqlite=dialect.name == "sqlite")


# Longer than most functions here on purpose: its loop runs once per entry (a million on a
# large trail), so each entry's checks stay inline, on local names, without a call apiece.
def _walk_chain(
    session: Session, expected: Expected, *, start: WalkStart | None = None
) -> tuple[int, str]:
    connection = connection_of(session)
    envelope = _envelope(connection)
    query = select(
        col(AuditEntry.seq),
        type_coerce(col(AuditEntry.recorded_at), String),  # as stored; converted below
        col(AuditEntry.actor),
        col(AuditEntry.action),
        col(AuditEntry.case_id),
        col(AuditEntry.item_id),
        col(AuditEntry.body),
        col(AuditEntry.prev_hash),
        col(AuditEntry.hash),
    ).order_by(col(AuditEntry.seq))
    absorb: Callable[[int, str, str, str, Any, Any, dict[str, Any]], None] = expected.absorb
    fast_data, at = envelope.fast_data, envelope.at
    previous_seq, previous_hash = 0, GENESIS_HASH
    if start is not None:  # a partial walk (see WalkStart)
        query = query.where(col(AuditEntry.seq) > start.seq)
        absorb = _absorb_nothing
        previous_seq, previous_hash = start.seq, start.hash
    rows = connection.execution_options(yield_per=STREAM_BATCH).execute(query)
    for partition in rows.partitions():
        for row in partition:
            row_seq, recorded_at, actor, action, case_id, item_id, body, prev_hash, digest = row
            seq = previous_seq + 1
            if row_seq != seq:
                raise Broken(
                    f"entry {seq} is missing: the trail jumps from entry {previous_seq} "
                    f"to {row_seq}"
                )
            if prev_hash != previous_hash:
                raise Broken(
                    f"entry {seq} does not follow entry {previous_seq}: previous hash differs "
                    "(entries were inserted, removed or reordered)"
                )
            if chain_hash(prev_hash, body) != digest:
                raise Broken(f"entry {seq} was altered: its content does not match its hash")
            stamp = at(recorded_at)
            data = fast_data(seq, stamp, actor, action, case_id, item_id, prev_hash, body)
            if data is None:
                parsed = json.loads(body)
                columns = (seq, stamp, actor, action, case_id, item_id)
                hashed = (
                    parsed["seq"],
                    parsed["at"],
                    parsed["actor"],
                    parsed["action"],
                    parsed["case_id"],
                    parsed["item_id"],
                )
                if columns != hashed or parsed["prev"] != prev_hash:
                    raise Broken(
                        f"entry {seq} was altered: its columns disagree with its hashed body"
                    )
                action, case_id, item_id = parsed["action"], parsed["case_id"], parsed["item_id"]
                data = parsed["data"]
            absorb(seq, stamp, actor, action, case_id, item_id, data)
            previous_seq, previous_hash = seq, digest
    return previous_seq, previous_hash


def _select(audited: Audited) -> Prepared:
    """The key and the covered columns; timestamps and dates as stored (:meth:`_Envelope.at`
    reads a timestamp as the walk reads an entry's; SQLite keeps a date as its ISO text), a
    float as the driver gives it (a compiled statement has no result processor for it on
    psycopg; the row reader makes it a float)."""
    return Prepared(select(*(_as_read(audited, name) for name in audited.key + audited.covered)))


def _as_read(audited: Audited, name: str) -> Any:
    column = audited.table.c[name]
    if is_timestamp(audited, name) or is_date(audited, name):
        return type_coerce(column, String)
    if isinstance(column.type, Float):
        return type_coerce(column, NullType())
    return column


_SELECTS = {audited.name: _select(audited) for audited in AUDITED}


def _compare_records(connection: Connection, expected: Expected) -> None:
    """Every row of every audited table must be the one the trail built, part by part; a
    row the trail does not know, or one it knows that is gone, is reported by name."""
    at = _envelope(connection).at
    for audited in AUDITED:
        reader, wanted_rows = row_reader(audited, at), expected.rows[audited.name]
        missing = object()
        for batch in _SELECTS[audited.name].stream(connection, STREAM_BATCH):
            for row in batch:
                values = reader.values(row)
                key = reader.key(values)
                wanted = wanted_rows.pop(key, missing)
                if wanted is missing:
                    raise Broken(
                        f"{_row_name(audited, key)} has no audit entry: it was added behind "
                        f"the audit's back (table {audited.name})"
                    )
                parts = reader.parts(values)
                for index, part in enumerate(parts):
                    if hash(part) != wanted[index]:
                        raise _Differs(audited, key, index, part)
        if wanted_rows:
            key = min(wanted_rows)
            raise Broken(
                f"{_row_name(audited, key)} is in the audit trail but missing from the "
                f"records (table {audited.name})"
            )


def _row_name(audited: Audited, key: Any) -> str:
    if len(audited.key) == 1:
        return f"{audited.label} {key}"
    return f"{audited.label} " + ", ".join(
        f"{n} {v}" for n, v in zip(audited.key, key, strict=True)
    )


_BLANK = (None,) * max(len(audited.parts) for audited in AUDITED)  # a row's parts, blank


class _Only(dict[Any, Any]):
    """A table's rows while the walk looks for one row's values: only that row's are kept
    (the others' keys stay, so the readers see which rows exist)."""

    def __init__(self, keep: Any) -> None:
        super().__init__()
        self.keep = keep

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value if key == self.keep else _BLANK)


def _name_columns(session: Session, differs: _Differs, committee_id: Callable[[str], int]) -> str:
    """The message for a row whose part differs: the walk is repeated keeping that row's
    values (only its), so the columns that differ are named."""
    audited, nothing = differs.audited, object()

    def rows(table: str) -> dict[Any, Any]:
        return _Only(differs.key if table == audited.name else nothing)

    again = Expected(committee_id, fingerprint=_as_is, rows=rows)
    _walk_chain(session, again)
    wanted = again.rows[audited.name][differs.key][differs.part]
    names = audited.parts[differs.part]
    changed = [n for n, w, f in zip(names, wanted, differs.found, strict=True) if w != f] or list(
        names
    )
    return (
        f"{_row_name(audited, differs.key)} differs from its audit trail: "
        f"{', '.join(changed)} of table {audited.name} changed directly"
    )


def _as_is(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return values
