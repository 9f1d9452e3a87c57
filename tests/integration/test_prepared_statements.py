"""Prepared statements on a real SQLite database bind as SQLAlchemy itself would.

``cases.prepared.Prepared`` runs the stores' statements straight on the driver: each value
through its column type's bind processor, a missing one taking its default or refused by
name. On SQLite a timestamp is bound as the text SQLAlchemy's ``DateTime`` stores (naive
UTC), so rows written by either path compare, sort and read back alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    bindparam,
    create_engine,
    insert,
    select,
)

from council.cases.prepared import Prepared
from council.cases.types import UTCDateTime

_TABLE = Table(
    "stamped",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime()),
    Column("plain_at", DateTime()),  # SQLAlchemy's own timestamp, naive
    Column("tags", JSON()),
    Column("note", Text()),
)
_ADD = Prepared(insert(_TABLE), column_keys=("id", "at", "tags", "note"))
_ROW = Prepared(
    select(_TABLE.c.at, _TABLE.c.tags, _TABLE.c.note).where(
        _TABLE.c.id == bindparam("id", type_=Integer())
    )
)
_FIRST = Prepared(
    select(_TABLE.c.id)
    .order_by(_TABLE.c.id)
    .limit(bindparam("limit", value=2, type_=Integer(), required=False))
)
_STORED = Prepared(select(_TABLE.c.id).where(_TABLE.c.at == _TABLE.c.plain_at))


@pytest.fixture
def connection() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    _TABLE.metadata.create_all(engine)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_each_value_goes_through_its_column_type_and_reads_back_the_same(
    connection: Connection,
) -> None:
    at = datetime(2010, 1, 4, 9, 30, 15, 250, tzinfo=timezone(timedelta(hours=1)))
    _ADD.run(connection, id=1, at=at, tags=["BIU", "SUD"], note="Forelagt")

    assert _ROW.first(connection, id=1) == (at.astimezone(UTC), ["BIU", "SUD"], "Forelagt")


def test_a_parameter_with_a_default_takes_it_unless_given(connection: Connection) -> None:
    for key in range(1, 5):
        _ADD.run(connection, id=key, at=datetime(2010, 1, key, tzinfo=UTC), tags=[], note="")

    assert _FIRST.rows(connection) == [(1,), (2,)]
    assert _FIRST.rows(connection, limit=3) == [(1,), (2,), (3,)]


def test_a_missing_parameter_is_refused_by_its_name(connection: Connection) -> None:
    with pytest.raises(KeyError, match="note"):
        _ADD.run(connection, id=1, at=datetime(2010, 1, 4, tzinfo=UTC), tags=[])


def test_a_naive_timestamp_is_refused(connection: Connection) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _ADD.run(connection, id=1, at=datetime(2010, 1, 4), tags=[], note="")


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
    )
)
def test_a_timestamp_is_stored_as_sqlalchemys_datetime_stores_its_utc_time(
    moment: datetime,
) -> None:
    engine = create_engine("sqlite://")
    _TABLE.metadata.create_all(engine)
    utc = moment.astimezone(UTC)
    with engine.begin() as connection:
        _ADD.run(connection, id=1, at=moment, tags=[], note="")
        connection.execute(_TABLE.update().values(plain_at=utc.replace(tzinfo=None)))

        assert _STORED.rows(connection) == [(1,)]
    engine.dispose()
