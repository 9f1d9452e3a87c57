"""Accounts of the web application: adding users, passwords, logging in, and who may do what.

Passwords are hashed with Argon2 (argon2-cffi's defaults, RFC 9106's second recommended
parameter set); a hash made with weaker parameters is replaced by a fresh one at the next
successful login. Five failed logins in a row make the account refuse further attempts for
30 seconds, doubling with every further failure up to 15 minutes; the right password does
not get through while the account waits. Unknown names cost the same hashing as known ones.

Adding a user, changing a password and disabling an account are audited like every other
change (the name, role and committees; never the hash).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from council.cases import accounts as store
from council.cases import committees as committee_store
from council.cases.dates import require_aware
from council.cases.db import Database, UnitOfWork
from council.cases.errors import InvalidInputError, NotFoundError
from council.config.roles import ADMIN, AUDITOR, ROLE_LABELS, ROLES, SECRETARIAT
from council.workflow.errors import LoginRefused, LoginThrottled
from council.workflow.services import require_actor

MIN_PASSWORD_LENGTH = 10
FAILURES_BEFORE_THROTTLE = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,99}$")
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Viewer:
    """A logged-in user as a request sees it."""

    id: int
    name: str
    role: str
    committees: frozenset[str]
    epoch: int

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def changes_things(self) -> bool:
        """The secretariat and administrators act; auditors only read."""
        return self.role in (SECRETARIAT, ADMIN)

    @property
    def audits(self) -> bool:
        """Auditors and administrators read the audit, the downloads and the outbox."""
        return self.role in (AUDITOR, ADMIN)

    def acts_on(self, committee_code: str) -> bool:
        """A secretariat user acts only on its own committees' items and meetings."""
        if self.role == ADMIN:
            return True
        return self.role == SECRETARIAT and committee_code in self.committees

    @property
    def actor(self) -> str:
        """The name the audit trail records for what this user does (as the CLI's --actor)."""
        return self.name


def normalise_name(name: str) -> str:
    value = name.strip().lower()
    if not _NAME.match(value):
        raise InvalidInputError(
            f"'{name}' kan ikke være et brugernavn; brug bogstaver, cifre og . _ @ - (ingen "
            "mellemrum), fx anne.jensen"
        )
    return value


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            f"en adgangskode skal have mindst {MIN_PASSWORD_LENGTH} tegn; "
            "nogle tilfældige ord giver en god en"
        )
    return password


def new_password() -> str:
    """A random password for an account made by a program (the demo), 16 characters."""
    return secrets.token_urlsafe(12)


def add_user(
    uow: UnitOfWork,
    *,
    name: str,
    role: str,
    committees: tuple[str, ...] = (),
    password: str,
    actor: str,
    now: datetime,
) -> store.UserAccount:
    actor, now = require_actor(actor), require_aware(now)
    name = normalise_name(name)
    if role not in ROLES:
        raise InvalidInputError(f"rollen '{role}' er ukendt; brug en af {', '.join(ROLES)}")
    codes = tuple(dict.fromkeys(code.strip().upper() for code in committees if code.strip()))
    if role == SECRETARIAT and not codes:
        raise InvalidInputError(
            "en sekretariat-bruger handler for et eller flere udvalg: angiv --committee KODE"
        )
    if role != SECRETARIAT and codes:
        raise InvalidInputError(
            f"en {role} ser alle udvalg; --committee er kun for sekretariat-brugere"
        )
    hashed = _HASHER.hash(_check_password(password))
    with uow:
        for code in codes:
            committee_store.by_code(uow.session, code)
        account = store.add(
            uow,
            name=name,
            role=role,
            committees=codes,
            password_hash=hashed,
            actor=actor,
            now=now,
        )
        uow.commit()
    return account


def change_password(
    uow: UnitOfWork, *, name: str, password: str, actor: str, now: datetime
) -> store.UserAccount:
    """A new password; every session made with the old one ends, the throttle is reset."""
    actor, now = require_actor(actor), require_aware(now)
    hashed = _HASHER.hash(_check_password(password))
    with uow:
        account = _account(uow, name)
        store.set_password(uow, account, password_hash=hashed, actor=actor, now=now)
        uow.commit()
    return account


def disable_user(uow: UnitOfWork, *, name: str, actor: str, now: datetime) -> store.UserAccount:
    """The account can no longer log in, and its open sessions end."""
    actor, now = require_actor(actor), require_aware(now)
    with uow:
        account = _account(uow, name)
        if account.disabled:
            raise InvalidInputError(f"brugeren {account.name} er allerede deaktiveret")
        store.disable(uow, account, actor=actor, now=now)
        uow.commit()
    return account


def list_users(database: Database) -> list[store.UserAccount]:
    with database.reading() as session:
        return store.all_accounts(session)


def _account(uow: UnitOfWork, name: str) -> store.UserAccount:
    account = store.account_by_name(uow.session, normalise_name(name))
    if account is None:
        raise NotFoundError("user", name)
    return account


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return _HASHER.hash(secrets.token_hex(16))


def authenticate(database: Database, *, name: str, password: str, now: datetime) -> Viewer:
    """The account's viewer if the password is right and the account may log in now.

    The hash is checked outside any transaction (it takes tens of milliseconds on purpose);
    the failure count and the stronger rehash are written in short transactions after it.
    """
    now = require_aware(now)
    refused = LoginRefused("wrong user name or password")
    try:
        wanted = normalise_name(name)
    except InvalidInputError:
        _verify(_decoy_hash(), password)
        raise refused from None
    with database.reading() as session:
        account = store.account_by_name(session, wanted)
    if account is None:
        _verify(_decoy_hash(), password)
        raise refused
    assert account.id is not None
    if account.throttled_until is not None and account.throttled_until > now:
        raise LoginThrottled(
            "for mange mislykkede logins; vent, og prøv så igen", until=account.throttled_until
        )
    if not _verify(account.password_hash, password):
        until = _record_failure(database, account.id, now)
        if until is not None:
            raise LoginThrottled("for mange mislykkede logins; vent, og prøv så igen", until=until)
        raise refused
    if account.disabled:
        raise refused
    if account.failed_logins or _HASHER.check_needs_rehash(account.password_hash):
        rehashed = None
        if _HASHER.check_needs_rehash(account.password_hash):
            rehashed = _HASHER.hash(password)
        uow = database.unit_of_work()
        with uow:
            store.record_login_success(uow.session, account.id, password_hash=rehashed)
            uow.commit()
    return Viewer(
        account.id, account.name, account.role, frozenset(account.committees), account.session_epoch
    )


def _record_failure(database: Database, account_id: int, now: datetime) -> datetime | None:
    """One more failure in a row; returns until when the account now waits, if it does."""
    uow = database.unit_of_work()
    with uow:
        failures = store.count_login_failure(uow.session, account_id)
        until = _throttle(failures, now)
        if until is not None:
            store.throttle_login(uow.session, account_id, until=until)
        uow.commit()
    return until


def _verify(hashed: str, password: str) -> bool:
    try:
        return bool(_HASHER.verify(hashed, password))
    except (VerifyMismatchError, InvalidHashError, VerificationError):
        return False


def _throttle(failures: int, now: datetime) -> datetime | None:
    if failures < FAILURES_BEFORE_THROTTLE:
        return None
    wait: timedelta = FIRST_WAIT * 2 ** (failures - FAILURES_BEFORE_THROTTLE)
    return now + min(wait, LONGEST_WAIT)


def viewer(database: Database, account_id: int, epoch: int) -> Viewer | None:
    """The user a session names, or None when the account is gone, disabled or the session
    is older than its last password change."""
    with database.unit_of_work(write=False) as uow:
        row = store.account_row(uow.connection(), account_id)
    if row is None or row.disabled or row.session_epoch != epoch:
        return None
    return Viewer(row.id, row.name, row.role, frozenset(row.committees), row.session_epoch)


__all__ = ["ADMIN", "AUDITOR", "SECRETARIAT", "Viewer"]
