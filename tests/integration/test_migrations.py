"""The schema is made by the shipped Alembic migrations and upgrades without losing a row."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from audited_records import Kept
from reminding import add_obligation
from sqlalchemy import inspect, text
from support import CliResult, Scenario, at, dump, tamper

from council.cases.audit_verify import verify
from council.cases.obligations.tables import OUTBOX_TABLE
from council.cases.schema import (
    alembic_config,
    current_revision,
    head_revision,
    schema_differences,
    upgrade,
)
from council.config.committees import load_committees as read_committees
from council.config.settings import load_settings
from council.notifications.delivery import deliver
from council.workflow import services
from council.workflow.app import App

FIRST_RELEASE = "0001_initial"
FIRST_RELEASE_TABLES = (
    "committee",
    "case_record",
    "meeting",
    "agenda_item",
    "attachment",
    "agenda_entry",
    "decision",
    "audit_entry",
    "audit_head",
)


def test_the_migrations_and_the_models_agree(app: App) -> None:
    assert current_revision(app.database) == head_revision()
    assert schema_differences(app.database) == []


def test_council_db_check_and_upgrade_report_an_up_to_date_schema(
    app: App, council: Callable[..., CliResult]
) -> None:
    checked = council("db", "check")
    assert checked.code == 0 and "skemaet svarer til modellerne" in checked.out
    upgraded = council("db", "upgrade")
    assert upgraded.code == 0 and "er opdateret" in upgraded.out


def rows(app: App, table: str) -> list[tuple[object, ...]]:
    with app.database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(f'SELECT * FROM "{table}" ORDER BY 1'))]


def at_release(
    database_url: str,
    revision: str,
    *,
    actor: str,
    year: int,
    then: Callable[[App], object] = lambda app: None,
) -> tuple[App, object]:
    """A database in the shape of release ``revision``, with the committees, case 2010-4130
    and what ``then`` records (its result is returned with the app).

    Today's acts write the rows (the columns a release has mean what they meant then), and
    the schema is then taken back down to ``revision``: the columns and tables added since
    go, every row of that release stays, as a database written by that release holds it."""
    app = App(settings=load_settings(database_url=database_url))
    upgrade(app.database)
    services.load_committees(
        app.database.unit_of_work(),
        # as those releases loaded them: no seats, routes or earlier names yet
        committees=[
            replace(c, members=None, recommends_to=None, earlier_names=())
            for c in read_committees(app.settings.committees_file)
        ],
        actor=actor,
        now=at(f"{year}-01-01 09:00"),
    )
    services.create_case(
        app.database.unit_of_work(),
        number="2010-4130",
        title="Status",
        owner="SOF",
        actor=actor,
        now=at(f"{year}-01-02 09:00"),
    )
    recorded = then(app)
    config = alembic_config(app.database)
    with app.database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    assert current_revision(app.database) == revision
    return app, recorded


def first_release_history(app: App) -> None:
    scenario = Scenario(app)
    meeting = scenario.meeting("BIU", "2010-01-26")
    item = scenario.draft()
    scenario.present(item, meeting)
    scenario.decide(item, "udsat")


def test_a_database_of_the_first_release_upgrades_without_losing_a_row(database_url: str) -> None:
    app, _ = at_release(
        database_url, FIRST_RELEASE, actor="release 1", year=2010, then=first_release_history
    )
    before = {table: rows(app, table) for table in FIRST_RELEASE_TABLES}

    upgrade(app.database)

    assert current_revision(app.database) == head_revision()
    after = {table: rows(app, table) for table in FIRST_RELEASE_TABLES}
    # columns added since (a decision's referral) come last, empty for the old rows; the
    # audit head alone gets a value, the random id the upgrade gives the database
    assert {
        table: [row[: len(old)] for row, old in zip(after[table], before[table], strict=True)]
        for table in FIRST_RELEASE_TABLES
    } == before
    assert all(
        value is None
        for table in FIRST_RELEASE_TABLES
        if table != "audit_head"
        for row, old in zip(after[table], before[table], strict=True)
        for value in row[len(old) :]
    )
    [(*_, database_id)] = after["audit_head"]
    assert re.fullmatch(r"[0-9a-f]{32}", database_id)
    assert schema_differences(app.database) == []
    with app.database.engine.connect() as connection:
        assert set(FIRST_RELEASE_TABLES) < set(inspect(connection).get_table_names())
    with app.database.reading() as session:
        assert verify(session).ok
    app.database.dispose()


@pytest.mark.sqlite_only
def test_a_backup_is_a_verifiable_copy_taken_while_in_use(
    scenario: Scenario, council: Callable[..., CliResult], tmp_path: Path
) -> None:
    meeting = scenario.meeting("BIU", "2010-01-26")
    item = scenario.draft()
    scenario.present(item, meeting)
    target = tmp_path / "backup.db"
    with scenario.app.database.reading():  # a reader holds the database open meanwhile
        made = council("db", "backup", str(target))
    assert made.code == 0, made.err
    original = scenario.app.database.path
    assert original is not None
    # the same schema objects and rows (VACUUM INTO may write them in another order)
    assert sorted(dump(target).splitlines()) == sorted(dump(original).splitlines())
    copy = App(settings=load_settings(database_url=f"sqlite:///{target}"))
    with copy.database.reading() as session:
        assert verify(session).ok
    copy.database.dispose()
    again = council("db", "backup", str(target))
    assert again.code == 1 and "findes allerede" in again.err


def test_reminders_written_before_the_outbox_kept_facts_upgrade_and_are_sent_as_written(
    database_url: str,
) -> None:
    app, lines = at_release(
        database_url,
        "0002_obligations",
        actor="release 2",
        year=2009,
        then=lambda app: add_obligation(app, committee_codes=["BIU"]),
    )
    [line] = lines  # type: ignore[misc]
    # a reminder as release 2 wrote it: rendered in the sweep, pending delivery
    with app.database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO outbox_message (obligation_id, committee_id, period_key, step_key,"
                " step_kind, step_at, status, attempts, next_attempt_at, message_id, recipients,"
                " subject, body_text, body_html, created_at) VALUES (:line, :committee, '2009',"
                " 'lead-60', 'lead', :at, 'pending', 0, :at, '<reminder.1@kk.example>',"
                " '[\"sekretariat.biu@kk.example\"]', 'Påmindelse fra release 2',"
                " 'Teksten fra release 2', '<p>HTML fra release 2</p>', :at)"
            ),
            {
                "line": line.id,
                "committee": line.committee_id,
                "at": datetime(2009, 11, 1, 7, 0),
            },
        )
    before = rows(app, "outbox_message")

    upgrade(app.database)

    assert current_revision(app.database) == head_revision()
    assert schema_differences(app.database) == []
    after = rows(app, "outbox_message")
    with app.database.engine.connect() as connection:
        columns = [c["name"] for c in inspect(connection).get_columns("outbox_message")]
    added = [columns.index(name) for name in ("facts", "superseded_by")]
    assert [tuple(v for i, v in enumerate(r) if i not in added) for r in after] == before
    assert [[r[i] for i in added] for r in after] == [[None, None]]
    kept = Kept()
    report = deliver(app.database, kept, now=at("2009-11-01 08:05"), sender="x@kk.example")
    assert len(report.sent) == 1 and report.failed == []
    [message] = kept.messages
    assert message["Subject"] == "Påmindelse fra release 2"
    assert message["Message-ID"] == "<reminder.1@kk.example>"
    assert message.get_body(("plain",)).get_content() == "Teksten fra release 2\n"
    with app.database.reading() as session:
        assert verify(session).ok  # adopted by the upgrade, then sent
    app.database.dispose()


def _reminders_as_0009_wrote_them(app: App) -> None:
    """Two reminders written before reminders were audited: one rendered and pending, one
    sent; no audit entry names either."""
    [line] = add_obligation(app, committee_codes=["BIU"])
    step = {
        "obligation_id": line.id,
        "committee_id": line.committee_id,
        "period_key": "2009",
        "step_kind": "lead",
        "recipients": ["sekretariat.biu@kk.example"],
        "facts": None,
        "attempts": 0,
        "subject": "Påmindelse",
        "body_text": "Teksten",
        "body_html": "<p>Teksten</p>",
    }
    with app.database.engine.begin() as connection:
        connection.execute(
            OUTBOX_TABLE.insert(),
            [
                {
                    **step,
                    "step_key": "lead-60",
                    "step_at": at("2009-11-01 08:00"),
                    "status": "sent",
                    "sent_at": at("2009-11-01 08:05"),
                    "delivered_to": "sekretariat.biu@kk.example",
                    "message_id": "<reminder.1@kk.example>",
                    "next_attempt_at": at("2009-11-01 08:00"),
                    "created_at": at("2009-11-01 08:00"),
                },
                {
                    **step,
                    "step_key": "lead-30",
                    "step_at": at("2009-12-01 08:00"),
                    "status": "pending",
                    "sent_at": None,
                    "delivered_to": None,
                    "message_id": "<reminder.2@kk.example>",
                    "next_attempt_at": at("2009-12-01 08:00"),
                    "created_at": at("2009-12-01 08:00"),
                },
            ],
        )


def test_reminders_written_before_they_were_audited_verify_once_upgraded_and_tampering_is_caught(
    database_url: str,
) -> None:
    app, _ = at_release(
        database_url,
        "0009_decision_structure",
        actor="release 9",
        year=2009,
        then=_reminders_as_0009_wrote_them,
    )
    # the verifier reads today's columns, which a database of 0009 lacks: the trail is read
    # directly, and holds no entry of a reminder
    with app.database.engine.connect() as connection:
        outbox = connection.execute(text("SELECT count(*) FROM outbox_message")).scalar()
        audited = connection.execute(
            text("SELECT count(*) FROM audit_entry WHERE action LIKE 'remind%'")
        ).scalar()
    assert (outbox, audited) == (2, 0)

    upgrade(app.database)

    with app.database.engine.connect() as connection:
        adopted = (
            connection.execute(
                text("SELECT body FROM audit_entry WHERE action = 'reminders.adopted'")
            )
            .scalars()
            .all()
        )
    assert len(adopted) == 1 and '"message_id":"<reminder.2@kk.example>"' in adopted[0]
    with app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem
    report = deliver(app.database, Kept(), now=at("2009-12-01 08:05"), sender="x@kk.example")
    assert len(report.sent) == 1
    config = alembic_config(app.database)  # down and up again: nothing adopted twice
    with app.database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009_decision_structure")
    upgrade(app.database)
    with app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem
    tamper(app, "UPDATE outbox_message SET delivered_to = 'mallory@example.org' WHERE id = 1")
    with app.database.reading() as session:
        problem = verify(session).problem
    assert problem is not None and "påmindelse 1 afviger" in problem
    assert "'delivered_to' er ændret direkte i tabellen over påmindelser" in problem
    app.database.dispose()


def test_reminders_superseded_before_supersessions_were_audited_upgrade_and_verify(
    database_url: str,
) -> None:
    app, lines = at_release(
        database_url,
        "0008_result_goals",
        actor="release 8",
        year=2009,
        then=lambda app: add_obligation(app, committee_codes=["BIU"]),
    )
    [line] = lines  # type: ignore[misc]
    # two steps of one period as release 8 wrote them after downtime: the first passed
    with app.database.engine.begin() as connection:
        for step, status in (("lead-60", "superseded"), ("lead-14", "pending")):
            connection.execute(
                text(
                    "INSERT INTO outbox_message (obligation_id, committee_id, period_key,"
                    " step_key, step_kind, step_at, status, attempts, next_attempt_at,"
                    " message_id, recipients, facts, created_at) VALUES (:line, :committee,"
                    " '2009', :step, 'lead', :at, :status, 0, :at, :message_id,"
                    " '[\"sekretariat.biu@kk.example\"]', '{}', :at)"
                ),
                {
                    "line": line.id,
                    "committee": line.committee_id,
                    "step": step,
                    "status": status,
                    "message_id": f"<{step}@kk.example>",
                    "at": datetime(2009, 12, 17, 7, 0),
                },
            )
        connection.execute(
            text(
                "UPDATE outbox_message SET superseded_by = (SELECT id FROM outbox_message"
                " WHERE step_key = 'lead-14') WHERE step_key = 'lead-60'"
            )
        )

    upgrade(app.database)

    assert current_revision(app.database) == head_revision()
    with app.database.reading() as session:
        assert verify(session).ok  # adopted, and its supersession recorded
    tamper(app, "UPDATE outbox_message SET status = 'pending', superseded_by = NULL")
    with app.database.reading() as session:
        problem = verify(session).problem
    assert (
        problem is not None
        and "'superseded_by' er ændret direkte i tabellen over påmindelser" in problem
    )


def bilag_drafted(app: App) -> int:
    item = services.draft_item(
        app.database.unit_of_work(),
        app.rulebook,
        case_number="2010-4130",
        committee_code="BIU",
        draft=services.ItemDraft(
            title="Status", kind="orientering", attachments=("Statusnotat", "Budget")
        ),
        actor="release 13",
        now=at("2010-01-04 09:00"),
    )
    assert item.id is not None
    return item.id


def test_bilag_of_a_database_before_bilag_could_be_taken_off_upgrade_on_their_items(
    database_url: str,
) -> None:
    from council.workflow.services import item_edits

    app, item = at_release(
        database_url, "0013_meeting_calendar", actor="release 13", year=2010, then=bilag_drafted
    )
    assert "removed_at" not in {
        c["name"] for c in inspect(app.database.engine).get_columns("attachment")
    }

    upgrade(app.database)

    assert current_revision(app.database) == head_revision()
    assert [row[-1] for row in rows(app, "attachment")] == [None, None]  # removed_at
    with app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem
    assert isinstance(item, int)
    item_edits.edit_item(
        app.database.unit_of_work(),
        app.rulebook,
        item_id=item,
        changes=item_edits.ItemChanges(removed_attachments=(2,)),
        actor="clerk",
        now=at("2010-01-05 09:00"),
    )
    with app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem
    app.database.dispose()
