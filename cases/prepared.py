"""Compiled statements run straight on the driver: the stores' fast path.

SQLAlchemy's per-execution work (building the statement, its cache key, the execution
context, ORM loading) costs several times what SQLite spends on the small statements of
a transition or a history query. A :class:`Prepared` statement is compiled once per
dialect and executed on the DBAPI cursor, with the column types' own bind and result
processors, inside the caller's transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import ClauseElement

_REQUIRED: Any = object()


@dataclass(frozen=True)
class _Plan:
    sql: str
    positional: bool  # the DBAPI takes a tuple in ``parameters`` order (else a dict)
    parameters: tuple[tuple[str, Any, Any], ...]  # (bind name, bind processor, default)
    results: tuple[tuple[int, Any], ...]  # (column index, result processor) to apply
    width: int  # how many columns the rows have (0: none expected)
    dbapi_error: type[Exception]
    bind: Callable[[Mapping[str, Any]], Any]  # named values to the DBAPI's parameters


class Prepared:
    """A Core statement compiled once per dialect and run straight on the DBAPI cursor.

    For the hot paths (a transition, the history query): SQLAlchemy's per-execution work
    (building the statement, its cache key, the execution context, ORM loading) costs
    several times what SQLite spends on these small statements. The SQL is the dialect's
    own compilation of the Core statement, parameters go through the column types' bind
    processors and results through their result processors, exactly as
    ``Connection.execute`` would, and driver errors are wrapped into the same SQLAlchemy
    exceptions (a NULL stays ``None`` without a call of its processor, as every column
    type here gives it back). It runs on the caller's connection, inside its transaction.
    ``column_keys`` compiles an INSERT or UPDATE for exactly those columns (the bind names
    are then the column keys).
    """

    def __init__(self, statement: ClauseElement, *, column_keys: Sequence[str] = ()) -> None:
        self.statement = statement
        self.column_keys = list(column_keys)
        self._plans: dict[Dialect, _Plan] = {}

    def _plan(self, dialect: Dialect) -> _Plan:
        try:
            return self._plans[dialect]
        except KeyError:
            plan = self._plans[dialect] = self._compile(dialect)
            return plan

    def _compile(self, dialect: Dialect) -> _Plan:
        kwargs: dict[str, Any] = {"column_keys": self.column_keys} if self.column_keys else {}
        compiled: Any = self.statement.compile(dialect=dialect, **kwargs)
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("Prepared does not take statements with expanding parameters")
        binds = compiled.binds
        names = compiled.positiontup if dialect.positional else list(binds)
        parameters = tuple(
            (
                name,
                binds[name].type.dialect_impl(dialect).bind_processor(dialect),
                _REQUIRED if binds[name].required else binds[name].effective_value,
            )
            for name in names
        )
        columns = list(getattr(self.statement, "exported_columns", ()))
        results = tuple(
            (index, convert)
            for index, column in enumerate(columns)
            if (convert := column.type.dialect_impl(dialect).result_processor(dialect, None))
        )
        return _Plan(
            compiled.string,
            bool(dialect.positional),
            parameters,
            results,
            len(columns),
            dialect.loaded_dbapi.Error,
            _binder(parameters, positional=bool(dialect.positional)),
        )

    def _execute(
        self, connection: Connection, params: Mapping[str, Any], *, cursor_name: str | None = None
    ) -> tuple[_Plan, Any]:
        plan = self._plan(connection.dialect)
        values = plan.bind(params)
        dbapi_connection: Any = connection.connection.dbapi_connection
        cursor = dbapi_connection.cursor(cursor_name) if cursor_name else dbapi_connection.cursor()
        try:
            cursor.execute(plan.sql, values)
        except plan.dbapi_error as exc:
            cursor.close()
            raise DBAPIError.instance(plan.sql, values, exc, plan.dbapi_error) from exc
        if plan.width and cursor.description and len(cursor.description) != plan.width:
            cursor.close()  # the result processors would not line up with the columns
            raise ValueError(f"Prepared expected {plan.width} columns from: {plan.sql}")
        return plan, cursor

    def rows(self, connection: Connection, **params: Any) -> list[tuple[Any, ...]]:
        """Every row, each value converted by its column's type."""
        plan, cursor = self._execute(connection, params)
        try:
            return _converted(plan, cursor.fetchall())
        finally:
            cursor.close()

    def stream(
        self, connection: Connection, batch: int, **params: Any
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows in lists of up to ``batch``, fetched as they are consumed: on a driver
        that would otherwise fetch the whole result at once (psycopg), through a server-side
        cursor, so memory holds one batch however many rows there are."""
        server_side = connection.dialect.supports_server_side_cursors
        name = f"council_stream_{next(_STREAMS)}" if server_side else None
        plan, cursor = self._execute(connection, params, cursor_name=name)
        try:
            while fetched := cursor.fetchmany(batch):
                yield _converted(plan, fetched)
        finally:
            cursor.close()

    def first(self, connection: Connection, **params: Any) -> tuple[Any, ...] | None:
        found = self.rows(connection, **params)
        return found[0] if found else None

    def scalar(self, connection: Connection, **params: Any) -> Any:
        row = self.first(connection, **params)
        return None if row is None else row[0]

    def run(self, connection: Connection, **params: Any) -> int:
        """Execute a statement that returns no rows; returns the row count."""
        _, cursor = self._execute(connection, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def many(self, connection: Connection, rows: Iterable[Mapping[str, Any]], **common: Any) -> int:
        """Execute a statement that returns no rows once per row (the driver's
        ``executemany``), with the values in ``common`` for every row; returns the
        driver's row count.

        Each value goes through its bind processor as in :meth:`run`: a common value
        once, and within one call a row's value once per distinct (hashable) value, as a
        batch repeats its instants and tuples.
        """
        plan = self._plan(connection.dialect)
        template: list[Any] = []
        varying: list[tuple[int, str, Any, Any, dict[Any, Any]]] = []
        for index, (name, convert, default) in enumerate(plan.parameters):
            if name in common:
                value = common[name]
                template.append(value if convert is None else convert(value))
            else:
                template.append(None)
                varying.append((index, name, default, convert, {}))
        values: list[Any] = []
        for params in rows:
            row = template.copy()
            for index, name, default, convert, seen in varying:
                value = params[name] if default is _REQUIRED else params.get(name, default)
                if convert is not None:
                    try:
                        value = seen[value]
                    except KeyError:
                        converted = seen[value] = convert(value)
                        value = converted
                    except TypeError:  # unhashable: a list, a dict
                        value = convert(value)
                row[index] = value
            values.append(
                tuple(row)
                if plan.positional
                else dict(zip((name for name, _, _ in plan.parameters), row, strict=True))
            )
        if not values:
            return 0
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(plan.sql, values)
            return int(cursor.rowcount)
        except plan.dbapi_error as exc:
            raise DBAPIError.instance(plan.sql, values, exc, plan.dbapi_error) from exc
        finally:
            cursor.close()

    def prepare(self, connection: Connection) -> None:
        """Compile now for the connection's dialect (a service warming its statements)."""
        self._plan(connection.dialect)

    def last_row_id(self, connection: Connection, **params: Any) -> int:
        """Execute an INSERT; returns the driver's ``lastrowid``."""
        _, cursor = self._execute(connection, params)
        try:
            return int(cursor.lastrowid)
        finally:
            cursor.close()


def columns_of(model: Any, row: Any, source: Any = None) -> list[Any]:
    """The columns of ``model`` (or of its alias ``source``) named as the fields of the
    named tuple type ``row``, in their order: a select of them makes rows ``row._make``
    takes as they come."""
    return [getattr(source if source is not None else model, name) for name in row._fields]


class PreparedInsert:
    """A one-row INSERT that returns the new row's integer key, the way SQLAlchemy fetches
    it: the driver's ``lastrowid`` where the dialect reads keys so (SQLite, and cheaper
    there than RETURNING), ``RETURNING`` elsewhere."""

    def __init__(self, model: Any, key: Any, *, column_keys: Sequence[str]) -> None:
        self._plain = Prepared(insert(model), column_keys=column_keys)
        self._returning = Prepared(insert(model).returning(key), column_keys=column_keys)

    def __call__(self, connection: Connection, **params: Any) -> int:
        if getattr(connection.dialect, "postfetch_lastrowid", False):
            return self._plain.last_row_id(connection, **params)
        return int(self._returning.scalar(connection, **params))


def _binder(
    parameters: tuple[tuple[str, Any, Any], ...], *, positional: bool
) -> Callable[[Mapping[str, Any]], Any]:
    """The function that makes one execution's DBAPI parameters from the named values:
    each through its bind processor, a missing one taking its default (or a ``KeyError``
    when it has none), as a tuple in order or, for a driver that takes names, a dict.

    A transition runs several small statements: when every parameter is required (the
    common case) the values are fetched at once by an ``itemgetter`` and only those with
    a processor are converted."""
    names = tuple(name for name, _, _ in parameters)
    if not names:
        return lambda params: () if positional else {}
    if any(default is not _REQUIRED for _, _, default in parameters):

        def with_defaults(params: Mapping[str, Any]) -> Any:
            values = []
            for name, convert, default in parameters:
                value = params[name] if default is _REQUIRED else params.get(name, default)
                values.append(value if convert is None else convert(value))
            return tuple(values) if positional else dict(zip(names, values, strict=True))

        return with_defaults
    fetch = itemgetter(*names)
    converts = tuple(
        (index, convert) for index, (_, convert, _) in enumerate(parameters) if convert
    )
    if len(names) == 1:
        convert = converts[0][1] if converts else None

        def one(params: Mapping[str, Any]) -> Any:
            value = fetch(params) if convert is None else convert(fetch(params))
            return (value,) if positional else {names[0]: value}

        return one

    def every(params: Mapping[str, Any]) -> Any:
        values = fetch(params)
        if converts:
            values = list(values)
            for index, convert in converts:
                values[index] = convert(values[index])
            values = tuple(values)
        return values if positional else dict(zip(names, values, strict=True))

    return every


_STREAMS = itertools.count(1)  # server-side cursors open at once need names of their own


def _converted(plan: _Plan, fetched: list[Any]) -> list[tuple[Any, ...]]:
    if not plan.results:
        return fetched
    converted = []
    for row in fetched:
        values = list(row)
        for index, convert in plan.results:
            value = values[index]
            if value is not None:  # a result processor gives NULL back as None
                values[index] = convert(value)
        converted.append(tuple(values))
    return converted
