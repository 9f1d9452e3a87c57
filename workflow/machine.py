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
        refusal = check(event.kwargs["context"])
        if refusal is not None:
            raise GuardRefused(refusal, guard=name)
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
        # outcome (as WorkflowDefinition.outcome_for matches them, first state wins) and
        # the moves out of each state.
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
            raise TransitionRefused(
                f"item {context.item.id} is {self.label(holder.state).lower()}; "
                f"'{transition.trigger}' is not possible from there"
            ) from exc
        if not moved:
            raise TransitionRefused(f"'{transition.trigger}' did not move item {context.item.id}")

    def presentation(self, state: str, item_id: int) -> TransitionDef:
        """The transition that puts an item in ``state`` before a meeting."""
        moves = self._moves_from(state, "present")
        if not moves:
            raise TransitionRefused(
                f"item {item_id} is {self.label(state).lower()} and cannot be put before a "
                "meeting from there"
            )
        return moves[0]

    def decision(self, state: str, outcome_word: str, item_id: int) -> TransitionDef:
        """The transition a typed outcome asks for, from ``state``."""
        outcome = self._outcomes.get(normalise_word(outcome_word))
        if outcome is None:
            raise UnknownOutcomeError(
                f"'{outcome_word}' is not an outcome; use one of: {self.outcome_names()}"
            )
        moves = self._moves_from(state, "decide")
        for move in moves:
            if move.dest == outcome:
                return move
        allowed = ", ".join(self.label(m.dest).lower() for m in moves) or "none"
        raise TransitionRefused(
            f"item {item_id} is {self.label(state).lower()}: it cannot be "
            f"{self.label(outcome).lower()} now (possible outcomes: {allowed})"
        )

    def _moves_from(self, state: str, act: str) -> tuple[TransitionDef, ...]:
        moves = self._moves.get((state, act))
        if moves is None:  # a state the definition does not know: nothing leads out of it
            moves = tuple(self.definition.transitions_from(state, act=act))
        return moves

    def outcome_names(self) -> str:
        decided = {t.dest for t in self.definition.transitions if t.act == "decide"}
        return ", ".join(self.label(s).lower() for s in self.definition.states if s in decided)

    def standard_sentence(self, state: str) -> str | None:
        return self.definition.states[state].sentence


def load_rulebook(path: Path) -> Rulebook:
    return Rulebook(load_workflow(path, known_guards=GUARDS))


@lru_cache(maxsize=8)
def shared_rulebook(path: Path) -> Rulebook:
    """One rulebook per workflow file per process."""
    return load_rulebook(path)
