"""Help and usage mistakes in Danish, through typer's public classes only.

Typer (0.27 on) carries its own copy of click and offers no catalogue for its words; what it
does offer publicly is the command classes (``cls=``), the context and its
``formatter_class``, and :class:`typer.TyperException`, the root of every usage error it
raises. So the help's headings are renamed where the formatter writes them, and a usage
error is told in Danish from what the exception carries (the option, the parameter), never
from its English message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from difflib import get_close_matches
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from council.config.errors import CouncilError

HELP_TEXT = "Vis denne hjælp og afslut."
HEADINGS = {
    "Arguments": "Argumenter",
    "Options": "Tilvalg",
    "Commands": "Kommandoer",
}
# What typer writes in brackets after a help text: [default: 200], [env var: X; required].
EXTRAS = (
    ("env var: ", "miljøvariabel: "),
    ("default: ", "standard: "),
    ("required", "skal angives"),
)
_BRACKET = re.compile(r"\[([^\[\]]*)\]\s*$")
# The kind of value typer shows after an option: --limit <int>.
KINDS = {
    "<int>": "<heltal>",
    "<float>": "<tal>",
    "<str>": "<tekst>",
    "<list[str]>": "<tekst>...",
    "<list[int]>": "<heltal>...",
    "<path>": "<sti>",
    "<bool>": "<ja/nej>",
}
_KIND = re.compile(r"<[a-z\[\]]+>")


class UsageMistake(CouncilError):
    """A command line that cannot be run as written: exit code 2, as for typer's own."""

    exit_code = 2


def _danish_kinds(term: str) -> str:
    return _KIND.sub(lambda match: KINDS.get(match.group(0), match.group(0)), term)


def _danish_extras(text: str) -> str:
    def translated(match: re.Match[str]) -> str:
        inner = match.group(1)
        for english, danish in EXTRAS:
            inner = inner.replace(english, danish)
        return f"[{inner}]"

    return _BRACKET.sub(translated, text)


class DanishHelp(typer.Context.formatter_class):  # type: ignore[misc,valid-type]
    """The help formatter with Danish headings and bracketed notes."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Brug: " if prefix is None else prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(HEADINGS.get(name, name)):
            yield

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        danish = [(_danish_kinds(term), _danish_extras(text)) for term, text in rows]
        super().write_dl(danish, *args, **kwargs)


class DanishContext(typer.Context):
    formatter_class = DanishHelp


def _help_option_in_danish(option: Any) -> Any:
    if option is not None:
        option.help = HELP_TEXT
    return option


class DanishCommand(TyperCommand):
    """A command whose help is Danish and whose stray arguments are one Danish line."""

    context_class = DanishContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[TILVALG]"

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option_in_danish(super().get_help_option(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        rest: list[str] = super().parse_args(ctx, args)
        ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise UsageMistake(f"uventet argument {rest[0]!r}; {see_help(ctx)}")
        return rest


class DanishGroup(TyperGroup):
    """A group whose help is Danish, which shows its help when given nothing, and which
    names an unknown command in Danish with the closest one."""

    context_class = DanishContext
    _given: set[str] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[TILVALG]"
        self.subcommand_metavar = "KOMMANDO [ARGUMENTER]..."

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option_in_danish(super().get_help_option(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:  # 'council item' alone: its help
            typer.echo(ctx.get_help())
            ctx.exit(2)
        self._given = _leading_options(args)
        try:
            rest: list[str] = super().parse_args(ctx, args)
        finally:
            self._given = None
        return rest

    def format_help(self, ctx: Any, formatter: Any) -> None:
        given, self._given = self._given, None  # the help lists every option
        try:
            super().format_help(ctx, formatter)
        finally:
            self._given = given

    def get_params(self, ctx: Any) -> list[Any]:
        """While the group's arguments are parsed: only the options that were given.

        Typer converts every option, even one not given, through pydantic (~80 ms), and a
        group's options (``--help``, ``--version``, ``--install-completion``) are all flags
        that do nothing when absent; so ``council item show --help`` need not pay for them.
        """
        params: list[Any] = super().get_params(ctx)
        given = getattr(self, "_given", None)
        if given is None or ctx.resilient_parsing:
            return params
        return [param for param in params if given.intersection(param.opts)]

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise UsageMistake(unknown_command(ctx, name, self.list_commands(ctx)))
        resolved: tuple[str | None, Any, list[str]] = super().resolve_command(ctx, args)
        return resolved


def _leading_options(args: list[str]) -> set[str]:
    """The option names before the command: a group's own options."""
    names = set()
    for arg in args:
        if not arg.startswith("-"):
            break
        names.add(arg.partition("=")[0])
    return names


def see_help(ctx: Any) -> str:
    path = ctx.command_path if ctx is not None else "council"
    return f"se '{path} --help'"


def unknown_command(ctx: Any, name: str, names: list[str]) -> str:
    close = get_close_matches(name, names, n=1)
    guess = f" (mente du '{close[0]}'?)" if close else ""
    return f"ukendt kommando {name!r}{guess}; {see_help(ctx)}"


def usage_line(exc: typer.TyperException) -> str:
    """Typer's usage error as one Danish line, from what the exception carries."""
    ctx = getattr(exc, "ctx", None)
    param = getattr(exc, "param", None)
    hint = see_help(ctx)
    option = getattr(exc, "option_name", None)
    if hasattr(exc, "possibilities"):  # an option the command does not have
        close = sorted(getattr(exc, "possibilities", None) or [])
        guess = f" (mente du {close[0]}?)" if close else ""
        return f"ukendt tilvalg {option}{guess}; {hint}"
    if option is not None:  # an option given without its value
        return f"tilvalget {option} skal have en værdi; {hint}"
    if param is not None and hasattr(exc, "param_type"):
        return f"{_parameter(param)} mangler; {hint}"
    if param is not None:
        return f"ugyldig værdi for {_parameter(param)}; {hint}"
    return f"kommandolinjen kan ikke læses, som den står; {hint}"


def _parameter(param: Any) -> str:
    if param.param_type_name == "argument":
        name = param.metavar if isinstance(param.metavar, str) else str(param.name).upper()
        return f"argumentet {name.strip('{}[]. ')}"
    names = [name for name in param.opts if name.startswith("--")] or list(param.opts)
    return f"tilvalget {names[0]}"
