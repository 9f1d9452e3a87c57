"""``council item edit``: correcting an item's texts, flags and bilag."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime, terminal, texts
from council.workflow.cli.item_options import ITEM_ARGUMENT, VERSION_OPTION
from council.workflow.cli.runtime import ACTOR_OPTION


def register(item_app: typer.Typer) -> None:
    item_app.command(
        "edit",
        help="Ret punktets titel, tekster, type, lukket-markering eller bilag. Frit, så"
        " længe det ikke har en endelig beslutning (med revisionsspor); "
        "derefter kun med --reason, vist som en rettelse i historikken og "
        "beslutningsprotokollen. Et listetilvalg (--point, --signature) "
        "erstatter hele listen.",
    )(edit)


def edit(
    item_id: int = ITEM_ARGUMENT,
    title: str = typer.Option(None, "--title"),
    kind: str = typer.Option(
        None, "--kind", help="orientering eller beslutning (før en beslutning)."
    ),
    closed: bool = typer.Option(None, "--closed/--open", help="Lukket punkt, eller åbent."),
    summary: str = typer.Option(None, "--summary", help="Resuméet."),
    administration: str = typer.Option(None, "--administration", help="Hvem der indstiller."),
    points: list[str] = typer.Option(
        None, "--point", help="Et 'at ...'-punkt; gentag for dem alle."
    ),
    problem: str = typer.Option(None, "--problem", help="Problemstilling."),
    solution: str = typer.Option(None, "--solution", help="Løsning."),
    economy: str = typer.Option(None, "--economy", help="Økonomi."),
    next_steps: str = typer.Option(None, "--next-steps", help="Videre proces."),
    signatures: list[str] = typer.Option(
        None, "--signature", help="En underskrift; gentag for dem alle."
    ),
    renames: list[str] = typer.Option(
        None, "--rename-attachment", help="N=TITEL: bilag N får en ny titel; gentag."
    ),
    removals: list[int] = typer.Option(
        None,
        "--remove-attachment",
        help="Tag bilag N af punktet (filen og revisionssporet bevares); gentag.",
    ),
    reason: str = typer.Option(
        None, "--reason", help="Hvorfor (skal angives, når punktet har en endelig beslutning)."
    ),
    expect_version: int = VERSION_OPTION,
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow.services.item_edits import ItemChanges, bilag_rename, edit_item
    from council.workflow.visibility import PUBLIC

    app = runtime.app()
    done = edit_item(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        item_id=item_id,
        changes=ItemChanges(
            title=title,
            kind=kind,
            closed=closed,
            summary=summary,
            administration=administration,
            recommendation=tuple(points) if points else None,
            problem=problem,
            solution=solution,
            economy=economy,
            next_steps=next_steps,
            signatures=tuple(signatures) if signatures else None,
            attachment_titles=tuple(map(bilag_rename, renames)) if renames else None,
            removed_attachments=tuple(removals) if removals else None,
        ),
        reason=reason,
        actor=actor,
        now=runtime.now(),
        expected_version=expect_version,
    )
    shown = PUBLIC.item(done)
    terminal.say(
        texts.item_edited(
            done.item_id,
            shown.title,
            [texts.FIELD_NAMES.get(name, name) for name in done.changed],
            done.correction,
            done.version,
        )
    )
