"""Transitions on a real SQLite file: one transaction each, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from support import Scenario, at

from council.cases import audit, items, transitions
from council.cases.audit_verify import verify
from council.cases.errors import ConflictError
from council.cases.item_records import DecisionImage, EntryImage
from council.cases.models import AgendaItem, AuditEntry, Decision
from council.config.settings import CONFIG_DIR, load_settings
from council.workflow import services
from council.workflow.app import App
from council.workflow.errors import GuardRefused, TransitionRefused
from council.workflow.initialise import initialise


def state_of(app: App, item_id: int) -> tuple[str, int]:
    with app.database.reading() as session:
        item = session.get(AgendaItem, item_id)
        assert item is not None
        return item.state, item.version


def test_a_postponed_item_is_taken_to_note_at_a_later_meeting(scenario: Scenario) -> None:
    first, second = scenario.meeting("BIU", "2010-01-26"), scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft()
    scenario.present(item, first)
    postponed = scenario.decide(item, "udsat")
    scenario.present(item, second, when="2010-02-10 09:00")
    noted = scenario.decide(item, "taget til efterretning", when="2010-02-23 17:00")

    assert postponed.text == "Indstillingen blev udsat."
    assert postponed.decided_on.isoformat() == "2010-01-26"
    assert noted.to_state == "taget_til_efterretning"
    assert noted.decided_on.isoformat() == "2010-02-23"
    assert state_of(scenario.app, item) == ("taget_til_efterretning", 5)
    with scenario.app.database.reading() as session:
        decisions = session.scalars(select(Decision).order_by(Decision.id)).all()
        assert [(d.outcome, d.text, d.meeting_id) for d in decisions] == [
            ("udsat", "Indstillingen blev udsat.", first),
            ("taget_til_efterretning", "Indstillingen blev taget til efterretning.", second),
        ]
        assert verify(session).ok


def test_a_decision_keeps_its_verbatim_text_beside_the_outcome(scenario: Scenario) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft(kind="beslutning")
    scenario.present(item, meeting)
    text = "Indstillingen blev godkendt med den bemærkning, at status gives igen i 2011."
    result = scenario.decide(item, "godkendt", text=text, when="2010-02-23 18:00")
    with scenario.app.database.reading() as session:
        decision = session.get(Decision, result.decision_id)
        assert decision is not None
        assert (decision.outcome, decision.text) == ("godkendt", text)


def test_a_step_that_raises_rolls_back_the_whole_transition(
    scenario: Scenario, snapshot: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft()
    scenario.present(item, meeting)
    before = snapshot()

    def broken_append(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(audit, "append", broken_append)
    with pytest.raises(RuntimeError, match="disk on fire"):
        scenario.decide(item, "udsat")
    assert snapshot() == before
    assert state_of(scenario.app, item) == ("forelagt", 2)


def test_a_refused_transition_changes_nothing(
    scenario: Scenario, snapshot: Callable[[], str]
) -> None:
    item = scenario.draft()
    before = snapshot()
    with pytest.raises(TransitionRefused):
        scenario.decide(item, "taget til efterretning")
    held = scenario.meeting("BIU", "2010-01-12")
    with scenario.app.database.unit_of_work() as uow:
        from council.cases.models import Meeting

        meeting = uow.session.get(Meeting, held)
        assert meeting is not None
        meeting.held_at = at("2010-01-12 18:00")
        uow.commit()
    before = snapshot()
    with pytest.raises(GuardRefused, match="er allerede holdt"):
        scenario.present(item, held)
    assert snapshot() == before


def test_a_second_clerk_working_from_a_stale_read_gets_a_conflict(scenario: Scenario) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft()
    _, version_read_by_both = state_of(scenario.app, item)
    services.present_item(
        scenario.uow(),
        scenario.app.rulebook,
        item_id=item,
        meeting_ref=str(meeting),
        actor="clerk A",
        now=at("2010-02-01 09:00"),
        expected_version=version_read_by_both,
    )
    with pytest.raises(ConflictError, match="ændret af en anden") as conflict:
        services.decide_item(
            scenario.uow(),
            scenario.app.rulebook,
            item_id=item,
            outcome="trukket",
            actor="clerk B",
            now=at("2010-02-01 09:01"),
            expected_version=version_read_by_both,
        )
    assert conflict.value.expected_version == 1 and conflict.value.actual_version == 2
    assert state_of(scenario.app, item) == ("forelagt", 2)


def test_a_concurrent_write_between_read_and_update_is_a_conflict(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compare-and-set on the version column catches a change the read did not see."""
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft()
    original = transitions.store_state

    def interleaved(uow, row, state):  # type: ignore[no-untyped-def]
        uow.session.execute(
            AgendaItem.__table__.update()  # type: ignore[attr-defined]
            .where(AgendaItem.__table__.c.id == row.id)  # type: ignore[attr-defined]
            .values(version=row.version + 1)
        )
        original(uow, row, state)

    monkeypatch.setattr(transitions, "store_state", interleaved)
    with pytest.raises(ConflictError) as conflict:
        scenario.present(item, meeting)
    monkeypatch.undo()
    assert (conflict.value.item_id, conflict.value.expected_version) == (item, 1)
    assert conflict.value.actual_version == 2  # as the other writer left it, before rollback
    assert state_of(scenario.app, item) == ("drafted", 1)


def test_a_changed_workflow_file_changes_behaviour_without_code_changes(
    tmp_path: Path,
) -> None:
    """Dropping the orientation guard in the TOML lets a beslutningssag be taken to note."""
    shipped = (CONFIG_DIR / "workflow.toml").read_text(encoding="utf-8")
    changed = shipped.replace(
        'guards = ["is_orientation_item", "decided_on_or_after_meeting"]',
        'guards = ["decided_on_or_after_meeting"]',
    )
    assert changed != shipped
    workflow_file = tmp_path / "workflow.toml"
    workflow_file.write_text(changed, encoding="utf-8")

    outcomes = {}
    for name, settings_file in (
        ("shipped", CONFIG_DIR / "workflow.toml"),
        ("changed", workflow_file),
    ):
        app = App(
            settings=load_settings(
                database_url=f"sqlite:///{tmp_path}/{name}.db", workflow_file=settings_file
            )
        )
        initialise(app, actor="test", now=at("2010-01-01 09:00"))
        services.create_case(
            app.database.unit_of_work(),
            number="2010-1",
            title="T",
            owner="BIF",
            actor="t",
            now=at("2010-01-01 09:00"),
        )
        scenario = Scenario(app, case_number="2010-1")
        meeting = scenario.meeting("BIU", "2010-02-23")
        item = scenario.draft(kind="beslutning")
        scenario.present(item, meeting)
        try:
            outcomes[name] = scenario.decide(item, "taget til efterretning").to_state
        except GuardRefused:
            outcomes[name] = "refused"
        app.database.dispose()
    assert outcomes == {"shipped": "refused", "changed": "taget_til_efterretning"}


@pytest.mark.sqlite_only
def test_timestamps_are_stored_in_utc_and_read_back_aware(
    scenario: Scenario, db_path: Path
) -> None:
    import sqlite3

    scenario.draft()
    raw = sqlite3.connect(db_path).execute("SELECT created_at FROM agenda_item").fetchone()[0]
    assert raw.startswith("2010-01-04 08:00:00")
    with scenario.app.database.reading() as session:
        item = session.scalars(select(AgendaItem)).one()
        assert item.created_at.utcoffset() is not None
        assert item.created_at == at("2010-01-04 09:00")


@pytest.mark.sqlite_only
def test_the_sqlite_file_runs_in_wal_mode_with_foreign_keys(scenario: Scenario) -> None:
    with scenario.app.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_a_transitions_audit_entry_holds_the_image_of_the_row_it_wrote(scenario: Scenario) -> None:
    """The agenda entry and the decision a transition writes, the images its audit entry
    holds of them, and what the act returns are one shape: read back from the table, each
    row's image is the one in its entry's body (what audit verify compares)."""
    meeting = scenario.meeting("BIU", "2010-01-26")
    item = scenario.draft()
    presented = scenario.present(item, meeting)
    decided = scenario.decide(item, "udsat", text="Udsat til næste møde.")
    with scenario.app.database.reading() as session:
        bodies = {
            row.seq: json.loads(row.body)["data"] for row in session.scalars(select(AuditEntry))
        }
        entry = items.latest_entry(session, item)
        [(decision, on)] = items.decisions_of(session, item)
    assert entry is not None and entry == presented.record
    assert EntryImage.from_body(bodies[entry.audit_seq]["agenda_entry"]) == entry.image()
    assert decision == decided.record and on == decision.decided_on
    assert DecisionImage.from_body(bodies[decision.audit_seq]["decision"]) == decision.image()
    assert decision.image() == DecisionImage(
        decision.id, "udsat", "Udsat til næste møde.", "2010-01-26", None
    )
    assert "referred_to" not in bodies[decision.audit_seq]["decision"]


def test_a_referral_is_in_the_decision_row_its_image_and_its_audit_entry(
    scenario: Scenario,
) -> None:
    meeting = scenario.meeting("BIU", "2010-01-26")
    item = scenario.draft(kind="beslutning")
    scenario.present(item, meeting)
    decided = scenario.decide(
        item, "anbefalet", referred_to=("Økonomiudvalget", "Borgerrepræsentationen")
    )
    with scenario.app.database.reading() as session:
        [(decision, _on)] = items.decisions_of(session, item)
        body = json.loads(session.get(AuditEntry, decision.audit_seq).body)["data"]  # type: ignore[union-attr]
    assert decision == decided.record
    assert decision.referred_to == ["Økonomiudvalget", "Borgerrepræsentationen"]
    assert body["decision"]["referred_to"] == ["Økonomiudvalget", "Borgerrepræsentationen"]
    assert DecisionImage.from_body(body["decision"]) == decision.image()
    assert verify_ok(scenario)


def verify_ok(scenario: Scenario) -> bool:
    with scenario.app.database.reading() as session:
        return verify(session).ok
