"""The web application's meeting page and item page, among 100,000 items.

The database is made by ``datagen.build_history`` (one item per case, fifty items on each
meeting's agenda, each postponed at one meeting and taken to note at the next). Both pages
are requested as an anonymous visitor through the ASGI test client: the meeting page of a
meeting with 53 items (the seed case's three among them), and the seed case's third item.

The baseline is a bare Starlette application on the same file through the same driver
(``sqlite3``), requested through the same client: one handler per page, each selecting the
rows the page shows (the agenda's items with their case numbers, their decisions with the
meeting dates, their attachments; for the item, the item, its case and committee, its
decisions and attachments) and returning them as JSON. Every request is timed; the figures
are the median and the 95th percentile of each, and the ratio at p95 (target ≤ 3×).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import SQLITE_PRAGMAS, Result, Scale, make_app
from bench.datagen import ENTRIES_PER_CASE, build_history

MEETING_ROWS = """
SELECT e.number, i.id, i.title, i.kind, i.closed, i.summary, i.administration,
       i.recommendation, i.problem, i.solution, i.economy, i.next_steps, i.signatures,
       i.state, c.number
FROM agenda_entry e
JOIN agenda_item i ON i.id = e.item_id
JOIN case_record c ON c.id = i.case_id
WHERE e.meeting_id = ?
ORDER BY e.number
"""
MEETING_DECISIONS = """
SELECT d.item_id, d.meeting_id, d.decided_on, d.outcome, d.to_state, d.text, m.date
FROM decision d
LEFT JOIN meeting m ON m.id = d.meeting_id
WHERE d.item_id IN (SELECT item_id FROM agenda_entry WHERE meeting_id = ?)
ORDER BY d.audit_seq
"""
MEETING_ATTACHMENTS = """
SELECT a.item_id, a.title FROM attachment a
WHERE a.item_id IN (SELECT item_id FROM agenda_entry WHERE meeting_id = ?)
ORDER BY a.item_id, a.position
"""
MEETING_HEAD = """
SELECT m.id, m.date, m.start_time, m.place, m.held_at, c.code, c.name
FROM meeting m JOIN committee c ON c.id = m.committee_id WHERE m.id = ?
"""
ITEM_ROW = """
SELECT i.id, i.title, i.kind, i.closed, i.summary, i.administration, i.recommendation,
       i.problem, i.solution, i.economy, i.next_steps, i.signatures, i.state, i.version,
       c.number, k.code, k.name,
       (SELECT number FROM agenda_entry WHERE item_id = i.id ORDER BY id DESC LIMIT 1)
FROM agenda_item i
JOIN case_record c ON c.id = i.case_id
JOIN committee k ON k.id = i.committee_id
WHERE i.id = ?
"""
ITEM_DECISIONS = """
SELECT d.meeting_id, d.decided_on, d.outcome, d.to_state, d.text, m.date
FROM decision d LEFT JOIN meeting m ON m.id = d.meeting_id
WHERE d.item_id = ? ORDER BY d.audit_seq
"""
ITEM_ATTACHMENTS = "SELECT title FROM attachment WHERE item_id = ? ORDER BY position"


def baseline_app(path: Path) -> Any:
    """A bare Starlette application returning the pages' rows as JSON."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        connection.execute(pragma)

    def rows(sql: str, *params: Any) -> list[Any]:
        return connection.execute(sql, params).fetchall()

    def meeting(request: Request) -> Response:
        meeting_id = int(request.path_params["meeting_id"])
        connection.execute("BEGIN")
        body = {
            "meeting": rows(MEETING_HEAD, meeting_id),
            "items": rows(MEETING_ROWS, meeting_id),
            "decisions": rows(MEETING_DECISIONS, meeting_id),
            "attachments": rows(MEETING_ATTACHMENTS, meeting_id),
        }
        connection.execute("COMMIT")
        return Response(json.dumps(body, default=str), media_type="application/json")

    def item(request: Request) -> Response:
        item_id = int(request.path_params["item_id"])
        connection.execute("BEGIN")
        body = {
            "item": rows(ITEM_ROW, item_id),
            "decisions": rows(ITEM_DECISIONS, item_id),
            "attachments": rows(ITEM_ATTACHMENTS, item_id),
        }
        connection.execute("COMMIT")
        return Response(json.dumps(body, default=str), media_type="application/json")

    return Starlette(
        routes=[Route("/meeting/{meeting_id}", meeting), Route("/item/{item_id}", item)]
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(scale: Scale, workdir: Path) -> list[Result]:
    from datetime import UTC, datetime

    from fastapi.testclient import TestClient

    from council.workflow.web import create_asgi_app

    path = workdir / "web.db"
    app = make_app(path)
    data = build_history(path, scale.web_items * ENTRIES_PER_CASE + 60)
    raw = sqlite3.connect(path)
    items = int(raw.execute("SELECT count(*) FROM agenda_item").fetchone()[0])
    meeting_id = int(
        raw.execute(
            "SELECT meeting_id FROM agenda_entry WHERE item_id = ? ORDER BY id LIMIT 1",
            (data.target_item,),
        ).fetchone()[0]
    )
    agenda_size = int(
        raw.execute(
            "SELECT count(*) FROM agenda_entry WHERE meeting_id = ?", (meeting_id,)
        ).fetchone()[0]
    )
    raw.close()
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    product = TestClient(create_asgi_app(app, secret_key="bench", clock=lambda: moment))
    bare = TestClient(baseline_app(path))
    pages = {
        "meeting": (f"/moeder/{meeting_id}", f"/meeting/{meeting_id}"),
        "item": (f"/punkter/{data.target_item}", f"/item/{data.target_item}"),
    }
    for product_path, bare_path in pages.values():  # warm up, and check both answer
        for _ in range(3):
            assert product.get(product_path).status_code == 200
            assert bare.get(bare_path).status_code == 200
    times: dict[tuple[str, str], list[float]] = {
        (page, who): [] for page in pages for who in ("product", "bare")
    }
    for _ in range(scale.web_repeats):
        for page, (product_path, bare_path) in pages.items():
            for who, client, target in (
                ("bare", bare, bare_path),
                ("product", product, product_path),
            ):
                start = time.perf_counter()
                client.get(target)
                times[(page, who)].append(time.perf_counter() - start)
    app.database.dispose()
    results = []
    for page, label in (
        ("meeting", f"meeting page ({agenda_size} items on the agenda)"),
        ("item", "item page"),
    ):
        mine, theirs = times[(page, "product")], times[(page, "bare")]
        p95, bare95 = percentile(mine, 0.95), percentile(theirs, 0.95)
        ratio = p95 / bare95
        results.append(
            Result(
                name=f"web: {label} among {items:,} items, p95",
                figure=f"p95 {p95 * 1e3:,.2f} ms, median {statistics.median(mine) * 1e3:,.2f} ms",
                baseline=(
                    f"p95 {bare95 * 1e3:,.2f} ms, median {statistics.median(theirs) * 1e3:,.2f} ms"
                    " (bare Starlette, same rows, sqlite3)"
                ),
                ratio=ratio,
                target="≤ 3× at p95",
                passed=ratio <= 3,
                notes=[
                    f"{scale.web_repeats} requests each through the ASGI test client; median "
                    f"ratio {statistics.median(mine) / statistics.median(theirs):,.2f}×",
                ],
            )
        )
    return results
