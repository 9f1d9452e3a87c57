"""A database with at least one row in every audited table, for the audit tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from reminding import add_obligation
from support import Scenario, at

from council.notifications.messages import Mail
from council.notifications.transports import Send
from council.workflow import accounts, obligation_services, services
from council.workflow.services import corrections as correction_acts
from council.workflow.services import goals as goal_acts
from council.workflow.services import item_edits
from council.workflow.services import meetings as meeting_acts


class Kept:
    """A transport that keeps what it is given, each message as its reader sees it."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def describe(self) -> str:
        return "kept"

    @contextmanager
    def connect(self) -> Iterator[Send]:
        def send(message: Mail, _recipients: list[str]) -> str | None:
            self.messages.append(message.message)
            return None

        yield send


def build_records(scenario: Scenario) -> Scenario:
    """One row at least in every audited table: two cases, two meetings (the first held
    and its minutes approved), an open item with attachments and two decisions, a closed
    item whose decision and title were corrected, the first meeting's absent member, an
    obligation with a linked item, a result goal with a target, a revision and a reported
    value, reminders written, rendered and sent, a user."""
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
    meeting_acts.record_attendance(
        app.database.unit_of_work(),
        meeting_ref=str(first),
        absent=["Karina Vestergård"],
        reason="afbud",
        actor="clerk",
        now=at("2010-01-26 16:00"),
    )
    scenario.decide(item, "udsat")
    services.close_meeting(
        app.database.unit_of_work(),
        app.rulebook,
        meeting_ref=str(first),
        actor="clerk",
        now=at("2010-01-26 18:00"),
    )
    meeting_acts.approve_minutes(
        app.database.unit_of_work(),
        meeting_ref=str(first),
        actor="clerk",
        now=at("2010-02-23 15:00"),
    )
    scenario.present(item, second, when="2010-02-10 09:00")
    scenario.decide(item, "taget til efterretning", when="2010-02-23 17:00")
    scenario.present(secret, second, when="2010-02-10 09:30")
    scenario.decide(secret, "godkendt", when="2010-02-23 17:10")
    correction_acts.correct_decision(
        app.database.unit_of_work(),
        app.rulebook,
        item_id=secret,
        to="ikke godkendt",
        reason="Udvalget forkastede indstillingen; fejlregistreret",
        actor="clerk",
        now=at("2010-02-23 17:30"),
    )
    item_edits.edit_item(
        app.database.unit_of_work(),
        app.rulebook,
        item_id=secret,
        changes=item_edits.ItemChanges(title="Personsag om bevilling", summary="Resumé"),
        reason="Titlen var for kort",
        actor="clerk",
        now=at("2010-02-23 17:40"),
    )
    add_obligation(app)
    obligation_services.link_item(
        app.database.unit_of_work(),
        obligation_ref="2",
        item_id=item,
        actor="clerk",
        now=at("2010-02-23 18:00"),
    )
    goal_acts.add_goal(
        app.database.unit_of_work(),
        obligation_ref="2",
        name="Brugere",
        targets=["750"],
        actor="clerk",
        now=at("2010-02-23 18:05"),
    )
    goal_acts.revise_goal(
        app.database.unit_of_work(),
        obligation_ref="2",
        name="Brugere",
        target="800",
        reason="flere boligområder",
        actor="clerk",
        now=at("2010-02-23 18:10"),
    )
    goal_acts.report_values(
        app.database.unit_of_work(),
        fulfilling_states=app.rulebook.definition.fulfilling_states,
        item_id=item,
        values=[goal_acts.GoalValueGiven("Brugere", "1.242")],
        actor="clerk",
        now=at("2010-02-23 18:15"),
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
