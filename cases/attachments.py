"""The attachments store: an item's bilag with their files' facts, and attaching a file.

Attaching a file is a change of the item: it gets a bilag (or a bilag drafted by name
gets its file), its version moves on under a compare-and-set, its search index is
refreshed, and an ``item.attached`` audit entry holds the item's new version, all its
sections as they now are (as ``item.corrected`` does) and the file's facts: name, size,
media type and SHA-256. ``audit verify`` rebuilds the bilag from those entries and checks
the stored files' hashes (:mod:`council.cases.attachment_verify`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select, update
from sqlmodel import Session, col

from council.cases import audit, item_texts, search_index
from council.cases.db import UnitOfWork
from council.cases.errors import AttachmentRefused, ConflictError, NotFoundError
from council.cases.models import AgendaItem, Attachment
from council.cases.prepared import Prepared
from council.cases.types import is_row_id


class AttachmentLine(NamedTuple):
    """A bilag as documents and pages show it; the file's facts are None for a bilag
    known by name only."""

    id: int
    item_id: int
    position: int
    title: str
    file_name: str | None = None
    size: int | None = None
    media_type: str | None = None
    sha256: str | None = None

    @property
    def has_file(self) -> bool:
        return self.sha256 is not None

    def image(self) -> dict[str, Any]:
        """The file's facts as an ``item.attached`` entry holds them."""
        return {
            "id": self.id,
            "position": self.position,
            "title": self.title,
            "file_name": self.file_name,
            "size": self.size,
            "media_type": self.media_type,
            "sha256": self.sha256,
        }


_LINE_COLUMNS = (
    col(Attachment.id),
    col(Attachment.item_id),
    col(Attachment.position),
    col(Attachment.title),
    col(Attachment.file_name),
    col(Attachment.size),
    col(Attachment.media_type),
    col(Attachment.sha256),
)


_ON_ITEM = col(Attachment.removed_at).is_(None)
"""A bilag still on its item: one taken off keeps its row, but nothing shows it."""


def of_item(
    session: Session | Connection, item_id: int, *, including_removed: bool = False
) -> list[AttachmentLine]:
    """The item's bilag in order (``including_removed``: with those taken off it)."""
    statement = select(*_LINE_COLUMNS).where(col(Attachment.item_id) == item_id)
    if not including_removed:
        statement = statement.where(_ON_ITEM)
    rows = session.execute(statement.order_by(col(Attachment.position)))
    return [AttachmentLine._make(row) for row in rows]


def of_items(session: Session | Connection, item_ids: list[int]) -> dict[int, list[AttachmentLine]]:
    """Each item's bilag still on it, in order (one select)."""
    found: dict[int, list[AttachmentLine]] = {}
    if not item_ids:
        return found
    rows = session.execute(
        select(*_LINE_COLUMNS)
        .where(col(Attachment.item_id).in_(item_ids), _ON_ITEM)
        .order_by(col(Attachment.item_id), col(Attachment.position))
    )
    for row in rows:
        line = AttachmentLine._make(row)
        found.setdefault(line.item_id, []).append(line)
    return found


def with_file(session: Session, attachment_id: int) -> tuple[AttachmentLine, bool]:
    """A bilag on its item that has a file, with whether its item is closed (lukket punkt)."""
    found = (
        session.execute(
            select(*_LINE_COLUMNS, col(AgendaItem.closed))
            .join(AgendaItem, col(AgendaItem.id) == col(Attachment.item_id))
            .where(
                col(Attachment.id) == attachment_id,
                col(Attachment.sha256).is_not(None),
                _ON_ITEM,
            )
        ).first()
        if is_row_id(attachment_id)
        else None
    )
    if found is None:
        raise NotFoundError("attachment", attachment_id)
    *line, closed = found
    return AttachmentLine._make(line), bool(closed)


_FILES = Prepared(
    select(*_LINE_COLUMNS)
    .where(col(Attachment.sha256).is_not(None))
    .order_by(col(Attachment.item_id), col(Attachment.position))
)


def every_file(connection: Connection, batch: int = 5_000) -> Iterator[AttachmentLine]:
    """Every bilag that has a file, by item and position; those taken off their item too,
    since their files stay the trail's to vouch for."""
    for rows in _FILES.stream(connection, batch):
        yield from map(AttachmentLine._make, rows)


class FileFacts(NamedTuple):
    """What is recorded of a file being attached."""

    file_name: str
    size: int
    media_type: str
    sha256: str
    text: str


def attach(
    uow: UnitOfWork,
    *,
    item_id: int,
    expected_version: int,
    title: str,
    facts: FileFacts,
    actor: str,
    now: datetime,
) -> AttachmentLine:
    """Give the item a bilag ``title`` with the file (a bilag of that title known by name
    only gets the file), if the item is still at ``expected_version``; audited."""
    session = uow.session
    every = of_item(session, item_id, including_removed=True)
    present = of_item(session, item_id)
    for number, line in enumerate(present, start=1):
        if line.sha256 == facts.sha256:
            raise AttachmentRefused(
                facts.file_name,
                f"er allerede vedhæftet punkt-id {item_id} som Bilag {number} «{line.title}»",
            )
    named = next(
        (
            line
            for line in present
            if not line.has_file and line.title.casefold() == title.casefold()
        ),
        None,
    )
    file_values = facts._asdict()
    if named is not None:
        session.execute(
            update(Attachment).where(col(Attachment.id) == named.id).values(**file_values)
        )
        attachment_id, position, title = named.id, named.position, named.title
    else:
        position = max((line.position for line in every), default=0) + 1
        row = Attachment(item_id=item_id, position=position, title=title, **file_values)
        session.add(row)
        session.flush()
        assert row.id is not None
        attachment_id = row.id
    _move_version(session, item_id, expected_version)
    session.flush()
    search_index.refresh_item(uow.connection(), item_id)
    sections, version = item_texts.sections_of(session, item_id)
    line = AttachmentLine(
        attachment_id,
        item_id,
        position,
        title,
        facts.file_name,
        facts.size,
        facts.media_type,
        facts.sha256,
    )
    case_id = session.scalars(
        select(col(AgendaItem.case_id)).where(col(AgendaItem.id) == item_id)
    ).one()
    audit.record(
        uow,
        action="item.attached",
        actor=actor,
        now=now,
        case_id=case_id,
        item_id=item_id,
        data={"version": version, "sections": sections.as_record(), "attachment": line.image()},
    )
    return line


def _move_version(session: Session, item_id: int, expected_version: int) -> None:
    changed = session.execute(
        update(AgendaItem)
        .where(col(AgendaItem.id) == item_id, col(AgendaItem.version) == expected_version)
        .values(version=expected_version + 1)
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        current = session.scalar(
            select(col(AgendaItem.version)).where(col(AgendaItem.id) == item_id)
        )
        raise ConflictError(item_id, expected_version, current)


def count_files(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(col(Attachment.sha256).is_not(None))) or 0)
