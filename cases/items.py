"""The agenda items store: an item with its attachments, agenda entries and decisions.

Drafting writes the item with its audit entry; reading gives the item, its decisions
(:class:`~council.cases.item_records.DecisionRecord`, one shape wherever a decision is
read), its latest agenda entry and the lists the faces browse. A transition's reads and
writes, which must be fast, are in :mod:`council.cases.transitions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, ScalarSelect, bindparam, func, select
from sqlalchemy.orm import Mapped, aliased
from sqlmodel import Session, col

from council.cases import audit, search_index
from council.cases.case_records import CaseRef
from council.cases.committees import CommitteeRow
from council.cases.db import UnitOfWork, connection_for
from council.cases.errors import NotFoundError
from council.cases.item_records import AgendaEntryRecord, DecisionRecord
from council.cases.item_texts import Sections
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    Case,
    Committee,
    Decision,
    Meeting,
)
from council.cases.prepared import Prepared, PreparedInsert, columns_of
from council.cases.types import is_row_id


def by_id(session: Session, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id) if is_row_id(item_id) else None
    if item is None:
        raise NotFoundError("item", item_id)
    return item


DRAFTED_COLUMNS = (
    "case_id",
    "committee_id",
    "title",
    "kind",
    "closed",
    "summary",
    "administration",
    "recommendation",
    "problem",
    "solution",
    "economy",
    "next_steps",
    "signatures",
    "state",
    "version",
    "competent_committee_id",
    "referred_from",
    "created_at",
)


class DraftedItem(NamedTuple):
    """An item as drafting wrote it: what the acts and faces read of a new item."""

    id: int
    case_id: int
    committee_id: int
    title: str
    kind: str
    closed: bool
    state: str
    version: int


_INSERT_ITEM = PreparedInsert(AgendaItem, AgendaItem.id, column_keys=DRAFTED_COLUMNS)
_INSERT_ATTACHMENT = PreparedInsert(
    Attachment, Attachment.id, column_keys=("item_id", "position", "title")
)


class DraftRows(NamedTuple):
    """What drafting an item writes, before it has an id: the item's columns, its
    attachments' titles in order, its search text and its ``item.drafted`` entry's data."""

    values: dict[str, Any]
    attachments: list[str]
    text: search_index.PartText
    data: dict[str, Any]


def draft_rows(
    *,
    case: CaseRef,
    committee: CommitteeRow,
    title: str,
    kind: str,
    closed: bool,
    sections: Sections,
    state: str,
    now: datetime,
    competent: CommitteeRow | None = None,
    referred_from: int | None = None,
) -> DraftRows:
    """The rows of a new item (see :func:`draft`), for one item or a meeting's set."""
    texts = sections.as_record()
    attachments = texts.pop("attachments")
    values: dict[str, Any] = {
        "case_id": case.id,
        "committee_id": committee.id,
        "title": title,
        "kind": kind,
        "closed": closed,
        **texts,
        "state": state,
        "version": 1,
        "competent_committee_id": competent.id if competent else None,
        "referred_from": referred_from,
        "created_at": now,
    }
    text = search_index.item_text(
        case.number,
        title,
        texts["summary"],
        texts["administration"],
        texts["recommendation"],
        texts["problem"],
        texts["solution"],
        texts["economy"],
        texts["next_steps"],
        texts["signatures"],
    )
    facts = _drafted_facts(case, committee, title, state, competent, referred_from)
    data = {**facts, "kind": kind, "closed": closed, **texts, "attachments": attachments}
    return DraftRows(values, attachments, text, data)


def _drafted_facts(
    case: CaseRef,
    committee: CommitteeRow,
    title: str,
    state: str,
    competent: CommitteeRow | None,
    referred_from: int | None,
) -> dict[str, object]:
    facts: dict[str, object] = {
        "state": state,
        "case": case.number,
        "committee": committee.code,
        "committee_id": committee.id,
        "title": title,
    }
    if competent is not None:
        facts |= {"competent": competent.code, "competent_committee_id": competent.id}
    if referred_from is not None:
        facts["referred_from"] = referred_from
    return facts


def draft(
    uow: UnitOfWork,
    *,
    case: CaseRef,
    committee: CommitteeRow,
    title: str,
    kind: str,
    closed: bool,
    sections: Sections,
    state: str,
    actor: str,
    now: datetime,
    competent: CommitteeRow | None = None,
    referred_from: int | None = None,
) -> DraftedItem:
    """A new item in ``state`` with its attachments and its audit entry (``item.drafted``
    holds every section as :meth:`Sections.as_record` gives it).

    ``competent`` is the body that decides the item's matter when that is not its own
    committee; ``referred_from`` the decision (id) whose referral made the item. Each is
    in the audit entry only when given.

    Written with compiled statements on the unit's connection (an import drafts an item
    per published one).
    """
    connection = uow.connection()
    rows = draft_rows(
        case=case,
        committee=committee,
        title=title,
        kind=kind,
        closed=closed,
        sections=sections,
        state=state,
        now=now,
        competent=competent,
        referred_from=referred_from,
    )
    item_id = _INSERT_ITEM(connection, **rows.values)
    attached = [
        (_INSERT_ATTACHMENT(connection, item_id=item_id, position=position, title=name), name)
        for position, name in enumerate(rows.attachments, start=1)
    ]
    search_index.index_new_item(
        connection,
        item_id=item_id,
        case_id=case.id,
        closed=closed,
        text=rows.text,
        attachments=attached,
    )
    audit.record(
        uow,
        action="item.drafted",
        actor=actor,
        now=now,
        case_id=case.id,
        item_id=item_id,
        data=rows.data,
    )
    return DraftedItem(item_id, case.id, committee.id, title, kind, closed, state, 1)


def of_case(session: Session, case_id: int) -> list[tuple[AgendaItem, str]]:
    """The case's items with their committee's code, in the order they were drafted."""
    return [
        (item, code)
        for item, code in session.execute(
            select(AgendaItem, col(Committee.code))
            .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
            .where(col(AgendaItem.case_id) == case_id)
            .order_by(col(AgendaItem.id))
        ).all()
    ]


def attachments_of(session: Session, item_id: int) -> list[str]:
    return list(
        session.scalars(
            select(col(Attachment.title))
            .where(col(Attachment.item_id) == item_id)
            .order_by(col(Attachment.position))
        )
    )


_DECISIONS = Prepared(
    select(*columns_of(Decision, DecisionRecord), col(Meeting.date))
    .outerjoin(Meeting, col(Meeting.id) == col(Decision.meeting_id))
    .where(col(Decision.item_id) == bindparam("item_id"))
    .order_by(col(Decision.audit_seq))
)


def decisions_of(
    where: UnitOfWork | Session, item_id: int
) -> list[tuple[DecisionRecord, date | None]]:
    """The item's decisions in the order they were recorded, each with its meeting's date."""
    return [
        (DecisionRecord._make(columns), meeting_date)
        for *columns, meeting_date in _DECISIONS.rows(connection_for(where), item_id=item_id)
    ]


ItemIdColumn = Mapped[int | None] | BindParameter[int]
"""``AgendaItem.id`` of an enclosing select, or a parameter."""


def latest_entry_id_of(item_id: ItemIdColumn) -> ScalarSelect[int | None]:
    """The id of the item's most recent agenda entry, as a subquery (correlated when
    ``item_id`` is ``AgendaItem.id`` of the enclosing select)."""
    newer = aliased(AgendaEntry)
    return select(func.max(col(newer.id))).where(col(newer.item_id) == item_id).scalar_subquery()


def last_treated_on_of(item_id: ItemIdColumn) -> ScalarSelect[date | None]:
    """The date of the latest meeting the item was put before, as a subquery."""
    meeting, entry = aliased(Meeting), aliased(AgendaEntry)
    return (
        select(func.max(col(meeting.date)))
        .join(entry, col(entry.meeting_id) == col(meeting.id))
        .where(col(entry.item_id) == item_id)
        .scalar_subquery()
    )


_LATEST_ENTRY = Prepared(
    select(*columns_of(AgendaEntry, AgendaEntryRecord)).where(
        col(AgendaEntry.id) == latest_entry_id_of(bindparam("item_id"))
    )
)
_LAST_TREATED_ON = Prepared(select(last_treated_on_of(bindparam("item_id"))))


def latest_entry(where: UnitOfWork | Session, item_id: int) -> AgendaEntryRecord | None:
    """The item's most recent placement on an agenda."""
    found = _LATEST_ENTRY.first(connection_for(where), item_id=item_id)
    return None if found is None else AgendaEntryRecord._make(found)


def last_treated_on(where: UnitOfWork | Session, item_id: int) -> date | None:
    """The date of the latest meeting the item was put before."""
    treated: date | None = _LAST_TREATED_ON.scalar(connection_for(where), item_id=item_id)
    return treated


def entry_at(session: Session, *, meeting_id: int, item_id: int) -> AgendaEntry | None:
    """The placement of an item on a meeting's agenda (the latest, should there be two)."""
    return session.scalars(
        select(AgendaEntry)
        .where(col(AgendaEntry.meeting_id) == meeting_id, col(AgendaEntry.item_id) == item_id)
        .order_by(col(AgendaEntry.audit_seq).desc())
    ).first()


def titled(session: Session, *, case_id: int, committee_id: int, title: str) -> list[AgendaItem]:
    """Every item of a case for a committee with exactly this title, oldest first."""
    return list(
        session.scalars(
            select(AgendaItem)
            .where(
                col(AgendaItem.case_id) == case_id,
                col(AgendaItem.committee_id) == committee_id,
                col(AgendaItem.title) == title,
            )
            .order_by(col(AgendaItem.id))
        )
    )


def decisions_of_items(
    where: UnitOfWork | Session, item_ids: list[int]
) -> dict[int, list[tuple[DecisionRecord, date | None]]]:
    """Each item's decisions with their meeting's date, in recorded order (one query)."""
    found: dict[int, list[tuple[DecisionRecord, date | None]]] = {i: [] for i in item_ids}
    if not item_ids:
        return found
    rows = connection_for(where).execute(
        select(*columns_of(Decision, DecisionRecord), col(Meeting.date))
        .outerjoin(Meeting, col(Meeting.id) == col(Decision.meeting_id))
        .where(col(Decision.item_id).in_(item_ids))
        .order_by(col(Decision.audit_seq))
    )
    for *columns, meeting_date in rows:
        decision = DecisionRecord._make(columns)
        found[decision.item_id].append((decision, meeting_date))
    return found


def numbers_at_meeting(
    session: Session, *, meeting_id: int, item_ids: list[int]
) -> dict[int, int | None]:
    """The agenda numbers the items have at the meeting, for those on its agenda."""
    if not item_ids:
        return {}
    rows = session.execute(
        select(col(AgendaEntry.item_id), col(AgendaEntry.number)).where(
            col(AgendaEntry.meeting_id) == meeting_id, col(AgendaEntry.item_id).in_(item_ids)
        )
    ).all()
    return {item_id: number for item_id, number in rows}


def on_meeting_titled(session: Session, *, meeting_id: int, title: str) -> list[AgendaItem]:
    """The items with exactly this title that were put before the meeting."""
    return list(
        session.scalars(
            select(AgendaItem)
            .join(AgendaEntry, col(AgendaEntry.item_id) == col(AgendaItem.id))
            .where(col(AgendaEntry.meeting_id) == meeting_id, col(AgendaItem.title) == title)
            .order_by(col(AgendaItem.id))
            .distinct()
        )
    )


def numbered(session: Session, *, meeting_id: int, number: int) -> AgendaItem | None:
    """The item that holds agenda number ``number`` at the meeting, if any."""
    return session.scalars(
        select(AgendaItem)
        .join(AgendaEntry, col(AgendaEntry.item_id) == col(AgendaItem.id))
        .where(col(AgendaEntry.meeting_id) == meeting_id, col(AgendaEntry.number) == number)
    ).first()


_NUMBER_HOLDER = Prepared(
    select(col(AgendaItem.id), col(AgendaItem.title))
    .join(AgendaEntry, col(AgendaEntry.item_id) == col(AgendaItem.id))
    .where(
        col(AgendaEntry.meeting_id) == bindparam("meeting_id"),
        col(AgendaEntry.number) == bindparam("number"),
    )
    .limit(1)
)


def number_holder(uow: UnitOfWork, *, meeting_id: int, number: int) -> tuple[int, str] | None:
    """As :func:`numbered`, the holder's id and title in one compiled select."""
    found = _NUMBER_HOLDER.first(uow.connection(), meeting_id=meeting_id, number=number)
    return None if found is None else (found[0], found[1])


def case_ids_of(where: UnitOfWork | Session, item_ids: list[int]) -> set[int]:
    """The cases the items belong to."""
    if not item_ids:
        return set()
    return set(
        connection_for(where).scalars(
            select(col(AgendaItem.case_id)).where(col(AgendaItem.id).in_(item_ids)).distinct()
        )
    )


@dataclass(frozen=True)
class ItemLine:
    """An item as a list shows it, with the latest meeting it was put before."""

    id: int
    title: str
    closed: bool
    kind: str
    state: str
    version: int
    case_number: str
    committee_code: str
    meeting_id: int | None
    meeting_date: date | None
    agenda_number: int | None


def in_states(
    session: Session,
    *,
    states: frozenset[str],
    committee_codes: tuple[str, ...] | None = None,
    committee_id: int | None = None,
    limit: int = 200,
) -> list[ItemLine]:
    """Items whose state is one of ``states``, oldest first, each with its latest agenda
    entry (meeting, date, number) when it has one."""
    return listing(
        session,
        states=states,
        committee_codes=committee_codes,
        committee_id=committee_id,
        limit=limit,
    )


def listing(
    session: Session,
    *,
    states: frozenset[str] | None = None,
    committee_codes: tuple[str, ...] | None = None,
    committee_id: int | None = None,
    meeting_id: int | None = None,
    include_closed: bool = True,
    limit: int | None = 200,
) -> list[ItemLine]:
    """Items (in ``states``, of those committees, on that meeting's agenda), oldest first
    (on a meeting: in agenda order), each with its latest agenda entry (meeting, date,
    number) when it has one, or its entry at ``meeting_id``.

    ``include_closed=False`` leaves closed items out (a list filtered by state must not
    tell the public a closed item's state by showing it there)."""
    latest: Any = latest_entry_id_of(col(AgendaItem.id)).correlate(AgendaItem)
    if meeting_id is not None:
        latest = (
            select(func.max(col(AgendaEntry.id)))
            .where(
                col(AgendaEntry.item_id) == col(AgendaItem.id),
                col(AgendaEntry.meeting_id) == meeting_id,
            )
            .correlate(AgendaItem)
            .scalar_subquery()
        )
    statement = (
        select(
            col(AgendaItem.id),
            col(AgendaItem.title),
            col(AgendaItem.closed),
            col(AgendaItem.kind),
            col(AgendaItem.state),
            col(AgendaItem.version),
            col(Case.number),
            col(Committee.code),
            col(Meeting.id),
            col(Meeting.date),
            col(AgendaEntry.number),
        )
        .join(Case, col(Case.id) == col(AgendaItem.case_id))
        .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
        .outerjoin(AgendaEntry, col(AgendaEntry.id) == latest)
        .outerjoin(Meeting, col(Meeting.id) == col(AgendaEntry.meeting_id))
        .limit(limit)
    )
    if states is not None:
        statement = statement.where(col(AgendaItem.state).in_(sorted(states)))
    if not include_closed:
        statement = statement.where(col(AgendaItem.closed).is_(False))
    if meeting_id is not None:
        statement = statement.where(col(AgendaEntry.id).is_not(None)).order_by(
            col(AgendaEntry.number).nulls_last(), col(AgendaItem.id)
        )
    else:
        statement = statement.order_by(col(AgendaItem.id))
    if committee_codes is not None:
        statement = statement.where(col(Committee.code).in_(committee_codes))
    if committee_id is not None:
        statement = statement.where(col(AgendaItem.committee_id) == committee_id)
    return [ItemLine(*found) for found in session.execute(statement).all()]


def open_of_case(
    session: Session, *, case_id: int, committee_id: int, final_states: frozenset[str]
) -> AgendaItem | None:
    """The committee's latest item of the case that has not reached a final state."""
    return session.scalars(
        select(AgendaItem)
        .where(
            col(AgendaItem.case_id) == case_id,
            col(AgendaItem.committee_id) == committee_id,
            col(AgendaItem.state).not_in(sorted(final_states)),
        )
        .order_by(col(AgendaItem.id).desc())
    ).first()


def referred_by(session: Session, decision_ids: list[int]) -> dict[int, tuple[int, str]]:
    """For each decision that referred its case on, the item it made and that item's
    committee code."""
    if not decision_ids:
        return {}
    rows = session.execute(
        select(col(AgendaItem.referred_from), col(AgendaItem.id), col(Committee.code))
        .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
        .where(col(AgendaItem.referred_from).in_(decision_ids))
    ).all()
    return {decision_id: (item_id, code) for decision_id, item_id, code in rows}


_RECOMMENDATION = Prepared(
    select(col(AgendaItem.recommendation)).where(col(AgendaItem.id) == bindparam("item_id"))
)


def recommendation_of(where: UnitOfWork | Session, item_id: int) -> list[str]:
    """The item's "at ..." points, in order."""
    points: list[str] | None = _RECOMMENDATION.scalar(connection_for(where), item_id=item_id)
    return list(points or ())


def referring_item(session: Session, decision_id: int) -> tuple[int, str] | None:
    """The item (its id, its committee's code) whose decision ``decision_id`` referred the
    case on."""
    found = session.execute(
        select(col(AgendaItem.id), col(Committee.code))
        .join(Decision, col(Decision.item_id) == col(AgendaItem.id))
        .join(Committee, col(Committee.id) == col(AgendaItem.committee_id))
        .where(col(Decision.id) == decision_id)
    ).first()
    return (found[0], found[1]) if found else None
