"""Where reminders go: an SMTP server when one is configured, else a Maildir beside the
database.

A transport's ``connect()`` yields a send function, used for every message of a delivery
round; it is given the message in its wire form (:class:`~.messages.Mail`), which SMTP
sends as it is. The Maildir writes ``tmp/`` (waiting for the disk) then renames into
``new/`` (the Maildir protocol), under a file name fixed per Message-ID, so a resend after
a crash finds the message already there.
"""

from __future__ import annotations

import hashlib
import os
import re
import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from council.config.settings import Settings
from council.notifications.errors import DeliveryError
from council.notifications.messages import Mail

Send = Callable[[Mail, list[str]], str | None]


class Transport(Protocol):
    """Where messages go: ``connect()`` yields a send function for the messages of a
    delivery round.

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
            raise DeliveryError(f"kan ikke nå {self.describe()}: {reason(exc)}") from exc
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
                    f"{self.describe()} afviste forbindelsen: {reason(exc)}"
                ) from exc

            def send(mail: Mail, recipients: list[str]) -> str | None:
                if mail.sender.isascii() and all(r.isascii() for r in recipients):
                    refused = connection.sendmail(mail.sender, recipients, mail.data)
                else:  # an address beyond ASCII: send_message asks for SMTPUTF8
                    refused = connection.send_message(mail.message, to_addrs=recipients)
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
            raise DeliveryError(f"kan ikke oprette Maildir {self.path}: {reason(exc)}") from exc
        # what a mail client has moved to cur/ (adding ":2,FLAGS"), read once for the round
        read = {entry.name.partition(":")[0] for entry in os.scandir(self.path / "cur")}
        # the folders held open: each message's names are looked up from them, not walked
        # from the root of the file system three times over
        waiting = os.open(self.path / "tmp", os.O_RDONLY)
        try:
            arrived = os.open(self.path / "new", os.O_RDONLY)
        except OSError:
            os.close(waiting)
            raise

        def send(mail: Mail, _recipients: list[str]) -> str | None:
            name = maildir_name(mail.message_id)
            if name in read or _present(name, arrived):
                return None  # delivered before a crash kept it from being recorded
            _write_durably(name, waiting, mail.data.replace(b"\r\n", b"\n"))  # a file's ends
            os.replace(name, name, src_dir_fd=waiting, dst_dir_fd=arrived)
            os.fsync(arrived)  # the file's name in new/ survives a power cut, as it is recorded
            return None

        try:
            yield send
        finally:
            os.close(arrived)
            os.close(waiting)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def _present(name: str, folder: int) -> bool:
    """Whether ``name`` is in the folder open as ``folder``."""
    try:
        os.stat(name, dir_fd=folder)
    except FileNotFoundError:
        return False
    return True


def _write_durably(name: str, folder: int, data: bytes) -> None:
    """Write the file ``name`` in the folder open as ``folder`` and wait until its bytes
    are on the disk (a message recorded as sent must not be lost to a power cut, as a mail
    server does not lose one it accepted)."""
    file = os.open(name, _CREATE, 0o666, dir_fd=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(file, view) :]
        os.fsync(file)
    finally:
        os.close(file)


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
        "ingen SMTP-server og ingen Maildir til denne database: sæt COUNCIL_SMTP_HOST, "
        "eller COUNCIL_MAILDIR til en mappe"
    )


def default_maildir(database_path: Path) -> Path:
    return database_path.with_name(database_path.stem + ".maildir")


def reason(exc: BaseException) -> str:
    """One line saying why, without the noise of a traceback."""
    if isinstance(exc, smtplib.SMTPResponseException):
        raw = exc.smtp_error
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        return f"{exc.smtp_code} {' '.join(text.split())}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "alle modtagere blev afvist: " + ", ".join(sorted(exc.recipients))
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return message
