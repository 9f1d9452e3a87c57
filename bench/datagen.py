"""Scale-up data written by bulk SQL into a real SQLite file the product initialised.

Every record gets the audit entry the product's own service would have written for it,
with the product's own ``canonical_json`` and ``chain_hash`` (cases.audit), so the chain
is valid and ``audit verify`` (which also cross-checks the records) passes on the result.
Bulk setup runs with ``synchronous=OFF`` in large transactions; only setup does.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import sqlite_datetime
from council.cases.audit import canonical_json, chain_hash, utc_iso

ACTOR = "sekretariatet (bench)"
FLUSH_EVERY = 20_000
T0 = datetime(2009, 1, 5, 8, 0, tzinfo=UTC)

SUMMARY = (
    "Der er indgået partnerskabsaftale om frivilligt integrationsarbejde mellem Københavns "
    "Kommune og Dansk Flygtningehjælp. Hermed forelægges status."
)
POINT = "At udvalget tager orienteringen om partnerskabsaftalen til efterretning."
SENTENCES = {
    "udsat": "Indstillingen blev udsat.",
    "taget_til_efterretning": "Indstillingen blev taget til efterretning.",
}
TRIGGERS = {"udsat": "postpone", "taget_til_efterretning": "take_note"}


class Bulk:
    """Buffered inserts per table plus the audit chain, continuing from the head row."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=OFF")
        self.connection.execute("PRAGMA foreign_keys=ON")
        self.connection.execute("BEGIN IMMEDIATE")
        head = self.connection.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        self.seq: int = int(head[0])
        self.prev: str = str(head[1])
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.sql: dict[str, str] = {}
        self.pending = 0
        self.next_ids = {
            table: self._max_id(table) + 1
            for table in ("case_record", "agenda_item", "meeting", "agenda_entry", "decision")
        }

    def _max_id(self, table: str) -> int:
        return int(
            self.connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        )

    def new_id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def add(self, table: str, columns: tuple[str, ...], values: tuple[Any, ...]) -> None:
        if table not in self.sql:
            marks = ", ".join("?" for _ in columns)
            self.sql[table] = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            self.rows[table] = []
        self.rows[table].append(values)
        self.pending += 1
        if self.pending >= FLUSH_EVERY:
            self.flush()

    def audit(
        self,
        *,
        action: str,
        at: datetime,
        data: dict[str, Any],
        case_id: int | None = None,
        item_id: int | None = None,
    ) -> int:
        """Append the entry the product would write; returns its seq."""
        seq = self.seq + 1
        body = canonical_json(
            {
                "seq": seq,
                "at": utc_iso(at),
                "actor": ACTOR,
                "action": action,
                "case_id": case_id,
                "item_id": item_id,
                "data": data,
                "prev": self.prev,
            }
        )
        digest = chain_hash(self.prev, body)
        self.add(
            "audit_entry",
            (
                "seq",
                "recorded_at",
                "actor",
                "action",
                "case_id",
                "item_id",
                "body",
                "prev_hash",
                "hash",
            ),
            (seq, sqlite_datetime(at), ACTOR, action, case_id, item_id, body, self.prev, digest),
        )
        self.seq, self.prev = seq, digest
        return seq

    def flush(self) -> None:
        # Parents before children: the foreign keys are checked row by row.
        for table in (
            "case_record",
            "meeting",
            "agenda_item",
            "agenda_entry",
            "decision",
            "audit_entry",
        ):
            rows = self.rows.get(table)
            if rows:
                self.connection.executemany(self.sql[table], rows)
                rows.clear()
        self.pending = 0

    def close(self) -> None:
        self.flush()
        self.connection.execute(
            "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (self.seq, self.prev)
        )
        self.connection.execute("COMMIT")
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.connection.close()

    # --- records, each with its audit entry --------------------------------------------

    def committee_id(self, code: str) -> int:
        row = self.connection.execute("SELECT id FROM committee WHERE code = ?", (code,)).fetchone()
        return int(row[0])

    def case(self, number: str, *, title: str, owner: str, at: datetime) -> int:
        case_id = self.new_id("case_record")
        self.add(
            "case_record",
            ("id", "number", "title", "owner", "created_at"),
            (case_id, number, title, owner, sqlite_datetime(at)),
        )
        self.audit(
            action="case.created",
            at=at,
            case_id=case_id,
            data={"number": number, "title": title, "owner": owner},
        )
        return case_id

    def meeting(self, committee_id: int, committee_code: str, on: date, *, at: datetime) -> int:
        meeting_id = self.new_id("meeting")
        self.add(
            "meeting",
            ("id", "committee_id", "date", "created_at"),
            (meeting_id, committee_id, on.isoformat(), sqlite_datetime(at)),
        )
        self.audit(
            action="meeting.created",
            at=at,
            data={
                "meeting_id": meeting_id,
                "committee": committee_code,
                "date": on.isoformat(),
                "start_time": None,
                "place": None,
            },
        )
        return meeting_id

    def item(
        self,
        *,
        case_id: int,
        case_number: str,
        committee_id: int,
        committee_code: str,
        title: str,
        at: datetime,
        administration: str = "Beskæftigelses- og Integrationsforvaltningen",
    ) -> int:
        item_id = self.new_id("agenda_item")
        self.add(
            "agenda_item",
            (
                "id",
                "case_id",
                "committee_id",
                "title",
                "kind",
                "closed",
                "summary",
                "administration",
                "recommendation",
                "problem",
                "solution",
                "economy",
                "next_steps",
                "signatures",
                "state",
                "version",
                "created_at",
            ),
            (
                item_id,
                case_id,
                committee_id,
                title,
                "orientering",
                0,
                SUMMARY,
                administration,
                json.dumps([POINT]),
                "",
                "",
                "",
                "",
                json.dumps(["Morten Binder"]),
                "drafted",
                1,
                sqlite_datetime(at),
            ),
        )
        self.audit(
            action="item.drafted",
            at=at,
            case_id=case_id,
            item_id=item_id,
            data={
                "state": "drafted",
                "case": case_number,
                "committee": committee_code,
                "title": title,
                "kind": "orientering",
                "closed": False,
                "summary": SUMMARY,
                "administration": administration,
                "recommendation": [POINT],
                "problem": "",
                "solution": "",
                "economy": "",
                "next_steps": "",
                "signatures": ["Morten Binder"],
                "attachments": [],
            },
        )
        return item_id

    def present(
        self,
        *,
        case_id: int,
        item_id: int,
        meeting_id: int,
        number: int,
        state: str,
        version: int,
        at: datetime,
    ) -> None:
        entry_id = self.new_id("agenda_entry")
        seq = self.audit(
            action="item.transition",
            at=at,
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
        self.add(
            "agenda_entry",
            (
                "id",
                "meeting_id",
                "item_id",
                "number",
                "from_state",
                "actor",
                "presented_at",
                "audit_seq",
            ),
            (entry_id, meeting_id, item_id, number, state, ACTOR, sqlite_datetime(at), seq),
        )

    def decide(
        self,
        *,
        case_id: int,
        item_id: int,
        meeting_id: int,
        on: date,
        dest: str,
        version: int,
        at: datetime,
    ) -> None:
        decision_id = self.new_id("decision")
        text = SENTENCES[dest]
        seq = self.audit(
            action="item.transition",
            at=at,
            case_id=case_id,
            item_id=item_id,
            data={
                "trigger": TRIGGERS[dest],
                "from": "forelagt",
                "to": dest,
                "version": version + 1,
                "meeting_id": meeting_id,
                "decision": {
                    "id": decision_id,
                    "outcome": dest,
                    "text": text,
                    "decided_on": on.isoformat(),
                },
            },
        )
        self.add(
            "decision",
            (
                "id",
                "item_id",
                "meeting_id",
                "decided_on",
                "trigger",
                "from_state",
                "to_state",
                "outcome",
                "text",
                "actor",
                "recorded_at",
                "audit_seq",
            ),
            (
                decision_id,
                item_id,
                meeting_id,
                on.isoformat(),
                TRIGGERS[dest],
                "forelagt",
                dest,
                dest,
                text,
                ACTOR,
                sqlite_datetime(at),
                seq,
            ),
        )


def set_item_state(path: Path, rows: list[tuple[str, int, int]]) -> None:
    """Final (state, version) per item after a bulk replay: ``(state, version, id)``."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("BEGIN")
    connection.executemany("UPDATE agenda_item SET state = ?, version = ? WHERE id = ?", rows)
    connection.execute("COMMIT")
    connection.close()


@dataclass(frozen=True)
class HistoryData:
    entries: int
    cases: int
    target_case: str
    target_item: int
    target_rows: int


TARGET_CASE = "2010-4130"
ENTRIES_PER_CASE = 6  # case.created, item.drafted, present, udsat, present, taget til efterretning
ITEMS_PER_MEETING = 50


def build_history(path: Path, entries: int) -> HistoryData:
    """About ``entries`` audit entries: cases of one item each, presented twice and decided
    twice; in the middle, the seed case with three items (twelve history rows)."""
    bulk = Bulk(path)
    codes = [row[0] for row in bulk.connection.execute("SELECT code FROM committee ORDER BY id")]
    committees = [(bulk.committee_id(code), code) for code in codes]
    cases = max(1, (entries - bulk.seq) // ENTRIES_PER_CASE)
    target_at = cases // 2
    final: list[tuple[str, int, int]] = []
    # meeting pairs per committee: (first, second) with the second a week later
    slots: dict[int, list[Any]] = {}
    day = date(2000, 1, 3)
    target_item = 0
    for index in range(cases):
        committee_id, code = committees[index % len(committees)]
        slot = slots.get(committee_id)
        if slot is None or slot[2] >= ITEMS_PER_MEETING:
            day += timedelta(days=1)
            at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=7)
            first = bulk.meeting(committee_id, code, day, at=at)
            second = bulk.meeting(committee_id, code, day + timedelta(days=7000), at=at)
            slot = slots[committee_id] = [first, second, 0, day]
        slot[2] += 1
        at = datetime.combine(slot[3], datetime.min.time(), UTC) + timedelta(hours=8)
        if index == target_at:
            case_id = bulk.case(
                TARGET_CASE,
                title="Partnerskabsaftale med Dansk Flygtningehjælp om frivilligt "
                "integrationsarbejde",
                owner="Socialforvaltningen",
                at=at,
            )
            for n in range(3):
                item_id = bulk.item(
                    case_id=case_id,
                    case_number=TARGET_CASE,
                    committee_id=committee_id,
                    committee_code=code,
                    title=f"Status på partnerskabsaftale ({n + 1})",
                    at=at,
                )
                _replay(bulk, case_id, item_id, slot, number=ITEMS_PER_MEETING + 1 + n, at=at)
                final.append(("taget_til_efterretning", 5, item_id))
                target_item = item_id
        number = f"{2000 + index // 100_000}-{index % 100_000:05d}"
        case_id = bulk.case(number, title=f"Sag {number}", owner="Socialforvaltningen", at=at)
        item_id = bulk.item(
            case_id=case_id,
            case_number=number,
            committee_id=committee_id,
            committee_code=code,
            title=f"Status i sag {number}",
            at=at,
        )
        _replay(bulk, case_id, item_id, slot, number=slot[2], at=at)
        final.append(("taget_til_efterretning", 5, item_id))
    total = bulk.seq
    bulk.close()
    set_item_state(path, final)
    return HistoryData(total, cases + 1, TARGET_CASE, target_item, 12)


def _replay(
    bulk: Bulk, case_id: int, item_id: int, slot: list[Any], *, number: int, at: datetime
) -> None:
    first, second, _, day = slot
    bulk.present(
        case_id=case_id,
        item_id=item_id,
        meeting_id=first,
        number=number,
        state="drafted",
        version=1,
        at=at,
    )
    bulk.decide(
        case_id=case_id,
        item_id=item_id,
        meeting_id=first,
        on=day,
        dest="udsat",
        version=2,
        at=at + timedelta(hours=8),
    )
    later = at + timedelta(days=7000)
    bulk.present(
        case_id=case_id,
        item_id=item_id,
        meeting_id=second,
        number=number,
        state="udsat",
        version=3,
        at=later,
    )
    bulk.decide(
        case_id=case_id,
        item_id=item_id,
        meeting_id=second,
        on=day + timedelta(days=7000),
        dest="taget_til_efterretning",
        version=4,
        at=later + timedelta(hours=8),
    )


@dataclass(frozen=True)
class DraftedItems:
    case_number: str
    item_ids: list[int]
    meetings: list[int]  # unheld meetings of the items' committee, in date order


def draft_items(
    path: Path, count: int, *, committee: str = "BIU", meetings: int = 2
) -> DraftedItems:
    """One case with ``count`` drafted items of ``committee`` and unheld meetings for them."""
    bulk = Bulk(path)
    committee_id = bulk.committee_id(committee)
    number = f"BENCH-{bulk.next_ids['case_record']}"
    case_id = bulk.case(number, title="Benchmark", owner="Socialforvaltningen", at=T0)
    meeting_ids = [
        bulk.meeting(committee_id, committee, date(2010, 1, 5) + timedelta(days=7 * k), at=T0)
        for k in range(meetings)
    ]
    items = [
        bulk.item(
            case_id=case_id,
            case_number=number,
            committee_id=committee_id,
            committee_code=committee,
            title=f"Punkt {n}",
            at=T0,
        )
        for n in range(count)
    ]
    bulk.close()
    return DraftedItems(number, items, meeting_ids)
