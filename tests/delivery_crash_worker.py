"""A reminder service that hands a few messages over to its Maildir and then hangs, to be
killed with -9 before it records them (for the crash test of a delivery batch).

Usage: python delivery_crash_worker.py DATABASE_URL MAILDIR NOW_ISO HANDED_OVER
It prints "handed over" once HANDED_OVER messages are in the Maildir, then waits.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from council.config.settings import load_settings
from council.notifications.messages import Mail
from council.notifications.transports import MaildirTransport, Send
from council.workflow import obligation_services
from council.workflow.app import App


@dataclass(frozen=True)
class HangingMaildir:
    """A Maildir whose process stops dead after ``limit`` messages."""

    maildir: MaildirTransport
    limit: int

    def describe(self) -> str:
        return self.maildir.describe()

    @contextmanager
    def connect(self) -> Iterator[Send]:
        with self.maildir.connect() as send:
            handed: list[str] = []

            def hanging(message: Mail, recipients: list[str]) -> str | None:
                note = send(message, recipients)
                handed.append(str(message["Message-ID"]))
                if len(handed) == self.limit:
                    print("handed over", flush=True)
                    time.sleep(600)  # killed here, before the batch is recorded
                return note

            yield hanging


def main() -> None:
    url, maildir, when, limit = sys.argv[1:]
    app = App(settings=load_settings(database_url=url))
    transport = HangingMaildir(MaildirTransport(Path(maildir)), int(limit))
    obligation_services.run_reminders(app, now=datetime.fromisoformat(when), transport=transport)


if __name__ == "__main__":
    main()
