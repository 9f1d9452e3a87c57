"""Signed checkpoints of the audit trail: making the key, signing, checking, and the line
every published minutes document carries.

A hash chain inside the database proves only that it is consistent with itself: whoever can
write the database can rewrite it with recomputed hashes, cut it short and move its head
back, or wipe it and start again. A checkpoint (entry count, head hash, time, the database's
id) signed with an Ed25519 key kept off the database, in an append-only, hash-linked log
kept outside it, is what such a trail no longer extends (see ``cases.checkpoint_log`` and
``cases.audit_anchors``). The minutes carry the latest checkpoint, so every published
document anchors the chain too.

Where the files are: ``COUNCIL_AUDIT_KEY``, ``COUNCIL_AUDIT_PUBLIC_KEY`` (default: the key's
``.pub``) and ``COUNCIL_CHECKPOINT_LOG``; unset, beside an SQLite database (``council.db`` ->
``council.audit-key``, ``council.audit-key.pub``, ``council.checkpoints``) or, for another
database, in the config folder.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from council.cases.audit import GENESIS_HASH
from council.cases.audit_anchors import (
    AnchoredCheck,
    first_not_held,
    trail_head,
    verify_anchored,
)
from council.cases.audit_keys import (
    generate_key_pair,
    load_signing_key,
    load_verifying_key,
    public_key_path,
)
from council.cases.audit_verify import WalkStart, verify
from council.cases.checkpoint_log import (
    Checkpoint,
    LogCheck,
    appending,
    check_log,
    read_log,
    signature_problem,
    signed,
)
from council.cases.dates import require_aware
from council.cases.db import Database, sqlite_path
from council.cases.errors import (
    AuditIntegrityError,
    AuditKeyError,
    CheckpointLogError,
    InvalidInputError,
)
from council.notifications.documents import TrailAnchor
from council.workflow.app import App

if TYPE_CHECKING:  # the scheduler loads only for council serve
    from council.notifications.scheduler import PeriodicJob

log = logging.getLogger(__name__)
TrailCheck = AnchoredCheck  # what check_trail returns
JOB_ID = "council-audit-checkpoint"  # the job of council serve
LOOK_EVERY_MINUTES = 60.0
KEY_SUFFIX = ".audit-key"
LOG_SUFFIX = ".checkpoints"
MIN_HEAD_DIGITS = 16
_HEX = re.compile(r"[0-9a-f]+")


# ------------------------------------------------------------------------------ the files


@dataclass(frozen=True)
class AuditFiles:
    """Where the key pair and the checkpoint log are; None where nothing says."""

    key: Path | None
    public_key: Path | None
    log: Path | None

    def require_key(self) -> Path:
        if self.key is None:
            raise AuditKeyError(_NO_PLACE.format(what="audit key", setting="COUNCIL_AUDIT_KEY"))
        return self.key

    def require_public_key(self) -> Path:
        if self.public_key is None:
            raise AuditKeyError(
                _NO_PLACE.format(what="public audit key", setting="COUNCIL_AUDIT_PUBLIC_KEY")
            )
        return self.public_key

    def require_log(self) -> Path:
        if self.log is None:
            raise CheckpointLogError(
                _NO_PLACE.format(what="checkpoint log", setting="COUNCIL_CHECKPOINT_LOG")
            )
        return self.log


_NO_PLACE = (
    "no place for the {what}: the database is no SQLite file and no config folder is in "
    "use; set {setting}"
)


def audit_files(app: App) -> AuditFiles:
    """The key, public key and log of this installation (see the module's docstring)."""
    settings = app.settings
    folder_and_stem = _default_place(app)
    key = settings.audit_key
    if key is None and folder_and_stem is not None:
        folder, stem = folder_and_stem
        key = folder / f"{stem}{KEY_SUFFIX}"
    public = settings.audit_public_key or (public_key_path(key) if key is not None else None)
    checkpoint_log = settings.checkpoint_log
    if checkpoint_log is None and folder_and_stem is not None:
        folder, stem = folder_and_stem
        checkpoint_log = folder / f"{stem}{LOG_SUFFIX}"
    return AuditFiles(_expanded(key), _expanded(public), _expanded(checkpoint_log))


def _default_place(app: App) -> tuple[Path, str] | None:
    database = sqlite_path(app.settings.database_url)
    if database is not None:
        return database.parent, database.stem
    config_folder = app.settings.source_of("config_dir").value
    return (Path(config_folder), "council") if config_folder else None


def _expanded(path: Path | None) -> Path | None:
    return path.expanduser() if path is not None else None


# ------------------------------------------------------------------------------ the key


@dataclass(frozen=True)
class KeyMade:
    private: Path
    public: Path
    key_id: str


def make_key(app: App, *, key: Path | None = None) -> KeyMade:
    """A new key pair at ``key`` (its public key as ``<key>.pub``) or where the settings
    say; never over an existing file."""
    if key is not None:
        private, public = key.expanduser(), public_key_path(key.expanduser())
    else:
        files = audit_files(app)
        private, public = files.require_key(), files.require_public_key()
    made = generate_key_pair(private, public)
    return KeyMade(private, public, made.key_id)


# ------------------------------------------------------------------------------ signing


def write_checkpoint(app: App, *, now: datetime) -> Checkpoint:
    """Sign where the trail stands now and append it to the log.

    Nothing is signed that does not verify: the trail is walked from this database's last
    checkpoint in the log (from the first entry when there is none), and the log itself
    must verify with the key, so each checkpoint extends the one before it.
    """
    require_aware(now)
    files = audit_files(app)
    key = load_signing_key(files.require_key())
    app.initialised_database()
    path = files.require_log()
    with appending(path) as appender:
        check = check_log(appender.lines, key.public)
        if check.problem is not None:
            raise CheckpointLogError(
                f"the checkpoint log {path} does not verify, so nothing is added to it: "
                f"{check.problem}; keep it as evidence and start a new log "
                "(COUNCIL_CHECKPOINT_LOG)"
            )
        with app.database.snapshot() as session:
            head = trail_head(session)
            others = [c for c in check.checkpoints if c.database != head.database_id]
            if others:
                raise CheckpointLogError(
                    f"the checkpoint log {path} holds checkpoints of another database "
                    f"({others[0].database}); give this database a log of its own "
                    "(COUNCIL_CHECKPOINT_LOG)"
                )
            start = WalkStart(0, GENESIS_HASH)
            if check.checkpoints:
                last = check.checkpoints[-1]
                broken = first_not_held(session, [last], head)
                if broken is not None:
                    raise AuditIntegrityError(f"nothing was signed: {broken[1]}")
                start = WalkStart(last.entries, last.head)
            report = verify(session, start=start)
        if not report.ok:
            raise AuditIntegrityError(
                f"nothing was signed: the audit trail does not verify: {report.problem}"
            )
        checkpoint = signed(
            key,
            number=appender.next_number,
            prev=appender.next_prev,
            database=head.database_id,
            entries=report.entries,
            head=report.head_hash,
            at=now,
        )
        appender.append(checkpoint)
    return checkpoint


def checkpoint_if_due(app: App, *, now: datetime, every: timedelta) -> Checkpoint | None:
    """A checkpoint when the log's last is ``every`` old by ``now`` (or there is none, or
    it lies after ``now``: a clock set back); else None."""
    path = audit_files(app).require_log()
    if path.exists():
        lines = read_log(path)
        if lines:
            last = lines[-1].checkpoint.at
            if last <= now < last + every:
                return None
    return write_checkpoint(app, now=now)


class CheckpointJob:
    """``council serve``'s checkpoint job: a checkpoint whenever the last is ``every`` old
    by the service's ``clock``. Without a key it signs nothing and says so once."""

    def __init__(self, app: App, *, clock: Callable[[], datetime], every: timedelta) -> None:
        self.app = app
        self.clock = clock
        self.every = every
        self.warned = False

    def __call__(self) -> Checkpoint | None:
        key = audit_files(self.app).key
        if key is None or not key.exists():
            if not self.warned:
                self.warned = True
                log.warning(
                    "no audit key at %s: the service signs no checkpoints of the audit trail "
                    "(make one with 'council audit keygen')",
                    key if key is not None else "(none configured: set COUNCIL_AUDIT_KEY)",
                )
            return None
        made = checkpoint_if_due(self.app, now=self.clock(), every=self.every)
        if made is not None:
            log.info(
                "checkpoint %d signed: entry %d, head %s (key %s)",
                made.number,
                made.entries,
                made.head,
                made.key,
            )
        return made


def scheduled_checkpoints(
    app: App, *, clock: Callable[[], datetime], every_hours: float
) -> PeriodicJob:
    """The job ``council serve`` runs beside the sweep, under :data:`JOB_ID`: it looks
    hourly (or at each interval, when shorter) whether a checkpoint is due."""
    from council.notifications.scheduler import PeriodicJob

    every = timedelta(hours=every_hours)
    job = CheckpointJob(app, clock=clock, every=every)
    return PeriodicJob(JOB_ID, "audit checkpoint", job, min(LOOK_EVERY_MINUTES, every_hours * 60))


# ------------------------------------------------------------------------------ checking


def head_prefix(text: str) -> str:
    """A head written down: at least 16 hex digits of it (any case, '…' or spaces around)."""
    prefix = text.strip().rstrip("…").strip().lower()
    if not (MIN_HEAD_DIGITS <= len(prefix) <= len(GENESIS_HASH) and _HEX.fullmatch(prefix)):
        raise InvalidInputError(
            f"--head '{text[:80]}' is not a head hash: give at least {MIN_HEAD_DIGITS} of its "
            "hex digits, as 'audit verify' prints it or the minutes carry it"
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
            "--head is checked by the full walk: leave out --since-checkpoint to use it"
        )
    files = audit_files(app)
    path = checkpoints.expanduser() if checkpoints is not None else files.log
    if checkpoints is None and (path is None or not path.exists()):
        path = None
    if path is None and since_checkpoint:
        raise CheckpointLogError(
            "no checkpoint log to start from (COUNCIL_CHECKPOINT_LOG, or --checkpoints FILE); "
            "run the full 'council audit verify', or sign one with 'council audit checkpoint'"
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
        )


# ------------------------------------------------------------------------------ the minutes


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
                log.warning("the checkpoint log %s: %s", files.log, links.problem)
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
            "the minutes show the audit trail's head unsigned: %s; run 'council audit verify'",
            problem,
        )
        return unsigned
    return TrailAnchor(chosen.entries, chosen.head, chosen.at)
