"""``council init`` and ``council case ...``."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime, terminal, texts
from council.workflow.cli.runtime import ACTOR_OPTION, INTERNAL_OPTION, JSON_OPTION, LIMIT_OPTION

case_app = runtime.command_group()


def init(actor: str = ACTOR_OPTION) -> None:
    from council.workflow.initialise import initialise

    app = runtime.app()
    changed = initialise(app, actor=actor, now=runtime.now())
    terminal.say(texts.database_ready(app.database.describe(), list(changed)))


@case_app.command("new", help="Opret en sag med dens journalnummer.")
def new(
    number: str = typer.Option(..., "--number", help="Journalnummer, fx 2010-4130."),
    title: str = typer.Option(..., "--title"),
    owner: str = typer.Option(..., "--owner", help="Den forvaltning, der ejer sagen."),
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
    terminal.say(texts.case_created(case.number, case.title))


@case_app.command(
    "list",
    help="Sagerne efter nummer; --open: med et punkt uden afgørelse, eller endnu intet punkt.",
)
def list_cases(
    owner: str = typer.Option(None, "--owner", help="Ejet af (en del af navnet er nok)."),
    open_only: bool = typer.Option(False, "--open", help="Kun sager, hvor der er arbejde tilbage."),
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
    if runtime.print_listing(listing, as_json=as_json, empty=texts.NO_CASE):
        return
    table = terminal.table(
        texts.CASE, texts.TITLE, texts.OWNER, texts.ITEMS, texts.OPEN_ITEMS,
        whole=(texts.CASE, texts.ITEMS, texts.OPEN_ITEMS),
    )  # fmt: skip
    for line in listing.lines:
        terminal.add_row(table, (line.number, line.title, line.owner, line.items, line.open_items))
    terminal.show(table)
    runtime.say_more(listing)


@case_app.command("show", help="En sag og dens dagsordenspunkter.")
def show(
    number: str = typer.Argument(..., help="Sagsnummeret."),
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
        terminal.say(texts.NO_ITEMS_YET)
        return
    table = terminal.table(
        texts.ITEM_ID, texts.COMMITTEE, texts.TITLE, texts.KIND, texts.STATE, texts.VERSION,
        whole=(texts.ITEM_ID, texts.VERSION),
    )  # fmt: skip
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
        terminal.say(texts.CHAIN)
        for line in case.chain:
            said = line.outcome or "lukket punkt"
            terminal.say(
                texts.chain_line(line.item_id, line.committee_code, line.on, said, line.onward)
            )
