"""The secretariat's lists: meetings, items and cases, filtered, as every face shows them.

A closed item (lukket punkt) is shown as :mod:`council.workflow.visibility` says: before
the public as its number, committee and "Lukket punkt", without its case, state or
meeting. A list filtered by state (``--state``, ``--open``) leaves closed items out for the
public altogether, since appearing there would tell their state; an internal list shows
them in full, marked. A case counts its open items the same way: before the public only
those that are not closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from council.cases import case_records, committees, items, meetings
from council.cases.dates import format_date, require_plausible
from council.cases.db import Database
from council.cases.errors import InvalidInputError
from council.cases.models import Meeting
from council.workflow.machine import Rulebook
from council.workflow.visibility import Audience, ShownItem

DEFAULT_LIMIT = 200
MAX_LIMIT = 10_000

PLANNED, HELD, CANCELLED = "planlagt", "afholdt", "aflyst"
MEETING_STATUSES = (PLANNED, HELD, CANCELLED)


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError(f"--limit er 1 til {MAX_LIMIT}, ikke {limit}")
    return limit


@dataclass(frozen=True)
class Listing:
    """The lines of a list, and whether more matched than the limit let through."""

    lines: tuple[Any, ...]
    more: bool


def _cut(found: list[Any], limit: int) -> tuple[tuple[Any, ...], bool]:
    return tuple(found[:limit]), len(found) > limit


# ------------------------------------------------------------------------------ meetings


@dataclass(frozen=True)
class MeetingListLine:
    meeting_id: int
    committee_code: str
    committee_name: str
    date: date | None
    start_time: time | None
    place: str | None
    status: str  # planlagt, afholdt or aflyst
    items: int
    decided: int

    def as_record(self) -> dict[str, Any]:
        return {
            "meeting": self.meeting_id,
            "committee": self.committee_code,
            "date": self.date.isoformat() if self.date else None,
            "time": self.start_time.isoformat(timespec="minutes") if self.start_time else None,
            "place": self.place,
            "status": self.status,
            "items": self.items,
            "decided": self.decided,
        }


_STORE_STATUS = {PLANNED: "planned", HELD: "held", CANCELLED: "cancelled"}


def status_of(meeting: Meeting) -> str:
    """planlagt, afholdt or aflyst (a cancelled meeting is not held)."""
    if meeting.cancelled_at is not None:
        return CANCELLED
    return HELD if meeting.held_at is not None else PLANNED


def meeting_status(word: str) -> str:
    """A meeting status as typed: planlagt, afholdt or aflyst."""
    status = word.strip().casefold()
    if status not in MEETING_STATUSES:
        raise InvalidInputError(
            f"mødestatus '{word}' er ukendt; brug {', '.join(MEETING_STATUSES)}"
        )
    return status


def meeting_list(
    database: Database,
    *,
    committee_code: str | None = None,
    start: date | None = None,
    end: date | None = None,
    status: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Listing:
    """The meetings, by date; ``status`` planlagt, afholdt or aflyst."""
    check_limit(limit)
    for given, what in ((start, "--from"), (end, "--to")):
        if given is not None:
            require_plausible(given, what=f"{what}-datoen {format_date(given)}")
    if start is not None and end is not None and start > end:
        raise InvalidInputError(
            f"--from {format_date(start)} ligger efter --to {format_date(end)}; byt om på dem"
        )
    wanted = meeting_status(status) if status is not None else None
    with database.reading() as session:
        codes = None
        if committee_code is not None:
            codes = (committees.by_code(session, committee_code).code,)
        found = meetings.listing(
            session,
            committee_codes=codes,
            start=start,
            end=end,
            status=None if wanted is None else _STORE_STATUS[wanted],
            limit=limit + 1,
        )
    lines = [
        MeetingListLine(
            meeting_id=line.meeting.id or 0,
            committee_code=line.committee_code,
            committee_name=line.committee_name,
            date=line.meeting.date,
            start_time=line.meeting.start_time,
            place=line.meeting.place,
            status=status_of(line.meeting),
            items=line.items,
            decided=line.decided,
        )
        for line in found
    ]
    return Listing(*_cut(lines, limit))


# ------------------------------------------------------------------------------ items


@dataclass(frozen=True)
class ItemListLine:
    """An item in a list; ``case_number``, ``state`` and the meeting are None when the
    item is withheld from its audience."""

    item_id: int
    committee_code: str
    shown: ShownItem
    case_number: str | None
    kind: str | None
    state: str | None  # code name
    state_label: str | None
    meeting_id: int | None
    meeting_date: date | None
    agenda_number: int | None
    version: int

    def as_record(self) -> dict[str, Any]:
        return {
            "item": self.item_id,
            "committee": self.committee_code,
            "title": self.shown.title,
            "closed": self.shown.marked or self.shown.withheld,
            "case": self.case_number,
            "kind": self.kind,
            "state": self.state,
            "meeting": self.meeting_id,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "agenda_number": self.agenda_number,
            "version": self.version,
        }


def item_state(rulebook: Rulebook, word: str) -> str:
    """A state as typed: its code name, label or one of its words."""
    state = rulebook.state_named(word)
    if state is None:
        labels = ", ".join(rulebook.label(s).lower() for s in rulebook.definition.states)
        raise InvalidInputError(f"'{word}' er ikke en status i arbejdsgangen; brug en af: {labels}")
    return state


def item_list(
    database: Database,
    rulebook: Rulebook,
    *,
    audience: Audience,
    committee_code: str | None = None,
    state: str | None = None,
    open_only: bool = False,
    meeting_ref: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Listing:
    """The items, oldest first (on a meeting: in agenda order)."""
    check_limit(limit)
    states = _states_asked(rulebook, state, open_only=open_only)
    with database.reading() as session:
        codes = None
        if committee_code is not None:
            codes = (committees.by_code(session, committee_code).code,)
        meeting_id = meetings.by_ref(session, meeting_ref).id if meeting_ref is not None else None
        found = items.listing(
            session,
            states=states,
            committee_codes=codes,
            meeting_id=meeting_id,
            include_closed=audience.may_see_closed or states is None,
            limit=limit + 1,
        )
    lines = [
        _item_line(line, audience, rulebook, on_meeting=meeting_id is not None) for line in found
    ]
    return Listing(*_cut(lines, limit))


def _states_asked(
    rulebook: Rulebook, state: str | None, *, open_only: bool
) -> frozenset[str] | None:
    """The states a listing keeps (None: all)."""
    definition = rulebook.definition
    states = None if state is None else frozenset({item_state(rulebook, state)})
    if open_only:
        still_open = frozenset(definition.states) - definition.final_states
        states = still_open if states is None else states & still_open
    return states


def _item_line(
    line: items.ItemLine, audience: Audience, rulebook: Rulebook, *, on_meeting: bool
) -> ItemListLine:
    shown = audience.item(line)
    # on a meeting's agenda a closed item keeps its place, as the agenda shows it
    placed = (line.meeting_id, line.meeting_date, line.agenda_number)
    meeting, on, number = placed if on_meeting else shown.reveal(placed) or (None, None, None)
    return ItemListLine(
        item_id=line.id,
        committee_code=line.committee_code,
        shown=shown,
        case_number=shown.reveal(line.case_number),
        kind=shown.reveal(line.kind),
        state=shown.reveal(line.state),
        state_label=shown.reveal(rulebook.label(line.state)),
        meeting_id=meeting,
        meeting_date=on,
        agenda_number=number,
        version=line.version,
    )


# ------------------------------------------------------------------------------ cases


@dataclass(frozen=True)
class CaseListLine:
    number: str
    title: str
    owner: str
    items: int
    open_items: int

    @property
    def open(self) -> bool:
        """Work remains: an open item, or no item yet."""
        return self.open_items > 0 or self.items == 0

    def as_record(self) -> dict[str, Any]:
        return {
            "case": self.number,
            "title": self.title,
            "owner": self.owner,
            "items": self.items,
            "open_items": self.open_items,
            "open": self.open,
        }


def case_list(
    database: Database,
    rulebook: Rulebook,
    *,
    audience: Audience,
    owner: str | None = None,
    open_only: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> Listing:
    """The cases by number, each with its items counted (a closed item's state counted
    only for an audience that may see it)."""
    check_limit(limit)
    with database.reading() as session:
        found = case_records.listing(
            session,
            final_states=rulebook.definition.final_states,
            owner=owner,
            open_only=open_only,
            include_closed=audience.may_see_closed,
            limit=limit + 1,
        )
    lines = [
        CaseListLine(
            case.number,
            case.title,
            case.owner,
            case.items,
            case.open_items - (0 if audience.may_see_closed else case.open_closed_items),
        )
        for case in found
    ]
    return Listing(*_cut(lines, limit))
