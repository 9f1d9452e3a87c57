"""``council decision ...``: correct a wrongly recorded decision, with a reason."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime, terminal, texts
from council.workflow.cli.runtime import ACTOR_OPTION

decision_app = runtime.command_group()


@decision_app.command(
    "correct",
    help="Ret punktets seneste beslutning til et andet udfald, med en "
    "begrundelse; beslutningen, som den blev registreret, bliver i "
    "sporet og i historikken. Efter at beslutningsprotokollen er "
    "godkendt, vises rettelsen ved siden af den godkendte tekst.",
)
def correct(
    item_id: int = typer.Argument(..., metavar="ITEM", help="Punktets nummer (punkt-id)."),
    to: str = typer.Option(..., "--to", help="Det rigtige udfald, fx godkendt."),
    reason: str = typer.Option(None, "--reason", help="Hvorfor den rettes (skal angives)."),
    text: str = typer.Option(
        None, "--text", help="Beslutningen ordret (standard: udfaldets standardsætning)."
    ),
    expect_version: int = typer.Option(
        None,
        "--expect-version",
        help="Afvis, hvis punktet er ændret, siden du læste denne version.",
    ),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow.services.corrections import correct_decision
    from council.workflow.visibility import PUBLIC

    app = runtime.app()
    done = correct_decision(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        item_id=item_id,
        to=to,
        reason=reason,
        text=text,
        actor=actor,
        now=runtime.now(),
        expected_version=expect_version,
    )
    rulebook = app.rulebook
    if PUBLIC.item(done).withheld:
        terminal.say(texts.decision_corrected_closed(done.item_id, done.version))
    else:
        terminal.say(
            texts.decision_corrected(
                done.item_id,
                rulebook.label(done.before.to_state),
                rulebook.label(done.after.to_state),
                done.after.text,
                done.version,
            )
        )
    if done.approved_on is not None:
        terminal.say(texts.corrected_after_approval(done.approved_on))
