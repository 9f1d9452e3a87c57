"""The corrections store: a decision or an item corrected, with the row that keeps what it
was beside what it became, and the corrections the documents and the history show.

A correction never removes what it corrects from the trail: the audit entry of the
decision or item as first recorded stays, and the ``correction`` row (written with its
own entry) holds the values before and after, the reason, who and when, and whether the
minutes had been approved with the text before. The decision's or item's row holds the
corrected values, so that everything that reads them (fulfilment of obligations, carry-over
to the next meeting, lists) follows the correction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select, update
from sqlmodel import Session, col

from council.cases import audit, search_index
from council.cases.db import UnitOfWork, connection_for
from council.cases.errors import ConflictError, WordingChanged
from council.cases.item_records import DecisionRecord
from council.cases.models import AgendaEntry, AgendaItem, Correction, Decision, Meeting
from council.cases.prepared import Prepared

DECISION = "decision"
ITEM = "item"


class CorrectionRow(NamedTuple):
    """A correction as the documents and the history read it."""

    id: int
    item_id: int
    decision_id: int | None
    subject: str  # "decision" or "item"
    reason: str
    after_approval: bool
    before: dict[str, Any]
    after: dict[str, Any]
    actor: str
    corrected_at: datetime
    audit_seq: int
    decision_seq: int | None = None  # the audit seq of the decision it corrects


_COLUMNS = (
    *(getattr(Correction, name) for name in CorrectionRow._fields[:-1]),
    col(Decision.audit_seq),
)
_OF_CASE = Prepared(
    select(*_COLUMNS)
    .outerjoin(Decision, col(Decision.id) == col(Correction.decision_id))
    .join(AgendaItem, col(AgendaItem.id) == col(Correction.item_id))
    .where(col(AgendaItem.case_id) == bindparam("case_id"))
    .order_by(col(Correction.audit_seq))
)
_OF_ITEM = Prepared(
    select(*_COLUMNS)
    .outerjoin(Decision, col(Decision.id) == col(Correction.decision_id))
    .where(col(Correction.item_id) == bindparam("item_id"))
    .order_by(col(Correction.audit_seq))
)


def of_case(where: UnitOfWork | Session, case_id: int) -> list[CorrectionRow]:
    """Every correction of the case's items, in the order they were recorded."""
    return [
        CorrectionRow._make(row) for row in _OF_CASE.rows(connection_for(where), case_id=case_id)
    ]


def of_item(where: UnitOfWork | Session, item_id: int) -> list[CorrectionRow]:
    """Every correction of one item, in the order they were recorded."""
    return [
        CorrectionRow._make(row) for row in _OF_ITEM.rows(connection_for(where), item_id=item_id)
    ]


_ON_AGENDA = Prepared(
    select(*_COLUMNS)
    .outerjoin(Decision, col(Decision.id) == col(Correction.decision_id))
    .where(
        col(Correction.item_id).in_(
            select(col(AgendaEntry.item_id)).where(
                col(AgendaEntry.meeting_id) == bindparam("meeting_id")
            )
        )
    )
    .order_by(col(Correction.audit_seq))
)


def on_agenda(where: UnitOfWork | Session, meeting_id: int) -> dict[int, list[CorrectionRow]]:
    """The corrections of each item on the meeting's agenda (items without any are left
    out), in recorded order: one compiled select."""
    found: dict[int, list[CorrectionRow]] = {}
    for row in _ON_AGENDA.rows(connection_for(where), meeting_id=meeting_id):
        correction = CorrectionRow._make(row)
        found.setdefault(correction.item_id, []).append(correction)
    return found


_OF_MEETING_DECISIONS = Prepared(
    select(*_COLUMNS)
    .join(Decision, col(Decision.id) == col(Correction.decision_id))
    .where(col(Decision.meeting_id) == bindparam("meeting_id"))
    .order_by(col(Correction.audit_seq))
)


def of_meeting_decisions(where: UnitOfWork | Session, meeting_id: int) -> list[CorrectionRow]:
    """The corrections of the decisions taken at the meeting, in recorded order."""
    return [
        CorrectionRow._make(row)
        for row in _OF_MEETING_DECISIONS.rows(connection_for(where), meeting_id=meeting_id)
    ]


_APPROVED_ON = Prepared(
    select(col(Meeting.minutes_approved_on)).where(col(Meeting.id) == bindparam("id"))
)


def minutes_approved_on(uow: UnitOfWork, meeting_id: int | None) -> date | None:
    """The day the meeting's minutes were approved (None: not yet, or no meeting)."""
    if meeting_id is None:
        return None
    approved: date | None = _APPROVED_ON.scalar(uow.connection(), id=meeting_id)
    return approved


def correct_decision(
    uow: UnitOfWork,
    *,
    decision: DecisionRecord,
    case_id: int,
    item_version: int,
    outcome: str,
    to_state: str,
    text: str,
    reason: str,
    after_approval: bool,
    actor: str,
    now: datetime,
) -> tuple[DecisionRecord, int]:
    """Give ``decision`` a new outcome, state and wording and move its item to
    ``to_state``, each under a compare-and-set (the decision as read, the item at
    ``item_version``), with a correction row and its ``decision.corrected`` entry.
    Returns the decision as corrected and the item's new version."""
    connection = uow.connection()
    changed = connection.execute(
        update(Decision)
        .where(
            col(Decision.id) == decision.id,
            col(Decision.text) == decision.text,
            col(Decision.to_state) == decision.to_state,
        )
        .values(outcome=outcome, to_state=to_state, text=text)
    )
    if changed.rowcount != 1:
        raise WordingChanged(decision.item_id, decision.id)
    version = _move_item(uow, decision.item_id, item_version, state=to_state)
    corrected = decision._replace(outcome=outcome, to_state=to_state, text=text)
    before = {"outcome": decision.outcome, "to_state": decision.to_state, "text": decision.text}
    after = {"outcome": outcome, "to_state": to_state, "text": text}
    link = audit.next_link(connection)
    row = _insert(
        uow,
        item_id=decision.item_id,
        decision_id=decision.id,
        subject=DECISION,
        reason=reason,
        after_approval=after_approval,
        before=before,
        after=after,
        actor=actor,
        now=now,
        audit_seq=link.seq,
    )
    search_index.refresh_item(connection, decision.item_id)
    audit.append(
        connection,
        link,
        action="decision.corrected",
        actor=actor,
        now=now,
        case_id=case_id,
        item_id=decision.item_id,
        data={
            "reason": reason,
            "source": "rettelse",
            "before": decision.text,
            "decision": {**corrected.image().body(), "to_state": to_state},
            "item": {"state": to_state, "version": version},
            "correction": row,
        },
    )
    return corrected, version


def correction_body(
    uow: UnitOfWork,
    *,
    item_id: int,
    reason: str,
    after_approval: bool,
    before: dict[str, Any],
    after: dict[str, Any],
    actor: str,
    now: datetime,
    audit_seq: int,
) -> dict[str, Any]:
    """Write the correction row of an item's correction (its entry, at ``audit_seq``, is
    the caller's ``item.corrected``); the row as that entry's body holds it."""
    return _insert(
        uow,
        item_id=item_id,
        decision_id=None,
        subject=ITEM,
        reason=reason,
        after_approval=after_approval,
        before=before,
        after=after,
        actor=actor,
        now=now,
        audit_seq=audit_seq,
    )


def _insert(
    uow: UnitOfWork,
    *,
    item_id: int,
    decision_id: int | None,
    subject: str,
    reason: str,
    after_approval: bool,
    before: dict[str, Any],
    after: dict[str, Any],
    actor: str,
    now: datetime,
    audit_seq: int,
) -> dict[str, Any]:
    row = Correction(
        item_id=item_id,
        decision_id=decision_id,
        subject=subject,
        reason=reason,
        after_approval=after_approval,
        before=before,
        after=after,
        actor=actor,
        corrected_at=now,
        audit_seq=audit_seq,
    )
    uow.session.add(row)
    uow.session.flush()
    return {
        "id": row.id,
        "decision_id": decision_id,
        "subject": subject,
        "reason": reason,
        "after_approval": after_approval,
        "before": before,
        "after": after,
    }


def _move_item(uow: UnitOfWork, item_id: int, version: int, *, state: str) -> int:
    changed = uow.connection().execute(
        update(AgendaItem)
        .where(col(AgendaItem.id) == item_id, col(AgendaItem.version) == version)
        .values(state=state, version=version + 1)
    )
    if changed.rowcount != 1:
        raise ConflictError(item_id, version, None)
    return version + 1
