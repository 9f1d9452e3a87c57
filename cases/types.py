"""Column types shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

INTEGER_MAX = 2**31 - 1
"""The largest value an ``Integer`` column holds on every database (PostgreSQL's
``integer`` has 32 bits): no id or number above it can name a row."""


def is_row_id(value: int) -> bool:
    """Whether ``value`` can be the id of a row (ids start at 1)."""
    return 1 <= value <= INTEGER_MAX


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored as UTC on every database.

    SQLite has no time zones, so the value is stored as naive UTC and handed back
    aware; a naive datetime is refused on the way in rather than guessed.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"timestamps must be timezone-aware, got {value!r}")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


JSON_DOCUMENT = JSON().with_variant(JSONB(), "postgresql")
"""JSON everywhere; JSONB on PostgreSQL, which can compare it (DISTINCT, =) and index it."""
