"""``council demo``: the seed case on a fresh SQLite file, its history and its audit check."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

from pathlib import Path

import typer

from council.workflow.cli import runtime


def demo(
    path: Path = typer.Option(
        Path("council-demo.db"),
        "--db",
        help="The SQLite file to build the demo in (replaced each run).",
    ),
) -> None:
    from council.cases.audit_verify import verify
    from council.config.locations import shipped_files
    from council.config.settings import load_settings
    from council.workflow.app import App
    from council.workflow.cli.audit_cli import print_history
    from council.workflow.demo import remove_database_files, replay_seed
    from council.workflow.history import case_history

    out = runtime.out()
    remove_database_files(path)
    # The seed is Copenhagen's: it replays on the shipped files, not a municipality's own.
    app = App(settings=load_settings(database_url=f"sqlite:///{path}", **shipped_files()))
    runtime.use(app)
    out.print(f"[bold]Replaying the seed case on {path}[/bold]")
    case_number = replay_seed(app, say=lambda line: out.print(line, markup=False))
    out.print()
    print_history(case_number, case_history(app.database, case_number))
    with app.database.reading() as session:
        report = verify(session)
    if not report.ok:
        runtime.err().print(f"audit trail does NOT verify: {report.problem}", markup=False)
        raise typer.Exit(1)
    out.print(f"audit verify: OK — {report.entries} entries, chain head {report.head_hash[:16]}…")
