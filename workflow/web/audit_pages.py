"""The auditors' pages: the audit verified with its chain head, every case's history (the
case pages, in full for logged-in users, with CSV and JSON downloads), and the outbox of
reminders. Auditors read; nothing here changes anything."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from council.cases.obligations.tables import FAILED, PENDING, SENT
from council.notifications.reminder_text import subject_of
from council.workflow.read_models import audit as audit_reads
from council.workflow.read_models.cases import find_cases
from council.workflow.web.application import render, state_of
from council.workflow.web.forms import auditor

router = APIRouter(include_in_schema=False)
STATUS_LABELS = {PENDING: "Venter", SENT: "Sendt", FAILED: "Fejlet"}


@router.get("/revision")
def audit(request: Request, q: str = "") -> Response:
    auditor(request)
    app = state_of(request).app
    database = app.initialised_database()
    report = audit_reads.audit_check(database, app.attachment_store_if_any())
    cases = find_cases(database, q.strip()[:200], limit=200)
    return render(request, "web/audit.html.j2", report=report, cases=cases, q=q.strip()[:200])


@router.get("/revision/paamindelser")
def outbox(request: Request, status: str = "") -> Response:
    auditor(request)
    wanted = status if status in STATUS_LABELS else None
    rows = audit_reads.outbox(state_of(request).app.initialised_database(), status=wanted)
    return render(
        request,
        "web/outbox.html.j2",
        rows=[(row, subject_of(row.message)) for row in rows],
        shown=wanted,
        labels=STATUS_LABELS,
    )
