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
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.main import get_command, get_group

from council.workflow.cli.usage import DanishCommand, DanishGroup, UsageMistake

if TYPE_CHECKING:
    from council.workflow.app import App

_state: dict[str, App] = {}
_overrides: dict[str, object] = {}


class CommandGroup(DanishGroup):
    """A command group whose help lists every command with its whole help text.

    Click (which formats the help since rich is off: ``rich_markup_mode=None``) would cut
    each to its first sentence and the width; typer's rich help showed them whole.
    """

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            text = self.help_of(ctx, name)
            if text is not None:
                rows.append((name, text))
        if rows:
            with formatter.section("Kommandoer"):
                formatter.write_dl(rows)

    def help_of(self, ctx: Any, name: str) -> str | None:
        """The command's help text for the list, ``None`` to leave it out."""
        command = self.get_command(ctx, name)
        if command is None or command.hidden:
            return None
        return str(command.short_help or command.help or "").strip()


class Commands(typer.Typer):
    """A typer app whose commands have Danish help and usage lines."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", DanishCommand)
        return super().command(*args, **kwargs)


@dataclass(frozen=True)
class Lazy:
    """A command or group of a :class:`LazyGroup`: where it is defined, and its help text."""

    target: str  # "module:attribute": a command function, or a group from command_group()
    help: str

    def build(self, name: str) -> Any:
        module, _, attribute = self.target.partition(":")
        target = getattr(importlib.import_module(module), attribute)
        if isinstance(target, typer.Typer):
            command: Any = get_group(target)
        else:
            single = Commands(add_completion=False, rich_markup_mode=None)
            single.command(name, help=self.help)(target)
            command = get_command(single)
        command.name = name
        command.help = self.help
        return command


class LazyGroup(CommandGroup):
    """A command group whose commands (``entries``) are imported and built when one of them
    runs or shows its own help; the group's help lists them from ``entries`` alone."""

    entries: ClassVar[dict[str, Lazy]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return list(dict.fromkeys([*self.entries, *super().list_commands(ctx)]))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.entries:
            self.commands[cmd_name] = self.entries[cmd_name].build(cmd_name)
        return super().get_command(ctx, cmd_name)

    def help_of(self, ctx: Any, name: str) -> str | None:
        if name in self.entries:
            return self.entries[name].help
        return super().help_of(ctx, name)


def command_group() -> typer.Typer:
    """A group of sub-commands: help formatted without rich, ``council X`` alone shows it.
    Its name and help text are in the table of workflow/cli/main.py."""
    return Commands(rich_markup_mode=None, cls=CommandGroup)


LOG_FORMAT_OPTION = typer.Option(
    None,
    "--log-format",
    help="text (linjer med tidsstempel, standard) eller json (ét JSON-objekt pr. linje): "
    "loggen på stderr, på niveauet COUNCIL_LOG_LEVEL (standard INFO); "
    "COUNCIL_LOG_FORMAT sætter det også.",
)


def log_format(value: str | None) -> None:
    """Take a service's ``--log-format`` into the settings it is about to load."""
    if value is None:
        return
    if value not in {"text", "json"}:
        raise UsageMistake("--log-format skal være text eller json")
    _overrides["log_format"] = value


ACTOR_OPTION = typer.Option(
    None, "--actor", envvar="COUNCIL_ACTOR", help="Hvem gør det (skal angives ved hver ændring)."
)
INTERNAL_OPTION = typer.Option(
    False,
    "--internal",
    help="Tag lukkede punkter med i fuld længde, markeret; kun til intern brug.",
)


JSON_OPTION = typer.Option(False, "--json", help="Linjerne som JSON, til maskiner.")
LIMIT_OPTION = typer.Option(200, "--limit", help="Højst så mange linjer (1 til 10000).")


def print_listing(listing: Any, *, as_json: bool, empty: str) -> bool:
    """Print a list's lines as JSON (and return True), or say ``empty`` when there are
    none (and return True); False: the caller prints the lines (then :func:`say_more`)."""
    from council.workflow.cli import terminal

    if as_json:
        from council.workflow.read_models.json_form import json_text

        write_bytes(json_text([line.as_record() for line in listing.lines]))
        return True
    if not listing.lines:
        terminal.say(empty)
        return True
    return False


def say_more(listing: Any) -> None:
    from council.workflow.cli import terminal, texts

    if listing.more:
        terminal.say(texts.first_shown(len(listing.lines)))


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
