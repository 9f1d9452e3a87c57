"""Reminders a person is glad to get: after downtime one mail with the true day count (the
missed steps superseded and listed, never dropped), a text worked out when it is sent
(the last decision, the committee's next meeting, the goals), Danish step names from
config, daily digests per recipient, and a dry run that changes nothing."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import time
from pathlib import Path

import pytest
from mailserver import MailServer
from reminding import Reminding, add_obligation
from support import CliResult, Scenario, at, dump, tamper

from council.config.settings import load_settings
from council.workflow import obligation_services, services
from council.workflow.app import App
from council.workflow.services import goals as goal_acts

Council = Callable[..., CliResult]
SHIPPED = Path(__file__).resolve().parents[2] / "config" / "reminders.toml"


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def reminding(scenario: Scenario, mail: MailServer) -> Iterator[Reminding]:
    """The seed obligation (SUD 1, BIU 2), BIU's item postponed on 26.01.2010 and its next
    meeting on 23.02.2010 at 15.30 in Rådhuset; the service swept last on 01.12.2009."""
    add_obligation(scenario.app)
    january = scenario.meeting("BIU", "2010-01-26")
    services.create_meeting(
        scenario.uow(),
        committee_code="BIU",
        on=at("2010-02-23 00:00").date(),
        start_time=time(15, 30),
        place="Rådhuset",
        actor="clerk",
        now=at("2010-01-05 09:00"),
    )
    item = scenario.draft("BIU", title="Status på partnerskabsaftale")
    obligation_services.link_item(
        scenario.uow(), obligation_ref="2", item_id=item, actor="clerk", now=at("2010-01-04 09:00")
    )
    product = Reminding.on(scenario.app, mail)
    product.sweep("2009-11-01 08:00")  # the 60 days' notices
    product.sweep("2009-12-01 08:00")
    scenario.present(item, january, when="2010-01-10 09:00")
    scenario.decide(item, "udsat", when="2010-01-26 17:00")
    yield product
    product.dispose()


def test_a_month_down_sends_one_mail_with_the_true_day_count_and_lists_the_rest(
    reminding: Reminding, mail: MailServer, council: Council
) -> None:
    before = len(mail.messages())
    # down from 01.12.2009 to 30.01.2010: 17.12, 31.12, 07.01, 14.01, 21.01, 28.01 missed
    run = reminding.sweep("2010-01-30 10:00")
    missed = ["lead-14", "due", "overdue-1", "overdue-2", "overdue-3", "overdue-4"]
    assert Counter(r.message.step_key for r in run.written) == Counter(dict.fromkeys(missed, 2))
    new = mail.wait_for(before + 2)[before:]
    assert len(new) == 2  # one mail per committee, nothing more
    biu = next(m for m in new if "sekretariat.biu@kk.example" in m.rcpt_tos)
    assert biu.subject == (
        "Rykker 4: status til Beskæftigelses- og Integrationsudvalget er 30 dage forsinket "
        "(sag 2010-4130)"
    )
    text = biu.text()
    assert "status er nu 30 dage forsinket. Dette er rykker nr. 4." in text
    assert "Udvalgets næste møde: 23. februar 2010 kl. 15.30, Rådhuset." in text
    assert "Seneste beslutning: Beskæftigelses- og Integrationsudvalget, punkt 1" in text
    assert "udsat den 26. januar 2010" in text
    assert "sendt 30. januar 2010" in text
    sud = next(m for m in new if "sekretariat.sud@kk.example" in m.rcpt_tos)
    assert "Der er endnu ikke planlagt et møde i udvalget efter i dag." in sud.text()
    # nothing lost: every missed step is in the outbox once, superseded by the one sent
    rows = reminding.outbox()
    superseded = [r.message for r in rows if r.message.status == "superseded"]
    assert sorted(m.step_key for m in superseded) == sorted(missed[:-1] * 2)
    sent = {r.message.id: r.message for r in rows if r.message.step_key == "overdue-4"}
    assert {m.superseded_by for m in superseded} == set(sent)
    listed = council("reminders", "list", "--status", "superseded")
    assert listed.code == 0 and listed.out.count("afløst af #") == 10
    # a superseded step is never sent later, and the next escalation comes on its day
    assert reminding.sweep("2010-01-30 10:05").written == []
    assert [r.message.step_key for r in reminding.sweep("2010-02-04 08:00").written] == [
        "overdue-5",
        "overdue-5",
    ]
    keys = reminding.received_keys()
    assert len(keys) == len(set(keys))
    assert not any(key.endswith(tuple(f"/{step}" for step in missed[:-1])) for key in keys[2:])


def test_a_retry_sends_the_text_rendered_for_the_first_attempt(
    scenario: Scenario, mail: MailServer
) -> None:
    add_obligation(scenario.app, committee_codes=["SUD"], lead_days=[14], escalate_every_days=0)
    product = Reminding.on(scenario.app, mail)
    try:
        mail.stop()
        product.sweep("2009-12-17 08:00")  # written; the server is away until after New Year
        mail.start()
        product.sweep("2010-01-02 09:00")
    finally:
        product.dispose()
    [received] = mail.wait_for(1)
    assert received.subject == (
        "Påmindelse: status til Socialudvalget senest 31. december 2009 (sag 2010-4130)"
    )  # rendered when first claimed, on 17.12 (every retry sends that same text)
    assert "Der er 14 dage til fristen." in received.text()


def test_while_the_mail_server_is_down_a_later_step_supersedes_the_unsent_one(
    reminding: Reminding, mail: MailServer
) -> None:
    before = len(mail.messages())
    mail.stop()
    reminding.sweep("2009-12-17 08:00")  # lead-14 written, cannot be sent
    reminding.sweep("2009-12-31 08:00")  # due written; lead-14 passed by it
    mail.start()
    reminding.sweep("2009-12-31 09:00")
    new = mail.wait_for(before + 2)[before:]
    assert sorted(reminding.received_keys()[before:]) == ["1/2009/due", "2/2009/due"]
    assert all(m.subject.startswith("Frist i dag: ") for m in new)
    statuses = {(r.message.step_key, r.message.status) for r in reminding.outbox()}
    assert ("lead-14", "superseded") in statuses and ("lead-14", "sent") not in statuses


def test_no_mail_says_a_code_name_and_the_step_names_come_from_config(
    scenario: Scenario, mail: MailServer, tmp_path: Path
) -> None:
    config = tmp_path / "reminders.toml"
    config.write_text(
        SHIPPED.read_text(encoding="utf-8").replace(
            'overdue = "Rykker {n}"', 'overdue = "{n}. rykker"'
        ),
        encoding="utf-8",
    )
    add_obligation(scenario.app, committee_codes=["SUD"])
    settings = load_settings(
        database_url=scenario.app.settings.database_url, reminders_file=config, **mail.settings()
    )
    product = Reminding(App(settings=settings), mail)
    try:
        for moment in ("2009-11-01 08:00", "2009-12-17 08:00", "2009-12-31 08:00",
                       "2010-01-07 08:00"):  # fmt: skip
            product.sweep(moment)
    finally:
        product.dispose()
    received = mail.wait_for(4)
    assert received[-1].subject.strip().startswith("1. rykker: status til Socialudvalget er 7 dage")
    for message in received:
        for text in (message.subject, message.text(), message.html()):
            assert not re.search(r"\b(trin|lead-\d+|overdue-\d+|due)\b", text), text


def test_a_recipient_with_a_daily_digest_gets_one_mail_listing_every_reminder(
    scenario: Scenario, mail: MailServer, tmp_path: Path, council: Council
) -> None:
    config = tmp_path / "reminders.toml"
    config.write_text(
        SHIPPED.read_text(encoding="utf-8")
        .replace("[digest]\n", '[digest]\nrecipients = ["kontakt.sof@kk.example"]\n')
        .replace("\nrecipients = []\n", "\n", 1),
        encoding="utf-8",
    )
    add_obligation(scenario.app)  # SUD and BIU, both reminding kontakt.sof
    settings = load_settings(
        database_url=scenario.app.settings.database_url, reminders_file=config, **mail.settings()
    )
    product = Reminding(App(settings=settings), mail)
    try:
        product.sweep("2009-11-01 08:00")
        product.sweep("2009-11-01 12:00")  # the same day: nothing more
        received = mail.wait_for(3)
        product.sweep("2009-12-17 08:00")
        later = mail.wait_for(6)
    finally:
        product.dispose()
    assert len(received) == 3
    by_recipient = {tuple(m.rcpt_tos): m for m in received}
    assert set(by_recipient) == {
        ("sekretariat.sud@kk.example",),
        ("sekretariat.biu@kk.example",),
        ("kontakt.sof@kk.example",),
    }
    digest = by_recipient[("kontakt.sof@kk.example",)]
    assert digest.subject == "Påmindelser 1. november 2009: 2 statusser til udvalgene"
    text = digest.text()
    assert "1. Påmindelse: status til Socialudvalget senest 31. december 2009" in text
    assert "2. Påmindelse: status til Beskæftigelses- og Integrationsudvalget" in text
    assert "kontakt.sof" not in by_recipient[("sekretariat.sud@kk.example",)].message["To"]
    assert (
        len(later) == 6
        and later[-1].message["X-Council-Reminder"] != digest.message["X-Council-Reminder"]
    )  # a new day, a new digest
    listed = council("reminders", "list")
    assert listed.code == 0 and listed.out.count("sammendrag") >= 2
    assert council("audit", "verify").code == 0  # digests written and gathered, audited
    tamper(
        scenario.app,
        "UPDATE outbox_message SET facts = '{\"v\": 1, \"digest\": []}' WHERE step_kind = 'digest'",
    )
    refused = council("audit", "verify")
    assert (
        refused.code != 0 and "'facts' er ændret direkte i tabellen over påmindelser" in refused.err
    )


def test_a_dry_run_shows_what_would_be_written_and_sent_and_changes_nothing(
    reminding: Reminding, mail: MailServer, council: Council, database_url: str
) -> None:
    before, mails = dump(database_url), len(mail.messages())
    result = council("reminders", "run", "--dry-run", "--now", "2010-01-30T10:00")
    assert result.code == 0, result.err
    out = result.out
    assert "ville skrive 12 påmindelse(r) (2 at sende, 10 afløst) og sende 2" in out
    assert "intet er ændret" in out
    assert "som afløst af #" in out
    assert "Emne: Rykker 4: status til Beskæftigelses- og Integrationsudvalget er 30 dage" in out
    assert "Udvalgets næste møde: 23. februar 2010 kl. 15.30, Rådhuset." in out
    assert dump(database_url) == before
    assert len(mail.messages()) == mails
    # a dry run may look ahead of the real clock: nothing is used up
    ahead = council("reminders", "run", "--dry-run", "--now", "2999-01-01T08:00")
    assert ahead.code == 0 and dump(database_url) == before
    real = reminding.sweep("2010-01-30 10:00")
    assert len(real.delivery.sent) == 2


def test_a_reminder_tells_the_goals_and_what_was_reported_the_period_before(
    scenario: Scenario, mail: MailServer
) -> None:
    add_obligation(scenario.app, committee_codes=["SUD"])
    goal_acts.add_goal(
        scenario.uow(),
        obligation_ref="1",
        name="Nye frivillige",
        unit="frivillige",
        targets=["200", "2009=120"],
        actor="clerk",
        now=at("2009-01-05 11:00"),
    )
    item = scenario.draft("SUD")
    obligation_services.link_item(
        scenario.uow(), obligation_ref="1", item_id=item, actor="clerk", now=at("2009-11-02 09:00")
    )
    goal_acts.report_values(
        scenario.uow(),
        fulfilling_states=scenario.app.rulebook.definition.fulfilling_states,
        item_id=item,
        values=[goal_acts.GoalValueGiven("Nye frivillige", "140")],
        period="2009",
        actor="clerk",
        now=at("2009-11-20 09:00"),
    )
    product = Reminding.on(scenario.app, mail)
    try:
        product.sweep("2010-11-01 08:00")  # the 60 days' notice of 2010 (2009 is long overdue)
    finally:
        product.dispose()
    texts = [m.text() for m in mail.wait_for(1)]
    [text_2010] = [t for t in texts if "Status for perioden 2010" in t]
    assert "Resultatmål, som udvalget vil spørge til:" in text_2010
    assert (
        "- Nye frivillige: mindst 200 frivillige i perioden 2010; 2009: 140 indberettet mod "
        "målet 120 (nået)." in text_2010
    )
