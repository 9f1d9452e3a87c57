"""Corrections in a real browser: the secretariat corrects a decision recorded wrongly,
withdraws an item (first without a reason, refused, then with one holding markup, shown as
text), edits an item's title, approves a meeting's minutes and reopens the meeting.
Screenshots go beside the walk's (``test-artifacts/screenshots`` or
``COUNCIL_TEST_ARTIFACTS``) to look at."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import PASSWORD, artefacts
from support import Scenario, at
from web_support import Clock, correction_board

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


@pytest.fixture
def clock() -> Clock:
    """The day after the committee approved the held meeting's minutes (9 February 2010)."""
    return Clock(at("2010-02-10 09:00"))


@pytest.fixture
def board(scenario: Scenario) -> dict[str, int]:
    return correction_board(scenario)


def test_the_secretariat_corrects_a_decision_and_withdraws_an_item_in_a_real_browser(
    chromium: Any, site: str, board: dict[str, int]
) -> None:
    from playwright.sync_api import expect

    shots = artefacts()
    page = chromium.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}).new_page()

    def shot(name: str) -> None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    page.goto(f"{site}/login?naeste=/punkter/{board['budget']}")
    page.get_by_label("Brugernavn").fill("anne")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    # the decision recorded as 'ikke godkendt' corrected to 'godkendt'
    expect(page.get_by_role("heading", name="Ret den seneste beslutning")).to_be_visible()
    page.get_by_label("Det rigtige udfald").select_option(label="Godkendt")
    page.get_by_label("Begrundelse (skal udfyldes)").fill("Udvalget godkendte indstillingen")
    shot("30-ret-beslutning")
    page.get_by_role("button", name="Ret beslutningen").click()
    expect(page.locator(".meta .state").first).to_have_text("Godkendt")
    expect(page.locator(".correction").first).to_contain_text(
        "begrundelse: Udvalget godkendte indstillingen"
    )
    shot("31-beslutning-rettet")

    # the item before the next meeting: withdrawn, refused first without a reason
    page.goto(f"{site}/punkter/{board['status']}")
    withdraw = page.get_by_role("button", name="Træk punktet")
    withdraw.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Punktet er ikke trukket. Skriv en begrundelse. Uden den gemmes intet."
    )
    expect(page.locator(".meta .state").first).to_have_text("Forelagt")
    shot("32-traek-afvist")
    page.get_by_label("Begrundelse (skal udfyldes)").fill("<b>Sagen</b> er forældet")
    page.get_by_role("button", name="Træk punktet").click()
    expect(page.locator(".meta .state").first).to_have_text("Trukket")
    expect(
        page.get_by_role("heading", name="Punktet blev trukket: <b>Sagen</b> er forældet")
    ).to_be_visible()
    shot("33-punkt-trukket")

    # its title edited
    page.get_by_role("link", name="Ret punktets tekst").click()
    page.get_by_label("Titel").fill("Status på partnerskabsaftalen")
    page.get_by_label("Begrundelse (skal udfyldes)").fill("Titlen var for kort")
    shot("34-ret-punkt")
    page.get_by_role("button", name="Gem rettelsen").click()
    expect(page.get_by_role("heading", name="Status på partnerskabsaftalen")).to_be_visible()

    # the held meeting's minutes approved
    page.goto(f"{site}/moeder/{board['held']}")
    page.get_by_label("Godkendt den").fill("09.02.2010")
    shot("35-moede-godkend")
    page.get_by_role("button", name="Registrér godkendelsen").click()
    expect(page.get_by_text("Protokollen er godkendt den 9. februar 2010")).to_be_visible()
    shot("36-protokol-godkendt")

    # and reopened, its reason (markup and all) under the changes as text
    page.get_by_label("Begrundelse (skal udfyldes)").fill("Lukket <i>ved en fejl</i>")
    page.get_by_role("button", name="Genåbn mødet").click()
    expect(page.get_by_text("Mødet er ikke holdt endnu")).to_be_visible()
    expect(page.locator("ul.changes")).to_contain_text(
        "genåbnet (var afholdt), planlagt igen — begrundelse: Lukket <i>ved en fejl</i>"
    )
    shot("37-moede-genaabnet")
