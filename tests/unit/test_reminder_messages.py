"""A reminder as a message: Danish subject and bodies, a stable Message-ID, a Maildir file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from council.cases.models import AgendaItem
from council.cases.obligations.fulfilment import LinkedItem
from council.cases.obligations.lines import Line
from council.cases.obligations.periods import Period
from council.cases.obligations.steps import Step
from council.cases.obligations.tables import OutboxMessage
from council.cases.obligations.terms import parse_cadence
from council.config.settings import load_settings
from council.notifications import reminder_text
from council.notifications.delivery import RetryPolicy
from council.notifications.errors import DeliveryError, TemplateError
from council.notifications.messages import build_mail, build_message
from council.notifications.reminder_text import render_row
from council.notifications.rendering import render
from council.notifications.sweep import message_domain_of, message_id, step_id_part
from council.notifications.transports import (
    MaildirTransport,
    SmtpTransport,
    default_maildir,
    transport_for,
)
from council.workflow.visibility import MAIL

PERIOD = Period(key="2009", start=date(2008, 8, 1), end=date(2009, 12, 31), due=date(2009, 12, 31))


def line(**changes: object) -> Line:
    values: dict[str, object] = {
        "id": 2,
        "case_id": 1,
        "committee_id": 4,
        "about": "",
        "starts_on": date(2008, 8, 1),
        "ends_on": date(2010, 12, 31),
        "cadence": "FREQ=YEARLY",
        "due_rule": "12-31",
        "lead_days": (60, 14, 0),
        "escalate_every_days": 7,
        "recipients": ("kontakt.sof@kk.example", "sekretariat.biu@kk.example"),
        "case_number": "2010-4130",
        "case_title": "Partnerskabsaftale med Dansk Flygtningehjælp",
        "case_owner": "Socialforvaltningen",
        "committee_code": "BIU",
        "committee_name": "Beskæftigelses- og Integrationsudvalget",
    }
    values.update(changes)
    return Line(**values)  # type: ignore[arg-type]


def written(
    of: Line,
    period: Period,
    the_step: Step,
    *,
    items: list[AgendaItem] | None = None,
    labels: dict[str, str] | None = None,
) -> OutboxMessage:
    """The outbox row of one step of a line as a sweep writes it: its facts, no text yet."""
    facts = reminder_text.line_facts(
        of,
        cadence_interval=parse_cadence(of.cadence).interval,
        linked=reminder_text.linked_facts(items or [], labels or {}, audience=MAIL),
    )
    return outbox_row(
        obligation_id=of.id,
        committee_id=of.committee_id,
        period_key=period.key,
        step_key=the_step.key,
        step_kind=the_step.kind,
        step_at=the_step.due_at,
        message_id=message_id(of, step_id_part(period.key, the_step.key), domain="kk.example"),
        recipients=list(of.recipients),
        facts=reminder_text.snapshot(facts, reminder_text.step_facts(period, the_step)),
        subject=None,
        body_text=None,
        body_html=None,
    )


def context_of(row: OutboxMessage) -> dict[str, object]:
    """What the templates are given for a row, as delivery reads its facts."""
    assert row.facts is not None
    return reminder_text.context(
        json.loads(row.facts),
        obligation_id=row.obligation_id,
        period_key=row.period_key,
        step_key=row.step_key,
        kind=row.step_kind,
        recipients=row.recipients,
    )


def step(key: str, kind: str, day: date) -> Step:
    return Step(key=key, kind=kind, day=day, due_at=datetime.combine(day, datetime.min.time(), UTC))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("the_step", "subject", "says"),
    [
        (
            step("lead-60", "lead", date(2009, 11, 1)),
            "Påmindelse: status til Beskæftigelses- og Integrationsudvalget senest "
            "31. december 2009 (sag 2010-4130)",
            "Der er 60 dage til fristen.",
        ),
        (
            step("due", "due", date(2009, 12, 31)),
            "Frist i dag: status til Beskæftigelses- og Integrationsudvalget senest "
            "31. december 2009 (sag 2010-4130)",
            "Fristen er i dag.",
        ),
        (
            step("overdue-3", "overdue", date(2010, 1, 21)),
            "Rykker 3: status til Beskæftigelses- og Integrationsudvalget er 21 dage forsinket "
            "(sag 2010-4130)",
            "Dette er rykker nr. 3.",
        ),
    ],
)
def test_each_kind_of_step_reads_in_danish(the_step: Step, subject: str, says: str) -> None:
    got_subject, text, html = render_row(written(line(), PERIOD, the_step))
    assert got_subject == subject
    assert says in text
    assert "Beskæftigelses- og Integrationsudvalget (BIU) skal én gang årligt forelægges" in text
    assert "En udsættelse tæller ikke." in text
    assert html.startswith("<!DOCTYPE html>")
    assert f"<title>{subject}</title>" in html


def test_one_day_is_singular_and_the_escalation_interval_is_told() -> None:
    subject, text, _ = render_row(
        written(line(escalate_every_days=1), PERIOD, step("overdue-1", "overdue", date(2010, 1, 1)))
    )
    assert "er 1 dag forsinket" in subject
    assert "Der rykkes hver 1. dag, indtil status er forelagt udvalget" in text
    every_second = written(
        line(cadence="FREQ=YEARLY;INTERVAL=2"), PERIOD, step("due", "due", PERIOD.due)
    )
    assert "skal hvert 2. år forelægges status" in render_row(every_second)[1]


def test_linked_items_are_listed_with_their_state_label() -> None:
    item = AgendaItem(id=4, title="Status på partnerskabsaftale", state="udsat")
    row = written(
        line(), PERIOD, step("overdue-4", "overdue", date(2010, 1, 28)),
        items=[item], labels={"udsat": "Udsat"},
    )  # fmt: skip
    text = render_row(row)[1]
    assert "  - punkt 4: Status på partnerskabsaftale (Udsat)" in text
    assert "--fulfils" not in text


def test_a_closed_linked_item_is_only_its_number_and_lukket_punkt_in_a_reminder() -> None:
    secret = AgendaItem(id=4, title="HEMMELIG LUKKET STATUS", state="udsat", closed=True)
    row = written(
        line(), PERIOD, step("overdue-4", "overdue", date(2010, 1, 28)),
        items=[secret], labels={"udsat": "Udsat"},
    )  # fmt: skip
    assert context_of(row)["linked"] == [{"id": 4, "title": "Lukket punkt", "state": ""}]
    assert row.facts is not None and "HEMMELIG" not in row.facts  # nor does the outbox row
    subject, text, html = render_row(row)
    assert "  - punkt 4: Lukket punkt\n" in text
    assert "<li>punkt 4: Lukket punkt</li>" in html
    assert all("HEMMELIG" not in part and "Udsat" not in part for part in (subject, text, html))


def test_the_html_body_escapes_what_users_typed_and_the_text_body_keeps_it() -> None:
    typed = line(about='Mål <b>&</b> "resultater"')
    _, text, html = render_row(written(typed, PERIOD, step("due", "due", PERIOD.due)))
    assert 'Forpligtelse: Mål <b>&</b> "resultater"' in text
    assert "Mål &lt;b&gt;&amp;&lt;/b&gt; &#34;resultater&#34;" in html
    assert "<b>&</b>" not in html


def test_a_missing_value_in_a_template_is_an_error_not_an_empty_string() -> None:
    context = context_of(written(line(), PERIOD, step("due", "due", PERIOD.due)))
    del context["case_title"]
    with pytest.raises(TemplateError, match="reminder"):
        render("reminder.txt.j2", r=context)


def test_the_message_id_is_fixed_by_obligation_committee_period_and_step() -> None:
    one = message_id(line(), step_id_part("2009", "lead-14"), domain="kk.example")
    assert one == "<reminder.2.4.2009.lead-14@kk.example>"
    assert one == message_id(line(), step_id_part("2009", "lead-14"), domain="kk.example")
    odd = message_id(line(), step_id_part("2009", "due"), domain=message_domain_of("kø bh"))
    assert odd == "<reminder.2.4.2009.due@k--bh>"
    assert step_id_part("2009 2010", "lead/60") == "2009-2010.lead-60"
    assert message_domain_of("") == "council.invalid"


def outbox_row(**changes: object) -> OutboxMessage:
    values: dict[str, object] = {
        "id": 7,
        "obligation_id": 2,
        "committee_id": 4,
        "period_key": "2009",
        "step_key": "due",
        "step_kind": "due",
        "step_at": datetime(2009, 12, 31, 7, tzinfo=UTC),
        "next_attempt_at": datetime(2009, 12, 31, 7, tzinfo=UTC),
        "message_id": "<reminder.2.4.2009.due@kk.example>",
        "recipients": ["kontakt.sof@kk.example", "sekretariat.biu@kk.example"],
        "subject": "Frist i dag: status til Beskæftigelses- og Integrationsudvalget",
        "body_text": "Fristen er i dag.\n",
        "body_html": "<p>Fristen er i dag.</p>\n",
        "created_at": datetime(2009, 12, 31, 7, tzinfo=UTC),
    }
    values.update(changes)
    return OutboxMessage(**values)  # type: ignore[arg-type]


def test_the_email_has_text_and_html_alternatives_and_its_stable_message_id() -> None:
    message = build_message(
        outbox_row(), sender="paamindelser@kk.example", now=datetime(2009, 12, 31, 7, tzinfo=UTC)
    )
    assert message["Message-ID"] == "<reminder.2.4.2009.due@kk.example>"
    assert message["To"] == "kontakt.sof@kk.example, sekretariat.biu@kk.example"
    assert message["Date"] == "Thu, 31 Dec 2009 08:00:00 +0100"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]


def test_the_maildir_gets_each_message_once_however_often_it_is_sent(tmp_path: Path) -> None:
    transport = MaildirTransport(tmp_path / "council.maildir")
    message = build_mail(
        outbox_row(), sender="x@kk.example", now=datetime(2009, 12, 31, 7, tzinfo=UTC)
    )
    with transport.connect() as send:
        send(message, [])
        send(message, [])
    files = list((tmp_path / "council.maildir" / "new").iterdir())
    assert len(files) == 1
    assert list((tmp_path / "council.maildir" / "tmp").iterdir()) == []
    # a mail client moves it to cur/ and marks it seen: still not written again
    files[0].rename(tmp_path / "council.maildir" / "cur" / (files[0].name + ":2,S"))
    with transport.connect() as send:
        send(message, [])
    assert list((tmp_path / "council.maildir" / "new").iterdir()) == []


def test_retries_back_off_doubling_up_to_the_maximum() -> None:
    policy = RetryPolicy(first_minutes=1, max_minutes=60)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 7, 8, 100)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 60, 60, 60)
    ]


def test_smtp_when_a_host_is_set_else_a_maildir_next_to_the_database(tmp_path: Path) -> None:
    smtp = transport_for(
        load_settings(smtp_host="smtp.kk.example", smtp_user="u", smtp_password="p"),
        database_path=tmp_path / "council.db",
    )
    assert isinstance(smtp, SmtpTransport)
    assert (smtp.host, smtp.port, smtp.starttls, smtp.user, smtp.password) == (
        "smtp.kk.example", 587, True, "u", "p",
    )  # fmt: skip
    assert smtp.describe() == "smtp://smtp.kk.example:587"
    beside = transport_for(load_settings(), database_path=tmp_path / "council.db")
    assert beside == MaildirTransport(tmp_path / "council.maildir")
    assert default_maildir(Path("/srv/council-demo.db")) == Path("/srv/council-demo.maildir")
    chosen = transport_for(load_settings(maildir=tmp_path / "mail"), database_path=None)
    assert chosen == MaildirTransport(tmp_path / "mail")
    with pytest.raises(DeliveryError, match="sæt COUNCIL_SMTP_HOST, eller COUNCIL_MAILDIR"):
        transport_for(load_settings(), database_path=None)


def test_an_smtp_server_that_cannot_be_reached_is_a_delivery_error() -> None:
    from mailserver import free_port

    transport = SmtpTransport(host="127.0.0.1", port=free_port(), starttls=False, timeout=2)
    with (
        pytest.raises(DeliveryError, match=r"kan ikke nå smtp://127\.0\.0\.1"),
        transport.connect(),
    ):
        pass


@pytest.mark.parametrize(
    "typed",
    ["", 'Mål "resultater" \\ <b>&</b>', "linje 1\nlinje 2\ttab\x00\x1f", "ÆØÅ – “citat” 💡"],
)
def test_the_facts_kept_with_a_step_are_json_that_reads_back_what_was_typed(typed: str) -> None:
    facts = reminder_text.line_facts(
        line(case_title=typed, about=typed, escalate_every_days=None),
        cadence_interval=2,
        linked=reminder_text.linked_facts(
            [LinkedItem(4, typed, "udsat")], {"udsat": "Udsat"}, audience=MAIL
        ),
    )
    the_step = step("overdue-2", "overdue", date(2010, 1, 14))
    assert json.loads(
        reminder_text.snapshot(facts, reminder_text.step_facts(PERIOD, the_step))
    ) == {
        "v": reminder_text.FACTS_VERSION,
        "case_number": "2010-4130",
        "case_title": typed,
        "case_owner": "Socialforvaltningen",
        "committee_code": "BIU",
        "committee_name": "Beskæftigelses- og Integrationsudvalget",
        "about": typed,
        "cadence_interval": 2,
        "obligation_start": "2008-08-01",
        "obligation_end": "2010-12-31",
        "escalate_every_days": None,
        "linked": [{"id": 4, "title": typed, "state": "Udsat"}],
        "period_start": "2008-08-01",
        "due": "2009-12-31",
        "day": "2010-01-14",
    }


_WORDS = st.text(
    alphabet=st.sampled_from("abcæøåÆØÅéü–“”💡😀0123456789()<>&\"'.,:;-/?=_"),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(_WORDS, max_size=12),
    text=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=400
    ),
    recipients=st.integers(min_value=1, max_value=12),
)
def test_the_wire_form_reads_back_what_was_written_in_lines_of_at_most_78(
    words: list[str], text: str, recipients: int
) -> None:
    subject = " ".join(words)
    to = [f"modtager{number}@kk.example" for number in range(recipients)]
    mail = build_mail(
        outbox_row(subject=subject, body_text=text, body_html=f"<p>{text}</p>", recipients=to),
        sender="Københavns Kommune <paamindelser@kk.example>",
        now=datetime(2009, 12, 31, 7, tzinfo=UTC),
    )
    assert all(len(line) <= 78 for line in mail.data.split(b"\r\n"))
    assert b"\n" not in mail.data.replace(b"\r\n", b"")
    message = mail.message
    # the standard library writes the message it reads back as the very same bytes
    assert message.as_bytes(policy=message.policy.clone(linesep="\r\n")) == mail.data
    assert message["Subject"] == subject
    assert [address.addr_spec for address in message["To"].addresses] == to
    assert message["From"].addresses[0].display_name == "Københavns Kommune"
    assert mail.sender == "paamindelser@kk.example"
    plain, html = (part.get_content() for part in message.iter_parts())
    ended = text if text.endswith("\n") else text + "\n"
    assert plain == ended
    assert html == f"<p>{text}</p>\n"


def test_a_header_value_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="linjeskift"):
        build_mail(
            outbox_row(subject="Frist\r\nBcc: alle@kk.example"),
            sender="x@kk.example",
            now=datetime(2009, 12, 31, 7, tzinfo=UTC),
        )
