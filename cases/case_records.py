"""The cases store: cases by number, creating one, finding and listing them (a case's
history is :mod:`council.cases.case_history`, its referral chain
:mod:`council.cases.referral_chain`).

(Named ``case_records`` as its table is: ``case`` is a Python keyword.)
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy import case as sql_case
from sqlmodel import Session, col

from council.cases import audit, search_index
from council.cases.db import UnitOfWork, connection_for
from council.cases.errors import AlreadyExistsError, NotFoundError
from council.cases.models import (
    AgendaItem,
    Case,
)
from council.cases.prepared import Prepared, PreparedInsert


def by_number(session: Session, number: str) -> Case:
    case = find(session, number.strip())
    if case is None:
        raise NotFoundError("case", number)
    return case


def by_id(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError("case", case_id)
    return case


def find(session: Session, number: str) -> Case | None:
    """The case with exactly this number, if there is one."""
    return session.scalars(select(Case).where(col(Case.number) == number)).first()


class CaseRef(NamedTuple):
    """A case as an item names it: its id and journal number."""

    id: int
    number: str


class CaseRecord(NamedTuple):
    """A case as creating it wrote it."""

    id: int
    number: str
    title: str
    owner: str
    created_at: datetime


_ID_BY_NUMBER = Prepared(select(col(Case.id)).where(col(Case.number) == bindparam("number")))


def id_by_number(where: UnitOfWork | Session, number: str) -> int:
    """The case's id in one compiled select (the history's path)."""
    case_id = _ID_BY_NUMBER.scalar(connection_for(where), number=number.strip())
    if case_id is None:
        raise NotFoundError("case", number)
    return int(case_id)


def ref_by_number(where: UnitOfWork | Session, number: str) -> CaseRef:
    """As :func:`by_number`, the case's id and number in one compiled select."""
    wanted = number.strip()
    return CaseRef(id_by_number(where, wanted), wanted)


_REF_BY_NUMBER = Prepared(
    select(col(Case.id), col(Case.number)).where(col(Case.number) == bindparam("number"))
)


def find_ref(where: UnitOfWork | Session, number: str) -> CaseRef | None:
    """As :func:`find`, the case's id and number in one compiled select."""
    found = _REF_BY_NUMBER.first(connection_for(where), number=number)
    return None if found is None else CaseRef._make(found)


_INSERT = PreparedInsert(Case, Case.id, column_keys=("number", "title", "owner", "created_at"))


def create(
    uow: UnitOfWork, *, number: str, title: str, owner: str, actor: str, now: datetime
) -> CaseRecord:
    """A new case with its audit entry; refused when the number is taken.

    Written with compiled statements on the unit's connection (an import creates a case
    per published item).
    """
    connection = uow.connection()
    if _ID_BY_NUMBER.scalar(connection, number=number) is not None:
        raise AlreadyExistsError("case", number)
    case_id = _INSERT(connection, number=number, title=title, owner=owner, created_at=now)
    search_index.index_case(connection, case_id=case_id, number=number, title=title, owner=owner)
    audit.record(
        uow,
        action="case.created",
        actor=actor,
        now=now,
        case_id=case_id,
        data=created_data(number, title, owner),
    )
    return CaseRecord(case_id, number, title, owner, now)


def created_data(number: str, title: str, owner: str) -> dict[str, str]:
    """The data of a ``case.created`` entry."""
    return {"number": number, "title": title, "owner": owner}


def search(session: Session, *, text: str = "", limit: int = 100) -> list[Case]:
    """Cases whose number or title contains ``text`` (all when empty), the newest first."""
    statement = select(Case).order_by(col(Case.id).desc()).limit(limit)
    wanted = text.strip()
    if wanted:
        pattern = f"%{escape_like(wanted)}%"
        statement = statement.where(
            or_(
                col(Case.number).ilike(pattern, escape="\\"),
                col(Case.title).ilike(pattern, escape="\\"),
            )
        )
    return list(session.scalars(statement))


class CaseLine(NamedTuple):
    """A case as a list shows it: how many items it has, how many are open (not in a final
    state), and how many of the open ones are closed items (lukket punkt)."""

    id: int
    number: str
    title: str
    owner: str
    created_at: datetime
    items: int
    open_items: int
    open_closed_items: int


def listing(
    session: Session,
    *,
    final_states: frozenset[str],
    owner: str | None = None,
    open_only: bool = False,
    include_closed: bool = True,
    limit: int | None = None,
) -> list[CaseLine]:
    """Cases (whose owner contains ``owner``, case-insensitively; ``open_only``: with an
    open item, or none yet), by number, each with its items counted. ``include_closed``
    says whether a closed item's being open makes its case open."""
    open_item = col(AgendaItem.state).not_in(sorted(final_states))
    statement = (
        select(
            col(Case.id),
            col(Case.number),
            col(Case.title),
            col(Case.owner),
            col(Case.created_at),
            func.count(col(AgendaItem.id)),
            func.count(sql_case((open_item, 1))),
            func.count(sql_case((and_(open_item, col(AgendaItem.closed)), 1))),
        )
        .outerjoin(AgendaItem, col(AgendaItem.case_id) == col(Case.id))
        .group_by(col(Case.id))
        .order_by(col(Case.number))
        .limit(limit)
    )
    if owner is not None and owner.strip():
        pattern = f"%{escape_like(owner.strip())}%"
        statement = statement.where(col(Case.owner).ilike(pattern, escape="\\"))
    if open_only:
        counted = (
            open_item if include_closed else and_(open_item, col(AgendaItem.closed).is_(False))
        )
        statement = statement.having(
            or_(func.count(sql_case((counted, 1))) > 0, func.count(col(AgendaItem.id)) == 0)
        )
    return [CaseLine._make(row) for row in session.execute(statement).all()]


def escape_like(text: str) -> str:
    """``text`` matched literally inside a LIKE pattern (with ``escape="\\"``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
