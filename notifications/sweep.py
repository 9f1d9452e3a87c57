"""The reminder sweep: what is due at ``now`` becomes outbox rows, each step exactly once.

A sweep reads the lines whose bookmark (``next_check_at``) has come, works out from their
dates and decision history which reminder steps are due (``cases.obligation_schedule``),
renders the ones not yet in the outbox and writes them, then moves each line's bookmark to
its next step (or clears it when none is left). Nothing here reads the clock or talks to a
mail server: ``now`` is given, and ``notifications.delivery`` sends what the outbox holds.

Exactly once: a step's outbox row is unique on (obligation, committee, period, step) and
written with ``ON CONFLICT DO NOTHING``, inside one write transaction per batch of lines
(``BEGIN IMMEDIATE`` on SQLite). A second sweep, a sweep after a restart, or a second
instance finds the row there and writes nothing. A sweep after downtime writes every step
that fell due meanwhile, each once. A fulfilled period gets no step dated on or after its
fulfilment; the obligation's end stops every step after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from cases import obligations as store
from cases.dates import require_aware
from cases.db import Database
from cases.models import AgendaItem
from cases.obligation_schedule import Period, Step, parse_cadence
from notifications.rendering import render

BATCH = 500
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9.-]")


@dataclass(frozen=True)
class SweepResult:
    """The outbox rows a sweep wrote (ids, in the order their steps fell due)."""

    written: list[int]
    lines_checked: int


def sweep(
    database: Database,
    *,
    now: datetime,
    fulfilling_states: Iterable[str],
    send_at: time,
    message_domain: str,
    state_labels: Mapping[str, str] | None = None,
    batch: int = BATCH,
) -> SweepResult:
    """Write every reminder step due at ``now`` that is not in the outbox yet."""
    now = require_aware(now)
    states = frozenset(fulfilling_states)
    labels = dict(state_labels or {})
    written: list[int] = []
    checked = 0
    while True:
        with database.unit_of_work() as uow:
            session = uow.session
            ids = store.due_line_ids(session, now=now, limit=batch)
            if not ids:
                break
            lines = store.lines(session, ids=ids)
            found = store.fulfilments(session, ids, fulfilling_states=states)
            done = store.written_step_keys(session, ids)
            items = store.linked_items(session, ids)
            messages: list[store.NewMessage] = []
            bookmarks: dict[int, datetime | None] = {}
            for line in lines:
                new, bookmarks[line.id] = _line_due(
                    line,
                    fulfilled=store.fulfilled_periods(line, found[line.id]),
                    done=done,
                    now=now,
                    send_at=send_at,
                )
                messages += [
                    _compose(
                        line,
                        period,
                        step,
                        items=items[line.id],
                        labels=labels,
                        domain=message_domain,
                    )
                    for period, step in new
                ]
            messages.sort(key=lambda m: (m.step_at, m.obligation_id, m.step_key))
            written += store.add_to_outbox(session, messages, now=now)
            store.set_next_check(session, bookmarks)
            uow.commit()
            checked += len(ids)
    return SweepResult(written=written, lines_checked=checked)


def _line_due(
    line: store.Line,
    *,
    fulfilled: Mapping[str, store.Fulfilment],
    done: set[tuple[int, str, str]],
    now: datetime,
    send_at: time,
) -> tuple[list[tuple[Period, Step]], datetime | None]:
    """The line's due steps not yet written, and the instant of its next step (or None)."""
    new: list[tuple[Period, Step]] = []
    coming: list[datetime] = []
    for period in line.periods:
        fulfilment = fulfilled.get(period.key)
        fulfilled_on = fulfilment.on if fulfilment else None
        for step in line.steps_due(period, now=now, fulfilled_on=fulfilled_on, send_at=send_at):
            if (line.id, period.key, step.key) not in done:
                new.append((period, step))
        following = line.next_step(period, now=now, fulfilled_on=fulfilled_on, send_at=send_at)
        if following is not None:
            coming.append(following.due_at)
    return new, min(coming, default=None)


def message_id(line: store.Line, period: Period, step: Step, *, domain: str) -> str:
    """The stable Message-ID of one reminder: the same for every attempt to send it."""
    committee = line.obligation.committee_id
    local = f"reminder.{line.id}.{committee}.{period.key}.{step.key}"
    return f"<{_UNSAFE_ID.sub('-', local)}@{_UNSAFE_ID.sub('-', domain) or 'council.invalid'}>"


def reminder_context(
    line: store.Line,
    period: Period,
    step: Step,
    *,
    items: Iterable[AgendaItem] = (),
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What the reminder templates are given, as ``r``."""
    obligation = line.obligation
    interval = parse_cadence(obligation.cadence).interval
    escalation = int(step.key.split("-")[1]) if step.kind == "overdue" else 0
    return {
        "kind": step.kind,
        "step_key": step.key,
        "escalation": escalation,
        "day": step.day,
        "days_before": (period.due - step.day).days,
        "days_overdue": (step.day - period.due).days,
        "escalate_every_days": obligation.escalate_every_days,
        "obligation_id": line.id,
        "about": obligation.about,
        "case_number": line.case_number,
        "case_title": line.case_title,
        "case_owner": line.case_owner,
        "committee_code": line.committee_code,
        "committee_name": line.committee_name,
        "cadence_text": "én gang årligt" if interval == 1 else f"hvert {interval}. år",
        "obligation_start": obligation.starts_on,
        "obligation_end": obligation.ends_on,
        "period_key": period.key,
        "period_start": period.start,
        "due": period.due,
        "linked": [
            {
                "id": item.id,
                "title": item.title,
                "state": (labels or {}).get(item.state, item.state),
            }
            for item in items
        ],
        "recipients": list(obligation.recipients),
    }


def render_reminder(context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text body and HTML body of a reminder (Danish, from the templates)."""
    subject = " ".join(render("reminder_subject.txt.j2", r=context).split())
    text = render("reminder.txt.j2", r=context)
    html = render("reminder.html.j2", r=context, subject=subject)
    return subject, text, html


def _compose(
    line: store.Line,
    period: Period,
    step: Step,
    *,
    items: list[AgendaItem],
    labels: Mapping[str, str],
    domain: str,
) -> store.NewMessage:
    subject, text, html = render_reminder(
        reminder_context(line, period, step, items=items, labels=labels)
    )
    return store.NewMessage(
        obligation_id=line.id,
        committee_id=line.obligation.committee_id,
        period_key=period.key,
        step_key=step.key,
        step_kind=step.kind,
        step_at=step.due_at,
        message_id=message_id(line, period, step, domain=domain),
        recipients=list(line.obligation.recipients),
        subject=subject,
        body_text=text,
        body_html=html,
    )
