"""What every command shares: the app, the consoles and the identity of who acts."""

from __future__ import annotations

import os
from datetime import datetime

import typer
from rich.console import Console

from cases.dates import utc_now
from workflow.app import App

_state: dict[str, App] = {}

out = Console(highlight=False, width=None if os.isatty(1) else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ACTOR_OPTION = typer.Option(
    None, "--actor", envvar="COUNCIL_ACTOR", help="Who does this (required for every change)."
)


def app() -> App:
    if "app" not in _state:
        _state["app"] = App()
    return _state["app"]


def use(application: App) -> None:
    _state["app"] = application


def reset() -> None:
    _state.clear()


def now() -> datetime:
    """The real clock; the faces are the only place that reads it."""
    return utc_now()
