"""Delivering the outbox: SMTP when a host is configured, else a Maildir beside the database
(:mod:`.transports`).

The pending (and failed, due for a retry) outbox rows are claimed in batches under a
lease; each batch is sent over the round's one connection, and the outcomes of the batch
are recorded in one transaction after it (each row ``sent`` or failed, with its audit
entry). A crash between handing messages over and recording them leaves those rows
claimed: once the lease runs out they are sent again, with the same Message-ID, never
under a new one. A row the sweep wrote holds the facts of
its reminder, not its text: the claim renders subject, text and HTML from them
(``notifications.reminder_text``) and keeps them on the row in the same transaction, so
every attempt sends the same text. Failures are isolated per row: a row whose facts
cannot be rendered, whose message cannot be made (a header value with a line break,
stored by a release that did not check addresses) or that the server refuses counts as a
failed attempt of that row alone, and the others go on. A failed attempt is recorded on the row
(attempts, last error) with the next attempt ``retry_first * 2**(attempts-1)`` minutes on,
at most ``retry_max`` apart. A row is never given up. Every attempt of a row carries the
same Message-ID, so a receiver can tell a resend (after a crash between handing the
message over and recording it) from a new reminder.

A claimed row that a later step of its period has passed meanwhile (the mail server was
down while the escalations came due) is marked superseded instead of sent
(``outbox.supersede_passed``): only the current step goes out. A row's text is worked
out when it is first claimed, from its facts and what is read then
(``reminder_text.sending_facts``: the day, the last decision, the next meeting, the goals).

A recipient who wants a daily digest (``[digest]`` in ``config/reminders.toml``) is left
out of each reminder's own mail; the reminder is put into that recipient's digest of the
day in the same transaction that records it sent, and the digests are delivered after
the reminders, each once, by the same claim, lease and Message-ID rules.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from sqlmodel import Session

from council.cases import audit
from council.cases.dates import LOCAL_ZONE, local_date, require_aware
from council.cases.db import Database
from council.cases.obligations import digests, outbox
from council.cases.obligations.tables import DIGEST, OutboxMessage
from council.notifications import reminder_text
from council.notifications.errors import DeliveryError, TemplateError
from council.notifications.messages import Mail, build_mail
from council.notifications.transports import Send, Transport, reason

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    first_minutes: float = 1.0
    max_minutes: float = 60.0
    lease_minutes: float = 10.0

    def delay(self, failures: int) -> timedelta:
        """The wait after the ``failures``-th failed attempt in a row (1, 2, 4, ... minutes)."""
        minutes = self.first_minutes * 2 ** max(0, min(failures - 1, 30))
        return timedelta(minutes=min(minutes, self.max_minutes))


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    transport: str = ""
    superseded: list[int] = field(default_factory=list)
    digested: list[int] = field(default_factory=list)  # rows put into a digest


@dataclass(frozen=True)
class Digests:
    """Who gets a daily digest instead of each reminder, and when a day's digest is due
    (the send time, local) when it goes to the next day."""

    recipients: frozenset[str] = frozenset()
    send_at: time = time(8, 0)

    def day_start(self, day: date) -> datetime:
        return datetime.combine(day, self.send_at, tzinfo=LOCAL_ZONE)


def deliver(
    database: Database,
    transport: Transport,
    *,
    now: datetime,
    sender: str,
    policy: RetryPolicy | None = None,
    batch: int = 100,
    wording: reminder_text.Wording | None = None,
    digests: Digests | None = None,
) -> DeliveryReport:
    """Send every outbox row due for an attempt at ``now``; record each outcome on its row.
    The reminders go first, then the digests they were put into, all over one connection."""
    now = require_aware(now)
    policy = policy or RetryPolicy()
    with _Connection(transport) as connection:
        delivery = _Delivery(
            database=database,
            connection=connection,
            now=now,
            sender=sender,
            policy=policy,
            token=uuid.uuid4().hex,
            lease_until=now + timedelta(minutes=policy.lease_minutes),
            report=DeliveryReport(transport=transport.describe()),
            wording=wording or reminder_text.Wording(),
            digests=digests or Digests(),
        )
        for kind in (False, True):  # the reminders, then the digests
            while True:
                claimed, ready = delivery.claim(limit=batch, digests=kind)
                if not claimed:
                    break
                # none of a batch may be ready (each waits for its retry); then the next batch
                if ready and not delivery.send(ready):
                    return delivery.report
        return delivery.report


class _Connection:
    """A round's connection to its transport: opened when the first message goes, kept
    for the round, and opened afresh after a message whose sending raised (the session
    may be gone or in a state nobody knows)."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._open: ExitStack | None = None
        self._send: Send | None = None

    def __enter__(self) -> _Connection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def send(self, message: Mail, recipients: list[str]) -> str | None:
        """Hand one message over; ``DeliveryError`` when the transport cannot be reached."""
        if self._send is None:
            with ExitStack() as stack:
                self._send = stack.enter_context(self.transport.connect())
                self._open = stack.pop_all()
        try:
            return self._send(message, recipients)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        opened, self._open, self._send = self._open, None, None
        if opened is not None:
            opened.close()


@dataclass(frozen=True)
class _Sent:
    row: OutboxMessage
    direct: bool  # False: every recipient gets it in a digest
    digested: list[str]
    note: str | None


@dataclass(frozen=True)
class _Failed:
    row: OutboxMessage
    error: str


@dataclass
class _Delivery:
    """One delivery round: the rows it claims under its token, and how each attempt went."""

    database: Database
    connection: _Connection
    now: datetime
    sender: str
    policy: RetryPolicy
    token: str
    lease_until: datetime
    report: DeliveryReport
    wording: reminder_text.Wording = field(default_factory=reminder_text.Wording)
    digests: Digests = field(default_factory=Digests)

    def claim(
        self, *, limit: int, digests: bool = False
    ) -> tuple[list[OutboxMessage], list[OutboxMessage]]:
        """Claim up to ``limit`` rows (reminders, or ``digests``), supersede those a later
        step of their period has passed, and render those not rendered yet, keeping their
        text on them in the claim's transaction; returns the rows claimed and those to
        send. A row that cannot be rendered, for whatever reason, is a failed attempt of
        that row alone."""
        with self.database.unit_of_work() as uow:
            with audit.held_head(uow):  # the batch's entries chained, the head moved once
                claimed = outbox.claim(
                    uow.session,
                    now=self.now,
                    token=self.token,
                    lease_until=self.lease_until,
                    limit=limit,
                    digests=digests,
                )
                passed = outbox.supersede_passed(
                    uow.session, claimed, token=self.token, now=self.now
                )
                candidates = [row for row in claimed if row.id not in passed]
                live = self._live_facts(uow.session, candidates)
                ready = [row for row in candidates if self._ready(uow.session, row, live)]
            uow.commit()
        self.report.superseded += sorted(passed)
        return claimed, ready

    def _live_facts(self, session: Session, rows: list[OutboxMessage]) -> dict[int, dict[str, Any]]:
        """What the reminders among ``rows`` still to be rendered tell that is read now,
        read for them together; empty if that fails (each is then read alone, so a flaw
        fails only its own row)."""
        wanted = [
            row for row in rows if row.step_kind != DIGEST and not reminder_text.rendered(row)
        ]
        if not wanted:
            return {}
        try:
            found = reminder_text.sending_facts_of(
                session.connection(), wanted, now=self.now, wording=self.wording
            )
        except Exception:  # read again row by row, where a flaw fails one row only
            return {}
        return {row.id: facts for row, facts in zip(wanted, found, strict=True) if row.id}

    def _ready(self, session: Session, row: OutboxMessage, live: dict[int, Any]) -> bool:
        """Whether a claimed row has its text, rendering it now if it has not; a row that
        cannot be rendered is recorded as a failed attempt."""
        if reminder_text.rendered(row):
            return True
        try:
            if row.step_kind == DIGEST:
                subject, text, html = self._render_digest(session, row)
            else:
                facts = live.get(row.id) if row.id is not None else None
                if facts is None:
                    facts = reminder_text.sending_facts(
                        session.connection(), row, now=self.now, wording=self.wording
                    )
                subject, text, html = reminder_text.render_row(
                    row, live=facts, step_names=self.wording.step_names
                )
        except Exception as exc:  # one row's flaw must not stop the others
            error = str(exc) if isinstance(exc, TemplateError) else reason(exc)
            self._record_failure(session, row, error)
            return False
        outbox.record_rendered(
            session,
            row,
            token=self.token,
            subject=subject,
            body_text=text,
            body_html=html,
            now=self.now,
        )
        return True

    def _render_digest(self, session: Session, row: OutboxMessage) -> tuple[str, str, str]:
        """A digest lists the reminders put into it, each with its subject as sent."""
        members = outbox.rows_by_id(session, digests.digest_members(row.facts))
        entries = [reminder_text.digest_entry(member.message) for member in members]
        return reminder_text.render_digest(
            date.fromisoformat(row.period_key), entries, ", ".join(row.recipients)
        )

    def _direct(self, row: OutboxMessage) -> tuple[list[str], list[str]]:
        """A row's recipients who get its own mail, and those who get it in a digest."""
        if row.step_kind == DIGEST:
            return list(row.recipients), []
        wanted = self.digests.recipients
        direct = [r for r in row.recipients if r not in wanted]
        return direct, [r for r in row.recipients if r in wanted]

    def send(self, ready: list[OutboxMessage]) -> bool:
        """Attempt every row, then record how each went in one transaction; ``False`` when
        the transport could not be reached, and then every row not yet tried waits for
        its retry."""
        outcomes: list[_Sent | _Failed] = []
        unreachable: str | None = None
        try:
            for row in ready:
                outcomes.append(self._attempt(row))
        except DeliveryError as exc:
            unreachable = str(exc)
            outcomes += [_Failed(row, unreachable) for row in ready[len(outcomes) :]]
        finally:
            self._record(outcomes)  # on any way out: what went is recorded as gone
        return unreachable is None

    def _attempt(self, row: OutboxMessage) -> _Sent | _Failed:
        """Make and send one row's message.

        Whatever keeps this row from going out is a failed attempt of this row alone, with
        its reason, and the batch goes on: a server's refusal, and also a message that
        cannot be made at all (a header value stored by a release that did not check
        addresses, with a line break in it). Only a transport that cannot be reached ends
        the batch (``DeliveryError``).
        """
        direct, digested = self._direct(row)
        note: str | None = None
        if direct:
            try:
                message = build_mail(row, sender=self.sender, now=self.now, to=direct)
            except Exception as exc:  # one row's flaw must not stop the others
                return _Failed(row, f"beskeden kan ikke laves: {reason(exc)}")
            try:
                note = self.connection.send(message, direct)
            except DeliveryError:
                raise
            except Exception as exc:  # one row's flaw must not stop the others
                return _Failed(row, reason(exc))
        return _Sent(row, bool(direct), digested, note)

    def _record(self, outcomes: list[_Sent | _Failed]) -> None:
        """Record the outcomes of a batch on their rows, in one transaction."""
        if not outcomes:
            return
        day = local_date(self.now)
        with self.database.unit_of_work() as uow:
            with audit.held_head(uow):  # the batch's entries chained, the head moved once
                for outcome in outcomes:
                    if isinstance(outcome, _Failed):
                        self._record_failure(uow.session, outcome.row, outcome.error)
                        continue
                    row = outcome.row
                    assert row.id is not None
                    for recipient in outcome.digested:
                        digests.add_to_digest(
                            uow.session,
                            recipient=recipient,
                            member_id=row.id,
                            message_id_of=partial(
                                digest_message_id, domain=_domain(row.message_id)
                            ),
                            day=day,
                            send_at=self.digests.day_start(day),
                            now=self.now,
                        )
                    outbox.record_sent(
                        uow.session,
                        row,
                        token=self.token,
                        now=self.now,
                        delivered_to=self.report.transport if outcome.direct else "sammendrag",
                        note=outcome.note,
                    )
            uow.commit()
        for outcome in outcomes:
            if isinstance(outcome, _Sent):
                assert outcome.row.id is not None
                if outcome.digested:
                    self.report.digested.append(outcome.row.id)
                self.report.sent.append(outcome.row.id)
                log.info(
                    "påmindelse %d sendt til %s (%s)",
                    outcome.row.id,
                    ", ".join(outcome.row.recipients),
                    self.report.transport,
                )

    def _record_failure(self, session: Session, row: OutboxMessage, error: str) -> None:
        """A failed attempt, retried after the policy's wait, in the caller's transaction."""
        retry_at = self.now + self.policy.delay(row.attempts + 1)
        outbox.record_failure(session, row, token=self.token, error=error, retry_at=retry_at)
        assert row.id is not None
        self.report.failed.append((row.id, error))
        log.warning(
            "påmindelse %d ikke leveret, prøves igen %s: %s", row.id, retry_at.isoformat(), error
        )


def digest_message_id(recipient: str, day: date, *, domain: str) -> str:
    """The fixed Message-ID of ``recipient``'s digest of ``day``."""
    digest = hashlib.sha256(recipient.casefold().encode("utf-8")).hexdigest()[:16]
    return f"<digest.{day.isoformat()}.{digest}@{domain}>"


def _domain(message_id: str) -> str:
    return message_id.rstrip(">").rpartition("@")[2] or "council.invalid"
