"""What a reminder says: the facts the sweep keeps with each outbox row, and the e-mail
rendered from them when it is delivered.

The sweep decides what is due and writes each step once; it does not render. It stores
with the step a snapshot of the facts the text is made of (case, committee, obligation,
period, the step's day, the linked items and their states) as JSON in the row's
``facts``. Delivery renders subject, text and HTML from that snapshot through the Jinja2
templates (``reminder_subject.txt.j2``, ``reminder.txt.j2``, ``reminder.html.j2``) when it
first claims the row, and keeps them on the row, so every attempt sends the same text,
whatever has changed in the case since. The Message-ID is fixed when the row is written.

A mail is never internal: a linked item that is closed (lukket punkt) is held in the facts
only as its number and the title the audience is shown ("Lukket punkt"), without its state,
so neither the mail nor the outbox row holds what the public may not see. The audience is
given by the caller (``council.workflow.visibility.MAIL``).

A row written before migration 0003 has no facts: it was rendered when it was written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from council.cases.obligations.lines import Line
from council.cases.obligations.periods import Period
from council.cases.obligations.steps import Step
from council.cases.obligations.tables import OutboxMessage
from council.notifications.audience import Audience
from council.notifications.errors import TemplateError
from council.notifications.rendering import render

FACTS_VERSION = 1
# The facts are built here from plain values, never circular: no need to check for cycles.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))
_DATES = ("obligation_start", "obligation_end", "period_start", "due", "day")


def line_facts(
    line: Line, *, cadence_interval: int, linked: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """What every reminder of a line tells: its case, committee, obligation and linked items
    (:func:`linked_facts`). :func:`snapshot` adds one step's facts."""
    return {
        "v": FACTS_VERSION,
        "case_number": line.case_number,
        "case_title": line.case_title,
        "case_owner": line.case_owner,
        "committee_code": line.committee_code,
        "committee_name": line.committee_name,
        "about": line.about,
        "cadence_interval": cadence_interval,
        "obligation_start": line.starts_on.isoformat(),
        "obligation_end": line.ends_on.isoformat(),
        "escalate_every_days": line.escalate_every_days,
        "linked": linked,  # a sequence, written as a JSON array
    }


class LinkedRecord(Protocol):
    """A linked item as the reminder needs it (a store's ``LinkedItem``, an ``AgendaItem``)."""

    @property
    def id(self) -> int | None: ...

    @property
    def title(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def closed(self) -> bool: ...


def linked_facts(
    items: Iterable[LinkedRecord], labels: Mapping[str, str], *, audience: Audience
) -> list[dict[str, Any]]:
    """Linked items as the reminder lists them: number, title and the state's label; an
    item the audience may not see, by its number and shown title only (state "")."""
    facts = []
    for item in items:
        shown = audience.item(item)
        state = "" if shown.withheld else labels.get(item.state, item.state)
        facts.append({"id": item.id, "title": shown.title, "state": state})
    return facts


def step_facts(period: Period, step: Step) -> dict[str, Any]:
    """What a reminder tells of its step: its period's dates and the step's day."""
    return {
        "period_start": period.start.isoformat(),
        "due": period.due.isoformat(),
        "day": step.day.isoformat(),
    }


def snapshot(line: Mapping[str, Any], step: Mapping[str, Any]) -> str:
    """The ``facts`` of one step's outbox row, as JSON: the line's facts (:func:`line_facts`)
    and the step's (:func:`step_facts`)."""
    return _ENCODER.encode({**line, **step})


def context(
    facts: Mapping[str, Any],
    *,
    obligation_id: int,
    period_key: str,
    step_key: str,
    kind: str,
    recipients: Iterable[str],
) -> dict[str, Any]:
    """What the reminder templates are given, as ``r``: the facts and the step."""
    if facts.get("v") != FACTS_VERSION:
        raise TemplateError(f"reminder facts of version {facts.get('v')!r} cannot be read")
    dates = {name: date.fromisoformat(facts[name]) for name in _DATES}
    interval = int(facts["cadence_interval"])
    return {
        "kind": kind,
        "step_key": step_key,
        "escalation": int(step_key.split("-")[1]) if kind == "overdue" else 0,
        "day": dates["day"],
        "days_before": (dates["due"] - dates["day"]).days,
        "days_overdue": (dates["day"] - dates["due"]).days,
        "escalate_every_days": facts["escalate_every_days"],
        "obligation_id": obligation_id,
        "about": facts["about"],
        "case_number": facts["case_number"],
        "case_title": facts["case_title"],
        "case_owner": facts["case_owner"],
        "committee_code": facts["committee_code"],
        "committee_name": facts["committee_name"],
        "cadence_text": "én gang årligt" if interval == 1 else f"hvert {interval}. år",
        "obligation_start": dates["obligation_start"],
        "obligation_end": dates["obligation_end"],
        "period_key": period_key,
        "period_start": dates["period_start"],
        "due": dates["due"],
        "linked": [dict(item) for item in facts["linked"]],
        "recipients": list(recipients),
    }


def render_reminder(r: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text body and HTML body of a reminder (Danish, from the templates)."""
    subject = _subject(r)
    text = render("reminder.txt.j2", r=r)
    html = render("reminder.html.j2", r=r, subject=subject)
    return subject, text, html


def rendered(row: OutboxMessage) -> bool:
    """Whether the row keeps its subject and bodies (rendered once, or before 0003)."""
    return row.subject is not None and row.body_text is not None and row.body_html is not None


def render_row(row: OutboxMessage) -> tuple[str, str, str]:
    """Subject, text and HTML of an outbox row: as kept on the row once rendered, else
    rendered from its facts. A ``TemplateError`` when the facts cannot be rendered."""
    if rendered(row):
        return row.subject, row.body_text, row.body_html  # type: ignore[return-value]
    return render_reminder(_row_context(row))


def subject_of(row: OutboxMessage) -> str:
    """The subject line of an outbox row, for listings (rendered if not yet kept)."""
    if row.subject is not None:
        return row.subject
    try:
        return _subject(_row_context(row))
    except TemplateError as exc:
        return f"(cannot be rendered: {exc})"


def _row_context(row: OutboxMessage) -> dict[str, Any]:
    if row.facts is None:
        raise TemplateError(f"outbox message {row.id} has neither text nor facts to render")
    try:
        return context(
            json.loads(row.facts),
            obligation_id=row.obligation_id,
            period_key=row.period_key,
            step_key=row.step_key,
            kind=row.step_kind,
            recipients=row.recipients,
        )
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise TemplateError(f"outbox message {row.id}: its facts cannot be read ({exc})") from exc


def _subject(r: dict[str, Any]) -> str:
    return " ".join(render("reminder_subject.txt.j2", r=r).split())
