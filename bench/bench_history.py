"""``council history CASE`` data: one case's rows among many audit entries.

The product runs ``cases.case_history.history`` on a read unit of work (what
``workflow.read_models.history.case_history`` does once it has the case's id). The baseline
is plain ``sqlite3`` on the same file, in a read transaction, selecting the same rows (the case's
presentations and decisions, with item title, whether it is closed, committee code, meeting
date and agenda number) through the same indexes, sorted by audit seq. A second,
informational row times the whole data path of the command (read unit of work, case id by
number, query).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.common import Result, Scale, median, raw_connection
from bench.datagen import HistoryData

PRESENTED = """
SELECT e.audit_seq, e.item_id, i.title, i.closed, c.code, e.meeting_id, m.date, e.number,
       e.from_state, e.actor, e.presented_at
FROM agenda_entry e
JOIN agenda_item i ON i.id = e.item_id
JOIN committee c ON c.id = i.committee_id
JOIN meeting m ON m.id = e.meeting_id
WHERE i.case_id = ?
"""
DECIDED = """
SELECT d.audit_seq, d.item_id, i.title, i.closed, c.code, d.meeting_id, m.date, e.number,
       d.trigger, d.from_state, d.to_state, d.outcome, d.text, d.decided_on, d.actor,
       d.recorded_at
FROM decision d
JOIN agenda_item i ON i.id = d.item_id
JOIN committee c ON c.id = i.committee_id
LEFT JOIN meeting m ON m.id = d.meeting_id
LEFT JOIN agenda_entry e ON e.meeting_id = d.meeting_id AND e.item_id = d.item_id
WHERE i.case_id = ?
"""


def raw_history(connection: sqlite3.Connection, case_id: int) -> list[tuple[Any, ...]]:
    connection.execute("BEGIN")
    rows = connection.execute(PRESENTED, (case_id,)).fetchall()
    rows += connection.execute(DECIDED, (case_id,)).fetchall()
    connection.execute("COMMIT")
    rows.sort(key=lambda row: row[0])
    return rows


def plans(connection: sqlite3.Connection, case_id: int) -> list[str]:
    found = []
    for sql in (PRESENTED, DECIDED):
        for row in connection.execute("EXPLAIN QUERY PLAN " + sql, (case_id,)):
            found.append(str(row[-1]))
    return found


def _best(function: Any, repeats: int = 200) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    return (time.perf_counter() - start) / repeats


def run(scale: Scale, app: Any, path: Path, data: HistoryData) -> list[Result]:
    from council.cases import case_history as history_store
    from council.cases import case_records
    from council.workflow.read_models.history import case_history

    database = app.database
    with database.reading() as session:
        case = case_records.by_number(session, data.target_case)
    connection = raw_connection(path)
    assert case.id is not None
    case_id = case.id
    expected = raw_history(connection, case_id)
    with database.unit_of_work(write=False) as uow:
        rows = history_store.history(uow, case_id)
    if [row.seq for row in rows] != [row[0] for row in expected] or len(rows) != data.target_rows:
        raise AssertionError("the product and the baseline disagree on the case's history rows")
    scans = [plan for plan in plans(connection, case_id) if plan.startswith("SCAN")]

    def product() -> None:
        with database.unit_of_work(write=False) as uow:
            history_store.history(uow, case_id)

    def whole() -> None:
        case_history(database, data.target_case)

    def baseline() -> None:
        raw_history(connection, case_id)

    def empty_unit() -> None:
        with database.unit_of_work(write=False) as uow:
            uow.connection()

    def raw_empty() -> None:
        connection.execute("BEGIN")
        connection.execute("COMMIT")

    raw_times: list[float] = []
    product_times: list[float] = []
    whole_times: list[float] = []
    for function in (baseline, product, whole):  # warm up
        function()
    for _ in range(scale.history_repeats):
        for function, times in (
            (baseline, raw_times),
            (product, product_times),
            (whole, whole_times),
        ):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    unit_t = min(_best(empty_unit), _best(empty_unit))
    raw_unit_t = min(_best(raw_empty), _best(raw_empty))
    connection.close()
    raw_t, product_t, whole_t = median(raw_times), median(product_times), median(whole_times)
    ratio = product_t / raw_t
    return [
        Result(
            name=f"history of one case among {data.entries:,} audit entries (the query)",
            figure=f"{product_t * 1e3:,.2f} ms",
            baseline=f"{raw_t * 1e3:,.2f} ms (raw indexed SELECT, same {len(expected)} rows)",
            ratio=ratio,
            target="≤ 3×",
            passed=ratio <= 3,
            notes=[
                f"median of {scale.history_repeats}; full scans in the baseline's plan: "
                f"{scans or 'none'}; of the product's time, an empty read unit of work "
                f"(its connection, BEGIN, end) takes {unit_t * 1e6:,.0f} µs "
                f"(raw BEGIN/COMMIT {raw_unit_t * 1e6:,.0f} µs)",
            ],
        ),
        Result(
            name="history data path (unit of work + case by number + query), info",
            figure=f"{whole_t * 1e3:,.2f} ms",
            baseline=f"{raw_t * 1e3:,.2f} ms",
            ratio=whole_t / raw_t,
            target="—",
            passed=None,
        ),
    ]
