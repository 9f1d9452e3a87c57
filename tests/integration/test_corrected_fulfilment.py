"""A decision corrected to or from an outcome that fulfils a yearly status obligation.

Fulfilment is derived from the decisions, so it follows a correction at once; the sweep's
bookmark follows too: a period no longer fulfilled is reminded of as one never fulfilled
(from the next sweep on), and a correction back to a fulfilling outcome stops its
reminders again. Time is injected throughout.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from audited_records import Kept
from reminding import add_obligation
from support import Scenario, at, audit_head_held, waiting_until

from council.cases.audit_verify import verify
from council.cases.obligations import outbox as outbox_store
from council.workflow import obligation_services
from council.workflow.read_models import obligations as obligation_reads
from council.workflow.services import corrections


def sweep(scenario: Scenario, when: str) -> list[tuple[str, str]]:
    """One sweep and delivery at ``when``; then every (period, step) in the outbox."""
    obligation_services.run_reminders(scenario.app, now=at(when), transport=Kept())
    with scenario.app.database.reading() as session:
        return [
            (row.message.period_key, row.message.step_key) for row in outbox_store.listing(session)
        ]


def state_2009(scenario: Scenario, when: str) -> str:
    rows = obligation_reads.obligation_table(scenario.app, now=at(when))
    [row] = [row for row in rows if row.period.key == "2009"]
    return obligation_reads.describe_state(row)


def correct(scenario: Scenario, item: int, to: str, when: str) -> None:
    corrections.correct_decision(
        scenario.app.database.unit_of_work(),
        scenario.app.rulebook,
        item_id=item,
        to=to,
        reason="fejlregistreret",
        actor="clerk",
        now=at(when),
    )


@pytest.mark.parametrize(
    "ends_on",
    [date(2010, 12, 31), date(2009, 12, 31)],
    ids=["a later period's reminder bookmarked", "no reminder left, the bookmark cleared"],
)
def test_a_fulfilment_taken_back_by_a_correction_is_reminded_again_until_fulfilled_again(
    scenario: Scenario, ends_on: date
) -> None:
    add_obligation(scenario.app, committee_codes=["BIU"], ends_on=ends_on)  # BIU/2009: 31.12.
    meeting = scenario.meeting("BIU", "2009-10-27")
    item = scenario.draft("BIU")
    obligation_services.link_item(
        scenario.uow(), obligation_ref="1", item_id=item, actor="clerk", now=at("2009-10-01 09:00")
    )
    scenario.present(item, meeting, when="2009-10-01 09:10")
    scenario.decide(item, "taget til efterretning", when="2009-10-27 17:00")
    # fulfilled before its first reminder (lead-60, 01.11.2009): no reminder of 2009
    assert sweep(scenario, "2009-11-02 08:05") == []
    assert state_2009(scenario, "2009-11-02 09:00").startswith("opfyldt")

    correct(scenario, item, "udsat", "2009-11-20 10:00")  # the status was postponed after all

    assert not state_2009(scenario, "2009-11-20 10:05").startswith("opfyldt")
    # the next sweep catches up as for a period never fulfilled: lead-60 is written
    assert sweep(scenario, "2009-11-20 10:05") == [("2009", "lead-60")]
    assert sweep(scenario, "2009-12-17 08:05") == [("2009", "lead-60"), ("2009", "lead-14")]

    correct(scenario, item, "taget til efterretning", "2009-12-20 10:00")

    assert state_2009(scenario, "2009-12-20 10:05").startswith("opfyldt")
    # fulfilled again (on the decision's day): the due-day reminder is not written
    assert sweep(scenario, "2010-01-08 08:05") == [("2009", "lead-60"), ("2009", "lead-14")]
    with scenario.app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem


def test_a_sweep_while_a_fulfilment_is_taken_back_reminds_of_the_period_on_postgresql(
    scenario: Scenario, database_url: str
) -> None:
    """The correction is held at the audit head after taking the item's obligation lines;
    a sweep meanwhile waits for them, then reads the corrected fulfilment: the period's
    first reminder is written, where a sweep that read the fulfilment being taken back
    moved the bookmark past the period and its reminders were never written."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite serialises a sweep's read and write with BEGIN IMMEDIATE")
    add_obligation(scenario.app, committee_codes=["BIU"], ends_on=date(2010, 12, 31))
    meeting = scenario.meeting("BIU", "2009-10-27")
    item = scenario.draft("BIU")
    obligation_services.link_item(
        scenario.uow(), obligation_ref="1", item_id=item, actor="clerk", now=at("2009-10-01 09:00")
    )
    scenario.present(item, meeting, when="2009-10-01 09:10")
    scenario.decide(item, "taget til efterretning", when="2009-10-27 17:00")
    # the line is due (lead-60 of 2009, 01.11.2009) and has not been swept yet
    with ThreadPoolExecutor(max_workers=2) as pool, audit_head_held(scenario):
        corrected = pool.submit(correct, scenario, item, "udsat", "2009-11-02 08:00")
        waiting_until(scenario, 1)
        swept = pool.submit(sweep, scenario, "2009-11-02 08:05")
        waiting_until(scenario, 2)
    corrected.result(timeout=60)
    assert swept.result(timeout=60) == [("2009", "lead-60")]
    assert sweep(scenario, "2009-12-17 08:05") == [("2009", "lead-60"), ("2009", "lead-14")]
    with scenario.app.database.reading() as session:
        assert verify(session).ok
