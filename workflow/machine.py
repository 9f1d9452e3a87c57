"""The agenda-item machine: a ``transitions`` rulebook built once from config/workflow.toml.

The machine is built with ``model=None`` and fired on a plain :class:`ItemState` holder,
never on an ORM row, so nothing is registered on it and it is shared by every item.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from transitions import EventData, Machine, MachineError

from council.config.workflow_definition import (
    ACTS,
    TransitionDef,
    WorkflowDefinition,
    load_workflow,
    normalise_word,
)
from council.workflow.errors import GuardRefused, TransitionRefused, UnknownOutcomeError
from council.workflow.guards import GUARDS, Guard, TransitionContext


class ItemState:
    """The plain state holder the machine is fired on."""

    def __init__(self, state: str) -> None:
        self.state = state


def _condition(name: str, check: Guard) -> Callable[[EventData], bool]:
    def condition(event: EventData) -> bool:
        context: TransitionContext = event.kwargs["context"]
        refusal = check(context)
        if refusal is not None:
            raise GuardRefused(guard=name, item_id=context.item.id, reason=refusal)
        return True

    condition.__name__ = name
    return condition


class Rulebook:
    """The workflow definition and its machine, shared by the whole process."""

    def __init__(self, definition: WorkflowDefinition) -> None:
        self.definition = definition
        self.presented_states = frozenset(
            t.dest for t in definition.transitions if t.act == "present"
        )
        # Looked up on every transition, so worked out once: every spelling of every
        # outcome (its code name, with spaces, its label and its listed words; where two
        # states share a spelling, the first in the file wins) and the moves out of each
        # state.
        self._outcomes: dict[str, str] = {}
        for name, state in definition.states.items():
            for spelling in (name, name.replace("_", " "), state.label, *state.words):
                self._outcomes.setdefault(normalise_word(spelling), name)
        self._moves = {
            (state, act): tuple(definition.transitions_from(state, act=act))
            for state in definition.states
            for act in ACTS
        }
        self.machine = Machine(
            model=None,
            states=list(definition.states),
            initial=definition.initial,
            transitions=[self._transition_spec(t) for t in definition.transitions],
            send_event=True,
            auto_transitions=False,
        )

    @staticmethod
    def _transition_spec(t: TransitionDef) -> dict[str, Any]:
        return {
            "trigger": t.trigger,
            "source": list(t.sources),
            "dest": t.dest,
            "conditions": [_condition(name, GUARDS[name]) for name in t.guards],
        }

    def label(self, state: str) -> str:
        known = self.definition.states.get(state)
        return known.label if known else state

    def fire(
        self, transition: TransitionDef, holder: ItemState, context: TransitionContext
    ) -> None:
        """Run the guards and move ``holder``; refusals raise, nothing else changes."""
        try:
            moved = self.machine.events[transition.trigger].trigger(holder, context=context)
        except MachineError as exc:
            raise self._refused(
                context.item.id, holder.state, "fire", trigger=transition.trigger
            ) from exc
        if not moved:
            raise self._refused(context.item.id, holder.state, "fire", trigger=transition.trigger)

    def _refused(
        self,
        item_id: int | None,
        state: str,
        act: str,
        *,
        trigger: str | None = None,
        wanted: str | None = None,
        possible: tuple[str, ...] = (),
    ) -> TransitionRefused:
        return TransitionRefused(
            item_id=item_id,
            state=state,
            state_label=self.label(state),
            act=act,
            trigger=trigger,
            wanted=wanted,
            possible=possible,
        )

    def presentation(self, state: str, item_id: int) -> TransitionDef:
        """The transition that puts an item in ``state`` before a meeting."""
        moves = self._moves_from(state, "present")
        if not moves:
            raise self._refused(item_id, state, "present")
        return moves[0]

    def outcome_of(self, outcome_word: str) -> str:
        """The state a typed outcome word names (``forkastet`` -> ``ikke_godkendt``)."""
        outcome = self._outcomes.get(normalise_word(outcome_word))
        if outcome is None:
            raise UnknownOutcomeError(outcome_word, self.outcome_labels())
        return outcome

    def decision(self, state: str, outcome_word: str, item_id: int) -> TransitionDef:
        """The transition a typed outcome asks for, from ``state``."""
        outcome = self._outcomes.get(normalise_word(outcome_word))
        if outcome is None:
            raise UnknownOutcomeError(outcome_word, self.outcome_labels())
        moves = self._moves_from(state, "decide")
        for move in moves:
            if move.dest == outcome:
                return move
        raise self._refused(
            item_id,
            state,
            "decide",
            wanted=self.label(outcome),
            possible=tuple(self.label(m.dest) for m in moves),
        )

    def _moves_from(self, state: str, act: str) -> tuple[TransitionDef, ...]:
        moves = self._moves.get((state, act))
        if moves is None:  # a state the definition does not know: nothing leads out of it
            moves = tuple(self.definition.transitions_from(state, act=act))
        return moves

    def state_named(self, word: str) -> str | None:
        """The state a typed word names (its code name, label or listed words), if any."""
        return self._outcomes.get(normalise_word(word))

    def outcome_labels(self) -> tuple[str, ...]:
        """The outcomes a decision may name, as clerks type them (lower-case labels)."""
        decided = {t.dest for t in self.definition.transitions if t.act == "decide"}
        return tuple(self.label(s).lower() for s in self.definition.states if s in decided)

    def standard_sentence(self, state: str) -> str | None:
        return self.definition.states[state].sentence


def load_rulebook(path: Path) -> Rulebook:
    return Rulebook(load_workflow(path, known_guards=GUARDS))


@lru_cache(maxsize=8)
def shared_rulebook(path: Path) -> Rulebook:
    """One rulebook per workflow file per process."""
    return load_rulebook(path)
