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
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
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

from council.notifications.messages import Mail
from council.notifications.transports import MaildirTransport, Send
from council.workflow import obligation_services, reminder_settings
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
    lease = timedelta(minutes=reminder_settings.reminder_config(app).lease_minutes + 1)
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


@dataclass
class KeptIds:
    """A Maildir that also notes the Message-ID of every message handed to it."""

    maildir: MaildirTransport
    handed: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return self.maildir.describe()

    @contextmanager
    def connect(self) -> Iterator[Send]:
        with self.maildir.connect() as send:

            def noting(message: Mail, recipients: list[str]) -> str | None:
                self.handed.append(str(message["Message-ID"]))
                return send(message, recipients)

            yield noting


def test_a_service_killed_after_handing_over_part_of_a_batch_resends_those_with_their_message_ids(
    app: App, database_url: str, tmp_path: Path
) -> None:
    """A batch's outcomes are recorded after the batch: messages handed over before a kill
    are not marked sent, so a restart past the lease hands them over again, each under the
    Message-ID it had, and the Maildir keeps one file for each."""
    now = at(NOW)
    seed(app, cases=2, now=at("2009-01-05 10:00"))
    expected = due_steps(app, now=now)
    app.database.dispose()
    maildir = tmp_path / "council.maildir"
    worker = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "tests" / "delivery_crash_worker.py"),
            database_url,
            str(maildir),
            now.isoformat(),
            "3",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "handed over"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=30)
    wait_until_the_killed_session_is_gone(database_url)
    first = {_message_id(file) for file in (maildir / "new").iterdir()}
    assert len(first) == 3
    assert outbox_status(database_url)["sent"] == 0  # none recorded: the batch was cut

    lease = timedelta(minutes=reminder_settings.reminder_config(app).lease_minutes + 1)
    restarted = KeptIds(MaildirTransport(maildir))
    run = obligation_services.run_reminders(app, now=now + lease, transport=restarted)

    assert first <= set(restarted.handed)  # handed over again, under the same Message-IDs
    assert len(restarted.handed) == len(set(restarted.handed)) == len(expected)
    files = list((maildir / "new").iterdir())
    assert len(files) == len(expected)
    assert {_reminder(file) for file in files} == expected
    assert len(run.delivery.sent) == len(expected)
    assert outbox_status(database_url)["sent"] == len(expected)


def _message_id(file: Path) -> str:
    return str(message_from_bytes(file.read_bytes(), policy=policy.default)["Message-ID"])


def _reminder(file: Path) -> str:
    return str(message_from_bytes(file.read_bytes(), policy=policy.default)["X-Council-Reminder"])
