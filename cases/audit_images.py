"""Which tables the audit trail vouches for, and how an entry's body becomes their rows.

One registry, :data:`AUDITED`: for every audited table, the columns an entry's body gives
(grouped into *parts*, the columns one action writes together), the columns it does not
give, each with the reason, and the actions whose bodies write it. The body of an entry is
the after-image of what it changed: its envelope (seq, time, actor, case, item) and its
``data`` together hold every column of every part it writes. The readers
(:mod:`council.cases.audit_readers`, :mod:`council.cases.audit_readers_obligations`) turn
each action's body into those parts; ``audit verify`` rebuilds every part of every row from
the chain (:class:`council.cases.audit_expected.Expected`) and compares it with the table
(:mod:`council.cases.audit_row_forms`), so what a body means is written down once.

A table another change adds is one :class:`Audited` entry here and a reader per action
that writes it; ``tests/unit/test_audit_coverage.py`` fails while a column of any table is
neither in a part nor listed as derived with its reason.

Bodies written before they carried a committee's id name the committee by its code; those
codes are resolved through the committee table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table
from sqlmodel import SQLModel

from council.cases.accounts import UserAccount
from council.cases.audit import canonical_json
from council.cases.decision_parts import PART_COLUMNS
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    Case,
    Committee,
    Correction,
    Decision,
    Meeting,
)
from council.cases.obligations.tables import (
    GoalTarget,
    GoalValue,
    ObligationLink,
    OutboxMessage,
    ResultGoal,
    StatusObligation,
)

if TYPE_CHECKING:
    from council.cases.audit_expected import Expected

SURROGATE = "a surrogate key nobody reads; the row is known by its key"


@dataclass(frozen=True)
class Audited:
    """An audited table: how its rows are keyed, the parts of their image, what is derived."""

    model: type[SQLModel]
    label: str  # how messages name a row, in Danish: "dagsordenspunkt"
    plural: str  # and the table: "tabellen over dagsordenspunkter"
    key: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...]
    derived: Mapping[str, str]  # column -> why the trail does not hold it
    actions: tuple[str, ...]  # the actions whose bodies write it
    read: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    """Columns whose stored value is brought to the body's form otherwise than by type."""

    @property
    def table(self) -> Table:
        table: Table = self.model.__table__  # type: ignore[attr-defined]
        return table

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def covered(self) -> tuple[str, ...]:
        return tuple(name for part in self.parts for name in part)


def sequence(value: Any) -> tuple[Any, ...] | None:
    """A JSON list as an image holds it: a tuple, and None for an empty or absent one."""
    return tuple(value) if value else None


def document(value: Any) -> str | None:
    """A JSON document (a list or mapping) as an image holds it: its canonical JSON, None for
    an empty or absent one, so two images compare by what they say."""
    return canonical_json(value) if value else None


def outbox_status(value: str) -> str:
    """Sent and superseded are audited acts; pending and failed are the delivery queue's
    states of a row not sent yet."""
    return value if value in ("sent", "superseded") else "unsent"


_DOCUMENTS = {
    name: document for name in ("earlier_names", "absent", "before", "after", *PART_COLUMNS)
}


AUDITED: tuple[Audited, ...] = (
    Audited(
        Committee,
        "udvalg",
        "udvalg",
        key=("id",),
        parts=(
            (
                "code",
                "name",
                "administration",
                "secretariat_email",
                "members",
                "recommends_to",
                "earlier_names",
            ),
        ),
        derived={},
        actions=("committee.loaded",),
        read=_DOCUMENTS,
    ),
    Audited(
        Case,
        "sag",
        "sager",
        key=("id",),
        parts=(("number", "title", "owner", "created_at"),),
        derived={},
        actions=("case.created",),
    ),
    Audited(
        Meeting,
        "møde",
        "møder",
        key=("id",),
        parts=(
            ("committee_id", "place", "created_at"),
            ("date", "start_time"),
            ("held_at",),
            ("absent",),
            ("cancelled_at",),
            ("sequence",),
            ("minutes_approved_on",),
        ),
        derived={},
        actions=(
            "meeting.created",
            "meeting.closed",
            "meeting.attendance",
            "meeting.rescheduled",
            "meeting.cancelled",
            "meeting.reopened",
            "meeting.approved",
        ),
        read=_DOCUMENTS,
    ),
    Audited(
        AgendaItem,
        "dagsordenspunkt",
        "dagsordenspunkter",
        key=("id",),
        parts=(
            (
                "case_id",
                "committee_id",
                "created_at",
                "competent_committee_id",
                "referred_from",
            ),
            ("title", "kind", "closed"),
            (
                "summary",
                "administration",
                "recommendation",
                "problem",
                "solution",
                "economy",
                "next_steps",
                "signatures",
            ),
            ("state",),
            ("version",),
        ),
        derived={},
        actions=(
            "item.drafted",
            "item.corrected",
            "item.attached",
            "item.transition",
            "item.moved",
        ),
    ),
    Audited(
        Attachment,
        "bilag",
        "bilag",
        key=("item_id", "position"),
        parts=(("title",), ("file_name", "size", "media_type", "sha256"), ("removed_at",)),
        derived={
            "id": SURROGATE,
            "text": "extracted from the file for search; the file itself is vouched for by "
            "its SHA-256, which audit verify checks against the attachment store",
        },
        actions=("item.drafted", "item.corrected", "item.attached"),
    ),
    Audited(
        AgendaEntry,
        "forelæggelse",
        "forelæggelser",
        key=("id",),
        parts=(
            ("item_id", "from_state", "actor", "presented_at", "audit_seq"),
            ("meeting_id", "number"),
        ),
        derived={},
        actions=("item.transition", "item.moved"),
    ),
    Audited(
        Decision,
        "beslutning",
        "beslutninger",
        key=("id",),
        parts=(
            (
                "item_id",
                "meeting_id",
                "trigger",
                "from_state",
                "actor",
                "recorded_at",
                "audit_seq",
            ),
            ("to_state",),
            ("outcome", "text", "decided_on", "referred_to", *PART_COLUMNS),
        ),
        derived={},
        actions=("item.transition", "decision.corrected"),
        read=_DOCUMENTS,
    ),
    Audited(
        Correction,
        "rettelse",
        "rettelser",
        key=("id",),
        parts=(
            (
                "item_id",
                "decision_id",
                "subject",
                "reason",
                "after_approval",
                "before",
                "after",
                "actor",
                "corrected_at",
                "audit_seq",
            ),
        ),
        derived={},
        actions=("decision.corrected", "item.corrected"),
        read=_DOCUMENTS,
    ),
    Audited(
        StatusObligation,
        "statusforpligtelse",
        "statusforpligtelser",
        key=("id",),
        parts=(
            (
                "case_id",
                "committee_id",
                "about",
                "starts_on",
                "ends_on",
                "cadence",
                "due_rule",
                "lead_days",
                "escalate_every_days",
                "recipients",
                "created_at",
            ),
        ),
        derived={
            "next_check_at": "the sweep's bookmark, an index of when to look again that every "
            "sweep moves; what was due is decided from the audited terms",
        },
        actions=("obligation.added",),
    ),
    Audited(
        ObligationLink,
        "kobling til statusforpligtelse",
        "koblinger til statusforpligtelser",
        key=("obligation_id", "item_id"),
        parts=(("actor", "linked_at"),),
        derived={"id": SURROGATE},
        actions=("obligation.linked",),
    ),
    Audited(
        ResultGoal,
        "resultatmål",
        "resultatmål",
        key=("id",),
        parts=(("obligation_id", "name", "unit", "direction", "position", "actor", "created_at"),),
        derived={},
        actions=("goal.added",),
    ),
    Audited(
        GoalTarget,
        "måltal for resultatmål",
        "måltal for resultatmål",
        key=("id",),
        parts=(("goal_id", "period_key", "target", "agreed_on", "reason", "actor", "recorded_at"),),
        derived={},
        actions=("goal.added", "goal.revised"),
    ),
    Audited(
        GoalValue,
        "indberettet værdi",
        "indberettede værdier",
        key=("id",),
        parts=(
            (
                "goal_id",
                "item_id",
                "period_key",
                "value",
                "approximate",
                "note",
                "actor",
                "recorded_at",
            ),
        ),
        derived={},
        actions=("goal.value_reported",),
    ),
    Audited(
        OutboxMessage,
        "påmindelse",
        "påmindelser",
        key=("id",),
        parts=(
            (
                "obligation_id",
                "committee_id",
                "period_key",
                "step_key",
                "step_kind",
                "step_at",
                "message_id",
                "recipients",
                "created_at",
            ),
            ("facts",),
            ("subject", "body_text", "body_html"),
            ("status", "sent_at", "delivered_to", "superseded_by"),
        ),
        derived={
            "attempts": "the delivery queue's count of tries; a sent reminder is audited",
            "last_error": "the delivery queue's last failure or refusal note, for the operator",
            "next_attempt_at": "the delivery queue's retry time",
            "claim_token": "the delivery queue's lease on the row",
            "claimed_until": "the delivery queue's lease on the row",
        },
        actions=(
            "reminders.written",
            "reminders.adopted",
            "digest.gathered",
            "reminder.rendered",
            "reminder.sent",
            "reminders.superseded",
        ),
        read={"status": outbox_status},
    ),
    Audited(
        UserAccount,
        "bruger",
        "brugere",
        key=("id",),
        parts=(("name", "role", "committees", "created_at"), ("disabled", "session_epoch")),
        derived={
            "password_hash": "a secret: the trail must not carry it; a change of password is "
            "audited through the session epoch it moves",
            "calendar_token_hash": "a secret's hash, the address of the user's calendar feed: "
            "the trail records only that it changed (user.calendar_address), never the secret",
            "failed_logins": "the login throttle's counter",
            "throttled_until": "the login throttle's pause",
        },
        actions=("user.added", "user.password_changed", "user.disabled"),
    ),
)

BY_NAME: dict[str, Audited] = {audited.name: audited for audited in AUDITED}

NOT_AUDITED: dict[str, str] = {
    "search_entry": "the search index, derived from the audited items, meetings and "
    "decisions and refreshed with every write; rebuilt by council search reindex",
    "audit_entry": "the trail itself: each entry is checked against its hash and its neighbours",
    "audit_head": "the trail's last link: checked against the end of the walk",
}

PROVENANCE_PREFIX = "import."
"""Actions that record where data came from (a file and its digest) and write no row."""


class Broken(Exception):
    """The chain does not rebuild: an entry changes a row that was never written."""


NO_FILE = (None, None, None, None)
"""A bilag's file part while it is known by name only."""

Reader = Callable[["Expected", int, str, str, Any, Any, Any], None]
"""How one action's body becomes rows: (the rows so far, seq, time, actor, case, item, data)."""
