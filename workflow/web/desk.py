"""The secretariat's desk: what needs attention, new cases, meetings and items, putting an
item before a meeting, recording a decision and closing a meeting.

Each act is the CLI's: the same service function with the logged-in user as the actor and
the item's version from the page as ``expected_version`` (a stale form is refused with what
changed since). A mistake in a form shows the form again with the message by the field;
nothing is saved.
"""

from __future__ import annotations

from datetime import date, time

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from council.cases.dates import parse_date, parse_time
from council.cases.db import Database
from council.cases.errors import (
    AlreadyExistsError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
)
from council.cases.models import AgendaItem, Committee
from council.config.errors import CouncilError
from council.workflow import goal_services, obligation_services, permissions, reads, services
from council.workflow.accounts import Viewer
from council.workflow.errors import GuardRefused, WorkflowError
from council.workflow.web import goal_pages, messages
from council.workflow.web.application import (
    PageNotFound,
    WebState,
    redirect,
    render,
    state_of,
    visit,
)
from council.workflow.web.closed_items import shows_closed_items
from council.workflow.web.forms import (
    Errors,
    desk_user,
    lines,
    local_path,
    number_in_path,
    optional_int,
)
from council.workflow.web.public import meeting_view

router = APIRouter(include_in_schema=False)


@router.get("/sekretariat")
def start(request: Request) -> Response:
    viewer = desk_user(request)
    state = state_of(request)
    codes = None if viewer.role == "admin" else tuple(sorted(viewer.committees))
    summary = reads.overview(state.app, committee_codes=codes, now=state.clock())
    return render(request, "web/start.html.j2", overview=summary, label=state.app.rulebook.label)


# ------------------------------------------------------------------ items


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
    viewer = visit(request).viewer
    database = state.app.initialised_database()
    try:
        page = reads.item_page(
            database,
            state.app.rulebook,
            item_id,
            internal=shows_closed_items(viewer),
            desk=viewer is not None and viewer.changes_things,
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes intet punkt nr. {item_id}.") from None
    actions = permissions.actions_for(
        state.app.rulebook, viewer, item=page.item, committee=page.committee
    )
    changes = reads.changes_since(database, item_id, stale_since) if stale_since else []
    goals = goal_pages.goal_form(
        request,
        None
        if page.document.item.withheld
        else goal_services.item_goals(
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
    )


def _version(text: str) -> int | None:
    try:
        return optional_int(text)
    except ValueError:
        return None


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
    visit(request).check_csrf(csrf_token)
    state = state_of(request)
    identifier = number_in_path(item_id, "intet punkt")
    database = state.app.initialised_database()
    item, committee = _item_facts(database, identifier)
    expected = _version(version)
    if expected is not None and expected != item.version:
        return item_view(request, identifier, status=409, stale_since=expected)
    permissions.require_action(
        state.app.rulebook, viewer, item=item, committee=committee, trigger=_present_trigger(state)
    )
    values = {"meeting": meeting, "number": number}
    errors: Errors = {}
    try:
        agenda_number = optional_int(number)
    except ValueError:
        errors["number"] = "Skriv et helt tal fra 1 og op, eller lad feltet stå tomt."
        agenda_number = None
    if not (meeting.isascii() and meeting.isdigit()):
        errors["meeting"] = "Vælg et møde."
    back = local_path(tilbage, f"/punkter/{identifier}")
    if errors:
        return _present_refused(request, identifier, back, errors, values)
    try:
        services.present_item(
            database.unit_of_work(),
            state.app.rulebook,
            item_id=identifier,
            meeting_ref=meeting,
            number=agenda_number,
            actor=viewer.actor,
            now=state.clock(),
            expected_version=expected,
        )
    except ConflictError:
        return item_view(request, identifier, status=409, stale_since=expected)
    except AlreadyExistsError:
        errors["number"] = f"Dagsordenen har allerede et punkt nr. {agenda_number}. Vælg et andet."
    except InvalidInputError:
        errors["number"] = "Et punktnummer er 1 eller derover."
    except GuardRefused as exc:
        errors["meeting"] = messages.describe(exc)
    except NotFoundError:
        errors["meeting"] = "Mødet findes ikke. Vælg et andet."
    except WorkflowError as exc:
        errors["meeting"] = messages.describe(exc)
    if errors:
        return _present_refused(request, identifier, back, errors, values)
    return redirect(request, back)


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


def _item_facts(database: Database, item_id: int) -> tuple[AgendaItem, Committee]:
    try:
        return reads.item_facts(database, item_id)
    except NotFoundError:
        raise PageNotFound(f"Der findes intet punkt nr. {item_id}.") from None


@router.get("/punkter/{item_id}/beslut/{trigger}")
def decision_form(request: Request, item_id: str, trigger: str, version: str = "") -> Response:
    viewer = desk_user(request)
    state = state_of(request)
    identifier = number_in_path(item_id, "intet punkt")
    database = state.app.initialised_database()
    item, committee = _item_facts(database, identifier)
    action = permissions.require_action(
        state.app.rulebook, viewer, item=item, committee=committee, trigger=trigger
    )
    page = reads.item_page(database, state.app.rulebook, identifier, internal=True)
    on = page.before_meeting.date if page.before_meeting else None
    values = {
        "text": action.sentence or "",
        "date": on.strftime("%d.%m.%Y") if on else "",
        "version": version or str(page.item.version),
    }
    return _decision_page(request, page, action, values, {})


def _decision_page(
    request: Request,
    page: reads.ItemPage,
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
    visit(request).check_csrf(csrf_token)
    state = state_of(request)
    identifier = number_in_path(item_id, "intet punkt")
    database = state.app.initialised_database()
    item, committee = _item_facts(database, identifier)
    expected = _version(version)
    if expected is not None and expected != item.version:
        return item_view(request, identifier, status=409, stale_since=expected)
    action = permissions.require_action(
        state.app.rulebook, viewer, item=item, committee=committee, trigger=trigger
    )
    values = {"text": text, "date": date_text, "version": version}
    errors: Errors = {}
    if not text.strip():
        errors["text"] = "Skriv beslutningens tekst (fx standardsætningen)."
    decided_on: date | None = None
    if date_text.strip():
        try:
            decided_on = parse_date(date_text, what="decision date")
        except InvalidInputError:
            errors["date"] = "Skriv datoen som 23.02.2010 (eller lad feltet stå tomt)."
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
        except ConflictError:
            return item_view(request, identifier, status=409, stale_since=expected)
        except GuardRefused as exc:
            errors["date" if exc.guard == "decided_on_or_after_meeting" else "text"] = (
                messages.describe(exc)
            )
        except CouncilError as exc:
            errors["text"] = messages.describe(exc)
    if errors:
        page = reads.item_page(database, state.app.rulebook, identifier, internal=True)
        return _decision_page(request, page, action, values, errors, status=400)
    return redirect(request, f"/punkter/{identifier}")


# ------------------------------------------------------------------ meetings


@router.post("/moeder/{meeting_id}/luk")
def close_meeting(request: Request, meeting_id: str, csrf_token: str = Form("")) -> Response:
    viewer = desk_user(request)
    visit(request).check_csrf(csrf_token)
    state = state_of(request)
    identifier = number_in_path(meeting_id, "intet møde")
    database = state.app.initialised_database()
    try:
        meeting, committee = reads.meeting_facts(database, identifier)
    except NotFoundError:
        raise PageNotFound(f"Der findes intet møde nr. {identifier}.") from None
    permissions.require_committee(viewer, committee.code)
    if meeting.held_at is not None:
        return meeting_view(request, identifier, status=400, error="Mødet er allerede lukket.")
    try:
        services.close_meeting(
            database.unit_of_work(),
            state.app.rulebook,
            meeting_ref=str(identifier),
            actor=viewer.actor,
            now=state.clock(),
        )
    except WorkflowError:
        message = "Mødet kan ikke lukkes, før hvert punkt på dagsordenen har en beslutning."
        return meeting_view(request, identifier, status=400, error=message)
    return redirect(request, f"/moeder/{identifier}")


def _committee_choices(request: Request, viewer: Viewer) -> list[tuple[str, str]]:
    committees = reads.committees(state_of(request).app.initialised_database())
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


@router.post("/sekretariat/moeder/ny")
def new_meeting(
    request: Request,
    csrf_token: str = Form(""),
    committee: str = Form(""),
    date_text: str = Form("", alias="date"),
    time_text: str = Form("", alias="time"),
    place: str = Form(""),
) -> Response:
    viewer = desk_user(request)
    visit(request).check_csrf(csrf_token)
    state = state_of(request)
    values = {"committee": committee, "date": date_text, "time": time_text, "place": place}
    errors: Errors = {}
    if committee not in {code for code, _name in _committee_choices(request, viewer)}:
        errors["committee"] = "Vælg et af dine udvalg."
    on: date | None = None
    try:
        on = parse_date(date_text, what="meeting date")
    except InvalidInputError:
        errors["date"] = "Skriv mødets dato som 23.02.2010 eller 2010-02-23."
    start: time | None = None
    if time_text.strip():
        try:
            start = parse_time(time_text, what="meeting time")
        except InvalidInputError:
            errors["time"] = "Skriv klokkeslættet som 15:30 (eller lad feltet stå tomt)."
    if len(place) > 200:
        errors["place"] = "Stedet må højst være 200 tegn."
    if not errors:
        try:
            created = services.create_meeting(
                state.app.initialised_database().unit_of_work(),
                committee_code=committee,
                on=on,
                start_time=start,
                place=place.strip() or None,
                actor=viewer.actor,
                now=state.clock(),
            )
        except AlreadyExistsError:
            errors["date"] = "Udvalget har allerede et møde den dag."
        except CouncilError as exc:
            errors["committee"] = messages.describe(exc)
        else:
            return redirect(request, f"/moeder/{created.id}")
    return _meeting_form(request, viewer, values, errors, status=400)


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
        except AlreadyExistsError:
            errors["number"] = "Der findes allerede en sag med det nummer."
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


@router.post("/sekretariat/punkter/ny")
def new_item(
    request: Request,
    csrf_token: str = Form(""),
    case: str = Form(""),
    committee: str = Form(""),
    title: str = Form(""),
    kind: str = Form(""),
    closed: str = Form(""),
    summary: str = Form(""),
    administration: str = Form(""),
    points: str = Form(""),
    problem: str = Form(""),
    solution: str = Form(""),
    economy: str = Form(""),
    next_steps: str = Form(""),
    signatures: str = Form(""),
    attachments: str = Form(""),
    fulfils: str = Form(""),
) -> Response:
    """Every field of ``council item draft``; several points, signatures and attachments are
    one per line."""
    viewer = desk_user(request)
    visit(request).check_csrf(csrf_token)
    state = state_of(request)
    database = state.app.initialised_database()
    values = {
        "case": case,
        "committee": committee,
        "title": title,
        "kind": kind,
        "closed": closed,
        "summary": summary,
        "administration": administration,
        "points": points,
        "problem": problem,
        "solution": solution,
        "economy": economy,
        "next_steps": next_steps,
        "signatures": signatures,
        "attachments": attachments,
        "fulfils": fulfils,
    }
    errors: Errors = {}
    if committee not in {code for code, _name in _committee_choices(request, viewer)}:
        errors["committee"] = "Vælg et af dine udvalg."
    if not case.strip():
        errors["case"] = "Skriv sagsnummeret, fx 2010-4130."
    if not title.strip():
        errors["title"] = "Skriv punktets titel."
    if kind not in services.KIND_WORDS:
        errors["kind"] = "Vælg orienteringssag eller beslutningssag."
    if len(administration) > 200:
        errors["administration"] = "Højst 200 tegn."
    if fulfils.strip() and not errors:
        try:
            obligation_services.obligation_for_item(database, fulfils, committee_code=committee)
        except CouncilError:
            errors["fulfils"] = (
                "Ingen statusforpligtelse passer. Skriv dens nummer eller SAG:UDVALG, "
                "fx 2010-4130:BIU, eller lad feltet stå tomt."
            )
    if errors:
        return _item_form(request, viewer, values, errors, status=400)
    draft = services.ItemDraft(
        title=title,
        kind=kind,
        closed=closed == "ja",
        summary=summary,
        administration=administration.strip() or None,
        recommendation=lines(points),
        problem=problem,
        solution=solution,
        economy=economy,
        next_steps=next_steps,
        signatures=lines(signatures),
        attachments=lines(attachments),
    )
    try:
        created = services.draft_item(
            database.unit_of_work(),
            state.app.rulebook,
            case_number=case,
            committee_code=committee,
            draft=draft,
            actor=viewer.actor,
            now=state.clock(),
        )
    except NotFoundError:
        errors["case"] = "Der findes ingen sag med det nummer. Opret sagen først."
        return _item_form(request, viewer, values, errors, status=400)
    except CouncilError as exc:
        errors["title"] = messages.describe(exc)
        return _item_form(request, viewer, values, errors, status=400)
    assert created.id is not None
    if fulfils.strip():
        obligation_services.link_item(
            database.unit_of_work(),
            obligation_ref=fulfils,
            item_id=created.id,
            actor=viewer.actor,
            now=state.clock(),
        )
    return redirect(request, f"/punkter/{created.id}")
