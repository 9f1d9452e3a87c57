"""Status obligations (statusforpligtelser), the items that fulfil them, and the reminder outbox.

Tables:

- ``status_obligation``: one *obligation line*, a duty to give one committee a status on a
  case on a cadence during a period. ``council obligation add`` with two committees makes
  two lines (SUD and BIU are reminded and fulfilled separately). ``next_check_at`` is the
  sweep's bookmark: the earliest instant a reminder of the line may fall due, ``NULL`` when
  none ever will; it is an index for the sweep, never a record of what happened.
- ``obligation_link``: an agenda item that answers an obligation line.
- ``outbox_message``: each reminder step, written once (unique on obligation, committee,
  period and step) with its Message-ID, recipients and ``facts`` (a snapshot of what the
  message says, taken when the step is written; this layer keeps it as text and
  ``notifications`` reads it), then delivered; ``pending`` until the first attempt,
  ``sent`` once handed over, ``failed`` while it waits to be retried (it is never given
  up). Subject and bodies are rendered from the facts when the row is first claimed for
  delivery and kept, so every attempt sends the same text (rows written before
  migration 0003 were rendered when written and have no facts).

Fulfilment is derived from the decision history, never stored: a period is fulfilled by a
decision that moved a linked item of the line's committee into one of the workflow's
fulfilling states (the caller passes them in; this layer does not know the workflow). Which
period a decision fulfils follows :func:`cases.obligation_schedule.fulfilments_by_period`.

SQL here is portable: the outbox is claimed with a lease (an UPDATE guarded by the lease's
expiry), and the candidate select carries ``FOR UPDATE SKIP LOCKED``, which PostgreSQL
honours and SQLite (whose writers are serialised by ``BEGIN IMMEDIATE``) leaves out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    bindparam,
    cast,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col

from council.cases import obligation_schedule as schedule
from council.cases.dates import LOCAL_ZONE, local_date
from council.cases.db import Prepared
from council.cases.errors import InvalidInputError, MalformedReference, NotFoundError
from council.cases.models import AgendaItem, Case, Committee, Decision, Meeting
from council.cases.types import JSON_DOCUMENT, UTCDateTime, is_row_id

PENDING, SENT, FAILED = "pending", "sent", "failed"
STATUSES = (PENDING, SENT, FAILED)
_CHUNK = 500


def _utc_column(*, nullable: bool = False) -> Column[dt.datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class StatusObligation(SQLModel, table=True):
    """One obligation line: a status to one committee on a case, on a cadence, in a period."""

    __tablename__ = "status_obligation"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    about: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    starts_on: dt.date
    ends_on: dt.date
    cadence: str = Field(max_length=100, description="canonical RRULE, e.g. FREQ=YEARLY")
    due_rule: str = Field(max_length=10, description="month-day, e.g. 12-31")
    lead_days: list[int] = Field(
        default_factory=list, sa_column=Column(JSON_DOCUMENT, nullable=False)
    )
    escalate_every_days: int | None = Field(default=None, description="None: no escalation")
    recipients: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_DOCUMENT, nullable=False)
    )
    created_at: dt.datetime = Field(sa_column=_utc_column())
    next_check_at: dt.datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True)
    )


class ObligationLink(SQLModel, table=True):
    """An agenda item that answers an obligation line."""

    __tablename__ = "obligation_link"
    __table_args__ = (UniqueConstraint("obligation_id", "item_id", name="uq_obligation_link"),)

    id: int | None = Field(default=None, primary_key=True)
    obligation_id: int = Field(foreign_key="status_obligation.id")
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    actor: str = Field(max_length=200)
    linked_at: dt.datetime = Field(sa_column=_utc_column())


class OutboxMessage(SQLModel, table=True):
    """One reminder step: written once by a sweep, then delivered (and retried) until sent."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint(
            "obligation_id", "committee_id", "period_key", "step_key", name="uq_outbox_step"
        ),
        Index("ix_outbox_message_status_next_attempt", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    obligation_id: int = Field(foreign_key="status_obligation.id")
    committee_id: int = Field(foreign_key="committee.id")
    period_key: str = Field(max_length=20)
    step_key: str = Field(max_length=30)
    step_kind: str = Field(max_length=10, description="lead, due or overdue")
    step_at: dt.datetime = Field(sa_column=_utc_column(), description="when the step fell due")
    status: str = Field(default=PENDING, max_length=10)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    next_attempt_at: dt.datetime = Field(sa_column=_utc_column())
    claim_token: str | None = Field(default=None, max_length=40)
    claimed_until: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    message_id: str = Field(max_length=250, unique=True)
    recipients: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_DOCUMENT, nullable=False)
    )
    facts: str | None = Field(
        default=None,
        sa_column=Column(Text, nullable=True),
        description="JSON snapshot the message is rendered from; None before 0003",
    )
    subject: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    body_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    body_html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    delivered_to: str | None = Field(default=None, max_length=300)
    created_at: dt.datetime = Field(sa_column=_utc_column())
    sent_at: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


# ------------------------------------------------------------------ lines and their schedule


@dataclass(frozen=True)
class Line:
    """An obligation line with what the faces and the templates show beside it."""

    obligation: StatusObligation
    case_number: str
    case_title: str
    case_owner: str
    committee_code: str
    committee_name: str

    @property
    def id(self) -> int:
        assert self.obligation.id is not None
        return self.obligation.id

    @cached_property
    def periods(self) -> list[schedule.Period]:
        o = self.obligation
        return schedule.periods(start=o.starts_on, end=o.ends_on, cadence=o.cadence, due=o.due_rule)

    def steps_due(
        self,
        period: schedule.Period,
        *,
        now: dt.datetime,
        fulfilled_on: dt.date | None,
        send_at: dt.time,
    ) -> list[schedule.Step]:
        return schedule.steps_due(
            period=period,
            lead_days=self.obligation.lead_days,
            escalate_every_days=self.obligation.escalate_every_days,
            obligation_end=self.obligation.ends_on,
            send_at=send_at,
            now=now,
            fulfilled_on=fulfilled_on,
        )

    def next_step(
        self,
        period: schedule.Period,
        *,
        now: dt.datetime,
        fulfilled_on: dt.date | None,
        send_at: dt.time,
    ) -> schedule.Step | None:
        return schedule.next_step(
            period=period,
            lead_days=self.obligation.lead_days,
            escalate_every_days=self.obligation.escalate_every_days,
            obligation_end=self.obligation.ends_on,
            send_at=send_at,
            now=now,
            fulfilled_on=fulfilled_on,
        )

    def first_step_at(self, *, send_at: dt.time) -> dt.datetime | None:
        """The instant of the line's earliest reminder step, ignoring fulfilment."""
        instants = []
        for period in self.periods:
            steps = schedule.reminder_steps(
                period=period,
                lead_days=self.obligation.lead_days,
                escalate_every_days=self.obligation.escalate_every_days,
                obligation_end=self.obligation.ends_on,
                send_at=send_at,
            )
            first = next(steps, None)
            if first is not None:
                instants.append(first.due_at)
        return min(instants, default=None)


def _line_select() -> Any:
    return (
        select(
            StatusObligation, Case.number, Case.title, Case.owner, Committee.code, Committee.name
        )
        .join(Case, Case.id == StatusObligation.case_id)
        .join(Committee, Committee.id == StatusObligation.committee_id)
    )


def _lines(rows: Iterable[Any]) -> list[Line]:
    return [
        Line(o, number, title, owner, code, name) for o, number, title, owner, code, name in rows
    ]


def lines(
    session: Session, *, committee_code: str | None = None, ids: Sequence[int] | None = None
) -> list[Line]:
    """Obligation lines in case and committee order; all, one committee's, or those ``ids``."""
    statement = _line_select().order_by(Case.number, StatusObligation.id)
    if committee_code is not None:
        statement = statement.where(Committee.code == committee_code.strip().upper())
    if ids is None:
        return _lines(session.execute(statement).all())
    found: list[Line] = []
    for chunk in _chunks(list(ids)):
        found += _lines(session.execute(statement.where(col(StatusObligation.id).in_(chunk))).all())
    return sorted(found, key=lambda line: (line.case_number, line.id))


def obligation_by_ref(session: Session, ref: str, *, committee_id: int | None = None) -> Line:
    """A line by its number (``2``), by case and committee (``2010-4130:BIU``), or by case
    alone (``2010-4130``) when ``committee_id`` (an item's committee) picks the line."""
    text = ref.strip()
    if text.isascii() and text.isdigit():
        number = int(text)
        found = (
            _lines(session.execute(_line_select().where(StatusObligation.id == number)))
            if is_row_id(number)
            else []
        )
        if not found:
            raise NotFoundError("obligation", number)
        line = found[0]
        if committee_id is not None and line.obligation.committee_id != committee_id:
            committee = session.get(Committee, committee_id)
            theirs = committee.code if committee else str(committee_id)
            siblings = [
                str(other.id)
                for other in _case_lines(session, line.obligation.case_id)
                if other.obligation.committee_id == committee_id
            ]
            hint = (
                f"{theirs}'s obligation on case {line.case_number}: {', '.join(siblings)}"
                if siblings
                else f"case {line.case_number} has no obligation to {theirs}"
            )
            raise InvalidInputError(
                f"obligation {text} is a status to {line.committee_code}, but the item is "
                f"{theirs}'s; {hint}"
            )
        return line
    case_number, sep, code = text.partition(":")
    case_number = case_number.strip()
    case = session.scalars(select(Case).where(Case.number == case_number)).first()
    if case is None or not case_number:
        raise MalformedReference("obligation", ref)
    assert case.id is not None
    candidates = _case_lines(session, case.id)
    if sep:
        candidates = [c for c in candidates if c.committee_code == code.strip().upper()]
    if committee_id is not None:
        candidates = [c for c in candidates if c.obligation.committee_id == committee_id]
    if not candidates:
        raise NotFoundError("obligation", ref, within=f"case {case_number}")
    if len(candidates) > 1:
        numbers = ", ".join(str(c.id) for c in candidates)
        raise InvalidInputError(f"'{ref}' names several obligations ({numbers}); give its number")
    return candidates[0]


def _case_lines(session: Session, case_id: int) -> list[Line]:
    return _lines(
        session.execute(
            _line_select().where(StatusObligation.case_id == case_id).order_by(StatusObligation.id)
        )
    )


class SweepLine(NamedTuple):
    """A line whose bookmark has come, with what the sweep needs of it (a plain tuple)."""

    id: int
    committee_id: int
    about: str
    starts_on: dt.date
    ends_on: dt.date
    cadence: str
    due_rule: str
    lead_days: tuple[int, ...]
    escalate_every_days: int | None
    recipients: tuple[str, ...]
    case_number: str
    case_title: str
    case_owner: str
    committee_code: str
    committee_name: str
    has_links: bool  # an item is linked to it (so it may be fulfilled)
    has_written: bool  # the outbox holds a step of it already


def due_lines(connection: Connection, *, now: dt.datetime, limit: int) -> list[SweepLine]:
    """Up to ``limit`` lines whose bookmark says a reminder may be due at ``now``, earliest
    bookmark first: one indexed range scan, compiled once, on the caller's connection."""
    rows = _DUE_LINES.rows(connection, now=now, limit=limit)
    if not rows:
        return []
    parsed: dict[str, Any] = {}  # lines repeat their lead times and recipients

    def loads(text: str) -> Any:
        try:
            return parsed[text]
        except KeyError:
            value = parsed[text] = tuple(json.loads(text))
            return value

    return [
        SweepLine(
            i, committee, about, starts, ends, cadence, due, loads(leads), every,
            loads(recipients), number, title, owner, code, name, links, written,
        )
        for (
            i, committee, about, starts, ends, cadence, due, leads, every, recipients,
            number, title, owner, code, name, links, written,
        ) in rows
    ]  # fmt: skip


def next_check(session: Session) -> dt.datetime | None:
    """The earliest bookmark of any line: when a sweep next has something to look at."""
    value: dt.datetime | None = session.scalar(select(func.min(StatusObligation.next_check_at)))
    return value


_TABLE = StatusObligation.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_LINK = ObligationLink.__table__  # type: ignore[attr-defined]
_CASE = Case.__table__  # type: ignore[attr-defined]
_COMMITTEE = Committee.__table__  # type: ignore[attr-defined]
_DUE_LINES = Prepared(
    select(
        _TABLE.c.id,
        _TABLE.c.committee_id,
        _TABLE.c.about,
        _TABLE.c.starts_on,
        _TABLE.c.ends_on,
        _TABLE.c.cadence,
        _TABLE.c.due_rule,
        cast(_TABLE.c.lead_days, Text),  # parsed once per distinct text (due_lines)
        _TABLE.c.escalate_every_days,
        cast(_TABLE.c.recipients, Text),
        _CASE.c.number,
        _CASE.c.title,
        _CASE.c.owner,
        _COMMITTEE.c.code,
        _COMMITTEE.c.name,
        exists().where(_LINK.c.obligation_id == _TABLE.c.id),
        exists().where(_OUTBOX.c.obligation_id == _TABLE.c.id),
    )
    .join(_CASE, _CASE.c.id == _TABLE.c.case_id)
    .join(_COMMITTEE, _COMMITTEE.c.id == _TABLE.c.committee_id)
    .where(_TABLE.c.next_check_at <= bindparam("now", type_=UTCDateTime()))
    .order_by(_TABLE.c.next_check_at, _TABLE.c.id)
    .limit(bindparam("limit", type_=Integer()))
)
_SET_NEXT_CHECK = Prepared(
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("line_id", type_=Integer()))
    .values(next_check_at=bindparam("bookmark", type_=UTCDateTime())),
)


def prepare_sweep(connection: Connection) -> None:
    """Compile the sweep's statements for this connection's database, so that a service
    whose first sweeps find nothing due does not compile them when steps fall due."""
    statements = [_DUE_LINES, _SET_NEXT_CHECK]
    if connection.dialect.name == "sqlite":
        statements += [_INSERT_STEP, _LAST_OUTBOX_ID, _OUTBOX_IDS_AFTER]
    for statement in statements:
        statement.prepare(connection)


def set_next_check(connection: Connection, bookmarks: Mapping[int, dt.datetime | None]) -> None:
    """Move each line's bookmark (one executemany on the caller's connection)."""
    _SET_NEXT_CHECK.many(
        connection, ({"line_id": line_id, "bookmark": at} for line_id, at in bookmarks.items())
    )


# ------------------------------------------------------------------ fulfilment


@dataclass(frozen=True)
class Fulfilment:
    """A decision that moved a linked item into a fulfilling state at the line's committee."""

    on: dt.date
    item_id: int
    decision_id: int
    to_state: str


def fulfilments(
    session: Session | Connection,
    obligation_ids: Sequence[int],
    *,
    fulfilling_states: Iterable[str],
) -> dict[int, list[Fulfilment]]:
    """Per line, the fulfilling decisions of its linked items at its committee, by date.

    A decision's date is the one recorded with it, else its meeting's date, else the
    Copenhagen date it was recorded on. Only the first fulfilling decision of an item
    counts (final states have no way out, so there is at most one).
    """
    states = sorted(set(fulfilling_states))
    result: dict[int, list[Fulfilment]] = {obligation_id: [] for obligation_id in obligation_ids}
    if not states:
        return result
    for chunk in _chunks(list(obligation_ids)):
        rows = session.execute(
            select(
                ObligationLink.obligation_id,
                Decision.id,
                Decision.item_id,
                Decision.to_state,
                Decision.decided_on,
                Meeting.date,
                Decision.recorded_at,
            )
            .join(StatusObligation, StatusObligation.id == ObligationLink.obligation_id)
            .join(AgendaItem, AgendaItem.id == ObligationLink.item_id)
            .join(Decision, Decision.item_id == AgendaItem.id)
            .outerjoin(Meeting, Meeting.id == Decision.meeting_id)
            .where(
                col(ObligationLink.obligation_id).in_(chunk),
                AgendaItem.committee_id == StatusObligation.committee_id,
                col(Decision.to_state).in_(states),
            )
            .order_by(Decision.id)
        ).all()
        seen: set[tuple[int, int]] = set()
        for obligation_id, decision_id, item_id, to_state, decided_on, meeting_on, at in rows:
            if (obligation_id, item_id) in seen:
                continue
            seen.add((obligation_id, item_id))
            on = decided_on or meeting_on or local_date(at)
            result[obligation_id].append(Fulfilment(on, item_id, decision_id, to_state))
    for found in result.values():
        found.sort(key=lambda f: (f.on, f.decision_id))
    return result


def fulfilled_periods(line: Line, found: Sequence[Fulfilment]) -> dict[str, Fulfilment]:
    """Which of ``found`` fulfils which of the line's periods (see ``fulfilments_by_period``)."""
    assigned = schedule.fulfilments_by_period(line.periods, [(f.on, f) for f in found])
    return {key: fulfilment for key, (_on, fulfilment) in assigned.items()}


def effective(fulfilment: Fulfilment | None, *, now: dt.datetime) -> Fulfilment | None:
    """A fulfilment counts from its date on; before that the period is still open."""
    if fulfilment is None or fulfilment.on > now.astimezone(LOCAL_ZONE).date():
        return None
    return fulfilment


@dataclass(frozen=True, slots=True)
class LinkedItem:
    id: int
    title: str
    state: str
    closed: bool = False


def linked_items(
    connection: Connection, obligation_ids: Sequence[int]
) -> dict[int, list[LinkedItem]]:
    """Per line, its linked items (number, title, state, closed) in the order they were linked."""
    result: dict[int, list[LinkedItem]] = {obligation_id: [] for obligation_id in obligation_ids}
    for chunk in _chunks(list(obligation_ids)):
        for obligation_id, item_id, title, state, closed in connection.execute(
            select(
                ObligationLink.obligation_id,
                AgendaItem.id,
                AgendaItem.title,
                AgendaItem.state,
                AgendaItem.closed,
            )
            .join(AgendaItem, AgendaItem.id == ObligationLink.item_id)
            .where(col(ObligationLink.obligation_id).in_(chunk))
            .order_by(ObligationLink.id)
        ).all():
            result[obligation_id].append(LinkedItem(item_id, title, state, bool(closed)))
    return result


# ------------------------------------------------------------------ where every period stands


@dataclass(frozen=True)
class PeriodStatus:
    """One row of ``council obligations``: a line's period and where it stands at ``now``."""

    line: Line
    period: schedule.Period
    state: schedule.PeriodState
    fulfilled_by: Fulfilment | None
    next_step: schedule.Step | None


def status_table(
    session: Session,
    *,
    now: dt.datetime,
    fulfilling_states: Iterable[str],
    send_at: dt.time,
    due_soon_days: int,
    committee_code: str | None = None,
) -> list[PeriodStatus]:
    """Every line's periods that have begun by ``now`` (or its first, if none has yet)."""
    found_lines = lines(session, committee_code=committee_code)
    found = fulfilments(
        session, [line.id for line in found_lines], fulfilling_states=fulfilling_states
    )
    today = now.astimezone(LOCAL_ZONE).date()
    rows: list[PeriodStatus] = []
    for line in found_lines:
        assigned = fulfilled_periods(line, found[line.id])
        periods = line.periods
        shown = [p for p in periods if p.start <= today] or periods[:1]
        for period in shown:
            fulfilment = effective(assigned.get(period.key), now=now)
            fulfilled_on = fulfilment.on if fulfilment else None
            state = schedule.period_state(
                period=period, now=now, fulfilled_on=fulfilled_on, due_soon_days=due_soon_days
            )
            coming = line.next_step(period, now=now, fulfilled_on=fulfilled_on, send_at=send_at)
            rows.append(PeriodStatus(line, period, state, fulfilment, coming))
    return rows


# ------------------------------------------------------------------ the outbox


class NewMessage(NamedTuple):
    obligation_id: int
    committee_id: int
    period_key: str
    step_key: str
    step_kind: str
    step_at: dt.datetime
    message_id: str
    recipients: Sequence[str]  # a tuple: equal lists of a batch are serialised once
    facts: str


def written_step_keys(
    connection: Connection, obligation_ids: Sequence[int]
) -> set[tuple[int, str, str]]:
    """``(obligation, period, step)`` of every reminder already in the outbox for these lines."""
    keys: set[tuple[int, str, str]] = set()
    for chunk in _chunks(list(obligation_ids)):
        keys.update(
            (obligation_id, period_key, step_key)
            for obligation_id, period_key, step_key in connection.execute(
                select(_OUTBOX.c.obligation_id, _OUTBOX.c.period_key, _OUTBOX.c.step_key).where(
                    _OUTBOX.c.obligation_id.in_(chunk)
                )
            ).all()
        )
    return keys


_OUTBOX_COLUMNS = (
    "obligation_id",
    "committee_id",
    "period_key",
    "step_key",
    "step_kind",
    "step_at",
    "message_id",
    "recipients",
    "facts",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
)
_STEP_KEY = ["obligation_id", "committee_id", "period_key", "step_key"]
_INSERT_STEP = Prepared(
    sqlite.insert(_OUTBOX).on_conflict_do_nothing(index_elements=_STEP_KEY),
    column_keys=_OUTBOX_COLUMNS,
)
_LAST_OUTBOX_ID = Prepared(select(func.coalesce(func.max(_OUTBOX.c.id), 0)))
_OUTBOX_IDS_AFTER = Prepared(
    select(_OUTBOX.c.id)
    .where(_OUTBOX.c.id > bindparam("after", type_=Integer()))
    .order_by(_OUTBOX.c.id)
)


def add_to_outbox(
    connection: Connection, messages: Sequence[NewMessage], *, now: dt.datetime
) -> list[int]:
    """Write each message unless its step is already there; returns the ids written, in
    the order of ``messages``.

    The unique key (obligation, committee, period, step) decides: the insert is
    ``ON CONFLICT DO NOTHING``, so a second sweep or a second instance never writes a step
    twice. On SQLite the rows go in as one executemany, and the rows written are those
    above the highest id before it: the unit of work's ``BEGIN IMMEDIATE`` keeps every
    other writer out until the commit. PostgreSQL returns the ids (``RETURNING``).
    """
    if not messages:
        return []
    dialect = connection.dialect.name
    if dialect == "sqlite":
        before = int(_LAST_OUTBOX_ID.scalar(connection))
        _INSERT_STEP.many(
            connection,
            (m._asdict() for m in messages),
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        return [int(i) for (i,) in _OUTBOX_IDS_AFTER.rows(connection, after=before)]
    rows = [
        {**m._asdict(), "status": PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now}
        for m in messages
    ]
    if dialect == "postgresql":
        returned = connection.execute(
            postgresql.insert(_OUTBOX)
            .on_conflict_do_nothing(index_elements=_STEP_KEY)
            .returning(_OUTBOX.c.id),
            rows,
        )
        return sorted(int(i) for i in returned.scalars())  # one statement: ids in row order
    written: list[int] = []  # pragma: no cover - other databases: a savepoint per row
    for row in rows:  # pragma: no cover
        try:
            with connection.begin_nested():
                written.append(
                    int(
                        connection.execute(
                            insert(_OUTBOX).returning(_OUTBOX.c.id), row
                        ).scalar_one()
                    )
                )
        except IntegrityError:
            pass
    return written


def claim_outbox(
    session: Session, *, now: dt.datetime, token: str, lease_until: dt.datetime, limit: int
) -> list[OutboxMessage]:
    """Take up to ``limit`` messages that are due for an attempt and not held by another
    sweep, holding them under ``token`` until ``lease_until``; returns them in order.

    Portable: the candidates are read ``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite has
    no row locks and serialises writers instead) and each is taken by an UPDATE that only
    succeeds while nobody else holds it.
    """
    free = or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) <= now)
    candidates = list(
        session.scalars(
            select(OutboxMessage.id)
            .where(
                col(OutboxMessage.status).in_((PENDING, FAILED)),
                OutboxMessage.next_attempt_at <= now,
                free,
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    taken: list[int] = []
    connection = session.connection()
    unclaimed = or_(_OUTBOX.c.claimed_until.is_(None), _OUTBOX.c.claimed_until <= now)
    for message_id in candidates:
        changed = connection.execute(
            update(_OUTBOX)
            .where(_OUTBOX.c.id == message_id, unclaimed)
            .values(claim_token=token, claimed_until=lease_until)
        )
        if changed.rowcount == 1:
            taken.append(message_id)
    if not taken:
        return []
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(col(OutboxMessage.id).in_(taken), OutboxMessage.claim_token == token)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        )
    )


def record_sent(
    session: Session,
    message_id: int,
    *,
    token: str,
    now: dt.datetime,
    delivered_to: str,
    note: str | None = None,
) -> None:
    session.connection().execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == message_id, _OUTBOX.c.claim_token == token)
        .values(
            status=SENT,
            attempts=_OUTBOX.c.attempts + 1,
            sent_at=now,
            delivered_to=delivered_to,
            last_error=note,
            claim_token=None,
            claimed_until=None,
        )
    )


def record_failure(
    session: Session, message_id: int, *, token: str, error: str, retry_at: dt.datetime
) -> None:
    session.connection().execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == message_id, _OUTBOX.c.claim_token == token)
        .values(
            status=FAILED,
            attempts=_OUTBOX.c.attempts + 1,
            last_error=error,
            next_attempt_at=retry_at,
            claim_token=None,
            claimed_until=None,
        )
    )


def record_rendered(
    session: Session, message_id: int, *, token: str, subject: str, body_text: str, body_html: str
) -> None:
    """Keep the text rendered for a claimed message: every attempt sends this text."""
    session.connection().execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == message_id, _OUTBOX.c.claim_token == token)
        .values(subject=subject, body_text=body_text, body_html=body_html)
    )


@dataclass(frozen=True)
class OutboxRow:
    message: OutboxMessage
    case_number: str
    committee_code: str


def outbox(
    session: Session, *, status: str | None = None, ids: Sequence[int] | None = None
) -> list[OutboxRow]:
    """Outbox messages in the order their steps fell due, optionally of one status."""
    if status is not None and status not in STATUSES:
        raise InvalidInputError(f"status '{status}' is unknown; use one of {', '.join(STATUSES)}")
    statement = (
        select(OutboxMessage, Case.number, Committee.code)
        .join(StatusObligation, StatusObligation.id == OutboxMessage.obligation_id)
        .join(Case, Case.id == StatusObligation.case_id)
        .join(Committee, Committee.id == OutboxMessage.committee_id)
        .order_by(OutboxMessage.step_at, OutboxMessage.id)
    )
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    if ids is not None:
        rows: list[OutboxRow] = []
        for chunk in _chunks(list(ids)):
            rows += [
                OutboxRow(m, number, code)
                for m, number, code in session.execute(
                    statement.where(col(OutboxMessage.id).in_(chunk))
                ).all()
            ]
        return sorted(rows, key=lambda row: (row.message.step_at, row.message.id or 0))
    return [OutboxRow(m, number, code) for m, number, code in session.execute(statement).all()]


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
