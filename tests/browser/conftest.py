"""The browser tests: Playwright driving Debian's Chromium against the web application served
by uvicorn on loopback; users log in with Argon2id at its smallest cost (see web_support)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS
from web_support import Clock, add_user, cheap_hashing, live_server

from council.workflow.app import App


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


@pytest.fixture
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def clock() -> Clock:
    """The live server's clock (a module may give its own moment)."""
    return Clock()


@pytest.fixture
def site(app: App, clock: Clock) -> Iterator[str]:
    for name in ("anne", "rita"):
        add_user(app, name)
    with live_server(app, clock) as url:
        yield url
