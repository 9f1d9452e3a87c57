"""Reporting the values of a status item's result goals from its page.

A secretariat user of the item's committee sees, on the page of an item that answers an
obligation with result goals, a field per goal and the period; the values are recorded by
the same act as ``council item report`` (every value checked before any is written, each
audited with the user as the actor). A mistake shows the page again with the message and
the values typed; nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from council.cases.obligations.goal_rules import format_number
from council.cases.obligations.goal_status import ItemGoals
from council.config.errors import CouncilError
from council.workflow import permissions
from council.workflow.accounts import Viewer
from council.workflow.read_models.goals import item_goals
from council.workflow.services import goals as goal_acts
from council.workflow.web import messages
from council.workflow.web.application import redirect, state_of, visit
from council.workflow.web.forms import desk_user, number_in_path

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class GoalField:
    name: str
    field: str  # the form field's name
    label: str  # "Nye frivillige (mindst 200 frivillige)"
    value: str  # what is reported for the period now, as Danish text


@dataclass(frozen=True)
class GoalForm:
    """The reporting form of an item: the period, one field per goal."""

    period: str
    periods: tuple[str, ...]
    fields: tuple[GoalField, ...]


def goal_form(request: Request, found: ItemGoals | None, viewer: Viewer | None) -> GoalForm | None:
    """The form for a user who may act on the item's committee; ``None`` otherwise."""
    if found is None or viewer is None or not viewer.acts_on(found.line.committee_code):
        return None
    fields = []
    for status in found.goals:
        goal = status.goal
        row = status.periods[-1] if status.periods else None
        target = (
            f" ({'højst' if goal.direction == 'at_most' else 'mindst'} "
            f"{format_number(row.target.target)}{' ' + goal.unit if goal.unit else ''})"
            if row and row.target
            else ""
        )
        value = (
            format_number(row.value.value, approximate=row.value.approximate)
            if row and row.value
            else ""
        )
        fields.append(GoalField(goal.name, f"maal-{goal.id}", goal.name + target, value))
    return GoalForm(found.period.key, tuple(p.key for p in found.line.periods), tuple(fields))


@router.post("/punkter/{item_id}/maal")
async def report(request: Request, item_id: str) -> Response:
    """Record the values typed for the item's goals."""
    from council.workflow.web.desk_items import item_view

    viewer = desk_user(request)
    form = await request.form()
    visit(request).check_csrf(str(form.get("csrf_token", "")))
    identifier = number_in_path(item_id, "intet punkt")
    state = state_of(request)
    database = state.app.initialised_database()
    definition = state.app.rulebook.definition
    found = item_goals(
        database, identifier, fulfilling_states=definition.fulfilling_states, now=state.clock()
    )
    if found is None:
        return item_view(request, identifier, status=400, errors={"maal": "Punktet har ingen mål."})
    permissions.require_committee(viewer, found.line.committee_code)
    values = [
        goal_acts.GoalValueGiven(status.goal.name, str(form.get(f"maal-{status.goal.id}", "")))
        for status in found.goals
        if str(form.get(f"maal-{status.goal.id}", "")).strip()
    ]
    typed = {key: str(value) for key, value in form.items() if key != "csrf_token"}
    try:
        goal_acts.report_values(
            database.unit_of_work(),
            fulfilling_states=definition.fulfilling_states,
            item_id=identifier,
            values=values,
            period=str(form.get("periode", "")).strip() or None,
            actor=viewer.actor,
            now=state.clock(),
        )
    except CouncilError as exc:
        return item_view(
            request, identifier, status=400, errors={"maal": messages.describe(exc)}, values=typed
        )
    return redirect(request, f"/punkter/{identifier}#status-paa-maal")
