"""Helpers of the browser tests: Debian's Chromium for Playwright, where screenshots go."""

from __future__ import annotations

import os
from pathlib import Path

from support import PROJECT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "korrekt hest batteri"


def artefacts() -> Path:
    """The folder of the screenshots, to look at after a run."""
    folder = Path(os.environ.get("COUNCIL_TEST_ARTIFACTS", PROJECT / "test-artifacts"))
    shots = folder / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    return shots
