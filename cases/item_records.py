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

import json
from collections.abc import Mapping
from datetime import date, datetime
from operator import itemgetter
from typing import Any, NamedTuple, Protocol

from council.cases.audit import canonical_json
from council.cases.decision_parts import PART_COLUMNS, DecisionParts


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
    outcome (None: a wording no phrase recognised), the bodies a referral sends the case
    on to, as written (None: no referral), and the decision's parts as JSON
    (:mod:`council.cases.decision_parts`: the vote, amendments, protocol remarks, results
    point by point, who did not take part; None for a part it lacks). ``audit_seq`` and
    ``id`` are 0 until the transition is recorded."""

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
    votes: dict[str, Any] | None = None
    amendments: list[dict[str, Any]] | None = None
    remarks: list[dict[str, Any]] | None = None
    point_results: list[dict[str, Any]] | None = None
    attendance: list[dict[str, Any]] | None = None
    audit_seq: int = 0
    id: int = 0

    @property
    def parts(self) -> DecisionParts:
        return DecisionParts.from_columns(
            self.votes, self.amendments, self.remarks, self.point_results, self.attendance
        )

    def image(self) -> DecisionImage:
        return DecisionImage(
            self.id,
            self.outcome,
            self.text,
            self.decided_on.isoformat() if self.decided_on else None,
            tuple(self.referred_to) if self.referred_to else None,
            *(_part_print(getattr(self, name)) for name in PART_COLUMNS),
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

    A decision without a referral has no ``referred_to`` in its body at all, and one
    without a part (a vote, amendments, ...) no key for it. In the image a part is its
    canonical JSON text, so that two images compare (and hash) by what they say.
    """

    id: int
    outcome: str | None
    text: str
    decided_on: str | None  # ISO date
    referred_to: tuple[str, ...] | None
    votes: str | None = None
    amendments: str | None = None
    remarks: str | None = None
    point_results: str | None = None
    attendance: str | None = None

    def body(self) -> dict[str, Any]:
        image = self._asdict()
        if self.referred_to is None:
            del image["referred_to"]
        else:
            image["referred_to"] = list(self.referred_to)
        for name in PART_COLUMNS:
            printed = image.pop(name)
            if printed is not None:
                image[name] = json.loads(printed)
        return image

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> DecisionImage:
        decision_id, outcome, text, decided_on = _DECISION_KEYS(body)
        referred_to = body.get("referred_to")
        return cls(
            decision_id,
            outcome,
            text,
            decided_on,
            tuple(referred_to) if referred_to else None,
            *(_part_print(body.get(name)) for name in PART_COLUMNS),
        )


def _part_print(value: Any) -> str | None:
    """A part as an image holds it: its canonical JSON, None when there is none."""
    return canonical_json(value) if value else None


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
