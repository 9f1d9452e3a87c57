"""What needs the secretariat's attention: coming meetings, items awaiting a decision or
to be carried on, obligations due soon or overdue, reminders that failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from council.cases import committees, items, meetings
from council.cases.dates import local_date
from council.cases.items import ItemLine
from council.cases.meetings import MeetingLine
from council.cases.models import Meeting
from council.cases.obligations import outbox as outbox_store
from council.cases.obligations.outbox import OutboxRow
from council.cases.obligations.status import PeriodStatus
from council.cases.obligations.tables import FAILED
from council.workflow.app import App
from council.workflow.obligation_services import obligation_table

UPCOMING_DAYS = 14


@dataclass(frozen=True)
class Postponed:
    item: ItemLine
    next_meeting: Meeting | None


@dataclass(frozen=True)
class Overview:
    """What needs the secretariat's attention, for its committees (all, for None)."""

    today: date
    meetings: list[MeetingLine]  # in the next UPCOMING_DAYS days
    awaiting: list[ItemLine]  # put before a meeting, no decision yet
    postponed: list[Postponed]  # to be carried on to the next meeting
    obligations: list[PeriodStatus]  # due soon or overdue
    failed: list[OutboxRow]  # reminders whose delivery failed


def overview(app: App, *, committee_codes: tuple[str, ...] | None, now: datetime) -> Overview:
    database, rulebook = app.initialised_database(), app.rulebook
    today = local_date(now)

    def mine(code: str | None) -> bool:
        """A digest (no committee) is the whole secretariat's, shown to those who see all."""
        return committee_codes is None or code in committee_codes

    with database.reading() as session:
        coming = meetings.between(
            session,
            committee_codes=committee_codes,
            start=today,
            end=today + timedelta(days=UPCOMING_DAYS),
        )
        awaiting = items.in_states(
            session, states=rulebook.presented_states, committee_codes=committee_codes
        )
        postponed = []
        for line in items.in_states(
            session,
            states=rulebook.definition.carry_over,
            committee_codes=committee_codes,
            limit=50,
        ):
            committee = committees.by_code(session, line.committee_code)
            assert committee.id is not None
            following = meetings.unheld_after(
                session, committee_id=committee.id, after=line.meeting_date, limit=1
            )
            postponed.append(Postponed(line, following[0] if following else None))
        failed = [
            row for row in outbox_store.listing(session, status=FAILED) if mine(row.committee_code)
        ]
    due = [
        row
        for row in obligation_table(app, now=now)
        if row.state.kind in ("due_soon", "overdue") and mine(row.line.committee_code)
    ]
    return Overview(today, coming, awaiting, postponed, due, failed)
