"""A clerk in a process of its own, for the concurrency tests (spawned, so importable)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from council.cases.errors import ConflictError
from council.cases.models import AgendaItem
from council.config.settings import load_settings
from council.workflow import services
from council.workflow.app import App


def clerk(
    url: str,
    name: str,
    items: list[int],
    meetings: list[int],
    rounds: int,
    barrier: Any,
    results: Any,
) -> None:
    """Each round: read an item, wait for the other clerk, then both try the same next move."""
    app = App(settings=load_settings(database_url=url))
    wins = conflicts = 0
    messages: set[str] = set()
    clock = datetime(2010, 1, 1, 9, tzinfo=UTC)
    for round_number in range(rounds):
        item_id = items[round_number % len(items)]
        with app.database.reading() as session:
            item = session.get(AgendaItem, item_id)
            assert item is not None
            state, version = item.state, item.version
        barrier.wait(timeout=60)
        clock += timedelta(seconds=1)
        try:
            if state == "forelagt":
                services.decide_item(
                    app.database.unit_of_work(),
                    app.rulebook,
                    item_id=item_id,
                    outcome="drøftet",
                    actor=name,
                    now=clock,
                    expected_version=version,
                )
            else:
                meeting = meetings[(version - 1) // 2]
                services.present_item(
                    app.database.unit_of_work(),
                    app.rulebook,
                    item_id=item_id,
                    meeting_ref=str(meeting),
                    actor=name,
                    now=clock,
                    expected_version=version,
                )
            wins += 1
        except ConflictError as error:
            conflicts += 1
            messages.add(str(error).split(" er ændret")[0].split()[0])
    app.database.dispose()
    results.put((name, wins, conflicts, sorted(messages)))


def presenter(
    url: str, name: str, items: list[int], meeting: int, barrier: Any, results: Any
) -> None:
    """Put each of ``items`` before ``meeting``, in step with another presenter."""
    app = App(settings=load_settings(database_url=url))
    numbers = []
    for item_id in items:
        barrier.wait(timeout=60)
        result = services.present_item(
            app.database.unit_of_work(),
            app.rulebook,
            item_id=item_id,
            meeting_ref=str(meeting),
            actor=name,
            now=datetime(2010, 1, 1, 9, tzinfo=UTC),
        )
        numbers.append(result.agenda_number)
    app.database.dispose()
    results.put((name, numbers))
