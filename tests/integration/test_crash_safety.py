"""kill -9 a clerk's process at random moments: no half-written transition survives."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from support import PROJECT, Scenario, wait_until_the_killed_session_is_gone

from council.cases.audit_verify import verify
from council.cases.models import AgendaEntry, AgendaItem, Decision

KILLS = 12
# Enough work that the worker is still busy at the last kill however fast transitions get:
# 12 items x 600 meetings x 2 transitions, against at most 12 x 0.3 s of running time.
MEETINGS = 600


def test_a_killed_clerk_leaves_no_half_written_transition(
    scenario: Scenario, database_url: str, tmp_path: Path
) -> None:
    first = date(2010, 1, 4)
    meetings = [
        scenario.meeting("BIU", (first + timedelta(days=7 * k)).isoformat())
        for k in range(MEETINGS)
    ]
    items = [scenario.draft(title=f"Punkt {n}") for n in range(12)]
    scenario.app.database.dispose()
    rng = random.Random(20100223)
    worker = [
        sys.executable,
        str(PROJECT / "tests" / "crash_worker.py"),
        database_url,
        str(meetings[0]),
        str(len(meetings)),
        *map(str, items),
    ]
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    committed_lines = 0
    for _ in range(KILLS):
        errors_file = tmp_path / "worker.err"
        # only stdout is a pipe, so communicate() reads it through the same buffer as readline()
        with errors_file.open("w") as errors_out:
            process = subprocess.Popen(
                worker, stdout=subprocess.PIPE, stderr=errors_out, text=True, env=env
            )
        assert process.stdout is not None
        first = process.stdout.readline()  # the first transition landed: it is working
        time.sleep(rng.uniform(0.02, 0.3))
        process.send_signal(signal.SIGKILL)
        rest, _ = process.communicate(timeout=30)
        assert process.returncode == -signal.SIGKILL, errors_file.read_text()
        scenario.app.database.dispose()
        wait_until_the_killed_session_is_gone(database_url)
        reported = [line for line in (first + rest).splitlines() if " v" in line]
        committed_lines += len(reported)
        with scenario.app.database.reading() as session:
            report = verify(session)
            assert report.ok, report.problem
            versions = session.scalars(select(AgendaItem.version).where(AgendaItem.id.in_(items)))
            transitions = sum(v - 1 for v in versions)
            written = session.scalar(
                select(func.count()).select_from(AgendaEntry)
            ) + session.scalar(select(func.count()).select_from(Decision))
            assert transitions == written
            # every transition the worker reported as committed is there (it may have
            # committed one more that it did not live to report)
            assert transitions >= committed_lines
            committed_lines = transitions
    print(f"\n{KILLS} kills, {committed_lines} transitions, audit verified after each")
