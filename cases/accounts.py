"""User accounts of the web application: who may log in, with which role and committees.

The table holds the Argon2 hash of each password (never the password), whether the account
is disabled, a ``session_epoch`` that every signed session cookie carries (changing the
password or disabling the account moves it on, which ends every session made before), and
the count of failed logins with the moment until which further attempts are refused, and
the SHA-256 of the secret in the address of the user's calendar of deadlines (the secret
itself is shown once, when it is made, and never stored).

Which roles exist and what they may do is decided in ``workflow``; this layer stores them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import NamedTuple

from sqlalchemy import Column, Connection, Text, UniqueConstraint, bindparam, select, update
from sqlmodel import Field, Session, SQLModel, col

from council.cases import audit
from council.cases.db import UnitOfWork
from council.cases.errors import AlreadyExistsError
from council.cases.prepared import Prepared
from council.cases.types import JSON_DOCUMENT, UTCDateTime


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        UniqueConstraint("calendar_token_hash", name="uq_user_account_calendar_token_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    role: str = Field(max_length=20)
    committees: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_DOCUMENT, nullable=False)
    )
    password_hash: str = Field(sa_column=Column(Text, nullable=False))
    disabled: bool = False
    session_epoch: int = Field(default=1, description="+1 ends every earlier session")
    failed_logins: int = 0
    throttled_until: dt.datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    created_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    calendar_token_hash: str | None = Field(
        default=None,
        max_length=64,
        description="SHA-256 of the secret in the user's deadline calendar address; None: none",
    )


class AccountRow(NamedTuple):
    """What a request needs to know about the account its session names."""

    id: int
    name: str
    role: str
    committees: tuple[str, ...]
    disabled: bool
    session_epoch: int


_BY_ID = Prepared(
    select(
        col(UserAccount.id),
        col(UserAccount.name),
        col(UserAccount.role),
        col(UserAccount.committees),
        col(UserAccount.disabled),
        col(UserAccount.session_epoch),
    ).where(col(UserAccount.id) == bindparam("id"))
)


def account_row(connection: Connection, account_id: int) -> AccountRow | None:
    """The account behind a session, on a bare connection (one compiled select)."""
    row = _BY_ID.first(connection, id=account_id)
    if row is None:
        return None
    account_id, name, role, committees, disabled, epoch = row
    return AccountRow(account_id, name, role, tuple(committees or ()), bool(disabled), epoch)


def account_by_name(session: Session, name: str) -> UserAccount | None:
    return session.scalars(select(UserAccount).where(col(UserAccount.name) == name)).first()


def all_accounts(session: Session) -> list[UserAccount]:
    return list(session.scalars(select(UserAccount).order_by(col(UserAccount.name))))


def count_login_failure(session: Session, account_id: int) -> int:
    """One more failed login in a row (counted in the database, so concurrent attempts all
    count); returns the new count."""
    session.connection().execute(
        update(UserAccount)
        .where(col(UserAccount.id) == account_id)
        .values(failed_logins=col(UserAccount.failed_logins) + 1)
    )
    count = session.scalar(
        select(col(UserAccount.failed_logins)).where(col(UserAccount.id) == account_id)
    )
    return int(count or 0)


def throttle_login(session: Session, account_id: int, *, until: dt.datetime) -> None:
    session.connection().execute(
        update(UserAccount).where(col(UserAccount.id) == account_id).values(throttled_until=until)
    )


def record_login_success(
    session: Session, account_id: int, *, password_hash: str | None = None
) -> None:
    """Failures forgotten; ``password_hash``, when given, replaces the stored one (a rehash
    with stronger parameters)."""
    values: dict[str, object] = {"failed_logins": 0, "throttled_until": None}
    if password_hash is not None:
        values["password_hash"] = password_hash
    session.connection().execute(
        update(UserAccount).where(col(UserAccount.id) == account_id).values(**values)
    )


def add(
    uow: UnitOfWork,
    *,
    name: str,
    role: str,
    committees: tuple[str, ...],
    password_hash: str,
    actor: str,
    now: dt.datetime,
) -> UserAccount:
    """A new account, audited with its name, role and committees (never the hash)."""
    session = uow.session
    if account_by_name(session, name) is not None:
        raise AlreadyExistsError("user", name)
    account = UserAccount(
        name=name,
        role=role,
        committees=list(committees),
        password_hash=password_hash,
        created_at=now,
    )
    session.add(account)
    session.flush()
    audit.record(
        uow,
        action="user.added",
        actor=actor,
        now=now,
        data={"user_id": account.id, "name": name, "role": role, "committees": list(committees)},
    )
    return account


def set_password(
    uow: UnitOfWork, account: UserAccount, *, password_hash: str, actor: str, now: dt.datetime
) -> None:
    """A new password hash; every session made before ends, the login throttle is reset."""
    account.password_hash = password_hash
    account.session_epoch += 1
    account.failed_logins = 0
    account.throttled_until = None
    _audited(uow, account, "user.password_changed", actor=actor, now=now)


def disable(uow: UnitOfWork, account: UserAccount, *, actor: str, now: dt.datetime) -> None:
    """The account can no longer log in, and every session made before ends."""
    account.disabled = True
    account.session_epoch += 1
    _audited(uow, account, "user.disabled", actor=actor, now=now)


def _audited(
    uow: UnitOfWork, account: UserAccount, action: str, *, actor: str, now: dt.datetime
) -> None:
    uow.session.add(account)
    uow.session.flush()
    audit.record(
        uow,
        action=action,
        actor=actor,
        now=now,
        data={
            "user_id": account.id,
            "name": account.name,
            "disabled": account.disabled,
            "session_epoch": account.session_epoch,
        },
    )


def calendar_secret_hash(secret: str) -> str:
    """What is stored of a calendar address's secret: its SHA-256, never the secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def set_calendar_secret(
    uow: UnitOfWork, account_id: int, *, secret: str, name: str, actor: str, now: dt.datetime
) -> None:
    """Store the hash of a new calendar secret (the old address stops working), audited
    as ``user.calendar_address`` without the secret."""
    uow.session.connection().execute(
        update(UserAccount)
        .where(col(UserAccount.id) == account_id)
        .values(calendar_token_hash=calendar_secret_hash(secret))
    )
    audit.record(
        uow,
        action="user.calendar_address",
        actor=actor,
        now=now,
        data={"user_id": account_id, "name": name},
    )


def account_by_calendar_secret(session: Session, secret: str) -> UserAccount | None:
    """The enabled account whose calendar address holds ``secret``."""
    return session.scalars(
        select(UserAccount).where(
            col(UserAccount.calendar_token_hash) == calendar_secret_hash(secret),
            col(UserAccount.disabled).is_(False),
        )
    ).first()


def has_calendar_address(session: Session, account_id: int) -> bool:
    """Whether the account has a calendar address (its secret is not known any more)."""
    token_hash = session.scalar(
        select(col(UserAccount.calendar_token_hash)).where(col(UserAccount.id) == account_id)
    )
    return token_hash is not None
