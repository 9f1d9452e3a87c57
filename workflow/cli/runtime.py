"""What every command shares: the app, the consoles and the identity of who acts.

Importing this module (and the command modules) must stay cheap: building the command
tree imports no database, settings or documents code. The app (settings, database,
rulebook) and the rich consoles are built the first time a command asks for them.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from workflow.app import App

_state: dict[str, App] = {}
_overrides: dict[str, object] = {}
_consoles: dict[str, Console] = {}


ACTOR_OPTION = typer.Option(
    None, "--actor", envvar="COUNCIL_ACTOR", help="Who does this (required for every change)."
)


def out() -> Console:
    """The console for results (standard output), created on first use."""
    if "out" not in _consoles:
        from rich.console import Console

        _consoles["out"] = Console(highlight=False, width=None if os.isatty(1) else 160)
    return _consoles["out"]


def err() -> Console:
    """The console for errors (standard error), created on first use."""
    if "err" not in _consoles:
        from rich.console import Console

        _consoles["err"] = Console(stderr=True, highlight=False, soft_wrap=True)
    return _consoles["err"]


def configure(**overrides: object) -> None:
    """Settings overrides from the command line; the app is built from them when needed."""
    _state.clear()
    _overrides.clear()
    _overrides.update(overrides)


def app() -> App:
    if "app" not in _state:
        from config.settings import load_settings
        from workflow.app import App

        _state["app"] = App(settings=load_settings(**_overrides))
    return _state["app"]


def use(application: App) -> None:
    _state["app"] = application


def reset() -> None:
    _state.clear()
    _overrides.clear()


def now() -> datetime:
    """The real clock; the faces are the only place that reads it."""
    from cases.dates import utc_now

    return utc_now()
