"""Where every obligation line's periods stand at a moment: the rows of ``council obligations``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, time
from typing import NamedTuple

from sqlmodel import Session

from council.cases.dates import local_date
from council.cases.db import connection_of
from council.cases.obligations.fulfilment import Fulfilment, by_period, fulfilments
from council.cases.obligations.lines import Line, pages
from council.cases.obligations.periods import Period, PeriodState, fulfilled_by, period_state
from council.cases.obligations.steps import Schedule, Step


class PeriodStatus(NamedTuple):
    """One row of ``council obligations``: a line's period and where it stands at ``now``.

    A named tuple: a table of 100,000 lines makes one for each of its rows."""

    line: Line
    period: Period
    state: PeriodState
    fulfilled_by: Fulfilment | None
    next_step: Step | None


_Shared = tuple[Period, PeriodState, Fulfilment | None, Step | None]
"""A row without its line: what every line with the same schedule and fulfilments shows."""


STATUS_BATCH = 1_000
"""Lines read, with their fulfilments, per query while the table is streamed."""


def status_table(
    session: Session,
    *,
    now: datetime,
    fulfilling_states: Iterable[str],
    send_at: time,
    due_soon_days: int,
    committee_code: str | None = None,
) -> list[PeriodStatus]:
    """Every line's periods that have begun by ``now`` (or its first, if none has yet)."""
    return list(
        status_rows(
            session,
            now=now,
            fulfilling_states=fulfilling_states,
            send_at=send_at,
            due_soon_days=due_soon_days,
            committee_code=committee_code,
        )
    )


def status_rows(
    session: Session,
    *,
    now: datetime,
    fulfilling_states: Iterable[str],
    send_at: time,
    due_soon_days: int,
    committee_code: str | None = None,
) -> Iterator[PeriodStatus]:
    """:func:`status_table` as it is read: :data:`STATUS_BATCH` lines at a time, in case and
    line order, so that a table of 100,000 lines starts at once and never sits in memory."""
    states = tuple(fulfilling_states)
    connection = connection_of(session)
    # Lines with equal terms share one schedule, and, while nothing fulfils them, the same
    # periods, states and next reminders: each is worked out once per run of equal terms.
    plans: dict[tuple[object, ...], Schedule] = {}
    unfulfilled: dict[tuple[object, ...], list[_Shared]] = {}
    for batch, linked in pages(connection, size=STATUS_BATCH, committee_code=committee_code):
        found = fulfilments(connection, linked, fulfilling_states=states) if linked else {}
        if len(plans) > STATUS_BATCH:
            plans.clear()
            unfulfilled.clear()
        for line in batch:
            terms = line.terms
            fulfilling = found.get(line.id) if found else None
            if not fulfilling and (shared := unfulfilled.get(terms)) is not None:
                for period, state, fulfilment, coming in shared:
                    yield PeriodStatus(line, period, state, fulfilment, coming)
                continue
            plan = plans.get(terms)
            if plan is None:
                plan = plans[terms] = line.schedule(send_at=send_at)
            if fulfilling:
                assigned = by_period(plan.periods, fulfilling)
                for shown in _line_rows(plan, assigned, now, due_soon_days):
                    yield PeriodStatus(line, *shown)
                continue
            shared = unfulfilled[terms] = _line_rows(plan, {}, now, due_soon_days)
            for period, state, fulfilment, coming in shared:
                yield PeriodStatus(line, period, state, fulfilment, coming)


def _line_rows(
    plan: Schedule,
    assigned: dict[str, Fulfilment],
    now: datetime,
    due_soon_days: int,
) -> list[_Shared]:
    today = local_date(now)
    shown = [p for p in plan.periods if p.start <= today] or list(plan.periods[:1])
    rows: list[_Shared] = []
    for period in shown:
        fulfilment = assigned.get(period.key)
        if fulfilment is not None and fulfilled_by(fulfilment.on, now=now, tz=plan.zone) is None:
            fulfilment = None  # it counts from its date on
        on = fulfilment.on if fulfilment else None
        state = period_state(period=period, now=now, fulfilled_on=on, due_soon_days=due_soon_days)
        coming = plan.period_due(period, now=now, fulfilled_on=on).following
        rows.append((period, state, fulfilment, coming))
    return rows
