"""The secretariat's corrections of the calendar on a meeting's page: a new date, a
cancellation (with its items moved at once, if a meeting is chosen), an item moved to
another planned meeting of its committee, the minutes approved, and a held or cancelled
meeting reopened.

Each is the CLI's act with the logged-in user as the actor, behind the session's form
token and the user's committees. A form read before the meeting (its sequence) or the
item (its version) changed is refused and nothing is saved; a refusal shows the meeting
page again with the Danish reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel

from council.cases.dates import parse_date, parse_time
from council.cases.errors import NotFoundError
from council.config.errors import CouncilError
from council.workflow import permissions
from council.workflow.accounts import Viewer
from council.workflow.read_models.meetings import meeting_facts
from council.workflow.services import meeting_changes
from council.workflow.services.meetings import approve_minutes
from council.workflow.web import messages
from council.workflow.web.application import PageNotFound, state_of, visit
from council.workflow.web.forms import changed, desk_user, number_in_path
from council.workflow.web.public import meeting_view

router = APIRouter(include_in_schema=False)

BAD_DATE = "Skriv den nye dato som 23.02.2010 eller 2010-02-23."
BAD_TIME = "Skriv klokkeslættet som 15:30 (eller lad feltet stå tomt)."
BAD_NUMBER = "Formularen er ufuldstændig. Hent siden igen."
BAD_APPROVAL_DATE = "Skriv godkendelsesdatoen som 09.03.2010 (eller lad feltet stå tomt for i dag)."


def _acting(request: Request, meeting_id: str, csrf_token: str) -> tuple[Viewer, int]:
    """The user (of the meeting's committee), the form's token checked, and the meeting."""
    viewer = desk_user(request)
    visit(request).check_csrf(csrf_token)
    identifier = number_in_path(meeting_id, "intet møde")
    try:
        _meeting, committee = meeting_facts(
            state_of(request).app.initialised_database(), identifier
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes intet møde nr. {identifier}.") from None
    permissions.require_committee(viewer, committee.code)
    return viewer, identifier


def _changed(request: Request, identifier: int, act: Callable[[], object]) -> Response:
    """The meeting's page after ``act``: again with the Danish reason if it was refused."""
    return changed(
        request,
        act,
        done=f"/moeder/{identifier}",
        refused=lambda exc: meeting_view(
            request, identifier, status=400, error=messages.describe(exc)
        ),
    )


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


class RescheduleForm(BaseModel):
    csrf_token: str = ""
    sequence: str = ""
    date: str = ""
    time: str = ""
    reason: str = ""


@router.post("/moeder/{meeting_id}/flyt")
def reschedule(
    request: Request, meeting_id: str, form: Annotated[RescheduleForm, Form()]
) -> Response:
    viewer, identifier = _acting(request, meeting_id, form.csrf_token)
    state = state_of(request)
    sequence = _number(form.sequence)
    try:
        on = parse_date(form.date, what="mødedatoen")
        start = parse_time(form.time, what="mødets klokkeslæt") if form.time.strip() else None
    except CouncilError:
        bad = BAD_TIME if form.date.strip() and form.time.strip() else BAD_DATE
        return meeting_view(request, identifier, status=400, error=bad)
    if sequence is None:
        return meeting_view(request, identifier, status=400, error=BAD_NUMBER)
    return _changed(
        request,
        identifier,
        lambda: meeting_changes.reschedule_meeting(
            state.app.initialised_database().unit_of_work(),
            meeting_ref=str(identifier),
            on=on,
            start_time=start,
            reason=form.reason,
            actor=viewer.actor,
            now=state.clock(),
            expected_sequence=sequence,
        ),
    )


class CancelForm(BaseModel):
    csrf_token: str = ""
    sequence: str = ""
    reason: str = ""
    move_to: str = ""


@router.post("/moeder/{meeting_id}/aflys")
def cancel(request: Request, meeting_id: str, form: Annotated[CancelForm, Form()]) -> Response:
    viewer, identifier = _acting(request, meeting_id, form.csrf_token)
    state = state_of(request)
    sequence, target = _number(form.sequence), _number(form.move_to)
    if sequence is None or (form.move_to.strip() and target is None):
        return meeting_view(request, identifier, status=400, error=BAD_NUMBER)
    return _changed(
        request,
        identifier,
        lambda: meeting_changes.cancel_meeting(
            state.app.initialised_database().unit_of_work(),
            state.app.rulebook,
            meeting_ref=str(identifier),
            reason=form.reason,
            move_to=str(target) if target is not None else None,
            actor=viewer.actor,
            now=state.clock(),
            expected_sequence=sequence,
        ),
    )


class MoveForm(BaseModel):
    csrf_token: str = ""
    item: str = ""
    version: str = ""
    meeting: str = ""
    reason: str = ""


@router.post("/moeder/{meeting_id}/flyt-punkt")
def move_item(request: Request, meeting_id: str, form: Annotated[MoveForm, Form()]) -> Response:
    """An item on this meeting's agenda moved to another meeting."""
    viewer, identifier = _acting(request, meeting_id, form.csrf_token)
    state = state_of(request)
    item, version, target = _number(form.item), _number(form.version), _number(form.meeting)
    if item is None or version is None or target is None:
        return meeting_view(request, identifier, status=400, error=BAD_NUMBER)
    return changed(
        request,
        lambda: meeting_changes.move_item(
            state.app.initialised_database().unit_of_work(),
            state.app.rulebook,
            item_id=item,
            meeting_ref=str(target),
            reason=form.reason,
            actor=viewer.actor,
            now=state.clock(),
            expected_version=version,
            from_meeting=identifier,
        ),
        done=f"/moeder/{identifier}",
        refused=lambda exc: meeting_view(
            request, identifier, status=400, errors={item: messages.describe(exc)}
        ),
    )


class ApproveForm(BaseModel):
    csrf_token: str = ""
    date: str = ""


@router.post("/moeder/{meeting_id}/godkend")
def approve(request: Request, meeting_id: str, form: Annotated[ApproveForm, Form()]) -> Response:
    """The committee approved the minutes (on the day given, by default today)."""
    viewer, identifier = _acting(request, meeting_id, form.csrf_token)
    state = state_of(request)
    try:
        on = parse_date(form.date, what="godkendelsesdatoen") if form.date.strip() else None
    except CouncilError:
        return meeting_view(request, identifier, status=400, error=BAD_APPROVAL_DATE)
    return _changed(
        request,
        identifier,
        lambda: approve_minutes(
            state.app.initialised_database().unit_of_work(),
            meeting_ref=str(identifier),
            approved_on=on,
            actor=viewer.actor,
            now=state.clock(),
        ),
    )


class ReopenForm(BaseModel):
    csrf_token: str = ""
    reason: str = ""


@router.post("/moeder/{meeting_id}/genaabn")
def reopen(request: Request, meeting_id: str, form: Annotated[ReopenForm, Form()]) -> Response:
    """A held or cancelled meeting planned again; its decisions stay as they are."""
    viewer, identifier = _acting(request, meeting_id, form.csrf_token)
    state = state_of(request)
    return _changed(
        request,
        identifier,
        lambda: meeting_changes.reopen_meeting(
            state.app.initialised_database().unit_of_work(),
            meeting_ref=str(identifier),
            reason=form.reason,
            actor=viewer.actor,
            now=state.clock(),
        ),
    )
