"""The commonest entries checked against the rows they wrote, without parsing their bodies.

Most of a trail is transitions (each writes an agenda entry or a decision that names its
entry by ``audit_seq``) and new cases (each writes the case its ``case_id`` names). For a
page of entries, the walk reads the rows those entries wrote (by the page's range of seqs,
or of case ids) and renders from each row the ``data`` its entry's body must hold: the same
canonical JSON the product writes (:func:`council.cases.audit.canonical_json`: sorted keys,
compact, the strings through the same encoder). An entry whose ``data`` is that text, and
whose columns (seq, item, actor, time) are the row's, says exactly what the row holds, so
the row's image is the one parsing the body would rebuild: it is recorded as
:data:`~council.cases.audit_rows.VERIFIED` instead of fingerprints, and the comparison of
the tables need not read it again (:mod:`council.cases.audit_compare`). What a row does not
hold (a transition's new state and version of an agenda entry's item, the version of any
transition's item) is read from the end of the text, which must have the one form the
encoder writes.

Anything else is parsed as before: another action, a row with a referral or decision parts,
a row changed since (a correction), a row missing, a text that differs in any way. So a
match proves equality and a mismatch costs only the parse; nothing is decided here that
the registry (:mod:`council.cases.audit_images`) does not decide for a parsed body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from datetime import date
from itertools import compress, repeat
from operator import eq, sub
from typing import Any

from sqlalchemy import Connection, Integer, String, and_, bindparam, select, type_coerce
from sqlmodel import col

from council.cases.audit import canonical_json
from council.cases.audit_expected import Expected
from council.cases.audit_images import Broken
from council.cases.audit_rows import VERIFIED, PackedRows
from council.cases.audit_walk import Page, json_numbers
from council.cases.decision_parts import PART_COLUMNS
from council.cases.models import AgendaEntry, Case, Decision
from council.cases.prepared import Prepared

TRANSITION, CASE_CREATED, DRAFTED = "item.transition", "case.created", "item.drafted"
DECIDED, PRESENTED, CREATED = "decided", "presented", "created"  # what a rendered entry wrote

_APART = frozenset(
    {
        "item.corrected",
        "item.attached",
        "item.moved",
        TRANSITION,
        "decision.corrected",
        CASE_CREATED,
    }
)
"""Actions whose readers touch what rendered entries write (an item's state and version, a
decision, an agenda entry, a case): a page that parses one applies every entry in turn."""

_LO, _HI = bindparam("lo", type_=Integer()), bindparam("hi", type_=Integer())

_DECISIONS = Prepared(
    select(
        col(Decision.audit_seq),
        col(Decision.id),
        col(Decision.item_id),
        col(Decision.actor),
        type_coerce(col(Decision.recorded_at), String),  # as stored; see audit_walk.Stamps
        col(Decision.meeting_id),
        type_coerce(col(Decision.decided_on), String),
        col(Decision.trigger),
        col(Decision.from_state),
        col(Decision.to_state),
        col(Decision.outcome),
        col(Decision.text),
        type_coerce(  # 1 or true: no referral, no parts (the fast path's decisions)
            and_(
                col(Decision.referred_to).is_(None),
                *(getattr(Decision, name).is_(None) for name in PART_COLUMNS),
            ),
            Integer(),
        ),
    ).where(col(Decision.audit_seq).between(_LO, _HI))
)
_AGENDA_ENTRIES = Prepared(
    select(
        col(AgendaEntry.audit_seq),
        col(AgendaEntry.id),
        col(AgendaEntry.item_id),
        col(AgendaEntry.actor),
        type_coerce(col(AgendaEntry.presented_at), String),
        col(AgendaEntry.meeting_id),
        col(AgendaEntry.number),
        col(AgendaEntry.from_state),
    ).where(col(AgendaEntry.audit_seq).between(_LO, _HI))
)
_CASES = Prepared(
    select(
        col(Case.id),
        type_coerce(col(Case.created_at), String),
        col(Case.number),
        col(Case.owner),
        col(Case.title),
    ).where(col(Case.id).between(_LO, _HI))
)

# The data of each, sorted keys as the encoder writes them, up to what the row cannot say.
_DECISION_DATA = (
    '{{"decision":{{"decided_on":{},"id":{},"outcome":{},"text":{}}},'
    '"from":{},"meeting_id":{},"to":{},"trigger":{},"version":'
).format
_ENTRY_DATA = (
    '{{"agenda_entry":{{"id":{},"meeting_id":{},"number":{}}},"from":{},"meeting_id":'.format
)
_CASE_DATA = '{{"number":{},"owner":{},"title":{}}}'.format

# What the encoder writes for an integer, and for a string with nothing to escape (what a
# state or a trigger is): its parse is the digits' int, the text between the quotes.
_INTEGER = r"-?(?:0|[1-9][0-9]*)"
_PLAIN = r'"([^"\\\x00-\x1f]*)"'
_VERSION = re.compile(rf"({_INTEGER})\}}")
_ENTRY_REST = re.compile(
    rf'(?:null|{_INTEGER}),"to":{_PLAIN},"trigger":{_PLAIN},"version":({_INTEGER})\}}'
)

_SPREAD = 4
_INTEGERS = frozenset({int, type(None)})
_NO = "\0"  # a value no canonical text holds: the entry is parsed instead


class _Texts(dict[Any, str]):
    """Strings (or None) as canonical JSON, kept (states, triggers, actors, standard
    wordings: few, often repeated); a value that is not text gets :data:`_NO`."""

    def __missing__(self, value: Any) -> str:
        if len(self) > 10_000:
            self.clear()
        kind = type(value)
        if kind is str or value is None:
            text = canonical_json(value)
        elif kind is date:  # a date column as PostgreSQL gives it (SQLite: its ISO text)
            text = f'"{value.isoformat()}"'
        else:
            text = _NO
        self[value] = text
        return text


def _text(value: Any) -> str:
    """A string (or None) as canonical JSON, not kept (a case's number, title: each its own)."""
    return canonical_json(value) if type(value) is str or value is None else _NO


def _number(value: Any) -> str:
    """An integer column (or None) as canonical JSON."""
    return str(value) if type(value) is int else "null" if value is None else _NO


def _numbers(values: Sequence[Any]) -> list[str]:
    """An integer column (None allowed) as canonical JSON, in one call when it holds
    nothing else."""
    if _INTEGERS.issuperset(map(type, values)):
        return json_numbers(values)
    return list(map(_number, values))


def _every(*conditions: Any) -> bool:
    return all(conditions)


Effect = tuple[Any, ...]


class Rendered:
    """Checks a page's transitions and new cases against their rows (see the module) and
    applies to ``expected`` what the matching ones write."""

    def __init__(self, expected: Expected, stamp_column: Callable[[Sequence[Any]], list[Any]]):
        self.expected = expected
        self.stamps = stamp_column
        self.texts = _Texts()

    def page(self, connection: Connection, page: Page) -> list[Effect | None] | None:
        """Per entry of the page (its seqs run on without a gap), what it writes if its row
        renders it, else None; None for a page with nothing rendered."""
        found: list[Effect | None] = [None] * len(page.seqs)
        hit = False
        if TRANSITION in page.actions:
            hit |= self._decisions(connection, page, found)
            hit |= self._entries(connection, page, found)
        if CASE_CREATED in page.actions:
            hit |= self._cases(connection, page, found)
        return found if hit else None

    def _decisions(self, connection: Connection, page: Page, found: list[Effect | None]) -> bool:
        first = page.seqs[0]
        rows = _DECISIONS.rows(connection, lo=first, hi=page.seqs[-1])
        if not rows:
            return False
        seqs, ids, item_ids, by, recorded, meetings, days = list(zip(*rows, strict=True))[:7]
        triggers, froms, tos, outcomes, wordings, plains = list(zip(*rows, strict=True))[7:]
        at, text = list(map(sub, seqs, repeat(first))), self.texts.__getitem__
        heads = list(
            map(
                _DECISION_DATA,
                map(text, days),
                _numbers(ids),
                map(text, outcomes),
                map(text, wordings),
                map(text, froms),
                _numbers(meetings),
                map(text, tos),
                map(text, triggers),
            )
        )
        hit = False
        for row, data, end in self._started(page, at, heads, plains, item_ids, by, recorded):
            version = _VERSION.fullmatch(data, end)
            if version is not None:
                found[at[row]] = (
                    DECIDED,
                    seqs[row],
                    item_ids[row],
                    ids[row],
                    tos[row],
                    int(version[1]),
                )
                hit = True
        return hit

    def _entries(self, connection: Connection, page: Page, found: list[Effect | None]) -> bool:
        first = page.seqs[0]
        rows = _AGENDA_ENTRIES.rows(connection, lo=first, hi=page.seqs[-1])
        if not rows:
            return False
        seqs, ids, item_ids, by, recorded, meetings, numbers, froms = zip(*rows, strict=True)
        at, text = list(map(sub, seqs, repeat(first))), self.texts.__getitem__
        heads = list(
            map(_ENTRY_DATA, _numbers(ids), _numbers(meetings), _numbers(numbers), map(text, froms))
        )
        hit = False
        every = repeat(True)
        for row, data, end in self._started(page, at, heads, every, item_ids, by, recorded):
            rest = _ENTRY_REST.fullmatch(data, end)
            if rest is not None:
                found[at[row]] = (
                    PRESENTED,
                    seqs[row],
                    item_ids[row],
                    ids[row],
                    rest[1],
                    int(rest[3]),
                )
                hit = True
        return hit

    def _started(
        self,
        page: Page,
        at: list[int],
        heads: list[str],
        plain: Iterable[Any],
        item_ids: Sequence[Any],
        by: Sequence[Any],
        recorded: Sequence[Any],
    ) -> Iterator[tuple[int, str, int]]:
        """The rows (``plain`` ones) whose entry is a transition of their item by their
        actor at their time, and whose data starts with their ``heads``: each row's index,
        that data, and where its head ends there."""
        written = list(map(page.datas.__getitem__, at))
        matching = map(
            _every,
            plain,
            self._envelopes(page, at, item_ids, by, recorded),
            map(str.startswith, written, heads),
        )
        for row in compress(range(len(heads)), matching):
            yield row, written[row], len(heads[row])

    def _envelopes(
        self,
        page: Page,
        at: list[int],
        item_ids: Sequence[Any],
        by: Sequence[Any],
        recorded: Sequence[Any],
    ) -> Iterator[bool]:
        """Per row, whether the entry at its seq is a transition of its item, by its actor,
        at its time."""
        return map(
            eq,
            zip(
                map(page.actions.__getitem__, at),
                map(page.items.__getitem__, at),
                map(page.actors.__getitem__, at),
                map(page.ats.__getitem__, at),
                strict=True,
            ),
            zip(repeat(TRANSITION), item_ids, by, self.stamps(recorded), strict=False),
        )

    def _cases(self, connection: Connection, page: Page, found: list[Effect | None]) -> bool:
        first, ats, actions, cases, datas = (
            page.seqs[0],
            page.ats,
            page.actions,
            page.cases,
            page.datas,
        )
        created = [
            index
            for index, action in enumerate(actions)
            if action == CASE_CREATED and type(cases[index]) is int
        ]
        if not created:
            return False
        where = {cases[index]: index for index in created}
        lo, hi = min(where), max(where)
        if hi - lo > _SPREAD * len(where):  # ids far apart: not worth reading what lies between
            return False
        rows = _CASES.rows(connection, lo=lo, hi=hi)
        stamps = self.stamps([row[1] for row in rows])
        hit = False
        for row, stamp in zip(rows, stamps, strict=True):
            case_id, _, number, owner, title = row
            index = where.get(case_id)
            if index is None or ats[index] != stamp:
                continue
            if datas[index] != _CASE_DATA(_text(number), _text(owner), _text(title)):
                continue
            found[index] = (CREATED, first + index, case_id)
            hit = True
        return hit

    def absorb_page(
        self,
        page: Page,
        effects: Sequence[Effect | None],
        values: Sequence[Any],
        absorb: Callable[..., None],
    ) -> None:
        """The page's entries applied to ``expected``: those rendered (``effects``) by what
        they write, the others (``values``: their parsed data, in order) by ``absorb``.

        When no parsed entry touches what the rendered ones write (an item drafted before
        its first transition aside), the parsed ones are absorbed first and the rendered
        ones applied together: each item takes the state and version of its last
        transition in the page, and the rows written are marked in runs. Otherwise every
        entry is applied in its turn."""
        seqs, ats, actors, actions, cases, items = page[:6]
        parsed = [index for index, effect in enumerate(effects) if effect is None]
        moves = [effect for effect in effects if effect is not None and effect[0] != CREATED]
        drafted = self._drafted_first(parsed, actions, items, seqs, moves)
        if drafted is None:
            self._in_turn(page, effects, values, absorb)
            return
        for index, value in zip(parsed, values, strict=True):
            absorb(
                seqs[index],
                ats[index],
                actors[index],
                actions[index],
                cases[index],
                items[index],
                value,
            )
        x, fp = self.expected, self.expected.fp
        rows = x.items
        for item_id, move in {move[2]: move for move in moves}.items():
            rows[item_id] = (*rows[item_id][:3], fp((move[4],)), fp((move[5],)))
        for kind, table, width in ((DECIDED, x.decisions, 3), (PRESENTED, x.entries, 2)):
            _mark(table, [move[3] for move in moves if move[0] == kind], width)
        created = [effect[2] for effect in effects if effect is not None and effect[0] == CREATED]
        _mark(x.rows["case_record"], created, 1)

    def _drafted_first(
        self,
        parsed: list[int],
        actions: Sequence[Any],
        items: Sequence[Any],
        seqs: Sequence[int],
        moves: list[Effect],
    ) -> bool | None:
        """True if the page's rendered entries may be applied after its parsed ones: none
        of those touches an item's state, a decision, an agenda entry or a case, and each
        item moved exists before the page or is drafted in it before its first move."""
        if not _APART.isdisjoint(map(actions.__getitem__, parsed)):
            return None
        drafts: dict[Any, int] = {}
        for index in parsed:
            if actions[index] == DRAFTED:
                if items[index] in drafts:
                    return None
                drafts[items[index]] = seqs[index]
        known, seen = self.expected.items, set()
        for move in moves:
            item_id = move[2]
            if item_id in seen:
                continue
            seen.add(item_id)
            draft = drafts.get(item_id)
            if draft is None:
                if item_id not in known:  # never drafted: in turn, to name the entry
                    return None
            elif item_id in known or draft > move[1]:
                return None
        return True

    def _in_turn(
        self,
        page: Page,
        effects: Sequence[Effect | None],
        values: Sequence[Any],
        absorb: Callable[..., None],
    ) -> None:
        x, parsed = self.expected, iter(values)
        for seq, at, actor, action, case_id, item_id, effect in zip(
            *page[:6], effects, strict=True
        ):
            if effect is None:
                absorb(seq, at, actor, action, case_id, item_id, next(parsed))
            elif effect[0] == CREATED:
                x.rows["case_record"][effect[2]] = (VERIFIED,)
            else:
                _, _, moved, key, to_state, version = effect
                item = x.items.get(moved)
                if item is None:
                    raise Broken(
                        f"post {seq}: et skift for dagsordenspunkt {moved}, som aldrig er oprettet"
                    )
                x.items[moved] = (*item[:3], x.fp((to_state,)), x.fp((version,)))
                if effect[0] == DECIDED:
                    x.decisions[key] = (VERIFIED, VERIFIED, VERIFIED)
                else:
                    x.entries[key] = (VERIFIED, VERIFIED)


def _mark(table: MutableMapping[Any, Any], keys: list[Any], width: int) -> None:
    """The rows of ``keys`` found equal to the table's, each of its ``width`` parts."""
    if isinstance(table, PackedRows):
        table.mark_verified(keys)
        return
    for key in keys:
        table[key] = (VERIFIED,) * width
