"""The secret address of a user's calendar of status deadlines.

A calendar program fetches a subscribed address without logging in, so the address itself
is the key: ``/kalender/frister/<secret>.ics``. The secret is 32 random bytes, shown to
the user once when it is made; only its SHA-256 is stored, so the database does not hold
a working address. Making a new one ends the old one; a disabled account's address no
longer works. Each new address is audited (``user.calendar_address``), without the secret.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from council.cases import accounts as store
from council.cases import audit
from council.cases.dates import require_aware
from council.cases.db import Database, UnitOfWork
from council.workflow.accounts import Viewer
from council.workflow.services import require_actor


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_calendar_secret(uow: UnitOfWork, *, viewer: Viewer, now: datetime) -> str:
    """Make (or replace) the secret of ``viewer``'s deadline calendar; returns it."""
    actor, now = require_actor(viewer.actor), require_aware(now)
    secret = secrets.token_urlsafe(32)
    with uow:
        session = uow.session
        store.set_calendar_token(session, viewer.id, _hash(secret))
        audit.append(
            session,
            audit.next_link(session),
            action="user.calendar_address",
            actor=actor,
            now=now,
            data={"user_id": viewer.id, "name": viewer.name},
        )
        uow.commit()
    return secret


def calendar_owner(database: Database, secret: str) -> store.UserAccount | None:
    """The enabled account whose calendar address holds ``secret``; ``None`` for any other
    text (the same answer for a wrong, an old and a malformed secret)."""
    if not secret or len(secret) > 100 or not secret.isascii():
        return None
    with database.reading() as session:
        return store.account_by_calendar_token(session, _hash(secret))


def has_address(database: Database, account_id: int) -> bool:
    """Whether the account has a calendar address (its secret is not known any more)."""
    with database.reading() as session:
        account = session.get(store.UserAccount, account_id)
        return account is not None and account.calendar_token_hash is not None
