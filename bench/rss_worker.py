"""The process whose memory the RSS benchmark watches (``python -m bench.rss_worker``).

It advances the drafted items of an existing database in batches, each item put before a
meeting and taken to note (two transitions, two transactions, through the product's
services), and after every batch prints one JSON line: items done, current and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def memory_kb() -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB, from /proc/self/status; ru_maxrss where /proc is missing."""
    try:
        fields = dict(
            line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
        )
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except (OSError, KeyError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    parser.add_argument("--first-item", type=int, required=True)
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--meeting", type=int, required=True)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seconds", type=float, required=True)
    args = parser.parse_args()

    from council.config.settings import load_settings
    from council.workflow import services
    from council.workflow.app import App

    app = App(settings=load_settings(database_url=f"sqlite:///{args.database}"))
    database, rulebook = app.database, app.rulebook
    now = datetime(2010, 1, 4, 9, 0, tzinfo=UTC)
    meeting = str(args.meeting)
    rss, peak = memory_kb()
    print(json.dumps({"items": 0, "rss_kb": rss, "peak_kb": peak, "seconds": 0.0}), flush=True)
    start = time.perf_counter()
    done = 0
    item_id = args.first_item
    while done < args.items and time.perf_counter() - start < args.seconds:
        for _ in range(min(args.batch, args.items - done)):
            services.present_item(
                database.unit_of_work(),
                rulebook,
                item_id=item_id,
                meeting_ref=meeting,
                actor="clerk (bench)",
                now=now,
            )
            services.decide_item(
                database.unit_of_work(),
                rulebook,
                item_id=item_id,
                outcome="taget til efterretning",
                actor="clerk (bench)",
                now=now,
            )
            item_id += 1
            done += 1
        rss, peak = memory_kb()
        sample = {
            "items": done,
            "rss_kb": rss,
            "peak_kb": peak,
            "seconds": round(time.perf_counter() - start, 3),
        }
        print(json.dumps(sample), flush=True)
    database.dispose()
    sys.exit(0)


if __name__ == "__main__":
    main()
