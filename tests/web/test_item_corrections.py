"""Corrections through the web: an item's texts edited, the item withdrawn, its decision
corrected, a meeting's minutes approved and the meeting reopened. Each is the CLI's act
with the logged-in user as the actor, behind the form token and the user's committee; a
refusal is told in Danish (never with a command-line option) and saves nothing; every
correction is in the audit trail, which still verifies, and on the pages."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from support import Scenario, at
from web_support import Browser, Clock, correction_board, texts, verified

from council.workflow import services

APPROVE_REFUSED = (
    "Protokollen kan ikke godkendes den 20. januar 2010, før mødet den 26. januar 2010."
)


@pytest.fixture
def board(scenario: Scenario) -> dict[str, int]:
    return correction_board(scenario)


def test_a_wrongly_recorded_decision_is_corrected_on_the_item_page_and_shown_everywhere(
    scenario: Scenario, board: dict[str, int], browser: Callable[..., Browser]
) -> None:
    anne, budget = browser("anne"), board["budget"]
    page = texts(anne.get(f"/punkter/{budget}").text)
    assert "Ret den seneste beslutning" in page and "Registreret: «Ikke godkendt»" in page
    done = anne.post(
        f"/punkter/{budget}/ret-beslutning",
        {"version": "3", "outcome": "godkendt", "correct_reason": "fejl ved registreringen"},
    )
    assert done.status_code == 303 and done.headers["location"] == f"/punkter/{budget}"
    page = texts(anne.get(f"/punkter/{budget}").text)
    assert "status: Godkendt" in page
    assert "fejl ved registreringen" in page and "Rettet den" in page
    minutes = texts(browser().get(f"/moeder/{board['held']}").text)
    assert "Rettet den" in minutes and "Indstillingen blev godkendt." in minutes
    verified(scenario)


def test_an_item_is_withdrawn_with_its_reason_in_place_of_the_decision(
    scenario: Scenario, board: dict[str, int], browser: Callable[..., Browser]
) -> None:
    anne, status = browser("anne"), board["status"]
    assert "Træk punktet" in anne.get(f"/punkter/{status}").text
    done = anne.post(
        f"/punkter/{status}/traek",
        {"version": "2", "withdraw_reason": "sagen er forældet\r\nog udgår"},  # a text area's
    )
    assert done.status_code == 303
    page = texts(anne.get(f"/punkter/{status}").text)
    assert "status: Trukket" in page
    assert "Punktet blev trukket: sagen er forældet og udgår" in page
    assert "Træk punktet" not in page
    verified(scenario)


def test_an_item_is_edited_freely_before_its_decision_and_with_a_reason_after(
    scenario: Scenario, board: dict[str, int], browser: Callable[..., Browser]
) -> None:
    anne, status, budget = browser("anne"), board["status"], board["budget"]
    form = anne.get(f"/punkter/{status}/ret").text
    assert 'value="Status"' in form and "Gem rettelsen" in form
    edited = anne.post(
        f"/punkter/{status}/ret",
        {"version": "2", "title": "Status på aftalen", "kind": "orientering", "points": "At ..."},
    )
    assert edited.status_code == 303
    assert "Status på aftalen" in texts(anne.get(f"/punkter/{status}").text)
    corrected = anne.post(
        f"/punkter/{budget}/ret",
        {
            "version": "3",
            "title": "Budget 2010",
            "kind": "beslutning",
            "closed": "",
            "points": "At ...",
            "reason": "årstallet manglede",
        },
    )
    assert corrected.status_code == 303
    page = texts(anne.get(f"/punkter/{budget}").text)
    assert "Budget 2010" in page and "årstallet manglede" in page
    verified(scenario)


def test_the_minutes_are_approved_and_a_later_correction_names_the_approved_text(
    scenario: Scenario, board: dict[str, int], browser: Callable[..., Browser], clock: Clock
) -> None:
    clock.now = at("2010-02-10 09:00")  # the day after the committee approved them
    anne, held = browser("anne"), board["held"]
    assert "Godkend protokollen" in anne.get(f"/moeder/{held}").text
    assert anne.post(f"/moeder/{held}/godkend", {"date": "09.02.2010"}).status_code == 303
    page = texts(anne.get(f"/moeder/{held}").text)
    assert "Protokollen er godkendt den 9. februar 2010" in page
    assert "Godkend protokollen" not in page
    assert "Protokollen er godkendt den 9. februar 2010" in texts(
        browser().get(f"/moeder/{held}").text
    )
    anne.post(
        f"/punkter/{board['budget']}/ret-beslutning",
        {"outcome": "godkendt", "correct_reason": "fejl"},
    )
    minutes = texts(browser().get(f"/moeder/{held}").text)
    assert (
        "protokollen blev godkendt med teksten «Indstillingen blev ikke godkendt.», og "
        "beslutningen er rettet til «Indstillingen blev godkendt.»; begrundelse: fejl"
    ) in minutes
    verified(scenario)


def test_a_held_or_cancelled_meeting_is_reopened_with_its_reason_under_the_changes(
    scenario: Scenario, board: dict[str, int], browser: Callable[..., Browser]
) -> None:
    anne, held = browser("anne"), board["held"]
    done = anne.post(f"/moeder/{held}/genaabn", {"reason": "lukket ved en fejl"})
    assert done.status_code == 303
    page = texts(anne.get(f"/moeder/{held}").text)
    assert "Ændringer (revisionssporet)" in page
    assert "genåbnet (var afholdt), planlagt igen — begrundelse: lukket ved en fejl" in page
    assert "Mødet er ikke holdt endnu" in page and "Genåbn mødet" not in page
    planned = board["planned"]
    anne.post(f"/moeder/{planned}/aflys", {"sequence": "0", "reason": "formanden er syg"})
    assert "Genåbn mødet" in anne.get(f"/moeder/{planned}").text
    assert (
        anne.post(f"/moeder/{planned}/genaabn", {"reason": "aflyst ved en fejl"}).status_code == 303
    )
    page = texts(anne.get(f"/moeder/{planned}").text)
    assert "genåbnet (var aflyst), planlagt igen — begrundelse: aflyst ved en fejl" in page
    assert "Aflys mødet" in page
    verified(scenario)


def test_a_refused_correction_is_told_in_danish_by_its_form_and_saves_nothing(
    board: dict[str, int], browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    anne = browser("anne")
    budget, status = f"/punkter/{board['budget']}", f"/punkter/{board['status']}"
    held, planned = f"/moeder/{board['held']}", f"/moeder/{board['planned']}"
    before = snapshot()
    for path, data, said in (
        (
            f"{budget}/ret-beslutning",
            {"outcome": "godkendt", "correct_reason": " "},
            "Beslutningen er ikke rettet. Skriv en begrundelse. Uden den gemmes intet.",
        ),
        (
            f"{budget}/ret-beslutning",
            {"outcome": "taget_til_efterretning", "correct_reason": "fejl"},
            "Beslutningen kan ikke rettes til det udfald: Kun orienteringssager kan tages til "
            "efterretning.",
        ),
        (
            f"{budget}/ret-beslutning",
            {"outcome": "godkendt", "correct_reason": "fejl\x07"},
            "Begrundelsen indeholder et usynligt tegn eller styretegn",
        ),
        (
            f"{status}/ret-beslutning",
            {"outcome": "godkendt", "correct_reason": "fejl"},
            "har ingen beslutning at rette",
        ),
        (
            f"{status}/traek",
            {"withdraw_reason": ""},
            "Punktet er ikke trukket. Skriv en begrundelse.",
        ),
        (f"{budget}/traek", {"withdraw_reason": "fejl"}, "og kan ikke trækkes"),
        (f"{status}/ret", {"title": " ", "kind": "orientering"}, "Titlen er tom."),
        (
            f"{budget}/ret",
            {"title": "Budget 2010", "kind": "beslutning", "points": "At ..."},
            "Skriv en begrundelse. Uden den gemmes intet.",
        ),
        (f"{held}/godkend", {"date": ""}, APPROVE_REFUSED),
        (f"{held}/godkend", {"date": "31.02.2010"}, "Skriv godkendelsesdatoen som 09.03.2010"),
        (f"{planned}/godkend", {"date": "24.02.2010"}, "er ikke afholdt"),
        (f"{held}/genaabn", {"reason": ""}, "En genåbning kræver en begrundelse."),
        (f"{planned}/genaabn", {"reason": "fejl"}, "er allerede planlagt; intet at genåbne."),
    ):
        refused = anne.post(path, data)
        shown = texts(refused.text)
        assert refused.status_code == 400, (path, data, shown)
        assert said in shown, (path, shown)
        assert "--" not in shown and "council " not in shown, shown
    assert snapshot() == before


def test_a_form_read_before_the_item_changed_is_refused_with_what_changed(
    board: dict[str, int], browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    anne, status = browser("anne"), board["status"]
    before = snapshot()
    for path, data in (
        ("traek", {"version": "1", "withdraw_reason": "forældet"}),
        ("ret", {"version": "1", "title": "Ny", "kind": "orientering"}),
    ):
        stale = anne.post(f"/punkter/{status}/{path}", data)
        assert stale.status_code == 409
        assert "Punktet er ændret, siden du hentede siden" in texts(stale.text)
    assert snapshot() == before


def test_another_committee_an_auditor_a_visitor_and_a_form_without_its_token_change_nothing(
    board: dict[str, int], browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    sofie, rita, anne, visitor = browser("sofie"), browser("rita"), browser("anne"), browser()
    budget, status, held = board["budget"], board["status"], board["held"]
    forms = {
        f"/punkter/{budget}/ret-beslutning": {"outcome": "godkendt", "correct_reason": "fejl"},
        f"/punkter/{status}/traek": {"withdraw_reason": "forældet"},
        f"/punkter/{status}/ret": {"title": "Ny", "kind": "orientering"},
        f"/moeder/{held}/godkend": {"date": "09.02.2010"},
        f"/moeder/{held}/genaabn": {"reason": "fejl"},
    }
    before = snapshot()
    for path, data in forms.items():
        for outsider, why in ((sofie, "Du handler ikke for BIU."), (rita, "kan kun læse.")):
            refused = outsider.post(path, data)
            assert refused.status_code == 403, path
            assert "Du har ikke adgang til at gøre dette." in texts(refused.text)
            assert why in texts(refused.text)
        forged = anne.post(path, {**data, "csrf_token": "x"}, token=False)
        assert forged.status_code == 403 and "Formularen kan ikke modtages" in forged.text
        missing = anne.post(path, data, token=False)
        assert missing.status_code == 403 and "Intet er gemt" in texts(missing.text)
        assert visitor.post(path, data).headers["location"].startswith("/login")
    assert sofie.get(f"/punkter/{status}/ret").status_code == 403
    assert "Rettelser" not in sofie.get(f"/punkter/{budget}").text
    assert "Genåbn mødet" not in rita.get(f"/moeder/{held}").text
    assert snapshot() == before


def test_markup_in_a_reason_is_shown_as_text_on_every_page(
    board: dict[str, int], browser: Callable[..., Browser]
) -> None:
    anne, hostile = browser("anne"), '<script>alert("x")</script><b>fed</b> & =SUM(A1)'
    edited = anne.post(f"/punkter/{board['status']}/ret", {"title": hostile, "kind": "orientering"})
    assert edited.status_code == 303
    anne.post(f"/punkter/{board['status']}/traek", {"withdraw_reason": hostile})
    anne.post(f"/punkter/{board['budget']}/ret-beslutning", {
        "outcome": "godkendt", "correct_reason": hostile, "correct_text": hostile,
    })  # fmt: skip
    anne.post(f"/moeder/{board['held']}/genaabn", {"reason": hostile})
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;fed&lt;/b&gt; &amp; =SUM(A1)"
    for page in (
        anne.get(f"/punkter/{board['status']}").text,
        anne.get(f"/punkter/{board['budget']}").text,
        anne.get(f"/moeder/{board['held']}").text,
        browser().get(f"/moeder/{board['planned']}").text,
    ):
        assert "<script>" not in page and "<b>fed" not in page
        assert escaped in page


def test_the_api_gives_a_cancelled_meetings_status_and_reason_and_keeps_closed_items_out(
    scenario: Scenario, board: dict[str, int], browser: Callable[..., Browser]
) -> None:
    anne, visitor = browser("anne"), browser()
    secret = services.draft_item(
        scenario.uow(),
        scenario.app.rulebook,
        case_number=scenario.case_number,
        committee_code="BIU",
        draft=services.ItemDraft(title="Hemmelig personsag", kind="beslutning", closed=True),
        actor="clerk",
        now=at("2010-01-11 09:00"),
    )
    assert secret.id is not None
    scenario.present(secret.id, board["planned"])
    assert anne.post(
        f"/moeder/{board['planned']}/aflys", {"sequence": "0", "reason": "formanden er syg"}
    ).status_code == 303  # fmt: skip
    listed = {m["id"]: m for m in visitor.get("/api/committees/BIU/meetings").json()}
    cancelled, held = listed[board["planned"]], listed[board["held"]]
    assert cancelled["status"] == "aflyst" and cancelled["held"] is False
    assert cancelled["cancelled"]["reason"] == "formanden er syg"
    assert cancelled["cancelled"]["at"] == "2010-01-20T09:00:00Z"
    assert held["status"] == "afholdt" and held["cancelled"] is None
    detail = visitor.get(f"/api/meetings/{board['planned']}")
    assert detail.json()["status"] == "aflyst"
    assert detail.json()["cancelled"]["reason"] == "formanden er syg"
    assert "Hemmelig" not in detail.text and "Hemmelig" not in json.dumps(listed)
    assert "Hemmelig" in anne.get(f"/api/meetings/{board['planned']}").text
