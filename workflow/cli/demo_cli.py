"""``council demo``: the seed case on a fresh SQLite file, its history and its audit check."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime, terminal


def demo(
    db: str = typer.Option(
        "council-demo.db",
        "--db",
        metavar="FILE",
        help="SQLite-filen, demoen bygges i: en ny fil eller en, som en "
        "tidligere demo har lavet (erstattes hver gang); alt andet afvises.",
    ),
) -> None:
    from council.cases.db import sqlite_url
    from council.config.locations import shipped_files
    from council.config.settings import load_settings
    from council.workflow.app import App
    from council.workflow.cli.audit_cli import print_history
    from council.workflow.demo import add_demo_accounts, replay_seed
    from council.workflow.demo_files import demo_path, prepare_demo_database
    from council.workflow.read_models.audit import audit_check
    from council.workflow.read_models.history import case_history
    from council.workflow.visibility import PUBLIC

    path = demo_path(db)
    prepare_demo_database(path)
    # The seed is Copenhagen's: it replays on the shipped files, not a municipality's own.
    app = App(settings=load_settings(database_url=sqlite_url(path), **shipped_files()))
    runtime.use(app)
    terminal.say((f"Genafspiller eksempelsagen i {path}", "bold"))
    case_number = replay_seed(app, say=terminal.say)
    accounts = add_demo_accounts(app, now=runtime.now())
    terminal.say("")
    print_history(case_number, case_history(app.database, case_number), PUBLIC)
    report = audit_check(app.database, app.attachment_store_if_any())
    if not report.ok:
        terminal.complain(f"revisionssporet holder IKKE: {report.problem}")
        raise typer.Exit(1)
    terminal.say(
        f"revisionskontrol: OK — {report.entries} poster, kædens hoved {report.head_hash[:16]}…"
    )
    terminal.say("")
    terminal.say(
        (
            f"I en browser: council web --db {path}  og så http://127.0.0.1:8000/login "
            "med en af disse demokonti (kun i denne demodatabase):",
            "bold",
        )
    )
    for name, role, password in accounts:
        terminal.say(f"  {name:<12} adgangskode {password}   ({role})")
