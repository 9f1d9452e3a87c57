"""Verification of the audit trail, and of the records it vouches for.

The chain is walked once, in ``seq`` order, streaming. Every entry must follow the one
before it (no gap, the right previous hash), match its own hash, agree with its columns,
and the last entry must be the one the head row names. While walking, the expected
current shape of every case, item (its state, version and texts: the sections and
attachments as drafted or last corrected), agenda entry and decision is rebuilt from the
bodies; the tables must then hold exactly that, so a state, a section or a decision text
changed behind the audit's back is caught as well as an edited entry. The result goals of
obligations are rebuilt the same way: each goal, each target and revision, each reported
value, as its entry's after-image holds it.

An agenda entry's and a decision's part of a body is read as the image the writer made it
from (:mod:`council.cases.item_records`), and each row of those tables is turned into its
image by the same function, so what a body means is defined once.

A partial walk (:class:`WalkStart`, for ``audit verify --since-checkpoint``) starts after a
signed checkpoint instead of at the genesis; see there what it leaves out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Executable, String, select, type_coerce
from sqlmodel import Session, col

from council.cases.attachment_verify import FileCheck, attachment_files_problem
from council.cases.attachments import every_file
from council.cases.audit import GENESIS_HASH, canonical_json, chain_hash, utc_iso
from council.cases.db import Prepared, columns_of, connection_of
from council.cases.item_records import (
    AgendaEntryRecord,
    DecisionImage,
    DecisionRecord,
    EntryImage,
)
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    AuditEntry,
    AuditHead,
    Case,
    Committee,
    Decision,
    Meeting,
)
from council.cases.obligations.tables import GoalTarget, GoalValue, ResultGoal
from council.cases.types import UTCDateTime

STREAM_BATCH = 5_000
_decode = json.JSONDecoder().raw_decode


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    head_hash: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Broken(Exception):
    """Raised inside the walk to stop at the first problem."""


@dataclass
class _Expected:
    """What the tables must hold, rebuilt from the audit bodies (fingerprints by id)."""

    cases: dict[int, int] = field(default_factory=dict)
    items: dict[int, tuple[str, int]] = field(default_factory=dict)
    entries: dict[int, int] = field(default_factory=dict)
    decisions: dict[int, int] = field(default_factory=dict)
    texts: dict[int, int] = field(default_factory=dict)  # item id -> its sections' print
    files: dict[int, int] = field(default_factory=dict)  # attachment id -> its file's print
    goals: dict[int, int] = field(default_factory=dict)
    targets: dict[int, int] = field(default_factory=dict)
    values: dict[int, int] = field(default_factory=dict)
    # item id -> (competent committee id, the decision that referred the case to it)
    routes: dict[int, tuple[Any, Any]] = field(default_factory=dict)
    absences: dict[int, str] = field(default_factory=dict)  # meeting id -> its absent list
    committees: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # by code

    def absorb(
        self, seq: int, action: str, case_id: Any, item_id: Any, data: dict[str, Any]
    ) -> None:
        if action == "item.transition":
            if item_id not in self.items:
                raise _Broken(
                    f"entry {seq}: a transition of item {item_id}, which was never drafted"
                )
            self.items[item_id] = (data["to"], data["version"])
            if "agenda_entry" in data:
                entry = EntryImage.from_body(data["agenda_entry"])
                self.entries[entry.id] = _entry_print(item_id, entry)
            if "decision" in data:
                decision = DecisionImage.from_body(data["decision"])
                self.decisions[decision.id] = _decision_print(item_id, data["to"], decision)
        elif action == "case.created":
            self.cases[case_id] = _case_print(data["number"], data["title"], data["owner"])
        elif action == "item.drafted":
            self.items[item_id] = (data["state"], 1)
            self.texts[item_id] = _texts_print(*_text_fields(data))
            self.routes[item_id] = _route_print(
                data.get("competent_committee_id"), data.get("referred_from")
            )
        elif action == "committee.loaded":
            self.committees[data["code"]] = _committee_print(
                *(data.get(name) for name in _COMMITTEE_FIELDS)
            )
        elif action == "meeting.attendance":
            printed = _absence_print(data["absent"])
            if printed is None:
                self.absences.pop(data["meeting_id"], None)
            else:
                self.absences[data["meeting_id"]] = printed
        elif action in ("item.corrected", "item.attached"):
            if item_id not in self.items:
                raise _Broken(f"entry {seq}: a change of item {item_id}, which was never drafted")
            self.items[item_id] = (self.items[item_id][0], data["version"])
            sections = data["sections"]
            self.texts[item_id] = _texts_print(*_text_fields(sections))
            if action == "item.attached":
                attached = data["attachment"]
                self.files[attached["id"]] = _file_print(item_id, attached)
        elif action in _GOAL_ACTIONS:
            self.absorb_goal(data)
        elif action == "decision.corrected":
            corrected = DecisionImage.from_body(data["decision"])
            if corrected.id not in self.decisions:
                raise _Broken(
                    f"entry {seq}: a correction of decision {corrected.id}, which was never "
                    "recorded"
                )
            to_state = data["decision"]["to_state"]
            self.decisions[corrected.id] = _decision_print(item_id, to_state, corrected)

    def absorb_goal(self, data: dict[str, Any]) -> None:
        """``goal.added``, ``goal.revised``, ``goal.value_reported``: their after-images."""
        if "goal" in data and isinstance(data["goal"], dict):
            goal = data["goal"]
            self.goals[goal["id"]] = _goal_print(
                goal["obligation_id"], goal["name"], goal["unit"], goal["direction"],
                goal["position"],
            )  # fmt: skip
        for target in data.get("targets", [data["target"]] if "target" in data else []):
            self.targets[target["id"]] = _target_print(
                target["goal_id"], target["period_key"], target["target"], target["agreed_on"],
                target["reason"],
            )  # fmt: skip
        if "value" in data:
            value = data["value"]
            self.values[value["id"]] = _value_print(
                value["goal_id"], value["item_id"], value["period_key"], value["value"],
                value["approximate"], value["note"],
            )  # fmt: skip


_GOAL_ACTIONS = frozenset({"goal.added", "goal.revised", "goal.value_reported"})


def _goal_print(obligation_id: int, name: str, unit: str, direction: str, position: int) -> int:
    return hash((obligation_id, name, unit, direction, position))


def _target_print(
    goal_id: int, period_key: str | None, target: float, agreed_on: str, reason: str
) -> int:
    return hash((goal_id, period_key, float(target), agreed_on, reason))


def _value_print(
    goal_id: int, item_id: int, period_key: str, value: float, approximate: bool, note: str
) -> int:
    return hash((goal_id, item_id, period_key, float(value), bool(approximate), note))


def _case_print(number: str, title: str, owner: str) -> int:
    return hash((number, title, owner))


def _entry_print(item_id: int, image: EntryImage) -> int:
    return hash((item_id, image))


# The item's texts as item.drafted and item.corrected hold them, in _texts_print's order.
_text_fields = itemgetter(
    "summary",
    "administration",
    "recommendation",
    "problem",
    "solution",
    "economy",
    "next_steps",
    "signatures",
    "attachments",
)


def _texts_print(
    summary: str,
    administration: str,
    recommendation: Iterable[str],
    problem: str,
    solution: str,
    economy: str,
    next_steps: str,
    signatures: Iterable[str],
    attachments: Iterable[str],
) -> int:
    return hash(
        (
            summary,
            administration,
            tuple(recommendation),
            problem,
            solution,
            economy,
            next_steps,
            tuple(signatures),
            tuple(attachments),
        )
    )


def _row_texts_print(row: Any, attachments: dict[int, list[str]]) -> int:
    """``row`` of ``_ITEM_TEXTS``; the item's attachment titles come from ``attachments``."""
    item_id, summary, administration, recommendation, problem, solution, economy, steps, names = row
    return _texts_print(
        summary,
        administration,
        recommendation,
        problem,
        solution,
        economy,
        steps,
        names,
        attachments.get(item_id, ()),
    )


def _file_print(item_id: int, facts: Any) -> int:
    """An attached file's facts (a mapping from an ``item.attached`` body, or a row)."""
    return hash((item_id, facts["file_name"], facts["size"], facts["media_type"], facts["sha256"]))


def _decision_print(item_id: int, to_state: str, image: DecisionImage) -> int:
    return hash((item_id, to_state, image))


def _route_print(competent_committee_id: Any, referred_from: Any) -> tuple[Any, Any]:
    """An item's competent body and the decision that referred it, as drafted."""
    return (competent_committee_id, referred_from)


# What committee.loaded holds of a committee beside its code (an entry written before a
# committee had seats, a route or earlier names holds none: those columns are then empty).
_COMMITTEE_FIELDS = (
    "name",
    "administration",
    "secretariat_email",
    "members",
    "recommends_to",
    "earlier_names",
)


def _committee_print(*values: Any) -> tuple[Any, ...]:
    """A committee's loaded values, its earlier names as canonical JSON."""
    *plain, earlier_names = values
    return (*plain, canonical_json(earlier_names) if earlier_names else None)


def _absence_print(absent: Any) -> str | None:
    """A meeting's list of absent members as its attendance entry holds it."""
    return canonical_json(absent) if absent else None


def verify(
    session: Session, *, start: WalkStart | None = None, files: FileCheck | None = None
) -> VerifyReport:
    """Walk the whole trail (or, given ``start``, the part after it); stop at the first
    entry or record that does not verify.

    ``files`` checks each attached file in the attachment store (its hash); without it,
    a bilag with a file is a problem, since its file cannot be checked. A walk from
    ``start`` compares neither the records nor the files."""
    head = session.execute(
        select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)
    ).one()
    expected = _Expected()
    count, last_hash = (start.seq, start.hash) if start else (0, GENESIS_HASH)
    try:
        count, last_hash = _walk_chain(session, expected, start=start)
        if (count, last_hash) != (head.seq, head.hash):
            raise _Broken(
                f"the trail ends at entry {count} but its head records entry {head.seq}: "
                "entries were cut off or the head was altered"
            )
        if start is None:
            _compare_records(session, expected)
            problem = attachment_files_problem(connection_of(session), files)
            if problem is not None:
                raise _Broken(problem)
    except _Broken as broken:
        return VerifyReport(entries=count, head_hash=last_hash, problem=str(broken))
    return VerifyReport(entries=count, head_hash=last_hash)


# ------------------------------------------------------------------------------ partial walks


@dataclass(frozen=True)
class WalkStart:
    """Where a partial walk begins: right after entry ``seq``, whose hash is ``hash``.

    The caller vouches for that entry (a signed checkpoint the trail still holds, checked
    by ``cases.audit_anchors``). Each entry after it gets every check of the full walk (its
    place, its link to the one before, its hash, its columns against its body) and the
    trail must end at the head. The records are **not** compared with the trail: they were
    built by the bodies before ``seq`` too, which a partial walk does not read, so a partial
    comparison would either miss what it cannot know or report rows it never saw made.
    The full walk (the default of ``audit verify``) compares them.
    """

    seq: int
    hash: str


def _absorb_nothing(
    _seq: int, _action: str, _case_id: Any, _item_id: Any, _data: dict[str, Any]
) -> None:
    """A partial walk rebuilds no records (see :class:`WalkStart`)."""


# The timestamp column as SQLite stores it (naive UTC, microseconds).
_STORED_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


class _Envelope:
    """Checks an entry's columns against its hashed body and returns the body's ``data``.

    The fast way builds, from the columns, the canonical JSON the product writes around
    ``data`` (sorted keys: action, actor, at, case_id, data, item_id, prev, seq) and
    compares it with the start and end of the body as text; ``data`` must then parse as
    one complete JSON value. A body that passes is one whose parse has exactly these
    columns, so nothing a field-by-field comparison catches gets through; anything else
    (returned as None) is parsed whole and compared field by field by the walk, with the
    same verdicts and messages.
    """

    def __init__(self, to_datetime: Callable[[Any], Any], *, sqlite: bool) -> None:
        self.to_datetime = to_datetime
        self.sqlite = sqlite
        self.strings: dict[str, str] = {}

    def _text(self, value: Any) -> str | None:
        if type(value) is not str:
            return None
        known = self.strings.get(value)
        if known is None:
            if len(self.strings) > 10_000:
                self.strings.clear()
            known = self.strings[value] = canonical_json(value)
        return known

    def at(self, value: Any) -> str:
        """The column as the body holds it: through the column type, then ``utc_iso``."""
        if self.sqlite and type(value) is str and _STORED_AT.fullmatch(value):
            # SQLite's own storage form: utc_iso() of it is the same text rearranged. The
            # column type reads it with datetime.fromisoformat; that runs for the calendar
            # check it makes (a 31 February fails here as it failed there).
            datetime.fromisoformat(value)
            return value[:10] + "T" + value[11:] + "+00:00"
        return utc_iso(self.to_datetime(value))

    def fast_data(
        self,
        seq: int,
        recorded_at: Any,
        actor: Any,
        action: Any,
        case_id: Any,
        item_id: Any,
        prev_hash: str,
        body: str,
    ) -> Any:
        item_text = _number(item_id)
        if item_text is None:
            return None
        suffix = f',"item_id":{item_text},"prev":"{prev_hash}","seq":{seq}}}'
        if not body.endswith(suffix):
            return None
        action_text, actor_text, case_text = self._text(action), self._text(actor), _number(case_id)
        if action_text is None or actor_text is None or case_text is None:
            return None
        prefix = (
            f'{{"action":{action_text},"actor":{actor_text},"at":"{self.at(recorded_at)}",'
            f'"case_id":{case_text},"data":'
        )
        if not body.startswith(prefix):
            return None
        data = body[len(prefix) : len(body) - len(suffix)]
        try:
            value, end = _decode(data)  # json.loads without its whitespace allowances
        except ValueError:
            return None
        return value if end == len(data) else None


def _number(value: Any) -> str | None:
    if value is None:
        return "null"
    return str(value) if type(value) is int else None


# Longer than most functions here on purpose: its loop runs once per entry (a million on a
# large trail), so each entry's checks stay inline, on local names, without a call apiece.
def _walk_chain(
    session: Session, expected: _Expected, *, start: WalkStart | None = None
) -> tuple[int, str]:
    connection = connection_of(session)
    dialect = connection.dialect
    to_datetime = UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)
    assert to_datetime is not None, "UTCDateTime converts what it reads"
    envelope = _Envelope(to_datetime, sqlite=dialect.name == "sqlite")
    query = select(
        col(AuditEntry.seq),
        type_coerce(col(AuditEntry.recorded_at), String),  # as stored; converted below
        col(AuditEntry.actor),
        col(AuditEntry.action),
        col(AuditEntry.case_id),
        col(AuditEntry.item_id),
        col(AuditEntry.body),
        col(AuditEntry.prev_hash),
        col(AuditEntry.hash),
    ).order_by(col(AuditEntry.seq))
    absorb: Callable[[int, str, Any, Any, dict[str, Any]], None] = expected.absorb
    fast_data = envelope.fast_data
    previous_seq, previous_hash = 0, GENESIS_HASH
    if start is not None:  # a partial walk (see WalkStart)
        query = query.where(col(AuditEntry.seq) > start.seq)
        absorb = _absorb_nothing
        previous_seq, previous_hash = start.seq, start.hash
    rows = connection.execution_options(yield_per=STREAM_BATCH).execute(query)
    for partition in rows.partitions():
        for row in partition:
            row_seq, recorded_at, actor, action, case_id, item_id, body, prev_hash, digest = row
            seq = previous_seq + 1
            if row_seq != seq:
                raise _Broken(
                    f"entry {seq} is missing: the trail jumps from entry {previous_seq} "
                    f"to {row_seq}"
                )
            if prev_hash != previous_hash:
                raise _Broken(
                    f"entry {seq} does not follow entry {previous_seq}: previous hash differs "
                    "(entries were inserted, removed or reordered)"
                )
            if chain_hash(prev_hash, body) != digest:
                raise _Broken(f"entry {seq} was altered: its content does not match its hash")
            data = fast_data(seq, recorded_at, actor, action, case_id, item_id, prev_hash, body)
            if data is None:
                parsed = json.loads(body)
                columns = (seq, envelope.at(recorded_at), actor, action, case_id, item_id)
                hashed = (
                    parsed["seq"],
                    parsed["at"],
                    parsed["actor"],
                    parsed["action"],
                    parsed["case_id"],
                    parsed["item_id"],
                )
                if columns != hashed or parsed["prev"] != prev_hash:
                    raise _Broken(
                        f"entry {seq} was altered: its columns disagree with its hashed body"
                    )
                action, case_id, item_id = parsed["action"], parsed["case_id"], parsed["item_id"]
                data = parsed["data"]
            absorb(seq, action, case_id, item_id, data)
            previous_seq, previous_hash = seq, digest
    return previous_seq, previous_hash


_CASES = Prepared(select(col(Case.id), col(Case.number), col(Case.title), col(Case.owner)))
_ITEMS = Prepared(select(col(AgendaItem.id), col(AgendaItem.state), col(AgendaItem.version)))
_ENTRIES = Prepared(select(*columns_of(AgendaEntry, AgendaEntryRecord)))
_ITEM_TEXTS = Prepared(
    select(
        col(AgendaItem.id),
        col(AgendaItem.summary),
        col(AgendaItem.administration),
        col(AgendaItem.recommendation),
        col(AgendaItem.problem),
        col(AgendaItem.solution),
        col(AgendaItem.economy),
        col(AgendaItem.next_steps),
        col(AgendaItem.signatures),
    )
)
_ATTACHMENTS = Prepared(
    select(col(Attachment.item_id), col(Attachment.title)).order_by(
        col(Attachment.item_id), col(Attachment.position)
    )
)
_DECISIONS = Prepared(select(*columns_of(Decision, DecisionRecord)))
_ROUTES = Prepared(
    select(
        col(AgendaItem.id), col(AgendaItem.competent_committee_id), col(AgendaItem.referred_from)
    )
)
_COMMITTEES = Prepared(
    select(col(Committee.code), *(getattr(Committee, name) for name in _COMMITTEE_FIELDS))
)
_ABSENCES = Prepared(
    select(col(Meeting.id), col(Meeting.absent)).where(col(Meeting.absent).is_not(None))
)

# Plain selects: a compiled ``Prepared`` cannot read a float column on psycopg (its result
# processor needs the type the driver reports).
_GOALS = select(
    col(ResultGoal.id),
    col(ResultGoal.obligation_id),
    col(ResultGoal.name),
    col(ResultGoal.unit),
    col(ResultGoal.direction),
    col(ResultGoal.position),
)
_TARGETS = select(
    col(GoalTarget.id),
    col(GoalTarget.goal_id),
    col(GoalTarget.period_key),
    col(GoalTarget.target),
    col(GoalTarget.agreed_on),
    col(GoalTarget.reason),
)
_VALUES = select(
    col(GoalValue.id),
    col(GoalValue.goal_id),
    col(GoalValue.item_id),
    col(GoalValue.period_key),
    col(GoalValue.value),
    col(GoalValue.approximate),
    col(GoalValue.note),
)


def _compare_records(session: Session, expected: _Expected) -> None:
    connection = connection_of(session)
    _compare(
        "committee",
        expected.committees,
        ((r[0], _committee_print(*r[1:])) for r in _rows(_COMMITTEES, connection)),
    )
    _compare(
        "case",
        expected.cases,
        ((r[0], _case_print(r[1], r[2], r[3])) for r in _rows(_CASES, connection)),
    )
    _compare(
        "agenda item", expected.items, ((r[0], (r[1], r[2])) for r in _rows(_ITEMS, connection))
    )
    attachments: dict[int, list[str]] = {}
    for item_id, title in _rows(_ATTACHMENTS, connection):
        attachments.setdefault(item_id, []).append(title)
    _compare(
        "the text of agenda item",
        expected.texts,
        ((r[0], _row_texts_print(r, attachments)) for r in _rows(_ITEM_TEXTS, connection)),
    )
    entries = map(AgendaEntryRecord._make, _rows(_ENTRIES, connection))
    _compare(
        "agenda entry",
        expected.entries,
        ((e.id, _entry_print(e.item_id, e.image())) for e in entries),
    )
    decisions = map(DecisionRecord._make, _rows(_DECISIONS, connection))
    _compare(
        "decision",
        expected.decisions,
        ((d.id, _decision_print(d.item_id, d.to_state, d.image())) for d in decisions),
    )
    _compare(
        "the file of attachment",
        expected.files,
        ((a.id, _file_print(a.item_id, a._asdict())) for a in every_file(connection)),
    )
    _compare(
        "result goal",
        expected.goals,
        ((r[0], _goal_print(*r[1:])) for r in _plain_rows(_GOALS, connection)),
    )
    _compare(
        "target of result goal",
        expected.targets,
        (
            (r[0], _target_print(r[1], r[2], r[3], r[4].isoformat(), r[5]))
            for r in _plain_rows(_TARGETS, connection)
        ),
    )
    _compare(
        "reported value",
        expected.values,
        ((r[0], _value_print(*r[1:])) for r in _plain_rows(_VALUES, connection)),
    )

    _compare(
        "the competent body or referral of agenda item",
        expected.routes,
        ((r[0], _route_print(r[1], r[2])) for r in _rows(_ROUTES, connection)),
    )
    absences = ((r[0], _absence_print(r[1])) for r in _rows(_ABSENCES, connection))
    _compare(
        "the attendance of meeting",
        expected.absences,
        ((meeting_id, printed) for meeting_id, printed in absences if printed is not None),
    )


def _plain_rows(statement: Executable, connection: Connection) -> Iterable[Any]:
    return connection.execute(statement)


def _rows(statement: Prepared, connection: Connection) -> Iterable[tuple[Any, ...]]:
    for batch in statement.stream(connection, STREAM_BATCH):
        yield from batch


def _compare(kind: str, expected: dict[Any, Any], found: Iterable[tuple[Any, Any]]) -> None:
    """Every row (its id and fingerprint) must have the fingerprint expected for its id;
    what is left expected is missing.

    ``expected`` is used up (each row's id is taken out of it as it is matched).
    """
    missing = object()
    for row_id, fingerprint in found:
        wanted = expected.pop(row_id, missing)
        if wanted is missing:
            raise _Broken(
                f"{kind} {row_id} has no audit entry: it was added behind the audit's back"
            )
        if fingerprint != wanted:
            raise _Broken(f"{kind} {row_id} differs from its audit trail: it was changed directly")
    if expected:
        raise _Broken(f"{kind} {min(expected)} is in the audit trail but missing from the records")
