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
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, field_validator

from council.config.errors import ConfigError, WorkflowDefinitionError
from council.config.roles import ROLES
from council.config.toml_files import TableModel, did_you_mean, quoted, read_toml, validate
from council.config.values import NonEmptyText

ACTS = ("present", "decide")
POINT_RULES = ("first", "all", "none")
"""How an item's outcome follows from results recorded at-point by at-point: ``first``,
the first point's result is the item's; ``all``, the item is approved when every point is
and rejected when any is; ``none``, the points never decide the outcome."""


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
    refers: frozenset[str] = frozenset()
    point_rule: str = "first"
    withdrawn: str | None = None  # the state 'council item withdraw' moves an item to

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


def _known_roles(names: list[str]) -> list[str]:
    for name in names:
        if name not in ROLES:
            hint = did_you_mean(name, ROLES) or f" (roller: {', '.join(ROLES)})"
            raise ValueError(f"nævner den ukendte rolle {quoted(name)}{hint}")
    return names


Roles = Annotated[list[str], AfterValidator(_known_roles)]


class _WorkflowTable(TableModel):
    initial: str = Field(description="skal nævne den tilstand, nye punkter starter i")
    carry_over: list[str] = Field(
        default_factory=list, description="skal være en liste af tilstandsnavne"
    )
    roles: Roles = Field(list(ROLES), description="skal være en liste af rollenavne")
    refers: list[str] = Field(
        default_factory=list, description="skal være en liste af tilstandsnavne"
    )
    point_rule: Literal["first", "all", "none"] = Field(
        "first", description=f"skal være en af {', '.join(POINT_RULES)}"
    )
    withdrawn: str | None = Field(
        None, description="skal nævne tilstanden for et tilbagetrukket punkt"
    )


class _StateEntry(TableModel):
    label: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    sentence: str | None = Field(None, description="skal være en tekst")
    words: list[str] = Field(default_factory=list, description="skal være en liste af tekster")
    final: bool = Field(False, description="skal være true eller false")
    fulfils: bool | None = Field(None, description="skal være true eller false")


def _trigger_name(value: str) -> str:
    if not value.isidentifier():
        raise ValueError("skal være et navn som 'postpone'")
    return value


class _TransitionEntry(TableModel):
    named_by: ClassVar[str | None] = "trigger"

    trigger: Annotated[str, AfterValidator(_trigger_name)] = Field(
        description="skal være et navn som 'postpone'"
    )
    act: Literal["present", "decide"] = Field(
        "decide", description=f"skal være en af {', '.join(ACTS)}"
    )
    source: Annotated[list[str], Field(min_length=1)] = Field(
        description="skal nævne en tilstand eller en liste af tilstande"
    )
    dest: str = Field(description="skal nævne en tilstand")
    guards: list[str] = Field(
        default_factory=list, description="skal være en liste af betingelsesnavne"
    )
    roles: Roles | None = Field(None, description="skal være en liste af rollenavne")
    label: NonEmptyText | None = Field(None, description="skal være en tekst, der ikke er tom")

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class WorkflowFile(TableModel):
    """The whole of ``workflow.toml``, before its states and transitions are checked."""

    workflow: _WorkflowTable
    states: Annotated[dict[str, _StateEntry], Field(min_length=1)] = Field(
        description="skal have [states.NAVN]-tabeller; tilføj dem"
    )
    transition: Annotated[list[_TransitionEntry], Field(min_length=1)] = Field(
        description="skal have [[transition]]-tabeller; tilføj dem"
    )


def load_workflow(path: Path, *, known_guards: Iterable[str]) -> WorkflowDefinition:
    """Read and validate ``path``; any flaw is one ``WorkflowDefinitionError`` line."""
    data = read_toml(path)
    try:
        file = validate(data, WorkflowFile, path=path)
    except ConfigError as exc:
        raise WorkflowDefinitionError(str(exc)) from exc
    states = _states(path, file.states)
    initial = file.workflow.initial
    if initial not in states:
        raise _fail(
            path,
            "[workflow]",
            f"starttilstanden '{initial}' er ikke en [states]-tabel{did_you_mean(initial, states)}",
        )
    for key in ("carry_over", "refers"):
        for name in getattr(file.workflow, key):
            if name not in states:
                raise _fail(
                    path,
                    "[workflow]",
                    f"{key} nævner den ukendte tilstand '{name}'{did_you_mean(name, states)}",
                )
    withdrawn = file.workflow.withdrawn
    if withdrawn is not None and withdrawn not in states:
        raise _fail(
            path,
            "[workflow]",
            f"withdrawn nævner den ukendte tilstand '{withdrawn}'{did_you_mean(withdrawn, states)}",
        )
    transitions = _transitions(
        path, file.transition, states, set(known_guards), default_roles=tuple(file.workflow.roles)
    )
    definition = WorkflowDefinition(
        path,
        initial,
        states,
        tuple(transitions),
        frozenset(file.workflow.carry_over),
        frozenset(file.workflow.refers),
        file.workflow.point_rule,
        withdrawn,
    )
    _check_shape(definition)
    return definition


def _fail(path: Path, where: str, message: str) -> WorkflowDefinitionError:
    return WorkflowDefinitionError(f"{path}: {where}: {message}")


def _states(path: Path, entries: dict[str, _StateEntry]) -> dict[str, StateDef]:
    states = {
        name: StateDef(
            name,
            entry.label,
            entry.sentence,
            tuple(entry.words),
            entry.final,
            entry.final if entry.fulfils is None else entry.fulfils,
        )
        for name, entry in entries.items()
    }
    _check_words_unique(path, states)
    return states


def _check_words_unique(path: Path, states: dict[str, StateDef]) -> None:
    owner: dict[str, str] = {}
    for name, state in states.items():
        for word in {normalise_word(w) for w in (name, state.label, *state.words)}:
            if owner.setdefault(word, name) != name:
                raise _fail(path, f"[states.{name}]", f"ordet '{word}' nævner også '{owner[word]}'")


def _transitions(
    path: Path,
    entries: list[_TransitionEntry],
    states: dict[str, StateDef],
    known: set[str],
    *,
    default_roles: tuple[str, ...],
) -> list[TransitionDef]:
    transitions = []
    for entry in entries:
        where = f"[[transition]] {entry.trigger}"
        for state in [*entry.source, entry.dest]:
            if state not in states:
                raise _fail(path, where, f"ukendt tilstand '{state}'{did_you_mean(state, states)}")
        for guard in entry.guards:
            if guard not in known:
                hint = (
                    did_you_mean(guard, known)
                    or f" (kendte betingelser: {', '.join(sorted(known))})"
                )
                raise _fail(path, where, f"ukendt betingelse '{guard}'{hint}")
        transitions.append(
            TransitionDef(
                entry.trigger,
                entry.act,
                tuple(entry.source),
                entry.dest,
                tuple(entry.guards),
                default_roles if entry.roles is None else tuple(entry.roles),
                entry.label or states[entry.dest].label,
            )
        )
    _check_unique_moves(path, transitions)
    return transitions


def _check_unique_moves(path: Path, transitions: list[TransitionDef]) -> None:
    seen_triggers: set[str] = set()
    seen_moves: set[tuple[str, str, str]] = set()
    for t in transitions:
        if t.trigger in seen_triggers:
            raise _fail(path, f"[[transition]] {t.trigger}", "udløseren er defineret to gange")
        seen_triggers.add(t.trigger)
        for source in t.sources:
            move = (t.act, source, t.dest)
            if move in seen_moves:
                raise _fail(
                    path,
                    f"[[transition]] {t.trigger}",
                    f"en anden '{t.act}' fra '{source}' til '{t.dest}'",
                )
            seen_moves.add(move)
        if t.act == "present" and t.dest in t.sources:
            raise _fail(
                path,
                f"[[transition]] {t.trigger}",
                "at sætte på dagsordenen kan ikke blive i samme tilstand",
            )


def _check_shape(definition: WorkflowDefinition) -> None:
    path = definition.path
    exits: dict[str, set[str]] = {name: set() for name in definition.states}
    for t in definition.transitions:
        for source in t.sources:
            exits[source].add(t.dest)
    for name, state in definition.states.items():
        if state.final and exits[name]:
            raise _fail(path, f"[states.{name}]", "en sluttilstand kan ikke have overgange ud")
        if not state.final and not exits[name]:
            raise _fail(
                path,
                f"[states.{name}]",
                "blindgyde: ingen overgang fører ud; markér den final = true",
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
                f"kan ikke nås fra starttilstanden '{definition.initial}'",
            )
