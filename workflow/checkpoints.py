"""Signed checkpoints of the audit trail: making the key, signing, and ``council serve``'s
daily checkpoint.

A hash chain inside the database proves only that it is consistent with itself: whoever can
write the database can rewrite it with recomputed hashes, cut it short and move its head
back, or wipe it and start again. A checkpoint (entry count, head hash, time, the database's
id) signed with an Ed25519 key kept off the database, in an append-only, hash-linked log
kept outside it (:mod:`council.workflow.audit_files` says where), is what such a trail no
longer extends (see ``cases.checkpoint_log`` and ``cases.audit_anchors``). Checking the
trail against them, and the line every published minutes document carries, are read models
(:mod:`council.workflow.read_models.audit`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from council.cases.audit_anchors import walk_after_last
from council.cases.audit_keys import generate_key_pair, load_signing_key, public_key_path
from council.cases.checkpoint_log import Checkpoint, appending, check_log, read_log, signed
from council.cases.dates import require_aware
from council.cases.errors import AuditIntegrityError, CheckpointLogError
from council.workflow.app import App
from council.workflow.audit_files import audit_files

if TYPE_CHECKING:  # the scheduler loads only for council serve
    from council.notifications.scheduler import PeriodicJob

log = logging.getLogger(__name__)
JOB_ID = "council-audit-checkpoint"  # the job of council serve
LOOK_EVERY_MINUTES = 60.0


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
                f"kontrolpunkt-loggen {path} holder ikke, så intet tilføjes til den: "
                f"{check.problem}; gem den som bevis, og begynd en ny log "
                "(COUNCIL_CHECKPOINT_LOG)"
            )
        with app.database.snapshot() as session:
            head, report = walk_after_last(session, check.checkpoints, log=path)
        if not report.ok:
            raise AuditIntegrityError(
                f"intet blev signeret: revisionssporet holder ikke: {report.problem}"
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
                    "ingen revisionsnøgle i %s: tjenesten signerer ingen kontrolpunkter af "
                    "revisionssporet (lav en med 'council audit keygen')",
                    key if key is not None else "(ingen angivet: sæt COUNCIL_AUDIT_KEY)",
                )
            return None
        made = checkpoint_if_due(self.app, now=self.clock(), every=self.every)
        if made is not None:
            log.info(
                "kontrolpunkt %d signeret: post %d, hoved %s (nøgle %s)",
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
    return PeriodicJob(JOB_ID, "kontrolpunktet", job, min(LOOK_EVERY_MINUTES, every_hours * 60))
