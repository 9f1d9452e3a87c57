"""The ``council`` command: a thin face over the services, with one-line errors."""

# Annotations stay evaluated (no __future__ import): typer reads those of every command
# to build the command tree, on each start-up, and string annotations cost it ~6 ms more.

import sys

import typer

try:  # recent typer vendors click (and does not install it); older typer uses click itself
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from config.errors import CouncilError
from workflow.cli import (
    audit_cli,
    cases_cli,
    db_cli,
    demo_cli,
    import_cli,
    items_cli,
    meetings_cli,
    obligations_cli,
    render_cli,
    runtime,
)

ABORTS = (typer.Abort, getattr(click_exceptions, "Abort", typer.Abort))

app = typer.Typer(
    name="council",
    help="Council case workflow: agenda items, decisions, reminders and an audit trail.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click formats the help: rich costs more than the rest of --help
    cls=runtime.CommandGroup,
)


@app.callback()
def _options(
    database: str = typer.Option(
        None,
        "--database",
        help="Database URL (default: COUNCIL_DATABASE_URL or sqlite:///council.db).",
    ),
) -> None:
    # Nothing is loaded here: click runs this before a sub-command parses its own --help,
    # so the settings, the database and the rulebook are built when a command needs them.
    runtime.configure(**({"database_url": database} if database else {}))


app.command("init", help="Create or upgrade the database and load config/committees.toml.")(
    cases_cli.init
)
app.add_typer(cases_cli.case_app, name="case")
app.add_typer(meetings_cli.meeting_app, name="meeting")
app.add_typer(items_cli.item_app, name="item")
app.command("history", help="A case's decision history (table, --json or --csv).")(
    audit_cli.history
)
app.add_typer(audit_cli.audit_app, name="audit")
app.add_typer(render_cli.render_app, name="render")
app.add_typer(import_cli.import_app, name="import")
app.command("demo", help="Build and replay the seed case 2010-4130 on a fresh SQLite file.")(
    demo_cli.demo
)
app.add_typer(obligations_cli.obligation_app, name="obligation")
app.command("obligations", help="Where every status obligation stands (--at DATE).")(
    obligations_cli.obligations
)
app.add_typer(obligations_cli.reminders_app, name="reminders")
app.add_typer(db_cli.db_app, name="db")
app.command("serve", help="Run the reminder service (sweeps on an interval) until stopped.")(
    obligations_cli.serve
)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a user's mistake is one line on stderr and a non-zero exit, never a trace."""
    args = sys.argv[1:] if argv is None else argv
    try:
        result = app(args=args, prog_name="council", standalone_mode=False)
    except click_exceptions.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # 'council item' alone: its help
            typer.echo(exc.format_message())  # on stdout, as --help (and rich's help) prints it
            return 2
        command = exc.ctx.command_path if exc.ctx else "council"
        runtime.err().print(f"error: {exc.format_message()} (see '{command} --help')", markup=False)
        return 2
    except ABORTS:
        runtime.err().print("error: aborted", markup=False)
        return 130
    except click_exceptions.ClickException as exc:
        runtime.err().print(f"error: {exc.format_message()}", markup=False)
        return exc.exit_code
    except CouncilError as exc:
        runtime.err().print(f"error: {exc}", markup=False)
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
