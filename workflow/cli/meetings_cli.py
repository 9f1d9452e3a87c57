"""``council meeting ...``: create, list, show the agenda, reschedule, cancel, reopen,
close, approve the minutes."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

from typing import TYPE_CHECKING

import typer

from council.workflow.cli import runtime, terminal, texts
from council.workflow.cli.runtime import ACTOR_OPTION, INTERNAL_OPTION, JSON_OPTION, LIMIT_OPTION

if TYPE_CHECKING:
    from council.cases.decision_parts import Absence
    from council.workflow.read_models.meetings import MeetingView

meeting_app = runtime.command_group()


@meeting_app.command("new", help="Opret et møde i et udvalg.")
def new(
    committee: str = typer.Option(..., "--committee", help="Udvalgskode, fx BIU."),
    on: str = typer.Option(..., "--date", help="Mødedato, 2010-02-23 eller 23.02.2010."),
    start: str = typer.Option(None, "--time", help="Starttidspunkt, fx 15:30."),
    place: str = typer.Option(None, "--place"),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.dates import parse_date, parse_time
    from council.workflow import services

    meeting_date = parse_date(on, what="mødedatoen")
    start_time = parse_time(start, what="mødets klokkeslæt") if start else None
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
    terminal.say(texts.meeting_created(meeting.id, committee.upper(), meeting.date))


@meeting_app.command(
    "reschedule",
    help="Giv et planlagt møde (uden registrerede beslutninger) en ny dato og et nyt tidspunkt.",
)
def reschedule(
    meeting_ref: str = typer.Argument(..., metavar="MEETING", help="Nummer eller BIU:2010-02-23."),
    on: str = typer.Option(..., "--date", help="Den nye dato, 2010-03-02 eller 02.03.2010."),
    start: str = typer.Option(
        None, "--time", help="Det nye starttidspunkt (standard: det hidtidige)."
    ),
    reason: str = typer.Option(
        None, "--reason", help="Hvorfor det flyttes (gemmes i revisionssporet)."
    ),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.dates import parse_date, parse_time
    from council.workflow.services.meeting_changes import reschedule_meeting

    meeting = reschedule_meeting(
        runtime.app().initialised_database().unit_of_work(),
        meeting_ref=meeting_ref,
        on=parse_date(on, what="mødedatoen"),
        start_time=parse_time(start, what="mødets klokkeslæt") if start else None,
        reason=reason,
        actor=actor,
        now=runtime.now(),
    )
    terminal.say(texts.meeting_rescheduled(meeting.id, meeting.date, meeting.start_time))


@meeting_app.command(
    "cancel",
    help="Aflys et planlagt møde (det bevares, som aflyst); dets punkter "
    "tilbydes udvalgets næste planlagte møde eller flyttes med "
    "--move-to.",
)
def cancel(
    meeting_ref: str = typer.Argument(..., metavar="MEETING", help="Nummer eller BIU:2010-02-23."),
    reason: str = typer.Option(None, "--reason", help="Hvorfor det aflyses (skal angives)."),
    move_to: str = typer.Option(
        None, "--move-to", help="Flyt dets punkter til dette planlagte møde i samme ændring."
    ),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow.services.meeting_changes import cancel_meeting
    from council.workflow.visibility import PUBLIC

    app = runtime.app()
    done = cancel_meeting(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        meeting_ref=meeting_ref,
        reason=reason,
        move_to=move_to,
        actor=actor,
        now=runtime.now(),
    )
    terminal.say(texts.meeting_cancelled(done.meeting.id, done.meeting.date))
    for moved in done.moved:
        terminal.say(texts.moved_on(moved.item_id, moved.to_meeting, moved.number))
    if done.moved or not done.waiting:
        return
    if done.next_meeting is None:
        terminal.say(texts.no_next_meeting(done.committee_code))
        return
    terminal.say(texts.offered_to(done.next_meeting.id, done.next_meeting.date))
    for waiting in done.waiting:
        title = PUBLIC.item(waiting).title
        terminal.say(texts.move_offer(waiting.item_id, title, done.next_meeting.id))


@meeting_app.command(
    "reopen",
    help="Gør et afholdt eller aflyst møde planlagt igen; registrerede "
    "beslutninger forbliver, som de er.",
)
def reopen(
    meeting_ref: str = typer.Argument(..., metavar="MEETING", help="Nummer eller BIU:2010-02-23."),
    reason: str = typer.Option(None, "--reason", help="Hvorfor det genåbnes (skal angives)."),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow.services.meeting_changes import reopen_meeting

    meeting, was, decided = reopen_meeting(
        runtime.app().initialised_database().unit_of_work(),
        meeting_ref=meeting_ref,
        reason=reason,
        actor=actor,
        now=runtime.now(),
    )
    terminal.say(texts.meeting_reopened(meeting.id, meeting.date, was, decided))


@meeting_app.command("list", help="Møderne efter dato (alle udvalg, medmindre --committee).")
def list_meetings(
    committee: str = typer.Option(None, "--committee", help="Udvalgskode, fx BIU."),
    start: str = typer.Option(None, "--from", help="Fra denne dato, fx 2010-01-01."),
    end: str = typer.Option(None, "--to", help="Til og med denne dato, fx 31.12.2010."),
    status: str = typer.Option(
        None, "--status", help="planlagt (ikke afholdt), afholdt eller aflyst."
    ),
    as_json: bool = JSON_OPTION,
    limit: int = LIMIT_OPTION,
) -> None:
    from council.cases.dates import format_date, parse_date
    from council.workflow.read_models.lists import CANCELLED, meeting_list

    listing = meeting_list(
        runtime.app().initialised_database(),
        committee_code=committee,
        start=parse_date(start, what="--from-datoen") if start else None,
        end=parse_date(end, what="--to-datoen") if end else None,
        status=status,
        limit=limit,
    )
    empty = texts.NO_MEETING
    if status is not None and status.strip().casefold() == CANCELLED:
        empty = texts.NO_CANCELLED_MEETING
    if runtime.print_listing(listing, as_json=as_json, empty=empty):
        return
    table = terminal.table(
        texts.MEETING, texts.COMMITTEE, texts.DATE, texts.TIME, texts.PLACE, texts.STATE,
        texts.ITEMS, texts.DECIDED,
        whole=(texts.MEETING, texts.DATE, texts.TIME),
    )  # fmt: skip
    for line in listing.lines:
        terminal.add_row(
            table,
            (
                line.meeting_id,
                line.committee_code,
                format_date(line.date) if line.date else "(dato ukendt)",
                texts.clock(line.start_time) if line.start_time else None,
                line.place,
                line.status.capitalize(),
                line.items,
                line.decided,
            ),
        )
    terminal.show(table)
    runtime.say_more(listing)


@meeting_app.command(
    "show", help="Mødets dagsorden i rækkefølge, og udsatte punkter, der tilbydes det."
)
def show(
    meeting_ref: str = typer.Argument(..., metavar="MEETING", help="Nummer eller BIU:2010-02-23."),
    internal: bool = INTERNAL_OPTION,
) -> None:
    from council.workflow.read_models.meetings import meeting_view
    from council.workflow.visibility import audience

    app = runtime.app()
    meeting = meeting_view(
        app.initialised_database(),
        app.rulebook,
        meeting_ref=meeting_ref,
        audience=audience(internal=internal),
    )
    terminal.say(
        (meeting.committee_name, "bold"),
        texts.meeting_heading(
            meeting.meeting_id,
            meeting.date,
            meeting.start_time,
            meeting.place,
            meeting.held,
            meeting.cancelled,
        ),
    )
    _agenda(meeting)
    _notes(meeting)


def _agenda(meeting: "MeetingView") -> None:
    from council.cases.dates import format_date

    if not meeting.lines:
        terminal.say(texts.EMPTY_AGENDA)
        return
    table = terminal.table(
        texts.AGENDA_NUMBER, texts.ITEM_ID, texts.CASE, texts.TITLE, texts.STATE, texts.DECISION,
        whole=(texts.AGENDA_NUMBER, texts.ITEM_ID, texts.CASE),
    )  # fmt: skip
    for line in meeting.lines:
        title = line.shown.marked_title
        if line.carried_from is not None and not line.shown.withheld:
            title += f" (udsat fra mødet den {format_date(line.carried_from)})"
        terminal.add_row(
            table,
            (line.number, line.item_id, line.case_number, title, line.state_label, line.decision),
        )
    terminal.show(table)


def _notes(meeting: "MeetingView") -> None:
    """What the agenda table leaves out: items offered and referred to the meeting, who was
    absent, the approval of the minutes and the changes made to the meeting."""
    for entry in meeting.offered:
        case = f" ({entry.case_number})" if entry.case_number else ""
        terminal.say(
            texts.carried_over(
                entry.item_id,
                case,
                entry.shown.marked_title,
                entry.postponed_on,
                meeting.meeting_id,
            )
        )
    for referred in meeting.referred:
        case = f" ({referred.case_number})" if referred.case_number else ""
        terminal.say(
            texts.referred(
                referred.item_id,
                case,
                referred.shown.marked_title,
                referred.from_code,
                referred.referred_on,
                meeting.meeting_id,
            )
        )
    if meeting.absent:
        terminal.say("Fraværende: " + ", ".join(_absence(a) for a in meeting.absent))
    if meeting.minutes_approved_on is not None:
        terminal.say(texts.minutes_approved(meeting.minutes_approved_on))
    if meeting.changes:
        terminal.say(texts.CHANGES)
        for change in meeting.changes:
            terminal.say(texts.change_line(change.at, change.actor, change.what, change.reason))


def _absence(absence: "Absence") -> str:
    return f"{absence.name} ({absence.reason})" if absence.reason else absence.name


@meeting_app.command(
    "attendance", help="Registrér, hvem der var fraværende fra mødet (afbud, fravær)."
)
def attendance(
    meeting_ref: str = typer.Argument(..., metavar="MEETING", help="Nummer eller BIU:2010-02-23."),
    absent: list[str] = typer.Option(
        [], "--absent", help="Et medlem, der var fraværende fra mødet; gentag for flere."
    ),
    reason: str = typer.Option(
        None, "--reason", help="afbud eller fravær, for hvert nævnt medlem."
    ),
    nobody: bool = typer.Option(False, "--nobody", help="Registrér, at ingen var fraværende."),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow import services

    app = runtime.app()
    meeting = services.record_attendance(
        app.initialised_database().unit_of_work(),
        meeting_ref=meeting_ref,
        absent=absent,
        reason=reason,
        nobody=nobody,
        actor=actor,
        now=runtime.now(),
    )
    terminal.say(texts.attendance_recorded(meeting.id, meeting.date, absent))


@meeting_app.command(
    "close", help="Markér mødet som afholdt; afvises, så længe et punkt mangler en beslutning."
)
def close(
    meeting_ref: str = typer.Argument(..., metavar="MEETING"),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow import services

    app = runtime.app()
    meeting = services.close_meeting(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        meeting_ref=meeting_ref,
        actor=actor,
        now=runtime.now(),
    )
    terminal.say(texts.meeting_closed(meeting.id, meeting.date))


@meeting_app.command(
    "approve",
    help="Registrér, at udvalget har godkendt beslutningsprotokollen for et "
    "afholdt møde (én gang); dets beslutninger rettes derefter kun med "
    "en note om den godkendte tekst.",
)
def approve(
    meeting_ref: str = typer.Argument(..., metavar="MEETING", help="Nummer eller BIU:2010-02-23."),
    at: str = typer.Option(
        None, "--at", help="Dagen, beslutningsprotokollen blev godkendt (standard: i dag)."
    ),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.dates import parse_date
    from council.workflow.services.meetings import approve_minutes

    app = runtime.app()
    approved_on = parse_date(at, what="godkendelsesdatoen") if at else None
    meeting = approve_minutes(
        app.initialised_database().unit_of_work(),
        meeting_ref=meeting_ref,
        approved_on=approved_on,
        actor=actor,
        now=runtime.now(),
    )
    assert meeting.minutes_approved_on is not None
    terminal.say(
        texts.minutes_approval_recorded(meeting.id, meeting.date, meeting.minutes_approved_on)
    )
