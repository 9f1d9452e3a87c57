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


_SQLITE_FORM = (
    "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
)
"""How SQLAlchemy's ``DateTime`` stores a timestamp on SQLite (its default)."""


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

    def bind_processor(self, dialect: Dialect) -> Any:
        """On SQLite, the text SQLAlchemy's ``DateTime`` stores there (naive UTC,
        ``YYYY-MM-DD HH:MM:SS.ffffff``) made in one step: the processor SQLAlchemy composes
        (:meth:`process_bind_param`, then ``DateTime``'s own string formatting) costs
        several microseconds a value, and an act binds its timestamp in several
        statements. Any other storage format, or database, takes the composed one."""
        stored = self.impl_instance.dialect_impl(dialect)
        if dialect.name != "sqlite" or getattr(stored, "_storage_format", None) != _SQLITE_FORM:
            return super().bind_processor(dialect)

        def process(value: Any) -> str | None:
            if value is None:
                return None
            if not isinstance(value, datetime) or value.tzinfo is None:
                raise ValueError(f"timestamps must be timezone-aware, got {value!r}")
            return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]  # no "+00:00"

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


JSON_DOCUMENT = JSON().with_variant(JSONB(), "postgresql")
"""JSON everywhere; JSONB on PostgreSQL, which can compare it (DISTINCT, =) and index it."""
