"""The transitions rulebook: every configured move works, every other is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from council.cases.models import AgendaEntry, AgendaItem, Committee, Meeting
from council.config.settings import CONFIG_DIR
from council.workflow.errors import GuardRefused, TransitionRefused, UnknownOutcomeError
from council.workflow.guards import TransitionContext
from council.workflow.machine import ItemState, Rulebook, load_rulebook

RULEBOOK = load_rulebook(CONFIG_DIR / "workflow.toml")
BIU = Committee(
    id=1, code="BIU", name="Beskæftigelses- og Integrationsudvalget", administration="BIF"
)
SUD = Committee(id=2, code="SUD", name="Socialudvalget", administration="SOF")
NOW = datetime(2010, 1, 1, tzinfo=UTC)


def item(state: str, kind: str = "orientering") -> AgendaItem:
    return AgendaItem(
        id=7,
        case_id=1,
        committee_id=1,
        title="Status",
        kind=kind,
        administration="BIF",
        state=state,
        version=1,
        created_at=NOW,
    )


def meeting(
    committee: Committee = BIU, on: date = date(2010, 2, 23), held: bool = False
) -> Meeting:
    return Meeting(
        id=3, committee_id=committee.id, date=on, created_at=NOW, held_at=NOW if held else None
    )


def context_for(subject: AgendaItem, **changes: object) -> TransitionContext:
    values: dict[str, object] = {
        "item": subject,
        "committee": BIU,
        "meeting": meeting(),
        "meeting_committee": BIU,
        "decided_on": date(2010, 2, 23),
    }
    values.update(changes)
    return TransitionContext(**values)  # type: ignore[arg-type]


def fire(
    rulebook: Rulebook, trigger: str, state: str, kind: str = "orientering", **changes: object
) -> str:
    move = next(t for t in rulebook.definition.transitions if t.trigger == trigger)
    holder = ItemState(state)
    rulebook.fire(move, holder, context_for(item(state, kind), **changes))
    return holder.state


ALL_MOVES = [
    (t.trigger, source, t.dest, t.guards)
    for t in RULEBOOK.definition.transitions
    for source in t.sources
]


@pytest.mark.parametrize(("trigger", "source", "dest", "guards"), ALL_MOVES)
def test_every_configured_transition_moves_the_item(
    trigger: str, source: str, dest: str, guards: tuple[str, ...]
) -> None:
    kind = "beslutning" if "is_decision_item" in guards else "orientering"
    assert fire(RULEBOOK, trigger, source, kind) == dest


UNCONFIGURED = [
    (t.trigger, state)
    for t in RULEBOOK.definition.transitions
    for state in RULEBOOK.definition.states
    if state not in t.sources
]


@pytest.mark.parametrize(("trigger", "state"), UNCONFIGURED)
def test_every_other_transition_is_refused(trigger: str, state: str) -> None:
    with pytest.raises(TransitionRefused, match="ikke mulig derfra"):
        fire(RULEBOOK, trigger, state)


def test_the_machine_keeps_no_models_registered() -> None:
    fire(RULEBOOK, "present", "drafted")
    assert RULEBOOK.machine.models == []


def test_presenting_at_a_held_meeting_is_refused() -> None:
    with pytest.raises(GuardRefused, match="er allerede holdt"):
        fire(RULEBOOK, "present", "drafted", meeting=meeting(held=True))


def test_presenting_at_another_committees_meeting_is_refused() -> None:
    with pytest.raises(GuardRefused, match="er et andet udvalgs"):
        fire(RULEBOOK, "present", "drafted", meeting=meeting(SUD), meeting_committee=SUD)


def test_an_item_cannot_be_before_two_meetings_at_once() -> None:
    entry = AgendaEntry(
        id=1,
        meeting_id=9,
        item_id=7,
        number=1,
        from_state="drafted",
        actor="x",
        presented_at=NOW,
        audit_seq=1,
    )
    with pytest.raises(GuardRefused, match="står allerede på møde 9"):
        fire(RULEBOOK, "present", "udsat", open_entry=entry)


def test_a_postponed_item_goes_only_to_a_later_meeting() -> None:
    with pytest.raises(GuardRefused, match="kun forelægges et senere møde"):
        fire(RULEBOOK, "present", "udsat", last_treated_on=date(2010, 2, 23))


def test_taking_a_decision_item_to_note_is_refused() -> None:
    with pytest.raises(GuardRefused, match="beslutningssag"):
        fire(RULEBOOK, "take_note", "forelagt", kind="beslutning")


def test_approving_an_orientation_item_is_refused() -> None:
    with pytest.raises(GuardRefused, match="orienteringssag"):
        fire(RULEBOOK, "approve", "forelagt", kind="orientering")


def test_a_decision_dated_before_its_meeting_is_refused() -> None:
    with pytest.raises(GuardRefused, match="ligger før mødet"):
        fire(RULEBOOK, "postpone", "forelagt", decided_on=date(2010, 2, 1))


def test_an_outcome_word_picks_the_transition_from_the_current_state() -> None:
    assert RULEBOOK.decision("forelagt", "udsat", 7).trigger == "postpone"
    assert RULEBOOK.decision("forelagt", "Taget til efterretning", 7).trigger == "take_note"
    with pytest.raises(TransitionRefused, match="kan ikke blive taget til efterretning nu"):
        RULEBOOK.decision("drafted", "taget til efterretning", 7)
    with pytest.raises(UnknownOutcomeError, match="'vedtaget' er ikke et udfald"):
        RULEBOOK.decision("forelagt", "vedtaget", 7)


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("udsat", "udsat"),
        ("Taget til efterretning", "taget_til_efterretning"),
        ("taget_til_efterretning", "taget_til_efterretning"),
        ("ikke godkendt", "ikke_godkendt"),
        ("forkastet", "ikke_godkendt"),
        ("DRØFTET", "drøftet"),
        ("oversendt", "anbefalet"),
        ("udgår", "trukket"),
    ],
)
def test_outcome_words_are_read_in_danish_and_as_code_names(word: str, state: str) -> None:
    assert RULEBOOK.decision("forelagt", word, 7).dest == state


def test_a_refusal_carries_the_item_state_and_outcomes_it_speaks_of() -> None:
    with pytest.raises(TransitionRefused) as refused:
        RULEBOOK.decision("drafted", "godkendt", 7)
    assert (refused.value.item_id, refused.value.state) == (7, "drafted")
    assert refused.value.act == "decide"
    assert refused.value.wanted == "Godkendt" and refused.value.possible == ("Trukket",)
    with pytest.raises(UnknownOutcomeError) as unknown:
        RULEBOOK.decision("forelagt", "sludder", 7)
    assert unknown.value.word == "sludder" and "udsat" in unknown.value.known
    with pytest.raises(GuardRefused) as guarded:
        fire(RULEBOOK, "present", "drafted", meeting=meeting(held=True))
    assert (guarded.value.guard, guarded.value.item_id) == ("meeting_is_unheld", 7)
