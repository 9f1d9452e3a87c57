"""Delivering the outbox: SMTP when a host is configured, else a Maildir beside the database.

Each pending (or failed, and due for a retry) outbox row is claimed under a lease, sent,
and marked ``sent`` in its own short transaction. A row the sweep wrote holds the facts of
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

The Maildir default writes ``tmp/`` then renames into ``new/`` (the Maildir protocol), under
a file name fixed per row, so a resend after a crash finds the message already there.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import ssl
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from functools import partial
from pathlib import Path
from typing import Protocol

from sqlmodel import Session

from council.cases.dates import LOCAL_ZONE, local_date, require_aware
from council.cases.db import Database
from council.cases.obligations import digests, outbox
from council.cases.obligations.tables import DIGEST, OutboxMessage
from council.config.settings import Settings
from council.notifications import reminder_text
from council.notifications.errors import DeliveryError, TemplateError

log = logging.getLogger(__name__)

Send = Callable[[EmailMessage, list[str]], str | None]


class Transport(Protocol):
    """Where messages go: ``connect()`` yields a send function for one batch of messages.

    The send function returns ``None``, or a note for the row (recipients a server
    refused while it accepted others); it raises ``OSError``/``SMTPException`` on failure.
    """

    def describe(self) -> str: ...

    def connect(self) -> AbstractContextManager[Send]: ...


@dataclass(frozen=True)
class SmtpTransport:
    """An SMTP server (STARTTLS and login when configured)."""

    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    def describe(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @contextmanager
    def connect(self) -> Iterator[Send]:
        try:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"cannot reach {self.describe()}: {_reason(exc)}") from exc
        try:
            try:
                connection.ehlo()
                if self.starttls:
                    connection.starttls(context=ssl.create_default_context())
                    connection.ehlo()
                if self.user:
                    connection.login(self.user, self.password or "")
            except (OSError, smtplib.SMTPException) as exc:
                raise DeliveryError(
                    f"{self.describe()} refused the session: {_reason(exc)}"
                ) from exc

            def send(message: EmailMessage, recipients: list[str]) -> str | None:
                refused = connection.send_message(message, to_addrs=recipients)
                if refused:
                    return "refused by the server: " + ", ".join(sorted(refused))
                return None

            yield send
        finally:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()


@dataclass(frozen=True)
class MaildirTransport:
    """A local Maildir (``tmp/``, ``new/``, ``cur/``), readable by any mail client."""

    path: Path

    def describe(self) -> str:
        return f"maildir:{self.path}"

    @contextmanager
    def connect(self) -> Iterator[Send]:
        try:
            for folder in ("tmp", "new", "cur"):
                (self.path / folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryError(f"cannot create the Maildir {self.path}: {_reason(exc)}") from exc

        def send(message: EmailMessage, _recipients: list[str]) -> str | None:
            name = maildir_name(str(message["Message-ID"]))
            if (self.path / "new" / name).exists() or any((self.path / "cur").glob(name + ":*")):
                return None  # delivered before a crash kept it from being recorded
            temporary = self.path / "tmp" / name
            temporary.write_bytes(bytes(message))
            os.replace(temporary, self.path / "new" / name)
            return None

        yield send


def maildir_name(message_id: str) -> str:
    """The file name of a message in the Maildir: fixed by its Message-ID."""
    digest = hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:24]
    return f"council.{digest}"


MAILDIR_FILE = re.compile(r"council\.[0-9a-f]{24}(?::.*)?")
"""A message file :func:`maildir_name` named (in ``cur/`` a mail client adds ``:2,FLAGS``)."""


def transport_for(
    settings: Settings, *, database_path: Path | None
) -> SmtpTransport | MaildirTransport:
    """SMTP when ``COUNCIL_SMTP_HOST`` is set; else ``COUNCIL_MAILDIR``; else a Maildir
    next to the SQLite file (``council.db`` -> ``council.maildir``)."""
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return SmtpTransport(
            host=settings.smtp_host,
            port=settings.smtp_port,
            starttls=settings.smtp_starttls,
            user=settings.smtp_user,
            password=password,
            timeout=settings.smtp_timeout_seconds,
        )
    if settings.maildir is not None:
        return MaildirTransport(settings.maildir)
    if database_path is not None:
        return MaildirTransport(default_maildir(database_path))
    raise DeliveryError(
        "no SMTP host and no Maildir for this database: set COUNCIL_SMTP_HOST, "
        "or COUNCIL_MAILDIR to a folder"
    )


def default_maildir(database_path: Path) -> Path:
    return database_path.with_name(database_path.stem + ".maildir")


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


def build_message(
    row: OutboxMessage, *, sender: str, now: datetime, to: list[str] | None = None
) -> EmailMessage:
    """The e-mail of an outbox row: text and HTML alternatives, its stable Message-ID;
    addressed to ``to`` (default: every recipient of the row)."""
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = sender
    message["To"] = ", ".join(row.recipients if to is None else to)
    message["Date"] = format_datetime(now.astimezone(LOCAL_ZONE))
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"
    if row.step_kind == DIGEST:
        message["X-Council-Reminder"] = f"sammendrag/{row.period_key}"
    else:
        message["X-Council-Reminder"] = f"{row.obligation_id}/{row.period_key}/{row.step_key}"
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    return message


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
    The reminders go first, then the digests they were put into."""
    now = require_aware(now)
    policy = policy or RetryPolicy()
    delivery = _Delivery(
        database=database,
        transport=transport,
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


@dataclass
class _Delivery:
    """One delivery round: the rows it claims under its token, and how each attempt went."""

    database: Database
    transport: Transport
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
            claimed = outbox.claim(
                uow.session,
                now=self.now,
                token=self.token,
                lease_until=self.lease_until,
                limit=limit,
                digests=digests,
            )
            passed = outbox.supersede_passed(uow.session, claimed, token=self.token, now=self.now)
            self.report.superseded += sorted(passed)
            ready = [
                row for row in claimed if row.id not in passed and self._ready(uow.session, row)
            ]
            uow.commit()
        return claimed, ready

    def _ready(self, session: Session, row: OutboxMessage) -> bool:
        """Whether a claimed row has its text, rendering it now if it has not; a row that
        cannot be rendered is recorded as a failed attempt."""
        if reminder_text.rendered(row):
            return True
        try:
            if row.step_kind == DIGEST:
                subject, text, html = self._render_digest(session, row)
            else:
                live = reminder_text.sending_facts(
                    session.connection(), row, now=self.now, wording=self.wording
                )
                subject, text, html = reminder_text.render_row(
                    row, live=live, step_names=self.wording.step_names
                )
        except Exception as exc:  # one row's flaw must not stop the others
            error = str(exc) if isinstance(exc, TemplateError) else _reason(exc)
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
        """Attempt every row over one connection; ``False`` when the server could not be
        reached, and then every row not yet tried waits for its retry."""
        done = 0
        try:
            with self.transport.connect() as send:
                for row in ready:
                    self._attempt(row, send)
                    done += 1
        except DeliveryError as exc:
            with self.database.unit_of_work() as uow:
                for row in ready[done:]:
                    self._record_failure(uow.session, row, str(exc))
                uow.commit()
            return False
        return True

    def _attempt(self, row: OutboxMessage, send: Send) -> None:
        """Make and send one row's message and record the outcome on the row.

        Whatever keeps this row from going out is a failed attempt of this row alone,
        recorded with its reason, and the batch goes on: a server's refusal, and also a
        message that cannot be made at all (a header value stored by a release that did
        not check addresses, with a line break in it). Only the server going away ends
        the batch (``transport.connect`` raises ``DeliveryError``).
        """
        direct, digested = self._direct(row)
        note: str | None = None
        if direct:
            try:
                message = build_message(row, sender=self.sender, now=self.now, to=direct)
            except Exception as exc:  # one row's flaw must not stop the others
                self._fail(row, f"the message cannot be made: {_reason(exc)}")
                return
            try:
                note = send(message, direct)
            except Exception as exc:  # one row's flaw must not stop the others
                self._fail(row, _reason(exc))
                return
        assert row.id is not None
        with self.database.unit_of_work() as uow:
            for recipient in digested:
                digests.add_to_digest(
                    uow.session,
                    recipient=recipient,
                    member_id=row.id,
                    message_id_of=partial(digest_message_id, domain=_domain(row.message_id)),
                    day=local_date(self.now),
                    send_at=self.digests.day_start(local_date(self.now)),
                    now=self.now,
                )
            outbox.record_sent(
                uow.session,
                row,
                token=self.token,
                now=self.now,
                delivered_to=self.report.transport if direct else "sammendrag",
                note=note,
            )
            uow.commit()
        if digested:
            self.report.digested.append(row.id)
        self.report.sent.append(row.id)
        log.info(
            "reminder %d sent to %s (%s)", row.id, ", ".join(row.recipients), self.report.transport
        )

    def _fail(self, row: OutboxMessage, error: str) -> None:
        """Record a failed attempt of ``row`` in a transaction of its own."""
        with self.database.unit_of_work() as uow:
            self._record_failure(uow.session, row, error)
            uow.commit()

    def _record_failure(self, session: Session, row: OutboxMessage, error: str) -> None:
        """A failed attempt, retried after the policy's wait, in the caller's transaction."""
        retry_at = self.now + self.policy.delay(row.attempts + 1)
        outbox.record_failure(session, row, token=self.token, error=error, retry_at=retry_at)
        assert row.id is not None
        self.report.failed.append((row.id, error))
        log.warning(
            "reminder %d not delivered, retried at %s: %s", row.id, retry_at.isoformat(), error
        )


def digest_message_id(recipient: str, day: date, *, domain: str) -> str:
    """The fixed Message-ID of ``recipient``'s digest of ``day``."""
    digest = hashlib.sha256(recipient.casefold().encode("utf-8")).hexdigest()[:16]
    return f"<digest.{day.isoformat()}.{digest}@{domain}>"


def _domain(message_id: str) -> str:
    return message_id.rstrip(">").rpartition("@")[2] or "council.invalid"


def _reason(exc: BaseException) -> str:
    """One line saying why, without the noise of a traceback."""
    if isinstance(exc, smtplib.SMTPResponseException):
        raw = exc.smtp_error
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        return f"{exc.smtp_code} {' '.join(text.split())}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "every recipient was refused: " + ", ".join(sorted(exc.recipients))
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return message
