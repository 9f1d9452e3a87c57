"""The search index: every searchable part of the records, kept in step with every write.

A *part* is one thing a search can find: a case (its number, title and owner), an item
(its case number, title and sections), a decision (its text) or an attachment (its name and
the text extracted from its file). Each is one row of ``search_entry`` with the case and
item it belongs to and whether that item is closed (lukket punkt), so a search for the
public leaves closed items out in the query itself. Each part has three texts, weighted
from high to low: ``ref`` (the case number), ``title`` and ``body``.

How the words are found differs by database, what is found does not:

- **SQLite**: an FTS5 table ``search_fts`` (rowid = ``search_entry.id``) holds the parts'
  texts as Danish stems (:mod:`council.cases.search_text`); ranked by FTS5's ``bm25`` with
  the columns weighted 10, 5 and 1.
- **PostgreSQL**: ``search_entry.tsv`` holds ``to_tsvector('danish', ...)`` of the texts,
  weighted A, B and D, under a GIN index; queried with ``websearch_to_tsquery('danish',
  ...)`` and ranked by ``ts_rank`` divided by the log of the part's length (as bm25 weighs
  a word in a short text above the same word in a long one).

Both are given the texts split into words the same way (:func:`~council.cases.search_text.
words`), so ``2010-4130`` is the words 2010 and 4130 on both.

Every store that writes a searchable text calls in here in its own transaction:
``case_records.create`` (:func:`index_case`), ``items.draft``, the corrections of
``item_texts`` and attaching a file (:func:`refresh_item`), and ``transitions.
record_transition`` for a decision (:func:`index_decision`). ``council search --reindex``
rebuilds the whole index (:func:`rebuild`). The queries are in :mod:`council.cases.search_queries`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Text,
    UniqueConstraint,
    bindparam,
    select,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlmodel import Field, SQLModel, col

from council.cases.models import AgendaItem, Attachment, Case, Decision
from council.cases.prepared import Prepared
from council.cases.search_text import indexed, words

CASE, ITEM, DECISION, ATTACHMENT = "case", "item", "decision", "attachment"
KINDS = (CASE, ITEM, DECISION, ATTACHMENT)
"""The kinds of part. A decision's remarks (bemærkninger), once the decision model holds
them apart from its text, become parts of their own kind here: their text is indexed by
:func:`decision_text`'s caller in the same way."""

FTS_TABLE = "search_fts"
TSV_INDEX = "ix_search_entry_tsv"
MAX_INDEXED_CHARACTERS = 400_000
"""The most of one text that is indexed (PostgreSQL's tsvector holds at most 1 MB)."""
REBUILD_BATCH = 2_000


class SearchEntry(SQLModel, table=True):
    """One searchable part; its words are in ``search_fts`` (SQLite) or ``tsv``."""

    __tablename__ = "search_entry"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", name="uq_search_entry_part"),
        Index("ix_search_entry_item_id", "item_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12)
    ref_id: int
    case_id: int
    item_id: int | None = None
    closed: bool = False
    tsv: str | None = Field(
        default=None,
        sa_column=Column(Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True),
    )


def in_metadata(name: str | None, type_: str, _parents: Any = None) -> bool:
    """Whether Alembic compares a database object with the models: not the index's own
    objects that the models do not describe, the FTS5 table and its shadow tables (SQLite)
    and the GIN index on ``tsv`` (PostgreSQL)."""
    if name is None:
        return True
    if type_ == "table":
        return not (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))
    return not (type_ == "index" and name == TSV_INDEX)


# ------------------------------------------------------------------------------ texts


class PartText(NamedTuple):
    """A part's three texts, from the most to the least weighty."""

    ref: str
    title: str
    body: str


def case_text(number: str, title: str, owner: str) -> PartText:
    return PartText(number, title, owner)


def item_text(
    case_number: str,
    title: str,
    summary: str,
    administration: str,
    recommendation: Sequence[str],
    problem: str,
    solution: str,
    economy: str,
    next_steps: str,
    signatures: Sequence[str],
) -> PartText:
    sections = [summary, administration, *recommendation, problem, solution, economy, next_steps]
    return PartText(case_number, title, "\n\n".join(s for s in [*sections, *signatures] if s))


def decision_text(text_: str) -> PartText:
    return PartText("", "", text_)


def attachment_text(title: str, extracted: str | None) -> PartText:
    return PartText("", title, extracted or "")


class Part(NamedTuple):
    kind: str
    ref_id: int
    case_id: int
    item_id: int | None
    closed: bool
    text: PartText


# ------------------------------------------------------------------------------ writing


_SQLITE_ENTRY = Prepared(
    text(
        "INSERT INTO search_entry (id, kind, ref_id, case_id, item_id, closed) "
        "VALUES (:id, :kind, :ref_id, :case_id, :item_id, :closed)"
    )
)
_SQLITE_WORDS = Prepared(
    text(f"INSERT INTO {FTS_TABLE} (rowid, ref, title, body) VALUES (:id, :ref, :title, :body)")
)
_POSTGRES_ENTRY = Prepared(
    text(
        "INSERT INTO search_entry (kind, ref_id, case_id, item_id, closed, tsv) "
        "VALUES (:kind, :ref_id, :case_id, :item_id, :closed, "
        "setweight(to_tsvector('danish', :ref), 'A') || "
        "setweight(to_tsvector('danish', :title), 'B') || "
        "setweight(to_tsvector('danish', :body), 'D'))"
    )
)
_POSTGRES_ENTRY_WITH_ID = Prepared(
    text(
        "INSERT INTO search_entry (id, kind, ref_id, case_id, item_id, closed, tsv) "
        "VALUES (:id, :kind, :ref_id, :case_id, :item_id, :closed, "
        "setweight(to_tsvector('danish', :ref), 'A') || "
        "setweight(to_tsvector('danish', :title), 'B') || "
        "setweight(to_tsvector('danish', :body), 'D'))"
    )
)
_SQLITE_NEW_ENTRY = Prepared(
    text(
        "INSERT INTO search_entry (kind, ref_id, case_id, item_id, closed) "
        "VALUES (:kind, :ref_id, :case_id, :item_id, :closed)"
    )
)


def _cut(value: str) -> str:
    return value[:MAX_INDEXED_CHARACTERS]


def _sqlite_words(part: Part) -> dict[str, str]:
    ref, title, body = part.text
    return {"ref": indexed(ref), "title": indexed(title), "body": indexed(_cut(body))}


def _postgres_words(part: Part) -> dict[str, str]:
    ref, title, body = part.text
    return {
        "ref": " ".join(words(ref)),
        "title": " ".join(words(title)),
        "body": " ".join(words(_cut(body))),
    }


def _facts(part: Part) -> dict[str, Any]:
    return {
        "kind": part.kind,
        "ref_id": part.ref_id,
        "case_id": part.case_id,
        "item_id": part.item_id,
        "closed": bool(part.closed),
    }


def add(connection: Connection, parts: Iterable[Part]) -> None:
    """Index ``parts`` in the caller's transaction."""
    if connection.dialect.name == "sqlite":
        for part in parts:
            # SQLite gives the row max(id)+1 (no AUTOINCREMENT); the FTS row takes its id
            new_id = _SQLITE_NEW_ENTRY.last_row_id(connection, **_facts(part))
            _SQLITE_WORDS.run(connection, id=new_id, **_sqlite_words(part))
    else:
        for part in parts:
            _POSTGRES_ENTRY.run(connection, **_facts(part), **_postgres_words(part))


def add_numbered(connection: Connection, parts: Sequence[Part], *, first_id: int) -> None:
    """Index ``parts`` as the rows ``first_id``, ``first_id + 1``, ... in two
    ``executemany`` (SQLite, where :func:`add` gives each part max(id) + 1: the same
    rows when ``first_id`` is that)."""
    if connection.dialect.name != "sqlite":
        raise ValueError("parts are numbered by the caller on SQLite only")
    if parts:
        _write_batch(connection, list(parts), first_id=first_id, sqlite=True)


_FORGET_ITEM_WORDS = Prepared(
    text(
        f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
        "(SELECT id FROM search_entry WHERE item_id = :item_id)"
    )
)
_FORGET_ITEM = Prepared(text("DELETE FROM search_entry WHERE item_id = :item_id"))


def _forget_item(connection: Connection, item_id: int) -> None:
    if connection.dialect.name == "sqlite":
        _FORGET_ITEM_WORDS.run(connection, item_id=item_id)
    _FORGET_ITEM.run(connection, item_id=item_id)


def index_case(
    connection: Connection, *, case_id: int, number: str, title: str, owner: str
) -> None:
    """A new case's part."""
    add(connection, [Part(CASE, case_id, case_id, None, False, case_text(number, title, owner))])


def index_decision(
    connection: Connection,
    *,
    decision_id: int,
    item_id: int,
    case_id: int,
    closed: bool,
    text_: str,
) -> None:
    """A newly recorded decision's part (a transition's hot path: no read)."""
    add(connection, [Part(DECISION, decision_id, case_id, item_id, closed, decision_text(text_))])


def index_new_item(
    connection: Connection,
    *,
    item_id: int,
    case_id: int,
    closed: bool,
    text: PartText,
    attachments: Sequence[tuple[int, str]],
) -> None:
    """A newly drafted item's parts, from the values just written (no read): the item and
    its attachments known by name (``(id, title)``); it has no decisions yet. The same
    parts as :func:`refresh_item` would find."""
    parts = [Part(ITEM, item_id, case_id, item_id, closed, text)]
    parts += [
        Part(ATTACHMENT, attachment_id, case_id, item_id, closed, attachment_text(title, None))
        for attachment_id, title in attachments
    ]
    add(connection, parts)


def refresh_item(connection: Connection, item_id: int) -> None:
    """Index the item and its decisions and attachments anew, as the records now hold them
    (after drafting, a correction of its texts or closed flag, an attachment)."""
    _forget_item(connection, item_id)
    add(connection, _item_parts(connection, item_id=item_id))


# ------------------------------------------------------------------------------ reading the records

_ITEM_COLUMNS = (
    col(AgendaItem.id),
    col(AgendaItem.case_id),
    col(AgendaItem.closed),
    col(Case.number),
    col(AgendaItem.title),
    col(AgendaItem.summary),
    col(AgendaItem.administration),
    col(AgendaItem.recommendation),
    col(AgendaItem.problem),
    col(AgendaItem.solution),
    col(AgendaItem.economy),
    col(AgendaItem.next_steps),
    col(AgendaItem.signatures),
)
_ITEMS = select(*_ITEM_COLUMNS).join(Case, col(Case.id) == col(AgendaItem.case_id))
_DECISIONS = select(
    col(Decision.id),
    col(AgendaItem.case_id),
    col(Decision.item_id),
    col(AgendaItem.closed),
    col(Decision.text),
).join(AgendaItem, col(AgendaItem.id) == col(Decision.item_id))
_ATTACHMENTS = select(
    col(Attachment.id),
    col(AgendaItem.case_id),
    col(Attachment.item_id),
    col(AgendaItem.closed),
    col(Attachment.title),
    col(Attachment.text),
).join(AgendaItem, col(AgendaItem.id) == col(Attachment.item_id))
_ON_ITEM_ATTACHMENTS = _ATTACHMENTS.where(
    col(Attachment.removed_at).is_(None)  # a bilag taken off its item is no longer found
)
_CASES = select(col(Case.id), col(Case.number), col(Case.title), col(Case.owner))

_ONE_ITEM = Prepared(_ITEMS.where(col(AgendaItem.id) == bindparam("item_id")))
_ITEM_DECISIONS = Prepared(_DECISIONS.where(col(Decision.item_id) == bindparam("item_id")))
_ITEM_ATTACHMENTS = Prepared(
    _ON_ITEM_ATTACHMENTS.where(col(Attachment.item_id) == bindparam("item_id"))
)


def _item_part(row: Sequence[Any]) -> Part:
    item_id, case_id, closed, *texts = row
    return Part(ITEM, item_id, case_id, item_id, closed, item_text(*texts))


def _decision_part(row: Sequence[Any]) -> Part:
    decision_id, case_id, item_id, closed, wording = row
    return Part(DECISION, decision_id, case_id, item_id, closed, decision_text(wording))


def _attachment_part(row: Sequence[Any]) -> Part:
    attachment_id, case_id, item_id, closed, title, extracted = row
    return Part(
        ATTACHMENT, attachment_id, case_id, item_id, closed, attachment_text(title, extracted)
    )


def _case_part(row: Sequence[Any]) -> Part:
    case_id, number, title, owner = row
    return Part(CASE, case_id, case_id, None, False, case_text(number, title, owner))


def _item_parts(connection: Connection, *, item_id: int) -> list[Part]:
    parts = [_item_part(row) for row in _ONE_ITEM.rows(connection, item_id=item_id)]
    parts += [_decision_part(row) for row in _ITEM_DECISIONS.rows(connection, item_id=item_id)]
    parts += [_attachment_part(row) for row in _ITEM_ATTACHMENTS.rows(connection, item_id=item_id)]
    return parts


def every_part(connection: Connection, *, bilag_removable: bool = True) -> Iterator[Part]:
    """Every searchable part of the records, streamed. ``bilag_removable=False`` for a
    schema from before a bilag could be taken off its item (a migration's), which has no
    column that says so."""
    attachments = _ON_ITEM_ATTACHMENTS if bilag_removable else _ATTACHMENTS
    sources = (
        (Prepared(_CASES.order_by(col(Case.id))), _case_part),
        (Prepared(_ITEMS.order_by(col(AgendaItem.id))), _item_part),
        (Prepared(_DECISIONS.order_by(col(Decision.id))), _decision_part),
        (Prepared(attachments.order_by(col(Attachment.id))), _attachment_part),
    )
    for statement, make in sources:
        for batch in statement.stream(connection, REBUILD_BATCH):
            yield from map(make, batch)


def rebuild(connection: Connection, parts: Iterable[Part] | None = None) -> int:
    """Throw the index away and build it again from the records (or from ``parts``), in the
    caller's transaction; returns how many parts it holds."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _FORGET_ALL_WORDS.run(connection)
    _FORGET_ALL.run(connection)
    # The records are read on their own cursor while the batches are written.
    count, batch = 0, []
    for part in every_part(connection) if parts is None else parts:
        count += 1
        batch.append(part)
        if len(batch) >= REBUILD_BATCH:
            _write_batch(connection, batch, first_id=count - len(batch) + 1, sqlite=sqlite)
            batch = []
    if batch:
        _write_batch(connection, batch, first_id=count - len(batch) + 1, sqlite=sqlite)
    (_OPTIMIZE if sqlite else _RESTART_IDS).run(connection)
    return count


_FORGET_ALL_WORDS = Prepared(text(f"DELETE FROM {FTS_TABLE}"))
_FORGET_ALL = Prepared(text("DELETE FROM search_entry"))
_OPTIMIZE = Prepared(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')"))
_RESTART_IDS = Prepared(
    text(
        "SELECT setval(pg_get_serial_sequence('search_entry', 'id'), "
        "(SELECT coalesce(max(id), 0) + 1 FROM search_entry), false)"
    )
)


def _write_batch(connection: Connection, batch: list[Part], *, first_id: int, sqlite: bool) -> None:
    ids = range(first_id, first_id + len(batch))
    if sqlite:
        _SQLITE_ENTRY.many(
            connection, ({"id": i, **_facts(p)} for i, p in zip(ids, batch, strict=True))
        )
        _SQLITE_WORDS.many(
            connection, ({"id": i, **_sqlite_words(p)} for i, p in zip(ids, batch, strict=True))
        )
    else:
        _POSTGRES_ENTRY_WITH_ID.many(
            connection,
            ({"id": i, **_facts(p), **_postgres_words(p)} for i, p in zip(ids, batch, strict=True)),
        )


def _by_ids(statement: Any, key: Any) -> Any:
    return statement.where(key.in_(bindparam("ids", expanding=True)))


_TEXT_SOURCES: dict[str, tuple[Any, Callable[[Sequence[Any]], Part]]] = {
    CASE: (_by_ids(_CASES, col(Case.id)), _case_part),
    ITEM: (_by_ids(_ITEMS, col(AgendaItem.id)), _item_part),
    DECISION: (_by_ids(_DECISIONS, col(Decision.id)), _decision_part),
    ATTACHMENT: (_by_ids(_ON_ITEM_ATTACHMENTS, col(Attachment.id)), _attachment_part),
}


def texts_of(
    connection: Connection, parts: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], PartText]:
    """The texts of the parts (kind, ref_id), as they were indexed (for search snippets)."""
    wanted: dict[str, list[int]] = {}
    for kind, ref_id in parts:
        wanted.setdefault(kind, []).append(ref_id)
    found: dict[tuple[str, int], PartText] = {}
    for kind, ids in wanted.items():
        statement, make = _TEXT_SOURCES[kind]
        for row in connection.execute(statement, {"ids": ids}):
            part = make(row)
            found[(kind, part.ref_id)] = part.text
    return found
