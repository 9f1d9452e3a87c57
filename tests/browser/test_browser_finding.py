"""Finding things in a real browser: a visitor searches from the search box, follows a hit to
its item and opens its bilag; a closed item is not found; the secretariat's lists of
meetings, items and cases, filtered. Screenshots go beside the walk's
(``test-artifacts/screenshots``) to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_support import PASSWORD, artefacts
from finding import draft
from support import Scenario, at

from council.workflow.services.attachments import attach_files

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


@pytest.fixture
def month(scenario: Scenario, tmp_path: Path) -> dict[str, int]:
    """BIU's two meetings with the seed item (and a bilag), a budget item and a closed item."""
    first = scenario.meeting("BIU", "2010-01-26")
    second = scenario.meeting("BIU", "2010-02-23")
    status = draft(scenario, "Status på partnerskabsaftale med Dansk Flytningshjælp")
    budget = draft(scenario, "Budgetopfølgning for integrationsområdet")
    closed = draft(scenario, "Personsag om hemmelig fratrædelse", closed=True)
    scenario.present(status, first)
    scenario.present(budget, second)
    scenario.present(closed, second)
    memo = tmp_path / "Efterretningsnotat.txt"
    memo.write_text(
        "Dansk Flygtningehjælp har uddannet 40 mentorer i 2009; målet var 60.\n",
        encoding="utf-8",
    )
    scenario.app.settings.attachment_dir = tmp_path / "bilag"
    attach_files(
        scenario.uow(),
        scenario.app.rulebook,
        scenario.app.attachment_store(),
        item_id=status,
        paths=[memo],
        max_bytes=100_000,
        actor="clerk",
        now=at("2010-01-20 10:00"),
    )
    return {"status": status, "closed": closed}


def test_a_visitor_finds_an_item_by_its_bilag_and_the_secretariat_lists_its_work(
    chromium: Any, site: str, month: dict[str, int]
) -> None:
    from playwright.sync_api import expect

    shots = artefacts()
    page = chromium.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}).new_page()

    def shot(name: str) -> None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    page.goto(f"{site}/soeg")
    page.get_by_label("Sagsnummer eller ord fra titler").fill("mentorerne")
    page.get_by_role("button", name="Søg").click()
    hits = page.locator("ol.hits > li")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("Fundet i bilag «Efterretningsnotat»")
    expect(hits.first.locator("mark")).to_have_text("mentorer")
    shot("20-soeg")
    hits.first.get_by_role("link").click()
    expect(page.get_by_role("link", name="Efterretningsnotat")).to_be_visible()

    page.goto(f"{site}/soeg?q=fratr%C3%A6delse")
    expect(page.get_by_text("Intet matcher «fratrædelse».")).to_be_visible()

    page.goto(f"{site}/login?naeste=/sekretariat/punkter")
    page.get_by_label("Brugernavn").fill("anne")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_text("Personsag om hemmelig fratrædelse (lukket punkt)")).to_be_visible()
    shot("21-punkter")
    page.goto(f"{site}/sekretariat/moeder?fra=01.02.2010")
    expect(page.get_by_role("row")).to_have_count(2)  # the heading and 23.02.2010
    shot("22-moeder")
    page.goto(f"{site}/sekretariat/sager")
    expect(page.get_by_role("cell", name="2010-4130")).to_be_visible()
    shot("23-sager")
    page.goto(f"{site}/soeg?q=fratr%C3%A6delse")
    expect(page.locator("ol.hits > li")).to_have_count(1)
    shot("24-soeg-logget-ind")
