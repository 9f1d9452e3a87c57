"""What auditors read besides the histories: the audit trail verified, and the outbox."""

from __future__ import annotations

from council.cases.attachment_files import AttachmentStore
from council.cases.audit_verify import VerifyReport, verify
from council.cases.db import Database
from council.cases.obligations import outbox as outbox_store
from council.cases.obligations.outbox import OutboxRow


def audit_check(database: Database, store: AttachmentStore | None) -> VerifyReport:
    """``council audit verify``: the whole trail walked, the records compared, and the
    attachments' files in ``store`` checked against their hashes."""
    with database.reading() as session:
        return verify(session, files=store.problem if store is not None else None)


def outbox(database: Database, *, status: str | None = None) -> list[OutboxRow]:
    """The reminders in the outbox (with ``status``: only those pending, sent or failed)."""
    with database.reading() as session:
        return outbox_store.listing(session, status=status)
