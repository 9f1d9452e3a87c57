"""The calendars (iCalendar feeds) of meetings and status deadlines: what goes in them.

The same feeds for ``council calendar`` and the web application's subscription addresses.
The meetings feed is public (a meeting's date, time and place are published with its
agenda; no item is named, so no closed item can show). The deadlines feed names cases and
committees; on the web it is behind a secret address per user (made by
:mod:`council.workflow.services.calendar_addresses`; only its hash is stored, so a
calendar program's fetch is matched by :func:`calendar_owner`), and a secretariat user gets
only the deadlines of its committees.

A meeting's SEQUENCE is how often its date, time or status changed (rescheduled,
cancelled, reopened), and a cancelled meeting stays in the feed as ``STATUS:CANCELLED``, so
a subscribed calendar moves or strikes it instead of keeping the old event.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from council.cases import accounts, meetings
from council.cases import committees as committee_store
from council.cases.accounts import UserAccount
from council.cases.dates import require_aware
from council.cases.db import Database
from council.cases.models import Committee, Meeting
from council.cases.obligations import deadlines
from council.config.addresses import address_domain
from council.notifications.calendars import (
    DeadlineEvent,
    MeetingEvent,
    deadlines_calendar,
    meetings_calendar,
)
from council.workflow.app import App
from council.workflow.reminder_settings import reminder_config


def uid_domain(app: App) -> str:
    """The domain of the calendars' UIDs (the sender's, as for the Message-IDs)."""
    return address_domain(app.settings.smtp_sender) or "council.invalid"


def meeting_feed(
    app: App, *, now: datetime, committee_code: str | None = None, base_url: str | None = None
) -> str:
    """Every meeting (of one committee), as iCalendar text."""
    now = require_aware(now)
    with app.initialised_database().reading() as session:
        if committee_code is not None:
            committee_store.by_code(session, committee_code)
        found = meetings.dated(session, committee_code=committee_code)
        events = [_meeting_event(meeting, committee, base_url) for meeting, committee in found]
    name = f"Møder i {found[0][1].name}" if committee_code and found else "Udvalgsmøder"
    return meetings_calendar(events, domain=uid_domain(app), stamp=now, name=name)


def _meeting_event(meeting: Meeting, committee: Committee, base_url: str | None) -> MeetingEvent:
    assert meeting.id is not None and meeting.date is not None
    url = f"{base_url.rstrip('/')}/moeder/{meeting.id}/dagsorden" if base_url else None
    return MeetingEvent(
        meeting_id=meeting.id,
        committee_code=committee.code,
        committee_name=committee_store.name_on(committee, meeting.date),
        on=meeting.date,
        start=meeting.start_time,
        place=meeting.place,
        url=url,
        sequence=meeting.sequence or 0,
        cancelled=meeting.cancelled_at is not None,
    )


def deadline_feed(
    app: App,
    *,
    now: datetime,
    committee_codes: Iterable[str] | None = None,
    owner: str | None = None,
) -> str:
    """Every status deadline (of these committees; of one administration's cases), as
    iCalendar text with an alarm at each lead time."""
    now = require_aware(now)
    config = reminder_config(app)
    codes = list(committee_codes) if committee_codes is not None else None
    with app.initialised_database().reading() as session:
        for code in codes or ():
            committee_store.by_code(session, code)
        found = deadlines.deadlines(
            session,
            fulfilling_states=app.rulebook.definition.fulfilling_states,
            committee_codes=codes,
            owner=owner,
        )
    events = [
        DeadlineEvent(
            line_id=d.line.id,
            period_key=d.period.key,
            case_number=d.line.case_number,
            case_title=d.line.case_title,
            committee_code=d.line.committee_code,
            committee_name=d.line.committee_name_on(d.period.due),
            period_start=d.period.start,
            due=d.period.due,
            lead_days=d.line.lead_days,
            fulfilled_on=d.fulfilled_on,
        )
        for d in found
    ]
    return deadlines_calendar(events, domain=uid_domain(app), stamp=now, send_at=config.send_at)


def calendar_owner(database: Database, secret: str) -> UserAccount | None:
    """The enabled account whose calendar address holds ``secret``; ``None`` for any other
    text (the same answer for a wrong, an old and a malformed secret)."""
    if not secret or len(secret) > 100 or not secret.isascii():
        return None
    with database.reading() as session:
        return accounts.account_by_calendar_secret(session, secret)


def has_address(database: Database, account_id: int) -> bool:
    """Whether the account has a calendar address (its secret is not known any more)."""
    with database.reading() as session:
        return accounts.has_calendar_address(session, account_id)
