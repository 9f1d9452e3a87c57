"""The texts of an agenda item: its sections as published, and the wording of its decisions.

Drafting writes them once (:func:`council.cases.items.draft`); a correction (a later,
longer version of the same published item) replaces them through the functions here, each
under a compare-and-set (on the item's version, on the decision's wording), so a
correction cannot overwrite a change it has not seen, and each with its audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session, col

from council.cases import audit, corrections, search_index
from council.cases.db import UnitOfWork
from council.cases.errors import ConflictError, NotFoundError, WordingChanged
from council.cases.item_records import DecisionRecord
from council.cases.models import AgendaItem, Attachment, Decision
from council.cases.prepared import Prepared, columns_of


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
        values = (getattr(self, key) for key in SECTION_FIELDS)
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in zip(SECTION_FIELDS, values, strict=True)
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
        raise NotFoundError("item", item_id)
    record: dict[str, Any] = {name: getattr(item, name) for name in _COLUMN_FIELDS}
    record["attachments"] = session.scalars(
        select(col(Attachment.title))
        .where(col(Attachment.item_id) == item_id)
        .order_by(col(Attachment.position))
    ).all()
    return Sections.from_record(record), item.version


def correct_sections(
    uow: UnitOfWork,
    *,
    item_id: int,
    expected_version: int,
    sections: Sections,
    why: dict[str, Any],
    actor: str,
    now: datetime,
) -> int:
    """Replace the item's sections if it is still at ``expected_version``, with an
    ``item.corrected`` audit entry holding ``why`` (reason, source, what changed), the new
    version and every section; returns the new version."""
    session = uow.session
    record = sections.as_record()
    attachments = record.pop("attachments")
    changed = session.execute(
        update(AgendaItem)
        .where(col(AgendaItem.id) == item_id, col(AgendaItem.version) == expected_version)
        .values(**record, version=expected_version + 1)
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(item_id, expected_version, None)
    _retitle_attachments(session, item_id, attachments)
    search_index.refresh_item(uow.connection(), item_id)
    case_id = session.scalars(
        select(col(AgendaItem.case_id)).where(col(AgendaItem.id) == item_id)
    ).one()
    audit.record(
        uow,
        action="item.corrected",
        actor=actor,
        now=now,
        case_id=case_id,
        item_id=item_id,
        data={**why, "version": expected_version + 1, "sections": sections.as_record()},
    )
    return expected_version + 1


def _retitle_attachments(session: Session, item_id: int, titles: list[str]) -> None:
    """Give the item's bilag these titles, position by position: a bilag keeps its row
    (and the file attached to it), one past the end is removed, a new one added."""
    existing = {
        row.position: row
        for row in session.scalars(select(Attachment).where(col(Attachment.item_id) == item_id))
    }
    for position, title in enumerate(titles, start=1):
        row = existing.pop(position, None)
        if row is None:
            session.add(Attachment(item_id=item_id, position=position, title=title))
        elif row.title != title:
            row.title = title
            session.add(row)
    for row in existing.values():
        session.delete(row)
    session.flush()


_DECISION = Prepared(
    select(*columns_of(Decision, DecisionRecord), col(AgendaItem.case_id))
    .join(AgendaItem, col(AgendaItem.id) == col(Decision.item_id))
    .where(col(Decision.id) == bindparam("id"))
)


def correct_decision_text(
    uow: UnitOfWork,
    *,
    decision_id: int,
    text: str,
    why: dict[str, Any],
    actor: str,
    now: datetime,
) -> None:
    """Replace a decision's wording, with a ``decision.corrected`` audit entry holding
    ``why`` (reason, source), the wording before, and the decision as corrected."""
    found = _DECISION.first(uow.connection(), id=decision_id)
    if found is None:
        raise NotFoundError("decision", decision_id)
    *columns, case_id = found
    decision = DecisionRecord._make(columns)
    changed = uow.session.execute(
        update(Decision)
        .where(col(Decision.id) == decision_id, col(Decision.text) == decision.text)
        .values(text=text)
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise WordingChanged(decision.item_id, decision_id)
    corrected = decision._replace(text=text)
    search_index.refresh_item(uow.connection(), decision.item_id)
    audit.record(
        uow,
        action="decision.corrected",
        actor=actor,
        now=now,
        case_id=case_id,
        item_id=decision.item_id,
        data={
            **why,
            "before": decision.text,
            "decision": {**corrected.image().body(), "to_state": corrected.to_state},
        },
    )


@dataclass(frozen=True)
class Heading:
    """What names an item besides its texts: its title, kind and closed flag."""

    title: str
    kind: str
    closed: bool

    def as_record(self) -> dict[str, Any]:
        return {"title": self.title, "kind": self.kind, "closed": self.closed}


def heading_of(session: Session, item_id: int) -> Heading:
    item = session.get(AgendaItem, item_id, populate_existing=True)
    if item is None:
        raise NotFoundError("item", item_id)
    return Heading(item.title, item.kind, bool(item.closed))


def edit_item(
    uow: UnitOfWork,
    *,
    item_id: int,
    expected_version: int,
    heading: Heading,
    sections: Sections,
    why: dict[str, Any],
    correction: dict[str, Any] | None,
    actor: str,
    now: datetime,
    removed_attachments: tuple[int, ...] = (),
) -> int:
    """Give the item ``heading`` and ``sections`` if it is still at ``expected_version``,
    with an ``item.corrected`` entry holding ``why``, the new version, every section and
    the heading; ``correction`` (subject, reason, before, after, after_approval) also
    writes a correction row beside it. The bilag's titles are those of
    ``sections.attachments``, position by position; ``removed_attachments`` (positions)
    takes bilag off the item: each keeps its row and its file, marked taken off now, and
    the entry names them. The search index is refreshed (a closed flag flipped hides or
    shows the item there; a bilag taken off is no longer found). Returns the new version."""
    session = uow.session
    record = sections.as_record()
    titles = record.pop("attachments")
    changed = session.execute(
        update(AgendaItem)
        .where(col(AgendaItem.id) == item_id, col(AgendaItem.version) == expected_version)
        .values(**record, **heading.as_record(), version=expected_version + 1)
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(item_id, expected_version, None)
    _retitle_attachments(session, item_id, titles)
    if removed_attachments:
        session.execute(
            update(Attachment)
            .where(
                col(Attachment.item_id) == item_id,
                col(Attachment.position).in_(removed_attachments),
                col(Attachment.removed_at).is_(None),
            )
            .values(removed_at=now)
            .execution_options(synchronize_session="fetch")
        )
    search_index.refresh_item(uow.connection(), item_id)
    case_id = session.scalars(
        select(col(AgendaItem.case_id)).where(col(AgendaItem.id) == item_id)
    ).one()
    link = audit.next_link(uow)
    data: dict[str, Any] = {
        **why,
        "version": expected_version + 1,
        "sections": sections.as_record(),
        "heading": heading.as_record(),
    }
    if removed_attachments:
        data["removed_attachments"] = sorted(removed_attachments)
    if correction is not None:
        data["correction"] = corrections.correction_body(
            uow, item_id=item_id, actor=actor, now=now, audit_seq=link.seq, **correction
        )
    audit.append(
        uow,
        link,
        action="item.corrected",
        actor=actor,
        now=now,
        case_id=case_id,
        item_id=item_id,
        data=data,
    )
    return expected_version + 1
