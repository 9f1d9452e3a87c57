"""``council calendar meetings|deadlines``: calendars to subscribe to or import (iCalendar)."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys

import typer

from council.workflow.cli import runtime, terminal, texts_admin

calendar_app = runtime.command_group()

OUTPUT_OPTION = typer.Option(
    "-", "-o", "--output", metavar="FILE", help="Skriv til FILE.ics (- for stdout)."
)


@calendar_app.command("meetings", help="Alle udvalgsmøder som en iCalendar-fil.")
def meetings(
    committee: str = typer.Option(None, "--committee", help="Kun dette udvalgs, fx BIU."),
    url: str = typer.Option(
        None, "--url", help="Webapplikationens adresse, til et link til hvert mødes dagsorden."
    ),
    output: str = OUTPUT_OPTION,
) -> None:
    from council.workflow.read_models.calendars import meeting_feed

    text = meeting_feed(runtime.app(), now=runtime.now(), committee_code=committee, base_url=url)
    _emit(text, output)


@calendar_app.command(
    "deadlines", help="Alle statusfrister, heldags med en alarm ved hvert varsel."
)
def deadlines(
    committee: str = typer.Option(None, "--committee", help="Kun dette udvalgs, fx BIU."),
    owner: str = typer.Option(
        None, "--owner", help="Kun sager, denne forvaltning ejer, fx Socialforvaltningen."
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
    terminal.say(texts_admin.wrote(target, texts_admin.events(text.count("BEGIN:VEVENT"))))
