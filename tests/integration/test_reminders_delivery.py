"""Reminders delivered to a real SMTP server on loopback: each step once, none dropped.

The seed obligation: SUD and BIU each owe a status once a year, 2008-08-01 to 2010-12-31,
due by 31 December (periods 2009 and 2010), with the shipped defaults: notices 60 and 14
days before and on the due day at 08:00 Copenhagen time, then weekly escalations.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from mailserver import MailServer
from reminding import Reminding, add_obligation
from sqlalchemy import text
from support import COPENHAGEN, Scenario, at

from council.cases.obligations import lines as line_store
from council.cases.obligations import outbox as outbox_store
from council.notifications.messages import Mail
from council.notifications.reminder_text import subject_of
from council.notifications.sweep import sweep
from council.notifications.transports import Send, SmtpTransport
from council.workflow import obligation_services, reminder_settings
from council.workflow.app import App
from council.workflow.visibility import MAIL


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def reminding(scenario: Scenario, mail: MailServer) -> Iterator[Reminding]:
    """The seed case with its obligation (SUD is obligation 1, BIU obligation 2)."""
    add_obligation(scenario.app)
    product = Reminding.on(scenario.app, mail)
    yield product
    product.dispose()


def test_a_due_reminder_reaches_the_secretariat_and_the_owner_in_danish(
    reminding: Reminding, mail: MailServer
) -> None:
    run = reminding.sweep("2009-11-01 08:00")
    assert [row.message.step_key for row in run.written] == ["lead-60", "lead-60"]
    received = mail.wait_for(2)
    by_committee = {r.rcpt_tos[1]: r for r in received}
    assert set(by_committee) == {"sekretariat.sud@kk.example", "sekretariat.biu@kk.example"}
    sud = by_committee["sekretariat.sud@kk.example"]
    assert sud.rcpt_tos == ["kontakt.sof@kk.example", "sekretariat.sud@kk.example"]
    assert sud.mail_from == "paamindelser@kk.example"
    assert sud.subject == (
        "Påmindelse: status til Socialudvalget senest 31. december 2009 (sag 2010-4130)"
    )
    text = sud.text()
    assert "Socialudvalget (SUD) skal én gang årligt forelægges status" in text
    assert "perioden 1. august 2008 – 31. december 2010" in text
    assert "Status for perioden 2009 (1. august 2008 – 31. december 2009)" in text
    assert "Der er 60 dage til fristen." in text
    assert "--fulfils 1" in text  # no item is linked yet: how to link one
    html = sud.html()
    assert '<html lang="da">' in html
    assert "<strong>senest 31. december 2009</strong>" in html
    outbox = {row.message.message_id: row.message for row in reminding.outbox()}
    assert set(outbox) == {r.message_id for r in received}
    assert all(m.status == "sent" and m.attempts == 1 for m in outbox.values())
    assert sud.message["Date"].datetime == at("2009-11-01 08:00")


def test_two_sweeps_never_send_a_step_twice(reminding: Reminding, mail: MailServer) -> None:
    first = reminding.sweep("2009-11-01 08:00")
    again = reminding.sweep("2009-11-01 08:00")
    later = reminding.sweep("2009-11-20 12:00")
    assert len(first.written) == 2
    assert again.written == [] and again.delivery.sent == []
    assert later.written == [] and later.delivery.sent == []
    assert len(mail.wait_for(2)) == 2
    assert len(reminding.outbox()) == 2


def test_a_sweep_after_downtime_writes_every_missed_step_once_and_sends_the_current_one(
    reminding: Reminding, mail: MailServer
) -> None:
    reminding.sweep("2009-06-01 08:00")  # nothing due yet
    assert mail.messages() == []
    # the service was down from June 2009 to 15 January 2010
    run = reminding.sweep("2010-01-15 09:00")
    steps = ["lead-60", "lead-14", "due", "overdue-1", "overdue-2"]
    assert Counter(r.message.step_key for r in run.written) == Counter({step: 2 for step in steps})
    assert sorted(reminding.received_keys()) == ["1/2009/overdue-2", "2/2009/overdue-2"]
    statuses = Counter((r.message.step_key, r.message.status) for r in reminding.outbox())
    assert statuses == Counter(
        {(step, "superseded"): 2 for step in steps[:-1]} | {("overdue-2", "sent"): 2}
    )
    assert reminding.sweep("2010-01-15 09:05").written == []
    assert [r.message.step_key for r in reminding.sweep("2010-01-21 08:00").written] == [
        "overdue-3",
        "overdue-3",
    ]
    keys = reminding.received_keys()
    assert len(keys) == len(set(keys)) == 4


def test_while_the_smtp_server_is_down_nothing_is_lost_and_afterwards_nothing_is_doubled(
    reminding: Reminding, mail: MailServer
) -> None:
    mail.stop()
    down = reminding.sweep("2009-11-01 08:00")
    assert len(down.written) == 2
    assert down.delivery.sent == [] and len(down.delivery.failed) == 2
    rows = [row.message for row in reminding.outbox()]
    assert [(m.status, m.attempts) for m in rows] == [("failed", 1), ("failed", 1)]
    assert all("kan ikke nå smtp://127.0.0.1" in (m.last_error or "") for m in rows)
    assert all(m.next_attempt_at == at("2009-11-01 08:01") for m in rows)
    # before the retry is due, no attempt is made
    assert reminding.sweep("2009-11-01 08:00:30").delivery.failed == []
    # still down at the retry: backoff doubles
    assert len(reminding.sweep("2009-11-01 08:01").delivery.failed) == 2
    rows = [row.message for row in reminding.outbox()]
    assert [(m.attempts, m.next_attempt_at) for m in rows] == [(2, at("2009-11-01 08:03"))] * 2
    mail.start()
    up = reminding.sweep("2009-11-01 08:03")
    assert len(up.delivery.sent) == 2
    assert reminding.sweep("2009-11-01 08:10").delivery.sent == []
    received = mail.wait_for(2)
    assert sorted(reminding.received_keys()) == ["1/2009/lead-60", "2/2009/lead-60"]
    assert len(received) == 2
    rows = [row.message for row in reminding.outbox()]
    assert [(m.status, m.attempts) for m in rows] == [("sent", 3), ("sent", 3)]


def test_a_postponement_keeps_escalating_and_taking_it_to_note_stops_it(
    reminding: Reminding, scenario: Scenario, mail: MailServer
) -> None:
    january = scenario.meeting("BIU", "2010-01-26")
    february = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU")
    obligation_services.link_item(
        scenario.uow(), obligation_ref="2", item_id=item, actor="clerk", now=at("2010-01-04 09:00")
    )
    scenario.present(item, january, when="2010-01-10 09:00")
    acts = [
        (at("2010-01-26 17:00"), lambda: scenario.decide(item, "udsat", when="2010-01-26 17:00")),
        (at("2010-02-10 09:00"), lambda: scenario.present(item, february, when="2010-02-10 09:00")),
        (
            at("2010-02-23 17:00"),
            lambda: scenario.decide(item, "taget til efterretning", when="2010-02-23 17:00"),
        ),
    ]
    sweep_at = at("2009-12-31 12:00")
    while sweep_at < at("2010-06-01 00:00"):  # a weekly sweep, on the escalations' weekday
        while acts and acts[0][0] <= sweep_at:
            acts.pop(0)[1]()
        reminding.sweep(sweep_at)
        sweep_at += timedelta(days=7)
    biu = [key for key in reminding.step_keys() if key[0] == "BIU"]
    assert [step for _, period, step in biu if period == "2009"] == [
        "lead-60",
        "lead-14",
        "due",
        *(f"overdue-{n}" for n in range(1, 8)),  # 07.01 ... 18.02.2010, none after 23.02
    ]
    with reminding.app.database.reading() as session:
        rows = outbox_store.listing(session)
    last = max(r.message.step_at for r in rows if r.committee_code == "BIU")
    assert last == at("2010-02-18 08:00")
    # SUD has no item: its 2009 status stays overdue and keeps being escalated
    sud = [
        step for code, period, step in reminding.step_keys() if code == "SUD" and period == "2009"
    ]
    assert sud[-1] == "overdue-21"  # 27.05.2010


def test_the_obligation_end_stops_every_reminder(scenario: Scenario, mail: MailServer) -> None:
    [line] = add_obligation(scenario.app, committee_codes=["SUD"], ends_on=date(2010, 6, 30))
    product = Reminding.on(scenario.app, mail)
    try:
        product.sweep("2012-01-01 12:00")
        keys = product.step_keys()
        assert product.sweep("2013-01-01 12:00").written == []
    finally:
        product.dispose()
    first = [step for _, period, step in keys if period == "2009"]
    last = [step for _, period, step in keys if period == "2010"]
    # 2009 is escalated weekly until the end (24.06.2010 is the last step before 30.06.2010);
    # 2010, cut short and due on the end date, gets its notices but no escalation.
    assert first[-1] == "overdue-25"
    assert last == ["lead-60", "lead-14", "due"]
    with scenario.app.database.reading() as session:
        assert line_store.next_check(session) is None  # the only line owes nothing more
        rows = outbox_store.listing(session)
    assert max(r.message.step_at for r in rows) == at("2010-06-30 08:00")
    assert line.committee_code == "SUD"


def test_a_status_due_on_29_february_is_reminded_on_that_day(
    scenario: Scenario, mail: MailServer
) -> None:
    # from 2011-03-01, one year less a day is 2012-02-29: the first due date
    add_obligation(
        scenario.app,
        committee_codes=["BIU"],
        starts_on=date(2011, 3, 1),
        ends_on=date(2012, 3, 5),
        due="29. februar",
        lead_days=[1, 0],
        escalate_every_days=1,
        now=at("2011-03-01 10:00"),
    )
    # from 2012-03-01, one year less a day is 2013-02-28: due then, in a common year
    add_obligation(
        scenario.app,
        committee_codes=["SUD"],
        starts_on=date(2012, 3, 1),
        ends_on=date(2014, 12, 31),
        due="29. februar",
        lead_days=[0],
        escalate_every_days=None,
        now=at("2012-03-01 10:00"),
    )
    product = Reminding.on(scenario.app, mail)
    try:
        assert product.sweep("2012-02-28 07:59").written == []
        lead = product.sweep("2012-02-28 08:00").written
        due = product.sweep("2012-02-29 08:00").written
        overdue = product.sweep("2012-03-01 08:00").written
        common_year = product.sweep("2013-02-28 08:00").written
    finally:
        product.dispose()
    assert [(r.message.period_key, r.message.step_key) for r in lead] == [("2012", "lead-1")]
    assert [(r.message.period_key, r.message.step_key) for r in due] == [("2012", "due")]
    assert due[0].message.subject == (
        "Frist i dag: status til Beskæftigelses- og Integrationsudvalget "
        "senest 29. februar 2012 (sag 2010-4130)"
    )
    assert [r.message.step_key for r in overdue] == ["overdue-1"]
    assert "er 1 dag forsinket" in overdue[0].message.subject
    sud = [r for r in common_year if r.committee_code == "SUD"]
    assert [(r.message.period_key, r.message.step_key) for r in sud] == [("2013", "due")]
    assert "senest 28. februar 2013" in sud[0].message.subject
    assert len(mail.wait_for(4)) >= 4


def test_the_new_year_does_not_move_a_31_december_deadline(reminding: Reminding) -> None:
    reminding.sweep("2009-12-31 07:59")
    assert {step for _, _, step in reminding.step_keys()} == {"lead-60", "lead-14"}
    # midnight in Copenhagen is 23:00 UTC: nothing falls due around it
    assert reminding.sweep("2009-12-31 23:59").written != []  # the due-day notices, 08:00
    assert reminding.sweep("2010-01-01 00:30").written == []
    assert reminding.sweep("2010-01-07 07:59").written == []
    overdue = reminding.sweep("2010-01-07 08:00").written
    assert [r.message.step_key for r in overdue] == ["overdue-1", "overdue-1"]
    assert all("7 dage forsinket" in r.message.subject for r in overdue)


@pytest.mark.parametrize(
    ("start", "due", "before", "day_before_utc", "due_utc"),
    [
        # autumn: 25.10.2009 the clocks went back; 08:00 is 06:00 UTC before, 07:00 UTC on it
        ("2008-10-26", "25.10", "2009-10-24", "06:00", datetime(2009, 10, 25, 7, tzinfo=UTC)),
        # spring: 28.03.2010 the clocks went forward; 08:00 is 07:00 UTC before, 06:00 on it
        ("2009-03-29", "28.03", "2010-03-27", "07:00", datetime(2010, 3, 28, 6, tzinfo=UTC)),
    ],
)
def test_reminders_go_out_at_08_copenhagen_time_across_daylight_saving_changes(
    scenario: Scenario,
    mail: MailServer,
    start: str,
    due: str,
    before: str,
    day_before_utc: str,
    due_utc: datetime,
) -> None:
    add_obligation(
        scenario.app,
        committee_codes=["SUD"],
        starts_on=date.fromisoformat(start),
        due=due,
        lead_days=[1, 0],
        escalate_every_days=None,
        now=at(f"{start} 09:00"),
    )
    product = Reminding.on(scenario.app, mail)

    def sweep(moment: datetime) -> list[str]:
        return [r.message.step_key for r in product.sweep(moment).written]

    try:
        lead_at = datetime.fromisoformat(f"{before}T{day_before_utc}+00:00")
        assert sweep(lead_at - timedelta(seconds=1)) == []
        assert sweep(lead_at) == ["lead-1"]
        assert sweep(due_utc - timedelta(seconds=1)) == []
        assert sweep(due_utc) == ["due"]
        rows = product.outbox()
    finally:
        product.dispose()
    assert [r.message.step_at for r in rows] == [lead_at, due_utc]
    assert {moment.astimezone(COPENHAGEN).hour for moment in (lead_at, due_utc)} == {8}
    assert len(mail.wait_for(2)) == 2


def test_two_instances_sweeping_at_once_send_each_step_once(
    reminding: Reminding, mail: MailServer
) -> None:
    second = Reminding.on(reminding.app, mail)
    errors: list[BaseException] = []

    def sweep(product: Reminding) -> None:
        try:
            product.sweep("2010-01-15 09:00")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sweep, args=(p,)) for p in (reminding, second)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        second.dispose()
    assert errors == []
    keys = reminding.received_keys()
    assert sorted(keys) == ["1/2009/overdue-2", "2/2009/overdue-2"]  # each current step once
    assert len(reminding.outbox()) == 10  # and every missed step written once


def test_without_an_smtp_host_reminders_land_in_a_maildir_next_to_the_database(
    app: App, scenario: Scenario
) -> None:
    if app.database.path is None:
        pytest.skip("the Maildir default sits next to an SQLite file")
    add_obligation(app)
    run = obligation_services.run_reminders(app, now=at("2009-11-01 08:00"))
    maildir = app.database.path.with_name("council.maildir")
    assert run.delivery.transport == f"maildir:{maildir}"
    files = sorted((maildir / "new").iterdir())
    assert len(files) == 2
    written = files[0].read_bytes()
    assert written.isascii()  # the Danish letters encoded for the wire, in header and bodies
    assert str(message_from_bytes(written, policy=policy.default)["Subject"]).startswith(
        "Påmindelse"
    )
    assert obligation_services.run_reminders(app, now=at("2009-11-01 08:05")).written == []
    assert len(list((maildir / "new").iterdir())) == 2


def sweep_only(app: App, when: str) -> list[int]:
    """The sweep of ``reminders run`` without the delivery after it."""
    definition = app.rulebook.definition
    return sweep(
        app.database,
        now=at(when),
        fulfilling_states=definition.fulfilling_states,
        send_at=reminder_settings.reminder_config(app).send_at,
        message_domain="kk.example",
        audience=MAIL,
        state_labels={name: state.label for name, state in definition.states.items()},
    ).written


def test_a_reminder_tells_the_facts_of_its_sweep_and_every_attempt_sends_the_same_text(
    reminding: Reminding, mail: MailServer
) -> None:
    written = sweep_only(reminding.app, "2009-11-01 08:00")
    assert len(written) == 2
    [sud, biu] = [row.message for row in reminding.outbox()]
    # the sweep keeps the facts, not the text; a listing renders the subject meanwhile
    assert sud.facts is not None and sud.subject is None and sud.body_html is None
    assert subject_of(sud) == (
        "Påmindelse: status til Socialudvalget senest 31. december 2009 (sag 2010-4130)"
    )
    # the case changes before delivery; the reminder says what was true at the sweep
    with reminding.app.database.engine.begin() as connection:
        connection.execute(text("UPDATE case_record SET title = 'Ny titel'"))
    mail.stop()
    down = reminding.sweep("2009-11-01 08:05")
    assert down.written == [] and len(down.delivery.failed) == 2
    kept = {row.message.id: row.message for row in reminding.outbox()}
    assert kept[sud.id].subject == subject_of(sud)
    assert "Sag 2010-4130: Partnerskabsaftale" in (kept[sud.id].body_text or "")
    mail.start()
    assert len(reminding.sweep("2009-11-01 08:06").delivery.sent) == 2
    received = {r.message_id: r for r in mail.wait_for(2)}
    assert received[sud.message_id].subject == kept[sud.id].subject
    crlf = str.maketrans({"\r": None})
    assert received[sud.message_id].text().translate(crlf) == kept[sud.id].body_text
    assert received[biu.message_id].html().translate(crlf) == kept[biu.id].body_html
    assert "Ny titel" not in received[biu.message_id].text()


def test_a_reminder_whose_facts_cannot_be_rendered_waits_and_the_others_go_out(
    reminding: Reminding, mail: MailServer
) -> None:
    [sud, biu] = sweep_only(reminding.app, "2009-11-01 08:00")
    with reminding.app.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE outbox_message SET facts = '{\"v\": 99}' WHERE id = :id"), {"id": sud}
        )
    run = reminding.sweep("2009-11-01 08:05")
    assert run.delivery.sent == [biu]
    assert [(i, "version 99" in error) for i, error in run.delivery.failed] == [(sud, True)]
    assert len(mail.wait_for(1)) == 1
    failed = {row.message.id: row.message for row in reminding.outbox()}[sud]
    assert (failed.status, failed.attempts, failed.subject) == ("failed", 1, None)
    assert failed.next_attempt_at == at("2009-11-01 08:06")
    assert "kan ikke læses" in (failed.last_error or "")


@dataclass(frozen=True)
class BreaksOn:
    """The SMTP transport, except that handing over one message raises an error nobody
    foresaw (a bug in a transport, a library raising something new)."""

    smtp: SmtpTransport
    message_id: str

    def describe(self) -> str:
        return self.smtp.describe()

    @contextmanager
    def connect(self) -> Iterator[Send]:
        with self.smtp.connect() as send:

            def breaking(message: Mail, recipients: list[str]) -> str | None:
                if message["Message-ID"] == self.message_id:
                    raise RuntimeError("the transport broke\nmid-message")
                return send(message, recipients)

            yield breaking


def test_an_unforeseen_error_sending_one_reminder_fails_that_one_and_the_others_go_out(
    reminding: Reminding, mail: MailServer
) -> None:
    [sud, biu] = sweep_only(reminding.app, "2009-11-01 08:00")
    rows = {row.message.id: row.message for row in reminding.outbox()}
    smtp = SmtpTransport(host=mail.host, port=mail.port, starttls=False, timeout=5.0)
    run = obligation_services.run_reminders(
        reminding.app,
        now=at("2009-11-01 08:05"),
        transport=BreaksOn(smtp, rows[sud].message_id),
    )
    assert run.delivery.sent == [biu]
    assert run.delivery.failed == [(sud, "the transport broke")]
    assert [r.message_id for r in mail.wait_for(1)] == [rows[biu].message_id]
    failed = {row.message.id: row.message for row in reminding.outbox()}[sud]
    assert (failed.status, failed.attempts, failed.last_error) == (
        "failed",
        1,
        "the transport broke",
    )
    assert failed.claim_token is None
    again = reminding.sweep("2009-11-01 08:06")  # its retry is due: it goes out, once
    assert again.delivery.sent == [sud]
    assert sorted(r.message_id for r in mail.wait_for(2)) == sorted(
        [rows[sud].message_id, rows[biu].message_id]
    )
