"""Importing a synthetic year of eDoc minutes through the engine, against parsing it alone.

The year (``bench/edoc_year.py``: 12 committees x 11 meetings x 20 items, built from the real
Ballerup file's structure; 2 committees with ``--quick``) is written to a scratch folder. The
baseline parses every file with the eDoc parser alone (``edoc_year.parse_year``, the files
read before the clock starts). The product imports the same files as ``council import
FOLDER`` does, in one transaction on a fresh SQLite file: read and detect, parse, plan,
then replay every meeting through the workflow's acts with their audit entries (a case, an
item, a meeting, a presentation and a decision per item). The goal is at most 3x the parse:
the rest is the engine and the audit trail. With ``COUNCIL_BENCH_POSTGRES_URL`` (an admin
URL; ``.ci/with-postgres`` gives one as ``COUNCIL_TEST_POSTGRES_URL``, which is read too)
the same files are also imported into a new PostgreSQL database, dropped afterwards.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Result, Scale, per_second
from bench.edoc_year import COMMITTEES, PROJECT, REAL_FILE, generate_year, parse_year
from bench.postgres import admin_url_from_environment, fresh_database

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
    notes = [f"{len(paths)} files, {parsed.items:,} items, {parsed.decisions:,} decisions"]
    results = [_result(name, "SQLite", _import(paths, workdir, None), parsed.seconds, notes)]
    admin_url = admin_url_from_environment()
    if admin_url:
        with fresh_database(admin_url) as url:
            results.append(
                _result(name, "PostgreSQL", _import(paths, workdir, url), parsed.seconds, notes)
            )
    return results


def _result(
    name: str, database: str, imported: tuple[float, int], parse_seconds: float, notes: list[str]
) -> Result:
    seconds, items = imported
    ratio = seconds / parse_seconds
    return Result(
        name=f"{name}, {database}",
        figure=f"{seconds:,.2f} s, {per_second(items, seconds)} items ({database})",
        baseline=f"parse alone {parse_seconds:,.2f} s, {per_second(items, parse_seconds)}",
        ratio=ratio,
        target=f"≤ {TARGET:g}×",
        passed=ratio <= TARGET,
        notes=notes,
    )


def _import(paths: list[Path], workdir: Path, database_url: str | None) -> tuple[float, int]:
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
    if database_url is None:
        database = workdir / "edoc-year.db"
        database.unlink(missing_ok=True)
        database_url = f"sqlite:///{database}"
    app = App(settings=load_settings(database_url=database_url, committees_file=committees))
    initialise(app, actor="bench", now=NOW)
    started = time.perf_counter()
    sources = read_sources(paths)
    reports = import_sources(
        app.database.unit_of_work(), app.rulebook, sources=sources.files, actor="bench", now=NOW
    )
    seconds = time.perf_counter() - started
    app.database.dispose()
    return seconds, sum(len(report.items) for report in reports)
