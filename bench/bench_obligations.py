"""``council obligations`` over a municipality's obligation lines: the table and ``--json``.

The database is the sweep's (``bench_sweep.build_lines``: 100,000 lines; 10,000 with
``--quick``). Each side runs as a whole process writing into a pipe that the bench reads
and throws away, so both pay their start-up and their writing: the product is the installed
``council obligations --at 2010-03-01`` (the Danish table at 80 columns, and ``--json``);
the baseline is plain ``sqlite3`` in ``python -c`` running the product's own select (compiled
from ``cases.obligations.lines.LISTING``: the same columns, joins and order, unpaged where
the product reads 1,000 lines at a time) and writing each row's columns as a line of plain
text. Figures: wall time, the
time to the first line (the output is streamed), and the peak RSS of the product's process.
Every process runs twice, interleaved; the faster run counts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.bench_sweep import build_lines
from bench.common import Result, Scale

AT = "2010-03-01"
TARGET = 3.0
RSS_LIMIT_MB = 150
BASELINE = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
write = sys.stdout.write
for row in connection.execute(sys.argv[2]):
    write("  ".join(map(str, row)) + "\\n")
"""


def listing_sql() -> str:
    """The overview's own select (every line, its case and committee, whether an item is
    linked, in the listing's order) as SQLite runs it: the baseline runs the same query."""
    from sqlalchemy.dialects import sqlite

    from council.cases.obligations.lines import LISTING

    return str(LISTING.compile(dialect=sqlite.dialect()))


def run(scale: Scale, workdir: Path) -> list[Result]:
    database = workdir / "obligations.db"
    database.unlink(missing_ok=True)
    build_lines(database, scale.sweep_lines)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env |= {"COUNCIL_DATABASE_URL": f"sqlite:///{database}", "COLUMNS": "80"}
    council = str(Path(sys.executable).with_name("council"))
    commands = {
        "baseline": [sys.executable, "-c", BASELINE, str(database), listing_sql()],
        "table": [council, "obligations", "--at", AT],
        "json": [council, "obligations", "--at", AT, "--json"],
    }
    best: dict[str, tuple[float, float, float]] = {}
    for _ in range(2):
        for name, command in commands.items():
            measured = _once(command, env)
            if name not in best or measured[0] < best[name][0]:
                best[name] = measured
    base_seconds = best["baseline"][0]
    results = []
    for name, label in (("table", "the table"), ("json", "--json")):
        seconds, first, rss = best[name]
        ratio = seconds / base_seconds
        results.append(
            Result(
                name=f"council obligations, {label}, {scale.sweep_lines:,} lines",
                figure=f"{seconds:,.2f} s, first line {first:,.2f} s, peak RSS {rss:,.0f} MB",
                baseline=f"{base_seconds:,.2f} s (raw sqlite3, the same select, as plain text)",
                ratio=ratio,
                target=f"≤ {TARGET:g}×, < {RSS_LIMIT_MB} MB",
                passed=ratio <= TARGET and rss < RSS_LIMIT_MB,
                notes=["whole processes into a pipe, the faster of two runs"],
            )
        )
    database.unlink(missing_ok=True)
    return results


# A process started by this one inherits its peak RSS as its own starting peak (Linux
# records the parent's high-water mark at fork and exec), and this bench process is large
# after building the lines. So each command runs as the child of a small launcher, which
# reports the command's own peak through a pipe.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
os.write(int(sys.argv[1]), str(usage.ru_maxrss).encode())
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _once(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, seconds to the first line, and peak RSS in MB of one process."""
    peak_read, peak_write = os.pipe()
    launched = [sys.executable, "-c", LAUNCHER, str(peak_write), *command]
    start = time.perf_counter()
    process = subprocess.Popen(
        launched, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=[peak_write]
    )
    os.close(peak_write)
    assert process.stdout is not None
    process.stdout.readline()
    first = time.perf_counter() - start
    while process.stdout.read(1 << 16):
        pass
    process.wait()
    seconds = time.perf_counter() - start
    with os.fdopen(peak_read, "rb") as reported:
        peak_kb = reported.read()
    if process.returncode != 0:
        assert process.stderr is not None
        raise AssertionError(f"{command[1:3]} exited {process.returncode}: {process.stderr.read()}")
    return seconds, first, int(peak_kb) / 1024
