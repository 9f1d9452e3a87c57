"""Every audited table and every kind of column: a change behind the product's back is
named by ``audit verify`` with its table, its row and the column that changed."""

from __future__ import annotations

import json

import pytest
from audited_records import build_records
from sqlalchemy import text
from support import DISARM, Scenario, at, tamper

from council.cases.audit import GENESIS_HASH, canonical_json, chain_hash
from council.cases.audit_verify import verify


@pytest.fixture
def records(scenario: Scenario) -> Scenario:
    return build_records(scenario)


SUD = "(SELECT id FROM committee WHERE code = 'SUD')"

# (what, SQL, the words the message must hold: the row, the column and the table)
CASES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "a decision pointed at the entry of an agenda entry",
        "UPDATE decision SET audit_seq = (SELECT audit_seq FROM agenda_entry WHERE id = 1) "
        "WHERE id = 1",
        ("beslutning 1 afviger", "'audit_seq' er ændret direkte i tabellen over beslutninger"),
    ),
    (
        "an agenda entry's from-state",
        "UPDATE agenda_entry SET from_state = 'udsat' WHERE id = 1",
        (
            "forelæggelse 1 afviger",
            "'from_state' er ændret direkte i tabellen over forelæggelser",
        ),
    ),
    (
        "a case's number",
        "UPDATE case_record SET number = '1999-0001' WHERE id = 1",
        ("sag 1 afviger", "'number' er ændret direkte i tabellen over sager"),
    ),
    (
        "a decision's actor",
        "UPDATE decision SET actor = 'mallory' WHERE id = 1",
        ("beslutning 1 afviger", "'actor' er ændret direkte i tabellen over beslutninger"),
    ),
    (
        "a decision's time",
        "UPDATE decision SET recorded_at = '2010-01-27 10:00:00' WHERE id = 1",
        ("beslutning 1 afviger", "'recorded_at' er ændret direkte i tabellen over beslutninger"),
    ),
    (
        "a decision moved to another meeting",
        "UPDATE decision SET meeting_id = 2 WHERE id = 1",
        ("beslutning 1 afviger", "'meeting_id' er ændret direkte i tabellen over beslutninger"),
    ),
    (
        "a decision's from-state and trigger",
        "UPDATE decision SET from_state = 'drafted', trigger = 'approve' WHERE id = 2",
        (
            "beslutning 2 afviger",
            "'trigger', 'from_state' er ændret direkte i tabellen over beslutninger",
        ),
    ),
    (
        "a meeting's date",
        "UPDATE meeting SET date = '2010-01-27' WHERE id = 1",
        ("møde 1 afviger", "'date' er ændret direkte i tabellen over møder"),
    ),
    (
        "a meeting's held time cleared",
        "UPDATE meeting SET held_at = NULL WHERE id = 1",
        ("møde 1 afviger", "'held_at' er ændret direkte i tabellen over møder"),
    ),
    (
        "a meeting marked held",
        "UPDATE meeting SET held_at = '2010-02-23 18:00:00' WHERE id = 2",
        ("møde 2 afviger", "'held_at' er ændret direkte i tabellen over møder"),
    ),
    (
        "a meeting's minutes approved on another day",
        "UPDATE meeting SET minutes_approved_on = '2010-03-09' WHERE id = 1",
        ("møde 1 afviger", "'minutes_approved_on' er ændret direkte i tabellen over møder"),
    ),
    (
        "a meeting's minutes marked approved",
        "UPDATE meeting SET minutes_approved_on = '2010-03-09' WHERE id = 2",
        ("møde 2 afviger", "'minutes_approved_on' er ændret direkte i tabellen over møder"),
    ),
    (
        "a correction's reason",
        "UPDATE correction SET reason = 'Ingen grund' WHERE id = 1",
        ("rettelse 1 afviger", "'reason' er ændret direkte i tabellen over rettelser"),
    ),
    (
        "a correction said to come after the minutes were approved",
        "UPDATE correction SET after_approval = true WHERE id = 1",
        ("rettelse 1 afviger", "'after_approval' er ændret direkte i tabellen over rettelser"),
    ),
    (
        "a correction's text before",
        'UPDATE correction SET before = \'{"outcome": "udsat", "to_state": "udsat",'
        ' "text": "Udsat."}\' WHERE id = 1',
        ("rettelse 1 afviger", "'before' er ændret direkte i tabellen over rettelser"),
    ),
    (
        "a correction deleted",
        "DELETE FROM correction WHERE id = 1",
        ("rettelse 1 står i revisionssporet, men mangler", "tabellen over rettelser"),
    ),
    (
        "an item correction's values after",
        'UPDATE correction SET after = \'{"title": "Noget andet"}\' WHERE id = 2',
        ("rettelse 2 afviger", "'after' er ændret direkte i tabellen over rettelser"),
    ),
    (
        "a corrected item's title put back",
        "UPDATE agenda_item SET title = 'Personsag' WHERE id = 2",
        (
            "dagsordenspunkt 2 afviger",
            "'title' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "a corrected item's summary put back",
        "UPDATE agenda_item SET summary = '' WHERE id = 2",
        (
            "dagsordenspunkt 2 afviger",
            "'summary' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "a corrected decision's outcome put back",
        "UPDATE decision SET outcome = 'godkendt', text = 'Indstillingen blev godkendt.'"
        " WHERE id = 3",
        (
            "beslutning 3 afviger",
            "'outcome', 'text' er ændret direkte i tabellen over beslutninger",
        ),
    ),
    (
        "a corrected decision's state put back",
        "UPDATE decision SET to_state = 'godkendt' WHERE id = 3",
        ("beslutning 3 afviger", "'to_state' er ændret direkte i tabellen over beslutninger"),
    ),
    (
        "a corrected item's state put back",
        "UPDATE agenda_item SET state = 'godkendt' WHERE id = 2",
        (
            "dagsordenspunkt 2 afviger",
            "'state' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "an item's title",
        "UPDATE agenda_item SET title = 'Noget andet' WHERE id = 1",
        (
            "dagsordenspunkt 1 afviger",
            "'title' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "an item's recommendation",
        "UPDATE agenda_item SET recommendation = '[\"At noget andet\"]' WHERE id = 1",
        (
            "dagsordenspunkt 1 afviger",
            "'recommendation' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "an item's kind",
        "UPDATE agenda_item SET kind = 'beslutning' WHERE id = 1",
        ("dagsordenspunkt 1 afviger", "'kind' er ændret direkte i tabellen over dagsordenspunkter"),
    ),
    (
        "an item moved to another committee",
        f"UPDATE agenda_item SET committee_id = {SUD} WHERE id = 1",
        (
            "dagsordenspunkt 1 afviger",
            "'committee_id' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "a closed item moved to another case",
        "UPDATE agenda_item SET case_id = 2 WHERE id = 2",
        (
            "dagsordenspunkt 2 afviger",
            "'case_id' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "a closed item retitled and opened",
        "UPDATE agenda_item SET title = 'Noget andet', closed = false WHERE id = 2",
        (
            "dagsordenspunkt 2 afviger",
            "'title', 'closed' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "a closed flag flipped",
        "UPDATE agenda_item SET closed = false WHERE id = 2",
        (
            "dagsordenspunkt 2 afviger",
            "'closed' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "an item's state",
        "UPDATE agenda_item SET state = 'godkendt' WHERE id = 1",
        (
            "dagsordenspunkt 1 afviger",
            "'state' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "a committee's name",
        "UPDATE committee SET name = 'Et andet udvalg' WHERE code = 'BIU'",
        ("afviger fra revisionssporet", "'name' er ændret direkte i tabellen over udvalg"),
    ),
    (
        "a case's owner",
        "UPDATE case_record SET owner = 'Nogen andre' WHERE id = 1",
        ("sag 1 afviger", "'owner' er ændret direkte i tabellen over sager"),
    ),
    (
        "an attachment's title",
        "UPDATE attachment SET title = 'Et andet bilag' WHERE item_id = 1 AND position = 2",
        (
            "bilag (item_id 1, position 2) afviger",
            "'title' er ændret direkte i tabellen over bilag",
        ),
    ),
    (
        "an attachment moved to another item",
        "UPDATE attachment SET item_id = 2 WHERE item_id = 1 AND position = 1",
        ("bilag (item_id 2, position 1) har ingen post i revisionssporet", "tabellen over bilag"),
    ),
    (
        "an attachment added",
        "INSERT INTO attachment (item_id, position, title) VALUES (2, 1, 'Hemmeligt bilag')",
        ("bilag (item_id 2, position 1) har ingen post i revisionssporet", "tabellen over bilag"),
    ),
    (
        "an agenda entry moved to another meeting",
        "UPDATE agenda_entry SET meeting_id = 1 WHERE id = 3",
        ("forelæggelse 3 afviger", "'meeting_id' er ændret direkte i tabellen over forelæggelser"),
    ),
    (
        "a meeting added",
        "INSERT INTO meeting (committee_id, date, created_at)"
        " VALUES (1, '2011-01-01', '2010-12-01 09:00:00')",
        ("møde 3 har ingen post i revisionssporet", "tabellen over møder"),
    ),
    (
        "an obligation deleted",
        "DELETE FROM outbox_message WHERE obligation_id = 1;"
        "DELETE FROM obligation_link WHERE obligation_id = 1;"
        "DELETE FROM status_obligation WHERE id = 1",
        (
            "statusforpligtelse 1 står i revisionssporet, men mangler",
            "tabellen over statusforpligtelser",
        ),
    ),
    (
        "an obligation's recipients",
        "UPDATE status_obligation SET recipients = '[\"mallory@example.org\"]' WHERE id = 1",
        (
            "statusforpligtelse 1 afviger",
            "'recipients' er ændret direkte i tabellen over statusforpligtelser",
        ),
    ),
    (
        "an obligation link moved to another item",
        "UPDATE obligation_link SET item_id = 2",
        (
            "kobling til statusforpligtelse (obligation_id 2, item_id 2) har ingen post i "
            "revisionssporet",
            "tabellen over koblinger til statusforpligtelser",
        ),
    ),
    (
        "a reminder's recipients",
        "UPDATE outbox_message SET recipients = '[\"mallory@example.org\"]' WHERE id = 1",
        ("påmindelse 1 afviger", "'recipients' er ændret direkte i tabellen over påmindelser"),
    ),
    (
        "a reminder's subject",
        "UPDATE outbox_message SET subject = 'Ingen grund til at svare' WHERE id = 1",
        ("påmindelse 1 afviger", "'subject' er ændret direkte i tabellen over påmindelser"),
    ),
    (
        "a reminder's Message-ID",
        "UPDATE outbox_message SET message_id = '<other@example.org>' WHERE id = 1",
        ("påmindelse 1 afviger", "'message_id' er ændret direkte i tabellen over påmindelser"),
    ),
    (
        "a sent reminder made pending again",
        "UPDATE outbox_message SET status = 'pending', sent_at = NULL WHERE id = 1",
        (
            "påmindelse 1 afviger",
            "'status', 'sent_at' er ændret direkte i tabellen over påmindelser",
        ),
    ),
    (
        "an absence struck out",
        "UPDATE meeting SET absent = NULL WHERE id = 1",
        ("møde 1 afviger", "'absent' er ændret direkte i tabellen over møder"),
    ),
    (
        "an item given another competent body",
        f"UPDATE agenda_item SET competent_committee_id = {SUD} WHERE id = 1",
        (
            "dagsordenspunkt 1 afviger",
            "'competent_committee_id' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
    (
        "a goal's author",
        "UPDATE result_goal SET actor = 'mallory'",
        ("resultatmål 1 afviger", "'actor' er ændret direkte i tabellen over resultatmål"),
    ),
    (
        "a revision's time",
        "UPDATE result_goal_target SET recorded_at = '2010-02-24 10:00:00' WHERE id = 2",
        (
            "måltal for resultatmål 2 afviger",
            "'recorded_at' er ændret direkte i tabellen over måltal for resultatmål",
        ),
    ),
    (
        "a reported value marked approximate",
        "UPDATE result_goal_value SET approximate = true",
        (
            "indberettet værdi 1 afviger",
            "'approximate' er ændret direkte i tabellen over indberettede værdier",
        ),
    ),
    (
        "a user's role",
        "UPDATE user_account SET role = 'sekretariat'",
        ("bruger 1 afviger", "'role' er ændret direkte i tabellen over brugere"),
    ),
    (
        "a reminder deleted",
        "DELETE FROM outbox_message WHERE id = 1",
        ("påmindelse 1 står i revisionssporet, men mangler", "tabellen over påmindelser"),
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


def test_a_trail_whose_bodies_name_committees_only_by_code_still_verifies(
    records: Scenario,
) -> None:
    """Bodies written before they carried the committee's id (committee.loaded,
    meeting.created, item.drafted, obligation.added): the chain rebuilt in that shape, with
    its hashes, verifies, and a committee changed behind its back is still caught."""
    engine = records.app.database.engine
    with engine.begin() as connection:
        for statement in DISARM[engine.dialect.name]:
            connection.execute(text(statement))
        entries = connection.execute(text("SELECT seq, body FROM audit_entry ORDER BY seq")).all()
        previous = GENESIS_HASH
        for seq, body in entries:
            parsed = json.loads(body)
            parsed["data"].pop("committee_id", None)
            parsed["prev"] = previous
            old = canonical_json(parsed)
            digest = chain_hash(previous, old)
            connection.execute(
                text(
                    "UPDATE audit_entry SET body = :body, prev_hash = :prev, hash = :hash"
                    " WHERE seq = :seq"
                ),
                {"body": old, "prev": previous, "hash": digest, "seq": seq},
            )
            previous = digest
        connection.execute(text("UPDATE audit_head SET hash = :hash"), {"hash": previous})
    with records.app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem
    with engine.begin() as connection:  # the triggers are disarmed already
        connection.execute(text(f"UPDATE meeting SET committee_id = {SUD} WHERE id = 1"))
    with records.app.database.reading() as session:
        problem = verify(session).problem
    assert (
        problem is not None and "'committee_id' er ændret direkte i tabellen over møder" in problem
    )


@pytest.fixture
def corrected(records: Scenario) -> Scenario:
    """The records with the calendar corrected: BIU meeting 3 created for 01.01.1999 by
    mistake and rescheduled to 09.03.2010 15.00 with items 3, 4 and 5 on it; item 3 moved to
    meeting 4 (16.03.2010); meeting 3 cancelled with its items moved to meeting 5
    (30.03.2010), reopened, and cancelled again; the held meeting 1 reopened."""
    from council.cases.dates import parse_date, parse_time
    from council.workflow.services import meeting_changes

    app = records.app
    mistaken = records.meeting("BIU", "1999-01-01")
    later, last = records.meeting("BIU", "2010-03-16"), records.meeting("BIU", "2010-03-30")
    drafted = [records.draft(title=f"Punkt {n}") for n in (1, 2, 3)]
    for item in drafted:
        records.present(item, mistaken, when="2010-03-01 09:00")
    meeting_changes.reschedule_meeting(
        app.database.unit_of_work(),
        meeting_ref=str(mistaken),
        on=parse_date("2010-03-09"),
        start_time=parse_time("15:00"),
        reason="oprettet med forkert dato",
        actor="clerk",
        now=at("2010-03-01 10:00"),
    )
    meeting_changes.move_item(
        app.database.unit_of_work(),
        app.rulebook,
        item_id=drafted[0],
        meeting_ref=str(later),
        reason="hører til næste møde",
        actor="clerk",
        now=at("2010-03-01 10:05"),
    )
    for step, when in (("cancel", "10:10"), ("reopen", "10:15"), ("cancel", "10:20")):
        if step == "cancel":
            meeting_changes.cancel_meeting(
                app.database.unit_of_work(),
                app.rulebook,
                meeting_ref=str(mistaken),
                reason="formanden er syg",
                move_to=str(last) if when == "10:10" else None,
                actor="clerk",
                now=at(f"2010-03-01 {when}"),
            )
        else:
            meeting_changes.reopen_meeting(
                app.database.unit_of_work(),
                meeting_ref=str(mistaken),
                reason="aflyst ved en fejl",
                actor="clerk",
                now=at(f"2010-03-01 {when}"),
            )
    meeting_changes.reopen_meeting(
        app.database.unit_of_work(),
        meeting_ref="1",
        reason="et punkt blev glemt",
        actor="clerk",
        now=at("2010-03-01 10:25"),
    )
    assert (mistaken, later, last, drafted) == (3, 4, 5, [3, 4, 5])
    return records


CORRECTION_CASES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "a cancellation undone",
        "UPDATE meeting SET cancelled_at = NULL WHERE id = 3",
        ("møde 3 afviger", "'cancelled_at' er ændret direkte i tabellen over møder"),
    ),
    (
        "a meeting cancelled behind the trail",
        "UPDATE meeting SET cancelled_at = '2010-03-01 10:00:00' WHERE id = 4",
        ("møde 4 afviger", "'cancelled_at' er ændret direkte i tabellen over møder"),
    ),
    (
        "a rescheduled meeting put back on its old date",
        "UPDATE meeting SET date = '1999-01-01' WHERE id = 3",
        ("møde 3 afviger", "'date' er ændret direkte i tabellen over møder"),
    ),
    (
        "a rescheduled meeting's time",
        "UPDATE meeting SET start_time = NULL WHERE id = 3",
        ("møde 3 afviger", "'start_time' er ændret direkte i tabellen over møder"),
    ),
    (
        "a calendar's sequence lowered",
        "UPDATE meeting SET sequence = 1 WHERE id = 3",
        ("møde 3 afviger", "'sequence' er ændret direkte i tabellen over møder"),
    ),
    (
        "a reopened meeting marked held again",
        "UPDATE meeting SET held_at = '2010-01-26 17:00:00' WHERE id = 1",
        ("møde 1 afviger", "'held_at' er ændret direkte i tabellen over møder"),
    ),
    (
        "a moved item put back on the meeting it left",
        "UPDATE agenda_entry SET meeting_id = 3 WHERE item_id = 3 AND meeting_id = 4",
        ("forelæggelse", "'meeting_id' er ændret direkte i tabellen over forelæggelser"),
    ),
    (
        "agenda numbers given anew swapped",
        "UPDATE agenda_entry SET number = 9 WHERE item_id = 5 AND meeting_id = 5",
        ("forelæggelse", "'number' er ændret direkte i tabellen over forelæggelser"),
    ),
    (
        "a moved item's version",
        "UPDATE agenda_item SET version = 2 WHERE id = 3",
        (
            "dagsordenspunkt 3 afviger",
            "'version' er ændret direkte i tabellen over dagsordenspunkter",
        ),
    ),
]


def test_the_records_after_every_kind_of_calendar_correction_verify(corrected: Scenario) -> None:
    with corrected.app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem
    engine = corrected.app.database.engine
    with engine.connect() as connection:
        placed = connection.execute(
            text("SELECT meeting_id, number, item_id FROM agenda_entry WHERE item_id >= 3")
        ).all()
        meeting = connection.execute(
            text("SELECT date, cancelled_at IS NOT NULL, sequence FROM meeting WHERE id = 3")
        ).one()
    assert sorted(placed) == [(4, 1, 3), (5, 1, 4), (5, 2, 5)]
    assert (str(meeting[0]), bool(meeting[1]), meeting[2]) == ("2010-03-09", True, 4)


@pytest.mark.parametrize(
    ("what", "sql", "words"), CORRECTION_CASES, ids=[c[0] for c in CORRECTION_CASES]
)
def test_verify_names_a_corrected_row_changed_behind_its_back(
    corrected: Scenario, what: str, sql: str, words: tuple[str, ...]
) -> None:
    tamper(corrected.app, sql)
    with corrected.app.database.reading() as session:
        report = verify(session)
    assert report.problem is not None, what
    for word in words:
        assert word in report.problem, report.problem


@pytest.fixture
def bilag_edited(records: Scenario) -> Scenario:
    """The records with item 1's bilag corrected after its final decision: Bilag 1
    retitled "Statusnotat 2010", Bilag 2 taken off the item (correction 3)."""
    from council.workflow.services import item_edits

    item_edits.edit_item(
        records.app.database.unit_of_work(),
        records.app.rulebook,
        item_id=1,
        changes=item_edits.ItemChanges(
            attachment_titles=((1, "Statusnotat 2010"),), removed_attachments=(2,)
        ),
        reason="Bilag 2 hørte til et andet punkt",
        actor="clerk",
        now=at("2010-03-01 11:00"),
    )
    return records


REMOVED_BILAG = "item_id = 1 AND position = 2"
BILAG_CASES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "a bilag taken off put back on its item",
        f"UPDATE attachment SET removed_at = NULL WHERE {REMOVED_BILAG}",
        (
            "bilag (item_id 1, position 2) afviger",
            "'removed_at' er ændret direkte i tabellen over bilag",
        ),
    ),
    (
        "a bilag taken off its item behind the trail",
        "UPDATE attachment SET removed_at = '2010-03-01 10:00:00'"
        " WHERE item_id = 1 AND position = 1",
        (
            "bilag (item_id 1, position 1) afviger",
            "'removed_at' er ændret direkte i tabellen over bilag",
        ),
    ),
    (
        "a bilag taken off at another time",
        f"UPDATE attachment SET removed_at = '2010-03-02 10:00:00' WHERE {REMOVED_BILAG}",
        (
            "bilag (item_id 1, position 2) afviger",
            "'removed_at' er ændret direkte i tabellen over bilag",
        ),
    ),
    (
        "a retitled bilag's old title put back",
        "UPDATE attachment SET title = 'Statusnotat' WHERE item_id = 1 AND position = 1",
        (
            "bilag (item_id 1, position 1) afviger",
            "'title' er ændret direkte i tabellen over bilag",
        ),
    ),
    (
        "a bilag taken off deleted",
        f"DELETE FROM attachment WHERE {REMOVED_BILAG}",
        ("bilag (item_id 1, position 2) står i revisionssporet, men mangler i databasen",),
    ),
    (
        "the bilag correction's list after",
        'UPDATE correction SET after = \'{"attachments": ["Statusnotat"]}\' WHERE id = 3',
        ("rettelse 3 afviger", "'after' er ændret direkte i tabellen over rettelser"),
    ),
    (
        "the entry that took the bilag off rewritten",
        "UPDATE audit_entry SET body = replace(body, '\"removed_attachments\":[2]',"
        " '\"removed_attachments\":[]') WHERE action = 'item.corrected'",
        ("er ændret: dens indhold passer ikke til dens hash",),
    ),
]


def test_the_records_after_a_bilag_retitled_and_taken_off_verify(bilag_edited: Scenario) -> None:
    with bilag_edited.app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem
    with bilag_edited.app.database.engine.connect() as connection:
        bilag = connection.execute(
            text(
                "SELECT position, title, removed_at IS NOT NULL FROM attachment"
                " WHERE item_id = 1 ORDER BY position"
            )
        ).all()
        entries = connection.execute(
            text("SELECT count(*) FROM audit_entry WHERE body LIKE '%removed_attachments%'")
        ).scalar_one()
    assert [tuple(row) for row in bilag] == [(1, "Statusnotat 2010", False), (2, "Bilag 2", True)]
    assert entries == 1


@pytest.mark.parametrize(("what", "sql", "words"), BILAG_CASES, ids=[c[0] for c in BILAG_CASES])
def test_verify_names_a_bilag_correction_changed_behind_its_back(
    bilag_edited: Scenario, what: str, sql: str, words: tuple[str, ...]
) -> None:
    tamper(bilag_edited.app, sql)
    with bilag_edited.app.database.reading() as session:
        report = verify(session)
    assert report.problem is not None, what
    for word in words:
        assert word in report.problem, report.problem
