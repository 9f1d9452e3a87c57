"""``council calendar meetings|deadlines``: calendars to subscribe to or import (iCalendar)."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys

import typer

from council.workflow.cli import runtime, terminal

calendar_app = runtime.command_group()

OUTPUT_OPTION = typer.Option(
    "-", "-o", "--output", metavar="FILE", help="Write to FILE.ics (- for standard output)."
)


@calendar_app.command("meetings", help="Every committee meeting, as an iCalendar file.")
def meetings(
    committee: str = typer.Option(None, "--committee", help="Only this committee's, e.g. BIU."),
    url: str = typer.Option(
        None, "--url", help="The web application's address, to link each meeting's agenda."
    ),
    output: str = OUTPUT_OPTION,
) -> None:
    from council.workflow.read_models.calendars import meeting_feed

    text = meeting_feed(runtime.app(), now=runtime.now(), committee_code=committee, base_url=url)
    _emit(text, output)


@calendar_app.command(
    "deadlines", help="Every status deadline, all-day with an alarm at each lead time."
)
def deadlines(
    committee: str = typer.Option(None, "--committee", help="Only this committee's, e.g. BIU."),
    owner: str = typer.Option(
        None, "--owner", help="Only cases this administration owns, e.g. Socialforvaltningen."
    ),
    output: str = OUTPUT_OPTION,
) -> None:
    from council.workflow.read_models.calendars import deadline_feed

    text = deadline_feed(
        runtime.app(),
        now=runtime.now(),
        committee_codes=[committee] if committee else None,
        owner=owner,
    )
    _emit(text, output)


def _emit(text: str, output: str) -> None:
    from council.workflow.output_files import output_target, write_document

    target = output_target(output)
    if target is None:
        sys.stdout.write(text)
        return
    write_document(target, text)
    events = text.count("BEGIN:VEVENT")
    terminal.say(f"wrote {target} ({events} event{'s' if events != 1 else ''})")
