"""Importing a synthetic year of eDoc minutes through the engine, against parsing it alone.

The year (``bench/edoc_year.py``: 12 committees x 11 meetings x 20 items, built from the real
Ballerup file's structure; 2 committees with ``--quick``) is written to a scratch folder. The
baseline parses every file with the eDoc parser alone (``edoc_year.parse_year``, the files
read before the clock starts). The product imports the same files as ``council import
FOLDER`` does, in one transaction on a fresh SQLite file: read and detect, parse, plan,
then replay every meeting through the workflow's acts with their audit entries (a case, an
item, a meeting, a presentation and a decision per item). The goal is at most 3x the parse:
the rest is the engine and the audit trail. The bench measures SQLite only.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Result, Scale, per_second
from bench.edoc_year import COMMITTEES, PROJECT, REAL_FILE, generate_year, parse_year

NOW = datetime(2014, 1, 15, 9, 0, tzinfo=UTC)
TARGET = 3.0


def run(scale: Scale, workdir: Path) -> list[Result]:
    template = PROJECT.parent / "shared" / REAL_FILE
    name = f"import of an eDoc year ({scale.import_committees} committees x 11 meetings x 20 items)"
    if not template.is_file():
        return [Result(name, f"skipped: {template} is absent", "—", None, "≤ 3×", None)]
    paths = generate_year(
        template.read_bytes(), workdir / "edoc-year", committees=scale.import_committees
    )
    parsed = parse_year(paths)
    seconds, items = _import(paths, workdir)
    ratio = seconds / parsed.seconds
    return [
        Result(
            name=name,
            figure=f"{seconds:,.2f} s, {per_second(items, seconds)} items (SQLite)",
            baseline=f"parse alone {parsed.seconds:,.2f} s, {per_second(items, parsed.seconds)}",
            ratio=ratio,
            target=f"≤ {TARGET:g}×",
            passed=ratio <= TARGET,
            notes=[f"{len(paths)} files, {parsed.items:,} items, {parsed.decisions:,} decisions"],
        )
    ]


def _import(paths: list[Path], workdir: Path) -> tuple[float, int]:
    from council.cases.importers.sources import read_sources
    from council.config.settings import load_settings
    from council.workflow.app import App
    from council.workflow.importing import import_sources
    from council.workflow.initialise import initialise

    committees = workdir / "edoc-year-committees.toml"
    committees.write_text(
        "".join(
            f'[[committee]]\ncode = "U{index}"\nname = "{name}"\n'
            'administration = "Forvaltningen"\n\n'
            for index, name in enumerate(COMMITTEES, start=1)
        ),
        encoding="utf-8",
    )
    database = workdir / "edoc-year.db"
    database.unlink(missing_ok=True)
    app = App(
        settings=load_settings(database_url=f"sqlite:///{database}", committees_file=committees)
    )
    initialise(app, actor="bench", now=NOW)
    started = time.perf_counter()
    sources = read_sources(paths)
    reports = import_sources(
        app.database.unit_of_work(), app.rulebook, sources=sources.files, actor="bench", now=NOW
    )
    seconds = time.perf_counter() - started
    app.database.dispose()
    return seconds, sum(len(report.items) for report in reports)
