"""The argument and option every ``council item`` command that names an item shares."""

import typer

ITEM_ARGUMENT = typer.Argument(
    ..., metavar="ITEM", help="Punktets nummer, punkt-id (se 'case show')."
)
VERSION_OPTION = typer.Option(
    None, "--expect-version", help="Afvis, hvis punktet er ændret, siden du læste denne version."
)
