"""``council audit verify`` over the whole trail, against sha256 over the same bytes.

The product runs ``cases.audit_verify.verify`` in a read unit of work (what the command
does). The baseline is ``hashlib.sha256`` over exactly the bytes the chain hashes
(``prev_hash + body``, UTF-8) with the bytes already in memory: the cost of the hashing
alone. An informational row adds the cheapest possible read of those bytes from the file
(plain ``sqlite3``, streaming, no checks): the floor for any verifier that reads the trail;
a third adds ``json.loads`` of every body, the floor for one that also rebuilds the records
from the bodies to compare them with the tables (as ``audit verify`` does).

``verify memory`` runs the same verify in a process of its own
(``bench.verify_rss_worker``) and reports its peak resident memory (VmHWM), beside the
memory of that process once the product is imported and connected, and the growth per
entry: what verify's peak adds to the peak of a walk that only checks the chain (streamed
in pages, nothing kept), divided by the entries. The trail is streamed, so what grows with
it is only the rebuilt rows (a packed fingerprint per part, ``cases.audit_rows``).

``verify since checkpoint`` is ``audit verify --since-checkpoint`` (``check_trail``, what the
command runs: the log read and its signatures checked, every checkpoint looked up in the
trail, the entries after the last one walked) with a checkpoint signed 1,000 entries before
the head, against the full verify of the same trail measured above: the goal is ≥ 50×.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
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
    product, cpu = [], []
    for _ in range(scale.verify_repeats):
        start, times = time.perf_counter(), os.times()
        with app.database.reading() as session:
            report = verify(session)
        product.append(time.perf_counter() - start)
        cpu.append(_cpu_since(times))
        if not report.ok or report.entries != entries:
            raise AssertionError(f"the generated trail does not verify: {report}")
    best = min(product)
    own = cpu[product.index(best)]
    ratio = baseline / best
    quick = since_checkpoint(app, path, best)
    memory = verify_memory(path)
    return [
        Result(
            name=f"audit verify over {entries:,} entries",
            figure=f"{entries / best:,.0f} entries/s ({best:,.1f} s)",
            baseline=f"{entries / baseline:,.0f} entries/s (sha256 over the same bytes)",
            ratio=ratio,
            target="≥ 0.25× (stretch 0.5×)",
            passed=ratio >= 0.25,
            notes=[
                f"best of {scale.verify_repeats}; the baseline is the best of 2",
                f"CPU time of that run {own:,.2f} s (one process)",
            ],
        ),
        quick,
        memory,
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


def _cpu_since(before: os.times_result) -> float:
    """This process's CPU seconds (user and system) since ``before``."""
    now = os.times()
    return now.user + now.system - before.user - before.system


LIMIT_MB = 100.0
FLAT_BYTES_PER_ENTRY = 30.0  # under 30 MB a million entries


def verify_memory(path: Path) -> Result:
    """Peak RSS of ``audit verify`` over the whole trail, in a fresh process."""
    command = [sys.executable, "-m", "bench.verify_rss_worker", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    if not found["ok"]:
        raise AssertionError(f"the generated trail does not verify: {found['problem']}")
    entries, peak_mb = found["entries"], found["peak_kb"] / 1024
    floor_mb = found["before_kb"] / 1024
    streaming_mb = found["streaming_kb"] / 1024
    per_entry = (found["peak_kb"] - found["streaming_kb"]) * 1024 / entries
    return Result(
        name=f"audit verify over {entries:,} entries, peak RSS",
        figure=f"{peak_mb:,.0f} MB (the rows it keeps: {per_entry:,.1f} bytes an entry)",
        baseline=f"{floor_mb:,.0f} MB (the process imported and connected, before the walk)",
        ratio=None,
        target=f"< {LIMIT_MB:.0f} MB, < {FLAT_BYTES_PER_ENTRY:.0f} bytes an entry",
        passed=peak_mb < LIMIT_MB and per_entry < FLAT_BYTES_PER_ENTRY,
        notes=[
            f"VmHWM of a process that runs verify once ({found['seconds']:,.1f} s there); "
            f"a walk that only checks the chain peaks at {streaming_mb:,.0f} MB (pages "
            "streamed); the rebuilt rows are the part that grows with the trail",
        ],
    )


CHECKPOINT_BACK = 1_000
QUICK_REPEATS = 20


def since_checkpoint(app: Any, path: Path, full_best: float) -> Result:
    """``audit verify --since-checkpoint`` with a checkpoint 1,000 entries before the head."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    from council.cases.audit_anchors import trail_head
    from council.cases.audit_keys import generate_key_pair, load_signing_key, public_key_path
    from council.cases.checkpoint_log import appending, signed
    from council.workflow.app import App
    from council.workflow.read_models.audit import check_trail

    folder = path.parent / "anchor"
    folder.mkdir(exist_ok=True)
    key_path, log_path = folder / "audit-key", folder / "council.checkpoints"
    generate_key_pair(key_path, public_key_path(key_path))
    with app.database.reading() as session:
        head = trail_head(session)
        back = head.entries - CHECKPOINT_BACK
        digest = session.execute(
            text("SELECT hash FROM audit_entry WHERE seq = :seq"), {"seq": back}
        ).scalar_one()
    # the checkpoint as 'council audit checkpoint' signed it when the trail was that long
    with appending(log_path) as log:
        log.append(
            signed(
                load_signing_key(key_path),
                number=log.next_number,
                prev=log.next_prev,
                database=head.database_id,
                entries=back,
                head=digest,
                at=datetime.now(UTC),
            )
        )
    anchored = App(
        settings=app.settings.model_copy(update={"audit_key": key_path, "checkpoint_log": log_path})
    )
    times = []
    for _ in range(QUICK_REPEATS):
        start = time.perf_counter()
        result = check_trail(anchored, since_checkpoint=True)
        times.append(time.perf_counter() - start)
        if not result.ok or result.since is None or result.since.entries != back:
            raise AssertionError(f"the quick check did not verify: {result.problems}")
    anchored.database.dispose()
    best = min(times)
    ratio = full_best / best
    return Result(
        name=f"verify since checkpoint ({CHECKPOINT_BACK:,} entries back of {head.entries:,})",
        figure=f"{best * 1000:,.1f} ms",
        baseline=f"{full_best:,.1f} s (the full verify above)",
        ratio=ratio,
        target="≥ 50× faster",
        passed=ratio >= 50,
        notes=[
            f"best of {QUICK_REPEATS}; audit verify --since-checkpoint as the command runs it "
            "(log and signature read, checkpoints looked up, the entries after the last one "
            "walked); the records are compared by the full verify only"
        ],
    )
