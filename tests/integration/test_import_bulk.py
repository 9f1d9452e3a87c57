"""A meeting new to the database is imported as sets, and writes what the acts one by one do.

The bulk form (``workflow.import_bulk``, SQLite) writes a new meeting's cases, items,
attachments, agenda entries, decisions, search parts and audit entries as sets. Each test
imports the same files twice, once through the per-item acts (``bulk=False``) and once
as the import does by default, into two fresh databases, and compares them table by
table, row by row, and the audit trail byte for byte.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from support import (
    POSTGRES_ADMIN_URL,
    PROJECT,
    REALDATA,
    at,
    dump,
    fresh_postgres_database,
    real_file,
)

from council.cases.audit_verify import verify
from council.cases.errors import ImportFormatError
from council.cases.importers.sources import read_sources
from council.config.settings import load_settings
from council.workflow import import_decisions, import_items
from council.workflow.app import App
from council.workflow.import_reports import FileReport
from council.workflow.importing import import_sources
from council.workflow.initialise import initialise

REALDATA_COMMITTEES = PROJECT / "tests" / "data" / "committees-realdata.toml"
EDOC = "edoc/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_meeting.edoc.xml"
NOW = at("2026-11-02 10:00")
ACTOR = "Import (sekretariatet)"
YEAR_COMMITTEES = (
    '[[committee]]\ncode = "OEU"\nname = "Økonomiudvalget"\nadministration = "Forvaltningen"\n\n'
    '[[committee]]\ncode = "SFU"\nname = "Sundheds- og Forebyggelsesudvalget"\n'
    'administration = "Forvaltningen"\n'
)
"""The benchmark's committees: no referral route, so every decided item stays one item."""


def year(folder: Path, *, meetings: int = 3, items: int = 20) -> list[Path]:
    """A generated eDoc year of two committees, built from the real file."""
    real_file(EDOC)
    done = subprocess.run(
        [sys.executable, "-m", "bench.edoc_year", "--shared", str(REALDATA.parent),
         "--out", str(folder), "--committees", "2", "--meetings", str(meetings),
         "--items", str(items)],
        cwd=PROJECT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return sorted(folder.glob("*.edoc.xml"))


def real_files() -> list[Path]:
    real_file(EDOC)
    return sorted(
        path
        for path in REALDATA.rglob("*")
        if path.is_file() and not path.name.endswith(".acadre-index.xml")
        and path.suffix in {".xml", ".html", ".json", ".txt"}
    )  # fmt: skip


@pytest.fixture
def second_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second fresh database on the same server as the test's."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'per-item.db'}"
        return
    assert POSTGRES_ADMIN_URL is not None
    with fresh_postgres_database(POSTGRES_ADMIN_URL) as url:
        yield url


def product(url: str, committees: Path) -> App:
    app = App(settings=load_settings(database_url=url, committees_file=committees))
    initialise(app, actor="test", now=at("2026-11-01 09:00"))
    return app


def imported(app: App, paths: list[Path], *, bulk: bool = True) -> list[FileReport]:
    return import_sources(
        app.database.unit_of_work(),
        app.rulebook,
        sources=read_sources(paths).files,
        actor=ACTOR,
        now=NOW,
        bulk=bulk,
    )


def tables(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows in key order (the FTS5 index by its rows, not its shadow
    tables); the audit head without the database's own random id."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found: dict[str, list[tuple[object, ...]]] = {}
            names = inspect(connection).get_table_names()
            if url.startswith("sqlite"):
                names = [n for n in names if not n.startswith("search_fts_")]
            for name in sorted(names):
                columns = "seq, hash" if name == "audit_head" else "*"
                rows = connection.execute(text(f'SELECT {columns} FROM "{name}"')).all()
                found[name] = sorted((tuple(row) for row in rows), key=repr)
            if url.startswith("sqlite"):
                found["search_fts"] = list(
                    connection.execute(
                        text("SELECT rowid, ref, title, body FROM search_fts ORDER BY rowid")
                    ).all()
                )
            return found
    finally:
        engine.dispose()


def trail(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    text("SELECT seq, body, prev_hash, hash FROM audit_entry ORDER BY seq")
                ).all()
            )
    finally:
        engine.dispose()


def verified(app: App) -> None:
    with app.database.reading() as session:
        report = verify(session)
    assert report.problem is None, report.problem


def bench_committees(tmp_path: Path) -> Path:
    path = tmp_path / "year-committees.toml"
    path.write_text(YEAR_COMMITTEES, encoding="utf-8")
    return path


@pytest.mark.parametrize("material", ["year", "real files and a year"])
def test_both_paths_write_the_same_rows_and_the_same_audit_trail_byte_for_byte(
    database_url: str, second_url: str, tmp_path: Path, material: str
) -> None:
    paths = year(tmp_path / "year")
    closed = paths[1].read_text(encoding="utf-8")  # a meeting behind closed doors
    assert "<AgendaType>Åben dagsorden</AgendaType>" in closed
    closed = closed.replace("Åben dagsorden", "Lukket dagsorden")
    paths[1].write_text(closed, encoding="utf-8")
    committees = bench_committees(tmp_path)
    if material != "year":  # the realdata bodies have referral routes: follow-on items
        paths, committees = real_files() + paths, REALDATA_COMMITTEES
    bulk_app, per_item_app = product(database_url, committees), product(second_url, committees)
    try:
        in_bulk = imported(bulk_app, paths)
        one_by_one = imported(per_item_app, paths, bulk=False)
        assert in_bulk == one_by_one
        assert sum(len(report.items) for report in in_bulk) >= 120
        assert sum(item.closed for report in in_bulk for item in report.items) == 20
        bulk_tables, per_item_tables = tables(database_url), tables(second_url)
        assert bulk_tables.keys() == per_item_tables.keys()
        for name, rows in per_item_tables.items():
            assert bulk_tables[name] == rows, name
        assert trail(database_url) == trail(second_url)
        verified(bulk_app)
    finally:
        bulk_app.database.dispose()
        per_item_app.database.dispose()


def _refuse(*_: object, **__: object) -> None:
    raise AssertionError("an act the bulk form replaces was called")


@pytest.mark.sqlite_only
def test_a_year_of_new_meetings_is_written_as_sets_without_the_acts_one_by_one(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = year(tmp_path / "year", meetings=2)
    app = product(database_url, bench_committees(tmp_path))
    try:
        for act in ("create_case", "draft_item", "create_meeting", "present_item", "decide_item"):
            monkeypatch.setattr(import_items.services, act, _refuse)
            monkeypatch.setattr(import_decisions.services, act, _refuse)
        reports = imported(app, paths)
        assert [len(report.items) for report in reports] == [20, 20, 20, 20]
        assert all(d.new for report in reports for d in report.decisions)
        verified(app)
    finally:
        app.database.dispose()


@pytest.mark.sqlite_only
def test_the_year_imported_again_changes_nothing(
    database_url: str, tmp_path: Path, snapshot: Callable[[], str]
) -> None:
    paths = year(tmp_path / "year", meetings=2)
    app = product(database_url, bench_committees(tmp_path))
    try:
        imported(app, paths)
        before = snapshot()
        assert not any(report.changed for report in imported(app, paths))
        assert snapshot() == before
    finally:
        app.database.dispose()


def test_a_file_refused_after_meetings_written_as_sets_leaves_the_database_as_it_was(
    database_url: str, tmp_path: Path
) -> None:
    """A second version of the year's last meeting records another decision where the
    first has "Taget til efterretning": its replay is refused after the year's meetings
    were written as sets in the same transaction."""
    paths = year(tmp_path / "year", meetings=2, items=6)
    xml = paths[-1].read_text(encoding="utf-8")
    assert "Taget til efterretning" in xml
    again = tmp_path / "year" / "zz-second-version.edoc.xml"
    again.write_text(xml.replace("Taget til efterretning", "Sagen blev udsat", 1), encoding="utf-8")
    app = product(database_url, bench_committees(tmp_path))
    try:
        before = dump(database_url)
        with pytest.raises(ImportFormatError, match=r"^zz-second-version\.edoc\.xml: "):
            imported(app, [*paths, again])
        assert dump(database_url) == before
        verified(app)
    finally:
        app.database.dispose()
