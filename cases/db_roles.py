"""The PostgreSQL privileges of the role the product runs as: what it needs, and on the audit
trail no more than appending.

The migrations run as the role that owns the tables (``council db upgrade``); the product
runs as another role given :func:`application_grants`. That role may SELECT and INSERT audit
entries but not UPDATE, DELETE or TRUNCATE them; it may move the head forward (UPDATE of
``seq`` and ``hash``, which ``SELECT ... FOR UPDATE`` needs as well) but not change the
database id; and, owning no table, it cannot disable or drop the triggers that refuse the
rest. Whoever holds the owner's password still can: that is what the signed checkpoints
outside the database are for.
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from council.cases.db import Database, translate
from council.cases.errors import DatabaseError, InvalidInputError

MAX_ROLE_LENGTH = 63  # PostgreSQL's longest identifier, in bytes
READ_ONLY = frozenset({"alembic_version"})  # the migrations' own, written by the owner


def application_grants(database: Database, role: str) -> list[str]:
    """The statements (for the owner to run) that give ``role`` what the product needs on
    every table and sequence of the database as it is now; run them again after an upgrade
    that adds tables. Each table's privileges are revoked first, so they are exactly these."""
    if database.engine.dialect.name != "postgresql":
        raise DatabaseError(
            "roller og GRANTs hører til PostgreSQL: en SQLite-fil beskyttes af sine "
            "filrettigheder (kun produktets bruger kan læse og skrive den)"
        )
    who = _quoted(_checked_role(role))
    try:
        with database.engine.connect() as connection:
            schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
            inspector = inspect(connection)
            tables = sorted(inspector.get_table_names(schema=schema))
            sequences = sorted(inspector.get_sequence_names(schema=schema))
    except SQLAlchemyError as exc:
        raise translate(exc, database) from exc
    if "audit_entry" not in tables:
        raise DatabaseError(
            f"databasen i {database.describe()} er ikke klargjort: kør 'council db upgrade' "
            "som ejeren først"
        )
    statements = [f"GRANT USAGE ON SCHEMA {_quoted(schema)} TO {who}"]
    for table in tables:
        name = f"{_quoted(schema)}.{_quoted(table)}"
        statements.append(f"REVOKE ALL ON TABLE {name} FROM {who}")
        statements.append(f"GRANT {_privileges(table)} ON TABLE {name} TO {who}")
    for sequence in sequences:
        name = f"{_quoted(schema)}.{_quoted(sequence)}"
        statements.append(f"GRANT USAGE, SELECT ON SEQUENCE {name} TO {who}")
    return statements


def _privileges(table: str) -> str:
    if table == "audit_entry":
        return "SELECT, INSERT"
    if table == "audit_head":
        return "SELECT, UPDATE (seq, hash)"
    if table in READ_ONLY:
        return "SELECT"
    return "SELECT, INSERT, UPDATE, DELETE"


def _checked_role(role: str) -> str:
    if (
        not role
        or len(role.encode("utf-8")) > MAX_ROLE_LENGTH
        or any(ord(c) < 32 or ord(c) == 127 for c in role)
    ):
        raise InvalidInputError(
            f"'{role[:80]}' er ikke et PostgreSQL-rollenavn: angiv navnet på den rolle, "
            f"produktet forbinder som (1 til {MAX_ROLE_LENGTH} byte, ingen styretegn)"
        )
    return role


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
