"""``council search`` among many items, against the database's own full-text query.

Setup: ``scale.search_items`` cases, each with one item, written as the product writes
them (bench.datagen's bulk writer, audit entries included); one item in a hundred speaks of
"havnebad", one in three of "budget". The index is then built by the product's
own ``council search --reindex`` (timed, information). SQLite only: FTS5 with the words
stemmed in Python by Snowball's Danish stemmer.

The product runs ``read_models.search.search`` as the CLI does (its own read transaction,
the ranked and grouped index query, the cases and items of the hits, their texts and a
snippet for each), for 20 hits as the public sees them. The baseline is plain ``sqlite3``
on the same file running the bare FTS5 query for the same stemmed words (``MATCH``, ordered
by rank, the same limit). Both warm: each runs its query once before it is timed, and the
figures are the best of several runs.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import Result, Scale, make_app, ms, raw_connection
from bench.datagen import Bulk

LIMIT = 20
REPEATS = 30
AT = datetime(2010, 1, 4, 9, 0, tzinfo=UTC)
WORDS = (
    "skoleudbygning",
    "ældrepleje",
    "cykelsti",
    "bydelsplan",
    "daginstitution",
    "affaldssortering",
    "klimatilpasning",
    "boligsocial",
    "idrætsfaciliteter",
    "sundhedshus",
)
QUERIES = (
    ("havnebad", "a word in 1 % of the items"),
    ("budget", "a word in a third of them"),
    ("budget skoleudbygning", "two words together"),
)


def run(scale: Scale, workdir: Path) -> list[Result]:
    path = workdir / "search.db"
    app = make_app(path)
    _write_items(path, scale.search_items)
    reindex_seconds, parts = _reindex(app)
    results: list[Result] = []
    for text, what in QUERIES:
        product = _best(partial(_product_search, app, text))
        bare, hits = _bare_best(path, app, text)
        ratio = product / bare
        results.append(
            Result(
                name=f"search «{text}» among {scale.search_items:,} items ({what})",
                figure=ms(product),
                baseline=f"{ms(bare)} (FTS5 MATCH … ORDER BY rank, bare)",
                ratio=ratio,
                target="≤ 3×",
                passed=ratio <= 3.0,
                notes=[f"best of {REPEATS}; {hits} index hits for the bare query"],
            )
        )
    app.database.dispose()
    results.append(
        Result(
            name=f"council search --reindex of {scale.search_items:,} items, info",
            figure=f"{parts / reindex_seconds:,.0f} parts/s ({reindex_seconds:,.1f} s)",
            baseline="—",
            ratio=None,
            target="—",
            passed=None,
            notes=[f"{parts:,} parts: one per case and per item"],
        )
    )
    return results


def _write_items(path: Path, count: int) -> None:
    chooser = random.Random(2010)
    bulk = Bulk(path)
    committee_id = bulk.committee_id("SUD")
    for number in range(1, count + 1):
        words = [chooser.choice(WORDS)]
        if number % 100 == 0:
            words.append("havnebad")
        if number % 3 == 0:
            words.append("budget")
        title = "Status for " + " og ".join(words)
        case_number = f"2010-{number:07d}"
        case_id = bulk.case(case_number, title=title, owner="Sundhedsforvaltningen", at=AT)
        bulk.item(
            case_id=case_id,
            case_number=case_number,
            committee_id=committee_id,
            committee_code="SUD",
            title=title,
            at=AT,
        )
    bulk.close()


def _reindex(app: Any) -> tuple[float, int]:
    from council.workflow.services.search import reindex

    start = time.perf_counter()
    parts = reindex(app.database.unit_of_work())
    return time.perf_counter() - start, parts


def _product_search(app: Any, text: str) -> int:
    from council.workflow.read_models.search import search
    from council.workflow.visibility import PUBLIC

    return len(search(app.database, app.rulebook, text, audience=PUBLIC, limit=LIMIT))


def _bare_best(path: Path, app: Any, text: str) -> tuple[float, int]:
    from council.cases import search_index
    from council.workflow.read_models.search import read_query

    words = read_query(text).fts5()
    sql = (
        f"SELECT rowid, rank FROM {search_index.FTS_TABLE} "
        f"WHERE {search_index.FTS_TABLE} MATCH ? ORDER BY rank LIMIT ?"
    )
    connection = raw_connection(path)
    try:
        hits = len(connection.execute(sql, (words, LIMIT)).fetchall())
        return _best(lambda: _fetch(connection, sql, words)), hits
    finally:
        connection.close()


def _fetch(connection: sqlite3.Connection, sql: str, words: str) -> int:
    return len(connection.execute(sql, (words, LIMIT)).fetchall())


def _best(function: Callable[[], Any]) -> float:
    function()
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)
