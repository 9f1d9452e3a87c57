"""The process whose memory the verify-memory benchmark watches
(``python -m bench.verify_rss_worker DATABASE``).

It imports what ``council audit verify`` imports and notes its resident memory; walks the
trail of the SQLite file ``DATABASE`` once checking the chain only (streamed in pages,
nothing kept: its peak is what reading the trail costs, whatever its length); then runs
``verify`` over the whole trail in a read unit of work (what the command does), and prints
one JSON line: the entries verified, the seconds verify took, and in kB the resident memory
before any walk, the peak after the chain-only walk and the peak after verify. What verify
adds over the chain-only walk is what it keeps: the rebuilt rows.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.rss_worker import memory_kb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    args = parser.parse_args()
    from council.cases.audit_verify import verify
    from council.cases.audit_walk import walk_chain
    from council.cases.db import connection_of
    from council.config.settings import load_settings
    from council.workflow.app import App

    app = App(settings=load_settings(database_url=f"sqlite:///{args.database}"))
    with app.database.reading() as session:  # connected, schema read: the floor
        session.connection()
    before, _ = memory_kb()
    with app.database.reading() as session:
        walk_chain(connection_of(session), None)
    _, streaming = memory_kb()
    start = time.perf_counter()
    with app.database.reading() as session:
        report = verify(session)
    seconds = time.perf_counter() - start
    _, peak = memory_kb()
    print(
        json.dumps(
            {
                "ok": report.ok,
                "problem": report.problem,
                "entries": report.entries,
                "seconds": seconds,
                "before_kb": before,
                "streaming_kb": streaming,
                "peak_kb": peak,
            }
        )
    )


if __name__ == "__main__":
    main()
