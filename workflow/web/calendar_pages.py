"""Calendar subscriptions: the meetings feed for everyone, the deadlines feed at a secret
address per user, and the page that tells both addresses."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from council.workflow.read_models import calendars
from council.workflow.read_models.meetings import every_committee
from council.workflow.services.calendar_addresses import new_calendar_secret
from council.workflow.web.application import PageNotFound, render, state_of, visit
from council.workflow.web.forms import logged_in

router = APIRouter(include_in_schema=False)
ICALENDAR = "text/calendar; charset=utf-8"


def _base(request: Request) -> str:
    """The application's own address, as the request reached it (behind a proxy too)."""
    return str(request.base_url).rstrip("/") + str(request.scope.get("root_path") or "")


def _calendar(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type=ICALENDAR,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, max-age=300",
        },
    )


@router.get("/kalender/moeder.ics")
def meetings_feed(request: Request, udvalg: str = "") -> Response:
    state = state_of(request)
    code = udvalg.strip() or None
    text = calendars.meeting_feed(  # an unknown committee: NotFoundError, a 404 page
        state.app, now=state.clock(), committee_code=code, base_url=_base(request)
    )
    return _calendar(text, f"moeder{'-' + code.lower() if code else ''}.ics")


@router.get("/kalender/frister/{secret}.ics")
def deadlines_feed(request: Request, secret: str) -> Response:
    state = state_of(request)
    owner = calendars.calendar_owner(state.app.initialised_database(), secret)
    if owner is None:
        raise PageNotFound("Der er ingen kalender på denne adresse.")
    codes = list(owner.committees) if owner.role == "sekretariat" else None
    text = calendars.deadline_feed(state.app, now=state.clock(), committee_codes=codes)
    return _calendar(text, "frister.ics")


@router.get("/kalender")
def calendar_page(request: Request) -> Response:
    return _page(request, secret=None)


@router.post("/kalender/frister")
def new_address(request: Request, csrf_token: str = Form("")) -> Response:
    viewer = logged_in(request)
    visit(request).check_csrf(csrf_token)
    state = state_of(request)
    secret = new_calendar_secret(
        state.app.initialised_database().unit_of_work(), viewer=viewer, now=state.clock()
    )
    return _page(request, secret=secret)


def _page(request: Request, *, secret: str | None) -> Response:
    state = state_of(request)
    viewer = visit(request).viewer
    has_address = False
    if viewer is not None:
        has_address = calendars.has_address(state.app.initialised_database(), viewer.id)
    return render(
        request,
        "web/calendar.html.j2",
        base=_base(request),
        committees=every_committee(state.app.initialised_database()),
        secret=secret,
        has_address=has_address or secret is not None,
        headers={"Cache-Control": "no-store"},
    )
