"""``council init`` and ``council case ...``."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime
from council.workflow.cli.runtime import ACTOR_OPTION

case_app = runtime.command_group()


def init(actor: str = ACTOR_OPTION) -> None:
    from council.workflow.setup import initialise

    app = runtime.app()
    changed = initialise(app, actor=actor, now=runtime.now())
    loaded = ", ".join(changed) if changed else "none changed"
    runtime.out().print(f"database ready at {app.database.describe()}; committees loaded: {loaded}")


@case_app.command("new", help="Create a case (sag) with its journal number.")
def new(
    number: str = typer.Option(..., "--number", help="Journal number, e.g. 2010-4130."),
    title: str = typer.Option(..., "--title"),
    owner: str = typer.Option(..., "--owner", help="The owning administration (forvaltning)."),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow import services

    app = runtime.app()
    database = app.initialised_database()
    case = services.create_case(
        database.unit_of_work(),
        number=number,
        title=title,
        owner=owner,
        actor=actor,
        now=runtime.now(),
    )
    runtime.out().print(f"case {case.number} created: {case.title}")


@case_app.command("show", help="A case and its agenda items.")
def show(number: str = typer.Argument(..., help="The case number.")) -> None:
    from rich.table import Table

    from council.cases import queries

    app = runtime.app()
    with app.initialised_database().reading() as session:
        case = queries.case_by_number(session, number)
        items = queries.items_of_case(session, case.id)  # type: ignore[arg-type]
    out = runtime.out()
    out.print(f"[bold]Sag {case.number}[/bold]: {case.title}")
    out.print(f"Ejer: {case.owner}")
    table = Table("Item", "Udvalg", "Titel", "Type", "Status", "Version")
    for item, code in items:
        table.add_row(
            str(item.id),
            code,
            item.title,
            item.kind,
            app.rulebook.label(item.state),
            str(item.version),
        )
    out.print(table if items else "No agenda items yet: add one with 'council item draft'.")
