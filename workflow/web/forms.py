"""What the routes share: who must be logged in, and reading the fields of a form."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from council.config.errors import CouncilError
from council.workflow.accounts import Viewer
from council.workflow.errors import PermissionRefused
from council.workflow.web.application import LoginRequired, PageNotFound, redirect, visit

Errors = dict[str, str]


class ItemTextsForm(BaseModel):
    """The fields of an item's texts, as the new-item and edit forms send them: several
    points and signatures one per line, the closed flag "ja" when ticked."""

    csrf_token: str = ""
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


def logged_in(request: Request) -> Viewer:
    viewer = visit(request).viewer
    if viewer is None:
        raise LoginRequired
    return viewer


def desk_user(request: Request) -> Viewer:
    """A user who changes things: the secretariat or an administrator."""
    viewer = logged_in(request)
    if not viewer.changes_things:
        raise PermissionRefused(f"en bruger med rollen {viewer.role} kan kun læse")
    return viewer


def auditor(request: Request) -> Viewer:
    """A user who reads the audit: an auditor or an administrator."""
    viewer = logged_in(request)
    if not viewer.audits:
        raise PermissionRefused(f"en bruger med rollen {viewer.role} læser ikke revisionssporet")
    return viewer


def changed(
    request: Request,
    act: Callable[[], object],
    *,
    done: str,
    refused: Callable[[CouncilError], Response],
) -> Response:
    """After a form: ``act`` done, on to the page ``done``; refused (nothing saved), the
    page that ``refused`` shows again with the refusal."""
    try:
        act()
    except CouncilError as exc:
        return refused(exc)
    return redirect(request, done)


def number_in_path(text: str, what: str) -> int:
    """An id from the address; anything but digits is a page that does not exist."""
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise PageNotFound(f"Der findes {what} nr. {text[:40]}.")
    return int(text)


def lines(text: str) -> tuple[str, ...]:
    """The non-empty lines of a text area, each trimmed."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def optional_int(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise ValueError(value)
    return int(value)


def local_path(target: str, default: str) -> str:
    """A return address inside this application, never another site's."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
