"""``council db ...``: the schema's migrations."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

from pathlib import Path

import typer

from council.cases.errors import DatabaseError
from council.workflow.cli import runtime, terminal, texts_admin

db_app = runtime.command_group()


@db_app.command("upgrade", help="Kør de medfølgende migreringer; de eksisterende rækker bevares.")
def upgrade_command() -> None:
    from council.cases.schema import current_revision, upgrade

    database = runtime.app().initialised_database()
    before = current_revision(database)
    upgrade(database)
    after = current_revision(database)
    if before == after:
        terminal.say(texts_admin.database_current(database.describe(), str(after)))
    else:
        terminal.say(texts_admin.database_upgraded(database.describe(), before, str(after)))


@db_app.command(
    "check",
    help="Afslut med 1, hvis databasen er beskadiget, eller dens skema afviger fra modellerne.",
)
def check_command() -> None:
    from council.cases.schema import (
        check_integrity,
        current_revision,
        head_revision,
        schema_differences,
    )

    database = runtime.app().initialised_database()
    check_integrity(database, thorough=True)
    revision, head = current_revision(database), head_revision()
    if revision != head:
        raise DatabaseError(
            f"databasen er på revision {revision}, koden på {head}: kør 'council db upgrade'"
        )
    differences = schema_differences(database)
    if differences:
        raise DatabaseError(f"skemaet afviger fra modellerne: {differences[0]}")
    terminal.say(texts_admin.schema_matches(str(head)))


@db_app.command(
    "backup", help="Kopiér SQLite-databasen konsistent, mens den er i brug (VACUUM INTO)."
)
def backup_command(target: Path = typer.Argument(..., metavar="FILE")) -> None:
    from council.cases.backup import backup_sqlite

    database = runtime.app().initialised_database()
    backup_sqlite(database, target)
    terminal.say(texts_admin.backup_written(database.describe(), target))


@db_app.command(
    "grants",
    help="Skriv PostgreSQL-GRANTs for ROLE, den rolle produktet kører som: den må kun "
    "SELECT og INSERT på revisionsposter og flytte revisionshovedet frem. Kør dem som ejeren "
    "af tabellerne (council db grants ROLE | psql OWNER_URL), igen efter hver opgradering.",
)
def grants_command(role: str = typer.Argument(..., metavar="ROLE")) -> None:
    from council.cases.db_roles import application_grants

    database = runtime.app().initialised_database()
    statements = application_grants(database, role)
    terminal.say(texts_admin.privileges_heading(role, database.describe()))
    for statement in statements:
        terminal.say(f"{statement};")
