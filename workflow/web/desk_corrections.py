"""The secretariat's corrections of an item: its texts edited, the item withdrawn (trukket),
and its latest decision corrected to another outcome.

Each is the CLI's act (``council item edit``, ``council item withdraw``, ``council decision
correct``) with the logged-in user of the item's committee as the actor and the item's
version from the page as ``expected_version``, behind the session's form token. A refusal
shows the form again with the act's Danish line and what was typed; nothing is saved. A
stale form is answered like the item's other forms, with what changed since.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel

from council.cases.errors import ConflictError, NotFoundError
from council.config.errors import CouncilError
from council.workflow import permissions
from council.workflow.accounts import Viewer
from council.workflow.errors import CorrectionRefused
from council.workflow.read_models.items import ItemPage, item_facts, item_page, item_texts
from council.workflow.services.corrections import correct_decision
from council.workflow.services.item_edits import ItemChanges, edit_item
from council.workflow.services.withdrawals import withdraw_item
from council.workflow.visibility import INTERNAL
from council.workflow.web import messages
from council.workflow.web.application import PageNotFound, render, state_of, visit
from council.workflow.web.desk_items import item_view
from council.workflow.web.forms import (
    Errors,
    changed,
    desk_user,
    lines,
    number_in_path,
    optional_int,
)

router = APIRouter(include_in_schema=False)

STALE_FORM = "Formularen er ufuldstændig. Hent siden igen."


def _acting(request: Request, item_id: str, csrf_token: str | None) -> tuple[Viewer, int]:
    """The user (of the item's committee), the form's token checked when one is due, and
    the item."""
    viewer = desk_user(request)
    if csrf_token is not None:
        visit(request).check_csrf(csrf_token)
    identifier = number_in_path(item_id, "intet punkt")
    try:
        _item, committee = item_facts(state_of(request).app.initialised_database(), identifier)
    except NotFoundError:
        raise PageNotFound(f"Der findes intet punkt nr. {identifier}.") from None
    permissions.require_committee(viewer, committee.code)
    return viewer, identifier


def _version(text: str) -> int | None:
    try:
        return optional_int(text)
    except ValueError:
        return None


def _on_item_page(
    request: Request, identifier: int, form: str, values: dict[str, str]
) -> Callable[[CouncilError], Response]:
    """How a refused form on the item's page is answered: the page again, the refusal by
    the form ``form``, what was typed kept; a stale one with what changed since."""

    def refused(exc: CouncilError) -> Response:
        if isinstance(exc, ConflictError):
            return item_view(request, identifier, status=409, stale_since=exc.expected_version)
        errors = {form: messages.describe(exc)}
        return item_view(request, identifier, status=400, errors=errors, values=values)

    return refused


class WithdrawForm(BaseModel):
    csrf_token: str = ""
    version: str = ""
    withdraw_reason: str = ""


@router.post("/punkter/{item_id}/traek")
def withdraw(request: Request, item_id: str, form: Annotated[WithdrawForm, Form()]) -> Response:
    """Træk punktet: withdrawn with the reason, printed in place of the decision."""
    viewer, identifier = _acting(request, item_id, form.csrf_token)
    state = state_of(request)
    values = {"withdraw_reason": form.withdraw_reason}
    return changed(
        request,
        lambda: withdraw_item(
            state.app.initialised_database().unit_of_work(),
            state.app.rulebook,
            item_id=identifier,
            reason=_plain(form.withdraw_reason),
            actor=viewer.actor,
            now=state.clock(),
            expected_version=_version(form.version),
        ),
        done=f"/punkter/{identifier}",
        refused=_on_item_page(request, identifier, "traek", values),
    )


class CorrectDecisionForm(BaseModel):
    csrf_token: str = ""
    version: str = ""
    outcome: str = ""
    correct_reason: str = ""
    correct_text: str = ""


@router.post("/punkter/{item_id}/ret-beslutning")
def correct(
    request: Request, item_id: str, form: Annotated[CorrectDecisionForm, Form()]
) -> Response:
    """The item's latest decision corrected to another outcome (or wording), with a reason."""
    viewer, identifier = _acting(request, item_id, form.csrf_token)
    state = state_of(request)
    values = {
        "outcome": form.outcome,
        "correct_reason": form.correct_reason,
        "correct_text": form.correct_text,
    }
    return changed(
        request,
        lambda: correct_decision(
            state.app.initialised_database().unit_of_work(),
            state.app.rulebook,
            item_id=identifier,
            to=form.outcome,
            reason=_plain(form.correct_reason),
            text=_text(form.correct_text),
            actor=viewer.actor,
            now=state.clock(),
            expected_version=_version(form.version),
        ),
        done=f"/punkter/{identifier}",
        refused=_on_item_page(request, identifier, "ret-beslutning", values),
    )


def _text(typed: str) -> str | None:
    """The decision's words as typed; empty: the outcome's standard sentence."""
    text = _plain(typed)
    return text if text.strip() else None


@router.get("/punkter/{item_id}/ret")
def edit_form(request: Request, item_id: str) -> Response:
    _viewer, identifier = _acting(request, item_id, None)
    heading, sections = item_texts(state_of(request).app.initialised_database(), identifier)
    values = {
        "title": heading.title,
        "kind": heading.kind,
        "closed": "ja" if heading.closed else "",
        "summary": sections.summary,
        "administration": sections.administration,
        "points": "\n".join(sections.recommendation),
        "problem": sections.problem,
        "solution": sections.solution,
        "economy": sections.economy,
        "next_steps": sections.next_steps,
        "signatures": "\n".join(sections.signatures),
        "reason": "",
    }
    version = str(_page(request, identifier).item.version)
    return _edit_page(request, identifier, {**values, "version": version}, {})


class EditForm(BaseModel):
    csrf_token: str = ""
    version: str = ""
    title: str = ""
    kind: str = ""
    closed: str = ""
    summary: str = ""
    administration: str = ""
    points: str = ""
    problem: str = ""
    solution: str = ""
    economy: str = ""
    next_steps: str = ""
    signatures: str = ""
    reason: str = ""


@router.post("/punkter/{item_id}/ret")
def edit(request: Request, item_id: str, form: Annotated[EditForm, Form()]) -> Response:
    """The item's title, kind, closed flag and sections as the form gives them; what did
    not change is left as it is (the act compares)."""
    viewer, identifier = _acting(request, item_id, form.csrf_token)
    state = state_of(request)
    values = form.model_dump(exclude={"csrf_token"})

    def refused(exc: CouncilError) -> Response:
        if isinstance(exc, ConflictError):
            return item_view(request, identifier, status=409, stale_since=exc.expected_version)
        return _edit_page(request, identifier, values, {_field_of(exc): messages.describe(exc)})

    return changed(
        request,
        lambda: edit_item(
            state.app.initialised_database().unit_of_work(),
            state.app.rulebook,
            item_id=identifier,
            changes=_changes(form),
            reason=_plain(form.reason) or None,
            actor=viewer.actor,
            now=state.clock(),
            expected_version=_version(form.version),
        ),
        done=f"/punkter/{identifier}",
        refused=refused,
    )


def _plain(text: str) -> str:
    """A text area's value with the browser's line breaks (CR LF) as the store keeps them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _changes(form: EditForm) -> ItemChanges:
    return ItemChanges(
        title=form.title,
        kind=form.kind or None,
        closed=form.closed == "ja",
        summary=_plain(form.summary),
        administration=_plain(form.administration),
        recommendation=lines(form.points),
        problem=_plain(form.problem),
        solution=_plain(form.solution),
        economy=_plain(form.economy),
        next_steps=_plain(form.next_steps),
        signatures=lines(form.signatures),
    )


FIELDS = {
    "title_empty": "title",
    "title_hidden_character": "title",
    "unknown_kind": "kind",
    "kind_after_decision": "kind",
    "reason_missing": "reason",
    "reason_hidden_character": "reason",
    "reason_too_long": "reason",
}


def _field_of(exc: CouncilError) -> str:
    """The field a refusal concerns; the whole form for the others."""
    return FIELDS.get(exc.what, "form") if isinstance(exc, CorrectionRefused) else "form"


def _page(request: Request, identifier: int) -> ItemPage:
    state = state_of(request)
    return item_page(
        state.app.initialised_database(), state.app.rulebook, identifier, audience=INTERNAL
    )


def _edit_page(
    request: Request, identifier: int, values: dict[str, str], errors: Errors
) -> Response:
    state = state_of(request)
    page = _page(request, identifier)
    return render(
        request,
        "web/item_edit.html.j2",
        status=400 if errors else 200,
        page=page,
        values=values,
        errors=errors,
        final=page.item.state in state.app.rulebook.definition.final_states,
        decided=bool(page.document.item.decisions),
        label=state.app.rulebook.label,
    )
