"""A case's history as auditors read it: every transition of its items, with the moves
and corrections made since, one row each."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, literal, null, select, union_all
from sqlmodel import Session, col

from council.cases import corrections
from council.cases.db import UnitOfWork, connection_for
from council.cases.decision_parts import PART_COLUMNS
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    AuditEntry,
    Committee,
    Decision,
    Meeting,
)
from council.cases.prepared import Prepared


class HistoryRow(NamedTuple):
    """One transition of one of a case's items, as auditors read it.

    An immutable named tuple rather than a frozen dataclass: a history is built row by
    row on every ``council history``, and a frozen dataclass's __init__ costs several
    times the row's database work.
    """

    seq: int
    item_id: int
    item_title: str
    item_closed: bool
    committee: str
    meeting_id: int | None
    meeting_date: date | None
    agenda_number: int | None
    trigger: str
    from_state: str
    to_state: str
    outcome: str | None
    text: str | None
    decided_on: date | None
    actor: str
    recorded_at: datetime
    referred_to: list[str] | None = None
    votes: dict[str, Any] | None = None
    amendments: list[dict[str, Any]] | None = None
    remarks: list[dict[str, Any]] | None = None
    point_results: list[dict[str, Any]] | None = None
    attendance: list[dict[str, Any]] | None = None
    correction: dict[str, Any] | None = None
    """A correction's row (trigger ``correct`` or ``edit``): subject, reason, whether the
    minutes had been approved, and the values before and after."""
    move: dict[str, Any] | None = None
    """An item moved to another meeting (trigger ``move``): the meetings it left and went
    to, its agenda number there, and the reason given (None: none)."""

    @property
    def title(self) -> str:
        """The item's title (with :attr:`closed`, the row stands for its item)."""
        return self.item_title

    @property
    def closed(self) -> bool:
        """Whether the item is a closed one (lukket punkt)."""
        return bool(self.item_closed)


_HISTORY = Prepared(
    union_all(
        # decisions first: the union's column types (result processors) are this select's
        select(
            col(Decision.audit_seq),
            col(Decision.item_id),
            col(AgendaItem.title),
            col(AgendaItem.closed),
            col(Committee.code),
            col(Decision.meeting_id),
            col(Meeting.date),
            col(AgendaEntry.number),
            col(Decision.trigger),
            col(Decision.from_state),
            col(Decision.to_state),
            col(Decision.outcome),
            col(Decision.text),
            col(Decision.decided_on),
            col(Decision.actor),
            col(Decision.recorded_at),
            col(Decision.referred_to),
            *(getattr(Decision, name) for name in PART_COLUMNS),
            null(),  # correction: the rows of corrections are added after the select
            null(),  # move: so are the rows of moves
        )
        .join(AgendaItem, col(AgendaItem.id) == col(Decision.item_id))
        .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
        .outerjoin(Meeting, col(Meeting.id) == col(Decision.meeting_id))
        .outerjoin(
            AgendaEntry,
            (col(AgendaEntry.meeting_id) == col(Decision.meeting_id))
            & (col(AgendaEntry.item_id) == col(Decision.item_id)),
        )
        .where(col(AgendaItem.case_id) == bindparam("case_id")),
        # presentations, in the same columns: trigger "present", to "forelagt", decided_on
        # the meeting's date, no outcome and no text
        select(
            col(AgendaEntry.audit_seq),
            col(AgendaEntry.item_id),
            col(AgendaItem.title),
            col(AgendaItem.closed),
            col(Committee.code),
            col(AgendaEntry.meeting_id),
            col(Meeting.date),
            col(AgendaEntry.number),
            literal("present"),
            col(AgendaEntry.from_state),
            literal("forelagt"),
            null(),
            null(),
            col(Meeting.date),
            col(AgendaEntry.actor),
            col(AgendaEntry.presented_at),
            *(null() for _ in ("referred_to", *PART_COLUMNS, "correction", "move")),
        )
        .join(AgendaItem, col(AgendaItem.id) == col(AgendaEntry.item_id))
        .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
        .join(Meeting, col(Meeting.id) == col(AgendaEntry.meeting_id))
        .where(col(AgendaItem.case_id) == bindparam("case_id")),
    )
)


def history(where: UnitOfWork | Session, case_id: int) -> list[HistoryRow]:
    """Every presentation and decision of the case's items, in the order they were recorded.

    One indexed select of plain columns (no ORM entities), compiled once (``Prepared``);
    its columns are HistoryRow's. Given a unit of work, it runs on the unit's connection
    and no ORM session is made.
    """
    connection = connection_for(where)
    rows = _HISTORY.rows(connection, case_id=case_id)
    found = sorted(map(HistoryRow._make, rows), key=lambda row: row.seq)
    corrected = corrections.of_case(where, case_id)
    found = _with_corrections(found, corrected) if corrected else found
    moves = _MOVES.rows(connection, case_id=case_id)
    return _with_moves(connection, found, moves) if moves else found


_NO_DECISION: dict[str, Any] = dict.fromkeys(("outcome", "text", "referred_to", *PART_COLUMNS))
"""A history row that records no decision (an edit, a move) has none of its parts."""

CORRECT, EDIT, MOVE = "correct", "edit", "move"
"""The triggers of a history's correction rows (a decision corrected, an item edited) and
of an item moved to another meeting."""

_MOVES = Prepared(
    select(
        col(AuditEntry.seq),
        col(AuditEntry.recorded_at),
        col(AuditEntry.actor),
        col(AuditEntry.item_id),
        col(AuditEntry.body),
    )
    .where(col(AuditEntry.case_id) == bindparam("case_id"), col(AuditEntry.action) == "item.moved")
    .order_by(col(AuditEntry.seq))
)


def _presented_where_first(
    connection: Any, rows: list[HistoryRow], moves: list[Any], dates: dict[int, date]
) -> list[HistoryRow]:
    """A presentation's row at the meeting and number the item was first put before (its
    agenda entry, read for the history, now stands where the item was moved to): the
    meeting the first move after it left, and the number its entry in the trail gave."""
    presented: dict[int, list[int]] = {}  # an item's presentations' seqs, in order
    for row in rows:
        if row.trigger == "present":
            presented.setdefault(row.item_id, []).append(row.seq)
    moved: dict[int, list[tuple[int, Any]]] = {}  # an item's moves, in order
    for seq, _, _, item_id, data in moves:
        moved.setdefault(item_id, []).append((seq, data))
    first_moves: dict[int, Any] = {}  # a presentation's seq -> the first move after it
    for item_id, seqs in presented.items():
        for index, seq in enumerate(seqs):
            until = seqs[index + 1] if index + 1 < len(seqs) else None
            found = next(
                (
                    data
                    for moved_at, data in moved.get(item_id, ())
                    if moved_at > seq and (until is None or moved_at < until)
                ),
                None,
            )
            if found is not None:
                first_moves[seq] = found
    if not first_moves:
        return rows
    numbers = {
        seq: json.loads(body)["data"].get("agenda_entry", {}).get("number")
        for seq, body in connection.execute(
            select(col(AuditEntry.seq), col(AuditEntry.body)).where(
                col(AuditEntry.seq).in_(list(first_moves))
            )
        )
    }
    return [
        row
        if (data := first_moves.get(row.seq)) is None
        else row._replace(
            meeting_id=data["from_meeting_id"],
            meeting_date=dates.get(data["from_meeting_id"]),
            decided_on=dates.get(data["from_meeting_id"]),
            agenda_number=numbers.get(row.seq),
        )
        for row in rows
    ]


def _with_moves(connection: Any, rows: list[HistoryRow], moves: list[Any]) -> list[HistoryRow]:
    """The history with a row for each move of an item to another meeting (``item move``,
    or a cancelled meeting's items moved on), after the rows of the item before it: at the
    meeting it went to, with its number there, the item's state unchanged."""
    bodies = [
        (seq, at, actor, item_id, json.loads(body)["data"])
        for seq, at, actor, item_id, body in moves
    ]
    wanted = {data[key] for *_, data in bodies for key in ("from_meeting_id", "to_meeting_id")}
    dates = dict(
        connection.execute(
            select(col(Meeting.id), col(Meeting.date)).where(col(Meeting.id).in_(wanted))
        ).all()
    )
    rows = _presented_where_first(connection, rows, bodies, dates)
    added = []
    for seq, at, actor, item_id, data in bodies:
        base = next((r for r in reversed(rows) if r.item_id == item_id and r.seq < seq), None)
        if base is None:
            continue
        to = data["to_meeting_id"]
        number = next((e["number"] for e in data["entries"] if e["meeting_id"] == to), None)
        added.append(
            base._replace(
                seq=seq,
                meeting_id=to,
                meeting_date=dates.get(to),
                agenda_number=number,
                trigger=MOVE,
                from_state=base.to_state,
                decided_on=dates.get(to),
                actor=actor,
                recorded_at=at,
                correction=None,
                **_NO_DECISION,
                move={
                    "from_meeting_id": data["from_meeting_id"],
                    "to_meeting_id": to,
                    "agenda_number": number,
                    "reason": data.get("reason"),
                },
            )
        )
    return sorted(rows + added, key=lambda row: row.seq)


def _with_corrections(
    rows: list[HistoryRow], corrected: list[corrections.CorrectionRow]
) -> list[HistoryRow]:
    """The history with its corrections: a corrected decision shown as first recorded (the
    values before its first correction), and each correction a row of its own, after it."""
    rows = list(rows)
    by_seq = {row.seq: index for index, row in enumerate(rows)}
    first_before: dict[int, dict[str, Any]] = {}
    for row in corrected:
        if row.decision_id is not None:
            first_before.setdefault(row.decision_id, row.before)
    decision_seq = _decision_seqs(rows, corrected)
    added = []
    for row in corrected:
        if row.decision_id is not None:
            seq = decision_seq.get(row.decision_id)
            if seq is None:
                continue
            base = rows[by_seq[seq]]
            added.append(
                base._replace(
                    seq=row.audit_seq,
                    trigger=CORRECT,
                    from_state=row.before["to_state"],
                    to_state=row.after["to_state"],
                    outcome=row.after["outcome"],
                    text=row.after["text"],
                    actor=row.actor,
                    recorded_at=row.corrected_at,
                    correction=_correction_record(row),
                )
            )
        else:
            added.append(_edit_row(rows, row))
    for decision_id, before in first_before.items():
        seq = decision_seq.get(decision_id)
        if seq is not None:
            index = by_seq[seq]
            rows[index] = rows[index]._replace(
                to_state=before["to_state"], outcome=before["outcome"], text=before["text"]
            )
    return sorted(rows + added, key=lambda row: row.seq)


def _decision_seqs(
    rows: list[HistoryRow], corrected: list[corrections.CorrectionRow]
) -> dict[int, int]:
    """The audit seq of each corrected decision (the seq of its row in the history)."""
    return {
        row.decision_id: row.decision_seq
        for row in corrected
        if row.decision_id is not None and row.decision_seq is not None
    }


def _edit_row(rows: list[HistoryRow], row: corrections.CorrectionRow) -> HistoryRow:
    """An item corrected after its final decision, as a row after that decision's."""
    base = next(
        (r for r in reversed(rows) if r.item_id == row.item_id and r.seq < row.audit_seq),
        None,
    )
    assert base is not None, "an item is corrected only after its final decision"
    edited: HistoryRow = base._replace(
        seq=row.audit_seq,
        trigger=EDIT,
        from_state=base.to_state,
        actor=row.actor,
        recorded_at=row.corrected_at,
        correction=_correction_record(row),
        **_NO_DECISION,
    )
    return edited


def _correction_record(row: corrections.CorrectionRow) -> dict[str, Any]:
    return {
        "subject": row.subject,
        "reason": row.reason,
        "minutes_approved": row.after_approval,
        "before": row.before,
        "after": row.after,
    }
