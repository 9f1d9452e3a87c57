"""``council item ...``: draft, present (forelæg), move, decide, show."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

from typing import TYPE_CHECKING

import typer

from council.workflow.cli import item_edits_cli, item_reads_cli, runtime, terminal, texts
from council.workflow.cli.item_options import ITEM_ARGUMENT, VERSION_OPTION
from council.workflow.cli.runtime import ACTOR_OPTION

if TYPE_CHECKING:
    from council.workflow.services import TransitionResult

item_app = runtime.command_group()


# typer reads the command's options from its signature: every field of an item is one
@item_app.command(
    "draft", help="Skriv et udkast til et dagsordenspunkt (forvaltningens indstilling)."
)
def draft(
    case: str = typer.Option(..., "--case", help="Sagsnummer, fx 2010-4130."),
    committee: str = typer.Option(..., "--committee", help="Udvalgskode, fx BIU."),
    title: str = typer.Option(..., "--title"),
    kind: str = typer.Option(..., "--kind", help="orientering eller beslutning."),
    closed: bool = typer.Option(False, "--closed/--open", help="Lukket punkt (for lukkede døre)."),
    summary: str = typer.Option("", "--summary", help="Resuméet over indstillingen."),
    administration: str = typer.Option(
        None, "--administration", help="Hvem der indstiller (standard: udvalgets forvaltning)."
    ),
    points: list[str] = typer.Option([], "--point", help="Et 'at ...'-punkt; gentag for flere."),
    problem: str = typer.Option("", "--problem", help="Problemstilling."),
    solution: str = typer.Option("", "--solution", help="Løsning."),
    economy: str = typer.Option("", "--economy", help="Økonomi."),
    next_steps: str = typer.Option("", "--next-steps", help="Videre proces."),
    signatures: list[str] = typer.Option([], "--signature", help="En underskrift; gentag."),
    attachments: list[str] = typer.Option([], "--attachment", help="Et bilags navn; gentag."),
    fulfils: str = typer.Option(
        None, "--fulfils", help="Den statusforpligtelse, punktet besvarer: nummer eller SAG:UDVALG."
    ),
    competent: str = typer.Option(
        None, "--competent", help="Det organ, der afgør det, fx BR (standard: udvalget)."
    ),
    matter: str = typer.Option(
        None,
        "--matter",
        help="Sagsområdet ([[matter]] i committees.toml), som siger, hvem der afgør det.",
    ),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow import obligation_services, services
    from council.workflow.visibility import PUBLIC

    app = runtime.app()
    if matter is not None:
        competent = services.competent_for_matter(app.settings.committees_file, matter, competent)
    if fulfils is not None:  # refuse a wrong obligation before anything is written
        obligation_services.obligation_for_item(
            app.initialised_database(), fulfils, committee_code=committee
        )
    content = services.ItemDraft(
        title=title,
        kind=kind,
        closed=closed,
        summary=summary,
        administration=administration,
        recommendation=tuple(points),
        problem=problem,
        solution=solution,
        economy=economy,
        next_steps=next_steps,
        signatures=tuple(signatures),
        attachments=tuple(attachments),
    )
    item = services.draft_item(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        case_number=case,
        committee_code=committee,
        draft=content,
        actor=actor,
        now=runtime.now(),
        competent_code=competent,
    )
    terminal.say(
        texts.item_drafted(
            item.id or 0,
            committee.upper(),
            case,
            PUBLIC.item(item).title,
            competent.upper() if competent else None,
        )
    )
    if fulfils is not None:
        assert item.id is not None
        _link(item.id, fulfils, actor=actor)


def _link(item_id: int, obligation_ref: str, *, actor: str) -> None:
    from council.workflow import obligation_services

    line = obligation_services.link_item(
        runtime.app().database.unit_of_work(),
        obligation_ref=obligation_ref,
        item_id=item_id,
        actor=actor,
        now=runtime.now(),
    )
    terminal.say(texts.item_linked(item_id, line.id, line.committee_code))


@item_app.command(
    "present", help="Sæt punktet på dagsordenen for et ikke afholdt møde i dets udvalg."
)
def present(
    item_id: int = ITEM_ARGUMENT,
    meeting: str = typer.Option(..., "--meeting", help="Mødenummer eller BIU:2010-02-23."),
    number: int = typer.Option(
        None, "--number", help="Dets nummer på dagsordenen (standard: det næste)."
    ),
    expect_version: int = VERSION_OPTION,
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow import services

    app = runtime.app()
    result = services.present_item(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        item_id=item_id,
        meeting_ref=meeting,
        number=number,
        actor=actor,
        now=runtime.now(),
        expected_version=expect_version,
    )
    _report(result)


@item_app.command(
    "move",
    help="Flyt punktet til et andet planlagt møde i dets udvalg, før dets "
    "møde er afholdt; begge dagsordener nummereres på ny.",
)
def move(
    item_id: int = ITEM_ARGUMENT,
    meeting: str = typer.Option(..., "--meeting", help="Mødenummer eller BIU:2010-03-23."),
    reason: str = typer.Option(
        None, "--reason", help="Hvorfor det flyttes (gemmes i revisionssporet)."
    ),
    expect_version: int = VERSION_OPTION,
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow.services.meeting_changes import move_item

    app = runtime.app()
    moved = move_item(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        item_id=item_id,
        meeting_ref=meeting,
        reason=reason,
        actor=actor,
        now=runtime.now(),
        expected_version=expect_version,
    )
    terminal.say(
        texts.item_placed_anew(
            moved.item_id, moved.from_meeting, moved.to_meeting, moved.number, moved.version
        )
    )


@item_app.command(
    "decide",
    help=(
        "Registrér udvalgets beslutning (udsat, taget til efterretning, "
        "...) med afstemning, ændringsforslag, protokolbemærkninger, "
        "resultater punkt for punkt og hvem der ikke deltog."
    ),
)
def decide(
    item_id: int = ITEM_ARGUMENT,
    outcome: str = typer.Argument(
        None,
        help="fx udsat, 'taget til efterretning', godkendt (kan udelades, når "
        "resultaterne af --point afgør det).",
    ),
    text: str = typer.Option(
        None, "--text", help="Beslutningen ordret (standard: standardsætningen)."
    ),
    at: str = typer.Option(None, "--at", help="Beslutningens dato (standard: mødets dato)."),
    votes_for: int = typer.Option(None, "--for", help="Medlemmer, der stemte for."),
    against: int = typer.Option(None, "--against", help="Medlemmer, der stemte imod."),
    abstain: int = typer.Option(None, "--abstain", help="Medlemmer, der undlod at stemme."),
    for_groups: str = typer.Option(
        None, "--for-groups", help="Hvem der stemte for, som skrevet: F,B,A,Ø."
    ),
    against_groups: str = typer.Option(None, "--against-groups", help="Hvem der stemte imod: C,I."),
    abstain_groups: str = typer.Option(None, "--abstain-groups", help="Hvem der undlod at stemme."),
    without_vote: bool = typer.Option(False, "--without-vote", help="Uden afstemning."),
    unanimous: bool = typer.Option(False, "--unanimous", help="Enstemmigt."),
    remarks: list[str] = typer.Option(
        [], "--remark", help="En protokolbemærkning: 'Enhedslisten: ...'; gentag for flere."
    ),
    amendments: list[str] = typer.Option(
        [],
        "--amendment",
        help="Et ændringsforslag: 'HVEM [som nyt at-punkt]: TEKST => forkastet "
        "2-9-0' (hvad det erstatter, resultatet og afstemningen "
        "for-imod-undlod er valgfri); gentag.",
    ),
    points: list[str] = typer.Option(
        [], "--point", help="Et at-punkts resultat: 2=godkendt, 1=forkastet; gentag."
    ),
    inhabil: list[str] = typer.Option(
        [], "--inhabil", help="Et medlem, der var inhabil og ikke deltog; gentag."
    ),
    absent: list[str] = typer.Option(
        [], "--absent", help="Et medlem, der ikke deltog i punktet; gentag."
    ),
    refer_to: list[str] = typer.Option(
        [],
        "--to",
        help="Det organ, sagen sendes videre til (anbefalet), med kode; gentag for kæden.",
    ),
    expect_version: int = VERSION_OPTION,
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.dates import parse_date
    from council.workflow import services
    from council.workflow.cli.decision_options import parts_from_options

    app = runtime.app()
    decided_on = parse_date(at, what="beslutningsdatoen") if at else None
    parts = parts_from_options(
        app.rulebook,
        votes_for=votes_for,
        against=against,
        abstain=abstain,
        for_groups=for_groups,
        against_groups=against_groups,
        abstain_groups=abstain_groups,
        without_vote=without_vote,
        unanimous=unanimous,
        remarks=remarks,
        amendments=amendments,
        points=points,
        inhabil=inhabil,
        absent=absent,
    )
    result = services.decide_item(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        item_id=item_id,
        outcome=outcome,
        text=text,
        decided_on=decided_on,
        actor=actor,
        now=runtime.now(),
        expected_version=expect_version,
        refer_to_codes=tuple(refer_to),
        parts=parts,
    )
    _report(result)


def _report(result: "TransitionResult") -> None:
    """What the change did, as the public may see it: a closed item's states and decision
    text are left out (``item show N --internal`` shows them)."""
    from council.cases.dates import format_date
    from council.workflow.visibility import PUBLIC

    rulebook = runtime.app().rulebook
    shown = PUBLIC.item(result)
    where = texts.at_meeting(result.meeting_id, result.agenda_number)
    if shown.withheld:
        terminal.say(texts.item_changed_closed(result.item_id, shown.title, where, result.version))
        return
    said = f": «{result.text}» ({format_date(result.decided_on)})" if result.text else ""
    terminal.say(
        texts.item_moved(
            result.item_id,
            rulebook.label(result.from_state),
            rulebook.label(result.to_state),
            where,
            said,
            result.version,
        )
    )
    onward = result.follow_on
    if onward is not None:
        made = "oprettet som udkast" if onward.created else "ventede allerede"
        terminal.say(texts.referred_on(onward.item_id, made, onward.committee_code))


@item_app.command(
    "attach",
    help="Vedhæft filer (PDF, Word .docx, PNG, JPEG, ren tekst) til punktet "
    "som bilag; deres tekst kan søges.",
)
def attach(
    item_id: int = ITEM_ARGUMENT,
    files: list[str] = typer.Argument(..., metavar="FILE...", help="Filerne, der skal vedhæftes."),
    title: str = typer.Option(
        None, "--title", help="Bilagets titel (én fil; standard: filens navn)."
    ),
    actor: str = ACTOR_OPTION,
) -> None:
    from pathlib import Path

    from council.workflow.services.attachments import attach_files
    from council.workflow.visibility import PUBLIC

    app = runtime.app()
    attached = attach_files(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        app.attachment_store(),
        item_id=item_id,
        paths=[Path(name) for name in files],
        title=title,
        max_bytes=app.settings.attachment_max_bytes,
        actor=actor,
        now=runtime.now(),
    )
    shown = PUBLIC.item(attached)
    if shown.withheld:
        terminal.say(
            texts.files_attached_closed(
                attached.item_id, shown.title, len(attached.lines), attached.version
            )
        )
        return
    for line, has_text in attached.lines:
        found = "" if has_text else "; ingen tekst fundet i den (kan kun søges på sit navn)"
        terminal.say(
            texts.attached(
                attached.item_id,
                f"Bilag {line.position} «{line.title}» ← {line.file_name} "
                f"({texts.size(line.size or 0)}, {line.media_type}, "
                f"sha256 {(line.sha256 or '')[:12]}…){found}",
            )
        )
    terminal.say(texts.item_version(attached.item_id, attached.version))


item_reads_cli.register(item_app)


def _report_command() -> None:
    from council.workflow.cli.goals_cli import report

    item_app.command(
        "report",
        help="Registrér de værdier, et statuspunkt rapporterer for sine mål: "
        "--goal NAVN VÆRDI, gentaget.",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(report)


_report_command()


item_edits_cli.register(item_app)


@item_app.command(
    "withdraw",
    help="Træk punktet tilbage (trukket) med begrundelsen; "
    "beslutningsprotokollen skriver 'Punktet blev trukket: <grund>' i "
    "stedet for udvalgets beslutning.",
)
def withdraw(
    item_id: int = ITEM_ARGUMENT,
    reason: str = typer.Option(None, "--reason", help="Hvorfor det trækkes (skal angives)."),
    expect_version: int = VERSION_OPTION,
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow.services.withdrawals import withdraw_item

    app = runtime.app()
    result = withdraw_item(
        app.initialised_database().unit_of_work(),
        app.rulebook,
        item_id=item_id,
        reason=reason,
        actor=actor,
        now=runtime.now(),
        expected_version=expect_version,
    )
    _report(result)
