"""A case's decision history as auditors read it: one row shape for table, JSON and CSV."""

from __future__ import annotations

from typing import Any

from council.cases import queries
from council.cases.audit import utc_iso
from council.cases.dates import format_date, format_moment
from council.cases.db import Database
from council.cases.queries import HistoryRow
from council.workflow.machine import Rulebook

COLUMNS = (
    "seq",
    "item",
    "committee",
    "meeting_id",
    "meeting_date",
    "agenda_number",
    "trigger",
    "from_state",
    "to_state",
    "outcome",
    "text",
    "decided_on",
    "actor",
    "recorded_at",
)
HEADINGS = (
    "#",
    "Udvalg",
    "Møde",
    "Punkt",
    "Fra → til",
    "Udfald",
    "Beslutning",
    "Af",
    "Registreret",
)


def case_history(database: Database, case_number: str) -> list[HistoryRow]:
    """The case's history rows, read on a bare connection (no ORM session is needed)."""
    with database.unit_of_work(write=False) as uow:
        connection = uow.connection()
        return queries.case_history(connection, queries.case_id_by_number(connection, case_number))


def as_record(row: HistoryRow) -> dict[str, Any]:
    """The row for machines: ISO dates, UTC timestamps, code names."""
    return {
        "seq": row.seq,
        "item": row.item_id,
        "committee": row.committee,
        "meeting_id": row.meeting_id,
        "meeting_date": row.meeting_date.isoformat() if row.meeting_date else None,
        "agenda_number": row.agenda_number,
        "trigger": row.trigger,
        "from_state": row.from_state,
        "to_state": row.to_state,
        "outcome": row.outcome,
        "text": row.text,
        "decided_on": row.decided_on.isoformat() if row.decided_on else None,
        "actor": row.actor,
        "recorded_at": utc_iso(row.recorded_at),
    }


def as_display(row: HistoryRow, rulebook: Rulebook) -> list[str]:
    """The row for people: Danish dates and labels, Copenhagen time."""
    if row.text is None:
        outcome = "—"
    else:
        outcome = rulebook.label(row.outcome) if row.outcome else "uklassificeret"
    return [
        str(row.seq),
        row.committee,
        format_date(row.meeting_date) if row.meeting_id else "—",
        str(row.agenda_number or ""),
        f"{rulebook.label(row.from_state)} → {rulebook.label(row.to_state)}",
        outcome,
        row.text or "",
        row.actor,
        format_moment(row.recorded_at),
    ]
