"""Which tables the audit trail vouches for, and how an entry's body becomes their rows.

One registry, :data:`AUDITED`: for every audited table, the columns an entry's body gives
(grouped into *parts*, the columns one action writes together), the columns it does not
give, each with the reason, and the actions whose bodies write it. The body of an entry is
the after-image of what it changed: its envelope (seq, time, actor, case, item) and its
``data`` together hold every column of every part it writes; :data:`READERS` turns each
action's body into those parts. ``audit verify`` rebuilds every part of every row from the
chain (:class:`Expected`) and compares it with the table (:func:`row_reader`), so what a
body means is written down once, here.

A table another change adds is one :class:`Audited` entry and a reader per action that
writes it; ``tests/unit/test_audit_coverage.py`` fails while a column of any table is
neither in a part nor listed as derived with its reason.

Bodies written before they carried a committee's id name the committee by its code; those
codes are resolved through the committee table (:attr:`Expected.committee_id`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import date, time
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Date, Float, Table, Time
from sqlmodel import SQLModel

from council.cases.accounts import UserAccount
from council.cases.audit import canonical_json, utc_iso
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
from council.cases.types import UTCDateTime

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


def _outbox_status(value: str) -> str:
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
        read={"status": _outbox_status},
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


# --- the rows the bodies say the tables hold -------------------------------------------

Fingerprint = Callable[[tuple[Any, ...]], Any]


class Expected:
    """Every audited row as the chain has built it so far: per table, per key, one
    fingerprint per part (``fingerprint`` of the part's values; ``hash`` unless a column
    is being looked for)."""

    def __init__(
        self,
        committee_id: Callable[[str], int],
        fingerprint: Fingerprint = hash,
        rows: Callable[[str], MutableMapping[Any, Any]] | None = None,
    ) -> None:
        self.committee_id = committee_id
        self.fp = fingerprint
        self.rows: dict[str, MutableMapping[Any, Any]] = {
            audited.name: (rows(audited.name) if rows else {}) for audited in AUDITED
        }
        self.epochs: dict[int, tuple[bool, int]] = {}  # user id -> (disabled, session epoch)
        self.items = self.rows["agenda_item"]
        self.entries = self.rows["agenda_entry"]
        self.decisions = self.rows["decision"]

    def absorb(
        self, seq: int, at: str, actor: str, action: str, case_id: Any, item_id: Any, data: Any
    ) -> None:
        if action == "item.transition":  # most entries: inline, without a lookup
            _transition(self, seq, at, actor, case_id, item_id, data)
            return
        reader = READERS.get(action)
        if reader is not None:
            reader(self, seq, at, actor, case_id, item_id, data)

    def existing(self, table: str, key: Any, seq: int, what: str) -> Any:
        row = self.rows[table].get(key)
        if row is None:
            label = BY_NAME[table].label
            raise Broken(f"post {seq}: {what} af {label} {key}, som aldrig er registreret")
        return row


def _transition(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    fp, items = x.fp, x.items
    item = items.get(item_id)
    if item is None:
        raise Broken(f"post {seq}: et skift for dagsordenspunkt {item_id}, som aldrig er oprettet")
    to_state = data["to"]
    items[item_id] = (*item[:3], fp((to_state,)), fp((data["version"],)))
    entry = data.get("agenda_entry")
    if entry is not None:
        x.entries[entry["id"]] = (
            fp((item_id, data["from"], actor, at, seq)),
            fp((entry["meeting_id"], entry["number"])),
        )
        return
    decision = data["decision"]
    x.decisions[decision["id"]] = (
        fp((item_id, data["meeting_id"], data["trigger"], data["from"], actor, at, seq)),
        fp((to_state,)),
        fp(_wording(decision)),
    )


def _wording(decision: Mapping[str, Any]) -> tuple[Any, ...]:
    """A decision's wording and parts; a body has no key for a part the decision lacks."""
    return (
        decision["outcome"],
        decision["text"],
        decision["decided_on"],
        sequence(decision.get("referred_to")),
        *(document(decision.get(name)) for name in PART_COLUMNS),
    )


def _committee(x: Expected, data: Mapping[str, Any]) -> int:
    found = data.get("committee_id")
    return int(found) if found is not None else x.committee_id(data["committee"])


def _committee_loaded(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """A body written before committees had seats, a route or earlier names holds none."""
    values = (
        data["code"],
        data["name"],
        data["administration"],
        data["secretariat_email"],
        data.get("members"),
        data.get("recommends_to"),
        document(data.get("earlier_names")),
    )
    x.rows["committee"][_committee(x, {**data, "committee": data["code"]})] = (x.fp(values),)


def _case_created(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    x.rows["case_record"][case_id] = (x.fp((data["number"], data["title"], data["owner"], at)),)


_MEETING_PARTS = {
    name: index for index, part in enumerate(BY_NAME["meeting"].parts) for name in part
}


def _meeting_changed(
    x: Expected, seq: int, data: Mapping[str, Any], what: str, **values: Any
) -> None:
    """The meeting's parts that hold ``values`` (by the first column of each part) set."""
    meeting_id = data["meeting_id"]
    parts = list(x.existing("meeting", meeting_id, seq, what))
    for name, value in values.items():
        parts[_MEETING_PARTS[name]] = x.fp(value)
    x.rows["meeting"][meeting_id] = tuple(parts)


def _meeting_created(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    fp = x.fp
    x.rows["meeting"][data["meeting_id"]] = (
        fp((_committee(x, data), data["place"], at)),
        fp((data["date"], data["start_time"])),
        fp((None,)),
        fp((None,)),
        fp((None,)),
        fp((None,)),
        fp((None,)),
    )


def _meeting_closed(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _meeting_changed(x, seq, data, "afholdelsen", held_at=(at,))


def _meeting_attendance(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _meeting_changed(x, seq, data, "fremmødet", absent=(document(data["absent"]),))


def _meeting_rescheduled(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _meeting_changed(
        x,
        seq,
        data,
        "den nye dato",
        date=(data["date"], data["start_time"]),
        sequence=(data["sequence"],),
    )


def _meeting_cancelled(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _meeting_changed(x, seq, data, "aflysningen", cancelled_at=(at,), sequence=(data["sequence"],))


def _meeting_reopened(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """Back to planned: neither held nor cancelled (what was, stays in the earlier entries)."""
    _meeting_changed(
        x,
        seq,
        data,
        "genåbningen",
        held_at=(None,),
        cancelled_at=(None,),
        sequence=(data["sequence"],),
    )


def _item_moved(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """An item moved to another meeting: its new version, and every agenda entry the move
    placed or numbered anew (the item's own, and those after it on the meeting it left)."""
    item = x.existing("agenda_item", item_id, seq, "en flytning")
    x.items[item_id] = (*item[:-1], x.fp((data["version"],)))
    for entry in data["entries"]:
        placed = x.existing("agenda_entry", entry["id"], seq, "en flytning")
        x.entries[entry["id"]] = (placed[0], x.fp((entry["meeting_id"], entry["number"])))


def _meeting_approved(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """The minutes approved by the committee, on the day the body gives."""
    _meeting_changed(
        x, seq, data, "godkendelsen af protokollen", minutes_approved_on=(data["approved_on"],)
    )


_TEXT_FIELDS = itemgetter(*BY_NAME["agenda_item"].parts[2])
_LISTS = tuple(
    index
    for index, name in enumerate(BY_NAME["agenda_item"].parts[2])
    if name in ("recommendation", "signatures")
)


def _texts(x: Expected, item_id: int, sections: Mapping[str, Any], *, again: bool) -> Any:
    """The item's texts' fingerprint; its attachments are put in their own table (``again``:
    in place of those it had; a bilag keeps the file attached at its position)."""
    attachments, titles = x.rows["attachment"], sections["attachments"]
    if again:
        position = len(titles) + 1
        while attachments.pop((item_id, position), None) is not None:
            position += 1
    no_file, on_item = x.fp(NO_FILE), x.fp((None,))
    for position, title in enumerate(titles, start=1):
        before = attachments.get((item_id, position)) if again else None
        kept = before[1:] if before else (no_file, on_item)
        attachments[(item_id, position)] = (x.fp((title,)), *kept)
    texts = list(_TEXT_FIELDS(sections))
    for index in _LISTS:
        texts[index] = sequence(texts[index])
    return x.fp(tuple(texts))


def _item_drafted(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    fp = x.fp
    head = (
        case_id,
        _committee(x, data),
        at,
        data.get("competent_committee_id"),
        data.get("referred_from"),
    )
    x.items[item_id] = (
        fp(head),
        fp((data["title"], data["kind"], data["closed"])),
        _texts(x, item_id, data, again=False),
        fp((data["state"],)),
        fp((1,)),
    )


def _item_corrected(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """The item's texts and version; an edit's body also holds its title, kind and closed
    flag (``heading``), the positions of the bilag it took off the item
    (``removed_attachments``: each keeps its row, taken off at the entry's time), and a
    correction after the final decision its ``correction`` row."""
    item = x.existing("agenda_item", item_id, seq, "en rettelse")
    texts = _texts(x, item_id, data["sections"], again=True)
    for position in data.get("removed_attachments", ()):
        bilag = x.existing("attachment", (item_id, position), seq, "fjernelsen")
        x.rows["attachment"][(item_id, position)] = (*bilag[:2], x.fp((at,)))
    heading = data.get("heading")
    labels = item[1] if heading is None else x.fp(_heading(heading))
    x.items[item_id] = (item[0], labels, texts, item[3], x.fp((data["version"],)))
    _correction(x, seq, at, actor, item_id, data)


def _heading(heading: Mapping[str, Any]) -> tuple[Any, ...]:
    return (heading["title"], heading["kind"], heading["closed"])


def _correction(x: Expected, seq: int, at: str, actor: str, item_id: Any, data: Any) -> None:
    """The correction row an entry's body holds, if it holds one."""
    row = data.get("correction")
    if row is None:
        return
    values = (
        item_id,
        row["decision_id"],
        row["subject"],
        row["reason"],
        row["after_approval"],
        document(row["before"]),
        document(row["after"]),
        actor,
        at,
        seq,
    )
    x.rows["correction"][row["id"]] = (x.fp(values),)


def _item_attached(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """A file attached: the item's texts and version as ``item.corrected``, and the bilag's
    file facts at its position."""
    _item_corrected(x, seq, at, actor, case_id, item_id, data)
    attached = data["attachment"]
    key = (item_id, attached["position"])
    bilag = x.existing("attachment", key, seq, "filen")
    facts = (attached["file_name"], attached["size"], attached["media_type"], attached["sha256"])
    x.rows["attachment"][key] = (bilag[0], x.fp(facts), bilag[2])


def _decision_corrected(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """The decision's wording and the state it led to; a correction of its outcome also
    moves the item (``item``: its state and version) and keeps its ``correction`` row."""
    corrected = data["decision"]
    decision = x.existing("decision", corrected["id"], seq, "en rettelse")
    to_state = x.fp((corrected["to_state"],)) if "to_state" in corrected else decision[1]
    x.decisions[corrected["id"]] = (decision[0], to_state, x.fp(_wording(corrected)))
    moved = data.get("item")
    if moved is not None:
        item = x.existing("agenda_item", item_id, seq, "en rettelse")
        x.items[item_id] = (*item[:3], x.fp((moved["state"],)), x.fp((moved["version"],)))
    _correction(x, seq, at, actor, item_id, data)


def _obligation_added(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    terms = (
        case_id,
        _committee(x, data),
        data["about"],
        data["starts_on"],
        data["ends_on"],
        data["cadence"],
        data["due"],
        sequence(data["lead_days"]),
        data["escalate_every_days"],
        sequence(data["recipients"]),
        at,
    )
    x.rows["status_obligation"][data["obligation_id"]] = (x.fp(terms),)


def _obligation_linked(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    x.rows["obligation_link"][(data["obligation_id"], data["item_id"])] = (x.fp((actor, at)),)


def _goal_added(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    goal = data["goal"]
    values = (
        goal["obligation_id"],
        goal["name"],
        goal["unit"],
        goal["direction"],
        goal["position"],
        actor,
        at,
    )
    x.rows["result_goal"][goal["id"]] = (x.fp(values),)
    for target in data["targets"]:
        _target(x, at, actor, target)


def _goal_revised(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _target(x, at, actor, data["target"])


def _target(x: Expected, at: str, actor: str, target: Mapping[str, Any]) -> None:
    values = (
        target["goal_id"],
        target["period_key"],
        float(target["target"]),
        target["agreed_on"],
        target["reason"],
        actor,
        at,
    )
    x.rows["result_goal_target"][target["id"]] = (x.fp(values),)


def _value_reported(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    value = data["value"]
    values = (
        value["goal_id"],
        value["item_id"],
        value["period_key"],
        float(value["value"]),
        bool(value["approximate"]),
        value["note"],
        actor,
        at,
    )
    x.rows["result_goal_value"][value["id"]] = (x.fp(values),)


UNSENT = ("unsent", None, None, None)
NO_FILE = (None, None, None, None)


def _reminders_written(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """Each row as written: a step passed by a later one of its period before it was ever
    sent is written superseded, pointing at that one (a body written before bodies said so
    holds rows written pending)."""
    fp, outbox = x.fp, x.rows["outbox_message"]
    unsent = fp(UNSENT)
    for message in data["messages"]:
        step = _outbox_step(message, created_at=at)
        texts = (message.get("subject"), message.get("body_text"), message.get("body_html"))
        written = message.get("status")
        state = fp(_superseded(message["superseded_by"])) if written == "superseded" else unsent
        outbox[message["id"]] = (fp(step), fp((message["facts"],)), fp(texts), state)


def _superseded(by: Any) -> tuple[Any, ...]:
    return ("superseded", None, None, by)


def _outbox_step(message: Any, *, created_at: Any) -> tuple[Any, ...]:
    """The columns of an outbox row that say which step it reminds of, and to whom."""
    return (
        message["obligation_id"],
        message["committee_id"],
        message["period_key"],
        message["step_key"],
        message["step_kind"],
        message["step_at"],
        message["message_id"],
        sequence(message["recipients"]),
        created_at,
    )


def _reminders_adopted(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """Rows the outbox held before reminders were audited, each as it was when the upgrade
    recorded it (migration 0010)."""
    fp, outbox = x.fp, x.rows["outbox_message"]
    for message in data["messages"]:
        step = _outbox_step(message, created_at=message["created_at"])
        texts = (message["subject"], message["body_text"], message["body_html"])
        sent = (
            _outbox_status(message["status"]),
            message["sent_at"],
            message["delivered_to"],
            message.get("superseded_by"),
        )
        outbox[message["id"]] = (fp(step), fp((message["facts"],)), fp(texts), fp(sent))


def _digest_gathered(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """A reminder put into a digest: the digest's new list of the reminders it gathers."""
    digest = x.existing("outbox_message", data["id"], seq, "samlingen i et sammendrag")
    x.rows["outbox_message"][data["id"]] = (digest[0], x.fp((data["facts"],)), *digest[2:])


def _reminder_rendered(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    message = x.existing("outbox_message", data["id"], seq, "teksten")
    texts = (data["subject"], data["body_text"], data["body_html"])
    x.rows["outbox_message"][data["id"]] = (message[0], message[1], x.fp(texts), message[3])


def _reminder_sent(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    message = x.existing("outbox_message", data["id"], seq, "afsendelsen")
    sent = ("sent", at, data["delivered_to"], None)
    x.rows["outbox_message"][data["id"]] = (*message[:3], x.fp(sent))


def _reminders_superseded(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """Rows claimed for sending that a later step of their period had passed: never sent,
    each pointing at the row that tells the same, up to date."""
    for passed in data["superseded"]:
        message = x.existing("outbox_message", passed["id"], seq, "erstatningen")
        state = x.fp(_superseded(passed["by"]))
        x.rows["outbox_message"][passed["id"]] = (*message[:3], state)


def _user_added(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    who = (data["name"], data["role"], sequence(data["committees"]), at)
    x.rows["user_account"][data["user_id"]] = (x.fp(who), x.fp((False, 1)))
    x.epochs[data["user_id"]] = (False, 1)


def _user_changed(disables: bool) -> Reader:
    def read(
        x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
    ) -> None:
        user = x.existing("user_account", data["user_id"], seq, "en ændring")
        disabled, epoch = x.epochs[data["user_id"]]
        after = (data.get("disabled", disabled or disables), data.get("session_epoch", epoch + 1))
        x.epochs[data["user_id"]] = after
        x.rows["user_account"][data["user_id"]] = (user[0], x.fp(after))

    return read


Reader = Callable[[Expected, int, str, str, Any, Any, Any], None]

READERS: dict[str, Reader] = {
    "committee.loaded": _committee_loaded,
    "case.created": _case_created,
    "meeting.created": _meeting_created,
    "meeting.closed": _meeting_closed,
    "meeting.attendance": _meeting_attendance,
    "meeting.approved": _meeting_approved,
    "meeting.rescheduled": _meeting_rescheduled,
    "meeting.cancelled": _meeting_cancelled,
    "meeting.reopened": _meeting_reopened,
    "item.moved": _item_moved,
    "item.drafted": _item_drafted,
    "item.corrected": _item_corrected,
    "item.attached": _item_attached,
    "item.transition": _transition,
    "decision.corrected": _decision_corrected,
    "obligation.added": _obligation_added,
    "obligation.linked": _obligation_linked,
    "goal.added": _goal_added,
    "goal.revised": _goal_revised,
    "goal.value_reported": _value_reported,
    "reminders.written": _reminders_written,
    "reminders.adopted": _reminders_adopted,
    "digest.gathered": _digest_gathered,
    "reminder.rendered": _reminder_rendered,
    "reminder.sent": _reminder_sent,
    "reminders.superseded": _reminders_superseded,
    "user.added": _user_added,
    "user.password_changed": _user_changed(disables=False),
    "user.disabled": _user_changed(disables=True),
}


# --- the rows the tables hold, in the same form ----------------------------------------


def _iso(value: date | time | str) -> str:
    """A date or time; a date may come as stored (SQLite keeps the ISO text)."""
    return value if isinstance(value, str) else value.isoformat()


def is_timestamp(audited: Audited, name: str) -> bool:
    return isinstance(audited.table.c[name].type, UTCDateTime)


def is_date(audited: Audited, name: str) -> bool:
    return isinstance(audited.table.c[name].type, Date)


def _converter(
    audited: Audited, name: str, stamp: Callable[[Any], str]
) -> Callable[[Any], Any] | None:
    if name in audited.read:
        return audited.read[name]
    kind = audited.table.c[name].type
    if isinstance(kind, UTCDateTime):
        return stamp
    if isinstance(kind, Date | Time):
        return _iso
    if isinstance(kind, JSON):
        return sequence
    if isinstance(kind, Float):
        return float
    return None


@dataclass(frozen=True)
class RowReader:
    """Turns a row of ``columns`` (key first, then the parts' columns) into its key and
    its parts' values."""

    columns: tuple[str, ...]
    key_width: int
    bounds: tuple[tuple[int, int], ...]
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]

    def values(self, row: Any) -> list[Any]:
        values = list(row)
        for index, convert in self.converters:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        return values

    def key(self, values: list[Any]) -> Any:
        return values[0] if self.key_width == 1 else tuple(values[: self.key_width])

    def parts(self, values: list[Any]) -> list[tuple[Any, ...]]:
        return [tuple(values[start:end]) for start, end in self.bounds]


def row_reader(audited: Audited, stamp: Callable[[Any], str] = utc_iso) -> RowReader:
    """``stamp`` turns a timestamp column's value, as the select gives it, into the form of
    ``utc_iso`` (by default the select gives it as an aware datetime)."""
    columns = audited.key + audited.covered
    bounds, start = [], len(audited.key)
    for part in audited.parts:
        bounds.append((start, start + len(part)))
        start += len(part)
    converters = tuple(
        (index, convert)
        for index, name in enumerate(columns)
        if index >= len(audited.key) and (convert := _converter(audited, name, stamp)) is not None
    )
    return RowReader(columns, len(audited.key), tuple(bounds), converters)
