"""The secret address of a user's calendar of status deadlines.

A calendar program fetches a subscribed address without logging in, so the address itself
is the key: ``/kalender/frister/<secret>.ics``. The secret is 32 random bytes, shown to
the user once when it is made; only its SHA-256 is stored, so the database does not hold
a working address. Making a new one ends the old one; a disabled account's address no
longer works. Each new address is audited (``user.calendar_address``), without the secret.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from council.cases import accounts
from council.cases.dates import require_aware
from council.cases.db import UnitOfWork
from council.workflow.accounts import Viewer
from council.workflow.services.inputs import require_actor


def new_calendar_secret(uow: UnitOfWork, *, viewer: Viewer, now: datetime) -> str:
    """Make (or replace) the secret of ``viewer``'s deadline calendar; returns it."""
    actor, now = require_actor(viewer.actor), require_aware(now)
    secret = secrets.token_urlsafe(32)
    with uow:
        accounts.set_calendar_secret(
            uow, viewer.id, secret=secret, name=viewer.name, actor=actor, now=now
        )
        uow.commit()
    return secret
