"""Helpers for the web application's tests: accounts, a clock, a browser-like test client."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from support import Scenario, at

from council.cases.errors import AlreadyExistsError
from council.workflow import accounts
from council.workflow.app import App
from council.workflow.web import create_asgi_app

PASSWORD = "korrekt hest batteri"
USERS = {
    "anne": ("sekretariat", ("BIU",)),
    "sofie": ("sekretariat", ("SUD",)),
    "rita": ("revisor", ()),
    "ada": ("admin", ()),
}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Clock:
    """The web application's clock in a test: a fixed moment that a test may move."""

    now: datetime = field(default_factory=lambda: at("2010-01-20 10:00"))

    def __call__(self) -> datetime:
        return self.now


def add_user(app: App, name: str) -> None:
    role, committees = USERS[name]
    with contextlib.suppress(AlreadyExistsError):
        accounts.add_user(
            app.database.unit_of_work(),
            name=name,
            role=role,
            committees=committees,
            password=PASSWORD,
            actor="test",
            now=at("2009-12-01 09:00"),
        )


class Browser:
    """A test client that keeps its cookies, logs in, and fills in forms' CSRF tokens."""

    def __init__(self, app: App, clock: Clock, *, https: bool = False) -> None:
        self.app = app
        web = create_asgi_app(app, secret_key="test secret", clock=clock)
        base = "https://testserver" if https else "http://testserver"
        self.client = TestClient(web, base_url=base, raise_server_exceptions=False)

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kw)

    def token(self, path: str = "/login") -> str:
        page = self.client.get(path, follow_redirects=True)
        found = _TOKEN.search(page.text)
        assert found, f"no form token on {path}"
        return found.group(1)

    def post(self, path: str, data: dict[str, str] | None = None, *, token: bool = True) -> Any:
        form = dict(data or {})
        if token:
            form.setdefault("csrf_token", self.token("/" if self.logged_in() else "/login"))
        return self.client.post(path, data=form, follow_redirects=False)

    def logged_in(self) -> bool:
        return "council_session" in self.client.cookies and "Log ud" in self.client.get("/").text

    def login(self, name: str) -> Any:
        add_user(self.app, name)
        response = self.post("/login", {"name": name, "password": PASSWORD})
        assert response.status_code == 303, response.text
        return response


def texts(html: str) -> str:
    """The page's text without tags, whitespace collapsed (what a reader sees)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def title_of(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found
    return found.group(1)


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def browsers(app: App, clock: Clock) -> Iterator[Browser]:
    while True:
        yield Browser(app, clock)


@contextmanager
def live_server(app: App, clock: Clock) -> Iterator[str]:
    """The web application served by uvicorn on a free loopback port, in a thread of this
    process; yields its base URL and stops it afterwards."""
    import socket
    import threading

    import uvicorn

    web = create_asgi_app(app, secret_key="browser test secret", clock=clock)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(1000):  # up to ten seconds for uvicorn to say it listens
        if server.started or not thread.is_alive():
            started.set()
            break
        started.wait(0.01)
    assert server.started, "the web server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def cheap_hashing(monkeypatch: Any) -> None:
    """Argon2id at its smallest cost for the web tests, which log in many times: they test
    the logins, not the hash's strength (tests/integration/test_accounts.py keeps the shipped
    parameters, and the load test's server verifies them)."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def correction_board(scenario: Scenario) -> dict[str, int]:
    """BIU's meeting of 26.01.2010, held, where the decision item 'Budget' was recorded as
    'ikke godkendt' (a mistake); the orientation item 'Status' before the planned meeting of
    23.02.2010, awaiting its decision."""
    from council.workflow import services

    held = scenario.meeting("BIU", "2010-01-26")
    planned = scenario.meeting("BIU", "2010-02-23")
    budget = scenario.draft("BIU", kind="beslutning", title="Budget")
    status = scenario.draft("BIU", kind="orientering", title="Status")
    scenario.present(budget, held)
    scenario.present(status, planned)
    scenario.decide(budget, "ikke godkendt")
    services.close_meeting(
        scenario.uow(),
        scenario.app.rulebook,
        meeting_ref=str(held),
        actor="clerk",
        now=at("2010-01-26 18:00"),
    )
    return {"held": held, "planned": planned, "budget": budget, "status": status}


def verified(scenario: Scenario) -> None:
    """The audit trail verifies: every correction made is one it knows."""
    from council.cases.audit_verify import verify

    with scenario.app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem
