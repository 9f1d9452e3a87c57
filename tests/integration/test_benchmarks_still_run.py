"""The benchmarks are code too: ``python -m bench --smoke`` runs every one of them at a
size that only shows it still works, so a change that breaks one is caught by the suite
rather than by the next full run. Its figures mean nothing and are not looked at."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import PROJECT

# A fragment of the first row of each benchmark (bench/run.py's steps).
ROWS = (
    "advance() throughput",
    "advance() throughput, PostgreSQL",
    "peak RSS",
    "history of one case",
    "audit verify over",
    "council --help",
    "reminder sweep over",
    "council reminders run",
    "council obligations",
    "web: meeting page",
    "import of an eDoc year",
    "search «",
)


def test_every_benchmark_runs_to_its_row_at_the_smoke_scale(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--output", str(report)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 1: a target missed at this size
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    text = report.read_text()
    assert "scale: smoke" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert not [row for row in rows if "| error:" in row]
    assert [name for name in ROWS if not any(name in row for row in rows)] == []
    assert not (PROJECT / "BENCHMARKS.md").read_text().count("scale: smoke")
