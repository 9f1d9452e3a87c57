"""The committees store: committees by code or id, and loading them from configuration."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from council.cases import audit
from council.cases.db import UnitOfWork
from council.cases.errors import NotFoundError
from council.cases.models import Committee
from council.cases.prepared import Prepared, columns_of


class CommitteeRow(NamedTuple):
    """A committee as a transition's guards name it."""

    id: int
    code: str


class CommitteeValues(NamedTuple):
    """What configuration says of a committee besides its code (committees.toml)."""

    name: str
    administration: str
    secretariat_email: str | None
    members: int | None = None
    recommends_to: str | None = None
    earlier_names: list[dict[str, str]] | None = None  # [{"name", "until": ISO date}]


def name_on(committee: Committee, day: date | None) -> str:
    """The committee's name on ``day``: the first earlier name it still had then, else
    its name (also for an unknown day)."""
    return name_among(committee.name, committee.earlier_names or (), day)


def name_among(name: str, earlier_names: Iterable[Mapping[str, str]], day: date | None) -> str:
    """:func:`name_on` from a committee's name and its earlier names (``{"name", "until"}``,
    as config and the committee table hold them)."""
    if day is not None:
        for earlier in earlier_names:
            if day <= date.fromisoformat(earlier["until"]):
                return earlier["name"]
    return name


def names_of(committee: Committee) -> tuple[str, ...]:
    """Every name the committee is known by: its own, then the earlier ones."""
    return (committee.name, *(e["name"] for e in committee.earlier_names or ()))


def by_code(session: Session, code: str) -> Committee:
    wanted = code.strip().upper()
    committee = session.scalars(select(Committee).where(col(Committee.code) == wanted)).first()
    if committee is None:
        raise NotFoundError("committee", code, known=[c.code for c in every(session)])
    return committee


class CommitteeFacts(NamedTuple):
    """A committee as drafting an item reads it."""

    id: int
    code: str
    administration: str

    @property
    def row(self) -> CommitteeRow:
        return CommitteeRow(self.id, self.code)


_FACTS_BY_CODE = Prepared(
    select(col(Committee.id), col(Committee.code), col(Committee.administration)).where(
        col(Committee.code) == bindparam("code")
    )
)


def facts_by_code(uow: UnitOfWork, code: str) -> CommitteeFacts:
    """As :func:`by_code`, in one compiled select."""
    found = _FACTS_BY_CODE.first(uow.connection(), code=code.strip().upper())
    if found is None:
        by_code(uow.session, code)  # raises, naming the committees there are
    assert found is not None
    return CommitteeFacts._make(found)


class CommitteeLine(NamedTuple):
    """A committee as routing a referral reads it."""

    id: int
    code: str
    name: str
    administration: str
    recommends_to: str | None
    earlier_names: list[dict[str, str]] | None

    @property
    def names(self) -> tuple[str, ...]:
        """As :func:`names_of`: its own name, then the earlier ones."""
        return (self.name, *(e["name"] for e in self.earlier_names or ()))


_LINES = Prepared(select(*columns_of(Committee, CommitteeLine)).order_by(col(Committee.code)))


def lines(uow: UnitOfWork) -> list[CommitteeLine]:
    """Every committee, by code, in one compiled select."""
    return [CommitteeLine._make(found) for found in _LINES.rows(uow.connection())]


_MEMBERS = Prepared(
    select(col(Committee.id), col(Committee.members)).where(col(Committee.id) == bindparam("id"))
)


def members_of(uow: UnitOfWork, committee_id: int) -> int | None:
    """How many seats the committee has (None: not configured)."""
    found = _MEMBERS.first(uow.connection(), id=committee_id)
    if found is None:
        raise NotFoundError("committee", committee_id)
    members: int | None = found[1]
    return members


def by_id(session: Session, committee_id: int) -> Committee:
    committee = session.get(Committee, committee_id)
    if committee is None:
        raise NotFoundError("committee", committee_id)
    return committee


def every(session: Session) -> list[Committee]:
    """Every committee, by code."""
    return list(session.scalars(select(Committee).order_by(col(Committee.code))))


_ROW = Prepared(
    select(col(Committee.id), col(Committee.code)).where(col(Committee.id) == bindparam("id"))
)


def row(uow: UnitOfWork, committee_id: int) -> CommitteeRow:
    """The committee's id and code in one compiled select (a transition's guards)."""
    found = _ROW.first(uow.connection(), id=committee_id)
    if found is None:
        raise NotFoundError("committee", committee_id)
    return CommitteeRow._make(found)


def load(uow: UnitOfWork, *, code: str, values: CommitteeValues, actor: str, now: datetime) -> bool:
    """Add the committee or bring it up to ``values``, audited; False when it already was."""
    session = uow.session
    committee = session.scalars(select(Committee).where(col(Committee.code) == code)).first()
    if (
        committee is not None
        and CommitteeValues._make(getattr(committee, name) for name in CommitteeValues._fields)
        == values
    ):
        return False
    if committee is None:
        committee = Committee(code=code, **values._asdict())
    else:
        committee.sqlmodel_update(values._asdict())
    session.add(committee)
    session.flush()
    audit.record(
        uow,
        action="committee.loaded",
        actor=actor,
        now=now,
        data={"committee_id": committee.id, "code": code, **values._asdict()},
    )
    return True
