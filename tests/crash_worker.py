"""A clerk process that advances items until it is killed (for the crash tests).

Usage: python crash_worker.py DATABASE_URL FIRST_MEETING_ID MEETINGS ITEM_ID...
It prints one line per committed transition, flushed, so the parent knows how far it got.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from council.cases.models import AgendaItem
from council.config.settings import load_settings
from council.workflow import services
from council.workflow.app import App


def main() -> None:
    url, first_meeting, meeting_count, *item_ids = sys.argv[1:]
    app = App(settings=load_settings(database_url=url))
    meetings = [int(first_meeting) + k for k in range(int(meeting_count))]
    clock = datetime(2010, 1, 1, 9, tzinfo=UTC)
    while True:
        for item_id in map(int, item_ids):
            with app.database.reading() as session:
                item = session.get(AgendaItem, item_id)
                assert item is not None
                state, version = item.state, item.version
            clock += timedelta(seconds=1)
            if state == "forelagt":
                services.decide_item(
                    app.database.unit_of_work(),
                    app.rulebook,
                    item_id=item_id,
                    outcome="drøftet",
                    actor="crash worker",
                    now=clock,
                )
            elif (version - 1) // 2 < len(meetings):
                services.present_item(
                    app.database.unit_of_work(),
                    app.rulebook,
                    item_id=item_id,
                    meeting_ref=str(meetings[(version - 1) // 2]),
                    actor="crash worker",
                    now=clock,
                )
            else:
                print("done", flush=True)
                return
            print(f"{item_id} v{version + 1}", flush=True)


if __name__ == "__main__":
    main()
