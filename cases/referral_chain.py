"""A case's referral chain: each body's decision on the case in the order recorded, and
where it sent the case on."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from council.cases.db import UnitOfWork, connection_for
from council.cases.models import (
    AgendaItem,
    Committee,
    Decision,
    Meeting,
)
from council.cases.prepared import Prepared


class ChainStep(NamedTuple):
    """One body's decision on the case, in the order decisions were recorded: where the
    case was, what it decided and when, where it sent the case on (as written), and the
    item a referral made for the next body (its id and committee code)."""

    item_id: int
    item_title: str
    item_closed: bool
    committee_code: str
    committee_id: int
    on: date | None
    outcome: str | None
    to_state: str
    referred_to: tuple[str, ...]
    follow_on: tuple[int, str] | None

    @property
    def title(self) -> str:
        return self.item_title

    @property
    def closed(self) -> bool:
        return bool(self.item_closed)


_CHAIN = Prepared(
    select(
        col(Decision.id),
        col(AgendaItem.id),
        col(AgendaItem.title),
        col(AgendaItem.closed),
        col(Committee.code),
        col(Committee.id),
        col(Meeting.date),
        col(Decision.decided_on),
        col(Decision.outcome),
        col(Decision.to_state),
        col(Decision.referred_to),
    )
    .join(AgendaItem, col(AgendaItem.id) == col(Decision.item_id))
    .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
    .outerjoin(Meeting, col(Meeting.id) == col(Decision.meeting_id))
    .where(col(AgendaItem.case_id) == bindparam("case_id"))
    .order_by(col(Decision.audit_seq))
)
_FOLLOW_ONS = Prepared(
    select(col(AgendaItem.referred_from), col(AgendaItem.id), col(Committee.code))
    .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
    .where(
        col(AgendaItem.case_id) == bindparam("case_id"),
        col(AgendaItem.referred_from).is_not(None),
    )
)


def chain(where: UnitOfWork | Session, case_id: int) -> list[ChainStep]:
    """Every decision on the case, body by body, with where each sent it on."""
    connection = connection_for(where)
    made = {row[0]: (row[1], row[2]) for row in _FOLLOW_ONS.rows(connection, case_id=case_id)}
    return [
        ChainStep(
            item_id,
            title,
            closed,
            code,
            committee_id,
            meeting_date or decided_on,
            outcome,
            to_state,
            tuple(referred_to or ()),
            made.get(decision_id),
        )
        for (
            decision_id,
            item_id,
            title,
            closed,
            code,
            committee_id,
            meeting_date,
            decided_on,
            outcome,
            to_state,
            referred_to,
        ) in _CHAIN.rows(connection, case_id=case_id)
    ]
