"""The texts of an agenda item: its sections as published, and the wording of its decisions.

Drafting writes them once; a correction (a later, longer version of the same published
item) replaces them through the functions here, each under a compare-and-set on the item's
version, so a correction cannot overwrite a change it has not seen.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from council.cases.errors import ConflictError, NotFoundError
from council.cases.models import AgendaItem, Attachment, Decision


@dataclass(frozen=True)
class Sections:
    """What the administration wrote: every part of the item except title and decisions."""

    summary: str = ""
    administration: str = ""
    recommendation: tuple[str, ...] = ()
    problem: str = ""
    solution: str = ""
    economy: str = ""
    next_steps: str = ""
    signatures: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()

    def as_record(self) -> dict[str, Any]:
        """The sections as an audit body holds them (lists for tuples), keyed like a draft."""
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in asdict(self).items()
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Sections:
        """From an audit body or a row; missing keys are empty."""
        values: dict[str, Any] = {}
        for spec in fields(cls):
            value = record.get(spec.name)
            if isinstance(spec.default, tuple):
                values[spec.name] = tuple(value or ())
            else:
                values[spec.name] = value or ""
        return cls(**values)


SECTION_FIELDS = tuple(spec.name for spec in fields(Sections))
_COLUMN_FIELDS = tuple(name for name in SECTION_FIELDS if name != "attachments")


def sections_of(session: Session, item_id: int) -> tuple[Sections, int]:
    """The item's sections as stored, with the version they belong to."""
    item = session.get(AgendaItem, item_id, populate_existing=True)
    if item is None:
        raise NotFoundError(f"unknown item {item_id}")
    record: dict[str, Any] = {name: getattr(item, name) for name in _COLUMN_FIELDS}
    record["attachments"] = session.scalars(
        select(col(Attachment.title))
        .where(col(Attachment.item_id) == item_id)
        .order_by(col(Attachment.position))
    ).all()
    return Sections.from_record(record), item.version


def store_sections(
    session: Session, *, item_id: int, expected_version: int, sections: Sections
) -> int:
    """Replace the item's sections if it is still at ``expected_version``; the new version."""
    record = sections.as_record()
    attachments = record.pop("attachments")
    changed = session.execute(
        update(AgendaItem)
        .where(col(AgendaItem.id) == item_id, col(AgendaItem.version) == expected_version)
        .values(**record, version=expected_version + 1)
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(
            f"item {item_id} was changed by someone else since it was read; "
            f"look at 'council item show {item_id}' and try again"
        )
    session.execute(delete(Attachment).where(col(Attachment.item_id) == item_id))
    session.flush()
    for position, title in enumerate(attachments, start=1):
        session.add(Attachment(item_id=item_id, position=position, title=title))
    session.flush()
    return expected_version + 1


def store_decision_text(
    session: Session, *, decision_id: int, expected_text: str, text: str
) -> None:
    """Replace a decision's wording if it still reads ``expected_text``."""
    changed = session.execute(
        update(Decision)
        .where(col(Decision.id) == decision_id, col(Decision.text) == expected_text)
        .values(text=text)
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(
            f"decision {decision_id} was changed by someone else since it was read; try again"
        )
