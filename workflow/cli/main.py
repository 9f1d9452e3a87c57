"""The ``council`` command: a thin face over the services, with one-line errors."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys
from typing import Any, ClassVar

import typer

from council.config.errors import CouncilError
from council.workflow.cli import runtime, terminal, usage
from council.workflow.cli.runtime import Lazy

DISTRIBUTION = "council-workflow"  # the name pip installs the product under


# council's own options, read before the command: typer would convert even an option that
# was not given through pydantic (~80 ms on every 'council X --help').
ROOT_OPTIONS = {
    "--database": (
        "database_url",
        "Databasens fil eller URL (standard: COUNCIL_DATABASE_URL, ellers council.db dér, hvor "
        "konfigurationsmappen siger; se 'council config show').",
    ),
    "--config": (
        "config_dir",
        "En kommunes konfigurationsmappe (standard: COUNCIL_CONFIG_DIR, ./config/, "
        "~/.config/council, /etc/council, så de medfølgende standarder; fil for fil).",
    ),
}


# typer adds these two options itself, with English help.
COMPLETION_HELP = {
    "--install-completion": "Installér fuldførelse af kommandoer for den aktuelle skal.",
    "--show-completion": "Vis fuldførelsen for den aktuelle skal, til at kopiere den eller "
    "tilpasse installationen.",
}


def take_root_options(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """``--database URL`` and ``--config DIR`` (or ``--config=DIR``) given before the
    command, and the arguments without them."""
    given: dict[str, str] = {}
    rest: list[str] = []
    position = 0
    while position < len(args) and args[position].startswith("-"):
        name, equals, value = args[position].partition("=")
        if name not in ROOT_OPTIONS:
            rest.append(args[position])
        elif equals:
            given[ROOT_OPTIONS[name][0]] = value
        elif position + 1 < len(args):
            position += 1
            given[ROOT_OPTIONS[name][0]] = args[position]
        else:
            raise usage.UsageMistake(f"tilvalget {name} skal have en værdi; se 'council --help'")
        position += 1
    return given, rest + args[position:]


class Council(runtime.LazyGroup):
    """The commands and groups of ``council``, in the order its help lists them. Each module
    is imported when its command runs or shows its own help, not for ``council --help``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        given, rest = take_root_options(args)
        runtime.configure(**{name: value for name, value in given.items() if value})
        return super().parse_args(ctx, rest)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        rows = [(f"{name} {'URL' if name == '--database' else 'DIR'}", text)
                for name, (_, text) in ROOT_OPTIONS.items()]  # fmt: skip
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                term, text = record
                rows.append((term, COMPLETION_HELP.get(term, text)))
        with formatter.section("Tilvalg"):
            formatter.write_dl(rows)
        self.format_commands(ctx, formatter)

    entries: ClassVar[dict[str, Lazy]] = {
        "init": Lazy(
            "council.workflow.cli.cases_cli:init",
            "Opret eller opgradér databasen og indlæs udvalgene (committees.toml).",
        ),
        "history": Lazy(
            "council.workflow.cli.audit_cli:history",
            "En sags beslutningshistorik (tabel, --json eller --csv).",
        ),
        "demo": Lazy(
            "council.workflow.cli.demo_cli:demo",
            "Byg og genafspil eksempelsagen 2010-4130 i en ny SQLite-fil.",
        ),
        "obligations": Lazy(
            "council.workflow.cli.obligations_cli:obligations",
            "Hvor hver statusforpligtelse står (--at DATO).",
        ),
        "status": Lazy(
            "council.workflow.cli.goals_cli:status",
            "Hvor en statusforpligtelses resultatmål står: måltal, rapporteret, nået (--format).",
        ),
        "calendar": Lazy(
            "council.workflow.cli.calendar_cli:calendar_app",
            "Kalendere at abonnere på (iCalendar): møder, statusfrister.",
        ),
        "serve": Lazy(
            "council.workflow.cli.obligations_cli:serve",
            "Kør påmindelsestjenesten (gennemløb med et interval), indtil den stoppes.",
        ),
        "search": Lazy(
            "council.workflow.cli.search_cli:search",
            "Find sager og punkter ud fra deres ord (titler, afsnit, "
            "beslutninger, bilag), rangeret, med et uddrag; --reindex bygger "
            "indekset igen.",
        ),
        "case": Lazy("council.workflow.cli.cases_cli:case_app", "Sager: opret, vis liste, vis."),
        "meeting": Lazy("council.workflow.cli.meetings_cli:meeting_app", "Udvalgenes møder."),
        "item": Lazy(
            "council.workflow.cli.items_cli:item_app",
            "Dagsordenspunkter og deres arbejdsgang.",
        ),
        "decision": Lazy(
            "council.workflow.cli.decisions_cli:decision_app",
            "Beslutninger: ret en forkert registreret, med en begrundelse.",
        ),
        "audit": Lazy("council.workflow.cli.audit_cli:audit_app", "Revisionssporet."),
        "render": Lazy(
            "council.workflow.cli.render_cli:render_app",
            "Dokumenter: dagsorden, beslutningsprotokol, sagshistorik.",
        ),
        "import": Lazy(
            "council.workflow.cli.import_cli:import_command",
            "Importér offentliggjorte dagsordener og beslutningsprotokoller "
            "(eDoc, SBSYS, Acadre, FirstAgenda, Københavns JSON og tekst); "
            "--dry-run ændrer intet.",
        ),
        "obligation": Lazy(
            "council.workflow.cli.obligations_cli:obligation_app",
            "Statusforpligtelser: registrér dem, knyt de punkter til, der opfylder dem.",
        ),
        "reminders": Lazy(
            "council.workflow.cli.obligations_cli:reminders_app",
            "Påmindelser: kør et gennemløb, se udbakken.",
        ),
        "user": Lazy(
            "council.workflow.cli.users_cli:user_app",
            "Brugere af webapplikationen: tilføj, adgangskode, spær, vis liste.",
        ),
        "web": Lazy(
            "council.workflow.cli.web_cli:web",
            "Kør webapplikationen (offentlige sider, sekretariat, revisorer, JSON-API).",
        ),
        "db": Lazy("council.workflow.cli.db_cli:db_app", "Databasens skema (Alembic-migreringer)."),
        "config": Lazy(
            "council.workflow.cli.config_cli:config_app",
            "Konfigurationen: hvor hver fil og databasen kommer fra; en startmappe til en kommune.",
        ),
    }


cli = runtime.Commands(
    name="council",
    help="Sager i udvalg: dagsordenspunkter, beslutninger, påmindelser og et revisionsspor.",
    add_completion=True,  # --install-completion, --show-completion
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click formats the help: rich costs more than the rest of --help
    cls=Council,
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"council {version(DISTRIBUTION)}")
        raise typer.Exit()


@cli.callback()
def _options(
    _version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_show_version,
        help="Vis versionen og afslut.",
    ),
) -> None:
    # Nothing is loaded here: click runs this before a sub-command parses its own --help,
    # so the settings, the database and the rulebook are built when a command needs them.
    # --database and --config are read by Council.parse_args.
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a user's mistake is one line on stderr and a non-zero exit, never a trace."""
    args = sys.argv[1:] if argv is None else argv
    try:
        result = cli(args=args, prog_name="council", standalone_mode=False)
    except typer.Abort:
        terminal.complain("fejl: afbrudt")
        return 130
    except typer.TyperException as exc:  # typer's usage errors (exit code 2) and the rest
        if exc.exit_code == 2:
            terminal.complain(f"fejl: {usage.usage_line(exc)}")
        else:
            terminal.complain(f"fejl: {exc.format_message()}")
        return exc.exit_code
    except CouncilError as exc:
        terminal.complain(f"fejl: {exc}")
        return exc.exit_code
    except BrokenPipeError:
        return 1
    finally:
        runtime.reset()
    return int(result) if isinstance(result, int) else 0


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
