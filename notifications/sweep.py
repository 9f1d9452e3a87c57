"""The reminder sweep: what is due at ``now`` becomes outbox rows, each step exactly once.

A sweep reads the lines whose bookmark (``next_check_at``) has come, works out from their
dates and decision history which reminder steps are due (``cases.obligations.steps``),
writes the ones not yet in the outbox, each with its Message-ID and a snapshot of the
facts its text is made of (``notifications.reminder_text``), then moves each line's
bookmark to its next step (or clears it when none is left). It renders nothing:
``notifications.delivery`` renders a message from its snapshot when it first sends it.
Nothing here reads the clock or talks to a mail server: ``now`` is given.

Exactly once: a step's outbox row is unique on (obligation, committee, period, step) and
written with ``ON CONFLICT DO NOTHING``, inside one write transaction per batch of lines
(``BEGIN IMMEDIATE`` on SQLite). A second sweep, a sweep after a restart, or a second
instance finds the row there and writes nothing. A fulfilled period gets no step dated on
or after its fulfilment; the obligation's end stops every step after it.

After downtime several steps of one period may be due at once ("Frist i dag" a month ago,
then four escalations). Only the one that is current now is written to be sent; the
earlier ones are written too, each once, as ``superseded`` (never sent, pointing at the
row sent instead), so nothing is dropped without a trace and none is sent later.

Cheap when nothing is due (one indexed select on the unit of work's connection, no ORM
session) and when much is: plain rows, statements compiled once, one executemany each for
the outbox and the bookmarks, and each distinct schedule (dates, cadence, due rule, lead
times, escalation) worked out once per sweep; a line with no linked item and no step in
the outbox yet costs no further query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection

from council.cases.dates import require_aware
from council.cases.db import Database
from council.cases.obligations import fulfilment, lines, outbox
from council.cases.obligations.fulfilment import Fulfilment, LinkedItem
from council.cases.obligations.lines import DueBatch, Line
from council.cases.obligations.periods import Period
from council.cases.obligations.steps import Schedule, Step
from council.cases.obligations.tables import PENDING, SUPERSEDED
from council.notifications import reminder_text
from council.notifications.audience import Audience

BATCH = 500
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9.-]")


class _DueStep(NamedTuple):
    """A due step with what it puts in the message of every line it is due for."""

    period: Period
    step: Step
    facts: dict[str, Any]  # its part of the facts (reminder_text.step_facts)
    id_part: str  # its part of the Message-ID


_Due = tuple[list[_DueStep], datetime | None]
_IN_STEP_ORDER = itemgetter("step_at", "obligation_id", "step_key")  # of outbox.NewMessage


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
    sweeper: _Sweeper | None = None  # made when the first lines are due: mostly none are
    written: list[int] = []
    checked = 0
    while True:
        with database.unit_of_work() as uow:
            connection = uow.connection()
            if not checked:
                _prepare(connection)
            due = lines.due(connection, now=now, limit=batch)
            if not due.lines:
                return SweepResult(written=written, lines_checked=checked)
            if sweeper is None:
                sweeper = _Sweeper(
                    now=now,
                    states=frozenset(fulfilling_states),
                    send_at=send_at,
                    domain=message_domain_of(message_domain),
                    audience=audience,
                    labels=dict(state_labels or {}),
                )
            written += sweeper.write(connection, due)
            uow.commit()
        checked += len(due.lines)


def sweep_within(
    connection: Connection,
    *,
    now: datetime,
    fulfilling_states: Iterable[str],
    send_at: time,
    message_domain: str,
    audience: Audience,
    state_labels: Mapping[str, str] | None = None,
    batch: int = BATCH,
) -> list[int]:
    """The sweep of :func:`sweep` inside the caller's one transaction, which the caller
    commits or (``council reminders run --dry-run``) rolls back; returns the ids written."""
    sweeper = _Sweeper(
        now=require_aware(now),
        states=frozenset(fulfilling_states),
        send_at=send_at,
        domain=message_domain_of(message_domain),
        audience=audience,
        labels=dict(state_labels or {}),
    )
    written: list[int] = []
    while True:
        due = lines.due(connection, now=sweeper.now, limit=batch)
        if not due.lines:
            return written
        written += sweeper.write(connection, due)


def _prepare(connection: Connection) -> None:
    """Compile the sweep's statements for this connection's database, so that a service
    whose first sweeps find nothing due does not compile them when steps fall due."""
    statements = list(lines.SWEEP_STATEMENTS)
    if connection.dialect.name == "sqlite":
        statements += outbox.SQLITE_SWEEP_STATEMENTS
    for statement in statements:
        statement.prepare(connection)


@dataclass
class _Terms:
    """What a sweep works out once for every line with the same terms: the schedule, and
    what is due on it while nothing fulfils it."""

    schedule: Schedule
    unfulfilled: _Due | None = None

    def due(self, now: datetime, found: list[Fulfilment] | None) -> _Due:
        """A line's steps due at ``now`` and its next bookmark, given its fulfilments."""
        assigned = fulfilment.by_period(self.schedule.periods, found) if found else None
        if assigned:
            return self._due(now, {key: f.on for key, f in assigned.items()})
        if self.unfulfilled is None:
            self.unfulfilled = self._due(now, {})
        return self.unfulfilled

    def _due(self, now: datetime, fulfilled: dict[str, date]) -> _Due:
        steps, bookmark = self.schedule.due(now=now, fulfilled=fulfilled)
        return [
            _DueStep(
                period,
                step,
                reminder_text.step_facts(period, step),
                step_id_part(period.key, step.key),
            )
            for period, step in steps
        ], bookmark


@dataclass
class _Sweeper:
    """One sweep's rules, and what it has worked out for each set of terms."""

    now: datetime
    states: frozenset[str]
    send_at: time
    domain: str
    audience: Audience
    labels: dict[str, str]
    terms: dict[tuple[object, ...], _Terms] = field(default_factory=dict)

    def write(self, connection: Connection, due: DueBatch) -> list[int]:
        """Work out a batch of lines and write what it owes, in the caller's transaction:
        the outbox rows (each once; earlier steps superseded by the current one of their
        period) and each line's next bookmark. Returns the ids written."""
        messages, bookmarks = self.work_out(connection, due)
        written = outbox.add(connection, messages, now=self.now, current=_current_steps(messages))
        lines.set_next_check(connection, bookmarks)
        return written

    def work_out(
        self, connection: Connection, due: DueBatch
    ) -> tuple[list[outbox.NewMessage], dict[int, datetime | None]]:
        """The outbox rows a batch of lines owes, and each line's next bookmark."""
        linked, started = due.linked, due.started
        found = fulfilment.fulfilments(connection, linked, fulfilling_states=self.states)
        items = fulfilment.linked_items(connection, linked) if linked else {}
        done = outbox.written_step_keys(connection, started) if started else set()
        messages: list[outbox.NewMessage] = []
        bookmarks: dict[int, datetime | None] = {}
        for line in due.lines:
            terms = self.terms_of(line)
            steps, bookmarks[line.id] = terms.due(self.now, found.get(line.id))
            if done:  # steps a sweep before this one wrote
                steps = [s for s in steps if (line.id, s.period.key, s.step.key) not in done]
            if steps:
                messages += self.compose(line, terms.schedule, steps, items.get(line.id, ()))
        messages.sort(key=_IN_STEP_ORDER)
        return messages, bookmarks

    def terms_of(self, line: Line) -> _Terms:
        key = line.terms
        terms = self.terms.get(key)
        if terms is None:
            terms = self.terms[key] = _Terms(line.schedule(send_at=self.send_at))
        return terms

    def compose(
        self, line: Line, plan: Schedule, due: list[_DueStep], items: Sequence[LinkedItem]
    ) -> list[outbox.NewMessage]:
        """The outbox rows of a line's due steps, each with its Message-ID and facts; in
        each period the last step due is the one to send, any before it are superseded."""
        current = {due_step.period.key: due_step for due_step in due}  # the last wins
        linked = (
            reminder_text.linked_facts(items, self.labels, audience=self.audience) if items else ()
        )
        facts = reminder_text.line_facts(
            line, cadence_interval=plan.cadence.interval, linked=linked
        )
        return [
            {
                "obligation_id": line.id,
                "committee_id": line.committee_id,
                "period_key": due_step.period.key,
                "step_key": due_step.step.key,
                "step_kind": due_step.step.kind,
                "step_at": due_step.step.due_at,
                "message_id": message_id(line, due_step.id_part, domain=self.domain),
                "recipients": line.recipients,
                "facts": reminder_text.snapshot(facts, due_step.facts),
                "status": PENDING if due_step is current[due_step.period.key] else SUPERSEDED,
            }
            for due_step in due
        ]


def _current_steps(messages: Sequence[outbox.NewMessage]) -> list[tuple[int, str, str]]:
    """``(line, period, step)`` of each period's current step that supersedes others."""
    superseded = {(m["obligation_id"], m["period_key"]) for m in messages if m["status"] != PENDING}
    return [
        (m["obligation_id"], m["period_key"], m["step_key"])
        for m in messages
        if m["status"] == PENDING and (m["obligation_id"], m["period_key"]) in superseded
    ]


def message_id(line: Line, id_part: str, *, domain: str) -> str:
    """The fixed Message-ID of a step's reminder, ``<reminder.LINE.COMMITTEE.PERIOD.STEP@domain>``:
    every attempt to send it carries this. ``id_part`` as :func:`step_id_part` gives it,
    ``domain`` as :func:`message_domain_of` does."""
    return f"<reminder.{line.id}.{line.committee_id}.{id_part}@{domain}>"


def step_id_part(period_key: str, step_key: str) -> str:
    """A step's part of its Message-ID, ``2009.lead-14`` (the same for every line)."""
    return _UNSAFE_ID.sub("-", f"{period_key}.{step_key}")


def message_domain_of(domain: str) -> str:
    """The domain of the Message-IDs: ``domain`` with what may not stand there replaced."""
    return _UNSAFE_ID.sub("-", domain) or "council.invalid"
