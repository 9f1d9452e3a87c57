"""The secretariat's desk: what needs attention, new cases, meetings and items, and closing
a meeting (an item's page and its moves are :mod:`council.workflow.web.desk_items`).

Each act is the CLI's: the same act with the logged-in user as the actor. A mistake in a
form shows the form again with the message by the field; nothing is saved.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel

from council.cases.dates import parse_date, parse_time
from council.cases.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from council.config.errors import CouncilError
from council.workflow import obligation_services, permissions, services
from council.workflow.accounts import Viewer
from council.workflow.errors import WorkflowError
from council.workflow.read_models.desk import overview
from council.workflow.read_models.meetings import every_committee, meeting_facts
from council.workflow.web import messages
from council.workflow.web.application import PageNotFound, redirect, render, state_of, visit
from council.workflow.web.forms import Errors, ItemTextsForm, desk_user, lines, number_in_path
from council.workflow.web.public import meeting_view

router = APIRouter(include_in_schema=False)


@router.get("/sekretariat")
def start(request: Request) -> Response:
    viewer = desk_user(request)
    state = state_of(request)
    codes = None if viewer.role == "admin" else tuple(sorted(viewer.committees))
    summary = overview(state.app, committee_codes=codes, now=state.clock())
    return render(request, "web/start.html.j2", overview=summary, label=state.app.rulebook.label)


# ------------------------------------------------------------------ meetings


@router.post("/moeder/{meeting_id}/luk")
def close_meeting(request: Request, meeting_id: str, csrf_token: str = Form("")) -> Response:
    viewer = desk_user(request)
    visit(request).check_csrf(csrf_token)
    state = state_of(request)
    identifier = number_in_path(meeting_id, "intet møde")
    database = state.app.initialised_database()
    try:
        _meeting, committee = meeting_facts(database, identifier)
    except NotFoundError:
        raise PageNotFound(f"Der findes intet møde nr. {identifier}.") from None
    permissions.require_committee(viewer, committee.code)
    try:
        services.close_meeting(
            database.unit_of_work(),
            state.app.rulebook,
            meeting_ref=str(identifier),
            actor=viewer.actor,
            now=state.clock(),
        )
    except WorkflowError as exc:
        return meeting_view(request, identifier, status=400, error=messages.describe(exc))
    return redirect(request, f"/moeder/{identifier}")


def _committee_choices(request: Request, viewer: Viewer) -> list[tuple[str, str]]:
    committees = every_committee(state_of(request).app.initialised_database())
    return [(c.code, c.name) for c in committees if viewer.acts_on(c.code)]


@router.get("/sekretariat/moeder/ny")
def new_meeting_form(request: Request, udvalg: str = "") -> Response:
    viewer = desk_user(request)
    return _meeting_form(request, viewer, {"committee": udvalg.upper()}, {})


def _meeting_form(
    request: Request, viewer: Viewer, values: dict[str, str], errors: Errors, status: int = 200
) -> Response:
    return render(
        request,
        "web/meeting_new.html.j2",
        status=status,
        committees=_committee_choices(request, viewer),
        values=values,
        errors=errors,
    )


class MeetingForm(BaseModel):
    csrf_token: str = ""
    committee: str = ""
    date: str = ""
    time: str = ""
    place: str = ""


@router.post("/sekretariat/moeder/ny")
def new_meeting(request: Request, form: Annotated[MeetingForm, Form()]) -> Response:
    viewer = desk_user(request)
    visit(request).check_csrf(form.csrf_token)
    state = state_of(request)
    errors: Errors = {}
    if form.committee not in {code for code, _name in _committee_choices(request, viewer)}:
        errors["committee"] = "Vælg et af dine udvalg."
    on, start = _meeting_moment(form, errors)
    if len(form.place) > 200:
        errors["place"] = "Stedet må højst være 200 tegn."
    if not errors:
        try:
            created = services.create_meeting(
                state.app.initialised_database().unit_of_work(),
                committee_code=form.committee,
                on=on,
                start_time=start,
                place=form.place.strip() or None,
                actor=viewer.actor,
                now=state.clock(),
            )
        except AlreadyExistsError as exc:
            errors["date"] = messages.describe(exc)
        except CouncilError as exc:
            errors["committee"] = messages.describe(exc)
        else:
            return redirect(request, f"/moeder/{created.id}")
    values = form.model_dump(exclude={"csrf_token"})
    return _meeting_form(request, viewer, values, errors, status=400)


def _meeting_moment(form: MeetingForm, errors: Errors) -> tuple[date | None, time | None]:
    on: date | None = None
    try:
        on = parse_date(form.date, what="mødedatoen")
    except InvalidInputError:
        errors["date"] = "Skriv mødets dato som 23.02.2010 eller 2010-02-23."
    start: time | None = None
    if form.time.strip():
        try:
            start = parse_time(form.time, what="mødets klokkeslæt")
        except InvalidInputError:
            errors["time"] = "Skriv klokkeslættet som 15:30 (eller lad feltet stå tomt)."
    return on, start


# ------------------------------------------------------------------ cases


@router.get("/sekretariat/sager/ny")
def new_case_form(request: Request) -> Response:
    desk_user(request)
    return render(request, "web/case_new.html.j2", values={}, errors={})


@router.post("/sekretariat/sager/ny")
def new_case(
    request: Request,
    csrf_token: str = Form(""),
    number: str = Form(""),
    title: str = Form(""),
    owner: str = Form(""),
) -> Response:
    viewer = desk_user(request)
    visit(request).check_csrf(csrf_token)
    state = state_of(request)
    values = {"number": number, "title": title, "owner": owner}
    errors: Errors = {}
    if not services.CASE_NUMBER.match(number.strip()):
        errors["number"] = "Skriv sagens journalnummer, fx 2010-4130 (bogstaver, tal, . / -)."
    if not title.strip():
        errors["title"] = "Skriv sagens titel."
    if not owner.strip():
        errors["owner"] = "Skriv den forvaltning, der ejer sagen."
    elif len(owner) > 200:
        errors["owner"] = "Højst 200 tegn."
    if not errors:
        try:
            created = services.create_case(
                state.app.initialised_database().unit_of_work(),
                number=number,
                title=title,
                owner=owner,
                actor=viewer.actor,
                now=state.clock(),
            )
        except CouncilError as exc:
            errors["number"] = messages.describe(exc)
        else:
            return redirect(request, f"/sager/{created.number}")
    return render(request, "web/case_new.html.j2", status=400, values=values, errors=errors)


# ------------------------------------------------------------------ new items


@router.get("/sekretariat/punkter/ny")
def new_item_form(request: Request, sag: str = "", udvalg: str = "") -> Response:
    viewer = desk_user(request)
    values = {"case": sag, "committee": udvalg.upper(), "kind": "orientering"}
    return _item_form(request, viewer, values, {})


def _item_form(
    request: Request, viewer: Viewer, values: dict[str, str], errors: Errors, status: int = 200
) -> Response:
    return render(
        request,
        "web/item_new.html.j2",
        status=status,
        committees=_committee_choices(request, viewer),
        values=values,
        errors=errors,
    )


class ItemForm(ItemTextsForm):
    """Every field of ``council item draft``; several attachments are one per line."""

    case: str = ""
    committee: str = ""
    attachments: str = ""
    fulfils: str = ""

    def draft(self) -> services.ItemDraft:
        return services.ItemDraft(
            title=self.title,
            kind=self.kind,
            closed=self.closed == "ja",
            summary=self.summary,
            administration=self.administration.strip() or None,
            recommendation=lines(self.points),
            problem=self.problem,
            solution=self.solution,
            economy=self.economy,
            next_steps=self.next_steps,
            signatures=lines(self.signatures),
            attachments=lines(self.attachments),
        )


@router.post("/sekretariat/punkter/ny")
def new_item(request: Request, form: Annotated[ItemForm, Form()]) -> Response:
    viewer = desk_user(request)
    visit(request).check_csrf(form.csrf_token)
    state = state_of(request)
    database = state.app.initialised_database()
    values = form.model_dump(exclude={"csrf_token"})
    errors = _item_errors(request, viewer, form)
    if errors:
        return _item_form(request, viewer, values, errors, status=400)
    try:
        created = services.draft_item(
            database.unit_of_work(),
            state.app.rulebook,
            case_number=form.case,
            committee_code=form.committee,
            draft=form.draft(),
            actor=viewer.actor,
            now=state.clock(),
        )
    except CouncilError as exc:
        field = "case" if isinstance(exc, NotFoundError) and exc.kind == "case" else "title"
        return _item_form(request, viewer, values, {field: messages.describe(exc)}, status=400)
    assert created.id is not None
    if form.fulfils.strip():
        obligation_services.link_item(
            database.unit_of_work(),
            obligation_ref=form.fulfils,
            item_id=created.id,
            actor=viewer.actor,
            now=state.clock(),
        )
    return redirect(request, f"/punkter/{created.id}")


def _item_errors(request: Request, viewer: Viewer, form: ItemForm) -> Errors:
    errors: Errors = {}
    if form.committee not in {code for code, _name in _committee_choices(request, viewer)}:
        errors["committee"] = "Vælg et af dine udvalg."
    if not form.case.strip():
        errors["case"] = "Skriv sagsnummeret, fx 2010-4130."
    if not form.title.strip():
        errors["title"] = "Skriv punktets titel."
    if form.kind not in services.KIND_WORDS:
        errors["kind"] = "Vælg orienteringssag eller beslutningssag."
    if len(form.administration) > 200:
        errors["administration"] = "Højst 200 tegn."
    if form.fulfils.strip() and not errors:
        try:
            obligation_services.obligation_for_item(
                state_of(request).app.initialised_database(),
                form.fulfils,
                committee_code=form.committee,
            )
        except CouncilError:
            errors["fulfils"] = (
                "Ingen statusforpligtelse passer. Skriv dens nummer eller SAG:UDVALG, "
                "fx 2010-4130:BIU, eller lad feltet stå tomt."
            )
    return errors
