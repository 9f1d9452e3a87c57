"""``council history`` and ``council audit verify``: what auditors read."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys
from typing import TYPE_CHECKING

import typer

from council.workflow.cli import runtime

if TYPE_CHECKING:
    from council.cases.queries import HistoryRow

audit_app = runtime.command_group()


def history(
    case_number: str = typer.Argument(..., metavar="CASE"),
    as_json: bool = typer.Option(False, "--json", help="JSON rows for auditors."),
    as_csv: bool = typer.Option(False, "--csv", help="CSV rows for auditors."),
) -> None:
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")
    from council.workflow.history import COLUMNS, as_record, case_history

    app = runtime.app()
    rows = case_history(app.initialised_database(), case_number)
    if as_json:
        import json

        json.dump([as_record(r) for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif as_csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(as_record(r) for r in rows)
    else:
        print_history(case_number, rows)


def print_history(case_number: str, rows: list["HistoryRow"]) -> None:
    from rich.table import Table

    from council.workflow.history import HEADINGS, as_display

    rulebook = runtime.app().rulebook
    table = Table(*HEADINGS, title=f"Beslutningshistorik for sag {case_number}")
    for row in rows:
        table.add_row(*as_display(row, rulebook))
    runtime.out().print(table if rows else f"case {case_number} has no history yet")


@audit_app.command("verify", help="Check the whole audit trail; exit 1 at the first bad entry.")
def verify_command() -> None:
    from council.cases.audit_verify import verify

    with runtime.app().initialised_database().reading() as session:
        report = verify(session)
    if report.ok:
        runtime.out().print(
            f"audit trail verified: {report.entries} entries, chain head {report.head_hash[:16]}…"
        )
        return
    runtime.err().print(f"audit trail does NOT verify: {report.problem}", markup=False)
    raise typer.Exit(1)
