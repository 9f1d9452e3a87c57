"""Whole-process start-up: ``council --help`` and ``council item show ITEM``.

The installed ``council`` script is what runs (as a user types it). ``item show``'s row is
information: most of it is importing SQLAlchemy and SQLModel, a floor this stack accepts
(the notes give it). Each command runs as a fresh process, against
``python -c "import sqlite3"`` run the same way in the same run. Every subprocess gets a
private ``PYTHONPYCACHEPREFIX`` (and no ``PYTHONDONTWRITEBYTECODE``) and one untimed warm-up,
so all of them import from cached bytecode as an installed product does; runs are
interleaved and the median is taken.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import Result, Scale, median

PROJECT = Path(__file__).resolve().parents[1]


def council_command() -> list[str]:
    """The installed ``council`` script beside this Python, as a user runs it; without an
    installed script, the package's ``__main__`` from this checkout."""
    script = Path(sys.executable).with_name("council")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "council"]


def environment(cache: Path, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in env.items() if not k.startswith("COUNCIL_")}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env["COUNCIL_DATABASE_URL"] = f"sqlite:///{database}"
    env["COLUMNS"] = "120"
    return env


def once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=PROJECT, capture_output=True, check=False)
    spent = time.perf_counter() - start
    if done.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-500:]}"
        )
    return spent


def run(scale: Scale, workdir: Path, database: Path, item_id: int) -> list[Result]:
    cache = workdir / "pycache"
    env = environment(cache, database)
    council = council_command()
    commands = {
        "baseline": [sys.executable, "-c", "import sqlite3"],
        "help": [*council, "--help"],
        "show": [*council, "item", "show", str(item_id)],
        # floors, for the notes: what any typer CLI's --help needs, and what `item show`
        # needs with this stack (settings, engine, the SQLModel tables) before any work
        "typer": [sys.executable, "-c", "import typer"],
        "stack": [
            sys.executable,
            "-c",
            "import typer, council.config.settings, council.cases.db, council.cases.models, "
            "council.cases.items",
        ],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm-up: writes the bytecode cache
        once(command, env)
    for _ in range(scale.cli_repeats):
        for name, command in commands.items():
            times[name].append(once(command, env))
    base = median(times["baseline"])
    floors = (
        f'floors in this run: `python -c "import typer"` {median(times["typer"]) * 1e3:,.0f} ms '
        f"({median(times['typer']) / base:,.1f}×); importing what `item show` needs "
        f"(typer, settings, engine, SQLModel tables) {median(times['stack']) * 1e3:,.0f} ms "
        f"({median(times['stack']) / base:,.1f}×)"
    )
    results = []
    # `item show` is information, not a goal: its floor is importing SQLAlchemy and SQLModel
    for name, label, limit in (
        ("help", "council --help, whole process", 3.0),
        ("show", f"council item show {item_id}, whole process", None),
    ):
        spent = median(times[name])
        ratio = spent / base
        results.append(
            Result(
                name=label,
                figure=f"{spent * 1e3:,.0f} ms",
                baseline=f'{base * 1e3:,.0f} ms (python -c "import sqlite3")',
                ratio=ratio,
                target=f"≤ {limit:g}×" if limit else "— (floor)",
                passed=ratio <= limit if limit else None,
                notes=[f"median of {scale.cli_repeats}, bytecode cached; {floors}"],
            )
        )
    return results
