"""The walk along the audit trail: every entry in ``seq`` order, checked and handed on.

Each entry must follow the one before it (no gap, the right previous hash), match its own
hash and agree with its columns; its body's ``data`` is then handed to ``absorb`` (which
rebuilds the records from it, :mod:`council.cases.audit_images`). The trail is streamed in
pages, so memory holds one page however long the trail is.

A page is checked as a whole, in C where Python allows: the seqs against a range, the
links by comparing the lists of previous hashes and hashes, the hashes through ``map``
over ``hashlib``, and the columns by building, from them, the canonical JSON the product
writes around ``data`` (sorted keys: action, actor, at, case_id, data, item_id, prev, seq)
and comparing it with the start and end of each body; ``data`` must then scan as one
complete JSON value. A body that passes is one whose parse has exactly these columns. A
page where anything disagrees is walked again entry by entry (:func:`_entry_by_entry`),
which parses whole what the fast way could not read and names the first entry that does
not verify, with the same verdicts the page check gives.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from operator import add, itemgetter, methodcaller, neg
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Connection, Integer, String, bindparam, select, type_coerce
from sqlmodel import col

from council.cases.audit import GENESIS_HASH, canonical_json, chain_hash, utc_iso
from council.cases.audit_images import Broken
from council.cases.models import AuditEntry
from council.cases.prepared import Prepared
from council.cases.types import UTCDateTime

PAGE = 1_000

Absorb = Callable[[int, str, str, str, Any, Any, Any], None]


@dataclass(frozen=True)
class WalkStart:
    """Where a partial walk begins: right after entry ``seq``, whose hash is ``hash``.

    The caller vouches for that entry (a signed checkpoint the trail still holds, checked
    by ``cases.audit_anchors``). Each entry after it gets every check of the full walk (its
    place, its link to the one before, its hash, its columns against its body) and the
    trail must end at the head. The records are **not** compared with the trail: they were
    built by the bodies before ``seq`` too, which a partial walk does not read, so a partial
    comparison would either miss what it cannot know or report rows it never saw made.
    The full walk (the default of ``audit verify``) compares them.
    """

    seq: int
    hash: str


# --------------------------------------------------------------------------- timestamps

# The timestamp column as SQLite stores it (naive UTC, microseconds).
_STORED_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
_AS_BODY = "{}T{}+00:00".format
_DAY, _TIME = itemgetter(slice(0, 10)), itemgetter(slice(11, None))


class Stamps:
    """Timestamps as selected (as stored: ``type_coerce(column, String)``) in the form the
    bodies hold them (``utc_iso``): through the column type, then ``utc_iso``."""

    def __init__(self, connection: Connection) -> None:
        dialect = connection.dialect
        to_datetime = UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)
        assert to_datetime is not None, "UTCDateTime converts what it reads"
        self.to_datetime: Callable[[Any], Any] = to_datetime
        self.sqlite = dialect.name == "sqlite"

    def at(self, value: Any) -> str:
        if self.sqlite and type(value) is str and _STORED_AT.fullmatch(value):
            # SQLite's own storage form: utc_iso() of it is the same text rearranged. The
            # column type reads it with datetime.fromisoformat; that runs for the calendar
            # check it makes (a 31 February fails here as it failed there).
            datetime.fromisoformat(value)
            return value[:10] + "T" + value[11:] + "+00:00"
        return utc_iso(self.to_datetime(value))

    def column(self, values: Sequence[Any]) -> list[Any]:
        """A column of timestamps (None stays None); a column all in SQLite's storage form
        is converted without a Python call per value."""
        if self.sqlite:
            try:
                if all(map(_STORED_AT.fullmatch, values)):
                    all(map(datetime.fromisoformat, values))  # the calendar check of ``at``
                    return list(map(_AS_BODY, map(_DAY, values), map(_TIME, values)))
            except TypeError:  # a value that is not text: one by one
                pass
        at = self.at
        return [None if value is None else at(value) for value in values]


# --------------------------------------------------------------------------------- walk

_ENTRY_COLUMNS = select(
    col(AuditEntry.seq),
    type_coerce(col(AuditEntry.recorded_at), String),  # as stored; see Stamps
    col(AuditEntry.actor),
    col(AuditEntry.action),
    col(AuditEntry.case_id),
    col(AuditEntry.item_id),
    col(AuditEntry.body),
    col(AuditEntry.prev_hash),
    col(AuditEntry.hash),
).order_by(col(AuditEntry.seq))
_AFTER = col(AuditEntry.seq) > bindparam("after", type_=Integer())
_ENTRIES = Prepared(_ENTRY_COLUMNS.where(_AFTER))


class Page(NamedTuple):
    """A page whose entries passed the checks: each one's seq, time as its body holds it,
    actor, action, case and item, and its ``data`` as text, not yet parsed."""

    seqs: tuple[int, ...]
    ats: list[str]
    actors: tuple[Any, ...]
    actions: tuple[Any, ...]
    cases: tuple[Any, ...]
    items: tuple[Any, ...]
    datas: list[str]


class PageRenderer(Protocol):
    """Checks a page's entries against the rows they wrote without parsing their bodies
    (:class:`council.cases.audit_render.Rendered`)."""

    def page(self, connection: Connection, page: Page) -> list[Any] | None: ...

    def absorb_page(
        self, page: Page, effects: Sequence[Any], values: Sequence[Any], absorb: Absorb
    ) -> None: ...


def walk_chain(
    connection: Connection,
    absorb: Absorb | None,
    *,
    start: WalkStart | None = None,
    rendered: PageRenderer | None = None,
) -> tuple[int, str]:
    """Walk the trail from the genesis (or after ``start``) to its last entry, handing each
    entry's data to ``absorb`` (None: only check); returns the last seq and hash. Raises
    :class:`Broken` at the first entry that does not verify.

    With ``rendered``, an entry its row renders (see there) is applied by it, unparsed;
    every other entry is parsed and absorbed, in the order of the trail."""
    last = (start.seq, start.hash) if start else (0, GENESIS_HASH)
    for ready, seq, digest in ready_pages(
        connection, absorb is not None, start=start, rendered=rendered
    ):
        if absorb is not None:
            apply_page(ready, absorb, rendered)
        last = (seq, digest)
    return last


class Ready(NamedTuple):
    """A page checked and read, to be applied in its turn: either its ``entries`` (parsed),
    or the ``page`` its renderer checked with each entry's ``effects`` (None: not rendered)
    and the parsed ``values`` of those not rendered. The page's ``datas`` are left out
    (applying does not read them)."""

    entries: Sequence[Entry]
    page: Page | None = None
    effects: Sequence[Any] = ()
    values: Sequence[Any] = ()


def ready_pages(
    connection: Connection,
    reading: bool,
    *,
    start: WalkStart | None = None,
    rendered: PageRenderer | None = None,
) -> Iterator[tuple[Ready, int, str]]:
    """Each page of the trail after ``start`` checked, its data read
    (``reading``) or rendered, with the page's last seq and hash; raises :class:`Broken`
    at the first entry that does not verify. Nothing here depends on the pages before
    but their last seq and hash, so a part of the trail can be prepared apart from the
    rest and applied in its turn (:func:`apply_page`)."""
    stamps, strings = Stamps(connection), _Strings()
    previous_seq, previous_hash = (start.seq, start.hash) if start else (0, GENESIS_HASH)
    for page in _ENTRIES.stream(connection, PAGE, after=previous_seq):
        checked = _check_page(page, previous_seq, previous_hash, stamps, strings)
        ready = None
        if checked is not None:
            ready = _parsed(connection, checked, reading, rendered)
        if ready is None:
            ready = Ready(_entry_by_entry(page, previous_seq, previous_hash, stamps))
        last = page[-1]
        previous_seq, previous_hash = last[0], last[8]
        yield ready, previous_seq, previous_hash


def apply_page(ready: Ready, absorb: Absorb, rendered: PageRenderer | None) -> None:
    """A prepared page's entries handed to ``absorb`` (those rendered applied by
    ``rendered``), in the order of the trail."""
    if ready.page is None:
        for entry in ready.entries:
            absorb(*entry)
        return
    assert rendered is not None
    rendered.absorb_page(ready.page, ready.effects, ready.values, absorb)


def _parsed(
    connection: Connection,
    checked: Page,
    reading: bool,
    rendered: PageRenderer | None,
) -> Ready | None:
    """A checked page's entries with their data parsed (or, those ``rendered`` takes,
    with what they write); None if a data does not scan as one JSON value."""
    seqs, ats, actors, actions, cases, items, datas = checked
    if not reading:  # a walk that only checks: the data must still be one JSON value
        return None if _scanned(datas) is None else Ready(())
    effects = None
    if rendered is not None:
        effects = rendered.page(connection, checked)
    if effects is None:
        values = _scanned(datas)
        if values is None:
            return None
        return Ready(list(zip(seqs, ats, actors, actions, cases, items, values, strict=True)))
    left = [data for data, effect in zip(datas, effects, strict=True) if effect is None]
    values = _scanned(left)
    if values is None:
        return None
    return Ready((), checked._replace(datas=[]), effects, values)


def _scanned(datas: Sequence[str]) -> list[Any] | None:
    """Each text's JSON value, or None if one is not exactly one JSON value."""
    try:
        scanned = list(map(_SCAN, datas, repeat(0)))
    except (StopIteration, ValueError):
        return None
    if list(map(_END, scanned)) != list(map(len, datas)):
        return None
    return list(map(_VALUE, scanned))


class _Strings(dict[Any, str]):
    """Column values as canonical JSON strings (actors and actions: few, often repeated);
    a value that is not text gets a form no body holds, so its entry is read one by one."""

    def __missing__(self, value: Any) -> str:
        if len(self) > 10_000:
            self.clear()
        text = self[value] = canonical_json(value) if type(value) is str else "\0"
        return text


_PREFIX = '{{"action":{},"actor":{},"at":"{}","case_id":{},"data":'.format
_SUFFIX = ',"item_id":{},"prev":"{}","seq":{}}}'.format
_HEX = methodcaller("hexdigest")
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_NUMBERS = {int, type(None)}
_VALUE, _END = itemgetter(0), itemgetter(1)
Entry = tuple[int, str, str, str, Any, Any, Any]


def _check_page(
    page: list[tuple[Any, ...]],
    previous_seq: int,
    previous_hash: str,
    stamps: Stamps,
    strings: _Strings,
) -> Page | None:
    """The page's columns, each entry's time as its body holds it and its ``data`` as
    text (not yet parsed), or None if anything in it needs a closer look."""
    seqs, recorded, actors, actions, cases, items, bodies, prevs, hashes = zip(*page, strict=True)
    if seqs != tuple(range(previous_seq + 1, previous_seq + 1 + len(page))):
        return None
    if prevs[0] != previous_hash or prevs[1:] != hashes[:-1]:
        return None
    try:
        digests = tuple(map(_HEX, map(hashlib.sha256, map(str.encode, map(add, prevs, bodies)))))
    except TypeError:  # a value that is not text
        return None
    if digests != hashes:
        return None
    if not _NUMBERS.issuperset(map(type, cases)) or not _NUMBERS.issuperset(map(type, items)):
        return None
    ats = stamps.column(recorded)
    prefixes = list(
        map(
            _PREFIX,
            map(strings.__getitem__, actions),
            map(strings.__getitem__, actors),
            ats,
            json_numbers(cases),
        )
    )
    suffixes = list(map(_SUFFIX, json_numbers(items), prevs, seqs))
    if not all(map(str.startswith, bodies, prefixes)) or not all(
        map(str.endswith, bodies, suffixes)
    ):
        return None
    datas = list(
        map(str.__getitem__, bodies, map(slice, map(len, prefixes), map(neg, map(len, suffixes))))
    )
    return Page(seqs, ats, actors, actions, cases, items, datas)


def json_numbers(values: Sequence[int | None]) -> list[str]:
    """Integers or None as JSON, in one call (they hold no comma)."""
    return json.dumps(list(values), separators=(",", ":"))[1:-1].split(",")


def _entry_by_entry(
    page: list[tuple[Any, ...]], previous_seq: int, previous_hash: str, stamps: Stamps
) -> list[Entry]:
    """The page walked one entry at a time: the first that does not verify is named."""
    entries: list[Entry] = []
    for row in page:
        row_seq, recorded_at, actor, action, case_id, item_id, body, prev_hash, digest = row
        seq = previous_seq + 1
        if row_seq != seq:
            raise Broken(
                f"post {seq} mangler: sporet springer fra post {previous_seq} til post {row_seq}"
            )
        if prev_hash != previous_hash:
            raise Broken(
                f"post {seq} følger ikke efter post {previous_seq}: den forrige hash er en anden "
                "(poster er indsat, fjernet eller byttet om)"
            )
        if chain_hash(prev_hash, body) != digest:
            raise Broken(f"post {seq} er ændret: dens indhold passer ikke til dens hash")
        stamp = stamps.at(recorded_at)
        parsed = json.loads(body)
        columns = (seq, stamp, actor, action, case_id, item_id)
        hashed = (
            parsed["seq"],
            parsed["at"],
            parsed["actor"],
            parsed["action"],
            parsed["case_id"],
            parsed["item_id"],
        )
        if columns != hashed or parsed["prev"] != prev_hash:
            raise Broken(
                f"post {seq} er ændret: dens kolonner stemmer ikke med dens hashede indhold"
            )
        entries.append(
            (
                seq,
                stamp,
                actor,
                parsed["action"],
                parsed["case_id"],
                parsed["item_id"],
                parsed["data"],
            )
        )
        previous_seq, previous_hash = seq, digest
    return entries
