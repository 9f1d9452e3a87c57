"""Verification of the audit trail, and of the records it vouches for.

The chain is walked once, in ``seq`` order, streaming (:mod:`council.cases.audit_walk`):
every entry must follow the one before it, match its own hash and agree with its columns,
and the last entry must be the one the head row names. While walking, every row of every
audited table is rebuilt from the bodies, as one fingerprint per part of its image
(:mod:`council.cases.audit_images`, the registry of what the trail covers); the tables
must then hold exactly those rows, column for column (:mod:`council.cases.audit_compare`),
so a value changed, a row added or removed behind the audit's back is caught as well as
an edited entry. A row that differs is named with its table and the columns that differ
(the walk is repeated for that row's values only; memory stays one fingerprint per part
of each row).

A partial walk (:class:`WalkStart`, for ``audit verify --since-checkpoint``) starts after a
signed checkpoint instead of at the genesis; see there what it leaves out.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import Session, col

from council.cases.attachment_verify import FileCheck, attachment_files_problem
from council.cases.audit import GENESIS_HASH
from council.cases.audit_compare import Differs, compare_records, row_name, table_name
from council.cases.audit_expected import Expected
from council.cases.audit_images import BY_NAME, Broken
from council.cases.audit_render import Rendered
from council.cases.audit_rows import packed_rows
from council.cases.audit_walk import Stamps, WalkStart, walk_chain
from council.cases.db import connection_of
from council.cases.models import AuditHead, Committee

__all__ = ["VerifyReport", "WalkStart", "verify"]


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    head_hash: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(
    session: Session, *, start: WalkStart | None = None, files: FileCheck | None = None
) -> VerifyReport:
    """Walk the whole trail (or, given ``start``, the part after it); stop at the first
    entry or record that does not verify.

    ``files`` checks each attached file in the attachment store (its hash); without it,
    a bilag with a file is a problem, since its file cannot be checked. A walk from
    ``start`` compares neither the records nor the files."""
    with _collector_paused():
        return _verify(session, start=start, files=files)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The walk makes a dict for every body it reads and keeps a tuple for every row it
    rebuilds, none of them in a reference cycle: the cyclic garbage collector, which would
    otherwise scan the growing heap again and again, finds nothing and costs a third of
    the time. It runs again afterwards (if it ran before)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _verify(session: Session, *, start: WalkStart | None, files: FileCheck | None) -> VerifyReport:
    head = session.execute(
        select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)
    ).one()
    connection = connection_of(session)
    committee_id = _CommitteeIds(connection)
    expected = Expected(committee_id, rows=_packed)
    count, last_hash = (start.seq, start.hash) if start else (0, GENESIS_HASH)
    try:
        # a partial walk rebuilds no records (see WalkStart)
        if start is None:
            rendered = Rendered(expected, Stamps(connection).column)
            count, last_hash = walk_chain(connection, expected.absorb, rendered=rendered)
        else:
            count, last_hash = walk_chain(connection, None, start=start)
        if (count, last_hash) != (head.seq, head.hash):
            raise Broken(
                f"sporet ender ved post {count}, men dets hoved angiver post {head.seq}: "
                "poster er skåret af, eller hovedet er ændret"
            )
        if start is None:
            compare_records(connection, expected)
            problem = attachment_files_problem(connection, files)
            if problem is not None:
                raise Broken(problem)
    except Broken as broken:
        return VerifyReport(entries=count, head_hash=last_hash, problem=str(broken))
    except Differs as differs:
        del expected  # the rows are rebuilt again, for the one row that differs
        return VerifyReport(
            entries=count,
            head_hash=last_hash,
            problem=_name_columns(connection, differs, committee_id),
        )
    return VerifyReport(entries=count, head_hash=last_hash)


def _packed(table: str) -> MutableMapping[Any, Any]:
    audited = BY_NAME[table]
    return packed_rows(len(audited.parts), len(audited.key))


class _CommitteeIds:
    """Committee ids by code, read from the table when a body written before bodies named
    committees by id needs one (0, which names no row, for a code the table lacks)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.ids: dict[str, int] | None = None

    def __call__(self, code: str) -> int:
        if self.ids is None:
            found = self.connection.execute(select(col(Committee.code), col(Committee.id)))
            self.ids = {code: int(committee_id or 0) for code, committee_id in found}
        return self.ids.get(code, 0)


_BLANK = (None,) * max(len(audited.parts) for audited in BY_NAME.values())  # a row, blank


class _Only(dict[Any, Any]):
    """A table's rows while the walk looks for one row's values: only that row's are kept
    (the others' keys stay, so the readers see which rows exist)."""

    def __init__(self, keep: Any) -> None:
        super().__init__()
        self.keep = keep

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value if key == self.keep else _BLANK)


def _name_columns(
    connection: Connection, differs: Differs, committee_id: Callable[[str], int]
) -> str:
    """The message for a row whose part differs: the walk is repeated keeping that row's
    values (only its), so the columns that differ are named."""
    audited, nothing = differs.audited, object()

    def rows(table: str) -> MutableMapping[Any, Any]:
        return _Only(differs.key if table == audited.name else nothing)

    again = Expected(committee_id, fingerprint=_as_is, rows=rows)
    walk_chain(connection, again.absorb)
    wanted = again.rows[audited.name][differs.key][differs.part]
    names = audited.parts[differs.part]
    changed = [n for n, w, f in zip(names, wanted, differs.found, strict=True) if w != f] or list(
        names
    )
    columns = ", ".join(f"'{name}'" for name in changed)
    return (
        f"{row_name(audited, differs.key)} afviger fra revisionssporet: {columns} er ændret "
        f"direkte i {table_name(audited)}"
    )


def _as_is(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return values
