"""Load: 50 simulated clerks against ``council web`` started on loopback, on SQLite and on
PostgreSQL. Ten accounts log in (five clerks share each session, like browser tabs), then
each clerk reads pages and advances items (present to the next
meeting, then postpone or discuss) until the time is up or it has done its share: every
request is counted, a stale form must be a clean 409 conflict, no response may be a 5xx, and
``audit verify`` passes afterwards.

``COUNCIL_LOAD_SECONDS`` sets how long the clerks work after logging in (default 10); ``COUNCIL_LOAD_CLERKS``
how many (default 50). The figures are printed and written to
``test-artifacts/load-<database>.txt``; nothing asserts a timing.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from support import PROJECT, Scenario, at
from web_support import PASSWORD, add_user

from council.cases.audit_verify import verify
from council.workflow import accounts, services
from council.workflow.app import App

SECONDS = float(os.environ.get("COUNCIL_LOAD_SECONDS", "10"))
CLERKS = int(os.environ.get("COUNCIL_LOAD_CLERKS", "50"))
ITEMS = 100
MEETINGS = 300
MOST_ROUNDS = 2_000  # per clerk: the loop ends by itself even if the clock misbehaves
ACCOUNTS = 10

pytestmark = pytest.mark.slow
_VERSION = re.compile(r'name="version" value="(\d+)"')
_MEETING_OPTION = re.compile(r'<option value="(\d+)"')
_MEETING_HIDDEN = re.compile(r'name="meeting" value="(\d+)"')
_DECIDE = re.compile(r"/beslut/(postpone|discuss)\?version=(\d+)")
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(app: App, scenario: Scenario) -> list[int]:
    """BIU meetings on consecutive days, and items already before the first of them."""
    first = date(2030, 1, 1)
    meetings = [
        services.create_meeting(
            scenario.uow(),
            committee_code="BIU",
            on=first + timedelta(days=day),
            actor="load",
            now=at("2029-12-01 09:00"),
        ).id
        for day in range(MEETINGS)
    ]
    items = []
    for number in range(ITEMS):
        item = scenario.draft("BIU", title=f"Belastningspunkt {number}")
        services.present_item(
            scenario.uow(),
            app.rulebook,
            item_id=item,
            meeting_ref=str(meetings[0]),
            actor="load",
            now=at("2029-12-02 09:00"),
        )
        items.append(item)
    for index in range(ACCOUNTS):
        accounts.add_user(
            app.database.unit_of_work(),
            name=f"clerk{index}",
            role="sekretariat",
            committees=("BIU",),
            password=PASSWORD,
            actor="load",
            now=at("2029-12-01 09:00"),
        )
    return items


class Tally:
    def __init__(self) -> None:
        self.status: Counter[int] = Counter()
        self.writes = 0
        self.errors: list[str] = []
        self.refusals: list[str] = []

    def count(self, response: object) -> int:
        code = int(response.status_code)  # type: ignore[attr-defined]
        self.status[code] += 1
        if code == 400 and len(self.refusals) < 5:
            found = re.findall(r'class="field-error"[^>]*>(.*?)</p>', response.text)  # type: ignore[attr-defined]
            self.refusals.append(" ".join(found) or response.text[:200])  # type: ignore[attr-defined]
        if code >= 500:
            self.errors.append(f"{code}: {response.text[:300]}")  # type: ignore[attr-defined]
        return code


async def log_in(base: str, number: int, tally: Tally) -> dict[str, str]:
    """One account's session (its cookies); five clerks share each, like browser tabs."""
    import httpx2

    async with httpx2.AsyncClient(base_url=base, follow_redirects=False, timeout=120) as client:
        login = await client.get("/login")
        tally.count(login)
        token = _TOKEN.search(login.text).group(1)  # type: ignore[union-attr]
        response = await client.post(
            "/login", data={"name": f"clerk{number}", "password": PASSWORD, "csrf_token": token}
        )
        tally.count(response)
        assert response.status_code == 303, response.text[:300]
        return dict(client.cookies)


async def clerk(
    base: str, number: int, cookies: dict[str, str], items: list[int], tally: Tally, deadline: float
) -> None:
    import httpx2

    rng = random.Random(number)
    async with httpx2.AsyncClient(
        base_url=base, cookies=cookies, follow_redirects=False, timeout=60
    ) as client:
        for _ in range(MOST_ROUNDS):
            if time.monotonic() >= deadline:
                return
            item = rng.choice(items)
            page = await client.get(f"/punkter/{item}")
            if tally.count(page) != 200:
                continue
            token = _TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
            decide = _DECIDE.search(page.text)
            if decide:
                trigger, version = decide.groups()
                data = {"text": "Indstillingen blev udsat.", "version": version}
                path = f"/punkter/{item}/beslut/{trigger}"
            else:
                version_found = _VERSION.search(page.text)
                meeting = _MEETING_OPTION.search(page.text) or _MEETING_HIDDEN.search(page.text)
                if not (version_found and meeting):
                    continue
                data = {"meeting": meeting.group(1), "version": version_found.group(1)}
                path = f"/punkter/{item}/forelaeg"
            tally.writes += 1
            written = await client.post(path, data={**data, "csrf_token": token})
            tally.count(written)
            if rng.random() < 0.3:
                tally.count(await client.get("/udvalg/BIU"))
            if rng.random() < 0.2:
                tally.count(await client.get("/sekretariat"))


async def crowd(base: str, items: list[int], tally: Tally) -> float:
    """Log the accounts in, then let the clerks work for SECONDS; returns the working time."""
    sessions = await asyncio.gather(*(log_in(base, n, tally) for n in range(ACCOUNTS)))
    started = time.monotonic()
    deadline = started + SECONDS
    await asyncio.gather(
        *(clerk(base, n, sessions[n % ACCOUNTS], items, tally, deadline) for n in range(CLERKS))
    )
    return time.monotonic() - started


@pytest.fixture
def server(app: App, database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env.update(COUNCIL_DATABASE_URL=database_url, COUNCIL_SECRET_KEY="load test secret")
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "council", "web", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, tmp_path / "server.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        log.close()


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    import httpx2

    for _ in range(300):  # up to thirty seconds
        if process.poll() is not None:
            raise AssertionError(f"council web exited with {process.returncode}")
        try:
            if httpx2.get(base + "/", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("council web did not answer within thirty seconds")


def test_fifty_clerks_read_and_decide_without_a_server_error_and_the_audit_verifies(
    app: App, scenario: Scenario, database_url: str, server: tuple[str, Path]
) -> None:
    base, server_log = server
    items = prepare(app, scenario)
    add_user(app, "anne")
    tally = Tally()
    elapsed = asyncio.run(crowd(base, items, tally))
    requests = sum(tally.status.values())
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    report = (
        f"{backend}: {CLERKS} clerks, {elapsed:.1f} s, {requests} requests "
        f"({requests / elapsed:.0f}/s), {tally.writes} writes: "
        f"{tally.status[303]} done (303), {tally.status[409]} conflicts (409), "
        f"{tally.status[400]} refused (400), "
        f"5xx: {sum(n for code, n in tally.status.items() if code >= 500)}; "
        f"all: {dict(sorted(tally.status.items()))}"
        + (f"; refusals such as: {tally.refusals[:3]}" if tally.refusals else "")
    )
    print(report)
    folder = Path(os.environ.get("COUNCIL_TEST_ARTIFACTS", PROJECT / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"load-{backend}.txt").write_text(report + "\n")
    problems = [line for line in server_log.read_text().splitlines() if "ERROR" in line]
    assert not tally.errors, (tally.errors[:2], problems[:5])
    assert "Traceback" not in server_log.read_text()
    assert tally.status[303] > ACCOUNTS  # logins and writes went through
    assert set(tally.status) <= {200, 303, 400, 409}
    with app.database.reading() as session:
        verified = verify(session)
    assert verified.ok, verified.problem
