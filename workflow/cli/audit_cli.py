"""``council history`` and ``council audit verify``: what auditors read."""

from __future__ import annotations

import csv
import json
import sys

import typer
from rich.table import Table

from cases.audit_verify import verify
from cases.queries import HistoryRow
from workflow.cli import runtime
from workflow.cli.runtime import out
from workflow.history import COLUMNS, HEADINGS, as_display, as_record, case_history

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)


def history(
    case_number: str = typer.Argument(..., metavar="CASE"),
    as_json: bool = typer.Option(False, "--json", help="JSON rows for auditors."),
    as_csv: bool = typer.Option(False, "--csv", help="CSV rows for auditors."),
) -> None:
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")
    app = runtime.app()
    rows = case_history(app.initialised_database(), case_number)
    if as_json:
        json.dump([as_record(r) for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(as_record(r) for r in rows)
    else:
        print_history(case_number, rows)


def print_history(case_number: str, rows: list[HistoryRow]) -> None:
    rulebook = runtime.app().rulebook
    table = Table(*HEADINGS, title=f"Beslutningshistorik for sag {case_number}")
    for row in rows:
        table.add_row(*as_display(row, rulebook))
    out.print(table if rows else f"case {case_number} has no history yet")


@audit_app.command("verify", help="Check the whole audit trail; exit 1 at the first bad entry.")
def verify_command() -> None:
    with runtime.app().initialised_database().reading() as session:
        report = verify(session)
    if report.ok:
        out.print(
            f"audit trail verified: {report.entries} entries, chain head {report.head_hash[:16]}…"
        )
        return
    runtime.err.print(f"audit trail does NOT verify: {report.problem}", markup=False)
    raise typer.Exit(1)
