"""Logging in and out."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from council.cases.dates import LOCAL_ZONE
from council.workflow import accounts
from council.workflow.errors import LoginRefused, LoginThrottled
from council.workflow.web.application import redirect, render, state_of, visit
from council.workflow.web.forms import local_path

router = APIRouter(include_in_schema=False)


def _home(viewer: accounts.Viewer) -> str:
    return "/sekretariat" if viewer.changes_things else "/revision"


@router.get("/login")
def login_form(request: Request, naeste: str = "") -> Response:
    current = visit(request).viewer
    if current is not None:
        return redirect(request, local_path(naeste, _home(current)))
    return render(request, "web/login.html.j2", name="", error=None, next=naeste)


@router.post("/login")
def login(
    request: Request,
    name: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    naeste: str = Form(""),
) -> Response:
    current = visit(request)
    current.check_csrf(csrf_token)
    state = state_of(request)
    now = state.clock()
    address = request.client.host if request.client else "?"
    waiting = state.throttle.refused_until(address, now)
    if waiting is not None:
        return _refused(request, name, naeste, _wait_message(waiting), 429)
    try:
        viewer = accounts.authenticate(
            state.app.initialised_database(), name=name, password=password, now=now
        )
    except LoginThrottled as exc:
        state.throttle.failed(address, now)
        return _refused(request, name, naeste, _wait_message(exc.until), 429)
    except LoginRefused:
        state.throttle.failed(address, now)
        return _refused(request, name, naeste, "Forkert brugernavn eller adgangskode.", 401)
    current.log_in(viewer)
    return redirect(request, local_path(naeste, _home(viewer)))


def _wait_message(until: datetime) -> str:
    clock = until.astimezone(LOCAL_ZONE).strftime("%H.%M.%S")
    return f"For mange mislykkede forsøg. Vent til kl. {clock}, og prøv så igen."


def _refused(request: Request, name: str, next_path: str, message: str, status: int) -> Response:
    return render(
        request, "web/login.html.j2", status=status, name=name, error=message, next=next_path
    )


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    current = visit(request)
    current.check_csrf(csrf_token)
    current.log_out()
    return redirect(request, "/")
