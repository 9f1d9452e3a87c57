"""Shared fixtures: a real SQLite file per test, the CLI in-process, a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from config.settings import load_settings
from workflow.app import App
from workflow.setup import initialise

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"


def at(text: str) -> datetime:
    """A Copenhagen wall-clock moment, e.g. at("2010-02-23 17:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=COPENHAGEN)


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


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def council(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[object]:
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


def environment_for(db_path: Path, **extra: str) -> dict[str, str]:
    """A process environment pointing the CLI at ``db_path``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env["COUNCIL_DATABASE_URL"] = f"sqlite:///{db_path}"
    env.update(extra)
    return env
