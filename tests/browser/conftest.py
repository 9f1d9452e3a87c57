"""The browser tests log in with Argon2id at its smallest cost (see web_support)."""

from __future__ import annotations

import pytest
from web_support import cheap_hashing


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)
