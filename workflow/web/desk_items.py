"""An item's page and its two moves at the secretariat's desk: putting it before a meeting
(forelæg) and recording the committee's decision.

Each move is the CLI's act with the logged-in user as the actor and the item's version from
the page as ``expected_version``: a stale form is refused with what changed since. A
refusal shows the form again with its Danish words by the field it concerns; nothing is
saved.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from council.cases.dates import parse_date
from council.cases.db import Database
from council.cases.errors import (
    AlreadyExistsError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
)
from council.cases.models import AgendaItem, Committee
from council.config.errors import CouncilError
from council.workflow import permissions, services
from council.workflow.errors import GuardRefused, WorkflowError
from council.workflow.read_models.goals import item_goals
from council.workflow.read_models.items import ItemPage, changes_since, item_facts, item_page
from council.workflow.visibility import INTERNAL
from council.workflow.web import goal_pages, messages
from council.workflow.web.application import PageNotFound, WebState, redirect, render, state_of
from council.workflow.web.application import visit as visit_of
from council.workflow.web.closed_items import audience_of
from council.workflow.web.forms import Errors, desk_user, local_path, number_in_path, optional_int
from council.workflow.web.public import meeting_view

router = APIRouter(include_in_schema=False)


def item_view(
    request: Request,
    item_id: int,
    *,
    status: int = 200,
    errors: Errors | None = None,
    values: dict[str, str] | None = None,
    stale_since: int | None = None,
) -> Response:
    """The item page; with ``stale_since`` it says what changed after that version."""
    state = state_of(request)
    viewer = visit_of(request).viewer
    database = state.app.initialised_database()
    try:
        page = item_page(
            database,
            state.app.rulebook,
            item_id,
            audience=audience_of(viewer),
            desk=viewer is not None and viewer.changes_things,
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes intet punkt nr. {item_id}.") from None
    actions = permissions.actions_for(
        state.app.rulebook, viewer, item=page.item, committee=page.committee
    )
    correcting = permissions.may_act_on(viewer, page.committee.code)
    changes = changes_since(database, item_id, stale_since) if stale_since else []
    goals = goal_pages.goal_form(
        request,
        None
        if page.document.item.withheld
        else item_goals(
            database,
            item_id,
            fulfilling_states=state.app.rulebook.definition.fulfilling_states,
            now=state.clock(),
        ),
        viewer,
    )
    return render(
        request,
        "web/item.html.j2",
        status=status,
        page=page,
        document=page.document,
        item_view=page.document.item,
        actions=actions,
        errors=errors or {},
        values=values or {},
        changes=changes,
        stale_since=stale_since,
        label=state.app.rulebook.label,
        goal_form=goals,
        correcting=correcting,
        withdrawn=state.app.rulebook.definition.withdrawn,
        withdrawable=any(a.dest == state.app.rulebook.definition.withdrawn for a in actions),
        outcomes=_outcomes(state) if correcting else [],
    )


def _outcomes(state: WebState) -> list[tuple[str, str]]:
    """The workflow's outcomes (code name, label) in the file's order: a correction's."""
    rulebook = state.app.rulebook
    decided = {move.dest for move in rulebook.definition.transitions if move.act == "decide"}
    return [(name, rulebook.label(name)) for name in rulebook.definition.states if name in decided]


def _version(text: str) -> int | None:
    try:
        return optional_int(text)
    except ValueError:
        return None


def _item(database: Database, item_id: int) -> tuple[AgendaItem, Committee]:
    try:
        return item_facts(database, item_id)
    except NotFoundError:
        raise PageNotFound(f"Der findes intet punkt nr. {item_id}.") from None


@router.post("/punkter/{item_id}/forelaeg")
def present(
    request: Request,
    item_id: str,
    csrf_token: str = Form(""),
    meeting: str = Form(""),
    number: str = Form(""),
    version: str = Form(""),
    tilbage: str = Form(""),
) -> Response:
    """Forelæg: put the item before a meeting as agenda number ``number`` (or the next)."""
    viewer = desk_user(request)
    visit_of(request).check_csrf(csrf_token)
    state = state_of(request)
    identifier = number_in_path(item_id, "intet punkt")
    database = state.app.initialised_database()
    item, committee = _item(database, identifier)
    expected = _version(version)
    if expected is not None and expected != item.version:
        return item_view(request, identifier, status=409, stale_since=expected)
    permissions.require_action(
        state.app.rulebook, viewer, item=item, committee=committee, trigger=_present_trigger(state)
    )
    values = {"meeting": meeting, "number": number}
    back = local_path(tilbage, f"/punkter/{identifier}")
    errors = _presentation_errors(meeting, number)
    if not errors:
        try:
            services.present_item(
                database.unit_of_work(),
                state.app.rulebook,
                item_id=identifier,
                meeting_ref=meeting,
                number=optional_int(number),
                actor=viewer.actor,
                now=state.clock(),
                expected_version=expected,
            )
        except ConflictError as exc:
            return item_view(request, identifier, status=409, stale_since=exc.expected_version)
        except AlreadyExistsError as exc:
            errors["number"] = messages.describe(exc)
        except InvalidInputError:
            errors["number"] = f"Et punktnummer er fra 1 til {services.MAX_AGENDA_NUMBER}."
        except (GuardRefused, NotFoundError, WorkflowError) as exc:
            errors["meeting"] = messages.describe(exc)
    if errors:
        return _present_refused(request, identifier, back, errors, values)
    return redirect(request, back)


def _presentation_errors(meeting: str, number: str) -> Errors:
    errors: Errors = {}
    try:
        optional_int(number)
    except ValueError:
        errors["number"] = "Skriv et helt tal fra 1 og op, eller lad feltet stå tomt."
    if not (meeting.isascii() and meeting.isdigit()):
        errors["meeting"] = "Vælg et møde."
    return errors


def _present_refused(
    request: Request, item_id: int, back: str, errors: Errors, values: dict[str, str]
) -> Response:
    if back.startswith("/moeder/"):
        meeting_id = back.removeprefix("/moeder/").split("/")[0].split("?")[0]
        if meeting_id.isdigit():
            message = " ".join(errors.values())
            return meeting_view(request, int(meeting_id), status=400, errors={item_id: message})
    return item_view(request, item_id, status=400, errors=errors, values=values)


def _present_trigger(state: WebState) -> str:
    for transition in state.app.rulebook.definition.transitions:
        if transition.act == "present":
            return transition.trigger
    raise PageNotFound("Arbejdsgangen har ingen måde at forelægge et punkt på.")


@router.get("/punkter/{item_id}/beslut/{trigger}")
def decision_form(request: Request, item_id: str, trigger: str, version: str = "") -> Response:
    viewer = desk_user(request)
    state = state_of(request)
    identifier = number_in_path(item_id, "intet punkt")
    database = state.app.initialised_database()
    item, committee = _item(database, identifier)
    action = permissions.require_action(
        state.app.rulebook, viewer, item=item, committee=committee, trigger=trigger
    )
    page = item_page(database, state.app.rulebook, identifier, audience=INTERNAL)
    on = page.before_meeting.date if page.before_meeting else None
    values = {
        "text": action.sentence or "",
        "date": on.strftime("%d.%m.%Y") if on else "",
        "version": version or str(page.item.version),
    }
    return _decision_page(request, page, action, values, {})


def _decision_page(
    request: Request,
    page: ItemPage,
    action: permissions.Action,
    values: dict[str, str],
    errors: Errors,
    status: int = 200,
) -> Response:
    return render(
        request,
        "web/decide.html.j2",
        status=status,
        page=page,
        action=action,
        values=values,
        errors=errors,
    )


@router.post("/punkter/{item_id}/beslut/{trigger}")
def decide(
    request: Request,
    item_id: str,
    trigger: str,
    csrf_token: str = Form(""),
    text: str = Form(""),
    date_text: str = Form("", alias="date"),
    version: str = Form(""),
) -> Response:
    viewer = desk_user(request)
    visit_of(request).check_csrf(csrf_token)
    state = state_of(request)
    identifier = number_in_path(item_id, "intet punkt")
    database = state.app.initialised_database()
    item, committee = _item(database, identifier)
    expected = _version(version)
    if expected is not None and expected != item.version:
        return item_view(request, identifier, status=409, stale_since=expected)
    action = permissions.require_action(
        state.app.rulebook, viewer, item=item, committee=committee, trigger=trigger
    )
    values = {"text": text, "date": date_text, "version": version}
    errors, decided_on = _decision_errors(text, date_text)
    if not errors:
        try:
            services.decide_item(
                database.unit_of_work(),
                state.app.rulebook,
                item_id=identifier,
                outcome=action.dest,
                text=text.strip(),
                decided_on=decided_on,
                actor=viewer.actor,
                now=state.clock(),
                expected_version=expected,
            )
        except ConflictError as exc:
            return item_view(request, identifier, status=409, stale_since=exc.expected_version)
        except GuardRefused as exc:
            field = "date" if exc.guard == "decided_on_or_after_meeting" else "text"
            errors[field] = messages.describe(exc)
        except CouncilError as exc:
            errors["text"] = messages.describe(exc)
    if errors:
        page = item_page(database, state.app.rulebook, identifier, audience=INTERNAL)
        return _decision_page(request, page, action, values, errors, status=400)
    return redirect(request, f"/punkter/{identifier}")


def _decision_errors(text: str, date_text: str) -> tuple[Errors, date | None]:
    errors: Errors = {}
    if not text.strip():
        errors["text"] = "Skriv beslutningens tekst (fx standardsætningen)."
    decided_on: date | None = None
    if date_text.strip():
        try:
            decided_on = parse_date(date_text, what="beslutningsdatoen")
        except InvalidInputError:
            errors["date"] = "Skriv datoen som 23.02.2010 (eller lad feltet stå tomt)."
    return errors, decided_on
