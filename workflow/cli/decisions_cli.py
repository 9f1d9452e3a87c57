"""``council decision ...``: correct a wrongly recorded decision, with a reason."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime, terminal, texts
from council.workflow.cli.runtime import ACTOR_OPTION

decision_app = runtime.command_group()


@decision_app.command(
    "correct",
    help="Correct the item's latest decision to another outcome, with a reason; the decision "
    "as recorded stays in the trail and the history. After the minutes are approved the "
    "correction is shown beside the approved text.",
)
def correct(
    item_id: int = typer.Argument(..., metavar="ITEM", help="The item's number (punkt-id)."),
    to: str = typer.Option(..., "--to", help="The right outcome, e.g. godkendt."),
    reason: str = typer.Option(None, "--reason", help="Why it is corrected (required)."),
    text: str = typer.Option(
        None, "--text", help="The decision verbatim (default: the outcome's standard sentence)."
    ),
    expect_version: int = typer.Option(
        None, "--expect-version", help="Refuse if the item changed since you read this version."
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
