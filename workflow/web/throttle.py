"""Failed logins counted per client address, in this process.

The account itself is throttled in the database (``workflow.accounts``), across every
instance; this keeps one address from trying many names: after 20 failures within 15
minutes it is refused until the oldest of them is 15 minutes old.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
MOST_FAILURES = 20
_MOST_ADDRESSES = 10_000


class AddressThrottle:
    def __init__(self) -> None:
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def refused_until(self, address: str, now: datetime) -> datetime | None:
        """When the address may try again, or None if it may now."""
        with self._lock:
            recent = self._recent(address, now)
            if len(recent) >= MOST_FAILURES:
                return recent[0] + WINDOW
            return None

    def failed(self, address: str, now: datetime) -> None:
        with self._lock:
            if len(self._failures) > _MOST_ADDRESSES:
                self._failures.clear()
            self._recent(address, now).append(now)

    def _recent(self, address: str, now: datetime) -> deque[datetime]:
        recent = self._failures.setdefault(address, deque())
        while recent and recent[0] <= now - WINDOW:
            recent.popleft()
        return recent
