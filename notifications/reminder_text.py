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

What the sweep cannot know is read when the mail is first rendered for sending
(:func:`sending_facts`): the day it goes out (so the days left or late are true even
after downtime), the last decision on the linked items, the committee's next meeting
(where the status could be presented), and the obligation's result goals with what was
reported the period before. The kind of step a mail speaks as follows that day: a notice
sent after the due date speaks of the delay, whatever step it was written as. Every word
is Danish; the step names come from ``[steps]`` in ``config/reminders.toml``.

A row written before migration 0003 has no facts: it was rendered when it was written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Connection

from council.cases.committees import name_among
from council.cases.obligations import goal_rules, goal_status, reminder_facts
from council.cases.obligations.lines import Line, lines
from council.cases.obligations.periods import Period
from council.cases.obligations.steps import Step
from council.cases.obligations.tables import OutboxMessage
from council.config.reminders import STEP_NAMES
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
    (:func:`linked_facts`), and the committee's earlier names when it had any (a mail
    names it as it was on its day). :func:`snapshot` adds one step's facts."""
    facts = {
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
    if line.committee_earlier_names:
        facts["committee_earlier_names"] = [dict(e) for e in line.committee_earlier_names]
    return facts


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
    live: Mapping[str, Any] | None = None,
    step_names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What the reminder templates are given, as ``r``: the facts, the step, and what was
    read when it is sent (``live``, :func:`sending_facts`; without it, as on the step's
    day). ``kind`` is what the mail speaks as: ``lead`` before the due date, ``due`` on
    it, ``overdue`` after it (an escalation, or a notice sent late)."""
    if facts.get("v") != FACTS_VERSION:
        raise TemplateError(f"påmindelsens fakta i version {facts.get('v')!r} kan ikke læses")
    dates = {name: date.fromisoformat(facts[name]) for name in _DATES}
    interval = int(facts["cadence_interval"])
    live = live or {}
    today = date.fromisoformat(live["today"]) if "today" in live else dates["day"]
    escalation = int(step_key.split("-")[1]) if kind == "overdue" else 0
    speaks = "lead" if today < dates["due"] else "due" if today == dates["due"] else "overdue"
    names = {**STEP_NAMES, **(step_names or {})}
    if speaks == "overdue" and not escalation:
        name = names["late"]
    elif speaks == "overdue":
        name = names["overdue"].format(n=escalation)
    else:
        name = names[speaks]
    return {
        "kind": speaks,
        "step_key": step_key,
        "step_name": name,
        "escalation": escalation,
        "day": today,
        "days_before": (dates["due"] - today).days,
        "days_overdue": (today - dates["due"]).days,
        "last_decision": _with_date(live.get("last_decision")),
        "next_meeting": _with_date(live.get("next_meeting")),
        "goals": list(live.get("goals", ())),
        "goals_period": live.get("goals_period"),
        "escalate_every_days": facts["escalate_every_days"],
        "obligation_id": obligation_id,
        "about": facts["about"],
        "case_number": facts["case_number"],
        "case_title": facts["case_title"],
        "case_owner": facts["case_owner"],
        "committee_code": facts["committee_code"],
        "committee_name": _committee_on(facts, today),
        "cadence_text": "én gang årligt" if interval == 1 else f"hvert {interval}. år",
        "obligation_start": dates["obligation_start"],
        "obligation_end": dates["obligation_end"],
        "period_key": period_key,
        "period_start": dates["period_start"],
        "due": dates["due"],
        "linked": [dict(item) for item in facts["linked"]],
        "recipients": list(recipients),
    }


def _committee_on(facts: Mapping[str, Any], day: date) -> str:
    return name_among(
        facts.get("committee_name", ""), facts.get("committee_earlier_names", ()), day
    )


def _with_date(found: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A fact with its ``on`` read back from ISO text into a date."""
    if found is None:
        return None
    on = found.get("on")
    return {**found, "on": date.fromisoformat(on) if on else None}


def render_reminder(r: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text body and HTML body of a reminder (Danish, from the templates)."""
    subject = _subject(r)
    text = render("reminder.txt.j2", r=r)
    html = render("reminder.html.j2", r=r, subject=subject)
    return subject, text, html


def rendered(row: OutboxMessage) -> bool:
    """Whether the row keeps its subject and bodies (rendered once, or before 0003)."""
    return row.subject is not None and row.body_text is not None and row.body_html is not None


def render_row(
    row: OutboxMessage,
    *,
    live: Mapping[str, Any] | None = None,
    step_names: Mapping[str, str] | None = None,
) -> tuple[str, str, str]:
    """Subject, text and HTML of an outbox row: as kept on the row once rendered, else
    rendered from its facts and ``live`` (:func:`sending_facts`). A ``TemplateError``
    when the facts cannot be rendered."""
    if rendered(row):
        return row.subject, row.body_text, row.body_html  # type: ignore[return-value]
    return render_reminder(_row_context(row, live=live, step_names=step_names))


def step_label(step_key: str) -> str:
    """A reminder step as a person calls it: ``lead-60`` -> ``60 dage før fristen``,
    ``due`` -> ``på fristdagen``, ``overdue-2`` -> ``rykker 2`` (the key stays in JSON)."""
    kind, _, number = step_key.partition("-")
    if kind == "lead" and number.isdigit():
        return f"{number} dage før fristen"
    if kind == "overdue" and number.isdigit():
        return f"rykker {number}"
    return "på fristdagen" if step_key == "due" else step_key


def subject_of(row: OutboxMessage) -> str:
    """The subject line of an outbox row, for listings (rendered if not yet kept)."""
    if row.subject is not None:
        return row.subject
    if row.obligation_id is None:
        return f"(dagligt sammendrag {row.period_key}, endnu ikke sendt)"
    try:
        return _subject(_row_context(row))
    except TemplateError as exc:
        return f"(cannot be rendered: {exc})"


def _row_context(
    row: OutboxMessage,
    *,
    live: Mapping[str, Any] | None = None,
    step_names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    if row.facts is None:
        raise TemplateError(f"udbakkens besked {row.id} har hverken tekst eller fakta")
    if row.obligation_id is None:
        raise TemplateError(f"udbakkens besked {row.id} er et sammendrag, ikke en påmindelse")
    try:
        return context(
            json.loads(row.facts),
            obligation_id=row.obligation_id,
            period_key=row.period_key,
            step_key=row.step_key,
            kind=row.step_kind,
            recipients=row.recipients,
            live=live,
            step_names=step_names,
        )
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise TemplateError(f"udbakkens besked {row.id}: fakta kan ikke læses ({exc})") from exc


def _subject(r: dict[str, Any]) -> str:
    return " ".join(render("reminder_subject.txt.j2", r=r).split())


# ------------------------------------------------------------------ read when it is sent


@dataclass(frozen=True)
class Wording:
    """What rendering a reminder when it is sent needs beside the row: who reads it (a
    closed item's decision never reaches a mail), the Danish labels of the states, the
    names of the steps, the states that fulfil an obligation."""

    audience: Audience | None = None
    state_labels: Mapping[str, str] = field(default_factory=dict)
    step_names: Mapping[str, str] = field(default_factory=lambda: dict(STEP_NAMES))
    fulfilling_states: frozenset[str] = frozenset()


def sending_facts(
    connection: Connection, row: OutboxMessage, *, now: datetime, wording: Wording
) -> dict[str, Any]:
    """What a reminder tells that is read when it is sent: the day, the last decision on
    the linked items, the committee's next meeting, the goals and last period's values."""
    return sending_facts_of(connection, [row], now=now, wording=wording)[0]


def sending_facts_of(
    connection: Connection, rows: Sequence[OutboxMessage], *, now: datetime, wording: Wording
) -> list[dict[str, Any]]:
    """:func:`sending_facts` of each of ``rows``, in their order, read together: their
    lines and goals in one go, each committee's next meeting once."""
    from council.cases.dates import local_date

    today = local_date(now)
    wanted = sorted({row.obligation_id for row in rows if row.obligation_id is not None})
    found = {line.id: line for line in lines(connection, ids=wanted)} if wanted else {}
    goals = {
        status.line.id: status
        for status in goal_status.line_goals(
            connection, list(found.values()), fulfilling_states=wording.fulfilling_states
        )
    }
    meetings: dict[int, dict[str, Any] | None] = {}
    result = []
    for row in rows:
        facts: dict[str, Any] = {"today": today.isoformat()}
        line = found.get(row.obligation_id) if row.obligation_id is not None else None
        if line is not None:
            decision = reminder_facts.last_decision(connection, line.id)
            if decision is not None and _shown(decision, wording):
                facts["last_decision"] = {
                    "item_id": decision.item_id,
                    "title": decision.title,
                    "state": wording.state_labels.get(decision.to_state, decision.to_state),
                    "on": decision.on.isoformat() if decision.on else None,
                    "committee_name": decision.committee_name,
                }
            if line.committee_id not in meetings:
                meetings[line.committee_id] = _meeting_facts(
                    reminder_facts.next_meeting(connection, line.committee_id, on_or_after=today)
                )
            if (meeting := meetings[line.committee_id]) is not None:
                facts["next_meeting"] = meeting
            facts.update(_goal_facts(line, goals[line.id], row.period_key))
        result.append(facts)
    return result


def _meeting_facts(meeting: reminder_facts.NextMeeting | None) -> dict[str, Any] | None:
    if meeting is None:
        return None
    return {
        "on": meeting.on.isoformat(),
        "time": meeting.start_time.strftime("%H.%M") if meeting.start_time else None,
        "place": meeting.place,
    }


def _shown(decision: reminder_facts.LastDecision, wording: Wording) -> bool:
    if wording.audience is None:
        return not decision.closed
    return not wording.audience.item(decision).withheld


def _goal_facts(line: Line, found: goal_status.LineGoals, period_key: str) -> dict[str, Any]:
    """The goals of the row's period, each with its target and the value reported in the
    period before (what the committee will ask about)."""
    if not found.goals:
        return {}  # before the periods, which take a while to work out
    keys = [period.key for period in line.periods]
    if period_key not in keys:
        return {}
    index = keys.index(period_key)
    before = keys[index - 1] if index else None
    goals = []
    for status in found.goals:
        rows = {row.period.key: row for row in status.periods}
        mine, last = rows[period_key], rows.get(before) if before else None
        goal = status.goal
        goals.append(
            {
                "name": goal.name,
                "unit": goal.unit,
                "direction": goal_rules.DIRECTION_LABELS[goal.direction],
                "target": goal_rules.format_number(mine.target.target) if mine.target else None,
                "last_value": (
                    goal_rules.format_number(last.value.value, approximate=last.value.approximate)
                    if last and last.value
                    else None
                ),
                "last_target": (
                    goal_rules.format_number(last.target.target) if last and last.target else None
                ),
                "last_assessment": goal_rules.ASSESSMENT_LABELS[last.assessment] if last else None,
            }
        )
    return {"goals": goals, "goals_period": before}


# ------------------------------------------------------------------ digests


def digest_entry(row: OutboxMessage) -> dict[str, Any]:
    """What a digest lists of one reminder: its subject as sent, its case and its period."""
    entry: dict[str, Any] = {
        "subject": row.subject or subject_of(row),
        "case_number": "",
        "case_title": "",
        "summary": "",
    }
    if row.facts:
        facts = json.loads(row.facts)
        entry["case_number"] = facts.get("case_number", "")
        entry["case_title"] = facts.get("case_title", "")
        due = date.fromisoformat(facts["due"]) if "due" in facts else None
        if due is not None:
            from council.notifications.rendering import long_date

            entry["summary"] = (
                f"Status for perioden {row.period_key} til {_committee_on(facts, due)} "
                f"senest {long_date(due)}."
            )
    return entry


def render_digest(
    day: date, reminders: Sequence[Mapping[str, Any]], recipient: str
) -> tuple[str, str, str]:
    """Subject, text and HTML of one day's digest to ``recipient``: each reminder's
    subject and what it is about (``reminders``: ``subject``, ``case_number``,
    ``committee_name``, ``due``)."""
    d = {"day": day, "reminders": list(reminders), "recipient": recipient}
    subject = " ".join(render("digest_subject.txt.j2", d=d).split())
    return subject, render("digest.txt.j2", d=d), render("digest.html.j2", d=d, subject=subject)
