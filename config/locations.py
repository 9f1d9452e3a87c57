"""Where the configuration files and the database are found.

A municipality owns its configuration. Each file (``workflow.toml``, ``committees.toml``,
``reminders.toml``, ``decision_phrases.toml``) is looked up on its own, in this order:

1. its own setting (``COUNCIL_WORKFLOW_FILE``, ...), when given;
2. the folder given by ``--config DIR`` or ``COUNCIL_CONFIG_DIR`` (which must exist);
3. ``./config/`` in the current folder, if it holds any council file;
4. the user's config folder (``~/.config/council`` on Linux, from platformdirs), likewise;
5. ``/etc/council``, likewise;
6. the defaults shipped with the product.

So a municipality may keep only its ``committees.toml`` and take the rest as shipped.
The database, unless ``COUNCIL_DATABASE_URL`` (or ``--database``) names one, follows the
first folder of that list that was given or found: ``council.db`` inside a folder given
explicitly, beside ``./config/`` (in the current folder), in the user's data folder for the
user's config folder, in ``/var/lib/council`` for ``/etc/council``; with none of them, in
the current folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from council.config.errors import ConfigError

SHIPPED_DIR = Path(__file__).resolve().parent
SYSTEM_DIR = Path("/etc/council")
SYSTEM_DATA_DIR = Path("/var/lib/council")
APP_NAME = "council"
DATABASE_FILE = "council.db"

# The settings field of each file, and its name in a config folder.
CONFIG_FILES: dict[str, str] = {
    "workflow_file": "workflow.toml",
    "committees_file": "committees.toml",
    "reminders_file": "reminders.toml",
    "decision_phrases_file": "decision_phrases.toml",
}


# Where a file or folder came from, as ``config show`` says it.
SHIPPED = "medfølgende standard"
USER_FOLDER = "brugerens konfigurationsmappe"


@dataclass(frozen=True)
class Folder:
    """A folder that may hold configuration files, and where it came from."""

    path: Path
    origin: str  # "--config", "COUNCIL_CONFIG_DIR", "./config/", USER_FOLDER, ...
    database_dir: Path | None  # where council.db goes when this folder leads; None: here
    database_origin: str = ""  # why it goes there, for ``config show``

    def holds(self, name: str) -> bool:
        return (self.path / name).is_file()


@dataclass(frozen=True)
class Source:
    """A setting's value (a path or a URL) and where it came from, for ``config show``."""

    value: str
    origin: str


def shipped_files() -> dict[str, Path]:
    """The shipped file of every setting, whatever a config folder holds (for the demo,
    which replays Copenhagen's seed case on Copenhagen's committees)."""
    return {field: SHIPPED_DIR / name for field, name in CONFIG_FILES.items()}


def user_config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_folders(
    *,
    explicit: Path | None,
    explicit_origin: str,
    cwd: Path,
    user_dir: Path,
    user_data: Path,
    system_dir: Path = SYSTEM_DIR,
) -> list[Folder]:
    """The folders to look in, first first; the shipped defaults are always last.

    A folder given explicitly must exist (a typo must not silently mean the defaults); the
    others count only when they hold at least one council file.
    """
    folders: list[Folder] = []
    if explicit is not None:
        if not explicit.is_dir():
            raise ConfigError(
                f"{explicit_origin} {explicit}: mappen findes ikke; opret en med "
                f"'council config init {explicit}'"
            )
        given = explicit.absolute()
        folders.append(
            Folder(given, explicit_origin, given, f"i konfigurationsmappen ({explicit_origin})")
        )
    candidates = [
        Folder(cwd / "config", "./config/", cwd, "ved siden af ./config/"),
        Folder(user_dir, USER_FOLDER, user_data, "brugerens datamappe"),
        Folder(system_dir, str(system_dir), SYSTEM_DATA_DIR, f"for {system_dir}"),
    ]
    for folder in candidates:
        if any(folder.holds(name) for name in CONFIG_FILES.values()):
            folders.append(folder)
    folders.append(Folder(SHIPPED_DIR, SHIPPED, None))
    return folders


def locate_file(field: str, folders: list[Folder]) -> Source:
    """The first folder's copy of the file named by settings ``field``."""
    name = CONFIG_FILES[field]
    for folder in folders:
        if folder.holds(name) or folder.path == SHIPPED_DIR:
            return Source(str(folder.path / name), _described(folder))
    raise AssertionError("the shipped folder ends every list")  # pragma: no cover


def default_database(folders: list[Folder], *, cwd: Path) -> Source:
    """``council.db`` where the leading folder puts it (see the module's docstring)."""
    leading = folders[0]
    if leading.database_dir is None:
        return Source(f"sqlite:///{DATABASE_FILE}", "standard: den aktuelle mappe")
    if leading.database_dir == cwd:  # relative, as a user would write it
        return Source(f"sqlite:///{DATABASE_FILE}", leading.database_origin)
    return Source(sqlite_file_url(leading.database_dir / DATABASE_FILE), leading.database_origin)


def sqlite_file_url(path: Path) -> str:
    """The URL of an SQLite file whatever its folder's name holds (``?``, ``#``, ``%``)."""
    from sqlalchemy.engine import URL

    return URL.create("sqlite", database=str(path)).render_as_string()


def _described(folder: Folder) -> str:
    if folder.origin in {"--config", "COUNCIL_CONFIG_DIR"}:
        return f"{folder.origin} {folder.path}"
    return folder.origin
