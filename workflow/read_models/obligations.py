"""Where the status obligations stand: ``council obligations``, the desk and the API.

The rows are streamed from the store (:func:`council.cases.obligations.status.status_rows`),
so the table of a municipality's 100,000 lines starts printing at once and is never held in
memory. Each row is told in Danish (:func:`describe_state`, :func:`describe_next`, laid
out by :func:`table_lines` in columns that fit the terminal) or given to machines with its
code names (:func:`as_record`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from itertools import zip_longest
from typing import Any

from council.cases import committees as committee_store
from council.cases.dates import format_date, require_aware
from council.cases.obligations import status
from council.cases.obligations.status import PeriodStatus
from council.config.reminders import STEP_NAMES, ReminderConfig
from council.workflow.app import App
from council.workflow.obligation_services import reminder_config

HEADINGS = ("Nr.", "Sag", "Udvalg", "Periode", "Frist", "Status", "Næste påmindelse")
_FIXED = (5, 10, 6, 7, 10)  # the columns before the two that wrap; a date is 10 wide
_GAP = "  "
_MIN_TEXT = 13  # the narrowest the two text columns get, on the narrowest terminal
_NEXT_WIDTH = 21  # "Påmindelse 01.11.2010" on one line, where there is room


def obligation_rows(
    app: App,
    *,
    now: datetime,
    committee_code: str | None = None,
    overdue_only: bool = False,
    config: ReminderConfig | None = None,
) -> Iterator[PeriodStatus]:
    """Every line's periods at ``now`` (one committee's; only the overdue ones), streamed.

    An unknown committee is refused before the first row."""
    config = config or reminder_config(app)
    now = require_aware(now)
    with app.initialised_database().reading() as session:
        if committee_code is not None:
            committee_store.by_code(session, committee_code)
        for row in status.status_rows(
            session,
            now=now,
            fulfilling_states=app.rulebook.definition.fulfilling_states,
            send_at=config.send_at,
            due_soon_days=config.due_soon_days,
            committee_code=committee_code,
        ):
            if not overdue_only or row.state.kind == "overdue":
                yield row


def obligation_table(
    app: App,
    *,
    now: datetime,
    committee_code: str | None = None,
    overdue_only: bool = False,
    config: ReminderConfig | None = None,
) -> list[PeriodStatus]:
    """:func:`obligation_rows`, all of them."""
    return list(
        obligation_rows(
            app, now=now, committee_code=committee_code, overdue_only=overdue_only, config=config
        )
    )


def describe_state(row: PeriodStatus) -> str:
    """Where the period stands, in Danish: "opfyldt 02.12.2009 (punkt-id 1)", "overskredet
    med 32 dage", "frist i dag", "snart: frist om 11 dage", "frist om 184 dage"."""
    state = row.state
    by = f" (punkt-id\u00a0{row.fulfilled_by.item_id})" if row.fulfilled_by else ""
    if state.kind == "fulfilled":
        return f"opfyldt {format_date(state.fulfilled_on)}{by}"
    if state.kind == "late_fulfilled":
        late = _days(state.days_late)
        return f"opfyldt {format_date(state.fulfilled_on)}, {late} for sent{by}"
    if state.kind == "overdue":
        return f"overskredet med {_days(state.days_overdue)}"
    if state.days_until_due == 0:
        return "frist i dag"
    if state.kind == "due_soon":
        return f"snart: frist om {_days(state.days_until_due)}"
    return f"frist om {_days(state.days_until_due)}"


def describe_next(row: PeriodStatus, step_names: Mapping[str, str] | None = None) -> str:
    """The next reminder, by the name the mails give it ("Påmindelse 01.11.2009", "Frist i
    dag 31.12.2009", "Rykker 5 04.02.2010"); "—" when none is coming."""
    step = row.next_step
    if step is None:
        return "—"
    names = {**STEP_NAMES, **(step_names or {})}
    kind, _, number = step.key.partition("-")
    on = format_date(step.day)
    if kind == "lead":
        return f"{names['lead']} {on}"
    if kind == "overdue":
        return f"{names['overdue'].format(n=int(number))} {on}"
    return f"{names['due']} {on}"


def as_record(row: PeriodStatus, *, with_recipients: bool = True) -> dict[str, Any]:
    """A row for machines (``--json``, the API): code names and ISO dates."""
    fulfilled, step = row.fulfilled_by, row.next_step
    record: dict[str, Any] = {
        "id": row.line.id,
        "case_number": row.line.case_number,
        "committee": row.line.committee_code,
        "period": row.period.key,
        "starts_on": row.period.start.isoformat(),
        "due": row.period.due.isoformat(),
        "state": row.state.kind,
        "fulfilled_on": fulfilled.on.isoformat() if fulfilled else None,
        "fulfilled_by_item": fulfilled.item_id if fulfilled else None,
        "next_step": step.key if step else None,
        "next_reminder": step.day.isoformat() if step else None,
    }
    if with_recipients:
        record["recipients"] = list(row.line.recipients)
    return record


def table_lines(
    rows: Iterable[PeriodStatus], *, width: int, step_names: Mapping[str, str] | None = None
) -> Iterator[str]:
    """The rows in columns within ``width`` (a narrower terminal gets 80): the heading,
    then each row, its status and next reminder wrapped in their columns, no date cut."""
    free = max(width, 80) - sum(_FIXED) - len(_GAP) * (len(HEADINGS) - 1)
    next_width = _NEXT_WIDTH if free >= 2 * _NEXT_WIDTH else max(_MIN_TEXT, free * 2 // 5)
    widths = (*_FIXED, max(_MIN_TEXT, free - next_width), next_width)
    yield from _wrapped(HEADINGS, widths)
    yield _line(tuple("-" * w for w in widths), widths)
    for row in rows:
        cells = (
            str(row.line.id),
            row.line.case_number,
            row.line.committee_code,
            row.period.key,
            format_date(row.period.due),
            describe_state(row),
            describe_next(row, step_names),
        )
        yield from _wrapped(cells, widths)


def _wrapped(cells: tuple[str, ...], widths: tuple[int, ...]) -> Iterator[str]:
    if all(len(cell) <= w for cell, w in zip(cells, widths, strict=True)):
        yield _line(cells, widths)  # the common row: one line, nothing to wrap
        return
    parts = [
        [cell]
        if len(cell) <= w and cell.isprintable() and cell == cell.strip()  # as wrap gives it
        else textwrap.wrap(cell, w, break_long_words=True, break_on_hyphens=False) or [""]
        for cell, w in zip(cells, widths, strict=True)
    ]
    for line in zip_longest(*parts, fillvalue=""):
        yield _line(line, widths)


def _line(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    return _GAP.join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()


def _days(count: int) -> str:
    return "1 dag" if count == 1 else f"{count} dage"
