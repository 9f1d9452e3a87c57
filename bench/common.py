"""What every benchmark shares: the result row, timers, scales and a product on a temp file."""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The pragmas the product's engine sets on every SQLite connection (cases.db.make_engine);
# the raw baselines set exactly the same ones.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    "PRAGMA synchronous=NORMAL",
)


@dataclass(frozen=True)
class Scale:
    """How big each benchmark runs; ``--quick`` picks the small one."""

    name: str
    audit_entries: int  # history and verify run among this many audit entries
    advance_items: int  # items per timed round of the advance benchmark (4 transitions each)
    advance_rounds: int
    rss_items: int  # items the RSS run may advance at most
    rss_seconds: float  # ... and for at most this long
    verify_repeats: int
    history_repeats: int
    cli_repeats: int
    sweep_lines: int
    web_items: int  # items in the database the web pages are measured among
    web_repeats: int
    import_committees: int  # committees of the synthetic eDoc year imported (11 meetings each)
    search_items: int  # items (each its own case) the search is measured among
    pg_sizes: tuple[int, ...] = (1_000, 10_000)  # items PostgreSQL's advance is measured among
    pg_items: int = 50  # items per timed round there (4 transitions each)
    pg_rounds: int = 8  # timed rounds there, each running every size and side once
    delivery_due: int = 10_000  # reminders delivered by each side of the delivery benchmark
    delivery_repeats: int = 2


FULL = Scale(
    name="full",
    audit_entries=1_000_000,
    advance_items=150,
    advance_rounds=5,
    rss_items=1_000_000,
    rss_seconds=150.0,
    verify_repeats=2,
    history_repeats=200,
    cli_repeats=5,
    sweep_lines=100_000,
    web_items=100_000,
    web_repeats=200,
    import_committees=12,
    search_items=1_000_000,
)
QUICK = Scale(
    name="quick",
    audit_entries=100_000,
    advance_items=60,
    advance_rounds=3,
    rss_items=1_000_000,
    rss_seconds=20.0,
    verify_repeats=2,
    history_repeats=50,
    cli_repeats=3,
    sweep_lines=10_000,
    web_items=10_000,
    web_repeats=60,
    import_committees=2,
    search_items=20_000,
    pg_sizes=(1_000, 3_000),
    pg_items=30,
    pg_rounds=4,
    delivery_due=1_000,
    delivery_repeats=3,
)
LONG = replace(
    FULL,
    name="full, long",
    rss_seconds=3_600.0,
    pg_sizes=(1_000, 10_000, 100_000),
    pg_rounds=12,
)
"""``--full``: the sizes a full run leaves out for time, measured rather than projected:
advancing up to 1,000,000 items for the RSS (up to an hour), PostgreSQL up to 100,000 items."""
SMOKE = replace(
    QUICK,
    name="smoke",
    audit_entries=3_000,
    advance_items=10,
    advance_rounds=1,
    rss_items=2_000,
    rss_seconds=2.0,
    verify_repeats=1,
    history_repeats=3,
    cli_repeats=1,
    sweep_lines=1_200,
    web_items=300,
    web_repeats=3,
    import_committees=1,
    search_items=600,
    pg_sizes=(100, 200),
    pg_items=5,
    pg_rounds=2,
    delivery_due=100,
    delivery_repeats=1,
)
"""``--smoke``: every benchmark at a size that only shows it still runs (the test suite's
check that the benchmarks have not rotted); its figures mean nothing."""


@dataclass
class Result:
    """One row of the table. ``ratio`` is figure/baseline in the direction the target reads."""

    name: str
    figure: str
    baseline: str
    ratio: float | None
    target: str
    passed: bool | None  # None: skipped or informational
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "skipped" if self.ratio is None else "info"
        return "pass" if self.passed else "FAIL"


def raw_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the product's pragmas, autocommit (explicit BEGINs)."""
    connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        connection.execute(pragma)
    return connection


def sqlite_datetime(moment: datetime) -> str:
    """A timestamp as SQLAlchemy's SQLite DateTime stores it (naive UTC, microseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def median(values: list[float]) -> float:
    return statistics.median(values)


def make_app(path: Path) -> Any:
    """An initialised product on the SQLite file ``path`` (Alembic schema, committees loaded)."""
    from council.config.settings import load_settings
    from council.workflow.app import App
    from council.workflow.initialise import initialise

    app = App(settings=load_settings(database_url=f"sqlite:///{path}"))
    initialise(app, actor="bench", now=datetime(2009, 1, 5, 8, 0, tzinfo=UTC))
    return app


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
