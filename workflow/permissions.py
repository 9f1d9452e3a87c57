"""What a logged-in user may do: which transitions of an item, on which committees.

The buttons of an item are read from config/workflow.toml: the transitions out of the
item's state whose ``roles`` include the user's, for a user who acts on the item's
committee. A decision's guards that can be judged before a date is chosen (the item's kind:
only an orienteringssag is taken to note) are judged here too, so no button is offered that
the rulebook would refuse; putting an item before a meeting is judged when the meeting is
chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from council.config.workflow_definition import TransitionDef
from council.workflow.accounts import Viewer
from council.workflow.errors import PermissionRefused
from council.workflow.guards import GUARDS, TransitionContext
from council.workflow.machine import Rulebook


@dataclass(frozen=True)
class Action:
    """One button: a transition the user may fire on the item now."""

    trigger: str
    act: str  # "present" or "decide"
    label: str  # the button's words, e.g. "Tag til efterretning"
    dest: str
    dest_label: str  # "Taget til efterretning"
    sentence: str | None  # the standard decision sentence, pre-filled in the form


def may_act_on(viewer: Viewer | None, committee_code: str) -> bool:
    """The user changes things and acts for this committee."""
    return viewer is not None and viewer.changes_things and viewer.acts_on(committee_code)


def actions_for(
    rulebook: Rulebook, viewer: Viewer | None, *, item: Any, committee: Any
) -> list[Action]:
    """The transitions ``viewer`` may fire on ``item`` (with ``id``, ``committee_id``,
    ``kind``, ``state``) of ``committee`` (with ``id``, ``code``), in the file's order."""
    if viewer is None or not may_act_on(viewer, committee.code):
        return []
    context = TransitionContext(item=item, committee=committee)
    actions = []
    for move in rulebook.definition.transitions_for(item.state, viewer.role):
        if move.act == "decide" and not _guards_pass(move, context):
            continue
        actions.append(_action(rulebook, move))
    return actions


def require_action(
    rulebook: Rulebook, viewer: Viewer | None, *, item: Any, committee: Any, trigger: str
) -> Action:
    """The action ``trigger`` if the user may fire it on the item; else PermissionRefused."""
    if viewer is None or not may_act_on(viewer, committee.code):
        raise PermissionRefused(f"du handler ikke for {committee.code}")
    for action in actions_for(rulebook, viewer, item=item, committee=committee):
        if action.trigger == trigger:
            return action
    raise PermissionRefused(f"handlingen er ikke mulig for dig på punkt-id {item.id} nu")


def require_committee(viewer: Viewer | None, committee_code: str) -> Viewer:
    """The user, if they act for the committee (create its meetings and items, close them)."""
    if viewer is None or not may_act_on(viewer, committee_code):
        raise PermissionRefused(f"du handler ikke for {committee_code}")
    return viewer


def _guards_pass(move: TransitionDef, context: TransitionContext) -> bool:
    return all(GUARDS[name](context) is None for name in move.guards)


def _action(rulebook: Rulebook, move: TransitionDef) -> Action:
    return Action(
        trigger=move.trigger,
        act=move.act,
        label=move.label,
        dest=move.dest,
        dest_label=rulebook.label(move.dest),
        sentence=rulebook.definition.states[move.dest].sentence,
    )
