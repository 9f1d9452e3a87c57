"""``council item list`` and ``council item show``: reading items."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import typer

from council.workflow.cli import runtime, terminal, texts
from council.workflow.cli.item_options import ITEM_ARGUMENT
from council.workflow.cli.runtime import INTERNAL_OPTION, JSON_OPTION, LIMIT_OPTION


def register(item_app: typer.Typer) -> None:
    item_app.command(
        "list",
        help="Punkterne, ældste først (på et møde: i dagsordenens rækkefølge); "
        "--open: uden afgørelse.",
    )(list_items)
    item_app.command(
        "show",
        help="Et punkt: dets indhold, status og beslutninger.",
    )(show)


def list_items(
    committee: str = typer.Option(None, "--committee", help="Udvalgskode, fx BIU."),
    state: str = typer.Option(None, "--state", help="En status, fx udsat eller 'kladde'."),
    open_only: bool = typer.Option(False, "--open", help="Kun punkter uden endelig afgørelse."),
    meeting: str = typer.Option(None, "--meeting", help="På dette mødes dagsorden."),
    internal: bool = INTERNAL_OPTION,
    as_json: bool = JSON_OPTION,
    limit: int = LIMIT_OPTION,
) -> None:
    from council.cases.dates import format_date
    from council.workflow.read_models.lists import item_list
    from council.workflow.visibility import audience

    app = runtime.app()
    viewers = audience(internal=internal)
    listing = item_list(
        app.initialised_database(),
        app.rulebook,
        audience=viewers,
        committee_code=committee,
        state=state,
        open_only=open_only,
        meeting_ref=meeting,
        limit=limit,
    )
    if runtime.print_listing(listing, as_json=as_json, empty=texts.NO_ITEM):
        return
    table = terminal.table(
        texts.ITEM_ID, texts.COMMITTEE, texts.CASE, texts.TITLE, texts.STATE, texts.MEETING,
        texts.AGENDA_NUMBER,
        whole=(texts.ITEM_ID, texts.CASE, texts.MEETING, texts.AGENDA_NUMBER),
    )  # fmt: skip
    for line in listing.lines:
        when = format_date(line.meeting_date) if line.meeting_date else None
        meeting_cell = (
            f"{line.meeting_id} ({when})" if line.meeting_id and when else line.meeting_id
        )
        terminal.add_row(
            table,
            (
                line.item_id,
                line.committee_code,
                line.case_number,
                line.shown.marked_title,
                line.state_label,
                meeting_cell,
                line.agenda_number,
            ),
        )
    terminal.show(table)
    runtime.say_more(listing)
    if (state or open_only) and not viewers.may_see_closed:
        terminal.say(texts.CLOSED_NOT_LISTED)


def show(item_id: int = ITEM_ARGUMENT, internal: bool = INTERNAL_OPTION) -> None:
    from council.cases.dates import format_date, format_moment
    from council.workflow.read_models.items import item_detail
    from council.workflow.visibility import audience

    app = runtime.app()
    item = item_detail(
        app.initialised_database(),
        app.rulebook,
        item_id=item_id,
        audience=audience(internal=internal),
    )
    say = terminal.say
    committee = f"{item.committee_name} ({item.committee_code})"
    if item.shown.withheld:
        say((item.shown.title, "bold"))
        say(texts.withheld_item(item.item_id, committee, item.version))
        return
    say((f"{item.shown.title} ({item.case_number})", "bold"), _mark(item.shown.marked))
    say(texts.item_line(item.item_id, committee, item.kind, item.state, item.version))
    if item.competent:
        say(f"afgøres af {item.competent}")
    if item.referred_from:
        say(texts.referred_from(item.referred_from[1], item.referred_from[0]))
    if item.summary:
        say(item.summary)
    say(f"\nIndstilling: {item.administration} indstiller,")
    for number, point in enumerate(item.points, start=1):
        say(f"  {number}. {point}")
    for heading, text in item.sections:
        say(f"\n{heading}\n{text}")
    if item.signatures:
        say("\n" + " / ".join(item.signatures))
    for position, attachment in enumerate(item.attachments, start=1):
        held = ""
        if attachment.has_file:
            held = (
                f"  [{attachment.file_name}, {texts.size(attachment.size or 0)}, "
                f"{attachment.media_type}]"
            )
        say(f"Bilag {position}. {attachment.title}{held}")
    for decision in item.decisions:
        stamp = f"[{decision.state}; {decision.actor}, {format_moment(decision.recorded_at)}]"
        if decision.withdrawn:  # "Punktet blev trukket: <grund>", not the committee's decision
            say(f"\n{decision.text} ({format_date(decision.on)}) {stamp}")
            continue
        say(
            f"\n{decision.committee_name}s beslutning den {format_date(decision.on)} {stamp}"
            f"\n{decision.text}"
        )
        if decision.follow_on:
            onward_id, code = decision.follow_on
            say(f"→ sendt videre til {code} (punkt-id {onward_id})")
        elif decision.referred_to:
            say(f"→ sendt videre til {', '.join(decision.referred_to)}")
        for note in decision.notes:
            say(note)
    for note in item.notes:
        say(f"\n{note}")


def _mark(marked: bool) -> str:
    from council.workflow.visibility import CLOSED_MARK

    return f" {CLOSED_MARK}" if marked else ""
