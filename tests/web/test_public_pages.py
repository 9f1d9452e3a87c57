"""The public reads committees, meetings, agendas, minutes and case histories without logging
in; a closed item is its number and "Lukket punkt" everywhere; unknown ids are Danish 404s."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from support import Scenario, at
from web_support import Browser, links, texts, title_of

from council.cases import committees

SECRET = "hemmelig fratrædelse"


def test_the_public_reads_committees_meetings_and_an_agenda_without_logging_in(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    visitor = browser()
    front = visitor.get("/")
    assert front.status_code == 200 and 'lang="da"' in front.text
    assert "Beskæftigelses-, Integrations- og Erhvervsudvalget" in texts(front.text)
    committee = visitor.get("/udvalg/BIU")
    assert "Dagsorden for mødet den 26. januar 2010" in texts(committee.text)
    agenda = visitor.get(f"/moeder/{seed['first']}")
    page = texts(agenda.text)
    assert agenda.status_code == 200
    assert title_of(agenda.text).startswith("Dagsorden – Beskæftigelses- og Integrationsudvalget")
    assert "4. Status på partnerskabsaftale med Dansk Flytningshjælp (2010-4130)" in page
    assert "Indstilling og beslutning" in page
    assert "Behandling" not in page and "Log ud" not in page  # no desk, no session
    assert "set-cookie" not in agenda.headers


def test_the_minutes_and_the_case_history_come_from_the_render_templates(
    browser: Callable[..., Browser], seed: dict[str, int], scenario: Scenario
) -> None:
    scenario.decide(seed["item"], "udsat", when="2010-01-26 17:00")
    from council.workflow import services

    services.close_meeting(
        scenario.uow(),
        scenario.app.rulebook,
        meeting_ref=str(seed["first"]),
        actor="clerk",
        now=at("2010-01-26 18:00"),
    )
    visitor = browser()
    minutes = texts(visitor.get(f"/moeder/{seed['first']}").text)
    assert "Beslutningsprotokol" in minutes and "Mødet er holdt" in minutes
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 26.01.2010" in minutes
    assert "Indstillingen blev udsat." in minutes
    printable = visitor.get(f"/moeder/{seed['first']}/beslutningsprotokol")
    assert printable.text.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in printable.headers["content-security-policy"]
    assert '<footer class="trail-anchor">\n<p>Revisionsspor: post ' in printable.text
    history = texts(visitor.get("/sager/2010-4130").text)
    assert "Sagshistorik for sag 2010-4130" in history and "Forløb" in history
    assert "Udsat" in history


def test_a_closed_item_is_only_its_number_and_lukket_punkt_for_the_public_everywhere(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    visitor = browser()
    closed = seed["closed"]
    pages = {
        "meeting": visitor.get(f"/moeder/{seed['second']}"),
        "agenda document": visitor.get(f"/moeder/{seed['second']}/dagsorden"),
        "item": visitor.get(f"/punkter/{closed}"),
        "case": visitor.get("/sager/2010-4130"),
        "search": visitor.get("/soeg?q=fratr%C3%A6delse"),
        "api meeting": visitor.get(f"/api/meetings/{seed['second']}"),
        "api item": visitor.get(f"/api/items/{closed}"),
        "api history": visitor.get("/api/cases/2010-4130/history"),
        "csv": visitor.get("/sager/2010-4130/historik.csv"),
        "json": visitor.get("/sager/2010-4130/historik.json"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert SECRET not in response.text.lower(), name
        assert "godkender fratrædelsen" not in response.text, name
    item_page = pages["item"].text
    assert title_of(item_page).startswith("7. Lukket punkt")
    assert "2010-4130" not in item_page  # not even its case
    assert f"/punkter/{closed}" not in links(pages["meeting"].text)
    assert "7. Lukket punkt" in texts(pages["meeting"].text)
    assert "Intet matcher «fratrædelse»" in texts(pages["search"].text)
    api_item = pages["api item"].json()
    assert api_item["title"] == "Lukket punkt" and api_item["withheld"] is True
    assert api_item["case_number"] is None and api_item["state"] is None
    withheld = [r for r in pages["api history"].json() if r["item"] == closed]
    assert withheld and all(
        r["closed"] and r["text"] is None and r["to_state"] is None for r in withheld
    )


def test_a_logged_in_user_reads_the_closed_item_in_full(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    for name in ("rita", "anne"):
        reader = browser(name)
        item = reader.get(f"/punkter/{seed['closed']}")
        assert "Personsag om hemmelig fratrædelse" in item.text, name
        assert "Personsag" in reader.get("/soeg?q=Personsag").text, name
        assert "Personsag" in json.dumps(reader.get(f"/api/items/{seed['closed']}").json())


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/moeder/999", "Der findes intet møde nr. 999."),
        ("/moeder/ikke-et-tal", "Der findes intet møde nr. ikke-et-tal."),
        ("/punkter/424242", "Der findes intet punkt nr. 424242."),
        ("/sager/1999-0001", "Der findes ingen sag nr. 1999-0001."),
        ("/udvalg/XYZ", "Der findes intet udvalg med koden XYZ."),
        ("/ingen/side", "Der er ingen side på denne adresse."),
        ("/moeder/1/beslutningsprotokol", "Mødet er ikke holdt endnu"),
    ],
)
def test_unknown_addresses_are_danish_404_pages(
    browser: Callable[..., Browser], seed: dict[str, int], path: str, says: str
) -> None:
    response = browser().get(path)
    assert response.status_code == 404
    assert "Siden findes ikke" in title_of(response.text)
    assert says in texts(response.text)


def test_an_unknown_id_in_the_api_is_a_404_in_json(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    response = browser().get("/api/items/424242")
    assert response.status_code == 404
    assert response.json() == {"detail": "Der findes intet punkt nr. 424242."}


def test_a_server_error_is_a_500_page_without_a_traceback_and_is_logged(
    browser: Callable[..., Browser],
    seed: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(committees, "every", broken)
    with caplog.at_level(logging.ERROR, logger="council.web"):
        response = browser().get("/")
    assert response.status_code == 500
    assert "Der opstod en fejl" in response.text
    assert "Traceback" not in response.text and "disk on fire" not in response.text
    assert any("disk on fire" in (r.exc_text or "") for r in caplog.records)


def test_every_response_forbids_framing_and_foreign_scripts(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    headers = browser().get("/").headers
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_markup_in_a_title_is_shown_as_text(
    browser: Callable[..., Browser], scenario: Scenario, seed: dict[str, int]
) -> None:
    hostile = scenario.draft("BIU", title="<script>alert(1)</script> & co")
    page = browser().get(f"/punkter/{hostile}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_a_csv_download_keeps_a_formula_like_decision_as_text(
    browser: Callable[..., Browser], scenario: Scenario, seed: dict[str, int]
) -> None:
    scenario.decide(seed["item"], "udsat", text='=HYPERLINK("http://x")')
    rows = browser().get("/sager/2010-4130/historik.csv").text
    assert "'=HYPERLINK" in rows
    assert browser().get("/sager/2010-4130/historik.json").json()[-1]["text"].startswith("=HYP")


def test_the_demo_database_has_one_account_per_role_that_logs_in(tmp_path: object) -> None:
    from pathlib import Path

    from web_support import Browser, Clock

    from council.config.settings import load_settings
    from council.workflow.app import App
    from council.workflow.demo import add_demo_accounts, replay_seed

    assert isinstance(tmp_path, Path)
    demo = App(settings=load_settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}"))
    replay_seed(demo, say=lambda _line: None)
    made = add_demo_accounts(demo, now=at("2026-01-01 09:00"))
    assert [(name, role) for name, role, _ in made] == [
        ("sekretariat", "sekretariat"),
        ("revisor", "revisor"),
        ("admin", "admin"),
    ]
    homes = {"sekretariat": "/sekretariat", "revisor": "/revision", "admin": "/sekretariat"}
    for name, _role, password in made:
        visitor = Browser(demo, Clock())
        response = visitor.post("/login", {"name": name, "password": password})
        assert response.status_code == 303 and response.headers["location"] == homes[name]
    minutes = texts(Browser(demo, Clock()).get("/sager/2010-4130").text)
    assert "Indstillingen blev udsat." in minutes
    demo.database.dispose()
