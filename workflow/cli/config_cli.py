"""``council config show`` and ``council config init``: where the configuration comes from,
and a starter folder a municipality edits."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

from pathlib import Path

import typer

from council.workflow.cli import runtime, terminal

config_app = runtime.command_group()

# The located settings in the order they are shown, with a name for people.
SHOWN = (
    ("config_dir", "konfigurationsmappe"),
    ("workflow_file", "arbejdsgang"),
    ("committees_file", "udvalg"),
    ("reminders_file", "påmindelser"),
    ("decision_phrases_file", "beslutningsformuleringer"),
    ("database_url", "database"),
)


@config_app.command(
    "show", help="Hvilken fil hver indstilling kommer fra, og databasen og hvor den er."
)
def show(
    as_json: bool = typer.Option(False, "--json", help="Det samme som JSON, til maskiner."),
) -> None:
    import json

    from council.cases.db import displayed_url

    settings = runtime.app().settings
    rows = []
    for field, label in SHOWN:
        source = settings.source_of(field)
        value = displayed_url(source.value) if field == "database_url" else source.value
        missing = field.endswith("_file") and not Path(value).is_file()
        rows.append((field, label, value, source.origin, missing))
    if as_json:
        document = {
            field: {"value": value or None, "from": origin, **({"missing": True} if gone else {})}
            for field, _, value, origin, gone in rows
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    width = max(len(label) for _, label, *_ in rows)
    for _, label, value, origin, missing in rows:
        note = "  — MANGLER" if missing else ""
        shown = f"{value}  ({origin})" if value else f"({origin})"
        terminal.say(f"{label.ljust(width)}  {shown}{note}")


@config_app.command(
    "init",
    help="Skriv en startmappe med kommentarer (arbejdsgang, udvalg, "
    "påmindelser, beslutningsformuleringer), som en kommune retter i; "
    "overskriver aldrig en fil.",
)
def init(
    folder: Path = typer.Argument(
        ..., metavar="DIR", help="Mappen, der skal skrives (oprettes, hvis den er ny)."
    ),
    municipality: str = typer.Option(
        None, "--municipality", metavar="NAME", help='Kommunen, fx "Ballerup".'
    ),
) -> None:
    from council.config.starter import write_starter

    written = write_starter(folder, municipality=municipality)
    for path in written:
        typer.echo(f"skrev {path}")
    typer.echo(
        f"ret i dem, og kør så: council --config {folder} init   "
        f"(eller COUNCIL_CONFIG_DIR={folder})"
    )
