"""The reminder service: one APScheduler job with an explicit id, a sweep at start, clean stops.

The scheduler runs for real here, in a thread; its job only counts its runs (the sweep is
tested with an injected ``now`` elsewhere), so no clock is ever frozen under it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from council.notifications.scheduler import JOB_ID, ReminderService


class Runs:
    def __init__(self) -> None:
        self.count = 0
        self.event = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.event.set()

    def wait(self, timeout: float = 10.0) -> None:
        assert self.event.wait(timeout), "the sweep did not run"
        self.event.clear()


def job_ids(service: ReminderService) -> list[str]:
    return [job.id for job in service.scheduler.get_jobs()]


@pytest.fixture
def running() -> Iterator[Callable[[ReminderService], threading.Thread]]:
    threads: list[tuple[ReminderService, threading.Thread]] = []

    def start(service: ReminderService) -> threading.Thread:
        thread = threading.Thread(target=service.run, kwargs={"handle_signals": False})
        thread.start()
        threads.append((service, thread))
        return thread

    yield start
    for service, thread in threads:
        service.stop()
        thread.join(timeout=10)


def test_the_service_sweeps_right_at_start_with_one_job_of_a_known_id(
    running: Callable[[ReminderService], threading.Thread],
) -> None:
    runs = Runs()
    service = ReminderService(runs, interval_minutes=5)
    thread = running(service)
    runs.wait()
    assert job_ids(service) == [JOB_ID]
    [job] = service.scheduler.get_jobs()
    assert job.coalesce is True
    assert job.misfire_grace_time is None
    assert job.max_instances == 1
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(minutes=5)
    assert str(job.trigger.timezone) == "Europe/Copenhagen"
    assert str(service.scheduler.timezone) == "Europe/Copenhagen"
    # registering again (as a restarted process does) replaces it: still one job
    service.register()
    service.register()
    assert job_ids(service) == [JOB_ID]
    service.stop()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert runs.count >= 1


def test_a_restarted_service_has_exactly_one_job_and_sweeps_again_at_start(
    running: Callable[[ReminderService], threading.Thread],
) -> None:
    runs = Runs()
    service = ReminderService(runs, interval_minutes=5)
    for round_number in (1, 2, 3):
        thread = running(service)
        runs.wait()
        assert job_ids(service) == [JOB_ID]
        service.stop()
        thread.join(timeout=10)
        assert not thread.is_alive()
        assert runs.count == round_number  # one sweep at each start, none in between


def test_stopping_lets_the_sweep_in_progress_finish(
    running: Callable[[ReminderService], threading.Thread],
) -> None:
    started, finished = threading.Event(), threading.Event()

    def slow_sweep() -> None:
        started.set()
        time.sleep(0.5)
        finished.set()

    service = ReminderService(slow_sweep, interval_minutes=5)
    thread = running(service)
    assert started.wait(10)
    service.stop()
    thread.join(timeout=10)
    assert finished.is_set()
    assert not thread.is_alive()


def test_a_failing_sweep_is_reported_and_the_service_keeps_running(
    running: Callable[[ReminderService], threading.Thread],
) -> None:
    errors: list[BaseException] = []
    reported = threading.Event()

    def broken() -> None:
        raise RuntimeError("database away")

    def on_error(exc: BaseException) -> None:
        errors.append(exc)
        reported.set()

    service = ReminderService(broken, interval_minutes=0.01, on_error=on_error)
    thread = running(service)
    assert reported.wait(10)
    reported.clear()
    assert reported.wait(10)  # the next interval runs again
    assert thread.is_alive()
    assert all(str(e) == "database away" for e in errors)


def test_an_interval_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="over 0 minutter"):
        ReminderService(lambda: None, interval_minutes=0)
