"""Shared fixtures: a real SQLite file per test, the CLI in-process, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support import SHARED, CliResult, Scenario, at

from config.settings import load_settings
from workflow import services
from workflow.app import App
from workflow.setup import initialise


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"the shared material folder {SHARED} is not present")
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "council.db"


@pytest.fixture
def app(db_path: Path) -> Iterator[App]:
    """An initialised product on a fresh SQLite file, committees loaded."""
    application = App(settings=load_settings(database_url=f"sqlite:///{db_path}"))
    initialise(application, actor="test", now=at("2009-01-05 09:00"))
    yield application
    application.database.dispose()


@pytest.fixture
def council(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[..., CliResult]]:
    """Run ``council ARGS...`` in-process against the test's database file."""
    from workflow.cli.main import main

    monkeypatch.setenv("COUNCIL_DATABASE_URL", f"sqlite:///{db_path}")
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
