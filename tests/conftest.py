"""Shared fixtures: a real SQLite file per test, the CLI in-process, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support import (
    POSTGRES_ADMIN_URL,
    SHARED,
    CliResult,
    Scenario,
    at,
    dump,
    fresh_postgres_database,
)

from council.config.settings import load_settings
from council.workflow import services
from council.workflow.app import App
from council.workflow.initialise import initialise


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"the shared material folder {SHARED} is not present")
    return SHARED


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: runs against a real PostgreSQL server")
    config.addinivalue_line("markers", "sqlite_only: exercises something only SQLite has")


def pytest_report_header() -> str:
    if POSTGRES_ADMIN_URL:
        return "databases: SQLite file and PostgreSQL (COUNCIL_TEST_POSTGRES_URL)"
    return (
        "databases: SQLite file only; PostgreSQL tests are SKIPPED: no server configured "
        "(set COUNCIL_TEST_POSTGRES_URL or run through .ci/with-postgres)"
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The SQLite file of a test (tests that open it directly are marked sqlite_only)."""
    return tmp_path / "council.db"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str]:
    """Every database test runs on an SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{db_path}"
        return
    if request.node.get_closest_marker("sqlite_only"):
        pytest.skip("SQLite-specific test")
    if not POSTGRES_ADMIN_URL:
        pytest.skip(
            "no PostgreSQL server configured: set COUNCIL_TEST_POSTGRES_URL "
            "or run the tests through .ci/with-postgres"
        )
    with fresh_postgres_database(POSTGRES_ADMIN_URL) as url:
        yield url


@pytest.fixture
def snapshot(database_url: str) -> Callable[[], str]:
    """Dump the test's database as text, to prove that nothing changed."""
    return lambda: dump(database_url)


@pytest.fixture
def app(database_url: str) -> Iterator[App]:
    """An initialised product on a fresh database, committees loaded."""
    application = App(settings=load_settings(database_url=database_url))
    initialise(application, actor="test", now=at("2009-01-05 09:00"))
    yield application
    application.database.dispose()


@pytest.fixture
def council(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[..., CliResult]]:
    """Run ``council ARGS...`` in-process against the test's database file."""
    from council.workflow.cli.main import main

    monkeypatch.setenv("COUNCIL_DATABASE_URL", database_url)
    monkeypatch.delenv("COUNCIL_ACTOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield run


@pytest.fixture
def scenario(app: App) -> Scenario:
    services.create_case(
        app.database.unit_of_work(),
        number="2010-4130",
        title="Partnerskabsaftale med Dansk Flygtningehjælp",
        owner="Socialforvaltningen",
        actor="clerk",
        now=at("2009-11-01 09:00"),
    )
    return Scenario(app)
