"""Whether the audit trail still extends what was written down about it outside the database.

A checkpoint (``cases.checkpoint_log``) or a head someone noted says: this database's trail
had N entries, the last with hash H. The trail still extends it when its entry N has hash H
and the chain verifies from there: a trail rewritten with recomputed hashes, cut short with
its head moved back, or wiped and started again is internally consistent, and only this
comparison catches it. The entries are looked up by ``seq`` (a few point reads); whether the
chain verifies is ``cases.audit_verify``'s walk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from council.cases.attachment_verify import FileCheck
from council.cases.audit import GENESIS_HASH, chain_hash
from council.cases.audit_verify import VerifyReport, WalkStart, verify
from council.cases.checkpoint_log import Checkpoint, LogCheck
from council.cases.errors import AuditIntegrityError, CheckpointLogError
from council.cases.models import AuditEntry, AuditHead

LOOKUP_BATCH = 500


@dataclass(frozen=True)
class TrailHead:
    """The database's identity and where its trail ends, as its head row says."""

    database_id: str
    entries: int
    hash: str


def trail_head(session: Session) -> TrailHead:
    database_id, seq, digest = session.execute(
        select(col(AuditHead.database_id), col(AuditHead.seq), col(AuditHead.hash)).where(
            col(AuditHead.id) == 1
        )
    ).one()
    return TrailHead(database_id, seq, digest)


@dataclass(frozen=True)
class _Stored:
    prev_hash: str
    body: str
    hash: str


def _stored(session: Session, seqs: Iterable[int]) -> dict[int, _Stored]:
    wanted = sorted({seq for seq in seqs if seq > 0})
    found: dict[int, _Stored] = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        batch = wanted[start : start + LOOKUP_BATCH]
        rows = session.execute(
            select(
                col(AuditEntry.seq),
                col(AuditEntry.prev_hash),
                col(AuditEntry.body),
                col(AuditEntry.hash),
            ).where(col(AuditEntry.seq).in_(batch))
        )
        for seq, prev_hash, body, digest in rows:
            found[seq] = _Stored(prev_hash, body, digest)
    return found


def first_not_held(
    session: Session, checkpoints: Sequence[Checkpoint], head: TrailHead
) -> tuple[Checkpoint, str] | None:
    """The first of ``checkpoints`` the trail no longer extends, with why; None when the
    trail extends them all (each entry as signed, the chain from it is the walk's part)."""
    stored = _stored(session, (c.entries for c in checkpoints if c.database == head.database_id))
    for checkpoint in checkpoints:
        problem = _why_not_held(checkpoint, head, stored.get(checkpoint.entries))
        if problem is not None:
            return checkpoint, f"{checkpoint.describe()} holder ikke længere: {problem}"
    return None


def _why_not_held(checkpoint: Checkpoint, head: TrailHead, row: _Stored | None) -> str | None:
    if checkpoint.database != head.database_id:
        return (
            f"det er lavet for en anden database ({checkpoint.database}; denne er "
            f"{head.database_id}): en anden databases log, eller databasen er skiftet ud"
        )
    if checkpoint.entries > head.entries:
        return (
            f"sporet ender nu ved post {head.entries}: poster er skåret af, eller sporet er "
            "slettet og startet forfra"
        )
    if checkpoint.entries == 0:
        return (
            None
            if checkpoint.head == GENESIS_HASH
            else "det angiver et hoved for et spor uden poster"
        )
    if row is None:
        return f"post {checkpoint.entries} mangler i sporet"
    if row.hash != checkpoint.head:
        return (
            f"post {checkpoint.entries} har nu hash {row.hash[:16]}…, ikke den signerede "
            f"{checkpoint.head[:16]}…: sporet er skrevet om"
        )
    if chain_hash(row.prev_hash, row.body) != row.hash:
        return f"post {checkpoint.entries} er ændret: dens indhold passer ikke til dens hash"
    return None


def walk_after_last(
    session: Session, checkpoints: Sequence[Checkpoint], *, log: Path
) -> tuple[TrailHead, VerifyReport]:
    """The trail's head and the walk of the entries after the last of ``checkpoints`` (the
    log's, which verified; from the first entry when there are none), for signing the next.

    The log must hold this database's checkpoints only, and the trail must still extend
    its last one; else nothing may be signed.
    """
    head = trail_head(session)
    others = [c for c in checkpoints if c.database != head.database_id]
    if others:
        raise CheckpointLogError(
            f"kontrolpunkt-loggen {log} har kontrolpunkter fra en anden database "
            f"({others[0].database}); giv denne database sin egen log "
            "(COUNCIL_CHECKPOINT_LOG)"
        )
    start = WalkStart(0, GENESIS_HASH)
    if checkpoints:
        last = checkpoints[-1]
        broken = first_not_held(session, [last], head)
        if broken is not None:
            raise AuditIntegrityError(f"intet blev signeret: {broken[1]}")
        start = WalkStart(last.entries, last.head)
    return head, verify(session, start=start)


def entry_with_hash(session: Session, prefix: str) -> int | None:
    """The entry whose hash starts with ``prefix`` (lower-case hex), or None."""
    found = session.execute(
        select(col(AuditEntry.seq))
        .where(col(AuditEntry.hash).startswith(prefix, autoescape=True))
        .order_by(col(AuditEntry.seq))
        .limit(1)
    ).scalar()
    return int(found) if found is not None else None


@dataclass(frozen=True)
class AnchoredCheck:
    """What ``audit verify`` found: the walk, and every problem (none: all verified)."""

    report: VerifyReport
    problems: tuple[str, ...]
    log: Path | None = None  # the checkpoint log checked, if any
    key_id: str | None = None  # of the public key its signatures were checked with
    checkpoints: int = 0  # the checkpoints whose signatures and links verified
    last: Checkpoint | None = None  # the latest of them of this database
    since: Checkpoint | None = None  # where a partial walk began
    head_entry: int | None = None  # the entry whose hash a head written down names

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_anchored(
    session: Session,
    log_check: LogCheck,
    *,
    log: Path | None = None,
    key_id: str | None = None,
    head_prefix: str | None = None,
    since_checkpoint: bool = False,
    files: FileCheck | None = None,
) -> AnchoredCheck:
    """Walk the trail (all of it, with the records; or, ``since_checkpoint``, the entries
    after the last checkpoint that holds) and check it against the checkpoints that
    verified in ``log_check`` and against a head written down (``head_prefix``, lower-case
    hex). Every problem found is reported, the trail's own first."""
    head = trail_head(session)
    held = log_check.checkpoints
    broken = first_not_held(session, held, head)
    if broken is not None:
        held = held[: held.index(broken[0])]
    start_from: Checkpoint | None = None
    if since_checkpoint:
        mine = [c for c in held if c.database == head.database_id]
        start_from = _last_to_start_from(mine, log, log_check, broken)
        report = verify(session, start=WalkStart(start_from.entries, start_from.head))
    else:
        report = verify(session, files=files)
    problems = [report.problem] if report.problem is not None else []
    if log_check.problem is not None:
        problems.append(f"kontrolpunkt-loggen {log}: {log_check.problem}")
    if broken is not None:
        problems.append(broken[1])
    head_entry = None
    if head_prefix is not None:
        head_entry = _written_down(session, head_prefix)
        if head_entry is None:
            problems.append(
                f"hovedet {head_prefix}… findes ikke i sporet: sporet er skrevet om eller "
                "afkortet, siden det hoved blev skrevet ned"
            )
    signed_here = [c for c in log_check.checkpoints if c.database == head.database_id]
    return AnchoredCheck(
        report=report,
        problems=tuple(problems),
        log=log,
        key_id=key_id,
        checkpoints=len(log_check.checkpoints),
        last=signed_here[-1] if signed_here else None,
        since=start_from,
        head_entry=head_entry,
    )


def _last_to_start_from(
    mine: Sequence[Checkpoint],
    log: Path | None,
    log_check: LogCheck,
    broken: tuple[Checkpoint, str] | None,
) -> Checkpoint:
    """The checkpoint a partial walk starts after: this database's last that holds."""
    if not mine:
        raise CheckpointLogError(
            f"intet kontrolpunkt for denne database i {log} holder, så der er intet at "
            "starte fra: kør den fulde 'council audit verify'"
            + (f" ({broken[1]})" if broken else "")
            + (f" ({log_check.problem})" if log_check.problem else "")
        )
    return mine[-1]


def _written_down(session: Session, head_prefix: str) -> int | None:
    """The entry a head written down names (0: the empty trail's), or None."""
    return 0 if GENESIS_HASH.startswith(head_prefix) else entry_with_hash(session, head_prefix)
