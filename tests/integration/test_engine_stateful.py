"""Random sequences of acts against the engine and a small reference model of the rules.

After every step the items' states, the number of recorded decisions and presentations,
and ``audit verify`` must agree with the model.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select
from support import at

from council.cases.audit_verify import verify
from council.cases.models import AgendaEntry, AgendaItem, Decision
from council.config.errors import CouncilError
from council.config.settings import load_settings
from council.workflow import services
from council.workflow.app import App
from council.workflow.initialise import initialise

OUTCOMES = [
    "udsat",
    "drøftet",
    "taget til efterretning",
    "godkendt",
    "ikke godkendt",
    "anbefalet",
    "trukket",
]
STATE_OF_OUTCOME = {
    "udsat": "udsat",
    "drøftet": "drøftet",
    "taget til efterretning": "taget_til_efterretning",
    "godkendt": "godkendt",
    "ikke godkendt": "ikke_godkendt",
    "anbefalet": "anbefalet",
    "trukket": "trukket",
}
FOR_DECISION_ITEMS = {"godkendt", "ikke godkendt", "anbefalet"}
WAITING = {"drafted", "udsat", "drøftet"}
FINAL = {"taget_til_efterretning", "godkendt", "ikke_godkendt", "anbefalet", "trukket"}
ROUTE = {"BIU": "ØU", "SUD": "ØU", "ØU": "BR"}  # recommends_to in config/committees.toml


@dataclass
class ModelItem:
    committee: str
    kind: str
    state: str = "drafted"
    meeting: int | None = None
    last_date: date | None = None


@dataclass
class ModelMeeting:
    committee: str
    on: date
    held: bool = False


@dataclass
class Model:
    items: dict[int, ModelItem] = field(default_factory=dict)
    meetings: dict[int, ModelMeeting] = field(default_factory=dict)
    decisions: int = 0
    presentations: int = 0

    def can_present(self, item_id: int, meeting_id: int) -> bool:
        item, meeting = self.items[item_id], self.meetings[meeting_id]
        return (
            item.state in WAITING
            and not meeting.held
            and meeting.committee == item.committee
            and (item.last_date is None or meeting.on > item.last_date)
        )

    def can_decide(self, item_id: int, outcome: str) -> bool:
        item = self.items[item_id]
        if outcome == "trukket":
            return item.state in WAITING | {"forelagt"}
        if item.state != "forelagt":
            return False
        if outcome == "taget til efterretning":
            return item.kind == "orientering"
        if outcome in FOR_DECISION_ITEMS:
            return item.kind == "beslutning"
        return True

    def can_close(self, meeting_id: int) -> bool:
        meeting = self.meetings[meeting_id]
        return not meeting.held and not any(
            i.state == "forelagt" and i.meeting == meeting_id for i in self.items.values()
        )


@functools.cache
def template_database() -> Path:
    """One initialised database with a case, copied for every example (faster than init)."""
    folder = Path(tempfile.mkdtemp(prefix="council-template-"))
    path = folder / "council.db"
    app = App(settings=load_settings(database_url=f"sqlite:///{path}"))
    initialise(app, actor="test", now=at("2009-01-01 09:00"))
    services.create_case(
        app.database.unit_of_work(),
        number="2010-1",
        title="T",
        owner="SOF",
        actor="t",
        now=at("2009-01-01 09:00"),
    )
    with app.database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    app.database.dispose()
    return path


class EngineAgainstModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        path = Path(self.folder.name) / "council.db"
        shutil.copyfile(template_database(), path)
        self.app = App(settings=load_settings(database_url=f"sqlite:///{path}"))
        self.model = Model()
        self.day = date(2009, 1, 5)
        self.clock = at("2009-01-02 09:00")

    def teardown(self) -> None:
        self.app.database.dispose()
        self.folder.cleanup()

    def tick(self):  # type: ignore[no-untyped-def]
        self.clock += timedelta(minutes=1)
        return self.clock

    def attempt(self, expected_ok: bool, act) -> None:  # type: ignore[no-untyped-def]
        try:
            act()
        except CouncilError:
            assert not expected_ok, "the engine refused a move the model allows"
        else:
            assert expected_ok, "the engine allowed a move the model refuses"

    @rule(
        committee=st.sampled_from(["BIU", "SUD"]),
        kind=st.sampled_from(["orientering", "beslutning"]),
    )
    def draft(self, committee: str, kind: str) -> None:
        item = services.draft_item(
            self.app.database.unit_of_work(),
            self.app.rulebook,
            case_number="2010-1",
            committee_code=committee,
            draft=services.ItemDraft(title="Punkt", kind=kind),
            actor="clerk",
            now=self.tick(),
        )
        assert item.id is not None
        self.model.items[item.id] = ModelItem(committee, kind)

    @rule(committee=st.sampled_from(["BIU", "SUD"]), gap=st.integers(1, 40))
    def meeting(self, committee: str, gap: int) -> None:
        self.day += timedelta(days=gap)
        meeting = services.create_meeting(
            self.app.database.unit_of_work(),
            committee_code=committee,
            on=self.day,
            actor="clerk",
            now=self.tick(),
        )
        assert meeting.id is not None
        self.model.meetings[meeting.id] = ModelMeeting(committee, self.day)

    def _present(self, item_id: int, meeting_id: int) -> None:
        allowed = self.model.can_present(item_id, meeting_id)
        self.attempt(
            allowed,
            lambda: services.present_item(
                self.app.database.unit_of_work(),
                self.app.rulebook,
                item_id=item_id,
                meeting_ref=str(meeting_id),
                actor="clerk",
                now=self.tick(),
            ),
        )
        if allowed:
            item = self.model.items[item_id]
            item.state, item.meeting = "forelagt", meeting_id
            item.last_date = self.model.meetings[meeting_id].on
            self.model.presentations += 1

    @precondition(lambda self: self.model.items and self.model.meetings)
    @rule(data=st.data())
    def present_at_any_meeting(self, data: st.DataObject) -> None:
        self._present(
            data.draw(st.sampled_from(sorted(self.model.items))),
            data.draw(st.sampled_from(sorted(self.model.meetings))),
        )

    @precondition(lambda self: self.model.items and self.model.meetings)
    @rule(data=st.data())
    def present_at_the_newest_own_meeting(self, data: st.DataObject) -> None:
        item_id = data.draw(st.sampled_from(sorted(self.model.items)))
        own = [
            m
            for m, meeting in self.model.meetings.items()
            if meeting.committee == self.model.items[item_id].committee
        ]
        if own:
            self._present(item_id, own[-1])

    def _decide(self, item_id: int, outcome: str) -> None:
        allowed = self.model.can_decide(item_id, outcome)
        self.attempt(
            allowed,
            lambda: services.decide_item(
                self.app.database.unit_of_work(),
                self.app.rulebook,
                item_id=item_id,
                outcome=outcome,
                actor="clerk",
                now=self.tick(),
            ),
        )
        if allowed:
            item = self.model.items[item_id]
            item.state, item.meeting = STATE_OF_OUTCOME[outcome], None
            self.model.decisions += 1
            if outcome == "anbefalet":
                self._referred_on(item)

    def _referred_on(self, item: ModelItem) -> None:
        """A recommendation gives the next body of the route an item of the case, unless
        one of its items of the case is still open."""
        target = ROUTE[item.committee]
        if any(i.committee == target and i.state not in FINAL for i in self.model.items.values()):
            return
        self.model.items[max(self.model.items) + 1] = ModelItem(target, item.kind)

    @precondition(lambda self: self.model.items)
    @rule(data=st.data(), outcome=st.sampled_from(OUTCOMES))
    def decide_any_item(self, data: st.DataObject, outcome: str) -> None:
        self._decide(data.draw(st.sampled_from(sorted(self.model.items))), outcome)

    @precondition(lambda self: any(i.state == "forelagt" for i in self.model.items.values()))
    @rule(data=st.data(), outcome=st.sampled_from(OUTCOMES))
    def decide_an_item_before_the_committee(self, data: st.DataObject, outcome: str) -> None:
        before = [i for i, item in self.model.items.items() if item.state == "forelagt"]
        self._decide(data.draw(st.sampled_from(before)), outcome)

    @precondition(lambda self: self.model.meetings)
    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        meeting_id = data.draw(st.sampled_from(sorted(self.model.meetings)))
        allowed = self.model.can_close(meeting_id)
        self.attempt(
            allowed,
            lambda: services.close_meeting(
                self.app.database.unit_of_work(),
                self.app.rulebook,
                meeting_ref=str(meeting_id),
                actor="clerk",
                now=self.tick(),
            ),
        )
        if allowed:
            self.model.meetings[meeting_id].held = True

    @invariant()
    def records_agree_with_the_model_and_the_audit_trail(self) -> None:
        with self.app.database.reading() as session:
            states = dict(session.execute(select(AgendaItem.id, AgendaItem.state)).all())
            assert states == {i: m.state for i, m in self.model.items.items()}
            assert (
                session.scalar(select(func.count()).select_from(Decision)) == self.model.decisions
            )
            assert (
                session.scalar(select(func.count()).select_from(AgendaEntry))
                == self.model.presentations
            )
            report = verify(session)
            assert report.ok, report.problem


TestEngineAgainstModel = EngineAgainstModel.TestCase
TestEngineAgainstModel.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
