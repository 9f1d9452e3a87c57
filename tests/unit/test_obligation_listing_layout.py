"""``council obligations`` lays out each distinct period and owner once and reuses it: every
row must still read exactly as it does laid out alone, whatever the rows share.

The reference below is the layout rule itself, row by row: a row whose cells all fit their
columns is one line of its cells as they are; in any other row a cell that fits and is
plain stays whole, and every other cell is wrapped in its column.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import zip_longest

from hypothesis import given, settings
from hypothesis import strategies as st

from council.cases.obligations.fulfilment import Fulfilment
from council.cases.obligations.lines import Line
from council.cases.obligations.periods import Period, PeriodState
from council.cases.obligations.status import PeriodStatus
from council.cases.obligations.steps import Step
from council.workflow.read_models import obligations as reads
from council.workflow.read_models.json_form import json_line

TODAY = date(2010, 3, 1)


def reference_lines(row: PeriodStatus, width: int) -> list[str]:
    """One row laid out on its own, cell by cell."""
    free = max(width, 80) - 38 - 12
    next_width = 21 if free >= 42 else max(13, free * 2 // 5)
    widths = (5, 10, 6, 7, 10, max(13, free - next_width), next_width)
    cells = (
        str(row.line.id),
        row.line.case_number,
        row.line.committee_code,
        row.period.key,
        row.period.due.strftime("%d.%m.%Y"),
        reads.describe_state(row),
        reads.describe_next(row),
    )

    def line(parts: tuple[str, ...]) -> str:
        return "  ".join(part.ljust(w) for part, w in zip(parts, widths, strict=True)).rstrip()

    if all(len(cell) <= w for cell, w in zip(cells, widths, strict=True)):
        return [line(cells)]
    parts = [
        [cell]
        if len(cell) <= w and cell.isprintable() and cell == cell.strip()
        else textwrap.wrap(cell, w, break_long_words=True, break_on_hyphens=False) or [""]
        for cell, w in zip(cells, widths, strict=True)
    ]
    return [line(cells) for cells in zip_longest(*parts, fillvalue="")]


def a_line(number: int, case_number: str, committee: str, recipients: tuple[str, ...]) -> Line:
    return Line(
        number, 1, 1, "", date(2008, 8, 1), date(2010, 12, 31), "FREQ=YEARLY", "12-31",
        (60, 14, 0), 7, recipients, case_number, "Aftale", "Forvaltningen", committee, "Udvalg",
    )  # fmt: skip


def a_row(line: Line, due: date, kind: str, item: int | None, step: int | None) -> PeriodStatus:
    fulfilled = Fulfilment(date(2009, 12, 2), item, 7, "taget_til_efterretning") if item else None
    days = (due - TODAY).days
    state = PeriodState(
        kind=kind,  # type: ignore[arg-type]
        today=TODAY,
        due=due,
        days_until_due=days,
        days_overdue=max(0, -days) if kind == "overdue" else 0,
        days_late=3 if kind == "late_fulfilled" else 0,
        fulfilled_on=fulfilled.on if fulfilled else None,
    )
    coming = (
        None
        if step is None
        else Step(
            key=("lead-60", "due", f"overdue-{step}")[step % 3],
            kind=("lead", "due", "overdue")[step % 3],  # type: ignore[arg-type]
            day=date(2010, 3, 2),
            due_at=datetime(2010, 3, 2, 7, tzinfo=UTC),
        )
    )
    period = Period(key=str(due.year), start=date(due.year, 1, 1), end=due, due=due)
    return PeriodStatus(line, period, state, fulfilled, coming)


# Case numbers and codes as an import may bring them: long, with spaces, line breaks,
# control characters, a bidi override, quotes and JavaScript's line separator.
TEXTS = st.sampled_from(
    ["2010-4130", "BENCH-LATER", "2010 4130 ", "a\tb", "x\x1b[31my", "\u202eevil", '"q"\u2028', ""]
)
CODES = st.sampled_from(["SUD", "BIU", "KFU-LONG", "S\rD"])
ROWS = st.builds(
    lambda number, case, code, due, kind, item, step, recipients: a_row(
        a_line(number, case, code, recipients), due, kind, item, step
    ),
    st.sampled_from([1, 42, 99999, 100000, 123456789]),
    TEXTS,
    CODES,
    st.sampled_from([date(2009, 12, 31), date(2010, 3, 1), date(2010, 12, 31)]),
    st.sampled_from(["upcoming", "due_soon", "overdue", "fulfilled", "late_fulfilled"]),
    st.sampled_from([None, 1, 123456]),
    st.sampled_from([None, 1, 2, 13]),
    st.sampled_from([(), ("a@kk.example",), ("b@kk.example", "\u2029x")]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(ROWS, max_size=12), st.sampled_from([40, 80, 100, 140]))
def test_every_row_of_the_table_reads_as_it_does_laid_out_alone(
    rows: list[PeriodStatus], width: int
) -> None:
    heading = len(list(reads.table_lines([], width=width)))
    # each row twice: the second finds its cells laid out already
    laid = list(reads.table_lines(rows + rows, width=width))[heading:]
    assert laid == [text for row in rows + rows for text in reference_lines(row, width)]


@settings(max_examples=150, deadline=None)
@given(st.lists(ROWS, max_size=12))
def test_every_json_line_is_the_rows_record_as_json(rows: list[PeriodStatus]) -> None:
    assert list(reads.json_lines(rows + rows)) == [
        json_line(reads.as_record(row)) for row in rows + rows
    ]


def fresh_rows(count: int) -> Iterator[PeriodStatus]:
    """Rows whose period, state and step are new objects each time and dropped after use,
    so that CPython hands the next row's objects the addresses the last ones had."""
    for n in range(count):
        due = date(2009 + n % 3, 12, 31)
        yield a_row(a_line(n, "2010-4130", "SUD", ()), due, "overdue", None, n % 7)


def test_rows_that_reuse_dropped_objects_addresses_are_laid_out_from_their_own_values() -> None:
    heading = len(list(reads.table_lines([], width=80)))
    table = list(reads.table_lines(fresh_rows(300), width=80))[heading:]
    assert table == [text for row in fresh_rows(300) for text in reference_lines(row, 80)]
    records = list(reads.json_lines(fresh_rows(300)))
    assert records == [json_line(reads.as_record(row)) for row in fresh_rows(300)]
