"""A reminder superseded (passed by a later step of its period, so never sent) is an
audited act: written so by a sweep after downtime, or marked so by delivery. Marking a
waiting reminder superseded behind the product's back would silence it; un-marking a
superseded one would send it late: ``audit verify`` names either."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from audited_records import Kept
from reminding import add_obligation
from sqlalchemy import text
from support import Scenario, at, tamper

from council.cases.audit_verify import verify
from council.notifications.delivery import Send
from council.notifications.messages import Mail
from council.workflow import obligation_services


class Down(Kept):
    """A mail server that cannot be reached."""

    @contextmanager
    def connect(self) -> Iterator[Send]:
        def send(_message: Mail, _recipients: list[str]) -> str | None:
            raise OSError("connection refused")

        yield send


def _remind(scenario: Scenario, when: str, transport: Kept) -> None:
    obligation_services.run_reminders(scenario.app, now=at(when), transport=transport)


def _problem(scenario: Scenario) -> str | None:
    with scenario.app.database.reading() as session:
        return verify(session).problem


def _rows(scenario: Scenario) -> dict[str, tuple[int, str, int | None]]:
    with scenario.app.database.engine.connect() as connection:
        found = connection.execute(
            text("SELECT step_key, id, status, superseded_by FROM outbox_message")
        )
        return {step: (row_id, status, by) for step, row_id, status, by in found}


def _lead_and_due(scenario: Scenario) -> None:
    """The seed obligation to SUD alone, its early notices sent on 1 December 2009."""
    add_obligation(scenario.app, committee_codes=["SUD"])
    _remind(scenario, "2009-12-01 08:00", Kept())


def test_a_waiting_reminder_marked_superseded_behind_the_products_back_is_named(
    scenario: Scenario,
) -> None:
    _lead_and_due(scenario)
    _remind(scenario, "2009-12-17 08:00", Down())  # lead-14 written, not sent
    row_id, status, _ = _rows(scenario)["lead-14"]
    assert status != "sent" and _problem(scenario) is None
    tamper(
        scenario.app,
        f"UPDATE outbox_message SET status = 'superseded', superseded_by = {row_id} "
        f"WHERE id = {row_id}",
    )
    problem = _problem(scenario)
    assert problem is not None
    assert f"påmindelse {row_id} afviger" in problem
    assert "'status', 'superseded_by' er ændret direkte i tabellen over påmindelser" in problem


def test_a_supersession_by_delivery_is_audited_and_undoing_it_is_named(
    scenario: Scenario,
) -> None:
    _lead_and_due(scenario)
    _remind(scenario, "2009-12-17 08:00", Down())  # lead-14 written, not sent
    _remind(scenario, "2009-12-31 10:00", Kept())  # due written; delivery passes lead-14
    rows = _rows(scenario)
    lead_id, status, by = rows["lead-14"]
    assert (status, by) == ("superseded", rows["due"][0])
    assert rows["due"][1] == "sent"
    with scenario.app.database.engine.connect() as connection:
        actions = connection.execute(text("SELECT action FROM audit_entry")).scalars().all()
    assert "reminders.superseded" in actions
    assert _problem(scenario) is None
    tamper(
        scenario.app,
        f"UPDATE outbox_message SET status = 'pending', superseded_by = NULL WHERE id = {lead_id}",
    )
    problem = _problem(scenario)
    assert problem is not None
    assert f"påmindelse {lead_id} afviger" in problem
    assert "'status', 'superseded_by' er ændret direkte i tabellen over påmindelser" in problem


def test_a_step_written_superseded_after_downtime_verifies_and_its_pointer_is_covered(
    scenario: Scenario,
) -> None:
    add_obligation(scenario.app, committee_codes=["SUD"])
    _remind(scenario, "2010-01-02 10:00", Kept())  # every step at once: the due one sent
    rows = _rows(scenario)
    lead_id, status, by = rows["lead-14"]
    assert (status, by) == ("superseded", rows["due"][0])
    assert _problem(scenario) is None
    tamper(scenario.app, f"UPDATE outbox_message SET superseded_by = NULL WHERE id = {lead_id}")
    problem = _problem(scenario)
    assert problem is not None and f"påmindelse {lead_id} afviger" in problem
    assert "'superseded_by' er ændret direkte i tabellen over påmindelser" in problem
