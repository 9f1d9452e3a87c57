"""The seed case walked in a real browser: Playwright driving Debian's Chromium against the
web application served by uvicorn on loopback.

A secretariat user logs in, creates the case and BIU's two meetings, drafts item 4, puts it
before the first meeting, postpones it, finds it offered on the next meeting as "udsat fra
mødet den ...", presents it and takes it to note, and closes the meeting; a visitor then
reads the minutes without logging in, and an auditor verifies the audit. Screenshots of the
main pages go to ``test-artifacts/screenshots`` (or ``COUNCIL_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import PASSWORD, artefacts

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def test_the_seed_case_is_walked_in_a_real_browser(chromium: Any, site: str) -> None:
    from playwright.sync_api import expect

    shots = artefacts()
    context = chromium.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def shot(name: str) -> None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    # log in
    page.goto(f"{site}/login")
    shot("01-login")
    page.get_by_label("Brugernavn").fill("anne")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(f"{site}/sekretariat")
    expect(page.get_by_role("heading", name="Overblik", exact=True)).to_be_visible()

    # the case and BIU's meetings
    page.get_by_role("link", name="Ny sag").click()
    page.get_by_label("Sagsnummer").fill("2010-4130")
    page.get_by_label("Titel").fill("Partnerskabsaftale med Dansk Flygtningehjælp")
    page.get_by_label("Ejer (forvaltning)").fill("Socialforvaltningen")
    page.get_by_role("button", name="Opret sagen").click()
    expect(page.get_by_role("heading", name="Sagshistorik for sag 2010-4130")).to_be_visible()
    for day, extra in (
        ("26.01.2010", {}),
        ("23.02.2010", {"Klokkeslæt": "15:30", "Sted": "Rådhuset"}),
    ):
        page.goto(f"{site}/sekretariat/moeder/ny")
        page.get_by_label("Udvalg").select_option("BIU")
        page.get_by_label("Dato").fill(day)
        for label, value in extra.items():
            page.get_by_label(label).fill(value)
        if day.startswith("23"):
            shot("02-nyt-moede")
        page.get_by_role("button", name="Opret mødet").click()
        expect(page.get_by_role("heading", name="Dagsorden")).to_be_visible()
    first_meeting = None
    page.goto(f"{site}/udvalg/BIU")
    first_meeting = page.get_by_role("link", name="Dagsorden for mødet den 26. januar 2010")
    first_href = first_meeting.get_attribute("href")
    second_href = page.get_by_role(
        "link", name="Dagsorden for mødet den 23. februar 2010"
    ).get_attribute("href")

    # draft item 4
    page.goto(f"{site}/sekretariat/punkter/ny?sag=2010-4130&udvalg=BIU")
    page.get_by_label("Titel").fill("Status på partnerskabsaftale med Dansk Flytningshjælp")
    page.get_by_label("Orienteringssag (tages til efterretning)").check()
    page.get_by_label("Resumé").fill(
        "Der er indgået partnerskabsaftale om frivilligt integrationsarbejde. "
        "Hermed forelægges status."
    )
    page.get_by_label("Indstilling").fill(
        "At Beskæftigelses- og Integrationsudvalget tager orienteringen til efterretning."
    )
    page.get_by_label("Problemstilling").fill("Udvalget skal én gang årligt have en status.")
    page.get_by_label("Økonomi").fill("Ingen.")
    page.get_by_label("Underskrifter").fill("Morten Binder\nKaj Ove Christiansen")
    page.get_by_label("Bilag").fill("Efterretningsnotat")
    shot("03-nyt-punkt")
    page.get_by_role("button", name="Opret punktet").click()
    expect(page.get_by_role("heading", name="Dagsordenspunkt i sag 2010-4130")).to_be_visible()
    item_url = page.url

    # put it before the first meeting as number 4, then postpone it
    page.get_by_label("Møde").select_option(label="26. januar 2010")
    page.get_by_label("Punktnummer").fill("4")
    shot("04-punkt-kladde")
    page.get_by_role("button", name="Forelæg").click()
    expect(page).to_have_url(item_url)
    expect(page.locator(".meta").first).to_contain_text("Forelagt")
    page.get_by_role("link", name="Udsæt").click()
    expect(page.get_by_label("Beslutning, ordret")).to_have_value("Indstillingen blev udsat.")
    shot("05-beslutning")
    page.get_by_role("button", name="Registrér beslutningen").click()
    page.goto(f"{site}{first_href}")
    page.get_by_role("button", name="Luk mødet").click()
    expect(page.get_by_text("Mødet er holdt")).to_be_visible()

    # the next meeting offers it as postponed from the first; present it and take it to note
    page.goto(f"{site}{second_href}")
    expect(page.get_by_text("udsat fra mødet den 26. januar 2010")).to_be_visible()
    shot("06-moede-med-udsat-punkt")
    page.get_by_label("Punktnummer").fill("4")
    page.get_by_role("button", name="Sæt på dagsordenen").click()
    page.goto(item_url)
    page.get_by_role("link", name="Tag til efterretning").click()
    expect(page.get_by_label("Beslutning, ordret")).to_have_value(
        "Indstillingen blev taget til efterretning."
    )
    page.get_by_role("button", name="Registrér beslutningen").click()
    shot("07-punkt-taget-til-efterretning")
    page.goto(f"{site}{second_href}")
    page.get_by_role("button", name="Luk mødet").click()
    expect(page.get_by_text("Mødet er holdt")).to_be_visible()
    page.goto(f"{site}/sekretariat")
    shot("08-overblik")
    page.get_by_role("button", name="Log ud").click()
    context.close()

    # a visitor reads the minutes without logging in
    visitor = chromium.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = visitor.new_page()
    page.goto(f"{site}/")
    shot("09-forside")
    page.get_by_role(
        "link", name=re.compile("Beskæftigelses-, Integrations- og Erhvervsudvalget")
    ).click()
    shot("10-udvalg")
    page.get_by_role("link", name="Beslutningsprotokol for mødet den 23. februar 2010").click()
    expect(page.get_by_role("heading", name="Beslutningsprotokol")).to_be_visible()
    minutes = page.locator("main").inner_text()
    assert "(udsat fra mødet den 26. januar 2010)" in minutes
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010" in minutes
    assert "Indstillingen blev taget til efterretning." in minutes
    assert "Log ind" in page.locator("header").inner_text()
    shot("11-beslutningsprotokol")
    page.goto(f"{site}/sager/2010-4130")
    shot("12-sagshistorik")
    visitor.close()

    # an auditor verifies the audit
    auditor = chromium.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = auditor.new_page()
    page.goto(f"{site}/revision")
    page.get_by_label("Brugernavn").fill("rita")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(f"{site}/revision")
    expect(page.get_by_text("I orden")).to_be_visible()
    assert re.search(r"[0-9a-f]{64}", page.locator("code.hash").inner_text())
    shot("13-revision")
    auditor.close()


def test_a_form_mistake_is_shown_by_the_field_in_the_browser(chromium: Any, site: str) -> None:
    from playwright.sync_api import expect

    page = chromium.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{site}/login?naeste=/sekretariat/moeder/ny")
    page.get_by_label("Brugernavn").fill("anne")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_label("Dato").fill("31.02.2010")
    page.get_by_role("button", name="Opret mødet").click()
    error = page.locator("#date-fejl")
    expect(error).to_contain_text("Skriv mødets dato som 23.02.2010")
    expect(page.get_by_label("Dato")).to_have_value("31.02.2010")
    expect(page.get_by_label("Dato")).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=str(artefacts() / "14-formularfejl.png"), full_page=True)
