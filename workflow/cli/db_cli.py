"""``council db ...``: the schema's migrations."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

from pathlib import Path

import typer

from council.cases.errors import DatabaseError
from council.workflow.cli import runtime, terminal

db_app = runtime.command_group()


@db_app.command("upgrade", help="Apply the shipped migrations; existing rows are kept.")
def upgrade_command() -> None:
    from council.cases.schema import current_revision, upgrade

    database = runtime.app().initialised_database()
    before = current_revision(database)
    upgrade(database)
    after = current_revision(database)
    if before == after:
        terminal.say(f"database at {database.describe()} is up to date (revision {after})")
    else:
        terminal.say(f"database at {database.describe()} upgraded: {before} → {after}")


@db_app.command(
    "check", help="Exit 1 if the database is damaged or its schema differs from the models."
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
    terminal.say(f"schema matches the models (revision {head})")


@db_app.command("backup", help="Copy the SQLite database consistently, while in use (VACUUM INTO).")
def backup_command(target: Path = typer.Argument(..., metavar="FILE")) -> None:
    from council.cases.backup import backup_sqlite

    database = runtime.app().initialised_database()
    backup_sqlite(database, target)
    terminal.say(f"backup of {database.describe()} written to {target}")


@db_app.command(
    "grants",
    help="Print the PostgreSQL GRANTs for ROLE, the role the product runs as: it may only "
    "SELECT and INSERT audit entries and move the audit head forward. Run them as the owner "
    "of the tables (council db grants ROLE | psql OWNER_URL), again after each upgrade.",
)
def grants_command(role: str = typer.Argument(..., metavar="ROLE")) -> None:
    from council.cases.db_roles import application_grants

    database = runtime.app().initialised_database()
    statements = application_grants(database, role)
    terminal.say(f"-- privileges of {role} on {database.describe()}; run as the tables' owner")
    for statement in statements:
        terminal.say(f"{statement};")
