"""What every command shares: the app and the identity of who acts.

Importing this module (and the command modules) must stay cheap: ``council --help`` loads
only typer and this module; a command loads its own module. The app (settings, database,
rulebook) is built the first time a command asks for it; what commands print goes through
:mod:`council.workflow.cli.terminal`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from gettext import gettext as _
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import TyperGroup, TyperOption
from typer.main import get_command, get_group

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter, Parameter

    from council.workflow.app import App

_state: dict[str, App] = {}
_overrides: dict[str, object] = {}


class _UnsetStaysNone(TyperOption):
    """A group's option that was not given: ``None``, as typer makes it, without converting
    it; and a text option that was given: its text, which needs no converting either.

    Recent typer builds a pydantic adapter even to convert ``None`` or a ``str`` to ``str``
    (~80 ms): ``council --config DIR item show --help`` would pay it for the options of
    ``council`` and ``item`` (``--config``, ``--database``, ``--help``), which click processes
    before ``show`` reads its ``--help``.
    """

    def process_value(self, ctx: Context, value: Any) -> Any:
        single = self.nargs == 1 and not self.multiple
        if value is None and single and not self.required:
            return None if self.callback is None else self.callback(ctx, self, None)
        if isinstance(value, str) and single and _declared_text(self):
            return value if self.callback is None else self.callback(ctx, self, value)
        return super().process_value(ctx, value)


def _declared_text(option: TyperOption) -> bool:
    """Whether the option's annotation is ``str`` (typer versions that coerce through
    pydantic describe it; older ones convert with click and never reach pydantic)."""
    described = getattr(option, "type_descriptor", None)
    return getattr(described, "annotation", None) is str


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
            text = self.help_of(ctx, name)
            if text is not None:
                rows.append((name, text))
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)

    def help_of(self, ctx: Context, name: str) -> str | None:
        """The command's help text for the list, ``None`` to leave it out."""
        command = self.get_command(ctx, name)
        if command is None or command.hidden:
            return None
        return (command.short_help or command.help or "").strip()


@dataclass(frozen=True)
class Lazy:
    """A command or group of a :class:`LazyGroup`: where it is defined, and its help text."""

    target: str  # "module:attribute": a command function, or a group from command_group()
    help: str

    def build(self, name: str) -> Command:
        module, _, attribute = self.target.partition(":")
        target = getattr(importlib.import_module(module), attribute)
        if isinstance(target, typer.Typer):
            command: Command = get_group(target)
        else:
            single = typer.Typer(add_completion=False, rich_markup_mode=None)
            single.command(name, help=self.help)(target)
            command = get_command(single)
        command.name = name
        command.help = self.help
        return command


class LazyGroup(CommandGroup):
    """A command group whose commands (``entries``) are imported and built when one of them
    runs or shows its own help; the group's help lists them from ``entries`` alone."""

    entries: ClassVar[dict[str, Lazy]] = {}

    def list_commands(self, ctx: Context) -> list[str]:
        return list(dict.fromkeys([*self.entries, *super().list_commands(ctx)]))

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in self.commands and cmd_name in self.entries:
            self.commands[cmd_name] = self.entries[cmd_name].build(cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        if args and self.get_command(ctx, args[0]) is None:
            for name in self.entries:  # no such command: typer suggests from the built ones
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def help_of(self, ctx: Context, name: str) -> str | None:
        if name in self.entries:
            return self.entries[name].help
        return super().help_of(ctx, name)


def command_group() -> typer.Typer:
    """A group of sub-commands: help formatted without rich, ``council X`` alone shows it.
    Its name and help text are in the table of workflow/cli/main.py."""
    return typer.Typer(no_args_is_help=True, rich_markup_mode=None, cls=CommandGroup)


LOG_FORMAT_OPTION = typer.Option(
    None,
    "--log-format",
    help="text (timestamped lines, the default) or json (one JSON object per line): the log "
    "on standard error, at COUNCIL_LOG_LEVEL (default INFO); COUNCIL_LOG_FORMAT sets it too.",
)


def log_format(value: str | None) -> None:
    """Take a service's ``--log-format`` into the settings it is about to load."""
    if value is None:
        return
    if value not in {"text", "json"}:
        raise typer.BadParameter("--log-format must be text or json")
    _overrides["log_format"] = value


ACTOR_OPTION = typer.Option(
    None, "--actor", envvar="COUNCIL_ACTOR", help="Who does this (required for every change)."
)
INTERNAL_OPTION = typer.Option(
    False,
    "--internal",
    help="Include closed items (lukket punkt) in full, marked; for internal use only.",
)


JSON_OPTION = typer.Option(False, "--json", help="The lines as JSON, for machines.")
LIMIT_OPTION = typer.Option(200, "--limit", help="At most this many lines (1 to 10000).")


def print_listing(listing: Any, *, as_json: bool, empty: str) -> bool:
    """Print a list's lines as JSON (and return True), or say ``empty`` when there are
    none (and return True); False: the caller prints the lines (then :func:`say_more`)."""
    from council.workflow.cli import terminal

    if as_json:
        from council.workflow.read_models.history import json_text

        write_bytes(json_text([line.as_record() for line in listing.lines]))
        return True
    if not listing.lines:
        terminal.say(empty)
        return True
    return False


def say_more(listing: Any) -> None:
    from council.workflow.cli import terminal

    if listing.more:
        terminal.say(f"(the first {len(listing.lines)} shown; narrow the list or give --limit)")


def write_bytes(text: str) -> None:
    """Machine formats as UTF-8 bytes, whatever the terminal's encoding."""
    import sys

    stream = getattr(sys.stdout, "buffer", None)
    sys.stdout.flush()
    if stream is None:
        sys.stdout.write(text)
    else:
        stream.write(text.encode("utf-8"))
        stream.flush()


def configure(**overrides: object) -> None:
    """Settings overrides from the command line; the app is built from them when needed."""
    _state.clear()
    _overrides.clear()
    _overrides.update(overrides)


def app() -> App:
    if "app" not in _state:
        from council.config.settings import load_settings
        from council.workflow.app import App

        _state["app"] = App(settings=load_settings(**_overrides))
    return _state["app"]


def use(application: App) -> None:
    _state["app"] = application


def reset() -> None:
    _state.clear()
    _overrides.clear()


def now() -> datetime:
    """The real clock; the faces are the only place that reads it."""
    from council.cases.dates import utc_now

    return utc_now()
