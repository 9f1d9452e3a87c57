"""The FastAPI application: its state, the page renderer, the visit of each request and the
error pages (Danish 404 and 403 pages, a 500 page without a traceback, which is logged)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from council.cases.dates import utc_now
from council.cases.errors import DatabaseError, NotFoundError
from council.notifications.rendering import environment
from council.workflow import accounts
from council.workflow.app import App
from council.workflow.errors import PermissionRefused
from council.workflow.web import messages
from council.workflow.web.sessions import CsrfRefused, Sessions, Visit
from council.workflow.web.throttle import AddressThrottle

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("council.web")


class PageNotFound(Exception):
    """An unknown id or name in the address; ``message`` says which, in Danish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LoginRequired(Exception):
    """The page is for logged-in users."""


@dataclass
class WebState:
    """What every request shares: the product, the sessions, the clock, the login throttle."""

    app: App
    sessions: Sessions
    clock: Callable[[], datetime]
    throttle: AddressThrottle


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def visit(request: Request) -> Visit:
    """The request's visitor, read from the session cookie once per request."""
    known = getattr(request.state, "visit", None)
    if isinstance(known, Visit):
        return known
    state = state_of(request)
    session = state.sessions.load(request)
    viewer = None
    if session is not None and session.account_id is not None:
        viewer = accounts.viewer(state.app.database, session.account_id, session.epoch)
        if viewer is None:  # disabled, or the password changed: the session is over
            session = None
    found = Visit(session, viewer)
    if session is None and request.cookies.get("council_session"):
        found.changed = True  # a stale cookie is replaced (or cleared) with the response
    request.state.visit = found
    return found


def render(
    request: Request,
    template: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page through the project's one Jinja2 environment (templates/web/...)."""
    current = visit(request)
    state = state_of(request)
    html = (
        environment()
        .get_template(template)
        .render(
            root=str(request.scope.get("root_path") or ""),
            path=request.url.path,
            viewer=current.viewer,
            visit=current,
            now=state.clock(),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status, headers=headers)
    remember(request, response)
    return response


def remember(request: Request, response: Response) -> None:
    """Write (or clear) the session cookie when the visit changed it."""
    current = visit(request)
    if not current.changed:
        return
    sessions = state_of(request).sessions
    if current.session is None:
        sessions.clear(response, request)
    else:
        sessions.store(response, request, current.session)


def redirect(request: Request, path: str) -> RedirectResponse:
    """303 See Other to a path of this application (after a form was handled)."""
    response = RedirectResponse(str(request.scope.get("root_path") or "") + path, 303)
    remember(request, response)
    return response


def error_page(request: Request, status: int, heading: str, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    try:
        return render(request, "web/error.html.j2", status=status, heading=heading, message=message)
    except Exception:  # the error page itself failed (a broken database): plain words
        log.exception("fejlsiden kunne ikke vises")
        return HTMLResponse(
            f"<!DOCTYPE html><html lang='da'><title>{heading}</title><h1>{heading}</h1>",
            status_code=status,
        )


def create_asgi_app(
    app: App,
    *,
    secret_key: str,
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    """The web application (the ASGI app uvicorn serves) over ``app``'s database and
    rulebook.

    ``clock`` is read once per request that needs the time (the faces read the clock and
    pass ``now`` down); tests and replays give their own.
    """
    from council.workflow.web import (
        api,
        audit_pages,
        auth,
        calendar_pages,
        desk,
        desk_corrections,
        desk_items,
        desk_lists,
        desk_meetings,
        goal_pages,
        public,
    )

    asgi_app = FastAPI(
        title="council – udvalg, dagsordener og beslutninger",
        description=api.DESCRIPTION,
        version="1",
        docs_url=None,  # FastAPI's documentation pages load scripts from a CDN: /api is ours
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    asgi_app.state.web = WebState(app, Sessions(secret_key), clock, AddressThrottle())
    asgi_app.mount("/static", StaticFiles(directory=STATIC), name="static")
    routers = (
        public,
        auth,
        desk,
        desk_items,
        desk_corrections,
        desk_lists,
        desk_meetings,
        goal_pages,
        audit_pages,
        calendar_pages,
        api,
    )
    for router in (module.router for module in routers):
        asgi_app.include_router(router)
    _error_handlers(asgi_app)
    asgi_app.add_middleware(SecurityHeaders)
    return asgi_app


def _error_handlers(asgi_app: FastAPI) -> None:
    handlers: tuple[tuple[type[Exception], Any], ...] = (
        (PageNotFound, _page_not_found),
        (NotFoundError, _unknown_record),
        (StarletteHTTPException, _http_error),
        (RequestValidationError, _invalid_request),
        (LoginRequired, _login_required),
        (PermissionRefused, _forbidden),
        (CsrfRefused, _stale_form),
        (DatabaseError, _busy),
        (Exception, _server_error),
    )
    for error, handler in handlers:
        asgi_app.add_exception_handler(error, handler)


NO_PAGE = "Der er ingen side på denne adresse."


async def _page_not_found(request: Request, exc: PageNotFound) -> Response:
    return error_page(request, 404, "Siden findes ikke", exc.message)


async def _unknown_record(request: Request, exc: NotFoundError) -> Response:
    return error_page(request, 404, "Siden findes ikke", "Det, du leder efter, findes ikke.")


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 404:
        return error_page(request, 404, "Siden findes ikke", NO_PAGE)
    if exc.status_code == 405:
        return error_page(
            request, 405, "Ikke tilladt", "Siden kan ikke bruges på den måde (metode)."
        )
    return error_page(request, exc.status_code, "Fejl", "Forespørgslen kunne ikke behandles.")


async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
        return error_page(request, 404, "Siden findes ikke", NO_PAGE)
    return error_page(
        request, 400, "Forespørgslen er ugyldig", "Oplysningerne i forespørgslen er ugyldige."
    )


async def _login_required(request: Request, exc: LoginRequired) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": "Log ind først."}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(request, f"/login?naeste={quote(target, safe='/')}")


async def _forbidden(request: Request, exc: PermissionRefused) -> Response:
    return error_page(
        request, 403, "Ingen adgang", f"{messages.NOT_ALLOWED} {messages.sentence(exc)}"
    )


async def _stale_form(request: Request, exc: CsrfRefused) -> Response:
    return error_page(
        request,
        403,
        "Formularen kan ikke modtages",
        "Formularen er udløbet eller kom ikke fra denne side. Intet er gemt. "
        "Hent siden igen og prøv på ny.",
    )


async def _busy(request: Request, exc: DatabaseError) -> Response:
    log.error("databasefejl: %s", exc)
    return error_page(request, 503, "Prøv igen om lidt", messages.BUSY)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("uventet fejl ved %s %s", request.method, request.url.path)
    return error_page(
        request,
        500,
        "Der opstod en fejl",
        "Der skete en fejl hos os. Den er skrevet i serverens log. Prøv igen senere.",
    )


class SecurityHeaders:
    """Headers every response carries: no framing, no sniffing, scripts and styles only
    from this application, forms only to it."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; form-action 'self'; "
            b"frame-ancestors 'none'; base-uri 'self'",
        ),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
