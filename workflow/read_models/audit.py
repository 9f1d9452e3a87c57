"""What auditors read besides the histories: the audit trail verified (against itself, its
records and the signed checkpoints outside the database), the line that anchors it on the
minutes, and the outbox."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from council.cases.attachment_files import AttachmentStore
from council.cases.attachment_verify import FileCheck
from council.cases.audit import GENESIS_HASH
from council.cases.audit_anchors import (
    AnchoredCheck,
    first_not_held,
    trail_head,
    verify_anchored,
)
from council.cases.audit_keys import load_verifying_key
from council.cases.audit_verify import VerifyReport, verify
from council.cases.checkpoint_log import LogCheck, check_log, read_log, signature_problem
from council.cases.db import Database
from council.cases.errors import AuditKeyError, CheckpointLogError, InvalidInputError
from council.cases.obligations import outbox as outbox_store
from council.cases.obligations.outbox import OutboxRow
from council.notifications.document_models import TrailAnchor
from council.workflow.app import App
from council.workflow.audit_files import AuditFiles, audit_files

log = logging.getLogger(__name__)
TrailCheck = AnchoredCheck  # what check_trail returns
MIN_HEAD_DIGITS = 16
_HEX = re.compile(r"[0-9a-f]+")


def audit_check(database: Database, store: AttachmentStore | None) -> VerifyReport:
    """``council audit verify``: the whole trail walked, the records compared, and the
    attachments' files in ``store`` checked against their hashes."""
    with database.reading() as session:
        return verify(session, files=_file_check(store))


def _file_check(store: AttachmentStore | None) -> FileCheck | None:
    return store.problem if store is not None else None


def outbox(database: Database, *, status: str | None = None) -> list[OutboxRow]:
    """The reminders in the outbox (with ``status``: only those pending, sent or failed)."""
    with database.reading() as session:
        return outbox_store.listing(session, status=status)


def head_prefix(text: str) -> str:
    """A head written down: at least 16 hex digits of it (any case, '…' or spaces around)."""
    prefix = text.strip().rstrip("…").strip().lower()
    if not (MIN_HEAD_DIGITS <= len(prefix) <= len(GENESIS_HASH) and _HEX.fullmatch(prefix)):
        raise InvalidInputError(
            f"--head '{text[:80]}' er ikke en hoved-hash: angiv mindst {MIN_HEAD_DIGITS} af dens "
            "hex-cifre, som 'audit verify' skriver den, eller protokollen bærer den"
        )
    return prefix


def check_trail(
    app: App,
    *,
    checkpoints: Path | None = None,
    head: str | None = None,
    since_checkpoint: bool = False,
) -> TrailCheck:
    """Verify the trail against itself, its records and what was written down outside it.

    ``checkpoints`` is the log to check (default: the configured one, when it exists);
    ``head`` a head hash (or its first 16+ hex digits) someone noted; ``since_checkpoint``
    walks only the entries after the last checkpoint instead of the whole trail, and then
    compares no records (see ``cases.audit_verify.WalkStart``).
    """
    prefix = head_prefix(head) if head is not None else None
    if prefix is not None and since_checkpoint:
        raise InvalidInputError(
            "--head kontrolleres ved den fulde gennemgang: udelad --since-checkpoint for at "
            "bruge det"
        )
    files = audit_files(app)
    path = checkpoints.expanduser() if checkpoints is not None else files.log
    if checkpoints is None and (path is None or not path.exists()):
        path = None
    if path is None and since_checkpoint:
        raise CheckpointLogError(
            "ingen log over kontrolpunkter at begynde fra (COUNCIL_CHECKPOINT_LOG eller "
            "--checkpoints FIL); kør den fulde 'council audit verify', eller underskriv et med "
            "'council audit checkpoint'"
        )
    log_check, key_id = LogCheck([]), None
    if path is not None:
        lines = read_log(path)
        key = load_verifying_key(files.require_public_key())
        log_check, key_id = check_log(lines, key), key.key_id
    database = app.initialised_database()
    with database.snapshot() as session:
        return verify_anchored(
            session,
            log_check,
            log=path,
            key_id=key_id,
            head_prefix=prefix,
            since_checkpoint=since_checkpoint,
            files=_file_check(app.attachment_store_if_any()),
        )


def trail_anchor(database: Database, files: AuditFiles) -> TrailAnchor:
    """The line minutes carry: the latest checkpoint of this database that the trail has
    reached (its entry count at most the head's), signed by the public key and still held
    by the trail; else the trail's head, unsigned.

    Rendering never fails for the log: a log or key that cannot be used is logged as a
    warning and the head is shown unsigned.
    """
    with database.snapshot() as session:
        head = trail_head(session)
        unsigned = TrailAnchor(head.entries, head.hash)
        if files.log is None or not files.log.exists():
            return unsigned
        try:
            links = check_log(read_log(files.log), key=None)  # signatures: the chosen one's
            if links.problem is not None:
                log.warning("loggen over kontrolpunkter %s: %s", files.log, links.problem)
            reached = [
                c
                for c in links.checkpoints
                if c.database == head.database_id and c.entries <= head.entries
            ]
            if not reached:
                return unsigned
            chosen = reached[-1]
            problem = signature_problem(chosen, load_verifying_key(files.require_public_key()))
            if problem is None:
                broken = first_not_held(session, [chosen], head)
                problem = broken[1] if broken is not None else None
        except (CheckpointLogError, AuditKeyError) as exc:
            problem = str(exc)
    if problem is not None:
        log.warning(
            "protokollen viser revisionssporets hoved usigneret: %s; kør 'council audit verify'",
            problem,
        )
        return unsigned
    return TrailAnchor(chosen.entries, chosen.head, chosen.at)
