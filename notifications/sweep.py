"""The reminder sweep: what is due at ``now`` becomes outbox rows, each step exactly once.

A sweep reads the lines whose bookmark (``next_check_at``) has come, works out from their
dates and decision history which reminder steps are due (``cases.obligation_schedule``),
writes the ones not yet in the outbox, each with its Message-ID and a snapshot of the
facts its text is made of (``notifications.reminder_text``), then moves each line's
bookmark to its next step (or clears it when none is left). It renders nothing:
``notifications.delivery`` renders a message from its snapshot when it first sends it.
Nothing here reads the clock or talks to a mail server: ``now`` is given.

Exactly once: a step's outbox row is unique on (obligation, committee, period, step) and
written with ``ON CONFLICT DO NOTHING``, inside one write transaction per batch of lines
(``BEGIN IMMEDIATE`` on SQLite). A second sweep, a sweep after a restart, or a second
instance finds the row there and writes nothing. A sweep after downtime writes every step
that fell due meanwhile, each once. A fulfilled period gets no step dated on or after its
fulfilment; the obligation's end stops every step after it.

Cheap when nothing is due (one indexed select on the unit of work's connection, no ORM
session) and when much is: plain rows, statements compiled once, one executemany each for
the outbox and the bookmarks, and each distinct schedule (dates, cadence, due rule, lead
times, escalation) worked out once per sweep; a line with no linked item and no step in
the outbox yet costs no further query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from council.cases import obligations as store
from council.cases.dates import require_aware
from council.cases.db import Database
from council.cases.obligation_schedule import (
    Period,
    Schedule,
    Step,
    fulfilments_by_period,
    schedule,
)
from council.notifications import reminder_text
from council.notifications.audience import Audience

BATCH = 500
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9.-]")

_ScheduleKey = tuple[date, date, str, str, tuple[int, ...], int | None]
_Due = tuple[list[tuple[Period, Step]], datetime | None]


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
    audience: Audience,
    state_labels: Mapping[str, str] | None = None,
    batch: int = BATCH,
) -> SweepResult:
    """Write every reminder step due at ``now`` that is not in the outbox yet.

    ``audience`` is who the mails are for (never internal): a linked closed item is kept in
    the facts only as the audience is shown it."""
    now = require_aware(now)
    states = frozenset(fulfilling_states)
    labels = dict(state_labels or {})
    domain = _clean_domain(message_domain)
    schedules: dict[_ScheduleKey, Schedule] = {}
    unfulfilled: dict[_ScheduleKey, _Due] = {}  # what is due on a schedule nothing fulfils
    written: list[int] = []
    checked = 0
    while True:
        with database.unit_of_work() as uow:
            connection = uow.connection()
            if not checked:
                store.prepare_sweep(connection)  # compiled once per process
            lines = store.due_lines(connection, now=now, limit=batch)
            if not lines:
                break
            linked = [line.id for line in lines if line.has_links]
            found = store.fulfilments(connection, linked, fulfilling_states=states)
            items = store.linked_items(connection, linked) if linked else {}
            started = [line.id for line in lines if line.has_written]
            done = store.written_step_keys(connection, started) if started else set()
            messages: list[store.NewMessage] = []
            bookmarks: dict[int, datetime | None] = {}
            for line in lines:
                key = (
                    line.starts_on,
                    line.ends_on,
                    line.cadence,
                    line.due_rule,
                    line.lead_days,
                    line.escalate_every_days,
                )
                plan = schedules.get(key)
                if plan is None:
                    plan = schedules[key] = schedule(
                        start=line.starts_on,
                        end=line.ends_on,
                        cadence=line.cadence,
                        due=line.due_rule,
                        lead_days=line.lead_days,
                        escalate_every_days=line.escalate_every_days,
                        send_at=send_at,
                    )
                fulfilled = _fulfilled(plan, found[line.id]) if line.has_links else {}
                if fulfilled:
                    new, bookmarks[line.id] = plan.due(now=now, fulfilled=fulfilled)
                else:
                    if key not in unfulfilled:
                        unfulfilled[key] = plan.due(now=now, fulfilled={})
                    new, bookmarks[line.id] = unfulfilled[key]
                if new:
                    messages += _compose(
                        line,
                        plan,
                        new,
                        done=done,
                        items=items.get(line.id, ()),
                        labels=labels,
                        domain=domain,
                        audience=audience,
                    )
            messages.sort(key=lambda m: (m.step_at, m.obligation_id, m.step_key))
            written += store.add_to_outbox(connection, messages, now=now)
            store.set_next_check(connection, bookmarks)
            uow.commit()
            checked += len(lines)
    return SweepResult(written=written, lines_checked=checked)


def _fulfilled(plan: Schedule, found: Iterable[store.Fulfilment]) -> dict[str, date]:
    """Which period each fulfilment fulfils (``fulfilments_by_period``), by its date."""
    pairs = [(f.on, f) for f in found]
    if not pairs:
        return {}
    return {key: on for key, (on, _) in fulfilments_by_period(plan.periods, pairs).items()}


def _compose(
    line: store.SweepLine,
    plan: Schedule,
    due: list[tuple[Period, Step]],
    *,
    done: set[tuple[int, str, str]],
    items: Iterable[store.LinkedItem],
    labels: Mapping[str, str],
    domain: str,
    audience: Audience,
) -> list[store.NewMessage]:
    """The outbox rows of a line's due steps that the outbox does not hold yet."""
    facts: str | None = None
    messages: list[store.NewMessage] = []
    for period, step in due:
        if (line.id, period.key, step.key) in done:
            continue
        if facts is None:
            facts = reminder_text.line_facts(
                case_number=line.case_number,
                case_title=line.case_title,
                case_owner=line.case_owner,
                committee_code=line.committee_code,
                committee_name=line.committee_name,
                about=line.about,
                cadence_interval=plan.cadence.interval,
                obligation_start=line.starts_on,
                obligation_end=line.ends_on,
                escalate_every_days=line.escalate_every_days,
                linked=reminder_text.linked_facts(items, labels, audience=audience),
            )
        messages.append(
            store.NewMessage(
                obligation_id=line.id,
                committee_id=line.committee_id,
                period_key=period.key,
                step_key=step.key,
                step_kind=step.kind,
                step_at=step.due_at,
                message_id=_message_id(line.id, line.committee_id, period.key, step.key, domain),
                recipients=line.recipients,
                facts=reminder_text.snapshot(facts, period, step),
            )
        )
    return messages


def message_id(line: store.Line, period: Period, step: Step, *, domain: str) -> str:
    """The fixed Message-ID of a step's reminder: every attempt to send it carries this."""
    return _message_id(
        line.id, line.obligation.committee_id, period.key, step.key, _clean_domain(domain)
    )


def _message_id(
    line_id: int, committee_id: int, period_key: str, step_key: str, domain: str
) -> str:
    """``<reminder.LINE.COMMITTEE.PERIOD.STEP@domain>``, ``domain`` already cleaned."""
    local = _UNSAFE_ID.sub("-", f"{period_key}.{step_key}")  # the numbers need no cleaning
    return f"<reminder.{line_id}.{committee_id}.{local}@{domain}>"


def _clean_domain(domain: str) -> str:
    return _UNSAFE_ID.sub("-", domain) or "council.invalid"
