"""The records: committees, cases, meetings, agenda items, decisions and the audit trail.

Naming follows SQLModel's ``XBase`` / ``X(table=True)`` habit where a shape is shared.
Every write to these tables goes through a service in ``workflow`` so that it lands
together with its audit entry.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from council.cases.types import JSON_DOCUMENT, UTCDateTime


def _utc_column(*, nullable: bool = False) -> Column[dt.datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class Committee(SQLModel, table=True):
    __tablename__ = "committee"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    name: str = Field(max_length=200)
    administration: str = Field(max_length=200)
    secretariat_email: str | None = Field(default=None, max_length=320)
    members: int | None = Field(default=None, description="seats; None: not configured")
    recommends_to: str | None = Field(
        default=None, max_length=16, description="the code of the next body on its route"
    )
    earlier_names: list[dict[str, str]] | None = Field(
        default=None,
        sa_column=Column(JSON_DOCUMENT, nullable=True),
        description='names it had before: [{"name": ..., "until": ISO date}], oldest first',
    )


class Case(SQLModel, table=True):
    __tablename__ = "case_record"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    owner: str = Field(max_length=200)
    created_at: dt.datetime = Field(sa_column=_utc_column())


class Meeting(SQLModel, table=True):
    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("committee_id", "date", name="uq_meeting_committee_date"),)

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    date: dt.date | None = Field(default=None, description="None when the source does not give it")
    start_time: dt.time | None = None
    place: str | None = Field(default=None, max_length=200)
    held_at: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    absent: list[dict[str, str | None]] | None = Field(
        default=None,
        sa_column=Column(JSON_DOCUMENT, nullable=True),
        description="members absent from the meeting (afbud, fravær); None: not recorded",
    )
    minutes_approved_on: dt.date | None = Field(
        default=None, description="the day the committee approved the minutes; None: not yet"
    )
    created_at: dt.datetime = Field(sa_column=_utc_column())
    cancelled_at: dt.datetime | None = Field(
        default=None,
        sa_column=_utc_column(nullable=True),
        description="when the meeting was cancelled (aflyst); None: it was not, or reopened",
    )
    sequence: int | None = Field(
        default=None,
        description="how often its date, time or status changed (a calendar's SEQUENCE); "
        "None: never",
    )


class AgendaItem(SQLModel, table=True):
    """One treatment of a case by one committee; its ``state`` is the workflow's."""

    __tablename__ = "agenda_item"
    __table_args__ = (Index("ix_agenda_item_committee_state", "committee_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    committee_id: int = Field(foreign_key="committee.id")
    title: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=20, description="orientering or beslutning")
    closed: bool = False
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    administration: str = Field(max_length=200)
    recommendation: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_DOCUMENT, nullable=False)
    )
    problem: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    solution: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    economy: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    next_steps: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    signatures: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_DOCUMENT, nullable=False)
    )
    state: str = Field(max_length=40)
    version: int = Field(default=1, description="optimistic lock: +1 on every transition")
    competent_committee_id: int | None = Field(
        default=None,
        description="the committee (id) that decides the matter; None: the item's own",
    )
    referred_from: int | None = Field(
        default=None,
        index=True,
        description="the decision (its id) that referred the case on to this item",
    )
    created_at: dt.datetime = Field(sa_column=_utc_column())


class Attachment(SQLModel, table=True):
    """A bilag of an item: its title, and where a file was attached, the file's facts.

    A bilag known by name only (drafted, imported) has no file (``sha256`` is None). The
    file itself is in the attachment store, named by its SHA-256; ``text`` is what was
    extracted from it for search. A bilag taken off its item keeps its row (and its file
    stays in the store, checked by ``audit verify``) with the time it was taken off
    (``removed_at``); documents, pages and search no longer show it.
    """

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("item_id", "position", name="uq_attachment_position"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    position: int
    title: str = Field(sa_column=Column(Text, nullable=False))
    file_name: str | None = Field(default=None, max_length=255)
    size: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    media_type: str | None = Field(default=None, max_length=100)
    sha256: str | None = Field(default=None, max_length=64, index=True)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    removed_at: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class AgendaEntry(SQLModel, table=True):
    """An item put before a meeting (forelagt) as number ``number`` of its agenda."""

    __tablename__ = "agenda_entry"
    __table_args__ = (
        UniqueConstraint("meeting_id", "item_id", name="uq_agenda_entry_item"),
        UniqueConstraint("meeting_id", "number", name="uq_agenda_entry_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    number: int | None = Field(default=None, description="None when the source does not print it")
    from_state: str = Field(max_length=40)
    actor: str = Field(max_length=200)
    presented_at: dt.datetime = Field(sa_column=_utc_column())
    audit_seq: int = Field(unique=True)


class Decision(SQLModel, table=True):
    """What a committee decided on an item: the verbatim text beside its outcome."""

    __tablename__ = "decision"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    decided_on: dt.date | None = Field(default=None, description="None when the source omits it")
    trigger: str = Field(max_length=40)
    from_state: str = Field(max_length=40)
    to_state: str = Field(max_length=40)
    outcome: str | None = Field(default=None, max_length=40, description="None: unclassified")
    text: str = Field(sa_column=Column(Text, nullable=False))
    referred_to: list[str] | None = Field(
        default=None,
        sa_column=Column(JSON_DOCUMENT, nullable=True),
        description="the bodies a referral sends the case to, as written; None: no referral",
    )
    votes: dict[str, object] | None = Field(
        default=None, sa_column=Column(JSON_DOCUMENT, nullable=True), description="the vote"
    )
    amendments: list[dict[str, object]] | None = Field(
        default=None, sa_column=Column(JSON_DOCUMENT, nullable=True)
    )
    remarks: list[dict[str, object]] | None = Field(
        default=None, sa_column=Column(JSON_DOCUMENT, nullable=True)
    )
    point_results: list[dict[str, object]] | None = Field(
        default=None, sa_column=Column(JSON_DOCUMENT, nullable=True)
    )
    attendance: list[dict[str, object]] | None = Field(
        default=None,
        sa_column=Column(JSON_DOCUMENT, nullable=True),
        description="who did not take part in the item (inhabil, fraværende)",
    )
    actor: str = Field(max_length=200)
    recorded_at: dt.datetime = Field(sa_column=_utc_column())
    audit_seq: int = Field(unique=True)


class Correction(SQLModel, table=True):
    """A correction of what was recorded, kept beside it: a decision's outcome and wording
    (``subject`` "decision"), or an item's title, texts, kind or closed flag after its
    final decision ("item"). ``before`` and ``after`` hold what changed, ``reason`` why;
    ``after_approval`` says the minutes had been approved with the text before."""

    __tablename__ = "correction"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    subject: str = Field(max_length=20)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    after_approval: bool = False
    before: dict[str, object] = Field(sa_column=Column(JSON_DOCUMENT, nullable=False))
    after: dict[str, object] = Field(sa_column=Column(JSON_DOCUMENT, nullable=False))
    actor: str = Field(max_length=200)
    corrected_at: dt.datetime = Field(sa_column=_utc_column())
    audit_seq: int = Field(unique=True)


class AuditEntry(SQLModel, table=True):
    """One link of the append-only, hash-chained audit trail.

    ``body`` is the canonical JSON of the entry (sorted keys, no spaces, UTF-8) and
    ``hash`` is sha256(prev_hash + body). The columns beside it exist for queries and
    are checked against the body by ``audit verify``.
    """

    __tablename__ = "audit_entry"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    recorded_at: dt.datetime = Field(sa_column=_utc_column())
    actor: str = Field(max_length=200)
    action: str = Field(max_length=60, index=True)
    case_id: int | None = Field(default=None, index=True)
    item_id: int | None = Field(default=None)
    body: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The chain's last link, in one row that writers lock to append in turn.

    ``database_id`` names this database (random, made once by the migrations): signed
    checkpoints of the trail carry it, so a checkpoint of another database is told apart
    from one this trail no longer extends. The database refuses to move the head back or
    to change the id (triggers of migration 0007).
    """

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(max_length=64)
    database_id: str = Field(max_length=32)
