"""``advance()`` throughput: one transition per transaction, with its record and audit entry.

Each item goes drafted → forelagt (meeting 1) → udsat → forelagt (meeting 2) → taget til
efterretning: four transitions, each its own transaction. The product runs
``workflow.services.present_item`` / ``decide_item`` (what ``council item present|decide``
call). The baseline is plain ``sqlite3`` on the same file, same pragmas (WAL,
synchronous=NORMAL, foreign keys, busy timeout) and ``BEGIN IMMEDIATE``, issuing the SQL a
transition needs and nothing else: read the item, read the meeting (present) or the open
agenda entry and its meeting (decide), the next agenda number or the last treatment date,
read the audit head, compare-and-set the item's state, insert the agenda entry or
decision (and, for a decision, its row in the search index: its entry and its stemmed
words in the FTS5 table, as the product writes them), insert the audit entry (same
canonical JSON and sha256 as the product), move the head, commit. Rounds alternate baseline
and product on fresh items; the median round wins.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.common import Result, Scale, make_app, median, raw_connection, sqlite_datetime
from bench.datagen import draft_items
from council.cases.audit import canonical_json, chain_hash, utc_iso
from council.cases.search_text import indexed

ACTOR = "clerk (bench)"
CPU_TARGET = 0.6
NOW = datetime(2010, 1, 4, 9, 0, tzinfo=UTC)
STANDARD = {
    "udsat": ("postpone", "Indstillingen blev udsat."),
    "taget_til_efterretning": ("take_note", "Indstillingen blev taget til efterretning."),
}


def product_round(app: Any, items: list[int], meetings: list[int]) -> float:
    from council.workflow import services

    database, rulebook = app.database, app.rulebook
    first, second = str(meetings[0]), str(meetings[1])
    start = time.perf_counter()
    for item_id in items:
        services.present_item(
            database.unit_of_work(),
            rulebook,
            item_id=item_id,
            meeting_ref=first,
            actor=ACTOR,
            now=NOW,
        )
        services.decide_item(
            database.unit_of_work(),
            rulebook,
            item_id=item_id,
            outcome="udsat",
            actor=ACTOR,
            now=NOW,
        )
        services.present_item(
            database.unit_of_work(),
            rulebook,
            item_id=item_id,
            meeting_ref=second,
            actor=ACTOR,
            now=NOW,
        )
        services.decide_item(
            database.unit_of_work(),
            rulebook,
            item_id=item_id,
            outcome="taget til efterretning",
            actor=ACTOR,
            now=NOW,
        )
    return time.perf_counter() - start


class RawAdvance:
    """The same four transitions in plain sqlite3 (:class:`bench.bench_advance_pg` runs
    them on psycopg through the hooks: placeholders, BEGIN, the head's lock, new keys)."""

    BEGIN = "BEGIN IMMEDIATE"
    LOCK = ""  # SQLite's BEGIN IMMEDIATE already holds the write lock

    def __init__(self, path: Path) -> None:
        self.connection: Any = raw_connection(path)

    def close(self) -> None:
        self.connection.close()

    def sql(self, statement: str) -> str:
        return statement

    def stamp(self) -> Any:
        return sqlite_datetime(NOW)

    @staticmethod
    def day(value: Any) -> date:
        return date.fromisoformat(value) if isinstance(value, str) else value

    def insert(self, cursor: Any, statement: str, values: tuple[Any, ...]) -> int:
        """Insert a row; its new key."""
        cursor.execute(self.sql(statement), values)
        return int(cursor.lastrowid)

    def index_decision(
        self, cursor: Any, decision_id: int, *, case_id: int, item_id: int, text: str
    ) -> None:
        """The decision's row in the search index, as the product writes it on SQLite: its
        entry, then its stemmed words in the FTS5 table under the entry's key."""
        cursor.execute(
            "INSERT INTO search_entry (kind, ref_id, case_id, item_id, closed) "
            "VALUES ('decision', ?, ?, ?, 0)",
            (decision_id, case_id, item_id),
        )
        cursor.execute(
            "INSERT INTO search_fts (rowid, ref, title, body) VALUES (?, '', '', ?)",
            (cursor.lastrowid, indexed(text)),
        )

    def _append(
        self,
        cursor: Any,
        seq: int,
        prev: str,
        *,
        case_id: int,
        item_id: int,
        data: dict[str, Any],
    ) -> None:
        at = utc_iso(NOW)
        body = canonical_json(
            {
                "seq": seq,
                "at": at,
                "actor": ACTOR,
                "action": "item.transition",
                "case_id": case_id,
                "item_id": item_id,
                "data": data,
                "prev": prev,
            }
        )
        digest = chain_hash(prev, body)
        cursor.execute(
            self.sql(
                "INSERT INTO audit_entry (seq, recorded_at, actor, action, case_id, item_id, "
                "body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            (
                seq,
                self.stamp(),
                ACTOR,
                "item.transition",
                case_id,
                item_id,
                body,
                prev,
                digest,
            ),
        )
        cursor.execute(
            self.sql("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"), (seq, digest)
        )

    def _head(self, cursor: Any) -> tuple[int, str]:
        seq, digest = cursor.execute(
            "SELECT seq, hash FROM audit_head WHERE id = 1" + self.LOCK
        ).fetchone()
        return int(seq), str(digest)

    def present(self, item_id: int, meeting_id: int) -> None:
        cursor = self.connection.cursor()
        cursor.execute(self.BEGIN)
        case_id, committee_id, state, version = cursor.execute(
            self.sql("SELECT case_id, committee_id, state, version FROM agenda_item WHERE id = ?"),
            (item_id,),
        ).fetchone()
        meeting_committee, meeting_date, held_at = cursor.execute(
            self.sql("SELECT committee_id, date, held_at FROM meeting WHERE id = ?"),
            (meeting_id,),
        ).fetchone()
        last = cursor.execute(
            self.sql(
                "SELECT max(meeting.date) FROM meeting JOIN agenda_entry "
                "ON agenda_entry.meeting_id = meeting.id WHERE agenda_entry.item_id = ?"
            ),
            (item_id,),
        ).fetchone()[0]
        assert held_at is None and meeting_committee == committee_id
        assert last is None or self.day(meeting_date) > self.day(last)
        number = (
            cursor.execute(
                self.sql("SELECT max(number) FROM agenda_entry WHERE meeting_id = ?"),
                (meeting_id,),
            ).fetchone()[0]
            or 0
        ) + 1
        head_seq, head_hash = self._head(cursor)
        seq = head_seq + 1
        cursor.execute(
            self.sql("UPDATE agenda_item SET state = ?, version = ? WHERE id = ? AND version = ?"),
            ("forelagt", version + 1, item_id, version),
        )
        assert cursor.rowcount == 1
        entry_id = self.insert(
            cursor,
            "INSERT INTO agenda_entry (meeting_id, item_id, number, from_state, actor, "
            "presented_at, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (meeting_id, item_id, number, state, ACTOR, self.stamp(), seq),
        )
        self._append(
            cursor,
            seq,
            head_hash,
            case_id=case_id,
            item_id=item_id,
            data={
                "trigger": "present",
                "from": state,
                "to": "forelagt",
                "version": version + 1,
                "meeting_id": meeting_id,
                "agenda_entry": {"id": entry_id, "meeting_id": meeting_id, "number": number},
            },
        )
        cursor.execute("COMMIT")

    def decide(self, item_id: int, dest: str) -> None:
        trigger, text = STANDARD[dest]
        cursor = self.connection.cursor()
        cursor.execute(self.BEGIN)
        case_id, kind, state, version = cursor.execute(
            self.sql("SELECT case_id, kind, state, version FROM agenda_item WHERE id = ?"),
            (item_id,),
        ).fetchone()
        assert state == "forelagt" and kind == "orientering"
        meeting_id = cursor.execute(
            self.sql(
                "SELECT meeting_id FROM agenda_entry WHERE item_id = ? ORDER BY id DESC LIMIT 1"
            ),
            (item_id,),
        ).fetchone()[0]
        on = cursor.execute(
            self.sql("SELECT date FROM meeting WHERE id = ?"), (meeting_id,)
        ).fetchone()[0]
        head_seq, head_hash = self._head(cursor)
        seq = head_seq + 1
        cursor.execute(
            self.sql("UPDATE agenda_item SET state = ?, version = ? WHERE id = ? AND version = ?"),
            (dest, version + 1, item_id, version),
        )
        assert cursor.rowcount == 1
        decision_id = self.insert(
            cursor,
            "INSERT INTO decision (item_id, meeting_id, decided_on, trigger, from_state, "
            "to_state, outcome, text, actor, recorded_at, audit_seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item_id,
                meeting_id,
                on,
                trigger,
                state,
                dest,
                dest,
                text,
                ACTOR,
                self.stamp(),
                seq,
            ),
        )
        self.index_decision(cursor, decision_id, case_id=case_id, item_id=item_id, text=text)
        self._append(
            cursor,
            seq,
            head_hash,
            case_id=case_id,
            item_id=item_id,
            data={
                "trigger": trigger,
                "from": state,
                "to": dest,
                "version": version + 1,
                "meeting_id": meeting_id,
                "decision": {
                    "id": decision_id,
                    "outcome": dest,
                    "text": text,
                    "decided_on": self.day(on).isoformat(),
                },
            },
        )
        cursor.execute("COMMIT")

    def run(self, items: list[int], meetings: list[int]) -> float:
        start = time.perf_counter()
        for item_id in items:
            self.present(item_id, meetings[0])
            self.decide(item_id, "udsat")
            self.present(item_id, meetings[1])
            self.decide(item_id, "taget_til_efterretning")
        return time.perf_counter() - start


def run(scale: Scale, workdir: Path | None = None) -> list[Result]:
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        path = Path(folder) / "advance.db"
        app = make_app(path)
        per_round = scale.advance_items
        warm = 20
        drafted = draft_items(path, warm * 2 + per_round * scale.advance_rounds * 2 + 1)
        items = iter(drafted.item_ids)
        raw = RawAdvance(path)
        # warm both paths (caches, compiled statements, the page cache) before timing
        raw.run([next(items) for _ in range(warm)], drafted.meetings)
        product_round(app, [next(items) for _ in range(warm)], drafted.meetings)
        raw_times, product_times, raw_cpu, product_cpu = [], [], [], []
        for _ in range(scale.advance_rounds):
            batch = [next(items) for _ in range(per_round)]
            cpu = time.process_time()
            raw_times.append(raw.run(batch, drafted.meetings))
            raw_cpu.append(time.process_time() - cpu)
            batch = [next(items) for _ in range(per_round)]
            cpu = time.process_time()
            product_times.append(product_round(app, batch, drafted.meetings))
            product_cpu.append(time.process_time() - cpu)
        raw.close()
        transitions = per_round * 4
        raw_tps = transitions / median(raw_times)
        product_tps = transitions / median(product_times)
        raw_cpu_each = median(raw_cpu) / transitions
        product_cpu_each = median(product_cpu) / transitions
        report = _verified(app)
        parts = _parts(app, path, next(items), drafted.meetings[0])
        app.database.dispose()
    ratio = product_tps / raw_tps
    return [
        Result(
            name="advance() throughput, SQLite file",
            figure=f"{product_tps:,.0f} transitions/s",
            baseline=f"{raw_tps:,.0f} transitions/s (raw sqlite3, same SQL)",
            ratio=ratio,
            target="≥ 0.5×",
            passed=ratio >= 0.5,
            notes=[
                f"{scale.advance_rounds} alternating rounds of {transitions} transitions "
                f"(median); per transition {1e6 / product_tps:,.0f} µs vs "
                f"{1e6 / raw_tps:,.0f} µs; audit verify after both: {report}",
                parts,
            ],
        ),
        Result(
            name="advance() CPU time, SQLite file",
            figure=f"{product_cpu_each * 1e6:,.0f} µs CPU a transition",
            baseline=f"{raw_cpu_each * 1e6:,.0f} µs (raw sqlite3, same SQL)",
            ratio=raw_cpu_each / product_cpu_each,
            target=f"≥ {CPU_TARGET:g}×",
            passed=raw_cpu_each / product_cpu_each >= CPU_TARGET,
            notes=[
                "this process's CPU time (time.process_time) in the same rounds, median; the "
                "ratio is the raw side's CPU over the product's, as the throughput's is"
            ],
        ),
    ]


def _parts(app: Any, path: Path, item_id: int, meeting_id: int) -> str:
    """Fixed costs a product transition has and the raw one has not, timed alone."""
    from council.cases import meetings, transitions
    from council.workflow.guards import TransitionContext
    from council.workflow.machine import ItemState

    def best(function: Any, repeats: int = 500) -> float:
        spent = []
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(repeats):
                function()
            spent.append((time.perf_counter() - start) / repeats)
        return min(spent) * 1e6

    database, rulebook = app.database, app.rulebook

    def unit() -> None:
        uow = database.unit_of_work()
        with uow:
            uow.connection()
            uow.commit()

    raw = raw_connection(path)

    def raw_unit() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("COMMIT")

    uow = database.unit_of_work()
    with uow:
        item = transitions.load(uow, item_id, with_latest_entry=False)
        context = TransitionContext(
            item=item,
            committee=item.committee,
            meeting=meetings.row_by_ref(uow, str(meeting_id)),
            meeting_committee=item.committee,
            last_treated_on=item.last_treated_on,
        )
        move = rulebook.presentation(item.state, item_id)
        fire = best(lambda: rulebook.fire(move, ItemState(item.state), context))
        load = best(lambda: transitions.load(uow, item_id, with_latest_entry=False))
    empty, raw_empty = best(unit), best(raw_unit)
    raw.close()
    return (
        f"fixed costs timed alone: an empty unit of work {empty:,.0f} µs (raw BEGIN IMMEDIATE/"
        f"COMMIT {raw_empty:,.0f} µs); firing the transitions machine with its guards "
        f"{fire:,.0f} µs; loading the item with committee and dates for the guards "
        f"{load:,.0f} µs"
    )


def _verified(app: Any) -> str:
    from council.cases.audit_verify import verify

    with app.database.reading() as session:
        report = verify(session)
    if not report.ok:
        raise AssertionError(f"the benchmark left a trail that does not verify: {report.problem}")
    return f"OK ({report.entries} entries)"
