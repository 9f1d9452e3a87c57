"""``council history`` and ``council audit verify``: what auditors read."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys
from typing import TYPE_CHECKING

import typer

from council.workflow.cli import runtime, terminal
from council.workflow.cli.runtime import INTERNAL_OPTION

if TYPE_CHECKING:
    from council.cases.case_records import HistoryRow
    from council.workflow.visibility import Audience

audit_app = runtime.command_group()


def history(
    case_number: str = typer.Argument(..., metavar="CASE"),
    as_json: bool = typer.Option(False, "--json", help="JSON rows for auditors."),
    as_csv: bool = typer.Option(False, "--csv", help="CSV rows for auditors (UTF-8, ',')."),
    as_excel: bool = typer.Option(
        False,
        "--excel",
        help="CSV for a Danish Excel: UTF-8 with BOM, ';', Danish headings, Copenhagen time.",
    ),
    internal: bool = INTERNAL_OPTION,
) -> None:
    if as_json + as_csv + as_excel > 1:
        raise typer.BadParameter("choose one of --json, --csv and --excel")
    from council.workflow.read_models.history import case_history, csv_export, json_export
    from council.workflow.visibility import audience

    app = runtime.app()
    rows = case_history(app.initialised_database(), case_number)
    viewers = audience(internal=internal)
    if as_json:
        _write(json_export(rows, viewers))
    elif as_csv or as_excel:
        _write(
            csv_export(
                rows, viewers, rulebook=app.rulebook, dialect="excel-da" if as_excel else "plain"
            )
        )
    else:
        print_history(case_number, rows, viewers)


def _write(text: str) -> None:
    """Machine formats as UTF-8 bytes, whatever the terminal's encoding."""
    stream = getattr(sys.stdout, "buffer", None)
    sys.stdout.flush()
    if stream is None:
        sys.stdout.write(text)
    else:
        stream.write(text.encode("utf-8"))
        stream.flush()


def print_history(case_number: str, rows: list["HistoryRow"], viewers: "Audience") -> None:
    from council.workflow.read_models.history import HEADINGS, as_display

    if not rows:
        terminal.say(f"case {case_number} has no history yet")
        return
    rulebook = runtime.app().rulebook
    table = terminal.table(*HEADINGS, title=f"Beslutningshistorik for sag {case_number}")
    for row in rows:
        terminal.add_row(table, as_display(row, rulebook, viewers))
    terminal.show(table)


@audit_app.command("verify", help="Check the whole audit trail; exit 1 at the first bad entry.")
def verify_command() -> None:
    from council.cases.audit_verify import verify

    with runtime.app().initialised_database().reading() as session:
        report = verify(session)
    if report.ok:
        terminal.say(
            f"audit trail verified: {report.entries} entries, chain head {report.head_hash[:16]}…"
        )
        return
    terminal.complain(f"audit trail does NOT verify: {report.problem}")
    raise typer.Exit(1)
