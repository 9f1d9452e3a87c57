"""``council obligation goal add|revise|list``, ``council item report``, ``council status``:
the result goals of status obligations and what the statuses report."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from council.workflow.cli import runtime, terminal, texts_admin
from council.workflow.cli.runtime import ACTOR_OPTION
from council.workflow.cli.usage import UsageMistake

if TYPE_CHECKING:
    from council.workflow.services.goals import GoalValueGiven

goal_app = runtime.command_group()

OBLIGATION_ARGUMENT = typer.Argument(
    ...,
    metavar="OBLIGATION",
    help="Dens nummer, SAG:UDVALG (2010-4130:BIU) eller sagen (hvert af dens udvalg).",
)
PERIOD_OPTION = typer.Option(None, "--period", help="En periode i statusforpligtelsen, fx 2010.")


@goal_app.command("add", help="Føj et resultatmål med dets måltal til en statusforpligtelse.")
def add(
    obligation: str = OBLIGATION_ARGUMENT,
    name: str = typer.Option(..., "--name", help="Målet, fx 'Nye frivillige'."),
    targets: list[str] = typer.Option(
        ...,
        "--target",
        help="Måltallet, 0 eller mere (200); PERIODE=N for kun én periode (2009=120); gentag.",
    ),
    unit: str = typer.Option("", "--unit", help="Hvad der tælles, fx frivillige."),
    direction: str = typer.Option("mindst", "--direction", help="mindst (standard) eller højst."),
    agreed: str = typer.Option(
        None,
        "--agreed",
        help="Dagen, måltallet blev aftalt (standard: statusforpligtelsens start).",
    ),
    reason: str = typer.Option("", "--reason", help="Hvor måltallet kommer fra."),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.dates import parse_date
    from council.cases.obligations.goal_rules import format_number
    from council.workflow.services import goals as goal_acts

    app = runtime.app()
    added = goal_acts.add_goal(
        app.initialised_database().unit_of_work(),
        obligation_ref=obligation,
        name=name,
        targets=targets,
        unit=unit,
        direction=direction,
        agreed_on=parse_date(agreed, what="--agreed") if agreed else None,
        reason=reason,
        actor=actor,
        now=runtime.now(),
    )
    for line, goal in added:
        shown = ", ".join(
            format_number(t.target) + (f" i {t.period_key}" if t.period_key else "")
            for t in goal.targets
        )
        terminal.say(
            f"resultatmålet '{goal.name}' er føjet til statusforpligtelse {line.id} "
            f"({line.case_number}, {line.committee_code}): måltal {shown}"
        )


@goal_app.command("revise", help="Ret et måls måltal (de tidligere måltal bevares).")
def revise(
    obligation: str = OBLIGATION_ARGUMENT,
    name: str = typer.Option(..., "--name", help="Målet, fx Mentorforløb."),
    target: str = typer.Option(..., "--target", help="Det nye måltal, fx 100."),
    reason: str = typer.Option(
        None, "--reason", help="Hvorfor (skal angives), fx 'nedjustering fra 125 til 100 forløb'."
    ),
    agreed: str = typer.Option(
        None, "--agreed", help="Dagen, ændringen blev aftalt (standard: i dag)."
    ),
    period: str = PERIOD_OPTION,
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.dates import format_date, parse_date
    from council.cases.obligations.goal_rules import format_number
    from council.workflow.services import goals as goal_acts

    app = runtime.app()
    revised = goal_acts.revise_goal(
        app.initialised_database().unit_of_work(),
        obligation_ref=obligation,
        name=name,
        target=target,
        reason=reason or "",
        agreed_on=parse_date(agreed, what="--agreed") if agreed else None,
        period=period,
        actor=actor,
        now=runtime.now(),
    )
    for line, goal, entry in revised:
        terminal.say(
            f"resultatmålet '{goal.name}' i statusforpligtelse {line.id} ({line.committee_code}) "
            f"er ændret til {format_number(entry.target)} som aftalt den "
            f"{format_date(entry.agreed_on)}: {entry.reason}"
        )


@goal_app.command("list", help="En statusforpligtelses mål og hvert måltal, der er aftalt for dem.")
def list_goals(obligation: str = OBLIGATION_ARGUMENT) -> None:
    from council.cases.dates import format_date
    from council.cases.obligations.goal_rules import DIRECTION_LABELS, format_number
    from council.workflow.read_models import goals as goal_reads

    tables = goal_reads.goal_table(runtime.app(), obligation_ref=obligation)
    if not any(found.goals for found in tables):
        terminal.say(f"statusforpligtelse {obligation} har endnu ingen resultatmål")
        return
    table = terminal.table(
        "#", "Udvalg", "Mål", "Enhed", "Retning", "Måltal", "Periode", "Aftalt", "Begrundelse",
        title="Resultatmål",
    )  # fmt: skip
    for found in tables:
        for status in found.goals:
            goal = status.goal
            for index, entry in enumerate(goal.targets):
                terminal.add_row(
                    table,
                    (
                        found.line.id if index == 0 else "",
                        found.line.committee_code if index == 0 else "",
                        goal.name if index == 0 else "",
                        goal.unit if index == 0 else "",
                        DIRECTION_LABELS[goal.direction] if index == 0 else "",
                        format_number(entry.target),
                        entry.period_key or "alle",
                        format_date(entry.agreed_on),
                        entry.reason,
                    ),
                )
    terminal.show(table)


def report(
    ctx: typer.Context,
    item_id: int = typer.Argument(..., metavar="ITEM", help="Statuspunktets nummer."),
    period: str = PERIOD_OPTION,
    note: str = typer.Option("", "--note", help="Hvor værdierne kommer fra."),
    actor: str = ACTOR_OPTION,
) -> None:
    """Registrér de værdier, et statuspunkt rapporterer: --goal NAVN VÆRDI, gentaget (VÆRDI
    som 427, 1.370 eller 'ca. 1370')."""
    from council.workflow.services import goals as goal_acts

    given = _goal_pairs(ctx.args)
    app = runtime.app()
    result = goal_acts.report_values(
        app.initialised_database().unit_of_work(),
        fulfilling_states=app.rulebook.definition.fulfilling_states,
        item_id=item_id,
        values=given,
        period=period,
        note=note,
        actor=actor,
        now=runtime.now(),
    )
    from council.cases.obligations.goal_rules import format_number

    for goal, value in result.values:
        terminal.say(
            f"punkt-id {item_id} rapporterer {goal.name} = "
            f"{format_number(value.value, approximate=value.approximate)} for perioden "
            f"{result.period_key} (statusforpligtelse {result.line.id}, "
            f"{result.line.committee_code})"
        )


def _goal_pairs(args: list[str]) -> list["GoalValueGiven"]:
    """``--goal NAME VALUE`` pairs from the words after the options; anything else is
    refused in one line."""
    from council.workflow.services.goals import GoalValueGiven

    pairs: list[GoalValueGiven] = []
    words = list(args)
    while words:
        word = words.pop(0)
        if word != "--goal":
            raise UsageMistake(
                f"'{word}' forstås ikke; angiv hver værdi som --goal NAVN VÆRDI, "
                'fx --goal "Nye frivillige" 427'
            )
        if len(words) < 2 or words[0].startswith("--") or words[1].startswith("--"):
            raise UsageMistake(
                'hver --goal skal have et navn og en værdi, fx --goal "Nye frivillige" 427'
            )
        pairs.append(GoalValueGiven(words.pop(0), words.pop(0)))
    return pairs


class Format(StrEnum):
    txt = "txt"
    html = "html"
    csv = "csv"


def status(
    obligation: str = OBLIGATION_ARGUMENT,
    period: str = PERIOD_OPTION,
    fmt: Format = typer.Option(Format.txt, "--format", help="txt (standard), html eller csv."),
    output: str = typer.Option(
        None, "-o", "--output", metavar="FILE", help="Skriv til FILE (- for stdout)."
    ),
) -> None:
    from council.notifications.goal_documents import render_status, status_document
    from council.workflow.output_files import output_target, write_document
    from council.workflow.read_models import goals as goal_reads

    target = output_target(output) if output is not None else None
    tables = goal_reads.goal_table(runtime.app(), obligation_ref=obligation, period=period)
    if fmt is Format.csv:
        text = goal_reads.status_csv(tables)
    else:
        text = render_status(status_document(tables), fmt=fmt.value)
    if target is None:
        sys.stdout.write(terminal.clean(text))
        return
    write_document(target, text)
    terminal.say(texts_admin.wrote(target, fmt.value))
