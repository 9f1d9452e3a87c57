"""Calendars to subscribe to (iCalendar, RFC 5545), built with the ``icalendar`` library.

- Meetings: one event per meeting, at its time in Europe/Copenhagen (a VTIMEZONE is
  included, so calendars place it right on either side of a change to or from summer
  time), or all day when no time is known; with its place, and the address of its
  agenda when the web application's address is known.
- Status deadlines: one all-day event per period of every obligation line, with an alarm
  at each of the line's lead times (at the reminders' send time); a fulfilled period
  says when, and has no alarm.

A re-export updates instead of duplicating: each event's UID is fixed by the record it
comes from (``moede-12@domain``, ``frist-2-2009@domain``). SEQUENCE counts the times an
event changed the way calendars must notice: a meeting's moves (the read model gives
the count), a deadline's fulfilment. A cancelled meeting is ``STATUS:CANCELLED``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from council.cases.dates import LOCAL_ZONE, format_long_date

PRODUCT_ID = "-//council//udvalg og statusforpligtelser//DA"


@dataclass(frozen=True)
class MeetingEvent:
    """A meeting as a calendar shows it."""

    meeting_id: int
    committee_code: str
    committee_name: str
    on: date
    start: time | None
    place: str | None
    url: str | None = None
    sequence: int = 0  # how often it moved
    cancelled: bool = False


@dataclass(frozen=True)
class DeadlineEvent:
    """A period's status deadline as a calendar shows it."""

    line_id: int
    period_key: str
    case_number: str
    case_title: str
    committee_code: str
    committee_name: str
    period_start: date
    due: date
    lead_days: tuple[int, ...]
    fulfilled_on: date | None = None


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    return calendar


def meetings_calendar(
    events: Sequence[MeetingEvent], *, domain: str, stamp: datetime, name: str = "Udvalgsmøder"
) -> str:
    """The meetings as an iCalendar text (CRLF line ends)."""
    calendar = _calendar(name)
    for found in events:
        event = Event()
        event.add("uid", f"moede-{found.meeting_id}@{domain}")
        event.add("dtstamp", stamp)
        event.add("sequence", found.sequence)
        event.add("summary", f"{found.committee_name}: møde")
        if found.start is not None:
            event.add("dtstart", datetime.combine(found.on, found.start, tzinfo=LOCAL_ZONE))
        else:
            event.add("dtstart", found.on)
            event.add("dtend", found.on + timedelta(days=1))
        if found.place:
            event.add("location", found.place)
        description = f"Møde i {found.committee_name} ({found.committee_code})."
        if found.url:
            event.add("url", found.url)
            description += f" Dagsorden: {found.url}"
        event.add("description", description)
        event.add("status", "CANCELLED" if found.cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return _text(calendar)


def deadlines_calendar(
    events: Sequence[DeadlineEvent],
    *,
    domain: str,
    stamp: datetime,
    send_at: time,
    name: str = "Frister for status til udvalg",
) -> str:
    """The status deadlines as an iCalendar text, all-day events with their alarms."""
    calendar = _calendar(name)
    for found in events:
        event = Event()
        event.add("uid", f"frist-{found.line_id}-{found.period_key}@{domain}")
        event.add("dtstamp", stamp)
        event.add("sequence", 1 if found.fulfilled_on else 0)
        done = (
            f" (forelagt {found.fulfilled_on.strftime('%d.%m.%Y')})" if found.fulfilled_on else ""
        )
        event.add(
            "summary",
            f"Frist: status til {found.committee_code} i sag {found.case_number}{done}",
        )
        event.add("dtstart", found.due)
        event.add("dtend", found.due + timedelta(days=1))
        text = (
            f"Status for perioden {found.period_key} ({format_long_date(found.period_start)} – "
            f"{format_long_date(found.due)}) skal være forelagt {found.committee_name} senest "
            f"{format_long_date(found.due)}. Sag {found.case_number}: {found.case_title}."
        )
        if found.fulfilled_on:
            text += f" Forelagt {format_long_date(found.fulfilled_on)}."
        event.add("description", text)
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["Statusfrist"])
        if found.fulfilled_on is None:
            for lead in found.lead_days:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add(
                    "description",
                    f"Status til {found.committee_code} i sag {found.case_number}: "
                    + ("fristen er i dag" if lead == 0 else f"{lead} dage til fristen"),
                )
                alarm.add(
                    "trigger",
                    timedelta(days=-lead, hours=send_at.hour, minutes=send_at.minute),
                )
                event.add_component(alarm)
        calendar.add_component(event)
    return _text(calendar)


def _text(calendar: Calendar) -> str:
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data.decode("utf-8")
