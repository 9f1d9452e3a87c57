"""Creating or upgrading a database and loading the committees into it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from council.cases.schema import upgrade
from council.config.committees import load_committees as read_committees
from council.config.errors import ConfigError
from council.config.os_reasons import os_reason
from council.workflow.app import App
from council.workflow.reminder_settings import reminder_config
from council.workflow.services import load_committees, require_actor


def initialise(app: App, *, actor: str, now: datetime) -> list[str]:
    """Apply the migrations and load ``committees.toml``; returns the committees that changed.

    Every configuration file is checked first (``reminders.toml`` too, with its addresses,
    and the decision phrases against the workflow's states), so a flaw in one is found at
    set-up, before anything is written.
    """
    actor = require_actor(actor)
    committees = read_committees(app.settings.committees_file)
    reminder_config(app)
    _ = app.rulebook, app.phrase_table
    path = app.database.path
    if path is not None and app.settings.database_located:
        _make_folder(path.parent)  # the user's data folder, say
    upgrade(app.database)
    return load_committees(app.database.unit_of_work(), committees=committees, actor=actor, now=now)


def _make_folder(folder: Path) -> None:
    """The folder the located database goes in, made when it is not there yet."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"kan ikke oprette mappen {folder} til databasen ({os_reason(exc)}); "
            "angiv en anden med COUNCIL_DATABASE_URL eller --database"
        ) from exc
