"""Every audited table and every kind of column: a change behind the product's back is
named by ``audit verify`` with its table, its row and the column that changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import pytest
from reminding import add_obligation
from support import Scenario, at, tamper

from council.cases.audit_verify import verify
from council.notifications.delivery import Send
from council.workflow import accounts, obligation_services, services


class Kept:
    """A transport that keeps what it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def describe(self) -> str:
        return "kept"

    @contextmanager
    def connect(self) -> Iterator[Send]:
        def send(message: EmailMessage, _recipients: list[str]) -> str | None:
            self.messages.append(message)
            return None

        yield send


def build_records(scenario: Scenario) -> Scenario:
    """One row at least in every audited table: two cases, two meetings (the first held),
    an open item with attachments and two decisions, a closed item with a decision, an
    obligation with a linked item and reminders written, rendered and sent, a user."""
    app = scenario.app
    services.create_case(
        app.database.unit_of_work(),
        number="2010-9999",
        title="En anden sag",
        owner="Økonomiforvaltningen",
        actor="clerk",
        now=at("2009-11-02 09:00"),
    )
    first, second = scenario.meeting("BIU", "2010-01-26"), scenario.meeting("BIU", "2010-02-23")
    item = _draft(
        scenario,
        title="Status",
        kind="orientering",
        recommendation=("At udvalget tager orienteringen til efterretning",),
        attachments=("Statusnotat", "Bilag 2"),
    )
    secret = _draft(scenario, title="Personsag", kind="beslutning", closed=True)
    scenario.present(item, first)
    scenario.decide(item, "udsat")
    services.close_meeting(
        app.database.unit_of_work(),
        app.rulebook,
        meeting_ref=str(first),
        actor="clerk",
        now=at("2010-01-26 18:00"),
    )
    scenario.present(item, second, when="2010-02-10 09:00")
    scenario.decide(item, "taget til efterretning", when="2010-02-23 17:00")
    scenario.present(secret, second, when="2010-02-10 09:30")
    scenario.decide(secret, "godkendt", when="2010-02-23 17:10")
    add_obligation(app)
    obligation_services.link_item(
        app.database.unit_of_work(),
        obligation_ref="2",
        item_id=item,
        actor="clerk",
        now=at("2010-02-23 18:00"),
    )
    obligation_services.run_reminders(app, now=at("2009-11-01 08:05"), transport=Kept())
    accounts.add_user(
        app.database.unit_of_work(),
        name="revisor",
        role="revisor",
        password="et langt og godt kodeord",
        actor="admin",
        now=at("2010-03-01 09:00"),
    )
    return scenario


def _draft(scenario: Scenario, **draft: Any) -> int:
    item = services.draft_item(
        scenario.app.database.unit_of_work(),
        scenario.app.rulebook,
        case_number=scenario.case_number,
        committee_code="BIU",
        draft=services.ItemDraft(**draft),
        actor="clerk",
        now=at("2010-01-04 09:00"),
    )
    assert item.id is not None
    return item.id


@pytest.fixture
def records(scenario: Scenario) -> Scenario:
    return build_records(scenario)


SUD = "(SELECT id FROM committee WHERE code = 'SUD')"

# (what, SQL, the words the message must hold: the row, the column and the table)
CASES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "a decision's actor",
        "UPDATE decision SET actor = 'mallory' WHERE id = 1",
        ("decision 1 differs", "actor of table decision"),
    ),
    (
        "a decision's time",
        "UPDATE decision SET recorded_at = '2010-01-27 10:00:00' WHERE id = 1",
        ("decision 1 differs", "recorded_at of table decision"),
    ),
    (
        "a decision moved to another meeting",
        "UPDATE decision SET meeting_id = 2 WHERE id = 1",
        ("decision 1 differs", "meeting_id of table decision"),
    ),
    (
        "a decision's from-state and trigger",
        "UPDATE decision SET from_state = 'drafted', trigger = 'approve' WHERE id = 2",
        ("decision 2 differs", "trigger, from_state of table decision"),
    ),
    (
        "a meeting's date",
        "UPDATE meeting SET date = '2010-01-27' WHERE id = 1",
        ("meeting 1 differs", "date of table meeting"),
    ),
    (
        "a meeting's held time cleared",
        "UPDATE meeting SET held_at = NULL WHERE id = 1",
        ("meeting 1 differs", "held_at of table meeting"),
    ),
    (
        "a meeting marked held",
        "UPDATE meeting SET held_at = '2010-02-23 18:00:00' WHERE id = 2",
        ("meeting 2 differs", "held_at of table meeting"),
    ),
    (
        "an item's title",
        "UPDATE agenda_item SET title = 'Noget andet' WHERE id = 1",
        ("agenda item 1 differs", "title of table agenda_item"),
    ),
    (
        "an item's recommendation",
        "UPDATE agenda_item SET recommendation = '[\"At noget andet\"]' WHERE id = 1",
        ("agenda item 1 differs", "recommendation of table agenda_item"),
    ),
    (
        "an item's kind",
        "UPDATE agenda_item SET kind = 'beslutning' WHERE id = 1",
        ("agenda item 1 differs", "kind of table agenda_item"),
    ),
    (
        "an item moved to another committee",
        f"UPDATE agenda_item SET committee_id = {SUD} WHERE id = 1",
        ("agenda item 1 differs", "committee_id of table agenda_item"),
    ),
    (
        "a closed item moved to another case and opened",
        "UPDATE agenda_item SET case_id = 2, closed = false WHERE id = 2",
        ("agenda item 2 differs", "case_id, closed of table agenda_item"),
    ),
    (
        "a closed flag flipped",
        "UPDATE agenda_item SET closed = false WHERE id = 2",
        ("agenda item 2 differs", "closed of table agenda_item"),
    ),
    (
        "an item's state",
        "UPDATE agenda_item SET state = 'godkendt' WHERE id = 1",
        ("agenda item 1 differs", "state of table agenda_item"),
    ),
    (
        "a committee's name",
        "UPDATE committee SET name = 'Et andet udvalg' WHERE code = 'BIU'",
        ("differs from its audit trail", "name of table committee"),
    ),
    (
        "a case's owner",
        "UPDATE case_record SET owner = 'Nogen andre' WHERE id = 1",
        ("case 1 differs", "owner of table case_record"),
    ),
    (
        "an attachment's title",
        "UPDATE attachment SET title = 'Et andet bilag' WHERE item_id = 1 AND position = 2",
        ("attachment item_id 1, position 2 differs", "title of table attachment"),
    ),
    (
        "an attachment moved to another item",
        "UPDATE attachment SET item_id = 2 WHERE item_id = 1 AND position = 1",
        ("attachment item_id 2, position 1 has no audit entry", "table attachment"),
    ),
    (
        "an attachment added",
        "INSERT INTO attachment (item_id, position, title) VALUES (2, 1, 'Hemmeligt bilag')",
        ("attachment item_id 2, position 1 has no audit entry", "table attachment"),
    ),
    (
        "an agenda entry moved to another meeting",
        "UPDATE agenda_entry SET meeting_id = 1 WHERE id = 3",
        ("agenda entry 3 differs", "meeting_id of table agenda_entry"),
    ),
    (
        "a meeting added",
        "INSERT INTO meeting (committee_id, date, created_at)"
        " VALUES (1, '2011-01-01', '2010-12-01 09:00:00')",
        ("meeting 3 has no audit entry", "table meeting"),
    ),
    (
        "an obligation deleted",
        "DELETE FROM outbox_message WHERE obligation_id = 1;"
        "DELETE FROM obligation_link WHERE obligation_id = 1;"
        "DELETE FROM status_obligation WHERE id = 1",
        ("obligation line 1 is in the audit trail but missing", "table status_obligation"),
    ),
    (
        "an obligation's recipients",
        "UPDATE status_obligation SET recipients = '[\"mallory@example.org\"]' WHERE id = 1",
        ("obligation line 1 differs", "recipients of table status_obligation"),
    ),
    (
        "an obligation link moved to another item",
        "UPDATE obligation_link SET item_id = 2",
        ("obligation link obligation_id 2, item_id 2 has no audit entry", "obligation_link"),
    ),
    (
        "a reminder's recipients",
        "UPDATE outbox_message SET recipients = '[\"mallory@example.org\"]' WHERE id = 1",
        ("reminder 1 differs", "recipients of table outbox_message"),
    ),
    (
        "a reminder's subject",
        "UPDATE outbox_message SET subject = 'Ingen grund til at svare' WHERE id = 1",
        ("reminder 1 differs", "subject of table outbox_message"),
    ),
    (
        "a reminder's Message-ID",
        "UPDATE outbox_message SET message_id = '<other@example.org>' WHERE id = 1",
        ("reminder 1 differs", "message_id of table outbox_message"),
    ),
    (
        "a sent reminder made pending again",
        "UPDATE outbox_message SET status = 'pending', sent_at = NULL WHERE id = 1",
        ("reminder 1 differs", "status, sent_at of table outbox_message"),
    ),
    (
        "a user's role",
        "UPDATE user_account SET role = 'sekretariat'",
        ("user 1 differs", "role of table user_account"),
    ),
    (
        "a reminder deleted",
        "DELETE FROM outbox_message WHERE id = 1",
        ("reminder 1 is in the audit trail but missing", "table outbox_message"),
    ),
]


def test_the_records_with_a_row_in_every_audited_table_verify(records: Scenario) -> None:
    with records.app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem


@pytest.mark.parametrize(("what", "sql", "words"), CASES, ids=[c[0] for c in CASES])
def test_verify_names_the_table_row_and_column_changed_behind_its_back(
    records: Scenario, what: str, sql: str, words: tuple[str, ...]
) -> None:
    tamper(records.app, sql)
    with records.app.database.reading() as session:
        report = verify(session)
    assert report.problem is not None, what
    for word in words:
        assert word in report.problem
