"""The reminder outbox: each step written once, then claimed, sent, and marked.

A step may be written ``superseded``: passed by a later step of the same period before it
was ever sent (a sweep after downtime finds several due at once). It is never claimed; its
``superseded_by`` names the row sent instead. A row claimed for sending that a later step
of its period has passed meanwhile is superseded the same way instead of being sent
(:func:`supersede_passed`). Digest rows (one a day per recipient who wants a digest) are
written by delivery (:mod:`.digests`) and claimed after the steps (``digests=True``).

SQL here is portable: the outbox is claimed with a lease (an UPDATE guarded by the lease's
expiry), and the candidate select carries ``FOR UPDATE SKIP LOCKED``, which PostgreSQL
honours and SQLite (whose writers are serialised by ``BEGIN IMMEDIATE``) leaves out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import (
    Connection,
    Integer,
    Text,
    bindparam,
    func,
    insert,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col

from council.cases import audit
from council.cases.audit import utc_iso
from council.cases.errors import InvalidInputError
from council.cases.models import Case, Committee
from council.cases.obligations.tables import (
    DIGEST,
    FAILED,
    OUTBOX_TABLE,
    PENDING,
    SENT,
    STATUSES,
    SUPERSEDED,
    OutboxMessage,
    StatusObligation,
    chunks,
)
from council.cases.prepared import Prepared


class NewMessage(TypedDict):
    """A reminder step as the sweep writes it (a plain dict: the insert takes it as it is)."""

    obligation_id: int
    committee_id: int
    period_key: str
    step_key: str
    step_kind: str
    step_at: datetime
    message_id: str
    recipients: Sequence[str]  # a tuple: equal lists of a batch are serialised once
    facts: str
    status: str  # pending, or superseded when a later step of its period is written with it


@dataclass(frozen=True)
class OutboxRow:
    """An outbox message with the case and committee it reminds of, for listings."""

    message: OutboxMessage
    case_number: str | None  # None: a digest
    committee_code: str | None


SERVICE_ACTOR = "påmindelsestjenesten"
"""Who the audit trail says wrote, rendered and sent a reminder: the reminder service."""

_COLUMNS = (*NewMessage.__annotations__, "attempts", "next_attempt_at", "created_at")
_STEP_KEY = ["obligation_id", "committee_id", "period_key", "step_key"]
_INSERT_STEP = Prepared(
    sqlite.insert(OUTBOX_TABLE).on_conflict_do_nothing(index_elements=_STEP_KEY),
    column_keys=_COLUMNS,
)
_LAST_ID = Prepared(select(func.coalesce(func.max(OUTBOX_TABLE.c.id), 0)))


def written_step_keys(connection: Connection, line_ids: Sequence[int]) -> set[tuple[int, str, str]]:
    """``(line, period, step)`` of every reminder already in the outbox for these lines."""
    table = OUTBOX_TABLE
    keys: set[tuple[int, str, str]] = set()
    for chunk in chunks(line_ids):
        keys.update(
            (line_id, period_key, step_key)
            for line_id, period_key, step_key in connection.execute(
                select(table.c.obligation_id, table.c.period_key, table.c.step_key).where(
                    table.c.obligation_id.in_(chunk)
                )
            ).all()
        )
    return keys


def add(
    connection: Connection,
    messages: Sequence[NewMessage],
    *,
    now: datetime,
    current: Sequence[tuple[int, str, str]] = (),
) -> list[int]:
    """Write each message unless its step is already there; returns the ids written, in
    the order of ``messages``. The steps written superseded point at the current step of
    their period (``current``, see :func:`link_superseded`) before the rows are audited.

    The unique key (obligation, committee, period, step) decides: the insert is
    ``ON CONFLICT DO NOTHING``, so a second sweep or a second instance never writes a step
    twice. On SQLite the rows go in as one executemany, and the rows written are those
    above the highest id before it: the unit of work's ``BEGIN IMMEDIATE`` keeps every
    other writer out until the commit. PostgreSQL returns the ids (``RETURNING``).
    """
    if not messages:
        return []
    if connection.dialect.name == "sqlite":
        return _add_on_sqlite(connection, messages, now=now, current=current)
    written = _insert(connection, messages, now=now)
    link_superseded(connection, current)
    if written:
        audit_written(connection, written, now=now)
    return written


def _add_on_sqlite(
    connection: Connection,
    messages: Sequence[NewMessage],
    *,
    now: datetime,
    current: Sequence[tuple[int, str, str]],
) -> list[int]:
    """:func:`add` on SQLite: the rows written are those above the highest id before the
    insert, so one select reads them back, ids and audit images at once."""
    before = int(_LAST_ID.scalar(connection))
    _INSERT_STEP.many(connection, messages, attempts=0, next_attempt_at=now, created_at=now)
    link_superseded(connection, current)
    images = _Images(connection).of(_IMAGES_AFTER.rows(connection, after=before))
    if images:
        _audit_written(connection, images, now=now)
    return [image["id"] for image in images]


def _insert(connection: Connection, messages: Sequence[NewMessage], *, now: datetime) -> list[int]:
    new = {"attempts": 0, "next_attempt_at": now, "created_at": now}
    dialect = connection.dialect.name
    rows = [{**m, **new} for m in messages]
    if dialect == "postgresql":
        # No conflict target: a step's Message-ID is made from its key, so a service that
        # wrote the same step a moment before may collide on either unique index first
        returned = connection.execute(
            postgresql.insert(OUTBOX_TABLE).on_conflict_do_nothing().returning(OUTBOX_TABLE.c.id),
            rows,
        )
        return sorted(int(i) for i in returned.scalars())  # one statement: ids in row order
    return _add_one_by_one(connection, rows)  # pragma: no cover - other databases


_IMAGE = (
    "id",
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
    "superseded_by",
)


def audit_written(connection: Connection, ids: Sequence[int], *, now: datetime) -> None:
    """One ``reminders.written`` entry holding each written row (a step or a digest) as it
    was written."""
    table = OUTBOX_TABLE
    images: list[dict[str, Any]] = []
    for chunk in chunks(list(ids)):
        found = connection.execute(
            select(*(table.c[name] for name in _IMAGE))
            .where(table.c.id.in_(chunk))
            .order_by(table.c.id)
        )
        for row in found:
            image = dict(zip(_IMAGE, row, strict=True))
            image["step_at"] = utc_iso(image["step_at"])
            image["recipients"] = list(image["recipients"])
            images.append(image)
    _audit_written(connection, images, now=now)


def _audit_written(connection: Connection, images: list[dict[str, Any]], *, now: datetime) -> None:
    audit.append(
        connection,
        audit.next_link(connection),
        action="reminders.written",
        actor=SERVICE_ACTOR,
        now=now,
        data={"messages": images},
    )


_RAW = ("step_at", "recipients")  # selected as stored, converted once per distinct value
_IMAGES_AFTER = Prepared(
    select(
        *(
            type_coerce(OUTBOX_TABLE.c[name], Text()) if name in _RAW else OUTBOX_TABLE.c[name]
            for name in _IMAGE
        )
    )
    .where(OUTBOX_TABLE.c.id > bindparam("after", type_=Integer()))
    .order_by(OUTBOX_TABLE.c.id)
)
SQLITE_SWEEP_STATEMENTS = (_INSERT_STEP, _LAST_ID, _IMAGES_AFTER)


class _Images:
    """Rows of ``_IMAGES_AFTER`` made into audit images as :func:`audit_written` makes
    them. A sweep's rows repeat their step times and recipients, so each distinct stored
    value goes through its column type's result processor once."""

    def __init__(self, connection: Connection) -> None:
        dialect = connection.dialect
        self._step_at = _once_each(OUTBOX_TABLE.c.step_at, dialect, utc_iso)
        self._recipients = _once_each(OUTBOX_TABLE.c.recipients, dialect, list)

    def of(self, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        step_at, recipients = self._step_at, self._recipients
        images = []
        for row in rows:
            image = dict(zip(_IMAGE, row, strict=True))
            image["step_at"] = step_at(image["step_at"])
            image["recipients"] = recipients(image["recipients"])
            images.append(image)
        return images


def _once_each(column: Any, dialect: Any, then: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``then`` of a stored value of ``column`` as its type reads it, each value once."""
    read = column.type.dialect_impl(dialect).result_processor(dialect, None)
    seen: dict[Any, Any] = {}

    def convert(stored: Any) -> Any:
        try:
            return seen[stored]
        except KeyError:
            value = seen[stored] = then(read(stored) if read is not None else stored)
            return value

    return convert


def _add_one_by_one(connection: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """A savepoint per row, where the database has no ``ON CONFLICT``."""
    written: list[int] = []
    for row in rows:
        try:
            with connection.begin_nested():
                statement = insert(OUTBOX_TABLE).returning(OUTBOX_TABLE.c.id)
                written.append(int(connection.execute(statement, row).scalar_one()))
        except IntegrityError:
            pass
    return written


_LINK_SUPERSEDED = Prepared(
    update(OUTBOX_TABLE)
    .where(
        OUTBOX_TABLE.c.obligation_id == bindparam("line_id", type_=Integer()),
        OUTBOX_TABLE.c.period_key == bindparam("period"),
        OUTBOX_TABLE.c.status == SUPERSEDED,
        OUTBOX_TABLE.c.superseded_by.is_(None),
    )
    .values(
        superseded_by=select(OUTBOX_TABLE.c.id)
        .where(
            OUTBOX_TABLE.c.obligation_id == bindparam("line_id", type_=Integer()),
            OUTBOX_TABLE.c.period_key == bindparam("period"),
            OUTBOX_TABLE.c.step_key == bindparam("current"),
        )
        .scalar_subquery()
    )
)


def link_superseded(connection: Connection, current: Sequence[tuple[int, str, str]]) -> None:
    """Point the superseded steps of each ``(line, period, current step)`` at the row of
    the current step (one executemany)."""
    if current:
        _LINK_SUPERSEDED.many(
            connection,
            [
                {"line_id": line, "period": period, "current": step}
                for line, period, step in current
            ],
        )


def passed_by(connection: Connection, ids: Sequence[int]) -> dict[int, int]:
    """Of the step rows ``ids``, those a later step of the same period has passed: each
    with the id of the latest such row (written after it, not superseded itself)."""
    table = OUTBOX_TABLE
    later = table.alias("later")
    newest = (
        select(later.c.id)
        .where(
            later.c.obligation_id == table.c.obligation_id,
            later.c.committee_id == table.c.committee_id,
            later.c.period_key == table.c.period_key,
            later.c.step_at > table.c.step_at,
            later.c.status != SUPERSEDED,
        )
        .order_by(later.c.step_at.desc(), later.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    found: dict[int, int] = {}
    for chunk in chunks(list(ids)):
        for row_id, by in connection.execute(
            select(table.c.id, newest).where(table.c.id.in_(chunk), table.c.step_kind != DIGEST)
        ).all():
            if by is not None:
                found[int(row_id)] = int(by)
    return found


def supersede_passed(
    session: Session, rows: Sequence[OutboxMessage], *, token: str, now: datetime
) -> set[int]:
    """Of ``rows`` (claimed under ``token``, not yet sent), mark superseded those that a
    later step of the same period has passed (:func:`passed_by`); returns their ids. Such
    a row is never sent: the later one tells the same, up to date."""
    table = OUTBOX_TABLE
    connection = session.connection()
    passed = passed_by(connection, [row.id for row in rows if row.id is not None])
    superseded = []
    for row_id, by in passed.items():
        marked = connection.execute(
            update(table)
            .where(table.c.id == row_id, table.c.claim_token == token)
            .values(status=SUPERSEDED, superseded_by=by, claim_token=None, claimed_until=None)
        )
        if marked.rowcount:
            superseded.append({"id": row_id, "by": by})
    if superseded:
        _audit(connection, "reminders.superseded", now=now, superseded=superseded)
    return set(passed)


def due_for_attempt(session: Session, *, now: datetime) -> list[OutboxMessage]:
    """The reminder rows (no digests) a delivery at ``now`` would claim, in claim order,
    without claiming them (``council reminders run --dry-run``)."""
    table = OUTBOX_TABLE
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(
                table.c.status.in_((PENDING, FAILED)),
                table.c.step_kind != DIGEST,
                table.c.next_attempt_at <= now,
                or_(table.c.claimed_until.is_(None), table.c.claimed_until <= now),
            )
            .order_by(table.c.next_attempt_at, table.c.id)
        )
    )


_TAKE = Prepared(
    update(OUTBOX_TABLE).where(
        OUTBOX_TABLE.c.id == bindparam("row_id", type_=Integer()),
        or_(
            OUTBOX_TABLE.c.claimed_until.is_(None),
            OUTBOX_TABLE.c.claimed_until
            <= bindparam("now", type_=OUTBOX_TABLE.c.claimed_until.type),
        ),
    ),
    column_keys=("claim_token", "claimed_until"),
)
"""Take one candidate row, only while nobody else holds it."""


def claim(
    session: Session,
    *,
    now: datetime,
    token: str,
    lease_until: datetime,
    limit: int,
    digests: bool = False,
) -> list[OutboxMessage]:
    """Take up to ``limit`` messages that are due for an attempt and not held by another
    sweep, holding them under ``token`` until ``lease_until``; returns them in order.

    Portable: the candidates are read ``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite has
    no row locks and serialises writers instead) and each is taken by an UPDATE that only
    succeeds while nobody else holds it.
    """
    table = OUTBOX_TABLE
    kind = table.c.step_kind == DIGEST if digests else table.c.step_kind != DIGEST
    candidates = session.scalars(
        select(table.c.id)
        .where(
            table.c.status.in_((PENDING, FAILED)),
            kind,
            table.c.next_attempt_at <= now,
            or_(table.c.claimed_until.is_(None), table.c.claimed_until <= now),
        )
        .order_by(table.c.next_attempt_at, table.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    connection = session.connection()
    taken = [
        message_id
        for message_id in candidates
        if _TAKE.run(
            connection, row_id=message_id, now=now, claim_token=token, claimed_until=lease_until
        )
        == 1
    ]
    if not taken:
        return []
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(col(OutboxMessage.id).in_(taken), col(OutboxMessage.claim_token) == token)
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        )
    )


_CLAIMED = (
    OUTBOX_TABLE.c.id == bindparam("row_id", type_=Integer()),
    OUTBOX_TABLE.c.claim_token == bindparam("token"),
)
"""A row still held under the caller's claim: a change to it only while that holds."""
_KEEP_RENDERED = Prepared(
    update(OUTBOX_TABLE).where(*_CLAIMED), column_keys=("subject", "body_text", "body_html")
)
_RELEASE = {"claim_token": None, "claimed_until": None}
_MARK_SENT = Prepared(
    update(OUTBOX_TABLE)
    .where(*_CLAIMED)
    .values(status=SENT, attempts=OUTBOX_TABLE.c.attempts + 1, **_RELEASE),
    column_keys=("sent_at", "delivered_to", "last_error"),
)
_MARK_FAILED = Prepared(
    update(OUTBOX_TABLE)
    .where(*_CLAIMED)
    .values(status=FAILED, attempts=OUTBOX_TABLE.c.attempts + 1, **_RELEASE),
    column_keys=("last_error", "next_attempt_at"),
)


def record_rendered(
    session: Session,
    message: OutboxMessage,
    *,
    token: str,
    subject: str,
    body_text: str,
    body_html: str,
    now: datetime,
) -> None:
    """Keep the text rendered for a claimed message (on its row and on ``message``), with
    its audit entry ``reminder.rendered``: every attempt sends this text."""
    texts = {"subject": subject, "body_text": body_text, "body_html": body_html}
    connection = session.connection()
    if _KEEP_RENDERED.run(connection, row_id=message.id, token=token, **texts) == 1:
        _audit(connection, "reminder.rendered", now=now, id=message.id, **texts)
    for name, value in texts.items():
        set_committed_value(message, name, value)  # as loaded, so nothing is written twice


def record_sent(
    session: Session,
    message: OutboxMessage,
    *,
    token: str,
    now: datetime,
    delivered_to: str,
    note: str | None = None,
) -> None:
    """Mark a claimed message sent (``note``: recipients a server refused, if any), with
    its audit entry ``reminder.sent``."""
    connection = session.connection()
    sent = _MARK_SENT.run(
        connection,
        row_id=message.id,
        token=token,
        sent_at=now,
        delivered_to=delivered_to,
        last_error=note,
    )
    if sent == 1:
        _audit(connection, "reminder.sent", now=now, id=message.id, delivered_to=delivered_to)


def _audit(connection: Connection, action: str, *, now: datetime, **data: Any) -> None:
    audit.append(
        connection,
        audit.next_link(connection),
        action=action,
        actor=SERVICE_ACTOR,
        now=now,
        data=data,
    )


def record_failure(
    session: Session, message: OutboxMessage, *, token: str, error: str, retry_at: datetime
) -> None:
    """Count a failed attempt of a claimed message and free it for a retry at ``retry_at``."""
    _MARK_FAILED.run(
        session.connection(),
        row_id=message.id,
        token=token,
        last_error=error,
        next_attempt_at=retry_at,
    )


def listing(
    session: Session, *, status: str | None = None, ids: Sequence[int] | None = None
) -> list[OutboxRow]:
    """Outbox messages in the order their steps fell due: all, of one status, or ``ids``."""
    if status is not None and status not in STATUSES:
        raise InvalidInputError(f"status '{status}' is unknown; use one of {', '.join(STATUSES)}")
    statement = (
        select(OutboxMessage, col(Case.number), col(Committee.code))
        .outerjoin(StatusObligation, col(StatusObligation.id) == OutboxMessage.obligation_id)
        .outerjoin(Case, col(Case.id) == StatusObligation.case_id)
        .outerjoin(Committee, col(Committee.id) == OutboxMessage.committee_id)
        .order_by(col(OutboxMessage.step_at), col(OutboxMessage.id))
    )
    if status is not None:
        statement = statement.where(col(OutboxMessage.status) == status)
    if ids is None:
        return [OutboxRow(*row) for row in session.execute(statement).all()]
    rows = [
        OutboxRow(*row)
        for chunk in chunks(ids)
        for row in session.execute(statement.where(col(OutboxMessage.id).in_(chunk))).all()
    ]
    return sorted(rows, key=lambda row: (row.message.step_at, row.message.id or 0))


def rows_by_id(session: Session, ids: Sequence[int]) -> list[OutboxRow]:
    """The outbox rows ``ids`` with their case and committee, in step order."""
    return listing(session, ids=ids) if ids else []
