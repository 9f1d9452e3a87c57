"""Obligation lines in the one shape every reader gets, and the reads that give it.

Every read (the sweep's due lines, the status table, a line named by its number or by case
and committee) selects the same columns, named after the fields of :class:`Line`, and makes
each row into a ``Line`` the same way. The sweep's select is compiled once per process
(``Prepared``) and runs on the unit of work's connection without an ORM session.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, Integer, Text, bindparam, cast, exists, func
from sqlalchemy import case as sql_case
from sqlalchemy import select as core_select
from sqlalchemy import update as core_update
from sqlmodel import Session

from council.cases.committees import name_among
from council.cases.db import connection_of
from council.cases.errors import InvalidInputError, MalformedReference, NotFoundError
from council.cases.obligations.periods import Period, periods
from council.cases.obligations.steps import Schedule, schedule
from council.cases.obligations.tables import (
    CASE_TABLE,
    COMMITTEE_TABLE,
    LINE_TABLE,
    LINK_TABLE,
    OUTBOX_TABLE,
    chunks,
)
from council.cases.prepared import Prepared
from council.cases.types import UTCDateTime, is_row_id


class Line(NamedTuple):
    """One obligation line with its case and committee, as every reader gets it."""

    id: int
    case_id: int
    committee_id: int
    about: str
    starts_on: date
    ends_on: date
    cadence: str  # the canonical RRULE, FREQ=YEARLY[;INTERVAL=n]
    due_rule: str  # MM-DD
    lead_days: tuple[int, ...]
    escalate_every_days: int | None
    recipients: tuple[str, ...]
    case_number: str
    case_title: str
    case_owner: str
    committee_code: str
    committee_name: str
    committee_earlier_names: tuple[dict[str, str], ...] = ()  # {"name", "until"}, as config

    def committee_name_on(self, day: date | None) -> str:
        """The committee's name on ``day`` (a reminder of 2010 names it as it was then)."""
        return name_among(self.committee_name, self.committee_earlier_names, day)

    @property
    def terms(self) -> tuple[date, date, str, str, tuple[int, ...], int | None]:
        """What the line's schedule is made of: lines with equal terms share one."""
        return (
            self.starts_on,
            self.ends_on,
            self.cadence,
            self.due_rule,
            self.lead_days,
            self.escalate_every_days,
        )

    def schedule(self, *, send_at: time) -> Schedule:
        """The line's periods and reminder steps, reminders sent at ``send_at``."""
        return schedule(
            start=self.starts_on,
            end=self.ends_on,
            cadence=self.cadence,
            due=self.due_rule,
            lead_days=self.lead_days,
            escalate_every_days=self.escalate_every_days,
            send_at=send_at,
        )

    @property
    def periods(self) -> list[Period]:
        return periods(
            start=self.starts_on, end=self.ends_on, cadence=self.cadence, due=self.due_rule
        )


class DueBatch(NamedTuple):
    """Lines whose bookmark has come, and what the sweep needs to know beside them."""

    lines: list[Line]
    linked: tuple[int, ...]  # the lines with an item linked to them (so they may be fulfilled)
    started: tuple[int, ...]  # the lines with a step in the outbox already


_COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": LINE_TABLE.c.id,  # first: the due select's flags name lines by row[0]
    "case_id": LINE_TABLE.c.case_id,
    "committee_id": LINE_TABLE.c.committee_id,
    "about": LINE_TABLE.c.about,
    "starts_on": LINE_TABLE.c.starts_on,
    "ends_on": LINE_TABLE.c.ends_on,
    "cadence": LINE_TABLE.c.cadence,
    "due_rule": LINE_TABLE.c.due_rule,
    "lead_days": cast(LINE_TABLE.c.lead_days, Text),  # JSON text, parsed once per distinct text
    "escalate_every_days": LINE_TABLE.c.escalate_every_days,
    "recipients": cast(LINE_TABLE.c.recipients, Text),
    "case_number": CASE_TABLE.c.number,
    "case_title": CASE_TABLE.c.title,
    "case_owner": CASE_TABLE.c.owner,
    "committee_code": COMMITTEE_TABLE.c.code,
    "committee_name": COMMITTEE_TABLE.c.name,
    "committee_earlier_names": cast(COMMITTEE_TABLE.c.earlier_names, Text),
}
assert tuple(_COLUMNS) == Line._fields, "the select gives a Line's fields in their order"
_WIDTH = len(Line._fields)


def _select(*extra: ColumnElement[Any]) -> Any:
    return (
        core_select(*_COLUMNS.values(), *extra)
        .join(CASE_TABLE, CASE_TABLE.c.id == LINE_TABLE.c.case_id)
        .join(COMMITTEE_TABLE, COMMITTEE_TABLE.c.id == LINE_TABLE.c.committee_id)
    )


class _Parsed(dict[str, tuple[Any, ...]]):
    """JSON lists as tuples, each distinct text parsed once (a hit costs a lookup)."""

    def __missing__(self, text: str) -> tuple[Any, ...]:
        value = self[text] = tuple(json.loads(text) or ())
        return value


def _lines(rows: Iterable[Sequence[Any]]) -> list[Line]:
    """Rows of :func:`_select` (and any columns after a line's) made into lines."""
    parsed = _Parsed()  # lines repeat their lead times and recipients
    return [
        Line(
            line_id, case_id, committee_id, about, starts_on, ends_on, cadence, due_rule,
            parsed[lead_days], escalate_every_days, parsed[recipients],
            case_number, case_title, case_owner, committee_code, committee_name,
            parsed[earlier_names or "null"],
        )
        for (
            line_id, case_id, committee_id, about, starts_on, ends_on, cadence, due_rule,
            lead_days, escalate_every_days, recipients,
            case_number, case_title, case_owner, committee_code, committee_name, earlier_names,
        ) in (row[:_WIDTH] for row in rows)
    ]  # fmt: skip


_DUE_LINES = Prepared(
    _select(
        exists().where(LINK_TABLE.c.obligation_id == LINE_TABLE.c.id),
        exists().where(OUTBOX_TABLE.c.obligation_id == LINE_TABLE.c.id),
    )
    .where(LINE_TABLE.c.next_check_at <= bindparam("now", type_=UTCDateTime()))
    .order_by(LINE_TABLE.c.next_check_at, LINE_TABLE.c.id)
    .limit(bindparam("limit", type_=Integer()))
    .with_for_update(of=LINE_TABLE)  # PostgreSQL: see look_again; SQLite renders nothing
)
_SET_NEXT_CHECK = Prepared(
    core_update(LINE_TABLE)
    .where(LINE_TABLE.c.id == bindparam("line_id", type_=Integer()))
    .values(next_check_at=bindparam("bookmark", type_=UTCDateTime())),
)
SWEEP_STATEMENTS = (_DUE_LINES, _SET_NEXT_CHECK)


def due(connection: Connection, *, now: datetime, limit: int) -> DueBatch:
    """Up to ``limit`` lines whose bookmark says a reminder may be due at ``now``, earliest
    bookmark first: one indexed range scan, compiled once, on the caller's connection."""
    rows = _DUE_LINES.rows(connection, now=now, limit=limit)
    if not rows:
        return DueBatch([], (), ())
    linked = tuple(row[0] for row in rows if row[_WIDTH])
    started = tuple(row[0] for row in rows if row[_WIDTH + 1])
    return DueBatch(_lines(rows), linked, started)


def set_next_check(connection: Connection, bookmarks: Mapping[int, datetime | None]) -> None:
    """Move each line's bookmark (one executemany on the caller's connection)."""
    _SET_NEXT_CHECK.many(
        connection, ({"line_id": line_id, "bookmark": at} for line_id, at in bookmarks.items())
    )


_LOOK_AGAIN = Prepared(
    core_update(LINE_TABLE)
    .where(
        LINE_TABLE.c.id.in_(
            core_select(LINK_TABLE.c.obligation_id).where(
                LINK_TABLE.c.item_id == bindparam("item_id", type_=Integer())
            )
        )
    )
    .values(
        next_check_at=sql_case(
            (
                LINE_TABLE.c.next_check_at.is_(None)
                | (LINE_TABLE.c.next_check_at > bindparam("at", type_=UTCDateTime())),
                bindparam("at", type_=UTCDateTime()),
            ),
            else_=LINE_TABLE.c.next_check_at,
        )
    )
)


def look_again(connection: Connection, *, item_id: int, at: datetime) -> None:
    """Bring the bookmark of every line ``item_id`` is linked to forward to ``at`` (unless
    it comes sooner already): the item's decision that fulfilled a period, or did not, was
    corrected, and a sweep must work out the line anew from then on (a bookmark cleared
    because every period was fulfilled would otherwise never be looked at again).

    Every linked line is written, also one whose bookmark comes sooner already: on
    PostgreSQL that holds its row until the correction commits, so a sweep reading the line
    (``FOR UPDATE``, :data:`_DUE_LINES`) waits and then sees the corrected fulfilment; a
    sweep that read it first has moved the bookmark before this runs, and this brings it
    forward again. Call it before the audit entry, as the sweep takes its lines before the
    audit head."""
    _LOOK_AGAIN.run(connection, item_id=item_id, at=at)


def next_check(session: Session) -> datetime | None:
    """The earliest bookmark of any line: when a sweep next has something to look at."""
    value: datetime | None = connection_of(session).scalar(
        core_select(func.min(LINE_TABLE.c.next_check_at))
    )
    return value


def lines(
    session: Session | Connection,
    *,
    committee_code: str | None = None,
    ids: Sequence[int] | None = None,
) -> list[Line]:
    """Obligation lines in case and committee order; all, one committee's, or those ``ids``."""
    connection = _connection(session)
    statement = _select().order_by(CASE_TABLE.c.number, LINE_TABLE.c.id)
    if committee_code is not None:
        statement = statement.where(COMMITTEE_TABLE.c.code == committee_code.strip().upper())
    if ids is None:
        return _lines(connection.execute(statement))
    found: list[Line] = []
    for chunk in chunks(ids):
        found += _lines(connection.execute(statement.where(LINE_TABLE.c.id.in_(chunk))))
    return sorted(found, key=lambda line: (line.case_number, line.id))


class Page(NamedTuple):
    """Some lines of a listing, and which of them have an item linked (may be fulfilled)."""

    lines: list[Line]
    linked: tuple[int, ...]


# Every line with whether an item is linked to it, in the listing's order (the overview's
# one select, which its benchmark's raw baseline runs too).
LISTING = _select(exists().where(LINK_TABLE.c.obligation_id == LINE_TABLE.c.id)).order_by(
    CASE_TABLE.c.number, LINE_TABLE.c.id
)
_EVERY_LINE = Prepared(LISTING)
_COMMITTEE_LINES = Prepared(
    LISTING.where(COMMITTEE_TABLE.c.code == bindparam("code", type_=Text()))
)


def pages(
    connection: Connection, *, size: int, committee_code: str | None = None
) -> Iterator[Page]:
    """Every line (or one committee's) in :func:`lines`' order, ``size`` at a time, read as
    they are consumed by one compiled select: a table of 100,000 lines is never in memory."""
    if committee_code is None:
        found = _EVERY_LINE.stream(connection, size)
    else:
        found = _COMMITTEE_LINES.stream(connection, size, code=committee_code.strip().upper())
    for rows in found:
        yield Page(_lines(rows), tuple(row[0] for row in rows if row[_WIDTH]))


def line(session: Session, line_id: int) -> Line:
    """Line ``line_id``; a ``NotFoundError`` when there is none."""
    return _by_number(_connection(session), line_id, committee_id=None)


def by_ref(session: Session, ref: str, *, committee_id: int | None = None) -> Line:
    """A line by its number (``2``), by case and committee (``2010-4130:BIU``), or by case
    alone (``2010-4130``) when ``committee_id`` (an item's committee) picks the line."""
    text = ref.strip()
    if text.isascii() and text.isdigit():
        return _by_number(_connection(session), int(text), committee_id=committee_id)
    case_number, sep, code = text.partition(":")
    case_number = case_number.strip()
    candidates = _case_lines(_connection(session), case_number) if case_number else None
    if candidates is None:
        raise MalformedReference("obligation", ref)
    if sep:
        candidates = [c for c in candidates if c.committee_code == code.strip().upper()]
    if committee_id is not None:
        candidates = [c for c in candidates if c.committee_id == committee_id]
    if not candidates:
        raise NotFoundError("obligation", ref, within=f"sag {case_number}")
    if len(candidates) > 1:
        numbers = ", ".join(str(c.id) for c in candidates)
        raise InvalidInputError(
            f"'{ref}' angiver flere statusforpligtelser ({numbers}); angiv dens nummer"
        )
    return candidates[0]


def every_by_ref(session: Session, ref: str) -> list[Line]:
    """The lines ``ref`` names: by number or ``CASE:COMMITTEE`` one line, by the case alone
    (``2010-4130``) every line of the case (an agreement's goals hold for each committee)."""
    text = ref.strip()
    if (text.isascii() and text.isdigit()) or ":" in text:
        return [by_ref(session, text)]
    found = _case_lines(_connection(session), text) if text else None
    if found is None:
        raise MalformedReference("obligation", ref)
    if not found:
        raise NotFoundError("obligation", text, within=f"sag {text}")
    return found


def _by_number(connection: Connection, number: int, *, committee_id: int | None) -> Line:
    """Line ``number``; refused, naming the right lines, when it is not the committee's."""
    found = (
        _lines(connection.execute(_select().where(LINE_TABLE.c.id == number)))
        if is_row_id(number)
        else []
    )
    if not found:
        raise NotFoundError("obligation", number)
    line = found[0]
    if committee_id is None or line.committee_id == committee_id:
        return line
    theirs = connection.scalar(
        core_select(COMMITTEE_TABLE.c.code).where(COMMITTEE_TABLE.c.id == committee_id)
    ) or str(committee_id)
    siblings = [
        str(other.id)
        for other in _case_lines(connection, line.case_number) or []
        if other.committee_id == committee_id
    ]
    hint = (
        f"{theirs}s statusforpligtelse i sag {line.case_number}: {', '.join(siblings)}"
        if siblings
        else f"sag {line.case_number} har ingen statusforpligtelse over for {theirs}"
    )
    raise InvalidInputError(
        f"statusforpligtelse {number} er en status til {line.committee_code}, men punktet "
        f"hører til {theirs}; {hint}"
    )


def _case_lines(connection: Connection, case_number: str) -> list[Line] | None:
    """The lines of a case in the order they were added; ``None`` when there is no such case."""
    case_id = connection.scalar(
        core_select(CASE_TABLE.c.id).where(CASE_TABLE.c.number == case_number)
    )
    if case_id is None:
        return None
    statement = _select().where(LINE_TABLE.c.case_id == case_id).order_by(LINE_TABLE.c.id)
    return _lines(connection.execute(statement))


def _connection(source: Session | Connection) -> Connection:
    return connection_of(source) if isinstance(source, Session) else source
