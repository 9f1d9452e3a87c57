"""Writing obligation lines and links, each together with its audit entry.

An obligation's terms are checked before they reach this layer (``terms``); here a line is
refused only when the same obligation is already there, and a link when it exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from council.cases import audit
from council.cases.errors import AlreadyLinked, ObligationExists
from council.cases.models import Case, Committee
from council.cases.obligations import lines
from council.cases.obligations.lines import Line
from council.cases.obligations.tables import ObligationLink, StatusObligation
from council.cases.obligations.terms import Terms


def add_line(
    session: Session,
    *,
    case: Case,
    committee: Committee,
    terms: Terms,
    recipients: Sequence[str],
    first_check: datetime | None,
    actor: str,
    now: datetime,
) -> Line:
    """Record one line of an obligation (its bookmark at ``first_check``) and its audit
    entry ``obligation.added``; refused when the case already has this obligation to the
    committee (same dates, cadence and due day)."""
    assert case.id is not None and committee.id is not None
    _refuse_twin(session, case=case, committee=committee, terms=terms)
    row = StatusObligation(
        case_id=case.id,
        committee_id=committee.id,
        about=terms.about,
        starts_on=terms.starts_on,
        ends_on=terms.ends_on,
        cadence=terms.cadence.rule,
        due_rule=terms.due.text,
        lead_days=list(terms.lead_days),
        escalate_every_days=terms.escalate_every_days,
        recipients=list(recipients),
        created_at=now,
        next_check_at=first_check,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    _audit(
        session,
        "obligation.added",
        actor=actor,
        now=now,
        case_id=case.id,
        data=_added(row, case_number=case.number, committee=committee),
    )
    return lines.line(session, row.id)


def _refuse_twin(session: Session, *, case: Case, committee: Committee, terms: Terms) -> None:
    twin = session.scalars(
        select(col(StatusObligation.id)).where(
            col(StatusObligation.case_id) == case.id,
            col(StatusObligation.committee_id) == committee.id,
            col(StatusObligation.starts_on) == terms.starts_on,
            col(StatusObligation.ends_on) == terms.ends_on,
            col(StatusObligation.cadence) == terms.cadence.rule,
            col(StatusObligation.due_rule) == terms.due.text,
        )
    ).first()
    if twin is not None:
        raise ObligationExists(case.number, committee.code, twin)


def _added(row: StatusObligation, *, case_number: str, committee: Committee) -> dict[str, Any]:
    """The audit entry's account of a new line."""
    return {
        "obligation_id": row.id,
        "case": case_number,
        "committee": committee.code,
        "committee_id": committee.id,
        "about": row.about,
        "starts_on": row.starts_on.isoformat(),
        "ends_on": row.ends_on.isoformat(),
        "cadence": row.cadence,
        "due": row.due_rule,
        "lead_days": list(row.lead_days),
        "escalate_every_days": row.escalate_every_days,
        "recipients": list(row.recipients),
    }


def link_item(session: Session, line: Line, *, item_id: int, actor: str, now: datetime) -> None:
    """Record that item ``item_id`` answers ``line``, and the audit entry
    ``obligation.linked``; refused when it is linked already."""
    existing = session.scalars(
        select(col(ObligationLink.id)).where(
            col(ObligationLink.obligation_id) == line.id, col(ObligationLink.item_id) == item_id
        )
    ).first()
    if existing is not None:
        raise AlreadyLinked(item_id, line.id)
    session.add(ObligationLink(obligation_id=line.id, item_id=item_id, actor=actor, linked_at=now))
    session.flush()
    _audit(
        session,
        "obligation.linked",
        actor=actor,
        now=now,
        case_id=line.case_id,
        item_id=item_id,
        data={"obligation_id": line.id, "item_id": item_id, "committee": line.committee_code},
    )


def _audit(
    session: Session,
    action: str,
    *,
    actor: str,
    now: datetime,
    case_id: int,
    data: dict[str, Any],
    item_id: int | None = None,
) -> None:
    audit.append(
        session,
        audit.next_link(session),
        action=action,
        actor=actor,
        now=now,
        case_id=case_id,
        item_id=item_id,
        data=data,
    )
