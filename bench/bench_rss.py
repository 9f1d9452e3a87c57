"""Peak RSS while advancing items in batches, in a separate process.

``bench.rss_worker`` advances drafted items (put before a meeting, then taken to note:
two transactions each) in batches (about forty over the run) and reports VmRSS/VmHWM
after each batch.
Advancing 1,000,000 items takes far longer than the ten minutes the whole bench command
may use on a small machine, so the run is capped by time and the result extrapolated:
the growth per item is the least-squares slope of RSS over the second half of the run
(after imports, caches and SQLite's page cache have filled), and the projected peak at
1,000,000 items is the measured peak plus that slope (if positive) times the items left.
The target holds if the projection stays under 300 MB and the slope is flat
(under 30 bytes per item, i.e. under 30 MB per million items).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.common import Result, Scale, make_app
from bench.datagen import draft_items

TARGET_ITEMS = 1_000_000
LIMIT_MB = 300.0
FLAT_BYTES_PER_ITEM = 30.0
SAMPLES = 40


def slope(points: list[tuple[float, float]]) -> float:
    n = len(points)
    if n < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    if var == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var


def run(scale: Scale, workdir: Path, items_per_second: float) -> list[Result]:
    path = workdir / "rss.db"
    app = make_app(path)
    app.database.dispose()
    count = min(scale.rss_items, int(items_per_second * scale.rss_seconds * 1.5) + 200)
    batch = max(20, int(items_per_second * scale.rss_seconds) // SAMPLES)
    drafted = draft_items(path, count, meetings=1)
    command = [
        sys.executable,
        "-m",
        "bench.rss_worker",
        str(path),
        "--first-item",
        str(drafted.item_ids[0]),
        "--items",
        str(count),
        "--meeting",
        str(drafted.meetings[0]),
        "--batch",
        str(batch),
        "--seconds",
        str(scale.rss_seconds),
    ]
    done = subprocess.run(
        command,
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"the RSS worker failed: {done.stderr[-800:]}")
    samples: list[dict[str, Any]] = [json.loads(line) for line in done.stdout.splitlines()]
    advanced = samples[-1]["items"]
    peak_mb = max(s["peak_kb"] for s in samples) / 1024
    start_mb = samples[1]["rss_kb"] / 1024 if len(samples) > 1 else samples[0]["rss_kb"] / 1024
    second_half = [
        (s["items"], s["rss_kb"] * 1024.0) for s in samples if s["items"] >= advanced / 2
    ]
    per_item = slope(second_half)
    projected_mb = peak_mb + max(0.0, per_item) * (TARGET_ITEMS - advanced) / 2**20
    flat = per_item < FLAT_BYTES_PER_ITEM
    passed = projected_mb < LIMIT_MB and flat
    curve = ", ".join(
        f"{s['items']:,}: {s['rss_kb'] / 1024:.1f}"
        for s in [*samples[:: max(1, len(samples) // 8)], samples[-1]]
    )
    seconds = samples[-1]["seconds"]
    full_minutes = TARGET_ITEMS / max(advanced / max(seconds, 1e-9), 1e-9) / 60
    measured = advanced >= TARGET_ITEMS
    how = (
        "every item measured (python -m bench --full)"
        if measured
        else f"1,000,000 items at this pace would take {full_minutes:,.0f} min, beyond the "
        "time this run may use: extrapolated as described in bench_rss.py"
    )
    name = "measured to 1M" if measured else f"measured {advanced:,}, projected to 1M"
    return [
        Result(
            name=f"advance items in batches: peak RSS ({name})",
            figure=f"peak {peak_mb:,.1f} MB; projected {projected_mb:,.1f} MB",
            baseline="—",
            ratio=None if advanced == 0 else projected_mb / LIMIT_MB,
            target="< 300 MB, flat",
            passed=passed,
            notes=[
                f"{advanced:,} items ({2 * advanced:,} transitions) in {seconds:,.0f} s; RSS "
                f"after the first batch {start_mb:,.1f} MB; growth over the second half "
                f"{per_item:,.1f} bytes/item ({'flat' if flat else 'NOT flat'}); RSS MB by "
                f"items: {curve}",
                how,
            ],
        )
    ]
