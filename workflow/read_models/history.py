"""A case's decision history as auditors read it: one row shape for table, JSON and CSV.

A row of a closed item (lukket punkt) is shown as :mod:`council.workflow.visibility` says:
before the public only its place (item, committee, meeting, agenda number), who recorded
it and when, and "Lukket punkt"; states, outcome and decision text are left out. An
internal history shows it in full and marks it (``closed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from council.cases import case_history as history_store
from council.cases import case_records
from council.cases.audit import utc_iso
from council.cases.case_history import HistoryRow
from council.cases.dates import LOCAL_ZONE, format_date, format_moment
from council.cases.db import Database
from council.workflow.machine import Rulebook
from council.workflow.read_models.json_form import json_text
from council.workflow.spreadsheet import Dialect, csv_text
from council.workflow.visibility import CLOSED_MARK, Audience

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
    "closed",
)
# The decision's parts (JSON values; null or empty when it has none): in --json only, not
# in the CSV's flat columns.
PART_KEYS = ("referred_to", "votes", "amendments", "remarks", "point_results", "attendance")
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
# The columns of the spreadsheet a Danish Excel opens (``history --excel``), in COLUMNS' order.
DANISH_COLUMNS = (
    "Nr.",
    "Punkt-id",
    "Udvalg",
    "Møde-id",
    "Mødedato",
    "Dagsordenspunkt",
    "Handling",
    "Fra status",
    "Til status",
    "Udfald",
    "Beslutning",
    "Beslutningsdato",
    "Registreret af",
    "Registreret",
    "Lukket punkt",
)


def case_history(database: Database, case_number: str) -> list[HistoryRow]:
    """The case's history rows, read on the unit's connection (no ORM session is made)."""
    with database.unit_of_work(write=False) as uow:
        return history_store.history(uow, case_records.id_by_number(uow, case_number))


def json_export(rows: Sequence[HistoryRow], audience: Audience) -> str:
    """The rows as a JSON array of :func:`as_json_record` (:func:`json_text`)."""
    return json_text([as_json_record(r, audience) for r in rows])


def csv_export(
    rows: Sequence[HistoryRow], audience: Audience, *, rulebook: Rulebook, dialect: Dialect
) -> str:
    """The rows as CSV (:mod:`council.workflow.spreadsheet`): ``plain`` in :data:`COLUMNS`
    as :func:`as_record` gives them, ``excel-da`` in :data:`DANISH_COLUMNS`."""
    if dialect == "excel-da":
        return csv_text(
            DANISH_COLUMNS, (as_danish_record(r, rulebook, audience) for r in rows), dialect=dialect
        )
    records = (as_record(r, audience) for r in rows)
    return csv_text(COLUMNS, ([record[c] for c in COLUMNS] for record in records))


def as_record(row: HistoryRow, audience: Audience) -> dict[str, Any]:
    """The row for machines: ISO dates, UTC timestamps, code names."""
    shown = audience.item(row)
    return {
        "seq": row.seq,
        "item": row.item_id,
        "committee": row.committee,
        "meeting_id": row.meeting_id,
        "meeting_date": row.meeting_date.isoformat() if row.meeting_date else None,
        "agenda_number": row.agenda_number,
        "trigger": shown.reveal(row.trigger),
        "from_state": shown.reveal(row.from_state),
        "to_state": shown.reveal(row.to_state),
        "outcome": shown.reveal(row.outcome),
        "text": shown.reveal(row.text),
        "decided_on": shown.reveal(row.decided_on.isoformat() if row.decided_on else None),
        "actor": row.actor,
        "recorded_at": utc_iso(row.recorded_at),
        "closed": row.closed,
    }


def as_json_record(row: HistoryRow, audience: Audience) -> dict[str, Any]:
    """:func:`as_record` with the decision's parts: ``votes`` (null without a vote),
    ``amendments``, ``remarks``, ``point_results``, ``attendance`` and ``referred_to``
    (empty lists without them), withheld with the text for a closed item."""
    record = as_record(row, audience)
    shown = audience.item(row)
    record["votes"] = shown.reveal(row.votes)
    for key in ("referred_to", "amendments", "remarks", "point_results", "attendance"):
        record[key] = shown.reveal(getattr(row, key) or []) if not shown.withheld else None
    record["correction"] = shown.reveal(row.correction)
    record["move"] = shown.reveal(row.move)
    return record


def correction_note(row: HistoryRow) -> str | None:
    """ "Rettet den ...: ...; begrundelse: ..." for a correction's row, "Flyttet fra møde
    ... til møde ..." for a move's; None for another."""
    if row.move is not None:
        from council.notifications.correction_text import move_note

        return move_note(row.move)
    found = row.correction
    if found is None:
        return None
    from council.notifications.correction_text import note_of

    return note_of(
        subject=found["subject"],
        reason=found["reason"],
        after_approval=found["minutes_approved"],
        before=found["before"],
        after=found["after"],
        corrected_at=row.recorded_at,
    )


def _act(row: HistoryRow) -> str:
    if row.correction is not None:
        return "Rettelse"
    if row.move is not None:
        return "Flyttet"
    return "Beslutning" if row.text is not None else "Forelagt"


def as_danish_record(row: HistoryRow, rulebook: Rulebook, audience: Audience) -> list[object]:
    """The row for a Danish spreadsheet, in :data:`DANISH_COLUMNS`: Danish labels,
    Copenhagen time to the second, "ja" for a closed item."""
    shown = audience.item(row)
    record = as_record(row, audience)
    decided = not shown.withheld and row.text is not None
    outcome = None
    if decided:
        outcome = rulebook.label(row.outcome) if row.outcome else "uklassificeret"
    act = None if shown.withheld else _act(row)
    return [
        row.seq,
        row.item_id,
        row.committee,
        row.meeting_id,
        record["meeting_date"],
        row.agenda_number,
        act,
        None if shown.withheld else rulebook.label(row.from_state),
        None if shown.withheld else rulebook.label(row.to_state),
        outcome,
        shown.title if shown.withheld else correction_note(row) or row.text,
        record["decided_on"],
        row.actor,
        row.recorded_at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M:%S"),
        "ja" if row.closed else "nej",
    ]


def as_display(row: HistoryRow, rulebook: Rulebook, audience: Audience) -> list[str]:
    """The row for people: Danish dates and labels, Copenhagen time."""
    shown = audience.item(row)
    if shown.withheld:
        move, outcome, text = shown.title, "—", ""
    else:
        move = f"{rulebook.label(row.from_state)} → {rulebook.label(row.to_state)}"
        if row.move is not None:
            move = f"Flyttet ({rulebook.label(row.to_state)})"
        elif row.correction is not None and row.correction["subject"] == "item":
            move = f"Rettelse af punktet ({rulebook.label(row.to_state)})"
        elif row.correction is not None:
            move = f"Rettelse: {move}"
        if shown.marked:
            move += f" {CLOSED_MARK}"
        if row.text is None:
            outcome = "—"
        else:
            outcome = rulebook.label(row.outcome) if row.outcome else "uklassificeret"
        text = correction_note(row) or row.text or ""
    return [
        str(row.seq),
        row.committee,
        format_date(row.meeting_date) if row.meeting_id else "—",
        str(row.agenda_number or ""),
        move,
        outcome,
        text,
        row.actor,
        format_moment(row.recorded_at),
    ]
