"""What a transition records — an agenda entry or a decision — as rows and as the audit
trail holds them.

Each record is one named row type whose fields are its table's columns, so it is written,
read back and shown without mapping it field by field again. What of it an audit entry
holds is its *image* (:class:`EntryImage`, :class:`DecisionImage`): the entry's body is
built from a record's image (:func:`transition_body`), and ``audit verify`` compares the
image it reads from a body with the image of the row in the table, so both sides are made
by the same function.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from operator import itemgetter
from typing import Any, NamedTuple, Protocol


class AgendaEntryRecord(NamedTuple):
    """An item put before a meeting as number ``number`` of its agenda (``agenda_entry``).

    ``audit_seq`` and ``id`` are 0 until the transition is recorded.
    """

    meeting_id: int
    item_id: int
    number: int | None  # None: imported from a source that does not print it
    from_state: str
    actor: str
    presented_at: datetime
    audit_seq: int = 0
    id: int = 0

    @property
    def recorded_at(self) -> datetime:
        return self.presented_at

    def image(self) -> EntryImage:
        return EntryImage(self.id, self.meeting_id, self.number)


class DecisionRecord(NamedTuple):
    """What a committee decided on an item (``decision``): the verbatim text beside its
    outcome (None: a wording no phrase recognised), and the bodies a referral sends the
    case on to, as written (None: no referral). ``audit_seq`` and ``id`` are 0 until the
    transition is recorded."""

    item_id: int
    meeting_id: int | None
    decided_on: date | None
    trigger: str
    from_state: str
    to_state: str
    outcome: str | None
    text: str
    actor: str
    recorded_at: datetime
    referred_to: list[str] | None = None
    audit_seq: int = 0
    id: int = 0

    def image(self) -> DecisionImage:
        return DecisionImage(
            self.id,
            self.outcome,
            self.text,
            self.decided_on.isoformat() if self.decided_on else None,
            tuple(self.referred_to) if self.referred_to else None,
        )


class EntryImage(NamedTuple):
    """An agenda entry as its audit entry holds it."""

    id: int
    meeting_id: int
    number: int | None  # None: imported from a source that does not print it

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> EntryImage:
        return cls._make(_ENTRY_KEYS(body))


class DecisionImage(NamedTuple):
    """A decision as its audit entries hold it (the transition that made it, a correction).

    A decision without a referral has no ``referred_to`` in its body at all.
    """

    id: int
    outcome: str | None
    text: str
    decided_on: str | None  # ISO date
    referred_to: tuple[str, ...] | None

    def body(self) -> dict[str, Any]:
        image = self._asdict()
        if self.referred_to is None:
            del image["referred_to"]
        else:
            image["referred_to"] = list(self.referred_to)
        return image

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> DecisionImage:
        decision_id, outcome, text, decided_on = _DECISION_KEYS(body)
        referred_to = body.get("referred_to")
        return cls(
            decision_id, outcome, text, decided_on, tuple(referred_to) if referred_to else None
        )


_ENTRY_KEYS = itemgetter(*EntryImage._fields)
_DECISION_KEYS = itemgetter("id", "outcome", "text", "decided_on")

Record = AgendaEntryRecord | DecisionRecord


class ItemBefore(Protocol):
    """The item as the transition found it."""

    @property
    def state(self) -> str: ...
    @property
    def version(self) -> int: ...


def transition_body(
    item: ItemBefore, record: Record, *, trigger: str, to_state: str
) -> dict[str, Any]:
    """The ``data`` of an ``item.transition`` entry: the move, the item's new version, and
    the image of the agenda entry or decision it recorded."""
    body: dict[str, Any] = {
        "trigger": trigger,
        "from": item.state,
        "to": to_state,
        "version": item.version + 1,
        "meeting_id": record.meeting_id,
    }
    if isinstance(record, AgendaEntryRecord):
        body["agenda_entry"] = record.image()._asdict()
    else:
        body["decision"] = record.image().body()
    return body
