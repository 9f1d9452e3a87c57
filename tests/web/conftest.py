"""Fixtures of the web application's tests: the product with the seed case's BIU meetings,
a clock, and browsers (anonymous, or logged in as a secretariat, auditor or admin)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support import Scenario
from web_support import Browser, Clock, cheap_hashing

from council.workflow.app import App


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def browser(app: App, clock: Clock) -> Callable[..., Browser]:
    """``browser()`` anonymous, ``browser("anne")`` logged in as anne."""

    def make(name: str | None = None, *, https: bool = False) -> Browser:
        made = Browser(app, clock, https=https)
        if name is not None:
            made.login(name)
        return made

    return make


@pytest.fixture
def seed(scenario: Scenario) -> dict[str, int]:
    """Case 2010-4130 with BIU's meetings of 26.01 and 23.02.2010, an orientation item on
    the first meeting's agenda as number 4, and a closed decision item on the second's."""
    first = scenario.meeting("BIU", "2010-01-26")
    second = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU", title="Status på partnerskabsaftale med Dansk Flytningshjælp")
    from support import at

    from council.workflow import services

    services.present_item(
        scenario.uow(),
        scenario.app.rulebook,
        item_id=item,
        meeting_ref=str(first),
        number=4,
        actor="clerk",
        now=at("2010-01-10 09:00"),
    )
    closed = services.draft_item(
        scenario.uow(),
        scenario.app.rulebook,
        case_number="2010-4130",
        committee_code="BIU",
        draft=services.ItemDraft(
            title="Personsag om hemmelig fratrædelse",
            kind="beslutning",
            closed=True,
            recommendation=("At udvalget godkender fratrædelsen.",),
        ),
        actor="clerk",
        now=at("2010-01-11 09:00"),
    )
    assert closed.id is not None
    services.present_item(
        scenario.uow(),
        scenario.app.rulebook,
        item_id=closed.id,
        meeting_ref=str(second),
        number=7,
        actor="clerk",
        now=at("2010-01-12 09:00"),
    )
    return {"first": first, "second": second, "item": item, "closed": closed.id}
