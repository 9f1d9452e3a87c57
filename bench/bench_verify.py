"""``council audit verify`` over the whole trail, against sha256 over the same bytes.

The product runs ``cases.audit_verify.verify`` in a read unit of work (what the command
does). The baseline is ``hashlib.sha256`` over exactly the bytes the chain hashes
(``prev_hash + body``, UTF-8) with the bytes already in memory: the cost of the hashing
alone. An informational row adds the cheapest possible read of those bytes from the file
(plain ``sqlite3``, streaming, no checks): the floor for any verifier that reads the trail;
a third adds ``json.loads`` of every body, the floor for one that also rebuilds the records
from the bodies to compare them with the tables (as ``audit verify`` does).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from bench.common import Result, Scale, raw_connection
from bench.datagen import HistoryData

CHUNK = 50_000


def hash_only(path: Path) -> float:
    """Seconds spent in sha256 over every entry's bytes (read and encoded untimed)."""
    connection = raw_connection(path)
    spent = 0.0
    last = 0
    while True:
        rows = connection.execute(
            "SELECT seq, prev_hash, body FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?",
            (last, CHUNK),
        ).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        chunk = [(prev + body).encode("utf-8") for _, prev, body in rows]
        sha256 = hashlib.sha256
        start = time.perf_counter()
        for data in chunk:
            sha256(data).hexdigest()
        spent += time.perf_counter() - start
    connection.close()
    return spent


def read_and_hash(path: Path) -> float:
    connection = raw_connection(path)
    sha256 = hashlib.sha256
    start = time.perf_counter()
    connection.execute("BEGIN")
    for prev, body, digest in connection.execute(
        "SELECT prev_hash, body, hash FROM audit_entry ORDER BY seq"
    ):
        if sha256((prev + body).encode("utf-8")).hexdigest() != digest:
            raise AssertionError("the generated trail does not hash")
    connection.execute("COMMIT")
    spent = time.perf_counter() - start
    connection.close()
    return spent


def read_hash_and_parse(path: Path) -> float:
    """The floor of a verifier that also rebuilds the records: read, sha256, json.loads."""
    connection = raw_connection(path)
    sha256, loads = hashlib.sha256, json.loads
    start = time.perf_counter()
    connection.execute("BEGIN")
    for prev, body, digest in connection.execute(
        "SELECT prev_hash, body, hash FROM audit_entry ORDER BY seq"
    ):
        if sha256((prev + body).encode("utf-8")).hexdigest() != digest:
            raise AssertionError("the generated trail does not hash")
        loads(body)
    connection.execute("COMMIT")
    spent = time.perf_counter() - start
    connection.close()
    return spent


def run(scale: Scale, app: Any, path: Path, data: HistoryData) -> list[Result]:
    from council.cases.audit_verify import verify

    entries = data.entries
    baseline = min(hash_only(path) for _ in range(2))
    floor = read_and_hash(path)
    parse_floor = read_hash_and_parse(path)
    product = []
    for _ in range(scale.verify_repeats):
        start = time.perf_counter()
        with app.database.reading() as session:
            report = verify(session)
        product.append(time.perf_counter() - start)
        if not report.ok or report.entries != entries:
            raise AssertionError(f"the generated trail does not verify: {report}")
    best = min(product)
    ratio = baseline / best
    return [
        Result(
            name=f"audit verify over {entries:,} entries",
            figure=f"{entries / best:,.0f} entries/s ({best:,.1f} s)",
            baseline=f"{entries / baseline:,.0f} entries/s (sha256 over the same bytes)",
            ratio=ratio,
            target="≥ 0.5×",
            passed=ratio >= 0.5,
            notes=[f"best of {scale.verify_repeats}; the baseline is the best of 2"],
        ),
        Result(
            name="read the trail with sqlite3 + sha256 (the floor), info",
            figure=f"{entries / floor:,.0f} entries/s ({floor:,.1f} s)",
            baseline=f"{entries / baseline:,.0f} entries/s",
            ratio=baseline / floor,
            target="—",
            passed=None,
        ),
        Result(
            name="... + json.loads of every body (the floor of rebuilding records), info",
            figure=f"{entries / parse_floor:,.0f} entries/s ({parse_floor:,.1f} s)",
            baseline=f"{entries / baseline:,.0f} entries/s",
            ratio=baseline / parse_floor,
            target="—",
            passed=None,
        ),
    ]
