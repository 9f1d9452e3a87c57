"""``council import [FORMAT] FILE_OR_FOLDER...``: published agendas and minutes."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from council.workflow.cli import runtime, terminal
from council.workflow.cli.runtime import ACTOR_OPTION
from council.workflow.cli.usage import UsageMistake

if TYPE_CHECKING:
    from council.cases.importers.formats import Format
    from council.workflow.import_reports import FileReport, ImportedDecision, ImportedItem

FORMAT_NAMES = ("text", "edoc", "sbsys", "acadre", "firstagenda", "kk-json")
HELP = (
    "Import published agendas and minutes: eDoc, SBSYS or Acadre XML, FirstAgenda HTML, "
    "Copenhagen JSON or Copenhagen text. The format is detected; name it first to force it "
    f"({', '.join(FORMAT_NAMES)}). A folder imports every file it recognises. All files or "
    "nothing; importing a file again changes nothing."
)
SUMMARY_HEADINGS = (
    "Fil",
    "Format",
    "Møder",
    "Punkter",
    "Beslutninger",
    "Heraf nye",
    "Uklassificerede",
    "Ikke importeret",
)


def import_command(
    paths: list[str] = typer.Argument(
        ...,
        metavar="[FORMAT] FILE_OR_FOLDER...",
        help="Filerne eller mapperne; et formats navn først tvinger det format (kun filer).",
    ),
    committee: str = typer.Option(
        None,
        "--committee",
        help="Udvalgskode for et tekstpunkt, når hverken filnavnet eller teksten nævner udvalget.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Vis, hvad der ville blive importeret; ændr intet."
    ),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.cases.importers.sources import read_sources
    from council.workflow.importing import import_sources

    chosen, files = _format_and_files(paths)
    app = runtime.app()
    database = app.initialised_database()
    found = read_sources(files, format=chosen, max_bytes=app.settings.import_max_bytes)
    reports = import_sources(
        database.unit_of_work(),
        app.rulebook,
        sources=found.files,
        committee_code=committee,
        actor=actor,
        now=runtime.now(),
        dry_run=dry_run,
        max_bytes=app.settings.import_max_bytes,
        phrases=app.phrase_table,
    )
    for report in reports:
        _report(report, app.rulebook.label)
    _notes(reports, found.skipped)
    _summary(reports, dry_run=dry_run)


def _format_and_files(paths: list[str]) -> tuple["Format | None", list[Path]]:
    """A first word that is a format's name (and names no file or folder) forces it."""
    from council.cases.importers.formats import FORMATS

    chosen = None
    named = next((f for f in FORMATS if paths and f == paths[0]), None)
    if named is not None and not Path(paths[0]).exists():
        chosen, paths = named, paths[1:]
    if not paths:
        raise UsageMistake("argumentet FILE_OR_FOLDER mangler: angiv filer eller mapper")
    return chosen, [Path(path) for path in paths]


def _notes(reports: list["FileReport"], skipped: list[str]) -> None:
    for name in skipped:
        _say(f"{name}: sprunget over, ingen af de formater, importen læser")
    if any(case.invented_number and case.created for r in reports for case in r.cases):
        _say(
            "opfundne sagsnumre er <udvalg>-<første mødedato>-p<punkt>; "
            "den samme fil giver altid det samme nummer"
        )
    unclassified = sum(1 for r in reports for d in r.unclassified if d.new)
    if unclassified:
        _say(
            f"{unclassified} beslutning(er) UKLASSIFICERET: formuleringstabellen "
            "(config/decision_phrases.toml) kender ikke ordlyden; registreret som behandlet "
            "(drøftet) med ukendt udfald, til en sagsbehandler at afgøre"
        )


def _summary(reports: list["FileReport"], *, dry_run: bool) -> None:
    from council.workflow.import_reports import summary_row

    title = "Import (prøvekørsel: intet er ændret)" if dry_run else "Import"
    table = terminal.table(*SUMMARY_HEADINGS, title=title)
    for report in reports:
        row = summary_row(report)
        terminal.add_row(
            table,
            (
                row.source,
                row.format,
                row.meetings,
                row.items,
                row.decisions,
                row.new_decisions,
                row.flagged,
                row.not_imported,
            ),
        )
    terminal.show(table)
    if dry_run:
        _say("--dry-run: intet er ændret")


def _say(line: str) -> None:
    terminal.say(line)


def _sections(names: tuple[str, ...]) -> str:
    from council.workflow.item_corrections import SECTION_LABELS

    return ", ".join(SECTION_LABELS[name] for name in names)


def _kept(item: "ImportedItem") -> None:
    """Say which stored sections the file would have shortened or reworded: they stay."""
    if item.kept_shorter:
        _say(
            f"    punkt-id {item.item_id}: beholdt det gemte {_sections(item.kept_shorter)}: filen "
            "har mindre (en import forkorter aldrig en gemt tekst)"
        )
    if item.kept_different:
        _say(
            f"    punkt-id {item.item_id}: beholdt det gemte {_sections(item.kept_different)}: "
            "filen formulerer det anderledes (en import omskriver aldrig en gemt tekst)"
        )


def _cases(report: "FileReport") -> str:
    from council.cases.dates import format_date

    case = f"sag {report.case_number}"
    if report.invented_number:
        case += " (opfundet nummer: filen angiver intet)"
    if report.continued_from is not None:
        case += f", fortsætter punktet, der blev udsat {format_date(report.continued_from)}"
    if len(report.cases) > 1:
        case = f"{len(report.cases)} punkter, {len({c.number for c in report.cases})} sager"
    return case


def _report(report: "FileReport", label: Callable[[str], str]) -> None:
    case = _cases(report)
    if not report.changed:
        _say(f"{report.source}: allerede importeret, {case}; intet er ændret")
        for item in report.items:
            _kept(item)
        return
    created = len(report.cases) == 1 and report.case_created
    _say(f"{report.source}: {case}{' oprettet' if created else ''}")
    for item in report.items:
        _item(item, label)
    for part in report.not_imported:
        _say(f"  ikke importeret: {part}")


def _item(item: "ImportedItem", label: Callable[[str], str]) -> None:
    from council.workflow.item_corrections import REASON_MORE_CONTENT
    from council.workflow.visibility import PUBLIC

    shown = PUBLIC.item(item)
    found = "nyt" if item.created else "findes"
    _say(f"  punkt-id {item.item_id} ({found}) for {item.committee_code}: {shown.title}")
    if item.corrected:
        _say(
            f"    suppleret fra filen, som har mere: {_sections(item.corrected)} "
            f"(en rettelse i revisionssporet, '{REASON_MORE_CONTENT}')"
        )
    _kept(item)
    for where in item.presented_at:
        _say(f"    på dagsordenen for {where}, endnu ingen beslutning")
    for decision in item.decisions:
        _say(f"    {_decision_line(decision, label, withheld=shown.withheld)}")


def _decision_line(
    decision: "ImportedDecision", label: Callable[[str], str], *, withheld: bool
) -> str:
    from council.cases.dates import format_date

    outcome = (
        label(decision.outcome)
        if decision.outcome
        else f"UKLASSIFICERET (registreret som {label(decision.to_state).lower()})"
    )
    number = (
        f" punkt {decision.agenda_number}"
        if decision.agenda_number and decision.meeting_date
        else ""
    )
    status = (
        "importeret"
        if decision.new
        else "suppleret fra filen, som har flere linjer; i revisionssporet"
        if decision.completed
        else "allerede registreret"
    )
    first_line = decision.text.splitlines()[0] if decision.text and not withheld else ""
    onward = f" → {', '.join(decision.referred_to)}" if decision.referred_to else ""
    return (
        f"{format_date(decision.meeting_date)}{number}: {outcome}{onward} «{first_line}» ({status})"
    )
