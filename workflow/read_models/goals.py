"""Where the result goals of status obligations stand: the status table of ``council
status`` (text, HTML, CSV), the goals of one line for the web's reporting form, and the
goals a status item reports on, for its page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from council.cases.dates import local_date
from council.cases.db import Database
from council.cases.obligations import goal_rules, goal_status, goals, lines
from council.cases.obligations.goal_status import LineGoals
from council.workflow.app import App
from council.workflow.spreadsheet import csv_text


def goal_table(app: App, *, obligation_ref: str, period: str | None = None) -> list[LineGoals]:
    """Where the goals of the line(s) ``obligation_ref`` names stand, per period."""
    database = app.initialised_database()
    return goal_table_of(
        database,
        obligation_ref=obligation_ref,
        period=period,
        fulfilling_states=app.rulebook.definition.fulfilling_states,
    )


def goal_table_of(
    database: Database,
    *,
    obligation_ref: str,
    period: str | None,
    fulfilling_states: Iterable[str],
) -> list[LineGoals]:
    with database.reading() as session:
        found = lines.every_by_ref(session, obligation_ref)
        if period is not None:
            for line in found:
                goal_status.known_period(line, period)
        return goal_status.line_goals(
            session, found, fulfilling_states=fulfilling_states, period_key=period
        )


STATUS_CSV_HEADER = (
    "forpligtelse", "sag", "udvalg", "mål", "enhed", "retning", "periode", "målsætning",
    "revideret fra", "indberettet", "cirka", "vurdering", "indberettet af punkt",
)  # fmt: skip


def status_csv(tables: Sequence[LineGoals]) -> str:
    """The status table as CSV (UTF-8, ``,``), one row per goal and period; numbers as
    numbers, texts safe to open in a spreadsheet."""
    rows = []
    for found in tables:
        line = found.line
        for status in found.goals:
            goal = status.goal
            for row in status.periods:
                if row.target is None and row.value is None:
                    continue
                replaced = row.target.replaced if row.target else None
                rows.append(
                    (
                        line.id, line.case_number, line.committee_code, goal.name, goal.unit,
                        goal_rules.DIRECTION_LABELS[goal.direction], row.period.key,
                        _plain_number(row.target.target) if row.target else None,
                        _plain_number(replaced.target) if replaced else None,
                        _plain_number(row.value.value) if row.value else None,
                        row.value.approximate if row.value else None,
                        goal_rules.ASSESSMENT_LABELS[row.assessment],
                        row.value.item_id if row.value else None,
                    )
                )  # fmt: skip
    return csv_text(STATUS_CSV_HEADER, rows)


def _plain_number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def goals_of_line(database: Database, line_id: int) -> list[goals.Goal]:
    """The goals of one line (the web's reporting form)."""
    with database.reading() as session:
        line = lines.line(session, line_id)
        return goals.goals_of(session, [line.id])[line.id]


def item_goals(
    database: Database, item_id: int, *, fulfilling_states: Iterable[str], now: datetime
) -> goal_status.ItemGoals | None:
    """The goals an item reports on, for its page (``None``: it answers no line with goals)."""
    with database.reading() as session:
        return goal_status.item_goals(
            session, item_id, fulfilling_states=fulfilling_states, today=local_date(now)
        )
