"""The ``council`` command: a thin face over the services, with one-line errors."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys
from typing import ClassVar

import typer

try:  # recent typer vendors click (and does not install it); older typer uses click itself
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from council.config.errors import CouncilError
from council.workflow.cli import runtime, terminal
from council.workflow.cli.runtime import Lazy

ABORTS = (typer.Abort, getattr(click_exceptions, "Abort", typer.Abort))
DISTRIBUTION = "council-workflow"  # the name pip installs the product under


class Council(runtime.LazyGroup):
    """The commands and groups of ``council``, in the order its help lists them. Each module
    is imported when its command runs or shows its own help, not for ``council --help``."""

    entries: ClassVar[dict[str, Lazy]] = {
        "init": Lazy(
            "council.workflow.cli.cases_cli:init",
            "Create or upgrade the database and load the committees (committees.toml).",
        ),
        "history": Lazy(
            "council.workflow.cli.audit_cli:history",
            "A case's decision history (table, --json or --csv).",
        ),
        "demo": Lazy(
            "council.workflow.cli.demo_cli:demo",
            "Build and replay the seed case 2010-4130 on a fresh SQLite file.",
        ),
        "obligations": Lazy(
            "council.workflow.cli.obligations_cli:obligations",
            "Where every status obligation stands (--at DATE).",
        ),
        "status": Lazy(
            "council.workflow.cli.goals_cli:status",
            "Where an obligation's result goals stand: target, reported, met (--format).",
        ),
        "calendar": Lazy(
            "council.workflow.cli.calendar_cli:calendar_app",
            "Calendars to subscribe to (iCalendar): meetings, status deadlines.",
        ),
        "serve": Lazy(
            "council.workflow.cli.obligations_cli:serve",
            "Run the reminder service (sweeps on an interval) until stopped.",
        ),
        "search": Lazy(
            "council.workflow.cli.search_cli:search",
            "Find cases and items by their words (titles, sections, decisions, attachments), "
            "ranked, with a snippet; --reindex rebuilds the index.",
        ),
        "case": Lazy(
            "council.workflow.cli.cases_cli:case_app", "Cases (sager): create, list and show."
        ),
        "meeting": Lazy(
            "council.workflow.cli.meetings_cli:meeting_app", "Committee meetings (møder)."
        ),
        "item": Lazy(
            "council.workflow.cli.items_cli:item_app",
            "Agenda items (dagsordenspunkter) and their workflow.",
        ),
        "decision": Lazy(
            "council.workflow.cli.decisions_cli:decision_app",
            "Decisions (beslutninger): correct a wrongly recorded one, with a reason.",
        ),
        "audit": Lazy("council.workflow.cli.audit_cli:audit_app", "The audit trail."),
        "render": Lazy(
            "council.workflow.cli.render_cli:render_app",
            "Documents: agenda (dagsorden), minutes (beslutningsprotokol), case history.",
        ),
        "import": Lazy(
            "council.workflow.cli.import_cli:import_command",
            "Import published agendas and minutes (eDoc, SBSYS, Acadre, FirstAgenda, "
            "Copenhagen JSON and text); --dry-run changes nothing.",
        ),
        "obligation": Lazy(
            "council.workflow.cli.obligations_cli:obligation_app",
            "Status obligations (statusforpligtelser): record them, link the items that "
            "fulfil them.",
        ),
        "reminders": Lazy(
            "council.workflow.cli.obligations_cli:reminders_app",
            "Reminders (påmindelser): run a sweep, look at the outbox.",
        ),
        "user": Lazy(
            "council.workflow.cli.users_cli:user_app",
            "Users of the web application: add, password, disable, list.",
        ),
        "web": Lazy(
            "council.workflow.cli.web_cli:web",
            "Serve the web application (public pages, secretariat, auditors, JSON API).",
        ),
        "db": Lazy(
            "council.workflow.cli.db_cli:db_app", "The database schema (Alembic migrations)."
        ),
        "config": Lazy(
            "council.workflow.cli.config_cli:config_app",
            "The configuration: where each file and the database come from; a starter "
            "folder for a municipality.",
        ),
    }


cli = typer.Typer(
    name="council",
    help="Council case workflow: agenda items, decisions, reminders and an audit trail.",
    no_args_is_help=True,
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
    database: str = typer.Option(
        None,
        "--database",
        help="Database URL (default: COUNCIL_DATABASE_URL, else council.db where the "
        "config folder says; see 'council config show').",
    ),
    config: str = typer.Option(
        None,
        "--config",
        metavar="DIR",
        help="A municipality's config folder (default: COUNCIL_CONFIG_DIR, ./config/, "
        "~/.config/council, /etc/council, then the shipped defaults; file by file).",
    ),
    _version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_show_version,
        help="Print the version and exit.",
    ),
) -> None:
    # Nothing is loaded here: click runs this before a sub-command parses its own --help,
    # so the settings, the database and the rulebook are built when a command needs them.
    given = {"database_url": database, "config_dir": config}
    runtime.configure(**{name: value for name, value in given.items() if value})


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a user's mistake is one line on stderr and a non-zero exit, never a trace."""
    args = sys.argv[1:] if argv is None else argv
    try:
        result = cli(args=args, prog_name="council", standalone_mode=False)
    except click_exceptions.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # 'council item' alone: its help
            typer.echo(exc.format_message())  # on stdout, as --help (and rich's help) prints it
            return 2
        command = exc.ctx.command_path if exc.ctx else "council"
        terminal.complain(f"fejl: {exc.format_message()} (se '{command} --help')")
        return 2
    except ABORTS:
        terminal.complain("fejl: afbrudt")
        return 130
    except click_exceptions.ClickException as exc:
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
