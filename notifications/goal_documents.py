"""Result goals as people read them: the status table (``council status``) and the section
"Status på mål" of a status item's agenda and minutes.

Each goal is shown per period with its target in force (a revised target marked, its
revision told in a note under the table: from what to what, when and why), the value
reported (``ca.`` when approximate), whether it meets the target, and the trend since
the period before. Numbers are Danish (``1.370``), dates long Danish dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from council.cases.obligations.goal_rules import (
    ASSESSMENT_LABELS,
    DIRECTION_LABELS,
    TREND_LABELS,
    InForce,
    format_number,
)
from council.cases.obligations.goal_status import GoalStatus, ItemGoals, LineGoals
from council.cases.obligations.lines import Line
from council.cases.obligations.periods import Period
from council.notifications.rendering import long_date, render

HEADINGS = ("Mål", "Periode", "Målsætning", "Indberettet", "Vurdering", "Udvikling")
NOT_REPORTED = "–"
NOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True)
class GoalRow:
    """One goal in one period, every cell as text (``goal`` empty on a goal's later rows)."""

    goal: str
    period: str
    target: str
    value: str
    assessment: str
    trend: str
    met: str  # met, not_met or not_reported: for styling
    goal_id: int = 0
    period_key: str = ""

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.goal, self.period, self.target, self.value, self.assessment, self.trend)


@dataclass(frozen=True)
class GoalTable:
    """A line's goals: its heading, the periods shown, the rows and the notes under them."""

    heading: str
    case_number: str
    case_title: str
    committee_name: str
    committee_code: str
    periods: tuple[str, ...]  # "2009: 1. august 2008 – 31. december 2009"
    rows: tuple[GoalRow, ...]
    notes: tuple[str, ...]
    widths: tuple[int, ...]

    @property
    def headings(self) -> tuple[str, ...]:
        return HEADINGS

    @property
    def header(self) -> str:
        """The heading row of the text layout."""
        return self.line(HEADINGS)

    def line(self, cells: tuple[str, ...]) -> str:
        """One row of the text layout, columns padded to their widths."""
        padded = [cell.ljust(width) for cell, width in zip(cells, self.widths, strict=True)]
        return "  ".join(padded).rstrip()


@dataclass(frozen=True)
class StatusDocument:
    """``council status``: the goal tables of one or more lines."""

    template: str  # "status"
    title: str
    tables: tuple[GoalTable, ...]
    internal: bool = False


def render_status(document: StatusDocument, *, fmt: str) -> str:
    """``council status`` as ``txt`` or ``html``."""
    return render(f"status.{fmt}.j2", document=document)


def period_text(period: Period) -> str:
    return f"{period.key}: {long_date(period.start)} – {long_date(period.due)}"


def goal_table(found: LineGoals) -> GoalTable:
    """The status table of one line across its periods."""
    periods = {p.key: p for p in found.line.periods}
    shown = sorted(
        {row.period.key for status in found.goals for row in status.periods},
        key=list(periods).index,
    )
    return _table(
        found.line,
        found.goals,
        periods=tuple(period_text(periods[key]) for key in shown),
        trend_on_last=True,
        named_on=periods[shown[-1]].due if shown else None,
    )


def item_goal_table(found: ItemGoals) -> GoalTable:
    """ "Status på mål" of an item: its line's goals in the period it reports on."""
    return _table(
        found.line,
        found.goals,
        periods=(period_text(found.period),),
        trend_on_last=True,
        named_on=found.period.due,
    )


def status_document(tables: list[LineGoals], *, title: str = "Status på mål") -> StatusDocument:
    return StatusDocument(
        template="status", title=title, tables=tuple(goal_table(found) for found in tables)
    )


def _table(
    line: Line,
    statuses: tuple[GoalStatus, ...],
    *,
    periods: tuple[str, ...],
    trend_on_last: bool,
    named_on: date | None,
) -> GoalTable:
    notes: list[str] = []  # revision notes, numbered in the order the rows first mark them
    rows = [row for status in statuses for row in _goal_rows(status, notes, trend_on_last)]
    widths = tuple(
        max([len(heading)] + [len(row.cells[column]) for row in rows])
        for column, heading in enumerate(HEADINGS)
    )
    numbered = tuple(
        f"{NOTE_MARKS[min(i, len(NOTE_MARKS) - 1)]} {note}" for i, note in enumerate(notes)
    )
    committee_name = line.committee_name_on(named_on)
    return GoalTable(
        heading=f"{committee_name} ({line.committee_code}) · sag {line.case_number}",
        case_number=line.case_number,
        case_title=line.case_title,
        committee_name=committee_name,
        committee_code=line.committee_code,
        periods=periods,
        rows=tuple(rows),
        notes=numbered,
        widths=widths,
    )


def _goal_rows(status: GoalStatus, notes: list[str], trend_on_last: bool) -> list[GoalRow]:
    """One goal's rows, a row per period with a target or a value; the goal is named on its
    first row and the trend shown on its last."""
    goal = status.goal
    words = [DIRECTION_LABELS.get(goal.direction, goal.direction)]
    if goal.unit:
        words.append(goal.unit)
    name = f"{goal.name} ({', '.join(words)})"
    shown = [row for row in status.periods if row.target is not None or row.value is not None]
    rows = []
    for index, row in enumerate(shown):
        mark = ""
        if row.target is not None and row.target.replaced is not None:
            note = _revision_note(goal.name, row.target)
            if note not in notes:
                notes.append(note)
            mark = " " + NOTE_MARKS[min(notes.index(note), len(NOTE_MARKS) - 1)]
        target = format_number(row.target.target) + mark if row.target else NOT_REPORTED
        value = (
            format_number(row.value.value, approximate=row.value.approximate)
            if row.value
            else NOT_REPORTED
        )
        last = index == len(shown) - 1
        rows.append(
            GoalRow(
                goal=name if index == 0 else "",
                period=row.period.key,
                target=target,
                value=value,
                assessment=ASSESSMENT_LABELS[row.assessment],
                trend=TREND_LABELS[status.trend] if status.trend and last and trend_on_last else "",
                met=row.assessment,
                goal_id=goal.id,
                period_key=row.period.key,
            )
        )
    return rows


def _revision_note(name: str, target: InForce) -> str:
    before = target.replaced
    assert before is not None
    entry = target.entry
    way = "nedjusteret" if entry.target < before.target else "opjusteret"
    if entry.target == before.target:
        way = "bekræftet"
    text = (
        f"{name}: {way} fra {format_number(before.target)} til {format_number(entry.target)} "
        f"den {long_date(entry.agreed_on)}"
    )
    return f"{text}: {entry.reason}" if entry.reason else text
