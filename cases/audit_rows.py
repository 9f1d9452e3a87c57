"""The rebuilt rows of one audited table, packed: a fingerprint per part in an array.

While the walk rebuilds the records, it holds every row of every audited table as one
fingerprint (a 64-bit ``hash``) per part of its image. Held as a dict of tuples that is
about 200 bytes a row, which on a trail of a million entries is most of the memory
``audit verify`` uses. Rows keyed by one integer id (every audited table but two, their
ids counting up from 1) are kept here instead: the fingerprints in one ``array`` at
``id * width``, whether a row exists in a ``bytearray`` at ``id``, 8 bytes a part and one
a row; a row found :data:`VERIFIED` whole (most decisions, agenda entries and cases) is
that one byte only. A key that is not such an id (or one far past the others) goes to a
dict beside.

It behaves as the dict it replaces does for the readers of the registry and for the
comparison (``get``, ``[]``, assignment, ``pop``, ``in``, ``len``, iteration over keys).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, MutableMapping
from typing import Any

VERIFIED = -1
"""A part the walk found equal to the row as the table holds it (its entry's body is the
text rendered from the row, :mod:`council.cases.audit_render`), in place of a fingerprint:
``hash`` never returns -1."""

_NOTHING: Any = object()
_SLACK = 1_000_000  # how far past the ids seen so far a new id may be and still be packed


_ABSENT, _KEPT, _ALL_VERIFIED = 0, 1, 2  # what ``present`` holds for an id


class PackedRows(MutableMapping[Any, tuple[int, ...]]):
    """Rows of ``width`` parts by integer id (see the module's docstring).

    ``present`` holds, per id, whether a row exists and how: its fingerprints in the array,
    or every part :data:`VERIFIED` (a row its entry's body was found to say exactly, the
    commonest by far; it costs its one byte, and the array grows only as far as the ids
    of rows kept with fingerprints)."""

    def __init__(self, width: int, *, slack: int = _SLACK) -> None:
        self.width, self.slack = width, slack
        self.fingerprints = array("q")
        self.present = bytearray()
        self.count = 0
        self.other: dict[Any, tuple[int, ...]] = {}
        self.verified_row = (VERIFIED,) * width

    def _packed(self, key: Any) -> bool:
        return type(key) is int and 0 <= key < len(self.present)

    def __setitem__(self, key: Any, value: tuple[int, ...]) -> None:
        if type(key) is int and key >= 0 and (key < len(self.present) or self._grow(key)):
            if not self.present[key]:
                self.count += 1
            if value[0] == VERIFIED and tuple(value) == self.verified_row:
                self.present[key] = _ALL_VERIFIED
                return
            self.present[key] = _KEPT
            width = self.width
            start = key * width
            if start + width > len(self.fingerprints):
                self._room(key)
            self.fingerprints[start : start + width] = array("q", value)
        elif type(key) is bool:  # a dict takes True for 1
            self[int(key)] = value
        else:
            self.other[key] = value

    def _room(self, key: int) -> None:
        """The array of fingerprints long enough for ``key`` (a quarter more, to come)."""
        have = len(self.fingerprints) // self.width
        more = max(key + 1, have + have // 4 + 1024) - have
        self.fingerprints.frombytes(bytes(8 * self.width * more))

    def _grow(self, key: int) -> bool:
        """Room up to ``key`` at least (a quarter more, for the ids to come); False for an id
        too far past the others, kept in the dict beside."""
        size = len(self.present)
        if key >= 2 * size + self.slack:
            return False
        more = max(key + 1, size + size // 4 + 1024) - size
        self.present.extend(bytes(more))
        for kept in [k for k in self.other if type(k) is int and 0 <= k < size + more]:
            self[kept] = self.other.pop(kept)  # now in reach of the array
        return True

    def _row(self, key: int) -> tuple[int, ...]:
        if self.present[key] == _ALL_VERIFIED:
            return self.verified_row
        start = key * self.width
        return tuple(self.fingerprints[start : start + self.width])

    def get(self, key: Any, default: Any = None) -> Any:
        if type(key) is int and 0 <= key < len(self.present):
            state = self.present[key]
            if state == _KEPT:
                start = key * self.width
                return tuple(self.fingerprints[start : start + self.width])
            return self.verified_row if state else default
        if type(key) is bool:
            return self.get(int(key), default)
        return self.other.get(key, default)

    def __getitem__(self, key: Any) -> tuple[int, ...]:
        found = self.get(key, _NOTHING)
        if found is _NOTHING:
            raise KeyError(key)
        return found  # type: ignore[no-any-return]

    def pop(self, key: Any, default: Any = _NOTHING) -> Any:
        if self._packed(key) and self.present[key]:
            row = self._row(key)
            self.present[key] = _ABSENT
            self.count -= 1
            return row
        if type(key) is bool:
            return self.pop(int(key), default)
        if key in self.other or default is _NOTHING:
            return self.other.pop(key)
        return default

    def __delitem__(self, key: Any) -> None:
        self.pop(key)

    def __contains__(self, key: object) -> bool:
        if type(key) is int and 0 <= key < len(self.present):
            return bool(self.present[key])
        if type(key) is bool:
            return int(key) in self
        return key in self.other

    def __len__(self) -> int:
        return self.count + len(self.other)

    def mark_verified(self, keys: list[Any]) -> None:
        """Every part of the rows of ``keys`` :data:`VERIFIED`; a run of consecutive ids
        (what a page of entries writes) in one slice."""
        if not keys:
            return
        low, high = keys[0], keys[-1] + 1 if type(keys[-1]) is int else None
        if (
            type(low) is int
            and high is not None
            and low >= 0
            and high - low == len(keys)
            and keys == list(range(low, high))
            and (high <= len(self.present) or self._grow(high - 1))
        ):
            self.count += self.present.count(_ABSENT, low, high)
            self.present[low:high] = bytes([_ALL_VERIFIED]) * (high - low)
            return
        for key in keys:
            self[key] = self.verified_row

    def all_verified(self, low: int, high: int) -> bool:
        """Whether the rows are exactly those of ids ``low`` to ``high``, each with every
        part :data:`VERIFIED` (counted in C)."""
        if self.other or self.count != high - low + 1 or low < 0 or high >= len(self.present):
            return False
        return self.present.count(_ALL_VERIFIED, low, high + 1) == high - low + 1

    def __iter__(self) -> Iterator[Any]:
        present = self.present
        yield from (key for key in range(len(present)) if present[key])
        yield from self.other


def packed_rows(width: int, key_width: int) -> MutableMapping[Any, Any]:
    """The store for a table's rebuilt rows: packed for a single integer key."""
    return PackedRows(width) if key_width == 1 else {}
