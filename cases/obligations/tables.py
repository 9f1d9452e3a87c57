"""The tables of status obligations: their lines, the items linked to them, the outbox.

- ``status_obligation``: one *obligation line*, a duty to give one committee a status on a
  case on a cadence during a period. ``council obligation add`` with two committees makes
  two lines (SUD and BIU are reminded and fulfilled separately). ``next_check_at`` is the
  sweep's bookmark: the earliest instant a reminder of the line may fall due, ``NULL`` when
  none ever will; it is an index for the sweep, never a record of what happened.
- ``obligation_link``: an agenda item that answers an obligation line.
- ``outbox_message``: each reminder step, written once (unique on obligation, committee,
  period and step) with its Message-ID, recipients and ``facts`` (a snapshot of what the
  message says, taken when the step is written; this layer keeps it as text and
  ``notifications`` reads it), then delivered; ``pending`` until the first attempt,
  ``sent`` once handed over, ``failed`` while it waits to be retried (it is never given
  up). Subject and bodies are rendered from the facts when the row is first claimed for
  delivery and kept, so every attempt sends the same text (rows written before
  migration 0003 were rendered when written and have no facts). A step that a sweep
  after downtime finds already passed by a later one is written ``superseded`` (never
  sent; ``superseded_by`` names the row that was sent instead). A *digest* row
  (``step_kind`` ``digest``, no obligation) is one day's mail to one recipient who asked
  for a daily digest; its ``facts`` list the reminders it gathers.
- ``result_goal``: a result goal (resultatmål) of an obligation line: name, unit and
  whether the reported value must be at least or at most the target.
- ``result_goal_target``: the goal's target as first agreed and every revision after it
  (new target, the day it was agreed, the reason); a target may hold for one period only.
- ``result_goal_value``: the value a status item reported for a goal and a period.

The migrations in ``cases/migrations/versions`` make exactly these tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy import Column, Index, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from council.cases.models import Case, Committee
from council.cases.types import JSON_DOCUMENT, UTCDateTime

PENDING, SENT, FAILED, SUPERSEDED = "pending", "sent", "failed", "superseded"
STATUSES = (PENDING, SENT, FAILED, SUPERSEDED)
DIGEST = "digest"
"""The ``step_kind`` of a digest row."""
AT_LEAST, AT_MOST = "at_least", "at_most"
DIRECTIONS = (AT_LEAST, AT_MOST)


def _utc_column(*, nullable: bool = False) -> Column[dt.datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class StatusObligation(SQLModel, table=True):
    """One obligation line: a status to one committee on a case, on a cadence, in a period."""

    __tablename__ = "status_obligation"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    about: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    starts_on: dt.date
    ends_on: dt.date
    cadence: str = Field(max_length=100, description="canonical RRULE, e.g. FREQ=YEARLY")
    due_rule: str = Field(max_length=10, description="month-day, e.g. 12-31")
    lead_days: list[int] = Field(
        default_factory=list, sa_column=Column(JSON_DOCUMENT, nullable=False)
    )
    escalate_every_days: int | None = Field(default=None, description="None: no escalation")
    recipients: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_DOCUMENT, nullable=False)
    )
    created_at: dt.datetime = Field(sa_column=_utc_column())
    next_check_at: dt.datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True)
    )


class ObligationLink(SQLModel, table=True):
    """An agenda item that answers an obligation line."""

    __tablename__ = "obligation_link"
    __table_args__ = (UniqueConstraint("obligation_id", "item_id", name="uq_obligation_link"),)

    id: int | None = Field(default=None, primary_key=True)
    obligation_id: int = Field(foreign_key="status_obligation.id")
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    actor: str = Field(max_length=200)
    linked_at: dt.datetime = Field(sa_column=_utc_column())


class OutboxMessage(SQLModel, table=True):
    """One reminder step: written once by a sweep, then delivered (and retried) until sent."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint(
            "obligation_id", "committee_id", "period_key", "step_key", name="uq_outbox_step"
        ),
        Index("ix_outbox_message_status_next_attempt", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    obligation_id: int | None = Field(
        default=None, foreign_key="status_obligation.id", description="None: a digest"
    )
    committee_id: int | None = Field(
        default=None, foreign_key="committee.id", description="None: a digest"
    )
    period_key: str = Field(max_length=20, description="a digest: its local day")
    step_key: str = Field(max_length=30)
    step_kind: str = Field(max_length=10, description="lead, due, overdue or digest")
    step_at: dt.datetime = Field(sa_column=_utc_column(), description="when the step fell due")
    status: str = Field(default=PENDING, max_length=10)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    next_attempt_at: dt.datetime = Field(sa_column=_utc_column())
    claim_token: str | None = Field(default=None, max_length=40)
    claimed_until: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    message_id: str = Field(max_length=250, unique=True)
    recipients: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_DOCUMENT, nullable=False)
    )
    facts: str | None = Field(
        default=None,
        sa_column=Column(Text, nullable=True),
        description="JSON snapshot the message is rendered from; None before 0003",
    )
    subject: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    body_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    body_html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    delivered_to: str | None = Field(default=None, max_length=300)
    created_at: dt.datetime = Field(sa_column=_utc_column())
    sent_at: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    superseded_by: int | None = Field(
        default=None, description="superseded: the row of the same period sent instead"
    )


class ResultGoal(SQLModel, table=True):
    """A result goal of an obligation line: what the status reports on."""

    __tablename__ = "result_goal"
    __table_args__ = (UniqueConstraint("obligation_id", "name", name="uq_result_goal_name"),)

    id: int | None = Field(default=None, primary_key=True)
    obligation_id: int = Field(foreign_key="status_obligation.id", index=True)
    name: str = Field(max_length=200)
    unit: str = Field(default="", max_length=60)
    direction: str = Field(default=AT_LEAST, max_length=10, description="at_least or at_most")
    position: int = Field(description="the order goals are listed in")
    actor: str = Field(max_length=200)
    created_at: dt.datetime = Field(sa_column=_utc_column())


class GoalTarget(SQLModel, table=True):
    """A goal's target as agreed on ``agreed_on``: the first, or a revision of it."""

    __tablename__ = "result_goal_target"

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="result_goal.id", index=True)
    period_key: str | None = Field(default=None, max_length=20, description="None: every period")
    target: float
    agreed_on: dt.date
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    actor: str = Field(max_length=200)
    recorded_at: dt.datetime = Field(sa_column=_utc_column())


class GoalValue(SQLModel, table=True):
    """The value a status item reported for a goal in one period."""

    __tablename__ = "result_goal_value"
    __table_args__ = (
        UniqueConstraint("goal_id", "period_key", "item_id", name="uq_result_goal_value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="result_goal.id", index=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    period_key: str = Field(max_length=20)
    value: float
    approximate: bool = Field(default=False, description="reported as 'ca.'")
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    actor: str = Field(max_length=200)
    recorded_at: dt.datetime = Field(sa_column=_utc_column())


LINE_TABLE: Table = StatusObligation.__table__  # type: ignore[attr-defined]
LINK_TABLE: Table = ObligationLink.__table__  # type: ignore[attr-defined]
OUTBOX_TABLE: Table = OutboxMessage.__table__  # type: ignore[attr-defined]
CASE_TABLE: Table = Case.__table__  # type: ignore[attr-defined]
COMMITTEE_TABLE: Table = Committee.__table__  # type: ignore[attr-defined]
GOAL_TABLE: Table = ResultGoal.__table__  # type: ignore[attr-defined]
TARGET_TABLE: Table = GoalTarget.__table__  # type: ignore[attr-defined]
VALUE_TABLE: Table = GoalValue.__table__  # type: ignore[attr-defined]
"""The tables as SQLAlchemy Core sees them, for the stores' compiled statements."""

_CHUNK = 500


def chunks(values: Sequence[int]) -> Iterator[list[int]]:
    """``values`` in lists small enough for one ``IN (...)`` on every database."""
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])
