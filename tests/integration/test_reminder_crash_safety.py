"""kill -9 a reminder service at random moments: after restarts, every current step arrives
and no superseded one.

Each restart reads a later clock (past the killed service's lease), as a restarted
``council serve`` would. A step whose message reached the server but whose outbox row was
not yet marked sent is sent again, with the same Message-ID; the test counts those.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from mailserver import MailServer
from reminder_workers import (
    due_steps,
    outbox_status,
    seed,
    superseded_steps,
)
from support import PROJECT, at, wait_until_the_killed_session_is_gone

from council.workflow import obligation_services
from council.workflow.app import App

KILLS = 8
CASES = 12  # x 8 committees = 96 lines; two periods each with a current step, 44 steps passed
NOW = "2010-11-02 12:00"  # the next step falls due at 08:00 on a later day


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


def test_a_killed_reminder_service_loses_no_step_and_resends_only_the_same_message(
    app: App, database_url: str, mail: MailServer, tmp_path: Path
) -> None:
    now = at(NOW)
    seed(app, cases=CASES, now=at("2009-01-05 10:00"))
    expected = due_steps(app, now=now)
    passed = superseded_steps(app, now=now)
    app.database.dispose()
    lease = timedelta(minutes=obligation_services.reminder_config(app).lease_minutes + 1)
    rng = random.Random(20100601)
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    started = time.monotonic()

    def service(run: int) -> subprocess.Popen[str]:
        command = [
            sys.executable,
            str(PROJECT / "tests" / "reminder_workers.py"),
            database_url,
            str(mail.port),
            (now + run * lease).isoformat(),
        ]
        with (tmp_path / f"service{run}.err").open("w") as errors:
            return subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=errors, text=True, env=env
            )

    killed = 0
    progress: list[int] = []
    for run in range(KILLS):
        process = service(run)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "running"
        before = len(mail.messages())
        time.sleep(rng.uniform(0.0, 2.0))  # in the sweep, or somewhere in the delivery
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate(timeout=30)
        if process.returncode == -signal.SIGKILL:
            killed += 1
        else:
            assert process.returncode == 0, (tmp_path / f"service{run}.err").read_text()
            assert out.startswith("done"), out
        progress.append(len(mail.messages()) - before)
        wait_until_the_killed_session_is_gone(database_url)

    process = service(KILLS)  # the last restart runs to the end
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, (tmp_path / f"service{KILLS}.err").read_text()
    elapsed = time.monotonic() - started

    ids_by_step: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for received in mail.messages():
        ids_by_step[str(received.message["X-Council-Reminder"])][received.message_id] += 1
    missing = expected - set(ids_by_step)
    forked = {step: ids for step, ids in ids_by_step.items() if len(ids) > 1}
    resent = {step: ids for step, ids in ids_by_step.items() if sum(ids.values()) > 1}
    print(
        f"\n{len(expected)} steps due; {killed} of {KILLS} services killed with -9 "
        f"(messages received per run before the kill: {progress}); "
        f"{len(resent)} steps resent with the same Message-ID "
        f"({sum(sum(ids.values()) - 1 for ids in resent.values())} extra messages); "
        f"{len(missing)} missing; {elapsed:.1f} s"
    )
    assert not missing
    assert not forked, f"one step, several Message-IDs: {forked}"
    assert set(ids_by_step) == expected
    assert not set(ids_by_step) & passed  # a superseded step is never sent, not even later
    assert outbox_status(database_url) == Counter(
        {"sent": len(expected), "superseded": len(passed)}
    )
