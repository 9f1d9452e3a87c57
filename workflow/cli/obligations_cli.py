"""``council obligation add|link``, ``council obligations``, ``council reminders run|list``,
``council serve``: status obligations and the reminder service."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import logging
import time as wallclock
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from itertools import chain
from typing import TYPE_CHECKING

import typer

from council.workflow.cli import runtime, terminal
from council.workflow.cli.runtime import ACTOR_OPTION
from council.workflow.cli.usage import UsageMistake

if TYPE_CHECKING:
    from council.cases.obligations.outbox import OutboxRow
    from council.notifications.preview import Preview
    from council.workflow import obligation_services as services

MAX_INTERVAL_MINUTES = 7 * 24 * 60

obligation_app = runtime.command_group()
reminders_app = runtime.command_group()


def _goal_commands() -> None:
    from council.workflow.cli.goals_cli import goal_app

    obligation_app.add_typer(goal_app, name="goal", help="Resultatmål: tilføj, ret, vis liste.")


_goal_commands()


@obligation_app.command("add", help="Registrér en statusforpligtelse; én linje pr. udvalg.")
def add(
    case: str = typer.Option(..., "--case", help="Sagen (eller aftalen), fx 2010-4130."),
    committees: list[str] = typer.Option(
        ..., "--committee", help="Et udvalg, status skal gives til; gentag for flere."
    ),
    start: str = typer.Option(..., "--from", help="Periodens første dag, fx 2008-08-01."),
    end: str = typer.Option(..., "--to", help="Periodens sidste dag, fx 2010-12-31."),
    cadence: str = typer.Option(
        None, "--cadence", help="RFC 5545-RRULE (standard FREQ=YEARLY; FREQ=YEARLY;INTERVAL=2)."
    ),
    due: str = typer.Option(None, "--due", help="Frist på denne dag i året (standard 31.12)."),
    leads: list[str] = typer.Option(
        [],
        "--lead",
        help="Dage før fristen, der skal mindes om den (standard 60, 14 og 0); gentag.",
    ),
    escalate_every: int = typer.Option(
        None,
        "--escalate-every",
        help="Dage mellem påmindelser efter fristen (standard 7; 0: ingen).",
    ),
    recipients: list[str] = typer.Option(
        [], "--recipient", help="Hvem der mindes (standard: ejerens kontakt og sekretariatet)."
    ),
    about: str = typer.Option("", "--about", help="Hvad status handler om."),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.dates import format_date, parse_date
    from council.workflow import obligation_services as services
    from council.workflow.reminder_settings import reminder_config

    app = runtime.app()
    starts_on = parse_date(start, what="startdatoen")
    ends_on = parse_date(end, what="slutdatoen")
    lead_days = _lead_days(leads) if leads else None
    lines = services.add_obligation(
        app.initialised_database().unit_of_work(),
        config=reminder_config(app),
        case_number=case,
        committee_codes=committees,
        starts_on=starts_on,
        ends_on=ends_on,
        cadence=cadence,
        due=due,
        lead_days=lead_days,
        escalate_every_days=escalate_every,
        recipients=recipients,
        about=about,
        actor=actor,
        now=runtime.now(),
    )
    for line in lines:
        dues = ", ".join(f"{p.key} by {format_date(p.due)}" for p in line.periods)
        terminal.say(
            f"obligation {line.id}: case {line.case_number}, status to {line.committee_code} "
            f"{line.cadence} from {format_date(line.starts_on)} to {format_date(line.ends_on)} "
            f"({dues}); reminds {', '.join(line.recipients)}"
        )


@obligation_app.command(
    "link", help="Knyt et dagsordenspunkt til den statusforpligtelse, det opfylder."
)
def link(
    obligation: str = typer.Argument(
        ..., metavar="OBLIGATION", help="Dens nummer, eller SAG:UDVALG (2010-4130:BIU)."
    ),
    item_id: int = typer.Option(..., "--item", help="Punktets nummer (punkt-id)."),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow import obligation_services as services

    app = runtime.app()
    line = services.link_item(
        app.initialised_database().unit_of_work(),
        obligation_ref=obligation,
        item_id=item_id,
        actor=actor,
        now=runtime.now(),
    )
    terminal.say(
        f"item {item_id} linked to obligation {line.id} "
        f"({line.case_number}, status to {line.committee_code})"
    )


def obligations(
    at: str = typer.Option(
        None, "--at", help="Vis stillingen på denne dato (standard: nu), fx 2010-01-15."
    ),
    committee: str = typer.Option(None, "--committee", help="Kun dette udvalgs linjer."),
    overdue: bool = typer.Option(False, "--overdue", help="Kun perioder efter fristen."),
    as_json: bool = typer.Option(
        False, "--json", help="Rækkerne som JSON med kodenavne, til maskiner."
    ),
) -> None:
    from council.cases.dates import format_long_date, local_date, parse_moment
    from council.workflow.read_models import obligations as reads
    from council.workflow.reminder_settings import reminder_config

    app = runtime.app()
    now = parse_moment(at, what="--at", end_of_day=True) if at else runtime.now()
    config = reminder_config(app)
    rows = reads.obligation_rows(
        app, now=now, committee_code=committee, overdue_only=overdue, config=config
    )
    first = next(rows, None)  # a refusal (an unknown committee) comes before any output
    every = chain([first], rows) if first is not None else iter(())
    if as_json:
        print_json_lines(reads.json_lines(every))
        return
    if first is None:
        terminal.say("ingen statusforpligtelser at vise")
        return
    terminal.say(f"Statusforpligtelser pr. {format_long_date(local_date(now))}")
    terminal.stream(
        reads.table_lines(every, width=terminal.plain_width(), step_names=config.step_names)
    )


def print_json_lines(lines: Iterable[str], *, chunk: int = 500) -> None:
    """A JSON array written as it is read, from its records' lines of JSON, a record a line."""
    runtime.write_bytes("[")
    pending: list[str] = []
    separator = "\n"
    for line in lines:
        pending.append(separator + line)
        separator = ",\n"
        if len(pending) >= chunk:
            runtime.write_bytes("".join(pending))
            pending = []
    runtime.write_bytes("".join(pending) + "\n]\n")


# An outbox row's status as people read it (--json keeps the code).
OUTBOX_STATES = {
    "pending": "afventer",
    "sent": "sendt",
    "failed": "fejlet",
    "superseded": "afløst",
}

REPLAY_HELP = (
    "Denne database er en genafspilning (en kopi, en demonstration), der ikke skal bruges i "
    "drift: tillad en --now senere end det rigtige ur. Hver påmindelse, den sender, er brugt "
    "op for altid."
)


@reminders_app.command("run", help="Kør ét gennemløb nu (eller på --now), og aflevér udbakken.")
def run(
    now_text: str = typer.Option(
        None,
        "--now",
        help="Gennemløb, som om det var dette øjeblik, fx 2010-01-07T08:00 (ikke"
        " senere end det rigtige ur, medmindre --replay).",
    ),
    replay: bool = typer.Option(False, "--replay", help=REPLAY_HELP),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        help="Vis, hvad gennemløbet ville skrive, og leveringen ville sende; "
        "ændr intet (enhver --now er tilladt, da intet bruges op).",
    ),
) -> None:
    from council.cases.dates import parse_moment
    from council.workflow import obligation_services as services
    from council.workflow.reminder_settings import reminder_config

    app = runtime.app()
    config = reminder_config(app)
    now = runtime.now()
    if now_text:
        given = parse_moment(now_text, what="--now")
        if not dry_run:
            services.check_sweep_time(given, real_now=now, replay=replay, config=config)
        now = given
    if dry_run:
        print_preview(services.preview_reminders(app, now=now, config=config), say=terminal.say)
        return
    result = services.run_reminders(app, now=now, config=config)
    print_run(result, say=terminal.say)


def print_preview(found: "Preview", *, say: Callable[[str], None]) -> None:
    """What ``reminders run --dry-run`` shows: the rows it would write, the mails it would
    send (each with its text), and that nothing was changed."""
    from council.cases.dates import format_moment

    pending = [row for row in found.written if row.message.status == "pending"]
    say(
        f"prøvekørsel {format_moment(found.now)}: ville skrive {len(found.written)} "
        f"påmindelse(r) ({len(pending)} at sende, {len(found.written) - len(pending)} afløst) "
        f"og sende {len(found.sending)}; intet er ændret"
    )
    for row in found.written:
        say(f"  ville skrive {_describe(row)}")
    for row in found.superseded:
        say(f"  ville afløse {_describe(row)} (et senere trin i perioden er forfaldent)")
    for mail in found.sending:
        m = mail.row.message
        to = ", ".join(mail.to) or "(ingen direkte)"
        digest = f"; i det daglige sammendrag til {', '.join(mail.digest)}" if mail.digest else ""
        say("")
        say(f"--- ville sende #{m.id} til {to}{digest}")
        say(f"Emne: {mail.subject}")
        say("")
        for line in mail.text.rstrip().splitlines():
            say(line)
    if found.sending:
        say("---")


def _describe(row: "OutboxRow") -> str:
    from council.notifications.reminder_text import step_label

    m = row.message
    shown = f"{row.committee_code} {m.period_key} {step_label(m.step_key)}"
    if m.status == "superseded":
        by = f" af #{m.superseded_by}" if m.superseded_by else ""
        return f"#{m.id} {shown} som afløst{by}"
    return f"#{m.id} {shown}"


def print_run(result: "services.ReminderRun", *, say: Callable[[str], None]) -> None:
    from council.cases.dates import format_moment
    from council.notifications.reminder_text import step_label, subject_of

    written = result.written
    report = result.delivery
    superseded = [row for row in written if row.message.status == "superseded"]
    passed = (
        f", {len(superseded) + len(report.superseded)} afløst"
        if (superseded or report.superseded)
        else ""
    )
    say(
        f"gennemløb {format_moment(result.now)}: {len(written)} påmindelse(r) skrevet, "
        f"{len(report.sent)} sendt, {len(report.failed)} fejlet{passed} ({report.transport})"
    )
    for row in written:
        m = row.message
        if m.status == "superseded":
            by = f" #{m.superseded_by}" if m.superseded_by else ""
            say(
                f"  #{m.id} {row.committee_code} {m.period_key} {step_label(m.step_key)}: "
                f"afløst af{by} (passeret, mens tjenesten var nede; ikke sendt)"
            )
            continue
        step = step_label(m.step_key)
        say(f"  #{m.id} {row.committee_code} {m.period_key} {step}: {subject_of(m)}")
    for message_id, error in report.failed:
        say(f"  {message_id}: ikke leveret, prøves igen: {error}")


@reminders_app.command("list", help="Udbakken: hver påmindelse, der er skrevet, og dens levering.")
def list_outbox(
    status: str = typer.Option(
        None,
        "--status",
        help="Kun dem, der afventer, er sendt, fejlet eller afløst: afventer, sendt, fejlet "
        "eller afløst.",
    ),
) -> None:
    from council.cases.dates import format_minute
    from council.cases.obligations.tables import SENT, SUPERSEDED
    from council.notifications.reminder_text import step_label, subject_of
    from council.workflow import obligation_services as services

    codes = {label: code for code, label in OUTBOX_STATES.items()}
    status = codes.get(status, status) if status is not None else None
    rows = services.reminder_outbox(runtime.app(), status=status)
    if not rows:
        terminal.say(
            "udbakken er tom"
            if status is None
            else f"ingen påmindelser med status {OUTBOX_STATES.get(status, status)}"
        )
        return
    table = terminal.table(
        "#",
        "Sag",
        "Udvalg",
        "Periode",
        "Trin",
        "Forfalder",
        "Status",
        "Forsøg",
        "Til",
        "Emne",
        title="Påmindelser (udbakke)",
    )
    for row in rows:
        m = row.message
        state = OUTBOX_STATES.get(m.status, m.status)
        if m.status == SENT and m.sent_at is not None:
            state = f"sendt {format_minute(m.sent_at)}"
            if m.delivered_to == "sammendrag":
                state += " i et sammendrag"
        elif m.status == SUPERSEDED:
            state = f"afløst af #{m.superseded_by}" if m.superseded_by else "afløst"
        elif m.last_error:
            state = f"{state}: {m.last_error}"
        terminal.add_row(
            table,
            (
                m.id,
                row.case_number or "sammendrag",
                row.committee_code or "",
                m.period_key,
                step_label(m.step_key),
                format_minute(m.step_at),
                state,
                m.attempts,
                ", ".join(m.recipients),
                subject_of(m),
            ),
        )
    terminal.show(table)


def serve(
    start: str = typer.Option(
        None,
        "--now",
        help="Lad uret gå fra dette øjeblik i stedet for den rigtige tid "
        "(genafspilninger, test; ikke senere end det rigtige ur, medmindre "
        "--replay).",
    ),
    interval: float = typer.Option(
        None, "--interval", help="Minutter mellem gennemløb (standard: config/reminders.toml)."
    ),
    replay: bool = typer.Option(False, "--replay", help=REPLAY_HELP),
    log_format: str = runtime.LOG_FORMAT_OPTION,
) -> None:
    from council.cases.dates import format_moment, parse_moment
    from council.workflow import obligation_services as services
    from council.workflow.reminder_settings import reminder_config

    runtime.log_format(log_format)
    app = runtime.app()
    config = reminder_config(app)
    app.initialised_database()
    began = None
    if start:
        began = parse_moment(start, what="--now")
        services.check_sweep_time(began, real_now=runtime.now(), replay=replay, config=config)
    clock = _clock(began)
    minutes = interval if interval is not None else config.interval_minutes
    if not 0 < minutes <= MAX_INTERVAL_MINUTES:  # also refuses nan
        where = "--interval" if interval is not None else "[service] interval_minutes"
        raise UsageMistake(
            f"{where} skal være over 0 og højst {MAX_INTERVAL_MINUTES} minutter (en uge), "
            f"ikke {minutes:g}"
        )

    from council.config.logs import configure_logging
    from council.notifications.scheduler import ReminderService
    from council.workflow.checkpoints import scheduled_checkpoints

    configure_logging(level=app.settings.log_level, json_lines=app.settings.log_format == "json")
    log = logging.getLogger("council.serve")

    def sweep_once() -> None:
        result = services.run_reminders(app, now=clock(), config=config)
        report = result.delivery
        if result.written or report.sent or report.failed:  # quiet when there is nothing
            print_run(result, say=log.info)

    checkpoints = scheduled_checkpoints(app, clock=clock, every_hours=config.checkpoint_every_hours)
    service = ReminderService(sweep_once, interval_minutes=minutes, also=[checkpoints])
    log.info(
        "council serve: uret står på %s; stop med Ctrl-C eller SIGTERM", format_moment(clock())
    )
    service.run()


def _clock(start: datetime | None) -> Callable[[], datetime]:
    """The real clock, or one that runs at real speed from ``start``."""
    if start is None:
        return runtime.now
    began = wallclock.monotonic()
    return lambda: start + timedelta(seconds=wallclock.monotonic() - began)


def _lead_days(values: list[str]) -> list[int]:
    result: list[int] = []
    for raw in values:
        for piece in raw.split(","):
            part = piece.strip()
            if not part.isdigit():
                raise UsageMistake(
                    f"varslet '{part}' er ikke et helt antal dage, fx --lead 60 --lead 14"
                )
            result.append(int(part))
    return result
