"""``advance()`` on PostgreSQL at production durability, as the tables grow.

The server is one at PostgreSQL's default durability (``bench.postgres.durable_server``:
``fsync``, ``synchronous_commit`` and ``full_page_writes`` on; ``.ci/with-postgres``'s
server, with them off, is not used). The product and the baseline each keep one process
and connection for the whole run, as a service does: the product its ``App`` (psycopg
through its engine), the baseline one psycopg connection issuing the same statements as
``bench_advance.RawAdvance`` (REPEATABLE READ as the product's writers, the audit head
locked ``FOR UPDATE``, new keys by ``RETURNING``, a decision's row in the search index
with its Danish ``tsvector``), both with psycopg's defaults (a
statement run five times on a connection is prepared on the server).

Each size (1,000 and 10,000 items; 100,000 with ``--full``) has a database of its own on
the same server, holding that many items with their history: items advanced by the
baseline's SQL through a setup connection (``synchronous_commit`` off for that connection
only), so ``agenda_entry``, ``decision`` and ``audit_entry`` hold four rows an item, as
advancing them would leave. The smallest is built first; each larger one starts as a copy
of the one before (``CREATE DATABASE ... TEMPLATE``) and is grown the same way. Only then
are the sizes timed, interleaved: every round runs each size's baseline and product once
on fresh drafted items (four transitions each, each its own transaction), the order
rotated one place each round, so every size and side meets the same disk (a COMMIT waits
for the WAL's flush, and on a shared disk that wait drifts from a fraction of a
millisecond to several over minutes: timed one size after another, the sizes would
compare moments, not sizes). Each size's median round counts (its best beside it).
Autovacuum runs as the server's defaults have it; the setup does not ANALYZE, and ends
with a CHECKPOINT so that writing out the setup's pages does not fall in the timed rounds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.bench_advance import NOW, RawAdvance, product_round
from bench.common import Result, Scale, median
from bench.postgres import durability, durable_server, fresh_database, psycopg_url
from council.cases.search_text import words

TARGET = 0.5
FLAT = 0.2  # throughput at the largest size at most 20% below the smallest


class RawAdvancePg(RawAdvance):
    """The baseline's transitions on one psycopg connection (autocommit: it says BEGIN)."""

    BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ"
    LOCK = " FOR UPDATE"

    def __init__(self, url: str, *, durable: bool = True) -> None:
        import psycopg

        self.connection = psycopg.connect(psycopg_url(url), autocommit=True)
        if not durable:
            self.connection.execute("SET synchronous_commit = off")

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    def bare_commits(self, count: int) -> list[float]:
        """Seconds each of ``count`` bare write transactions took (``BEGIN``, a one-row
        ``UPDATE`` of a table of its own, ``COMMIT``): the disk's flush latency at the time,
        which a transition waits for too, shown beside each size's figures."""
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS bench_commit_probe (id integer PRIMARY KEY, n integer)"
        )
        self.connection.execute(
            "INSERT INTO bench_commit_probe VALUES (1, 0) ON CONFLICT (id) DO NOTHING"
        )
        spent = []
        for _ in range(count):
            start = time.perf_counter()
            self.connection.execute("BEGIN")
            self.connection.execute("UPDATE bench_commit_probe SET n = n + 1 WHERE id = 1")
            self.connection.execute("COMMIT")
            spent.append(time.perf_counter() - start)
        return spent

    def stamp(self) -> Any:
        return NOW

    def insert(self, cursor: Any, statement: str, values: tuple[Any, ...]) -> int:
        cursor.execute(self.sql(statement) + " RETURNING id", values)
        return int(cursor.fetchone()[0])

    def index_decision(
        self, cursor: Any, decision_id: int, *, case_id: int, item_id: int, text: str
    ) -> None:
        """The decision's row in the search index, as the product writes it on PostgreSQL
        (its words, weighted, under the GIN index)."""
        cursor.execute(
            "INSERT INTO search_entry (kind, ref_id, case_id, item_id, closed, tsv) "
            "VALUES ('decision', %s, %s, %s, false, "
            "setweight(to_tsvector('danish', ''), 'A') || "
            "setweight(to_tsvector('danish', ''), 'B') || "
            "setweight(to_tsvector('danish', %s), 'D'))",
            (decision_id, case_id, item_id, " ".join(words(text))),
        )


class Items:
    """Drafted items of one case at one committee, with two unheld meetings for them."""

    def __init__(self, app: Any) -> None:
        from council.workflow import services
        from council.workflow.services.items import ItemDraft

        at = datetime(2009, 12, 1, 9, 0, tzinfo=UTC)
        services.create_case(
            app.database.unit_of_work(),
            number="2009-9000",
            title="Benchmark",
            owner="Socialforvaltningen",
            actor="bench",
            now=at,
        )
        self.meetings = [
            services.create_meeting(
                app.database.unit_of_work(), committee_code="BIU", on=day, actor="bench", now=at
            ).id
            for day in (date(2010, 1, 5), date(2010, 1, 12))
        ]
        self.template = services.draft_item(
            app.database.unit_of_work(),
            app.rulebook,
            case_number="2009-9000",
            committee_code="BIU",
            draft=ItemDraft(title="Punkt", kind="orientering"),
            actor="bench",
            now=at,
        ).id
        self.used = 0  # the template and the items handed out so far

    def draft(self, connection: Any, count: int) -> list[int]:
        """``count`` new drafted items, copies of the template (bulk SQL)."""
        columns = [
            name
            for (name,) in connection.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'agenda_item' AND column_name <> 'id'"
            )
        ]
        listed = ", ".join(columns)
        rows = connection.execute(
            f"INSERT INTO agenda_item ({listed}) SELECT {listed} FROM agenda_item, "
            f"generate_series(1, %s) WHERE id = %s RETURNING id",
            (count, self.template),
        ).fetchall()
        return sorted(int(i) for (i,) in rows)


def run(scale: Scale, workdir: Path) -> list[Result]:
    name = "advance() throughput, PostgreSQL at production durability"
    with durable_server() as admin:
        if admin is None:
            return [Result(name, "skipped: no PostgreSQL server", "—", None, "≥ 0.5×", None)]
        with ExitStack() as databases:
            spent = time.perf_counter()
            urls, items = _build(admin, scale.pg_sizes, databases)
            built = time.perf_counter() - spent
            return [_measure(name, urls, items, scale, built)]


def _build(
    admin: str, sizes: tuple[int, ...], databases: ExitStack
) -> tuple[dict[int, str], Items]:
    """One database per size, each holding that many advanced items; every connection to
    them closed again (a database is copied only while no one is connected to it)."""
    urls: dict[int, str] = {}
    items: Items | None = None
    grown, template = 0, None
    for size in sizes:
        url = databases.enter_context(
            fresh_database(admin, label=f"advance_{size}", template=template)
        )
        with _product(url, initialised=template is None) as app:
            items = items or Items(app)
        setup = RawAdvancePg(url, durable=False)
        setup.run(items.draft(setup.connection, size - grown), items.meetings)
        setup.close()
        urls[size], grown, template = url, size, url
    assert items is not None
    return urls, items


@contextmanager
def _product(url: str, *, initialised: bool = False) -> Iterator[Any]:
    """The product on ``url`` (``initialised``: first applying the schema and committees)."""
    from council.config.settings import load_settings
    from council.workflow.app import App
    from council.workflow.initialise import initialise

    app = App(settings=load_settings(database_url=url))
    if initialised:
        initialise(app, actor="bench", now=datetime(2009, 1, 5, 8, 0, tzinfo=UTC))
    try:
        yield app
    finally:
        app.database.dispose()


@dataclass
class Size:
    """One size's database as the timed rounds use it: the product's ``App``, the baseline's
    connection, fresh drafted items, and each side's round times."""

    items: int
    app: Any
    raw: RawAdvancePg
    fresh: Iterator[int]
    times: dict[str, list[float]] = field(default_factory=lambda: {"product": [], "raw": []})

    def timed(self, side: str, count: int, meetings: list[int]) -> float:
        batch = [next(self.fresh) for _ in range(count)]
        if side == "raw":
            return self.raw.run(batch, meetings)
        return product_round(self.app, batch, meetings)

    def median_tps(self, side: str, transitions: int) -> float:
        return transitions / median(self.times[side])

    def best_tps(self, side: str, transitions: int) -> float:
        return transitions / min(self.times[side])


def _measure(name: str, urls: dict[int, str], items: Items, scale: Scale, built: float) -> Result:
    per_round, rounds, warm = scale.pg_items, scale.pg_rounds, 5
    transitions = per_round * 4
    settings = durability(next(iter(urls.values())))
    with ExitStack() as open_:
        sizes: list[Size] = []
        for count, url in urls.items():
            app = open_.enter_context(_product(url))
            setup = RawAdvancePg(url, durable=False)
            fresh = iter(items.draft(setup.connection, (per_round * rounds + warm) * 2))
            setup.close()
            raw = RawAdvancePg(url)
            open_.callback(raw.close)
            size = Size(count, app, raw, fresh)
            for side in ("raw", "product"):  # warm: connections open, statements prepared
                size.timed(side, warm, items.meetings)
            sizes.append(size)
        checkpoint = _checkpoint(sizes[0].raw)
        slots = [(size, side) for size in sizes for side in ("raw", "product")]
        probe, commits, loads = sizes[0].raw, [], [os.getloadavg()[0]]
        spent = time.perf_counter()
        for turn in range(rounds):
            commits.append(median(probe.bare_commits(10)))
            shift = turn % len(slots)
            for size, side in slots[shift:] + slots[:shift]:
                size.times[side].append(size.timed(side, per_round, items.meetings))
        spent = time.perf_counter() - spent
        loads.append(os.getloadavg()[0])
        verified = [_verified(size.app) for size in sizes]
    return _result(
        name,
        sizes,
        transitions,
        notes=[
            f"{settings}; one database per size on the same server, built first ({built:,.0f} "
            f"s{checkpoint}); then {rounds} rounds, each running every size's baseline and "
            f"product once on {transitions} transitions, the order rotated each round "
            f"({spent:,.0f} s, load average {loads[0]:.1f} → {loads[1]:.1f}); per size the "
            "median round (best in brackets)",
            "a bare write transaction (BEGIN, one-row UPDATE, COMMIT: the disk's flush "
            "latency, which every transition waits for), median of 10 before each round: "
            f"{median(commits) * 1e3:.2f} ms over the rounds, {min(commits) * 1e3:.2f} to "
            f"{max(commits) * 1e3:.2f} ms",
            "audit verify's chain walk after the rounds: "
            + ", ".join(
                f"{size.items:,} items {report}"
                for size, report in zip(sizes, verified, strict=True)
            ),
        ],
    )


def _checkpoint(raw: RawAdvancePg) -> str:
    """A CHECKPOINT after the setup, where the server allows it (an admin URL may not)."""
    import psycopg

    try:
        raw.connection.execute("CHECKPOINT")
    except psycopg.Error:
        return ", no CHECKPOINT allowed"
    return ", then a CHECKPOINT"


def _verified(app: Any) -> str:
    """``audit verify``'s walk of the whole chain (every entry's place, link, hash and
    columns, ending at the head). Not its comparison of the records: the items drafted by
    bulk SQL have no creation entry, so the rebuilt records would lack them."""
    from council.cases.audit import GENESIS_HASH
    from council.cases.audit_verify import WalkStart, verify

    with app.database.reading() as session:
        report = verify(session, start=WalkStart(seq=0, hash=GENESIS_HASH))
    if not report.ok:
        raise AssertionError(f"the benchmark left a chain that does not verify: {report.problem}")
    return f"OK ({report.entries:,} entries)"


def _result(name: str, sizes: list[Size], transitions: int, notes: list[str]) -> Result:
    smallest, largest = sizes[0], sizes[-1]
    product = {size.items: size.median_tps("product", transitions) for size in sizes}
    raw = {size.items: size.median_tps("raw", transitions) for size in sizes}
    kept = {
        side: figures[largest.items] / figures[smallest.items]
        for side, figures in (("product", product), ("raw", raw))
    }
    paired = {  # largest over smallest within each round: the same disk on both
        side: median(
            [
                small / large
                for small, large in zip(smallest.times[side], largest.times[side], strict=True)
            ]
        )
        for side in ("product", "raw")
    }
    ratio = product[largest.items] / raw[largest.items]
    passed = all(product[n] / raw[n] >= TARGET for n in product) and all(
        k >= 1 - FLAT for k in kept.values()
    )
    by_size = "; ".join(
        f"{size.items:,} items: product {product[size.items]:,.0f}/s "
        f"({size.best_tps('product', transitions):,.0f}), raw {raw[size.items]:,.0f}/s "
        f"({size.best_tps('raw', transitions):,.0f}), "
        f"{product[size.items] / raw[size.items]:.2f}×"
        for size in sizes
    )
    return Result(
        name=f"{name}, {smallest.items:,} → {largest.items:,} items",
        figure=(
            f"{product[smallest.items]:,.0f} → {product[largest.items]:,.0f} transitions/s "
            f"({kept['product']:.0%} kept)"
        ),
        baseline=(
            f"{raw[smallest.items]:,.0f} → {raw[largest.items]:,.0f} transitions/s "
            f"({kept['raw']:.0%} kept; raw psycopg, same statements)"
        ),
        ratio=ratio,
        target=f"≥ {TARGET:g}× at every size, at most {FLAT:.0%} slower than at the smallest",
        passed=passed,
        notes=[
            notes[0],
            by_size,
            f"kept within each round ({largest.items:,} over {smallest.items:,} items' "
            f"throughput in the same round), median: product {paired['product']:.0%}, raw "
            f"{paired['raw']:.0%}",
            *notes[1:],
        ],
    )
