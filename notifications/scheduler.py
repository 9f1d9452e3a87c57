"""The reminder service: one APScheduler 3.11 job that runs the sweep on an interval.

- ``BlockingScheduler`` in the Europe/Copenhagen time zone, in the foreground;
- one job, with the explicit id :data:`JOB_ID` and ``replace_existing=True``, so registering
  it again (a restart, a second ``register()``) never makes a second job;
- ``coalesce=True`` and ``misfire_grace_time=None``: runs missed while the process was busy
  or suspended become one run, however late; ``max_instances=1``: sweeps never overlap;
- a first run right at start, so a restart after downtime catches up at once;
- SIGINT and SIGTERM stop it cleanly: no new sweep starts, the one running finishes (its
  transactions commit or roll back whole), then :meth:`ReminderService.run` returns. The
  signal handler only sets events; a watcher thread logs and shuts the scheduler down, since
  a handler that took a lock the interrupted code holds (the thread pool's, while the first
  sweep is submitted; the log's stream) would hang the process for good.

The job itself is given (``workflow`` wires the sweep and the delivery to it, reading the
clock there); this module never reads the clock for the sweep's ``now``. What the service
does (started, a sweep failed, stopped) goes to the ``logging`` log, never to a print.

Other periodic jobs may run beside the sweep (``also``: the signed checkpoints of the audit
trail), each under its own explicit id, with the same options; the jobs never run at the
same time, and a stop waits for the one in progress.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler

from council.config.errors import CouncilError
from council.config.settings import TIMEZONE

JOB_ID = "council-reminder-sweep"
log = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class PeriodicJob:
    """A job that runs beside the sweep: every ``minutes``, and once at start."""

    id: str
    name: str
    run: Callable[[], object]
    minutes: float


class ReminderService:
    """A blocking scheduler with the one sweep job (and the ``also`` jobs beside it)."""

    def __init__(
        self,
        job: Callable[[], object],
        *,
        interval_minutes: float,
        timezone: str = TIMEZONE,
        on_error: Callable[[BaseException], None] | None = None,
        also: Sequence[PeriodicJob] = (),
    ) -> None:
        if interval_minutes <= 0 or any(extra.minutes <= 0 for extra in also):
            raise ValueError("intervallet mellem gennemløb skal være over 0 minutter")
        self.interval_minutes = interval_minutes
        self.also = tuple(also)
        self.timezone = ZoneInfo(timezone)
        self.scheduler = BlockingScheduler(timezone=self.timezone)
        self._job = job
        self._on_error = on_error
        self._running_job = threading.Lock()
        self._stop_requested = threading.Event()
        self._signalled = threading.Event()  # set by the signal handler, or when run ends
        self._signal_name = ""
        self._started_before = False

    def _run_job(self, job: Callable[[], object] | None = None, what: str = "gennemløbet") -> None:
        with self._running_job:
            if self._stop_requested.is_set():  # stopped while the scheduler was starting
                self.stop()
                return
            try:
                (job or self._job)()
            except Exception as exc:  # a failed sweep must not stop the service
                if isinstance(exc, CouncilError):  # said in one line: no traceback
                    log.error("%s mislykkedes og prøves igen: %s", what, exc)
                else:
                    log.exception(
                        "%s mislykkedes og prøves igen: %s: %s", what, type(exc).__name__, exc
                    )
                if self._on_error is not None:
                    self._on_error(exc)

    def register(self, *, start_now: bool = True) -> None:
        """Add the sweep job (or replace it: there is only ever one, :data:`JOB_ID`), and
        each job of ``also`` under its own id."""
        options: dict[str, Any] = {
            "trigger": "interval",
            "timezone": self.timezone,
            "replace_existing": True,
            "coalesce": True,
            "misfire_grace_time": None,
            "max_instances": 1,
        }
        if start_now:
            options["next_run_time"] = datetime.now(self.timezone)
        self.scheduler.add_job(
            self._run_job,
            minutes=self.interval_minutes,
            id=JOB_ID,
            name="reminder sweep",
            **options,
        )
        for extra in self.also:
            self.scheduler.add_job(
                self._run_job,
                args=(extra.run, extra.name),
                minutes=extra.minutes,
                id=extra.id,
                name=extra.name,
                **options,
            )

    def run(self, *, handle_signals: bool = True) -> None:
        """Register the job and block, sweeping, until :meth:`stop` (or SIGINT/SIGTERM).

        Each run starts a fresh scheduler (a stopped one cannot run jobs again), as a
        restarted process would; the job is registered on it once, under :data:`JOB_ID`.
        """
        self._stop_requested.clear()
        if self.scheduler.state != STATE_STOPPED or self._started_before:
            self.scheduler = BlockingScheduler(timezone=self.timezone)
        self._started_before = True
        self.register()
        previous: dict[signal.Signals, Any] = {}
        watcher = threading.Thread(target=self._watch_signals, name="stop-on-signal", daemon=True)
        if handle_signals:
            self._signalled.clear()
            watcher.start()
            for number in STOP_SIGNALS:
                previous[number] = signal.signal(number, self._on_signal)
        log.info(
            "påmindelsestjenesten: gennemløbet '%s' med %g minutters mellemrum (%s)",
            JOB_ID,
            self.interval_minutes,
            self.timezone.key,
        )
        for extra in self.also:
            log.info(
                "påmindelsestjenesten: %s '%s' med %g minutters mellemrum",
                extra.name,
                extra.id,
                extra.minutes,
            )
        try:
            if not self._stop_requested.is_set():
                self.scheduler.start()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            self._signalled.set()  # ends the watcher, once it said why it stopped
            if watcher.is_alive():
                watcher.join()
            with self._running_job:  # let a sweep in progress finish
                pass
            log.info("påmindelsestjenesten: stoppet")

    def stop(self) -> None:
        """Stop after the sweep in progress, if any; safe to call from any thread, and twice."""
        self._stop_requested.set()
        if self.scheduler.state != STATE_STOPPED:
            self.scheduler.shutdown(wait=False)

    def _on_signal(self, number: int, _frame: FrameType | None) -> None:
        """Only set events here: the watcher does the rest outside the handler."""
        self._signal_name = signal.Signals(number).name
        self._stop_requested.set()
        self._signalled.set()

    def _watch_signals(self) -> None:
        self._signalled.wait()
        if self._signal_name:
            log.info(
                "påmindelsestjenesten: %s modtaget; stopper efter det igangværende gennemløb",
                self._signal_name,
            )
            self._signal_name = ""
            self.stop()
