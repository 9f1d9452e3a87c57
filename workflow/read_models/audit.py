"""What auditors read besides the histories: the audit trail verified, and the outbox."""

from __future__ import annotations

from council.cases.audit_verify import VerifyReport, verify
from council.cases.db import Database
from council.cases.obligations import outbox as outbox_store
from council.cases.obligations.outbox import OutboxRow


def audit_check(database: Database) -> VerifyReport:
    """``council audit verify``: the whole trail walked, the records compared."""
    with database.reading() as session:
        return verify(session)


def outbox(database: Database, *, status: str | None = None) -> list[OutboxRow]:
    """The reminders in the outbox (with ``status``: only those pending, sent or failed)."""
    with database.reading() as session:
        return outbox_store.listing(session, status=status)
