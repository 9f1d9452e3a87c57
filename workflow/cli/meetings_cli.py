"""``council meeting ...``: create, show the agenda, close."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime
from council.workflow.cli.runtime import ACTOR_OPTION

meeting_app = runtime.command_group()


@meeting_app.command("new", help="Create a meeting of a committee.")
def new(
    committee: str = typer.Option(..., "--committee", help="Committee code, e.g. BIU."),
    on: str = typer.Option(..., "--date", help="Meeting date, 2010-02-23 or 23.02.2010."),
    start: str = typer.Option(None, "--time", help="Start time, e.g. 15:30."),
    place: str = typer.Option(None, "--place"),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.dates import format_date, parse_date, parse_time
    from council.workflow import services

    meeting_date = parse_date(on, what="meeting date")
    start_time = parse_time(start, what="meeting time") if start else None
    database = runtime.app().initialised_database()
    meeting = services.create_meeting(
        database.unit_of_work(),
        committee_code=committee,
        on=meeting_date,
        start_time=start_time,
        place=place,
        actor=actor,
        now=runtime.now(),
    )
    runtime.out().print(
        f"meeting {meeting.id} created: {committee.upper()} {format_date(meeting.date)}"
    )


@meeting_app.command(
    "show", help="The meeting's agenda in order, and postponed items offered to it."
)
def show(
    meeting_ref: str = typer.Argument(..., metavar="MEETING", help="Number or BIU:2010-02-23."),
) -> None:
    from rich.table import Table

    from council.cases import queries
    from council.cases.dates import format_date

    app = runtime.app()
    rulebook = app.rulebook
    carry = rulebook.definition.carry_over
    with app.initialised_database().reading() as session:
        meeting = queries.meeting_by_ref(session, meeting_ref)
        committee = queries.committee_by_id(session, meeting.committee_id)
        lines = queries.agenda(session, meeting, carry_states=carry)
        offered = queries.carried_over(session, meeting, carry_states=carry)
    out = runtime.out()
    held = "held" if meeting.held_at else "not held"
    where = f", {meeting.place}" if meeting.place else ""
    out.print(
        f"[bold]{committee.name}[/bold] — meeting {meeting.id}, "
        f"{format_date(meeting.date)}{where} ({held})"
    )
    table = Table("Punkt", "Item", "Sag", "Titel", "Status", "Beslutning")
    for line in lines:
        title = line.item.title + (" [lukket punkt]" if line.item.closed else "")
        if line.carried_from is not None:
            title += f" (udsat fra mødet den {format_date(line.carried_from)})"
        decision = line.decision.text if line.decision else ""
        table.add_row(
            str(line.number),
            str(line.item.id),
            line.case_number,
            title,
            rulebook.label(line.item.state),
            decision,
        )
    out.print(table if lines else "The agenda is empty.")
    for entry in offered:
        out.print(
            f"carried over: item {entry.item.id} ({entry.case_number}) {entry.item.title} — "
            f"udsat fra mødet den {format_date(entry.postponed_on)}; put it on with "
            f"'council item present {entry.item.id} --meeting {meeting.id}'"
        )


@meeting_app.command("close", help="Mark the meeting held; refused while an item lacks a decision.")
def close(
    meeting_ref: str = typer.Argument(..., metavar="MEETING"),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.dates import format_date
    from council.workflow import services

    app = runtime.app()
    meeting = services.close_meeting(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        meeting_ref=meeting_ref,
        actor=actor,
        now=runtime.now(),
    )
    runtime.out().print(f"meeting {meeting.id} of {format_date(meeting.date)} closed as held")
