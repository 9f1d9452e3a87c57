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
from typing import Annotated, Any, Protocol

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
    ItemTextsForm,
    changed,
    desk_user,
    lines,
    number_in_path,
    optional_int,
)

router = APIRouter(include_in_schema=False)


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


class _Versioned(Protocol):
    csrf_token: str
    version: str

    def model_dump(self, *, exclude: set[str]) -> dict[str, Any]: ...


Shown = Callable[[Request, int, dict[str, Any], CouncilError], Response]


def _corrected(
    request: Request,
    item_id: str,
    form: _Versioned,
    act: Callable[..., object],
    shown: Shown,
    **given: Any,
) -> Response:
    """``act`` (an item's correction) with the logged-in user, the clock and the form's
    item version, and what the form ``given``; then the item's page, or refused (nothing
    saved) what ``shown`` shows with what was typed, or a stale form with what changed."""
    viewer, identifier = _acting(request, item_id, form.csrf_token)
    state = state_of(request)
    values = form.model_dump(exclude={"csrf_token"})

    def refused(exc: CouncilError) -> Response:
        if isinstance(exc, ConflictError):
            return item_view(request, identifier, status=409, stale_since=exc.expected_version)
        return shown(request, identifier, values, exc)

    return changed(
        request,
        lambda: act(
            state.app.initialised_database().unit_of_work(),
            state.app.rulebook,
            item_id=identifier,
            actor=viewer.actor,
            now=state.clock(),
            expected_version=_version(form.version),
            **given,
        ),
        done=f"/punkter/{identifier}",
        refused=refused,
    )


def _on_item_page(form: str) -> Shown:
    """A refusal shown on the item's page by the form ``form``."""

    def shown(
        request: Request, identifier: int, values: dict[str, Any], exc: CouncilError
    ) -> Response:
        errors = {form: messages.describe(exc)}
        return item_view(request, identifier, status=400, errors=errors, values=values)

    return shown


class WithdrawForm(BaseModel):
    csrf_token: str = ""
    version: str = ""
    withdraw_reason: str = ""


@router.post("/punkter/{item_id}/traek")
def withdraw(request: Request, item_id: str, form: Annotated[WithdrawForm, Form()]) -> Response:
    """Træk punktet: withdrawn with the reason, printed in place of the decision."""
    return _corrected(
        request,
        item_id,
        form,
        withdraw_item,
        _on_item_page("traek"),
        reason=_plain(form.withdraw_reason),
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
    return _corrected(
        request,
        item_id,
        form,
        correct_decision,
        _on_item_page("ret-beslutning"),
        to=form.outcome,
        reason=_plain(form.correct_reason),
        text=_text(form.correct_text),
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


class EditForm(ItemTextsForm):
    version: str = ""
    reason: str = ""


@router.post("/punkter/{item_id}/ret")
def edit(request: Request, item_id: str, form: Annotated[EditForm, Form()]) -> Response:
    """The item's title, kind, closed flag and sections as the form gives them; what did
    not change is left as it is (the act compares)."""
    return _corrected(
        request,
        item_id,
        form,
        edit_item,
        _on_edit_page,
        changes=_changes(form),
        reason=_plain(form.reason) or None,
    )


def _on_edit_page(
    request: Request, identifier: int, values: dict[str, Any], exc: CouncilError
) -> Response:
    """A refused edit: the form again, the refusal by the field it concerns."""
    return _edit_page(request, identifier, values, {_field_of(exc): messages.describe(exc)})


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
