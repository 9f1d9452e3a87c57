"""The public pages: committees, meetings with their agenda or minutes, items, case
histories, search and the history downloads. Logged-in users see more on the same pages
(closed items in full; the secretariat its buttons)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from council.cases.case_history import HistoryRow
from council.cases.errors import NotFoundError
from council.notifications.documents import render_document
from council.workflow import permissions
from council.workflow.audit_files import audit_files
from council.workflow.read_models import cases, history
from council.workflow.read_models.meetings import (
    committee_meetings,
    every_committee,
    meeting_document,
    meeting_page,
)
from council.workflow.visibility import Audience
from council.workflow.web.application import PageNotFound, render, state_of, visit
from council.workflow.web.closed_items import audience_of
from council.workflow.web.forms import number_in_path

router = APIRouter(include_in_schema=False)
log = logging.getLogger("council.web")
DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@router.get("/")
def front(request: Request) -> Response:
    database = state_of(request).app.initialised_database()
    return render(request, "web/front.html.j2", committees=every_committee(database))


@router.get("/udvalg/{code}")
def committee(request: Request, code: str) -> Response:
    database = state_of(request).app.initialised_database()
    try:
        found, meetings = committee_meetings(database, code)
    except NotFoundError:
        raise PageNotFound(f"Der findes intet udvalg med koden {code[:40]}.") from None
    coming = [m for m in meetings if m.held_at is None]
    coming.reverse()  # soonest first
    held = [m for m in meetings if m.held_at is not None]
    return render(
        request,
        "web/committee.html.j2",
        committee=found,
        coming=coming,
        held=held,
        acting=permissions.may_act_on(visit(request).viewer, found.code),
    )


def meeting_view(
    request: Request,
    meeting_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    errors: dict[int, str] | None = None,
) -> Response:
    """The meeting page; a refused act on it is shown again with ``error`` (the meeting)
    or ``errors`` (by item)."""
    state = state_of(request)
    viewer = visit(request).viewer
    try:
        page = meeting_page(
            state.app.initialised_database(),
            state.app.rulebook,
            meeting_id,
            audience=audience_of(viewer),
            files=audit_files(state.app),
            desk=viewer is not None and viewer.changes_things,
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes intet møde nr. {meeting_id}.") from None
    return render(
        request,
        "web/meeting.html.j2",
        status=status,
        page=page,
        document=page.document,
        acting=permissions.may_act_on(viewer, page.committee.code),
        error=error,
        errors=errors or {},
        label=state.app.rulebook.label,
    )


@router.get("/moeder/{meeting_id}")
def meeting(request: Request, meeting_id: str) -> Response:
    return meeting_view(request, number_in_path(meeting_id, "intet møde"))


@router.get("/moeder/{meeting_id}/dagsorden")
def agenda_document(request: Request, meeting_id: str) -> Response:
    return _document(request, number_in_path(meeting_id, "intet møde"), minutes=False)


@router.get("/moeder/{meeting_id}/beslutningsprotokol")
def minutes_document(request: Request, meeting_id: str) -> Response:
    return _document(request, number_in_path(meeting_id, "intet møde"), minutes=True)


def _document(request: Request, meeting_id: int, *, minutes: bool) -> Response:
    """The agenda or minutes exactly as ``council render ... --format html`` makes them."""
    state = state_of(request)
    try:
        document = meeting_document(
            state.app.initialised_database(),
            state.app.rulebook,
            str(meeting_id),
            minutes=minutes,
            audience=audience_of(visit(request).viewer),
            files=audit_files(state.app),
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes intet møde nr. {meeting_id}.") from None
    if minutes and not document.held:
        raise PageNotFound("Mødet er ikke holdt endnu, så der er ingen beslutningsprotokol.")
    return Response(
        render_document(document, fmt="html"),
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": DOCUMENT_POLICY},
    )


@router.get("/bilag/{attachment_id}")
@router.get("/bilag/{attachment_id}/{name}")
def attachment_file(request: Request, attachment_id: str, name: str = "") -> Response:
    """A bilag's file with its own type; inline where a browser shows it safely, else a
    download. A closed item's files are served only to those who may see the item."""
    from council.cases.errors import AttachmentStoreError
    from council.workflow.read_models.attachments import attachment_download

    state = state_of(request)
    identifier = number_in_path(attachment_id, "intet bilag")
    try:
        download = attachment_download(
            state.app.initialised_database(),
            state.app.attachment_store(),
            identifier,
            audience=audience_of(visit(request).viewer),
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes intet bilag nr. {identifier}.") from None
    except AttachmentStoreError as exc:
        log.error("bilag %s kan ikke udleveres: %s", identifier, exc)
        raise PageNotFound(f"Bilag nr. {identifier} kan ikke hentes lige nu.") from None
    media_type = download.media_type
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    disposition = "inline" if download.inline else "attachment"
    return Response(
        download.content,
        media_type=media_type,
        headers={
            "Content-Disposition": f"{disposition}; {_file_name_parameters(download.file_name)}",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-cache",
        },
    )


def _file_name_parameters(name: str) -> str:
    """``filename`` (ASCII, for old clients) and ``filename*`` (RFC 6266, UTF-8)."""
    from urllib.parse import quote

    plain = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)
    return f"filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get("/punkter/{item_id}")
def item(request: Request, item_id: str) -> Response:
    from council.workflow.web.desk_items import item_view

    return item_view(request, number_in_path(item_id, "intet punkt"))


@router.get("/sager/{number:path}/historik.csv")
def history_csv(request: Request, number: str) -> Response:
    rows, viewers = history_rows(request, number)
    rulebook = state_of(request).app.rulebook
    return Response(
        history.csv_export(rows, viewers, rulebook=rulebook, dialect="plain"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _attachment(number, "csv")},
    )


@router.get("/sager/{number:path}/historik.json")
def history_json(request: Request, number: str) -> Response:
    rows, viewers = history_rows(request, number)
    return Response(
        history.json_export(rows, viewers),
        media_type="application/json",
        headers={"Content-Disposition": _attachment(number, "json")},
    )


def history_rows(request: Request, number: str) -> tuple[list[HistoryRow], Audience]:
    """The case's history rows and who reads them (the downloads and the JSON API apply
    the one visibility rule: a closed item's rows keep only where and when for the public)."""
    database = state_of(request).app.initialised_database()
    try:
        rows = history.case_history(database, number)
    except NotFoundError:
        raise PageNotFound(f"Der findes ingen sag nr. {number[:40]}.") from None
    return rows, audience_of(visit(request).viewer)


def history_records(request: Request, number: str) -> list[dict[str, Any]]:
    rows, viewers = history_rows(request, number)
    return [history.as_json_record(row, viewers) for row in rows]


def _attachment(number: str, suffix: str) -> str:
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in number)
    return f'attachment; filename="historik-{safe}.{suffix}"'


@router.get("/sager/{number:path}")
def case(request: Request, number: str) -> Response:
    state = state_of(request)
    viewer = visit(request).viewer
    try:
        document = cases.case_page(
            state.app.initialised_database(),
            state.app.rulebook,
            number,
            audience=audience_of(viewer),
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes ingen sag nr. {number[:40]}.") from None
    return render(request, "web/case.html.j2", document=document)


@router.get("/soeg")
def search(request: Request, q: str = "") -> Response:
    """The same search as ``council search``, as the visitor may see it (closed items
    only for those logged in)."""
    from council.cases.errors import InvalidInputError
    from council.workflow.read_models.search import MAX_QUERY_LENGTH
    from council.workflow.read_models.search import search as find

    state = state_of(request)
    text = q.strip()
    hits, problem = [], None
    if len(text) > MAX_QUERY_LENGTH:
        problem = f"Søgningen er for lang; skriv højst {MAX_QUERY_LENGTH} tegn."
    elif text:
        try:
            hits = find(
                state.app.initialised_database(),
                state.app.rulebook,
                text,
                audience=audience_of(visit(request).viewer),
            )
        except InvalidInputError:
            problem = "Søgningen har intet ord at søge efter (kun meget almindelige ord)."
    return render(
        request,
        "web/search.html.j2",
        status=400 if problem else 200,
        q=text[:MAX_QUERY_LENGTH],
        hits=hits,
        problem=problem,
    )
