"""``council import text FILE...``: agenda items published in the Copenhagen text layout."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from council.workflow.cli import runtime, terminal
from council.workflow.cli.runtime import ACTOR_OPTION

if TYPE_CHECKING:
    from council.workflow.importing import FileReport, ImportedItem

import_app = runtime.command_group()


@import_app.command(
    "text",
    help=(
        "Import agenda items published as plain text in the Copenhagen layout (2010 and 2026). "
        "All files or nothing; importing a file again changes nothing."
    ),
)
def text(
    files: list[Path] = typer.Argument(
        ..., metavar="FILE", help="The text files (one agenda item each)."
    ),
    committee: str = typer.Option(
        None,
        "--committee",
        help="Committee code when neither the file name nor the text names the committee.",
    ),
    actor: str = ACTOR_OPTION,
) -> None:
    from council.workflow.importing import import_texts, read_sources

    app = runtime.app()
    database = app.initialised_database()
    reports = import_texts(
        database.unit_of_work(),
        app.rulebook,
        sources=read_sources(files, max_bytes=app.settings.import_max_bytes),
        committee_code=committee,
        actor=actor,
        now=runtime.now(),
        phrases=app.phrase_table,
    )
    for report in reports:
        _report(report, app.rulebook.label)
    if any(report.invented_number and report.case_created for report in reports):
        _say(
            "invented case numbers are <committee>-<first meeting date>-p<agenda number>; "
            "the same file always gives the same number"
        )
    unclassified = sum(1 for r in reports for d in r.unclassified if d.new)
    if unclassified:
        _say(
            f"{unclassified} decision(s) UNCLASSIFIED: the phrase table "
            "(config/decision_phrases.toml) does not know the wording; recorded as treated "
            "(drøftet) with the outcome unknown, for a clerk to decide"
        )


def _say(line: str) -> None:
    terminal.say(line)


def _sections(names: tuple[str, ...]) -> str:
    from council.workflow.item_corrections import SECTION_LABELS

    return ", ".join(SECTION_LABELS[name] for name in names)


def _kept(item: "ImportedItem") -> None:
    """Say which stored sections the file would have shortened or reworded: they stay."""
    if item.kept_shorter:
        _say(
            f"    item {item.item_id}: kept the stored {_sections(item.kept_shorter)}: the file "
            "has less (an import never shortens a stored text)"
        )
    if item.kept_different:
        _say(
            f"    item {item.item_id}: kept the stored {_sections(item.kept_different)}: the "
            "file words it otherwise (an import never rewrites a stored text)"
        )


def _report(report: "FileReport", label: Callable[[str], str]) -> None:
    from council.cases.dates import format_date
    from council.workflow.item_corrections import REASON_MORE_CONTENT

    case = f"case {report.case_number}"
    if report.invented_number:
        case += " (invented number: the file gives none)"
    if report.continued_from is not None:
        case += f", continuing the item postponed on {format_date(report.continued_from)}"
    if not report.changed:
        _say(f"{report.source}: already imported, {case}; nothing changed")
        for item in report.items:
            _kept(item)
        return
    _say(f"{report.source}: {case}{' created' if report.case_created else ''}")
    for item in report.items:
        found = "new" if item.created else "existing"
        _say(f"  item {item.item_id} ({found}) before {item.committee_code}: {item.title}")
        if item.corrected:
            _say(
                f"    completed from the file, which has more: {_sections(item.corrected)} "
                f"(an audited correction, '{REASON_MORE_CONTENT}')"
            )
        _kept(item)
        for where in item.presented_at:
            _say(f"    on the agenda of {where}, no decision yet")
        for decision in item.decisions:
            outcome = (
                label(decision.outcome)
                if decision.outcome
                else f"UNCLASSIFIED (recorded as {label(decision.to_state).lower()})"
            )
            number = (
                f" punkt {decision.agenda_number}"
                if decision.agenda_number and decision.meeting_date
                else ""
            )
            status = (
                "imported"
                if decision.new
                else "completed from the file, which has more lines; audited"
                if decision.completed
                else "already recorded"
            )
            first_line = decision.text.splitlines()[0] if decision.text else ""
            _say(
                f"    {format_date(decision.meeting_date)}{number}: {outcome} "
                f"«{first_line}» ({status})"
            )
