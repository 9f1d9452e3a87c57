"""Run every benchmark, print the table and write BENCHMARKS.md.

    python -m bench            # full scale (1,000,000 audit entries), under 10 minutes
    python -m bench --quick    # small scale, about a minute
    python -m bench --full     # also the sizes left out for time (1M items' RSS, PostgreSQL
                               # at 100,000 items): up to an hour more
    python -m bench --smoke    # tiny sizes: only that every benchmark still runs

Every figure is a ratio against a baseline measured in the same run on the same machine,
because the machines these run on are shared and noisy. The test suite runs only
``--smoke``, and looks at no figure.
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.common import FULL, LONG, QUICK, SMOKE, Result, Scale, cores, cpu_model, make_app

PROJECT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 600
STEPS = (
    "advance",
    "advance-pg",
    "rss",
    "history",
    "verify",
    "cli",
    "sweep",
    "delivery",
    "obligations",
    "web",
    "import",
    "search",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scale, for a quick look")
    parser.add_argument(
        "--full", action="store_true", help="also the sizes left out for time (up to an hour)"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes: only that every benchmark still runs"
    )
    parser.add_argument(
        "--output", type=Path, default=PROJECT / "BENCHMARKS.md", help="where to write the table"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="where the temp files go")
    parser.add_argument(
        "--only",
        default=",".join(STEPS),
        help=f"comma-separated subset of: {', '.join(STEPS)} (default: all)",
    )
    args = parser.parse_args(argv)
    if args.quick + args.full + args.smoke > 1:
        parser.error("--quick, --full and --smoke exclude each other")
    scale = SMOKE if args.smoke else QUICK if args.quick else LONG if args.full else FULL
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    if only - set(STEPS):
        parser.error(f"unknown benchmark(s): {', '.join(sorted(only - set(STEPS)))}")
    console = Console(width=None if sys.stdout.isatty() else 160)
    flag = next((f" --{name}" for name in ("smoke", "quick", "full") if getattr(args, name)), "")
    command = "python -m bench" + flag
    if only != set(STEPS):
        command += f" --only {','.join(name for name in STEPS if name in only)}"
    started = time.perf_counter()
    console.print(f"[bold]{command}[/bold]: scale {scale.name}, {cores()} cores")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="council-bench-", dir=args.workdir) as folder:
        results = run_all(scale, Path(folder), console, only)
    elapsed = time.perf_counter() - started
    console.print(table(results))
    console.print(f"whole run: {elapsed:,.0f} s (budget {BUDGET_SECONDS} s)")
    args.output.write_text(markdown(results, scale, command, elapsed))
    console.print(f"wrote {args.output}")
    return 1 if any(r.passed is False for r in results) else 0


def run_all(scale: Scale, workdir: Path, console: Console, only: set[str]) -> list[Result]:
    from bench import (
        bench_advance,
        bench_advance_pg,
        bench_cli,
        bench_delivery,
        bench_history,
        bench_import,
        bench_obligations,
        bench_rss,
        bench_search,
        bench_sweep,
        bench_verify,
        bench_web,
    )
    from bench.datagen import build_history

    results: list[Result] = []

    def step(name: str, function: Callable[[], list[Result]]) -> list[Result]:
        console.print(f"· {name} …")
        start = time.perf_counter()
        try:
            found = function()
        except Exception as exc:  # one broken benchmark must not hide the others
            traceback.print_exc()
            message = " ".join(str(exc).split())[-300:]  # one line: it goes in a table
            found = [Result(name, f"error: {message}", "—", None, "—", False)]
        console.print(f"  done in {time.perf_counter() - start:,.1f} s")
        results.extend(found)
        return found

    items_per_second = 200.0
    if "advance" in only:
        advance = step("advance() throughput", lambda: bench_advance.run(scale, workdir))
        items_per_second = _items_per_second(advance)
    if "advance-pg" in only:
        step("advance() on PostgreSQL", lambda: bench_advance_pg.run(scale, workdir))
    if "rss" in only:
        step("peak RSS while advancing", lambda: bench_rss.run(scale, workdir, items_per_second))
    if only & {"history", "verify", "cli"}:
        big = workdir / "history.db"
        console.print(f"· generating {scale.audit_entries:,} audit entries …")
        start = time.perf_counter()
        app: Any = make_app(big)
        data = build_history(big, scale.audit_entries)
        console.print(f"  done in {time.perf_counter() - start:,.1f} s")
        if "history" in only:
            step("history of one case", lambda: bench_history.run(scale, app, big, data))
        if "verify" in only:
            step("audit verify", lambda: bench_verify.run(scale, app, big, data))
        app.database.dispose()
        if "cli" in only:
            step("CLI start-up", lambda: bench_cli.run(scale, workdir, big, data.target_item))
    if "sweep" in only:
        step("reminder sweep", lambda: bench_sweep.run(scale, workdir))
    if "delivery" in only:
        step("reminder delivery", lambda: bench_delivery.run(scale, workdir))
    if "obligations" in only:
        step("council obligations", lambda: bench_obligations.run(scale, workdir))
    if "web" in only:
        step("web pages", lambda: bench_web.run(scale, workdir))
    if "import" in only:
        step("import of an eDoc year", lambda: bench_import.run(scale, workdir))
    if "search" in only:
        step("search", lambda: bench_search.run(scale, workdir))
    return results


def _items_per_second(advance: list[Result]) -> float:
    try:
        transitions = float(advance[0].figure.split()[0].replace(",", ""))
    except (IndexError, ValueError):
        transitions = 200.0
    return transitions / 2


def table(results: list[Result]) -> Table:
    out = Table(title="council benchmarks (ratios against baselines measured in the same run)")
    for heading in ("benchmark", "figure", "baseline", "ratio", "target", "result"):
        out.add_column(heading)
    for r in results:
        style = {"pass": "green", "FAIL": "bold red"}.get(r.verdict, "dim")
        out.add_row(
            r.name, r.figure, r.baseline, _ratio(r), r.target, f"[{style}]{r.verdict}[/{style}]"
        )
    return out


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "unknown (no git)"
    return done.stdout.strip() or "unknown (not a git checkout)"


def _ratio(result: Result) -> str:
    return "—" if result.ratio is None else f"{result.ratio:,.3g}×"


def markdown(results: list[Result], scale: Scale, command: str, elapsed: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- command: `{command}` (scale: {scale.name}; whole run {elapsed:,.0f} s)",
        f"- code: {_commit()}",
        f"- machine: {cores()} cores, {cpu_model()}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "",
        "Every figure is compared with a baseline measured in the same run (these machines are",
        "shared and noisy). What each benchmark and its baseline do is documented at the top of",
        "its module in `bench/`; where a target is not met, `bench/FLOORS.md` says what the",
        "floor is and why, with the profiles.",
        "",
        "| benchmark | figure | baseline | ratio | target | result |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        cells = (r.name, r.figure, r.baseline, _ratio(r), r.target, r.verdict)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    notes = [(r.name, note) for r in results for note in r.notes]
    if notes:
        lines += ["", "## Notes", ""]
        lines += [f"- **{name}**: {note}" for name, note in notes]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
