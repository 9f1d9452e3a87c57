"""What every command shares: the app, the consoles and the identity of who acts.

Importing this module (and the command modules) must stay cheap: ``council --help`` loads
only typer. The app (settings, database, rulebook) and the rich consoles are built the
first time a command asks for them.
"""

from __future__ import annotations

import os
from datetime import datetime
from gettext import gettext as _
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup, TyperOption

if TYPE_CHECKING:
    from rich.console import Console
    from typer._click import Context, HelpFormatter, Parameter

    from workflow.app import App

_state: dict[str, App] = {}
_overrides: dict[str, object] = {}
_consoles: dict[str, Console] = {}


class _UnsetStaysNone(TyperOption):
    """A group's option that was not given: ``None``, as typer makes it, without converting it.

    Recent typer builds a pydantic adapter even to convert ``None`` (~80 ms): ``council item
    show --help`` would pay it for the options of ``council`` and ``item`` (``--database``,
    ``--help``), which click processes before ``show`` reads its ``--help``.
    """

    def process_value(self, ctx: Context, value: Any) -> Any:
        if value is None and self.nargs == 1 and not (self.multiple or self.required):
            return None if self.callback is None else self.callback(ctx, self, None)
        return super().process_value(ctx, value)


class CommandGroup(TyperGroup):
    """A command group whose help lists every command with its whole help text, and whose
    options cost nothing when they are not given.

    Click (which formats the help since rich is off: ``rich_markup_mode=None``) would cut
    each to its first sentence and the width; typer's rich help showed them whole.
    """

    def get_params(self, ctx: Context) -> list[Parameter]:
        params = super().get_params(ctx)
        for param in params:
            if type(param) is TyperOption:
                param.__class__ = _UnsetStaysNone
        return params

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, (command.short_help or command.help or "").strip()))
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)


def command_group(help_text: str) -> typer.Typer:
    """A sub-command group: help formatted without rich, ``council X`` alone shows it."""
    return typer.Typer(
        help=help_text, no_args_is_help=True, rich_markup_mode=None, cls=CommandGroup
    )


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
