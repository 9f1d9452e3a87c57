"""``GET /api/...``: committees, meetings, items, case histories and obligations as JSON.

Read-only, with the pages' closed-item rule: for a caller who may not read a closed item
(anyone not logged in) it is its number and "Lukket punkt", nothing more. Code names
(states, outcomes) as in ``council history --json``; dates ISO, timestamps UTC. The page
``/api`` documents every endpoint from FastAPI's OpenAPI description
(``/api/openapi.json``), without scripts from elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from council.cases.dates import parse_moment
from council.cases.errors import NotFoundError
from council.cases.models import Meeting
from council.config.errors import CouncilError
from council.notifications.documents import ItemView
from council.workflow.audit_files import audit_files
from council.workflow.read_models import meetings as meeting_reads
from council.workflow.read_models.items import item_page
from council.workflow.read_models.lists import status_of
from council.workflow.read_models.obligations import obligation_table
from council.workflow.visibility import CLOSED_LABEL
from council.workflow.web.application import PageNotFound, render, state_of, visit
from council.workflow.web.closed_items import audience_of
from council.workflow.web.forms import number_in_path
from council.workflow.web.public import history_records

DESCRIPTION = (
    "Læseadgang til udvalg, møder, dagsordenspunkter, sagshistorik og statusforpligtelser. "
    "Lukkede punkter vises kun som nummer og «Lukket punkt», medmindre man er logget ind."
)
router = APIRouter(prefix="/api", tags=["api"])


class CommitteeOut(BaseModel):
    code: str = Field(description="Udvalgets kode, fx BIU")
    name: str
    administration: str = Field(description="Forvaltningen, der skriver indstillingerne")


class CancellationOut(BaseModel):
    at: dt.datetime = Field(description="Tidspunkt for aflysningen i UTC")
    reason: str | None = Field(description="Begrundelsen for aflysningen")


class MeetingOut(BaseModel):
    id: int
    committee: str
    date: dt.date | None = Field(description="Mødets dato; null når kilden ikke angiver den")
    start_time: str | None
    place: str | None
    held: bool = Field(description="Mødet er holdt (lukket)")
    status: str = Field(description="planlagt, afholdt eller aflyst (kodenavn)")
    cancelled: CancellationOut | None = Field(
        description="Når mødet er aflyst: hvornår og hvorfor; ellers null"
    )
    minutes_approved_on: dt.date | None = Field(
        description="Dagen, udvalget godkendte beslutningsprotokollen; null indtil da"
    )


class DecisionOut(BaseModel):
    heading: str = Field(description="Fx «Socialudvalgets beslutning den 23.02.2010»")
    date: dt.date | None
    text: str = Field(description="Beslutningen ordret")
    outcome: str | None = Field(description="Udfaldets danske betegnelse; null: uklassificeret")


class ItemOut(BaseModel):
    id: int
    number: int | None = Field(description="Nummer på (seneste) dagsorden")
    closed: bool = Field(description="Lukket punkt")
    withheld: bool = Field(description="Indholdet er udeladt, fordi punktet er lukket")
    title: str = Field(description="Titlen; «Lukket punkt» når indholdet er udeladt")
    case_number: str | None
    committee: str
    state: str | None = Field(description="Status som kodenavn, fx forelagt")
    recommendation: list[str] = Field(description="Indstillingens «at ...»-punkter")
    decisions: list[DecisionOut]


class MeetingDetail(MeetingOut):
    document: str = Field(description="agenda (dagsorden) eller minutes (beslutningsprotokol)")
    items: list[ItemOut]


class HistoryRecord(BaseModel):
    seq: int = Field(description="Revisionssporets løbenummer")
    item: int
    committee: str
    meeting_id: int | None
    meeting_date: str | None
    agenda_number: int | None
    trigger: str | None
    from_state: str | None
    to_state: str | None
    outcome: str | None
    text: str | None
    decided_on: str | None
    actor: str
    recorded_at: str = Field(description="Tidspunkt i UTC")
    closed: bool = Field(description="Lukket punkt: for offentligheden kun hvor og hvornår")


class ObligationOut(BaseModel):
    id: int
    case_number: str
    committee: str
    period: str = Field(description="Periodens navn, fx 2009")
    starts_on: dt.date
    due: dt.date
    state: str = Field(description="upcoming, due_soon, overdue, fulfilled eller late_fulfilled")
    fulfilled_on: dt.date | None
    fulfilled_by_item: int | None
    next_reminder: dt.date | None
    recipients: list[str] | None = Field(description="Kun for indloggede")


@router.get("/committees", summary="Alle udvalg")
def committees(request: Request) -> list[CommitteeOut]:
    found = meeting_reads.every_committee(state_of(request).app.initialised_database())
    return [CommitteeOut(code=c.code, name=c.name, administration=c.administration) for c in found]


@router.get("/committees/{code}/meetings", summary="Et udvalgs møder, de seneste først")
def committee_meetings(request: Request, code: str) -> list[MeetingOut]:
    try:
        committee, meetings = meeting_reads.committee_meetings(
            state_of(request).app.initialised_database(), code
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes intet udvalg med koden {code[:40]}.") from None
    cancelled = meeting_reads.cancellations(state_of(request).app.initialised_database(), meetings)
    return [_meeting(m, committee.code, cancelled.get(m.id or 0)) for m in meetings]


def _meeting(
    meeting: Meeting, code: str, cancelled: meeting_reads.Cancellation | None
) -> MeetingOut:
    return MeetingOut(
        id=meeting.id,
        committee=code,
        date=meeting.date,
        start_time=meeting.start_time.strftime("%H:%M") if meeting.start_time else None,
        place=meeting.place,
        held=meeting.held_at is not None,
        status=status_of(meeting),
        cancelled=(
            CancellationOut(at=cancelled.at, reason=cancelled.reason) if cancelled else None
        ),
        minutes_approved_on=meeting.minutes_approved_on,
    )


@router.get(
    "/meetings/{meeting_id}",
    summary="Et møde med dagsorden (eller beslutningsprotokol, når mødet er holdt)",
)
def meeting(request: Request, meeting_id: str) -> MeetingDetail:
    identifier = number_in_path(meeting_id, "intet møde")
    state = state_of(request)
    try:
        page = meeting_reads.meeting_page(
            state.app.initialised_database(),
            state.app.rulebook,
            identifier,
            audience=audience_of(visit(request).viewer),
            files=audit_files(state.app),
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes intet møde nr. {identifier}.") from None
    states = {line.item_id: line.state for line in page.view.lines} if page.view else {}
    cancelled = meeting_reads.cancellations(state.app.initialised_database(), [page.meeting])
    return MeetingDetail(
        **_meeting(page.meeting, page.committee.code, cancelled.get(identifier)).model_dump(),
        document=page.document.template,
        items=[
            _item(view, page.committee.code, states.get(view.item_id))
            for view in page.document.items
        ],
    )


@router.get("/items/{item_id}", summary="Et dagsordenspunkt med alle beslutninger")
def item(request: Request, item_id: str) -> ItemOut:
    identifier = number_in_path(item_id, "intet punkt")
    state = state_of(request)
    try:
        page = item_page(
            state.app.initialised_database(),
            state.app.rulebook,
            identifier,
            audience=audience_of(visit(request).viewer),
        )
    except NotFoundError:
        raise PageNotFound(f"Der findes intet punkt nr. {identifier}.") from None
    return _item(page.document.item, page.committee.code, page.item.state)


def _item(view: ItemView, committee: str, state: str | None) -> ItemOut:
    if view.withheld:
        return ItemOut(
            id=view.item_id,
            number=view.number,
            closed=True,
            withheld=True,
            title=CLOSED_LABEL,
            case_number=None,
            committee=committee,
            state=None,
            recommendation=[],
            decisions=[],
        )
    return ItemOut(
        id=view.item_id,
        number=view.number,
        closed=view.closed,
        withheld=False,
        title=view.title,
        case_number=view.case_number,
        committee=committee,
        state=state,
        recommendation=list(view.points),
        decisions=[
            DecisionOut(heading=d.heading, date=d.date, text=d.text, outcome=d.outcome)
            for d in view.decisions
        ],
    )


@router.get(
    "/cases/{number:path}/history",
    summary="En sags beslutningshistorik (som council history --json)",
)
def case_history(request: Request, number: str) -> list[HistoryRecord]:
    return [HistoryRecord(**record) for record in history_records(request, number)]


@router.get("/obligations", summary="Statusforpligtelser og hvor hver periode står")
def obligations(request: Request, at: str = "", committee: str = "") -> list[ObligationOut]:
    """at: en dato (2010-01-15) at se tilstanden på; committee: kun det udvalg."""
    state = state_of(request)
    now = state.clock()
    if at.strip():
        try:
            now = parse_moment(at, what="at", end_of_day=True)
        except CouncilError:
            raise PageNotFound("Datoen i «at» kan ikke læses; skriv den som 2010-01-15.") from None
    try:
        rows = obligation_table(state.app, now=now, committee_code=committee.strip() or None)
    except NotFoundError:
        raise PageNotFound(f"Der findes intet udvalg med koden {committee[:40]}.") from None
    staff = visit(request).viewer is not None
    return [
        ObligationOut(
            id=row.line.id,
            case_number=row.line.case_number,
            committee=row.line.committee_code,
            period=row.period.key,
            starts_on=row.period.start,
            due=row.period.due,
            state=row.state.kind,
            fulfilled_on=row.fulfilled_by.on if row.fulfilled_by else None,
            fulfilled_by_item=row.fulfilled_by.item_id if row.fulfilled_by else None,
            next_reminder=row.next_step.day if row.next_step else None,
            recipients=list(row.line.recipients) if staff else None,
        )
        for row in rows
    ]


@router.get("", include_in_schema=False)
def documentation(request: Request) -> Response:
    """The API described from its OpenAPI document, as a page of this site."""
    schema = request.app.openapi()
    endpoints = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "parameters": operation.get("parameters", []),
            "returns": _returns(operation),
        }
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
    ]
    models = schema.get("components", {}).get("schemas", {})
    shown = {name: model for name, model in models.items() if not name.startswith("HTTP")}
    shown.pop("ValidationError", None)
    return render(
        request,
        "web/api.html.j2",
        endpoints=endpoints,
        models=shown,
        description=schema.get("info", {}).get("description", ""),
    )


def _returns(operation: dict[str, Any]) -> str:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "items" in schema:
        return "liste af " + str(schema["items"].get("$ref", "")).rsplit("/", 1)[-1]
    return str(schema.get("$ref", "")).rsplit("/", 1)[-1]
