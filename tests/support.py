"""Helpers the tests share: a Copenhagen clock, a ready scenario, database dumps."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from workflow.app import App

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"


def at(text: str) -> datetime:
    """A Copenhagen wall-clock moment, e.g. at("2010-02-23 17:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=COPENHAGEN)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def environment_for(db_path: Path, **extra: str) -> dict[str, str]:
    """A process environment pointing the CLI at ``db_path``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env["COUNCIL_DATABASE_URL"] = f"sqlite:///{db_path}"
    env.update(extra)
    return env


@dataclass
class Scenario:
    """A case with BIU and SUD meetings, and helpers to draft, present and decide items."""

    app: App
    case_number: str = "2010-4130"

    def uow(self):  # type: ignore[no-untyped-def]
        return self.app.database.unit_of_work()

    def meeting(self, committee: str, on: str) -> int:
        from cases.dates import parse_date
        from workflow import services

        meeting = services.create_meeting(
            self.uow(),
            committee_code=committee,
            on=parse_date(on),
            actor="clerk",
            now=at(f"{on} 08:00"),
        )
        assert meeting.id is not None
        return meeting.id

    def draft(
        self, committee: str = "BIU", kind: str = "orientering", title: str = "Status"
    ) -> int:
        from workflow import services

        item = services.draft_item(
            self.uow(),
            self.app.rulebook,
            case_number=self.case_number,
            committee_code=committee,
            draft=services.ItemDraft(title=title, kind=kind, recommendation=("At ...",)),
            actor="clerk",
            now=at("2010-01-04 09:00"),
        )
        assert item.id is not None
        return item.id

    def present(self, item_id: int, meeting_id: int, when: str = "2010-01-10 09:00"):  # type: ignore[no-untyped-def]
        from workflow import services

        return services.present_item(
            self.uow(),
            self.app.rulebook,
            item_id=item_id,
            meeting_ref=str(meeting_id),
            actor="clerk",
            now=at(when),
        )

    def decide(self, item_id: int, outcome: str, when: str = "2010-01-26 17:00", **kw):  # type: ignore[no-untyped-def]
        from workflow import services

        return services.decide_item(
            self.uow(),
            self.app.rulebook,
            item_id=item_id,
            outcome=outcome,
            actor="clerk",
            now=at(when),
            **kw,
        )


def dump(db_path: Path) -> str:
    """The whole database as SQL text, for 'nothing changed' assertions."""
    import sqlite3

    if not db_path.exists():
        return "<no database file>"
    connection = sqlite3.connect(db_path)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()
