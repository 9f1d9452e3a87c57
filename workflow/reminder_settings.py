"""The reminder settings a command reads (``config/reminders.toml``), checked.

Its own module so that a command that only reads them (``council obligations``) does not
import the reminder service's acts, transports and templates."""

from __future__ import annotations

from council.cases.obligations.terms import parse_cadence, parse_due_rule
from council.config.errors import ConfigError, CouncilError
from council.config.reminders import ReminderConfig, load_reminders
from council.workflow.app import App


def reminder_config(app: App) -> ReminderConfig:
    """``config/reminders.toml`` (or ``COUNCIL_REMINDERS_FILE``), its defaults checked."""
    config = load_reminders(app.settings.reminders_file)
    try:
        parse_cadence(config.cadence)
        parse_due_rule(config.due)
    except CouncilError as exc:
        raise ConfigError(f"{config.path}: [defaults] {exc}") from exc
    return config
