"""Where each configuration file and the database are found: file by file, from the folder
given, ./config/, the user's folder, /etc/council, then the shipped defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from council.config.errors import ConfigError
from council.config.locations import (
    SHIPPED_DIR,
    config_folders,
    default_database,
    locate_file,
)

FILES = ("workflow_file", "committees_file", "reminders_file", "decision_phrases_file")


class Places:
    """A current folder, a user config and data folder and a system folder, all empty."""

    def __init__(self, root: Path) -> None:
        self.cwd = root / "here"
        self.user = root / "home" / ".config" / "council"
        self.user_data = root / "home" / ".local" / "share" / "council"
        self.system = root / "etc" / "council"
        self.given = root / "kommune"
        self.cwd.mkdir()

    def put(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("# a council file\n", encoding="utf-8")

    def folders(self, explicit: Path | None = None, origin: str = "--config") -> list:  # type: ignore[type-arg]
        return config_folders(
            explicit=explicit,
            explicit_origin=origin,
            cwd=self.cwd,
            user_dir=self.user,
            user_data=self.user_data,
            system_dir=self.system,
        )

    def found(self, explicit: Path | None = None) -> dict[str, str]:
        folders = self.folders(explicit)
        return {field: locate_file(field, folders).value for field in FILES}


@pytest.fixture
def places(tmp_path: Path) -> Places:
    return Places(tmp_path)


def test_with_no_folder_anywhere_every_file_is_the_shipped_one(places: Places) -> None:
    assert places.found() == {
        field: str(SHIPPED_DIR / name)
        for field, name in zip(
            FILES,
            ("workflow.toml", "committees.toml", "reminders.toml", "decision_phrases.toml"),
            strict=True,
        )
    }
    assert default_database(places.folders(), cwd=places.cwd).value == "sqlite:///council.db"


def test_each_file_comes_from_the_first_folder_that_holds_it(places: Places) -> None:
    places.put(places.system, "workflow.toml")
    places.put(places.system, "committees.toml")
    places.put(places.user, "committees.toml")
    places.put(places.user, "reminders.toml")
    places.put(places.cwd / "config", "reminders.toml")
    places.put(places.given, "committees.toml")
    found = places.found(places.given)
    assert found["committees_file"] == str(places.given / "committees.toml")
    assert found["reminders_file"] == str(places.cwd / "config" / "reminders.toml")
    assert found["workflow_file"] == str(places.system / "workflow.toml")
    assert found["decision_phrases_file"] == str(SHIPPED_DIR / "decision_phrases.toml")


def test_a_municipality_may_override_only_its_committees(places: Places) -> None:
    places.put(places.user, "committees.toml")
    found = places.found()
    assert found["committees_file"] == str(places.user / "committees.toml")
    assert found["workflow_file"] == str(SHIPPED_DIR / "workflow.toml")


def test_a_folder_without_council_files_is_passed_over(places: Places) -> None:
    places.put(places.cwd / "config", "settings.ini")  # some other program's config folder
    assert [f.origin for f in places.folders()] == ["medfølgende standard"]


def test_a_config_folder_given_that_does_not_exist_is_refused(places: Places) -> None:
    with pytest.raises(ConfigError, match=r"^COUNCIL_CONFIG_DIR .*kommune: mappen findes ikke"):
        places.folders(places.given, origin="COUNCIL_CONFIG_DIR")


@pytest.mark.parametrize(
    ("leading", "database", "why"),
    [
        ("given", "{given}/council.db", "i konfigurationsmappen (--config)"),
        ("cwd", "council.db", "ved siden af ./config/"),
        ("user", "{user_data}/council.db", "brugerens datamappe"),
        ("system", "/var/lib/council/council.db", "for {system}"),
    ],
)
def test_the_database_goes_where_the_leading_config_folder_says(
    places: Places, leading: str, database: str, why: str
) -> None:
    places.put(places.system, "committees.toml")
    names = {"given": places.given, "user_data": places.user_data, "system": places.system}
    if leading in {"given", "cwd", "user"}:
        places.put(places.user, "committees.toml")
    if leading in {"given", "cwd"}:
        places.put(places.cwd / "config", "committees.toml")
    if leading == "given":
        places.put(places.given, "committees.toml")
    folders = places.folders(places.given if leading == "given" else None)
    chosen = default_database(folders, cwd=places.cwd)
    assert chosen.value == "sqlite:///" + database.format(**names)
    assert chosen.origin == why.format(**names)


def test_a_config_folder_whose_name_looks_like_url_syntax_still_names_its_database(
    places: Places,
) -> None:
    from sqlalchemy.engine import make_url

    folder = places.cwd.parent / "kommune?x=1#y%20"
    places.put(folder, "committees.toml")
    chosen = default_database(places.folders(folder), cwd=places.cwd)
    assert make_url(chosen.value).database == str(folder / "council.db")
