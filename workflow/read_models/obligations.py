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
from functools import lru_cache
from itertools import zip_longest
from typing import Any, NamedTuple

from council.cases import committees as committee_store
from council.cases.dates import format_date, require_aware
from council.cases.obligations import status
from council.cases.obligations.status import PeriodStatus
from council.cases.obligations.steps import Step
from council.config.reminders import STEP_NAMES, ReminderConfig
from council.workflow.app import App
from council.workflow.reminder_settings import reminder_config

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
    return _next(row.next_step, {**STEP_NAMES, **(step_names or {})})


def _next(step: Step | None, names: Mapping[str, str]) -> str:
    if step is None:
        return "—"
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


def json_lines(rows: Iterable[PeriodStatus]) -> Iterator[str]:
    """Each row's :func:`as_record` as one line of compact JSON (``--json``), as
    :func:`~council.workflow.read_models.json_form.json_line` writes it.

    What lines that share a schedule share (the period, its state, the next reminder) is
    written once per distinct value, a line's own fields once per distinct text."""
    from council.workflow.read_models.json_form import json_line

    middles: dict[tuple[int, ...], tuple[str, PeriodStatus]] = {}
    texts: dict[object, str] = {}

    def text(value: str | tuple[str, ...]) -> str:
        if (written := texts.get(value)) is None:
            if len(texts) > _CACHED:
                texts.clear()
            written = texts[value] = json_line(list(value) if isinstance(value, tuple) else value)
        return written

    for row in rows:
        key = _shared(row)
        if (found := middles.get(key)) is None:
            if len(middles) > _CACHED:
                middles.clear()
            record = as_record(row, with_recipients=False)
            shared = {name: value for name, value in record.items() if name not in _OWN}
            found = middles[key] = (json_line(shared)[1:-1], row)
        line = row.line
        yield (
            f'{{"id":{int(line.id)},"case_number":{text(line.case_number)},'
            f'"committee":{text(line.committee_code)},{found[0]},'
            f'"recipients":{text(line.recipients)}}}'
        )


_OWN = ("id", "case_number", "committee")  # a record's first fields: the line's own
_CACHED = 4_096  # distinct values kept while rows stream (fulfilled periods differ per line)


def table_lines(
    rows: Iterable[PeriodStatus], *, width: int, step_names: Mapping[str, str] | None = None
) -> Iterator[str]:
    """The rows in columns within ``width`` (a narrower terminal gets 80): the heading,
    then each row, its status and next reminder wrapped in their columns, no date cut.

    A row whose cells all fit their columns is one line, its cells as they are; in any
    other row each cell that does not fit (or is not plain) is wrapped in its column. Lines
    that share a schedule share their periods' cells, and lines of one case and committee
    theirs: those are worded and laid out once per distinct value, and a row costs its
    number and a join."""
    free = max(width, 80) - sum(_FIXED) - len(_GAP) * (len(HEADINGS) - 1)
    next_width = _NEXT_WIDTH if free >= 2 * _NEXT_WIDTH else max(_MIN_TEXT, free * 2 // 5)
    widths = (*_FIXED, max(_MIN_TEXT, free - next_width), next_width)
    yield from _wrapped(HEADINGS, widths)
    yield _line(tuple("-" * w for w in widths), widths)
    names = {**STEP_NAMES, **(step_names or {})}
    number_width = widths[0]
    owners = _Columns(widths[1:3])  # the case and the committee
    periods = _Columns(widths[3:])  # the period, its due date, status and next reminder
    blank_number = " " * number_width
    rests: dict[tuple[object, ...], tuple[_Rest, PeriodStatus]] = {}
    for row in rows:
        line = row.line
        number = str(line.id)
        key = (  # the owner by value, what the row shares by identity (see _shared)
            line.case_number,
            line.committee_code,
            id(row.period),
            id(row.state),
            id(row.fulfilled_by),
            id(row.next_step),
        )
        found = rests.get(key)
        if found is None:
            if len(rests) > _CACHED:
                rests.clear()
            owner = owners.cells((line.case_number, line.committee_code))
            shared = (row.period, row.state, row.fulfilled_by, row.next_step)
            period = periods.get(shared) or periods.add(shared, _period_cells(row, names))
            found = rests[key] = (_Rest.of(owner, period, owners, periods, blank_number), row)
        rest = found[0]
        if len(number) <= number_width:  # a number is plain: it fits or it wraps
            yield f"{number.ljust(number_width)}{_GAP}{rest.first}".rstrip()
            yield from rest.following
            continue
        numbers = _cell_parts((number,), (number_width,))[0]
        for k in range(max(len(numbers), len(rest.wrapped))):
            yield (
                f"{numbers[k].ljust(number_width) if k < len(numbers) else blank_number}{_GAP}"
                f"{rest.wrapped[k] if k < len(rest.wrapped) else rest.blank}"
            ).rstrip()


def _shared(row: PeriodStatus) -> tuple[int, int, int, int]:
    """What a row shares with the rows of lines on the same schedule, by identity: those
    rows hold the same period, state and step objects (:func:`status.status_rows`). A
    lookup by identity hashes four numbers where one by value runs three dataclasses'
    ``__hash__``; a cache keyed by it keeps a row with the objects alive, so no number is
    reused while it is a key, and equal objects that are not the same only miss."""
    return (id(row.period), id(row.state), id(row.fulfilled_by), id(row.next_step))


class _Rest(NamedTuple):
    """A row laid out but for its line's number: with a number that fits its column,
    what follows it on the first line and the whole lines after; for a number that does
    not, every cell wrapped in its column, line by line."""

    first: str
    following: tuple[str, ...]
    wrapped: tuple[str, ...]
    blank: str

    @classmethod
    def of(
        cls, owner: _Laid, period: _Laid, owners: _Columns, periods: _Columns, blank_number: str
    ) -> _Rest:
        blank = f"{owners.blank}{_GAP}{periods.blank}"
        wrapped = tuple(
            f"{owner.wrapped[k] if k < len(owner.wrapped) else owners.blank}{_GAP}"
            f"{period.wrapped[k] if k < len(period.wrapped) else periods.blank}"
            for k in range(max(len(owner.wrapped), len(period.wrapped)))
        )
        if owner.fits and period.fits:  # with a number that fits, the row is one line
            return cls(f"{owner.whole}{_GAP}{period.whole}", (), wrapped, blank)
        following = tuple(f"{blank_number}{_GAP}{cells}".rstrip() for cells in wrapped[1:])
        return cls(wrapped[0], following, wrapped, blank)


class _Laid(NamedTuple):
    """Some neighbouring cells of a row laid out in their columns."""

    fits: bool  # every cell within its column's width
    whole: str  # the cells as they are, each padded to its column (a row that fits)
    wrapped: tuple[str, ...]  # the lines they take when the row does not fit


class _Columns:
    """Neighbouring columns, each distinct content laid out once (a bounded number kept)."""

    def __init__(self, widths: tuple[int, ...]) -> None:
        self.widths = widths
        self.blank = _GAP.join(" " * w for w in widths)
        self._laid: dict[object, _Laid] = {}

    def get(self, key: object) -> _Laid | None:
        return self._laid.get(key)

    def cells(self, cells: tuple[str, ...]) -> _Laid:
        """``cells`` laid out, the cells their own key."""
        return self._laid.get(cells) or self.add(cells, cells)

    def add(self, key: object, cells: tuple[str, ...]) -> _Laid:
        if len(self._laid) > _CACHED:
            self._laid.clear()
        widths = self.widths
        laid = self._laid[key] = _Laid(
            all(len(cell) <= w for cell, w in zip(cells, widths, strict=True)),
            _GAP.join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)),
            tuple(
                _GAP.join(part.ljust(w) for part, w in zip(parts, widths, strict=True))
                for parts in zip_longest(*_cell_parts(cells, widths), fillvalue="")
            ),
        )
        return laid


def _fits(cell: str, width: int) -> bool:
    """Whether ``cell`` stays as it is in its column (what :func:`_cell_parts` keeps whole)."""
    return len(cell) <= width and cell.isprintable() and cell == cell.strip()


def _period_cells(row: PeriodStatus, names: Mapping[str, str]) -> tuple[str, ...]:
    return (
        row.period.key,
        format_date(row.period.due),
        describe_state(row),
        _next(row.next_step, names),
    )


def _wrapped(cells: tuple[str, ...], widths: tuple[int, ...]) -> Iterator[str]:
    if all(len(cell) <= w for cell, w in zip(cells, widths, strict=True)):
        yield _line(cells, widths)  # the common row: one line, nothing to wrap
        return
    for line in zip_longest(*_cell_parts(cells, widths), fillvalue=""):
        yield _line(line, widths)


def _cell_parts(cells: tuple[str, ...], widths: tuple[int, ...]) -> list[tuple[str, ...]]:
    """Each cell as the lines it takes in its column."""
    return [
        (cell,) if _fits(cell, w) else _wrap(cell, w)  # as wrap gives it
        for cell, w in zip(cells, widths, strict=True)
    ]


@lru_cache(maxsize=_CACHED)  # lines of different schedules still share most of their words
def _wrap(cell: str, width: int) -> tuple[str, ...]:
    return tuple(textwrap.wrap(cell, width, break_long_words=True, break_on_hyphens=False)) or ("",)


def _line(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    return _GAP.join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()


def _days(count: int) -> str:
    return "1 dag" if count == 1 else f"{count} dage"
