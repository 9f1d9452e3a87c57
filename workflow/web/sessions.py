"""Signed session cookies, the CSRF token of every form, and the visit of one request.

The cookie holds the account's id, the account's session epoch (a new password or a
disabled account moves it on, which ends the session) and the CSRF token, signed with the
server's secret (itsdangerous) and valid for eight hours. It is HttpOnly, SameSite=Lax,
and Secure whenever the request came over HTTPS (directly, or through a proxy whose
forwarded headers uvicorn trusts). Anonymous visitors get a cookie only when a page shows
them a form (the login form), for its CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from council.workflow.accounts import Viewer

COOKIE = "council_session"
MAX_AGE_SECONDS = 8 * 3600
CSRF_FIELD = "csrf_token"


class CsrfRefused(Exception):
    """A form came without the token of the session that showed it."""


@dataclass(frozen=True)
class SessionData:
    account_id: int | None
    epoch: int
    csrf: str


class Sessions:
    """Reads and writes the signed session cookie."""

    def __init__(self, secret_key: str) -> None:
        self._signer = URLSafeTimedSerializer(secret_key, salt="council-web-session")

    def load(self, request: Request) -> SessionData | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data: Any = self._signer.loads(raw, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        account, epoch, csrf = data.get("a"), data.get("e"), data.get("c")
        if not isinstance(csrf, str) or not isinstance(epoch, int):
            return None
        if account is not None and not isinstance(account, int):
            return None
        return SessionData(account, epoch, csrf)

    def store(self, response: Response, request: Request, data: SessionData) -> None:
        value = self._signer.dumps({"a": data.account_id, "e": data.epoch, "c": data.csrf})
        response.set_cookie(
            COOKIE,
            value,
            max_age=MAX_AGE_SECONDS,
            path=_cookie_path(request),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )

    def clear(self, response: Response, request: Request) -> None:
        response.delete_cookie(
            COOKIE,
            path=_cookie_path(request),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )


def _cookie_path(request: Request) -> str:
    return str(request.scope.get("root_path") or "") or "/"


def new_session(account_id: int | None = None, epoch: int = 0) -> SessionData:
    return SessionData(account_id, epoch, secrets.token_urlsafe(32))


class Visit:
    """One request's visitor: who is logged in, and the session's CSRF token."""

    def __init__(self, session: SessionData | None, viewer: Viewer | None) -> None:
        self.session = session
        self.viewer = viewer
        self.changed = False  # the cookie must be (re)written with the response

    @property
    def csrf_token(self) -> str:
        """The token for the forms of this page; a visitor without a session gets one."""
        if self.session is None:
            self.session = new_session()
            self.changed = True
        return self.session.csrf

    def check_csrf(self, submitted: str) -> None:
        expected = self.session.csrf if self.session is not None else ""
        if not expected or not hmac.compare_digest(expected.encode(), submitted.encode()):
            raise CsrfRefused("formularens nøgle passer ikke til sessionen")

    def log_in(self, viewer: Viewer) -> None:
        """A fresh session (and CSRF token) for the user: nothing carries over from before."""
        self.session = new_session(viewer.id, viewer.epoch)
        self.viewer = viewer
        self.changed = True

    def log_out(self) -> None:
        self.session = None
        self.viewer = None
        self.changed = True
