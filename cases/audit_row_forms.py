"""The rows the tables hold, in the form the trail's rebuilt rows take, for comparing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import JSON, Date, Float, Time

from council.cases.audit import utc_iso
from council.cases.audit_images import Audited, sequence
from council.cases.types import UTCDateTime


def _iso(value: date | time | str) -> str:
    """A date or time; a date may come as stored (SQLite keeps the ISO text)."""
    return value if isinstance(value, str) else value.isoformat()


def is_timestamp(audited: Audited, name: str) -> bool:
    return isinstance(audited.table.c[name].type, UTCDateTime)


def is_date(audited: Audited, name: str) -> bool:
    return isinstance(audited.table.c[name].type, Date)


def _converter(
    audited: Audited, name: str, stamp: Callable[[Any], str]
) -> Callable[[Any], Any] | None:
    if name in audited.read:
        return audited.read[name]
    kind = audited.table.c[name].type
    if isinstance(kind, UTCDateTime):
        return stamp
    if isinstance(kind, Date | Time):
        return _iso
    if isinstance(kind, JSON):
        return sequence
    if isinstance(kind, Float):
        return float
    return None


@dataclass(frozen=True)
class RowReader:
    """Turns a row of ``columns`` (key first, then the parts' columns) into its key and
    its parts' values."""

    columns: tuple[str, ...]
    key_width: int
    bounds: tuple[tuple[int, int], ...]
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]

    def values(self, row: Any) -> list[Any]:
        values = list(row)
        for index, convert in self.converters:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        return values

    def key(self, values: list[Any]) -> Any:
        return values[0] if self.key_width == 1 else tuple(values[: self.key_width])

    def parts(self, values: list[Any]) -> list[tuple[Any, ...]]:
        return [tuple(values[start:end]) for start, end in self.bounds]


def row_reader(audited: Audited, stamp: Callable[[Any], str] = utc_iso) -> RowReader:
    """``stamp`` turns a timestamp column's value, as the select gives it, into the form of
    ``utc_iso`` (by default the select gives it as an aware datetime)."""
    columns = audited.key + audited.covered
    bounds, start = [], len(audited.key)
    for part in audited.parts:
        bounds.append((start, start + len(part)))
        start += len(part)
    converters = tuple(
        (index, convert)
        for index, name in enumerate(columns)
        if index >= len(audited.key) and (convert := _converter(audited, name, stamp)) is not None
    )
    return RowReader(columns, len(audited.key), tuple(bounds), converters)
