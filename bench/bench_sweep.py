"""One reminder sweep over 100,000 obligation lines: nothing due, and 1,000 steps due.

Depends on issue 3 (``notifications.sweep``). Until that module exists this benchmark
reports a skipped row instead of a figure.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from bench.common import Result, Scale


def available() -> bool:
    try:
        return importlib.util.find_spec("notifications.sweep") is not None
    except ModuleNotFoundError:
        return False


def skipped(reason: str) -> list[Result]:
    return [
        Result(
            name=f"reminder sweep over {lines:,} obligation lines, {due}",
            figure=reason,
            baseline="raw SQL selecting the same due rows",
            ratio=None,
            target="≤ 3×",
            passed=None,
        )
        for lines, due in ((100_000, "nothing due"), (100_000, "1,000 steps due"))
    ]


def run(scale: Scale, workdir: Path) -> list[Result]:
    if not available():
        return skipped("not available yet: notifications.sweep missing")
    return _run(scale, workdir)


def _run(scale: Scale, workdir: Path) -> list[Any]:
    return skipped("not available yet: notifications.sweep landed; benchmark not written yet")
