"""Helpers for the reminder tests: the seed obligation, sweeps at a given moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mailserver import MailServer, Received
from support import at

from council.cases.obligations import outbox as outbox_store
from council.cases.obligations.lines import Line
from council.config.settings import load_settings
from council.workflow import obligation_services, reminder_settings
from council.workflow.app import App

SEED_START = date(2008, 8, 1)
SEED_END = date(2010, 12, 31)


def add_obligation(app: App, **options: Any) -> list[Line]:
    """The seed obligation (SUD and BIU, yearly, 2008-08-01 to 2010-12-31, due 31.12),
    recorded on 5 January 2009, with ``options`` changed."""
    arguments: dict[str, Any] = {
        "case_number": "2010-4130",
        "committee_codes": ["SUD", "BIU"],
        "starts_on": SEED_START,
        "ends_on": SEED_END,
        "actor": "clerk",
        "now": at("2009-01-05 10:00"),
    }
    arguments.update(options)
    return obligation_services.add_obligation(
        app.database.unit_of_work(), config=reminder_settings.reminder_config(app), **arguments
    )


@dataclass
class Reminding:
    """The product pointed at a real SMTP server; ``sweep(when)`` is one ``reminders run``."""

    app: App
    mail: MailServer

    @classmethod
    def on(cls, app: App, mail: MailServer) -> Reminding:
        settings = load_settings(database_url=app.settings.database_url, **mail.settings())
        return cls(App(settings=settings), mail)

    def sweep(self, when: str | datetime) -> obligation_services.ReminderRun:
        """One sweep and delivery at ``when`` (Copenhagen wall-clock text, or aware)."""
        now = at(when) if isinstance(when, str) else when
        return obligation_services.run_reminders(self.app, now=now)

    def step_keys(self) -> list[tuple[str, str, str]]:
        """(committee, period, step) of every outbox row, in the order the steps fell due."""
        with self.app.database.reading() as session:
            return [
                (row.committee_code, row.message.period_key, row.message.step_key)
                for row in outbox_store.listing(session)
            ]

    def outbox(self) -> list[outbox_store.OutboxRow]:
        with self.app.database.reading() as session:
            return outbox_store.listing(session)

    def received_keys(self) -> list[str]:
        return [received.message["X-Council-Reminder"] for received in self.mail.messages()]

    def dispose(self) -> None:
        self.app.database.dispose()


def reminder_header(received: Received) -> str:
    return str(received.message["X-Council-Reminder"])
