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

At each size (1,000 and 10,000 items; 100,000 with ``--full``) the database first holds
that many items with their history: items advanced by the baseline's SQL through a setup
connection (``synchronous_commit`` off for that connection only), so ``agenda_entry``,
``decision`` and ``audit_entry`` hold four rows an item, as advancing them would leave.
Then rounds alternate the baseline and the product on fresh drafted items (four
transitions each, each its own transaction); the median round counts. Autovacuum runs as
the server's defaults have it; the setup does not ANALYZE.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
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
        with fresh_database(admin) as url:
            return [_measure(name, url, scale)]


@contextmanager
def _product(url: str) -> Iterator[Any]:
    from council.config.settings import load_settings
    from council.workflow.app import App
    from council.workflow.initialise import initialise

    app = App(settings=load_settings(database_url=url))
    initialise(app, actor="bench", now=datetime(2009, 1, 5, 8, 0, tzinfo=UTC))
    try:
        yield app
    finally:
        app.database.dispose()


def _measure(name: str, url: str, scale: Scale) -> Result:
    settings = durability(url)
    per_round, rounds = scale.pg_items, 3
    figures: dict[int, tuple[float, float]] = {}
    commit_ms: dict[int, float] = {}  # a bare write transaction's median, at each size
    with _product(url) as app:
        items = Items(app)
        setup = RawAdvancePg(url, durable=False)
        raw = RawAdvancePg(url)
        grown = 0
        spent = time.perf_counter()
        for size in scale.pg_sizes:
            history = items.draft(setup.connection, size - grown)
            setup.run(history, items.meetings)
            grown = size
            fresh = iter(items.draft(setup.connection, per_round * rounds * 2 + 10))
            if size == scale.pg_sizes[0]:  # both warm: connections open, statements prepared
                raw.run([next(fresh) for _ in range(5)], items.meetings)
                product_round(app, [next(fresh) for _ in range(5)], items.meetings)
            raw_times, product_times, commits = [], [], []
            for _ in range(rounds):
                commits += raw.bare_commits(10)
                raw_times.append(raw.run([next(fresh) for _ in range(per_round)], items.meetings))
                product_times.append(
                    product_round(app, [next(fresh) for _ in range(per_round)], items.meetings)
                )
            commit_ms[size] = median(commits) * 1e3
            transitions = per_round * 4
            figures[size] = (transitions / median(product_times), transitions / median(raw_times))
        raw.close()
        setup.close()
        spent = time.perf_counter() - spent
    smallest, largest = scale.pg_sizes[0], scale.pg_sizes[-1]
    product_small, raw_small = figures[smallest]
    product_large, raw_large = figures[largest]
    ratio = product_large / raw_large
    kept = (product_large / product_small, raw_large / raw_small)
    flat = all(k >= 1 - FLAT for k in kept)
    by_size = "; ".join(
        f"{size:,} items: product {p:,.0f}/s, raw {r:,.0f}/s ({p / r:.2f}×)"
        for size, (p, r) in figures.items()
    )
    return Result(
        name=f"{name}, {smallest:,} → {largest:,} items",
        figure=(f"{product_small:,.0f} → {product_large:,.0f} transitions/s ({kept[0]:.0%} kept)"),
        baseline=(
            f"{raw_small:,.0f} → {raw_large:,.0f} transitions/s ({kept[1]:.0%} kept; raw "
            "psycopg, same statements)"
        ),
        ratio=ratio,
        target=f"≥ {TARGET:g}×, at most {FLAT:.0%} slower than at the smallest size",
        passed=ratio >= TARGET and flat,
        notes=[
            f"{settings}; {rounds} alternating rounds of {per_round * 4} transitions per size "
            f"(median); {by_size}; whole row {spent:,.0f} s",
            "a bare write transaction (BEGIN, one-row UPDATE, COMMIT: the disk's flush "
            "latency, which every transition waits for), median of 10 before each round: "
            + ", ".join(f"{size:,} items {ms:.2f} ms" for size, ms in commit_ms.items()),
        ],
    )
