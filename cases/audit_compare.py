"""The audited tables compared with the rows the trail rebuilt (:class:`Expected`).

Every row of every audited table must be the one the trail built, part by part: a row the
trail does not know, one it knows that is gone, or a part that differs is reported by name.
Each table is streamed in pages; a page is turned into its keys and its parts'
fingerprints column by column (the conversions to the bodies' forms run over a column at
a time, timestamps without a Python call per value where the database stores them as
text), then each row's fingerprints are taken out of the rebuilt table and compared.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

from sqlalchemy import Connection, Float, String, func, select, type_coerce
from sqlalchemy.types import NullType

from council.cases.audit_expected import Expected
from council.cases.audit_images import AUDITED, Audited, Broken
from council.cases.audit_row_forms import is_date, is_timestamp, row_reader
from council.cases.audit_rows import VERIFIED, PackedRows
from council.cases.audit_walk import PAGE, Stamps
from council.cases.prepared import Prepared


class Differs(Exception):
    """A row's part differs from the trail's; the walk is repeated to name the column."""

    def __init__(self, audited: Audited, key: Any, part: int, found: tuple[Any, ...]) -> None:
        super().__init__(audited.name, key, part)
        self.audited, self.key, self.part, self.found = audited, key, part, found


def _select(audited: Audited) -> Prepared:
    """The key and the covered columns; timestamps and dates as stored (:class:`Stamps`
    reads a timestamp as the walk reads an entry's; SQLite keeps a date as its ISO text), a
    float as the driver gives it (a compiled statement has no result processor for it on
    psycopg; the row reader makes it a float)."""
    return Prepared(select(*(_as_read(audited, name) for name in audited.key + audited.covered)))


def _as_read(audited: Audited, name: str) -> Any:
    column = audited.table.c[name]
    if is_timestamp(audited, name) or is_date(audited, name):
        return type_coerce(column, String)
    if isinstance(column.type, Float):
        return type_coerce(column, NullType())
    return column


_SELECTS = {audited.name: _select(audited) for audited in AUDITED}
_EXTENTS = {
    audited.name: Prepared(
        select(func.count(), func.min(column), func.max(column)).select_from(audited.table)
    )
    for audited in AUDITED
    if len(audited.key) == 1
    for column in [audited.table.c[audited.key[0]]]
}


def compare_records(connection: Connection, expected: Expected) -> None:
    """Raises :class:`Broken` for a row added or missing, :class:`Differs` for one changed."""
    stamps = Stamps(connection)
    for audited in AUDITED:
        _compare_table(connection, audited, expected.rows[audited.name], stamps)


def _compare_table(
    connection: Connection, audited: Audited, wanted_rows: MutableMapping[Any, Any], stamps: Stamps
) -> None:
    if _verified_whole(connection, audited, wanted_rows):
        return
    reader = row_reader(audited, stamps.at)
    converters: list[tuple[int, Callable[[Sequence[Any]], list[Any]]]] = [
        (index, stamps.column if convert == stamps.at else _each(convert))
        for index, convert in reader.converters
    ]
    width, bounds, missing = reader.key_width, reader.bounds, object()
    pop = wanted_rows.pop
    for page in _SELECTS[audited.name].stream(connection, PAGE):
        columns: list[Any] = list(zip(*page, strict=True))
        for index, convert in converters:
            columns[index] = convert(columns[index])
        keys = columns[0] if width == 1 else list(zip(*columns[:width], strict=True))
        found = list(
            zip(
                *(map(hash, zip(*columns[start:end], strict=True)) for start, end in bounds),
                strict=True,
            )
        )
        for number, (key, fingerprints) in enumerate(zip(keys, found, strict=True)):
            wanted = pop(key, missing)
            if wanted is missing:
                raise Broken(
                    f"{row_name(audited, key)} har ingen post i revisionssporet: den er "
                    f"tilføjet uden om sporet ({table_name(audited)})"
                )
            if wanted != fingerprints:
                part = next(
                    (i for i, fp in enumerate(fingerprints) if wanted[i] not in (fp, VERIFIED)),
                    None,
                )
                if part is None:  # the parts that differ were found equal by the walk
                    continue
                start, end = bounds[part]
                raise Differs(audited, key, part, tuple(c[number] for c in columns[start:end]))
    if wanted_rows:
        key = min(wanted_rows)
        raise Broken(
            f"{row_name(audited, key)} står i revisionssporet, men mangler i databasen "
            f"({table_name(audited)})"
        )


def _verified_whole(
    connection: Connection, audited: Audited, wanted_rows: MutableMapping[Any, Any]
) -> bool:
    """Whether the walk found every row of the table equal to the trail's (each is
    :data:`VERIFIED`, and the table holds exactly those ids): then it is not read again."""
    if not isinstance(wanted_rows, PackedRows) or audited.name not in _EXTENTS:
        return False
    extent = _EXTENTS[audited.name].first(connection)
    if extent is None:
        return False
    count, low, high = extent
    if not count or type(low) is not int or type(high) is not int or high - low + 1 != count:
        return False
    return wanted_rows.all_verified(low, high)


def _each(convert: Callable[[Any], Any]) -> Callable[[Sequence[Any]], list[Any]]:
    def column(values: Sequence[Any]) -> list[Any]:
        return [None if value is None else convert(value) for value in values]

    return column


def row_name(audited: Audited, key: Any) -> str:
    """A row in words: 'beslutning 3', 'bilag (item_id 2, position 1)'."""
    if len(audited.key) == 1:
        return f"{audited.label} {key}"
    return (
        f"{audited.label} ("
        + ", ".join(f"{n} {v}" for n, v in zip(audited.key, key, strict=True))
        + ")"
    )


def table_name(audited: Audited) -> str:
    """A table in words: 'tabellen over beslutninger'."""
    return f"tabellen over {audited.plural}"
