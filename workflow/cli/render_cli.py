"""``council render ...``: agenda, minutes, case history and a single item as text, HTML or
PDF (from the same HTML and its print stylesheet)."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from council.workflow.cli import runtime, terminal, texts_admin
from council.workflow.errors import OverwriteRefused
from council.workflow.visibility import audience

if TYPE_CHECKING:
    from council.notifications.documents import Document
    from council.workflow.app import App
    from council.workflow.visibility import Audience

render_app = runtime.command_group()


class Format(StrEnum):
    txt = "txt"
    html = "html"
    pdf = "pdf"


FORMAT_OPTION = typer.Option(
    None,
    "--format",
    "-f",
    help="txt, html eller pdf (standard: efter endelsen på filen til -o, "
    "ellers txt); pdf kræver -o.",
)
OUTPUT_OPTION = typer.Option(
    None,
    "--output",
    "-o",
    metavar="FILE",
    help="Skriv til FILE (en ny eller en almindelig fil; - for stdout).",
)
INTERNAL_OPTION = typer.Option(
    False, "--internal", help="Tag lukkede punkter med; markerer dokumentet som internt."
)
MEETING_ARGUMENT = typer.Argument(..., metavar="MEETING", help="Nummer eller BIU:2010-02-23.")


@render_app.command("agenda", help="Mødets dagsorden.")
def agenda(
    meeting: str = MEETING_ARGUMENT,
    fmt: Format = FORMAT_OPTION,
    output: str = OUTPUT_OPTION,
    internal: bool = INTERNAL_OPTION,
) -> None:
    from council.workflow.audit_files import audit_files
    from council.workflow.read_models.meetings import meeting_document

    _emit(
        lambda app, audience: meeting_document(
            app.initialised_database(),
            app.rulebook,
            meeting,
            minutes=False,
            audience=audience,
            files=audit_files(app),
        ),
        fmt,
        output,
        internal,
    )


@render_app.command("minutes", help="Mødets beslutningsprotokol.")
def minutes(
    meeting: str = MEETING_ARGUMENT,
    fmt: Format = FORMAT_OPTION,
    output: str = OUTPUT_OPTION,
    internal: bool = INTERNAL_OPTION,
) -> None:
    from council.workflow.audit_files import audit_files
    from council.workflow.read_models.meetings import meeting_document

    _emit(
        lambda app, audience: meeting_document(
            app.initialised_database(),
            app.rulebook,
            meeting,
            minutes=True,
            audience=audience,
            files=audit_files(app),
        ),
        fmt,
        output,
        internal,
    )


@render_app.command("history", help="En sags fulde beslutningshistorik.")
def history(
    case: str = typer.Argument(..., metavar="CASE", help="Sagsnummeret, fx 2010-4130."),
    fmt: Format = FORMAT_OPTION,
    output: str = OUTPUT_OPTION,
    internal: bool = INTERNAL_OPTION,
) -> None:
    from council.workflow.read_models.cases import case_page

    _emit(
        lambda app, audience: case_page(
            app.initialised_database(), app.rulebook, case, audience=audience
        ),
        fmt,
        output,
        internal,
    )


@render_app.command(
    "item", help="Ét punkt med alle dets beslutninger (det layout, importen læser)."
)
def item(
    item_id: int = typer.Argument(..., metavar="ITEM", help="Punktets nummer (punkt-id)."),
    fmt: Format = FORMAT_OPTION,
    output: str = OUTPUT_OPTION,
    internal: bool = INTERNAL_OPTION,
) -> None:
    from council.workflow.read_models.items import item_document

    _emit(
        lambda app, audience: item_document(
            app.initialised_database(), app.rulebook, item_id, audience=audience
        ),
        fmt,
        output,
        internal,
    )


def _emit(
    build: Callable[["App", "Audience"], "Document"],
    fmt: Format | None,
    output_text: str | None,
    internal: bool,
) -> None:
    from council.notifications.documents import render_document
    from council.workflow.output_files import output_target, write_document

    output = output_target(output_text) if output_text is not None else None
    chosen = chosen_format(fmt, output, to_terminal=output_text is None or sys.stdout.isatty())
    document = build(runtime.app(), audience(internal=internal))
    content: str | bytes
    if chosen == Format.pdf:
        from council.notifications.pdf import render_pdf

        content = render_pdf(document)
    else:
        content = render_document(document, fmt=chosen)
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(terminal.clean(content))
            sys.stdout.flush()
        return
    write_document(output, content)
    terminal.say(texts_admin.wrote(output, str(chosen)))


SUFFIXES = {
    ".txt": Format.txt,
    ".text": Format.txt,
    ".html": Format.html,
    ".htm": Format.html,
    ".pdf": Format.pdf,
}


def chosen_format(fmt: Format | None, output: Path | None, *, to_terminal: bool) -> Format:
    """The format asked for, or the one the -o file's suffix names (else txt); refused when
    the two disagree, and for PDF unless it goes to a file ending in .pdf (or is piped
    with -o -): a .pdf file never holds text, and a terminal never gets a PDF."""
    suffix = output.suffix.casefold() if output is not None else ""
    named = SUFFIXES.get(suffix)
    chosen = fmt or named or Format.txt
    if output is not None and named is not None and named != chosen:
        raise OverwriteRefused(
            f"-o {output} ender på {suffix}, men --format er {chosen}; angiv -o "
            f"{output.with_suffix('.' + chosen.value)} eller --format {named}"
        )
    if chosen == Format.pdf:
        if output is not None and suffix != ".pdf":
            raise OverwriteRefused(
                f"-o {output}: en PDF skrives til en fil, der ender på .pdf; angiv -o "
                f"{output.with_suffix('.pdf')}"
            )
        if output is None and to_terminal:
            raise OverwriteRefused(
                "en PDF skrives ikke til en terminal; angiv -o FIL.pdf (eller -o - for at "
                "sende den videre)"
            )
    return chosen
