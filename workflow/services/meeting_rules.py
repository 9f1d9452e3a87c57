"""What the calendar of meetings allows: a meeting's status in Danish words, the reason a
change gives, and that nothing is put before or decided at a cancelled meeting."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Protocol

from council.cases.dates import format_long_date
from council.workflow.errors import MeetingChangeRefused
from council.workflow.services.inputs import hidden_character

MAX_REASON = 1000


class MeetingFacts(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def date(self) -> date | None: ...
    @property
    def held_at(self) -> datetime | None: ...
    @property
    def cancelled_at(self) -> datetime | None: ...


def status_word(meeting: MeetingFacts) -> str:
    """planlagt, afholdt or aflyst."""
    if meeting.cancelled_at is not None:
        return "aflyst"
    return "afholdt" if meeting.held_at is not None else "planlagt"


def named(meeting: MeetingFacts) -> str:
    """'møde 7 (23. februar 2010)'."""
    on = format_long_date(meeting.date) if meeting.date else "dato ukendt"
    return f"møde {meeting.id} ({on})"


def clock(value: time | None) -> str:
    return f" kl. {value.hour:02d}.{value.minute:02d}" if value else ""


def refuse_cancelled(meeting: MeetingFacts, item_id: int, *, act: str) -> None:
    """Nothing is put before (``act`` "forelægges") or decided at a cancelled meeting."""
    if meeting.cancelled_at is not None:
        assert meeting.id is not None
        raise MeetingChangeRefused(
            f"møde {meeting.id} er aflyst, så punkt-id {item_id} kan ikke {act} dér; flyt "
            f"punktet til et planlagt møde med 'council item move {item_id} --meeting MØDE', "
            f"eller genåbn mødet med 'council meeting reopen {meeting.id} --reason ...'",
            meeting_id=meeting.id,
            item_id=item_id,
        )


def reason_given(
    reason: str | None, *, meeting_id: int, required: str | None, example: str = ""
) -> str | None:
    """The reason as recorded (trimmed); ``required`` names the act that needs one, and
    ``example`` is a reason it might give."""
    text = reason.strip() if reason else ""
    if not text:
        if required is None:
            return None
        raise MeetingChangeRefused(
            f"{required} kræver en begrundelse; giv den med --reason, fx --reason '{example}'",
            meeting_id=meeting_id,
        )
    hidden = hidden_character(text)
    if hidden is not None:
        raise MeetingChangeRefused(
            f"begrundelsen indeholder et usynligt tegn eller styretegn (U+{ord(hidden):04X}); "
            "skriv den med almindelige bogstaver på én linje",
            meeting_id=meeting_id,
        )
    if len(text) > MAX_REASON:
        raise MeetingChangeRefused(
            f"begrundelsen er {len(text)} tegn lang; skriv den på højst {MAX_REASON} tegn",
            meeting_id=meeting_id,
        )
    return text
