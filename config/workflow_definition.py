"""The agenda-item workflow as data, read and validated from ``config/workflow.toml``.

This module only describes the machine; ``workflow.machine`` builds the ``transitions``
rulebook from it. Validation follows python-statemachine's habits: the definition is
refused when loaded unless every state is reachable, only final states lack exits and
every guard name is one the caller knows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from council.config.errors import WorkflowDefinitionError
from council.config.roles import ROLES
from council.config.toml_files import read_toml

ACTS = ("present", "decide")


@dataclass(frozen=True)
class StateDef:
    name: str
    label: str
    sentence: str | None
    words: tuple[str, ...]
    final: bool
    fulfils: bool


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    act: str
    sources: tuple[str, ...]
    dest: str
    guards: tuple[str, ...]
    roles: tuple[str, ...] = ()  # the account roles that may fire it (the web application)
    label: str = ""  # the Danish words on its button, e.g. "Tag til efterretning"


@dataclass(frozen=True)
class WorkflowDefinition:
    path: Path
    initial: str
    states: dict[str, StateDef]
    transitions: tuple[TransitionDef, ...]
    carry_over: frozenset[str]

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(name for name, state in self.states.items() if state.final)

    @property
    def fulfilling_states(self) -> frozenset[str]:
        return frozenset(name for name, state in self.states.items() if state.fulfils)

    def transitions_from(self, state: str, *, act: str) -> list[TransitionDef]:
        return [t for t in self.transitions if t.act == act and state in t.sources]

    def transitions_for(self, state: str, role: str) -> list[TransitionDef]:
        """Every transition out of ``state`` that ``role`` may fire, in the file's order."""
        return [t for t in self.transitions if state in t.sources and role in t.roles]


def normalise_word(word: str) -> str:
    """Case-, accent-form- and spacing-insensitive form of a typed word."""
    text = unicodedata.normalize("NFC", word).casefold().replace("_", " ").replace("-", " ")
    return " ".join(text.split())


def load_workflow(path: Path, *, known_guards: Iterable[str]) -> WorkflowDefinition:
    """Read and validate ``path``; any flaw is one ``WorkflowDefinitionError`` line."""
    data = read_toml(path)
    states = _parse_states(path, data.get("states"))
    initial = _parse_initial(path, data.get("workflow"), states)
    carry_over = _parse_carry_over(path, data["workflow"], states)
    roles = _parse_roles(path, "[workflow]", data["workflow"].get("roles", list(ROLES)))
    transitions = _parse_transitions(
        path, data.get("transition"), states, set(known_guards), default_roles=roles
    )
    definition = WorkflowDefinition(path, initial, states, tuple(transitions), carry_over)
    _check_shape(definition)
    return definition


def _fail(path: Path, where: str, message: str) -> WorkflowDefinitionError:
    return WorkflowDefinitionError(f"{path}: {where}: {message}")


def _parse_initial(path: Path, table: Any, states: dict[str, StateDef]) -> str:
    if not isinstance(table, dict) or not isinstance(table.get("initial"), str):
        raise _fail(path, "[workflow]", "'initial' must name the state new items start in")
    initial: str = table["initial"]
    if initial not in states:
        raise _fail(path, "[workflow]", f"initial state '{initial}' is not a [states] entry")
    return initial


def _parse_carry_over(
    path: Path, table: dict[str, Any], states: dict[str, StateDef]
) -> frozenset[str]:
    names = table.get("carry_over", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _fail(path, "[workflow]", "'carry_over' must be a list of state names")
    for name in names:
        if name not in states:
            raise _fail(path, "[workflow]", f"carry_over names unknown state '{name}'")
    return frozenset(names)


def _parse_roles(path: Path, where: str, names: Any) -> tuple[str, ...]:
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _fail(path, where, "'roles' must be a list of role names")
    for name in names:
        if name not in ROLES:
            raise _fail(path, where, f"unknown role '{name}' (roles: {', '.join(ROLES)})")
    return tuple(names)


def _parse_states(path: Path, table: Any) -> dict[str, StateDef]:
    if not isinstance(table, dict) or not table:
        raise _fail(path, "[states]", "no states defined; add [states.NAME] tables")
    states: dict[str, StateDef] = {}
    for name, entry in table.items():
        where = f"[states.{name}]"
        if not isinstance(entry, dict):
            raise _fail(path, where, "must be a table")
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            raise _fail(path, where, "'label' must be a non-empty string")
        sentence = entry.get("sentence")
        if sentence is not None and not isinstance(sentence, str):
            raise _fail(path, where, "'sentence' must be a string")
        words = entry.get("words", [])
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise _fail(path, where, "'words' must be a list of strings")
        final = entry.get("final", False)
        fulfils = entry.get("fulfils", final)
        if not isinstance(final, bool) or not isinstance(fulfils, bool):
            raise _fail(path, where, "'final' and 'fulfils' must be true or false")
        states[name] = StateDef(name, label, sentence, tuple(words), final, fulfils)
    _check_words_unique(path, states)
    return states


def _check_words_unique(path: Path, states: dict[str, StateDef]) -> None:
    owner: dict[str, str] = {}
    for name, state in states.items():
        for word in {normalise_word(w) for w in (name, state.label, *state.words)}:
            if owner.setdefault(word, name) != name:
                raise _fail(
                    path, f"[states.{name}]", f"the word '{word}' also names '{owner[word]}'"
                )


def _parse_transitions(
    path: Path,
    entries: Any,
    states: dict[str, StateDef],
    known_guards: set[str],
    *,
    default_roles: tuple[str, ...],
) -> list[TransitionDef]:
    if not isinstance(entries, list) or not entries:
        raise _fail(path, "[[transition]]", "no transitions defined")
    transitions = []
    for index, entry in enumerate(entries, start=1):
        where = f"[[transition]] #{index}"
        if not isinstance(entry, dict):
            raise _fail(path, where, "must be a table")
        trigger = entry.get("trigger")
        if not isinstance(trigger, str) or not trigger.isidentifier():
            raise _fail(path, where, "'trigger' must be a name like 'postpone'")
        where = f"[[transition]] {trigger}"
        act = entry.get("act", "decide")
        if act not in ACTS:
            raise _fail(path, where, f"'act' must be one of {', '.join(ACTS)}, not '{act}'")
        raw_sources = entry.get("source")
        sources = [raw_sources] if isinstance(raw_sources, str) else raw_sources
        if not isinstance(sources, list) or not sources:
            raise _fail(path, where, "'source' must name a state or a list of states")
        dest = entry.get("dest")
        if not isinstance(dest, str):
            raise _fail(path, where, "'dest' must name a state")
        guards = entry.get("guards", [])
        if not isinstance(guards, list):
            raise _fail(path, where, "'guards' must be a list of guard names")
        for state in [*sources, dest]:
            if state not in states:
                raise _fail(path, where, f"unknown state '{state}'")
        for guard in guards:
            if guard not in known_guards:
                known = ", ".join(sorted(known_guards))
                raise _fail(path, where, f"unknown guard '{guard}' (known guards: {known})")
        roles = _parse_roles(path, where, entry.get("roles", list(default_roles)))
        label = entry.get("label", states[dest].label)
        if not isinstance(label, str) or not label.strip():
            raise _fail(path, where, "'label' must be a non-empty string")
        transitions.append(
            TransitionDef(trigger, act, tuple(sources), dest, tuple(guards), roles, label)
        )
    _check_unique_moves(path, transitions)
    return transitions


def _check_unique_moves(path: Path, transitions: list[TransitionDef]) -> None:
    seen_triggers: set[str] = set()
    seen_moves: set[tuple[str, str, str]] = set()
    for t in transitions:
        if t.trigger in seen_triggers:
            raise _fail(path, f"[[transition]] {t.trigger}", "the trigger is defined twice")
        seen_triggers.add(t.trigger)
        for source in t.sources:
            move = (t.act, source, t.dest)
            if move in seen_moves:
                raise _fail(
                    path,
                    f"[[transition]] {t.trigger}",
                    f"a second '{t.act}' from '{source}' to '{t.dest}'",
                )
            seen_moves.add(move)
        if t.act == "present" and t.dest in t.sources:
            raise _fail(path, f"[[transition]] {t.trigger}", "presenting cannot stay in place")


def _check_shape(definition: WorkflowDefinition) -> None:
    path = definition.path
    exits: dict[str, set[str]] = {name: set() for name in definition.states}
    for t in definition.transitions:
        for source in t.sources:
            exits[source].add(t.dest)
    for name, state in definition.states.items():
        if state.final and exits[name]:
            raise _fail(path, f"[states.{name}]", "a final state cannot have transitions out")
        if not state.final and not exits[name]:
            raise _fail(
                path, f"[states.{name}]", "dead end: no transition leaves it; mark it final = true"
            )
    reached = {definition.initial}
    frontier = [definition.initial]
    while frontier:
        for dest in exits[frontier.pop()]:
            if dest not in reached:
                reached.add(dest)
                frontier.append(dest)
    for name in definition.states:
        if name not in reached:
            raise _fail(
                path,
                f"[states.{name}]",
                f"unreachable from the initial state '{definition.initial}'",
            )
