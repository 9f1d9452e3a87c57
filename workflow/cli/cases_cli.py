"""``council init`` and ``council case ...``."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime, terminal
from council.workflow.cli.runtime import ACTOR_OPTION, INTERNAL_OPTION, JSON_OPTION, LIMIT_OPTION

case_app = runtime.command_group()


def init(actor: str = ACTOR_OPTION) -> None:
    from council.workflow.initialise import initialise

    app = runtime.app()
    changed = initialise(app, actor=actor, now=runtime.now())
    loaded = ", ".join(changed) if changed else "none changed"
    terminal.say(f"database ready at {app.database.describe()}; committees loaded: {loaded}")


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
    terminal.say(f"case {case.number} created: {case.title}")


@case_app.command("list", help="The cases by number; --open: with an undecided item or none yet.")
def list_cases(
    owner: str = typer.Option(None, "--owner", help="Owned by (a part of the name will do)."),
    open_only: bool = typer.Option(False, "--open", help="Only cases with work left."),
    internal: bool = INTERNAL_OPTION,
    as_json: bool = JSON_OPTION,
    limit: int = LIMIT_OPTION,
) -> None:
    from council.workflow.read_models.lists import case_list
    from council.workflow.visibility import audience

    app = runtime.app()
    listing = case_list(
        app.initialised_database(),
        app.rulebook,
        audience=audience(internal=internal),
        owner=owner,
        open_only=open_only,
        limit=limit,
    )
    if runtime.print_listing(listing, as_json=as_json, empty="no case matches"):
        return
    table = terminal.table("Sag", "Titel", "Ejer", "Punkter", "Åbne")
    for line in listing.lines:
        terminal.add_row(table, (line.number, line.title, line.owner, line.items, line.open_items))
    terminal.show(table)
    runtime.say_more(listing)


@case_app.command("show", help="A case and its agenda items.")
def show(
    number: str = typer.Argument(..., help="The case number."),
    internal: bool = INTERNAL_OPTION,
) -> None:
    from council.workflow.read_models.cases import case_view
    from council.workflow.visibility import audience

    app = runtime.app()
    case = case_view(
        app.initialised_database(),
        app.rulebook,
        number=number,
        audience=audience(internal=internal),
    )
    terminal.say((f"Sag {case.number}", "bold"), f": {case.title}")
    terminal.say(f"Ejer: {case.owner}")
    if not case.items:
        terminal.say("No agenda items yet: add one with 'council item draft'.")
        return
    table = terminal.table("Item", "Udvalg", "Titel", "Type", "Status", "Version")
    for item in case.items:
        terminal.add_row(
            table,
            (
                item.item_id,
                item.committee_code,
                item.shown.marked_title,
                item.kind,
                item.state,
                item.version,
            ),
        )
    terminal.show(table)
    if any(line.onward for line in case.chain):
        from council.cases.dates import format_date

        terminal.say("Behandlingsforløb:")
        for line in case.chain:
            said = line.outcome or "lukket punkt"
            onward = f" → {line.onward}" if line.onward else ""
            terminal.say(
                f"  item {line.item_id}, {line.committee_code} {format_date(line.on)}: "
                f"{said.lower()}{onward}"
            )
