"""``council history`` and ``council audit verify``: what auditors read."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import typer

from council.workflow.cli import runtime, terminal, texts, texts_admin
from council.workflow.cli.runtime import INTERNAL_OPTION
from council.workflow.cli.usage import UsageMistake

if TYPE_CHECKING:
    from council.cases.case_history import HistoryRow
    from council.workflow.visibility import Audience

audit_app = runtime.command_group()


def history(
    case_number: str = typer.Argument(..., metavar="CASE"),
    as_json: bool = typer.Option(False, "--json", help="Rækkerne som JSON, til revisorer."),
    as_csv: bool = typer.Option(
        False, "--csv", help="Rækkerne som CSV, til revisorer (UTF-8, ',')."
    ),
    as_excel: bool = typer.Option(
        False,
        "--excel",
        help="CSV til et dansk Excel: UTF-8 med BOM, ';', danske overskrifter, dansk tid.",
    ),
    internal: bool = INTERNAL_OPTION,
) -> None:
    if as_json + as_csv + as_excel > 1:
        raise UsageMistake("vælg højst ét af --json, --csv og --excel")
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
        terminal.say(texts.no_history(case_number))
        return
    rulebook = runtime.app().rulebook
    shown = [as_display(row, rulebook, viewers) for row in rows]
    width = terminal.plain_width()
    if width < WIDE_HISTORY:
        terminal.say(texts.history_title(case_number))
        terminal.stream(history_blocks(shown, width=width))
        return
    table = terminal.table(
        *HEADINGS,
        title=texts.history_title(case_number),
        whole=("#", "Møde", "Punkt", "Registreret"),
    )
    for cells in shown:
        cells[-1] = cells[-1].replace(" ", "\n", 1)  # the time under the date: a narrow column
        terminal.add_row(table, cells)
    terminal.show(table)


CORRECTION_PREFIX = "Rettet den "
"""A correction's row of the history is its note, not a decision's words in quotes."""

WIDE_HISTORY = 110
"""Narrower than this, the nine columns of the history cannot be read as a table: each
row is a block of lines instead (:func:`history_blocks`)."""


def history_blocks(rows: list[list[str]], *, width: int) -> Iterator[str]:
    """Each row of the history as a few lines: where and what, the decision's words
    wrapped within ``width``, who recorded it and when; a blank line between rows."""
    import textwrap

    indent = " " * 5
    for index, (seq, committee, meeting, number, move, outcome, text, actor, at) in enumerate(rows):
        if index:
            yield ""
        where = f"møde {meeting}" + (f", punkt {number}" if number else "")
        yield f"#{seq}".ljust(5) + f"{committee}  {where}"
        what = move if outcome in ("—", "") else f"{move}; udfald: {outcome}"
        yield from textwrap.wrap(what, width, initial_indent=indent, subsequent_indent=indent)
        if text:
            quoted = text if text.startswith((CORRECTION_PREFIX, "Flyttet fra ")) else f"«{text}»"
            yield from textwrap.wrap(quoted, width, initial_indent=indent, subsequent_indent=indent)
        yield from textwrap.wrap(
            f"registreret {at} af {actor}", width, initial_indent=indent, subsequent_indent=indent
        )


CHECKPOINTS_OPTION = typer.Option(
    None,
    "--checkpoints",
    metavar="FILE",
    help="Kontrolpunktsloggen, sporet tjekkes mod (standard: COUNCIL_CHECKPOINT_LOG, eller "
    "loggen ved siden af databasen, når den findes).",
)
HEAD_OPTION = typer.Option(
    None,
    "--head",
    metavar="HASH",
    help="En hovedhash, der er skrevet ned tidligere (mindst de første 16 hex-cifre, som "
    "protokollen bærer den): sporet skal stadig rumme den post.",
)
SINCE_OPTION = typer.Option(
    False,
    "--since-checkpoint",
    help="Tjek kontrolpunktsloggen og kun posterne efter dens sidste kontrolpunkt (hurtigt); "
    "registreringerne og de tidligere poster overlades til det fulde tjek.",
)


@audit_app.command(
    "verify",
    help="Tjek hele revisionssporet, dets registreringer og de signerede kontrolpunkter; "
    "afslutter med 1 ved det første problem.",
)
def verify_command(
    checkpoints: str = CHECKPOINTS_OPTION,
    head: str = HEAD_OPTION,
    since_checkpoint: bool = SINCE_OPTION,
) -> None:
    from pathlib import Path

    from council.workflow.read_models.audit import check_trail

    result = check_trail(
        runtime.app(),
        checkpoints=Path(checkpoints) if checkpoints else None,
        head=head,
        since_checkpoint=since_checkpoint,
    )
    if not result.ok:
        first, *others = result.problems
        terminal.complain(texts.trail_broken(first))
        for problem in others:
            terminal.complain(texts.also(problem))
        raise typer.Exit(1)
    report = result.report
    if result.since is not None:
        terminal.say(
            texts.trail_holds_since(
                result.since.describe(),
                report.entries - result.since.entries,
                report.entries,
                report.head_hash,
            )
        )
        terminal.say(texts.NOT_CHECKED_BEFORE)
    else:
        terminal.say(texts.trail_holds(report.entries, report.head_hash))
    if result.log is not None:
        last = result.last.describe() if result.last else None
        terminal.say(
            texts.checkpoints_hold(result.checkpoints, str(result.log), str(result.key_id), last)
        )
    else:
        terminal.say(texts.NO_CHECKPOINT_LOG)
    if result.head_entry is not None:
        terminal.say(texts.head_entry(result.head_entry))


@audit_app.command(
    "keygen",
    help="Lav det Ed25519-nøglepar, der signerer kontrolpunkter (privat nøgle 0600, offentlig "
    "nøgle ved siden af som .pub); overskriver aldrig.",
)
def keygen_command(
    key: str = typer.Option(
        None,
        "--key",
        metavar="FILE",
        help="Hvor den private nøgle skal ligge (standard: COUNCIL_AUDIT_KEY, eller ved siden af "
        "databasen).",
    ),
) -> None:
    from pathlib import Path

    from council.workflow.checkpoints import make_key

    made = make_key(runtime.app(), key=Path(key) if key else None)
    terminal.say(texts_admin.key_written(str(made.private), str(made.public), str(made.key_id)))


@audit_app.command(
    "checkpoint",
    help="Signér, hvor revisionssporet står nu (poster, hovedhash, tid), og føj det til "
    "kontrolpunktsloggen; skriver kontrolpunktet.",
)
def checkpoint_command() -> None:
    from council.workflow.audit_files import audit_files
    from council.workflow.checkpoints import write_checkpoint

    app = runtime.app()
    made = write_checkpoint(app, now=runtime.now())
    terminal.say(
        texts_admin.checkpoint_written(
            made.number, made.entries, made.at, str(audit_files(app).log), made.head, made.key
        )
    )
    terminal.say(made.line())
