"""A municipality's own configuration through the ``council`` command: ``config init``
writes a starter folder, ``--config`` / ``COUNCIL_CONFIG_DIR`` / ``./config/`` / the user's
folder are found file by file, and ``config show`` says where each setting came from."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult

from council.config.settings import CONFIG_DIR

Council = Callable[..., CliResult]
A = ("--actor", "clerk")
FILES = ("workflow.toml", "committees.toml", "reminders.toml", "decision_phrases.toml")


class Place:
    """An empty current folder, a user config and data folder (XDG_*), no COUNCIL_* set."""

    def __init__(self, root: Path) -> None:
        self.here = root / "here"
        self.user_config = root / "xdg-config" / "council"
        self.user_data = root / "xdg-data" / "council"
        self.here.mkdir()


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    for name in list(os.environ):
        if name.startswith("COUNCIL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("COLUMNS", "200")
    result = Place(tmp_path)
    monkeypatch.chdir(result.here)
    return result


@pytest.fixture
def council(place: Place, capsys: pytest.CaptureFixture[str]) -> Council:
    """``council ARGS...`` in-process, in the place's current folder."""
    from council.workflow.cli.main import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


def committees_in(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute("SELECT code FROM committee ORDER BY id")]


def shown(council: Council, *args: str) -> dict[str, dict[str, str]]:
    document: dict[str, dict[str, str]] = json.loads(
        ok(council(*args, "config", "show", "--json")).out
    )
    return document


def test_config_init_writes_a_starter_folder_that_council_init_loads(
    council: Council, place: Place
) -> None:
    result = ok(council("config", "init", "kommune", "--municipality", "Ballerup"))
    assert sorted(p.name for p in (place.here / "kommune").iterdir()) == sorted(FILES)
    assert result.out.count("skrev ") == 4
    committees = (place.here / "kommune" / "committees.toml").read_text(encoding="utf-8")
    assert "Ballerup Kommune" in committees
    assert "sekretariat.oeu@ballerup.example" in committees
    ok(council("--config", "kommune", "init", *A))
    database = place.here / "kommune" / "council.db"
    assert committees_in(database) == ["KB", "ØU", "BU", "SU", "TM"]
    ok(
        council(
            "--config", "kommune", "meeting", "new", "--committee", "ØU", "--date", "2026-03-04", *A
        )
    )
    ok(council("--config", "kommune", "case", "new", "--number", "2026-1", "--title", "Budget",
               "--owner", "Økonomi og Styring", *A))  # fmt: skip
    shown_meeting = ok(council("--config", "kommune", "meeting", "show", "ØU:2026-03-04")).out
    assert shown_meeting.startswith("Økonomiudvalget — møde 1, 04.03.2026")
    assert not (place.here / "council.db").exists()


def test_config_init_refuses_to_overwrite_a_file_and_writes_nothing(
    council: Council, place: Place
) -> None:
    folder = place.here / "kommune"
    folder.mkdir()
    (folder / "reminders.toml").write_text("# ours\n", encoding="utf-8")
    result = council("config", "init", "kommune")
    assert result.code == 1
    assert result.err == (
        f"fejl: {Path('kommune') / 'reminders.toml'}: findes allerede; intet er skrevet "
        "(ret i den, eller vælg en tom mappe)\n"
    )
    assert [p.name for p in folder.iterdir()] == ["reminders.toml"]
    assert (folder / "reminders.toml").read_text(encoding="utf-8") == "# ours\n"


@pytest.mark.parametrize(
    "name", ['Høje-Taastrup "Øst"', "Lyngby-Taarbæk Kommune", "]] [x] = 1 # \\"]
)
def test_any_one_line_municipality_name_gives_files_that_load(
    council: Council, place: Place, name: str
) -> None:
    ok(council("config", "init", "kommune", "--municipality", name))
    ok(council("--config", "kommune", "init", *A))
    assert len(committees_in(place.here / "kommune" / "council.db")) == 5


def test_a_municipality_name_with_a_line_break_is_refused(council: Council, place: Place) -> None:
    result = council("config", "init", "kommune", "--municipality", "Ballerup\n[x]")
    assert result.code == 1
    assert result.err.startswith("fejl: --municipality skal være et navn på én linje")
    assert not (place.here / "kommune").exists()


def test_config_show_names_where_each_file_and_the_database_come_from(
    council: Council, place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = place.here / "kommune"
    folder.mkdir()
    (folder / "committees.toml").write_text(
        (CONFIG_DIR / "committees.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    reminders = place.here / "paamindelser.toml"
    reminders.write_text("", encoding="utf-8")
    monkeypatch.setenv("COUNCIL_CONFIG_DIR", str(folder))
    monkeypatch.setenv("COUNCIL_REMINDERS_FILE", str(reminders))
    document = shown(council)
    assert document["config_dir"] == {"value": str(folder), "from": "COUNCIL_CONFIG_DIR"}
    assert document["committees_file"] == {
        "value": str(folder / "committees.toml"),
        "from": f"COUNCIL_CONFIG_DIR {folder}",
    }
    assert document["reminders_file"] == {"value": str(reminders), "from": "COUNCIL_REMINDERS_FILE"}
    assert document["workflow_file"] == {
        "value": str(CONFIG_DIR / "workflow.toml"),
        "from": "medfølgende standard",
    }
    assert document["database_url"] == {
        "value": f"sqlite:///{folder / 'council.db'}",
        "from": "i konfigurationsmappen (COUNCIL_CONFIG_DIR)",
    }
    lines = ok(council("config", "show")).out.splitlines()
    assert (
        lines[2] == f"udvalg{' ' * 20}{folder / 'committees.toml'}  (COUNCIL_CONFIG_DIR {folder})"
    )
    assert lines[5] == (
        f"database{' ' * 18}sqlite:///{folder / 'council.db'}  "
        "(i konfigurationsmappen (COUNCIL_CONFIG_DIR))"
    )


def test_the_config_option_wins_over_the_environment(
    council: Council, place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("one", "two"):
        (place.here / name).mkdir()
        (place.here / name / "committees.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("COUNCIL_CONFIG_DIR", "one")
    document = shown(council, "--config", "two")
    assert document["config_dir"] == {"value": str(place.here / "two"), "from": "--config"}


def test_a_committees_file_in_dot_config_is_loaded_and_the_database_lies_beside_it(
    council: Council, place: Place
) -> None:
    (place.here / "config").mkdir()
    (place.here / "config" / "committees.toml").write_text(
        '[[committee]]\ncode = "KB"\nname = "Kommunalbestyrelsen"\n'
        'administration = "Direktionen"\n',
        encoding="utf-8",
    )
    ok(council("init", *A))
    assert committees_in(place.here / "council.db") == ["KB"]
    document = shown(council)
    assert document["committees_file"]["from"] == "./config/"
    assert document["workflow_file"]["from"] == "medfølgende standard"
    assert document["database_url"] == {
        "value": "sqlite:///council.db",
        "from": "ved siden af ./config/",
    }


def test_the_users_config_folder_puts_the_database_in_the_users_data_folder(
    council: Council, place: Place
) -> None:
    place.user_config.mkdir(parents=True)
    (place.user_config / "committees.toml").write_text(
        '[[committee]]\ncode = "ØU"\nname = "Økonomiudvalget"\nadministration = "Økonomi"\n',
        encoding="utf-8",
    )
    ok(council("init", *A))
    assert committees_in(place.user_data / "council.db") == ["ØU"]
    assert not (place.here / "council.db").exists()
    assert shown(council)["database_url"]["from"] == "brugerens datamappe"


def test_the_database_setting_wins_and_its_password_is_never_shown(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCIL_DATABASE_URL", "postgresql+psycopg://council:hemmeligt@db/council")
    result = ok(council("config", "show"))
    assert "hemmeligt" not in result.out
    assert "postgresql+psycopg://council:***@db/council  (COUNCIL_DATABASE_URL)" in result.out
    document = shown(council, "--database", "sqlite:///andet.db")
    assert document["database_url"] == {"value": "sqlite:///andet.db", "from": "--database"}


def test_an_explicit_file_that_is_missing_is_shown_as_missing(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCIL_WORKFLOW_FILE", "/nowhere/workflow.toml")
    result = ok(council("config", "show"))
    assert (
        "arbejdsgang" + " " * 15 + "/nowhere/workflow.toml  (COUNCIL_WORKFLOW_FILE)  — MANGLER"
        in result.out
    )
    assert shown(council)["workflow_file"]["missing"] is True


def test_config_init_never_writes_through_a_link_left_in_the_folder(
    council: Council, place: Place
) -> None:
    folder = place.here / "kommune"
    folder.mkdir()
    (folder / "workflow.toml").symlink_to(place.here / "elsewhere.toml")  # dangling
    result = council("config", "init", "kommune")
    assert result.code == 1
    assert "workflow.toml: findes allerede; intet er skrevet" in result.err
    assert sorted(p.name for p in folder.iterdir()) == ["workflow.toml"]
    assert not (place.here / "elsewhere.toml").exists()
