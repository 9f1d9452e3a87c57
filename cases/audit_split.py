"""The later part of a long trail prepared in a second process while this one walks the first.

Checking a page of the trail (its seqs, links, hashes, its columns against its bodies),
rendering its transitions and new cases from their rows and parsing the rest depends on
nothing before the page but the last seq and hash (:func:`council.cases.audit_walk.ready_pages`);
only applying the pages to the rebuilt records must go in the order of the trail. So on a
long trail in an SQLite file, a forked process (:func:`_prepare`) prepares the entries after
``split`` on a connection of its own and writes each page, packed, to a spool file, while
this process walks and applies the entries up to ``split``; then it applies the spooled
pages in their turn (:meth:`Later.finish`), which costs a small part of preparing them.
It does so only when a core is free for the worker (:func:`a_core_is_free`): on a machine
already busy the second process takes CPU time from the first instead of adding to it.

What the worker vouches for is exactly what the walk here would: the same functions check
and render each page. Its part begins at entry ``split`` as the table stores it, and is
used only if this process's walk ended at that very entry and hash, and only if the worker
read the same head (seq and hash) as this process. Anything else (an entry that does not
verify in its part, a gap at the split, a head moved by a commit between the two read
transactions, a worker that died) leaves the rest to this process, which walks on from the
last page applied exactly as a walk in one process does, with the same messages.

The two processes read in two read transactions. The worker's begins while this process
holds the database's write lock on a connection of its own (:func:`_no_commits`), so nothing
is committed between the worker's snapshot and the moment this process checked there was no
write under way; the lock is let go as soon as the worker has its snapshot (milliseconds:
writers wait that long, within their busy timeout). If a write transaction is open (another
writer's, or the verifying connection's own, whose changes are not committed and so not for
the worker to see), the whole trail is walked here. What this cannot exclude is a commit
between this process's first read and the lock (the caller may have read before verify);
every audited write moves the head, which the worker must find as this process found it.
PostgreSQL walks in one process (a snapshot could be shared there through
``pg_export_snapshot``; not done).
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import sqlite3
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Connection, select
from sqlmodel import col

from council.cases.audit_expected import Expected
from council.cases.audit_images import Broken
from council.cases.audit_render import Rendered
from council.cases.audit_walk import (
    Absorb,
    Page,
    Ready,
    Stamps,
    WalkStart,
    apply_page,
    ready_pages,
    walk_chain,
)
from council.cases.db import make_engine
from council.cases.models import AuditEntry, AuditHead

SPLIT_FROM = 50_000
"""Entries from which a second process prepares the later part (below, the fork and the
spool cost more than they save)."""

SHARE = 0.5
"""The part of the trail this process walks itself. Preparing a page costs the worker about
what walking and applying it costs here (applying is a fifth of that), so halves keep both
busy until the worker is done; then this process applies the worker's pages and compares
the tables, alone."""


_LENGTH = struct.Struct("<Q")
_START, _PAGE, _DONE = 0, 1, 2  # the records of the spool


@dataclass
class Later:
    """The worker preparing the entries after ``split`` and the spool it writes."""

    process: Any
    spool: IO[bytes]
    split: int
    head: tuple[int, str]

    def finish(
        self,
        connection: Connection,
        walked: tuple[int, str],
        absorb: Absorb,
        rendered: Rendered,
    ) -> tuple[int, str]:
        """The rest of the trail after ``walked`` (the last seq and hash this process
        walked): the worker's pages applied, as far as they may be; from there on, the
        walk here. Returns the last seq and hash."""
        self.process.join()
        seq, digest = walked
        if seq == self.split and self.process.exitcode == 0:
            self.spool.seek(0)
            records = _records(self.spool)
            first = next(records, None)
            if first == (_START, self.split, digest, *self.head):
                for record in records:
                    if record[0] != _PAGE:
                        break
                    _, ready, seq, digest = record
                    apply_page(_unpacked(ready), absorb, rendered)
        return walk_chain(connection, absorb, start=WalkStart(seq, digest), rendered=rendered)

    def close(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.spool.close()


def start_later(connection: Connection, head: tuple[int, str]) -> Later | None:
    """A worker preparing the later part of the trail whose head is ``head``; None when
    the whole is walked here (a short trail, not an SQLite file, no core free, a write
    under way)."""
    url = connection.engine.url
    database = url.database
    if url.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return None
    if head[0] < SPLIT_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if not a_core_is_free():
        return None
    barrier = _no_commits(database)
    if barrier is None:
        return None
    try:
        split = max(1, int(head[0] * SHARE))
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by Later.close
        taken, tell = multiprocessing.get_context("fork").Pipe(duplex=False)
        process = multiprocessing.get_context("fork").Process(
            target=_prepare,
            args=(url.render_as_string(hide_password=False), split, head, spool, tell),
            daemon=True,
        )
        process.start()
        tell.close()
        try:
            if taken.poll(_SNAPSHOT_SECONDS):
                taken.recv()
        except EOFError:  # it ended before reading: the walk here does it all
            pass
        taken.close()
    finally:
        barrier.close()  # its transaction rolled back: writers may commit again
    return Later(process, spool, split, head)


_SNAPSHOT_SECONDS = 60.0


def a_core_is_free() -> bool:
    """Whether a second process would have a core to itself (the load average of the last
    minute at least one under the cores). The two processes spend about two fifths more
    CPU time than one (packing and applying the pages, starting the worker), which only
    pays when the second one runs beside the first, not in its place."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    return load <= (os.cpu_count() or 1) - 1


def _no_commits(database: str) -> sqlite3.Connection | None:
    """A connection holding the database's write lock, so nothing is committed until it is
    closed: the worker's read transaction, begun meanwhile, sees what this process's does.
    None if a write transaction is open (this process's own too: its changes, not yet
    committed, are not for the worker to see), or the file cannot be locked so."""
    try:
        barrier = sqlite3.connect(database, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        barrier.execute("BEGIN IMMEDIATE")
    except sqlite3.Error:
        barrier.close()
        return None
    return barrier


def _prepare(url: str, split: int, head: tuple[int, str], spool: IO[bytes], tell: Any) -> None:
    """The worker: the pages after entry ``split``, prepared on a connection of its own and
    spooled; it stops, quietly, at the first that does not verify (the walk here names it).
    ``tell`` is told once its read transaction holds its snapshot."""
    try:
        _spool_pages(url, split, head, spool, tell)
    except Exception:  # whatever it was, the walk here does the rest
        return
    finally:
        spool.flush()


def _spool_pages(url: str, split: int, head: tuple[int, str], spool: IO[bytes], tell: Any) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.begin()
            own_head = tuple(connection.execute(_HEAD).one())
            tell.send(True)
            tell.close()
            start = connection.execute(
                select(col(AuditEntry.hash)).where(col(AuditEntry.seq) == split)
            ).scalar()
            if start is None or own_head != tuple(head):
                return
            _write(spool, (_START, split, start, *own_head))
            rendered = Rendered(Expected(_no_committee), Stamps(connection).column)
            walk = ready_pages(connection, True, start=WalkStart(split, start), rendered=rendered)
            try:
                for ready, seq, digest in walk:
                    _write(spool, (_PAGE, _packed(ready), seq, digest))
            except Broken:
                return
            _write(spool, (_DONE,))
    finally:
        engine.dispose()


_HEAD = select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)


def _no_committee(code: str) -> int:
    """The worker applies nothing, so it never asks for a committee's id."""
    raise AssertionError(code)


def _write(spool: IO[bytes], record: tuple[Any, ...]) -> None:
    data = marshal.dumps(record)
    spool.write(_LENGTH.pack(len(data)))
    spool.write(data)


def _records(spool: IO[bytes]) -> Any:
    while len(size := spool.read(_LENGTH.size)) == _LENGTH.size:
        data = spool.read(_LENGTH.unpack(size)[0])
        yield marshal.loads(data)


# A prepared page as the spool holds it: plain values only (marshal), and of the page's
# columns only those of the entries not rendered (applying reads no others).
_ENTRIES, _RENDERED = 0, 1


def _packed(ready: Ready) -> tuple[Any, ...]:
    if ready.page is None:
        return (_ENTRIES, [tuple(entry) for entry in ready.entries])
    page, effects = ready.page, list(ready.effects)
    parsed = [index for index, effect in enumerate(effects) if effect is None]
    columns = [
        [column[index] for index in parsed]
        for column in (page.ats, page.actors, page.actions, page.cases, page.items)
    ]
    return (_RENDERED, page.seqs[0], len(page.seqs), parsed, columns, effects, list(ready.values))


def _unpacked(packed: Sequence[Any]) -> Ready:
    if packed[0] == _ENTRIES:
        return Ready(packed[1])
    _, first, count, parsed, columns, effects, values = packed
    full: list[list[Any]] = []
    for column in columns:
        filled: list[Any] = [None] * count
        for index, value in zip(parsed, column, strict=True):
            filled[index] = value
        full.append(filled)
    ats, actors, actions, cases, items = full
    page = Page(
        tuple(range(first, first + count)),
        ats,
        tuple(actors),
        tuple(actions),
        tuple(cases),
        tuple(items),
        [],
    )
    return Ready((), page, effects, values)
