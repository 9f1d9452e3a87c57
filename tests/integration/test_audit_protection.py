"""The database itself refuses to rewrite the audit trail, and on PostgreSQL the role the
product runs as cannot even disarm that refusal."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from support import CliResult, Scenario, at

from council.cases.audit_verify import verify
from council.cases.db_roles import application_grants
from council.cases.errors import InvalidInputError
from council.config.settings import load_settings
from council.workflow import services
from council.workflow.app import App


def refused(app: App, statement: str, says: str) -> None:
    with pytest.raises(DBAPIError, match=says), app.database.engine.begin() as connection:
        connection.execute(text(statement))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_entry WHERE seq = 2",
        "DELETE FROM audit_entry",
    ],
)
def test_the_database_refuses_to_update_or_delete_audit_entries(
    scenario: Scenario, statement: str
) -> None:
    refused(scenario.app, statement, "the audit trail is append-only")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_head SET seq = 0, hash = '" + "0" * 64 + "'",  # wiped and reset
        "UPDATE audit_head SET seq = seq - 1",  # cut short
        "UPDATE audit_head SET hash = 'x'",  # the same entry, another hash
        "UPDATE audit_head SET database_id = 'ffffffffffffffffffffffffffffffff', seq = seq + 1",
        "DELETE FROM audit_head",
    ],
)
def test_the_database_refuses_to_move_the_audit_head_back_or_change_its_id(
    scenario: Scenario, statement: str
) -> None:
    refused(scenario.app, statement, "the audit head only moves forward")


@pytest.mark.postgresql
@pytest.mark.parametrize("table", ["audit_entry", "audit_head"])
def test_postgresql_refuses_to_truncate_the_audit_trail(scenario: Scenario, table: str) -> None:
    if scenario.app.database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    refused(scenario.app, f"TRUNCATE {table} CASCADE", "append-only|only moves forward")


# ------------------------------------------------------------------------------ the app's role


@pytest.fixture
def application_role(app: App) -> Iterator[str]:
    """A PostgreSQL role of its own, given the product's GRANTs by the owner (the admin)."""
    if app.database.engine.dialect.name != "postgresql":
        pytest.skip("roles and GRANTs are PostgreSQL's")
    role = f"council_app_{uuid.uuid4().hex[:12]}"
    with app.database.engine.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
        for statement in application_grants(app.database, role):
            connection.execute(text(statement))
    try:
        yield role
    finally:
        with app.database.engine.begin() as connection:
            connection.execute(text(f'DROP OWNED BY "{role}"'))
            connection.execute(text(f'DROP ROLE "{role}"'))


def as_role(app: App, role: str) -> App:
    """The product connected as ``role`` (the session's role set when it connects)."""
    url = make_url(app.settings.database_url).update_query_dict({"options": f"-c role={role}"})
    return App(settings=load_settings(database_url=url.render_as_string(hide_password=False)))


@pytest.mark.postgresql
def test_the_applications_role_appends_to_the_trail_and_cannot_rewrite_or_disarm_it(
    app: App, application_role: str
) -> None:
    product = as_role(app, application_role)
    services.create_case(
        product.database.unit_of_work(),
        number="2010-4130",
        title="Partnerskabsaftale",
        owner="Socialforvaltningen",
        actor="clerk",
        now=at("2010-01-04 09:00"),
    )
    with product.database.reading() as session:
        assert verify(session).ok
    for statement in (
        "UPDATE audit_entry SET actor = 'mallory'",
        "DELETE FROM audit_entry",
        "TRUNCATE audit_entry",
        "UPDATE audit_head SET database_id = 'ffffffffffffffffffffffffffffffff'",
        "DELETE FROM audit_head",
    ):
        refused(product, statement, "permission denied")
    for statement in (
        "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
        "DROP TRIGGER audit_head_forward_only ON audit_head",
    ):
        refused(product, statement, "must be owner")
    # what it may change, the head, only moves forward
    refused(product, "UPDATE audit_head SET seq = 0", "the audit head only moves forward")
    product.database.dispose()


def test_grants_are_refused_for_a_role_name_no_database_takes(app: App) -> None:
    if app.database.engine.dialect.name != "postgresql":
        pytest.skip("roles and GRANTs are PostgreSQL's")
    with pytest.raises(InvalidInputError, match="er ikke et PostgreSQL-rollenavn"):
        application_grants(app.database, "council\nDROP TABLE audit_entry")


@pytest.mark.sqlite_only
def test_grants_for_an_sqlite_file_say_that_its_file_permissions_protect_it(
    app: App, council: Callable[..., CliResult]
) -> None:
    result = council("db", "grants", "council_app")
    assert result.code == 1
    assert result.err == (
        "fejl: roller og GRANTs hører til PostgreSQL: en SQLite-fil beskyttes af sine "
        "filrettigheder (kun produktets bruger kan læse og skrive den)\n"
    )


@pytest.mark.postgresql
def test_council_db_grants_prints_statements_psql_runs(
    app: App, council: Callable[..., CliResult]
) -> None:
    if app.database.engine.dialect.name != "postgresql":
        pytest.skip("roles and GRANTs are PostgreSQL's")
    result = council("db", "grants", "council_app")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("-- rettigheder for council_app i postgresql")
    assert 'GRANT SELECT, INSERT ON TABLE "public"."audit_entry" TO "council_app";' in lines
    assert (
        'GRANT SELECT, UPDATE (seq, hash) ON TABLE "public"."audit_head" TO "council_app";' in lines
    )
    assert all(line.endswith(";") for line in lines[1:])
