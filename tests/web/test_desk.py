"""The secretariat works the seed case in the browser: the same acts as the CLI, audited with
the logged-in user as actor; buttons from the rulebook; stale forms, bad input, other
committees, missing CSRF tokens and auditors are refused with nothing saved."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select
from support import Scenario, at
from web_support import Browser, texts

from council.cases.audit_verify import verify
from council.cases.models import AuditEntry
from council.workflow.app import App


def actors(app: App) -> set[str]:
    with app.database.reading() as session:
        return set(session.scalars(select(AuditEntry.actor).where(AuditEntry.seq > 0)))


def buttons(html: str) -> list[str]:
    """The workflow's steps offered on an item's page: its actions, and withdrawing it
    (among the corrections, beside editing and correcting a decision)."""
    found: list[str] = []
    for section in ("handlinger", "rettelser"):
        if f'id="{section}"' in html:
            desk = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
            found += re.findall(r'class="button[^"]*"[^>]*>([^<]+)<', desk)
    return [b for b in found if b not in ("Ret punktets tekst", "Ret beslutningen")]


def test_the_secretariat_walks_the_seed_case_and_every_change_is_audited_as_the_user(
    app: App, browser: Callable[..., Browser], clock: object
) -> None:
    anne = browser("anne")
    ok = anne.post(
        "/sekretariat/sager/ny",
        {"number": "2010-4130", "title": "Partnerskabsaftale", "owner": "Socialforvaltningen"},
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/sager/2010-4130"
    first = anne.post("/sekretariat/moeder/ny", {"committee": "BIU", "date": "26.01.2010"})
    second = anne.post(
        "/sekretariat/moeder/ny",
        {"committee": "BIU", "date": "2010-02-23", "time": "15:30", "place": "Rådhuset"},
    )
    first_id = int(first.headers["location"].rsplit("/", 1)[1])
    second_id = int(second.headers["location"].rsplit("/", 1)[1])
    drafted = anne.post(
        "/sekretariat/punkter/ny",
        {
            "case": "2010-4130",
            "committee": "BIU",
            "title": "Status på partnerskabsaftale med Dansk Flytningshjælp",
            "kind": "orientering",
            "summary": "Hermed forelægges status.",
            "points": "At udvalget tager orienteringen til efterretning.",
            "problem": "Problem.",
            "solution": "Løsning.",
            "economy": "Ingen.",
            "next_steps": "Ingen.",
            "signatures": "Morten Binder\nKaj Ove Christiansen",
            "attachments": "Efterretningsnotat",
        },
    )
    assert drafted.status_code == 303
    item = int(drafted.headers["location"].rsplit("/", 1)[1])
    page = anne.get(f"/punkter/{item}").text
    assert buttons(page) == ["Forelæg", "Træk punktet"]
    assert "Kaj Ove Christiansen" in page and "Efterretningsnotat" in page

    presented = anne.post(
        f"/punkter/{item}/forelaeg", {"meeting": str(first_id), "number": "4", "version": "1"}
    )
    assert presented.status_code == 303
    agenda = texts(anne.get(f"/moeder/{first_id}").text)
    assert "4. Status på partnerskabsaftale med Dansk Flytningshjælp (2010-4130)" in agenda

    form = anne.get(f"/punkter/{item}/beslut/postpone?version=2")
    assert ">Indstillingen blev udsat.</textarea>" in form.text
    assert 'value="26.01.2010"' in form.text
    postponed = anne.post(
        f"/punkter/{item}/beslut/postpone",
        {"text": "Indstillingen blev udsat.", "date": "26.01.2010", "version": "2"},
    )
    assert postponed.status_code == 303
    assert anne.post(f"/moeder/{first_id}/luk").status_code == 303

    offered = texts(anne.get(f"/moeder/{second_id}").text)
    assert "udsat fra mødet den 26. januar 2010" in offered
    again = anne.post(
        f"/punkter/{item}/forelaeg",
        {
            "meeting": str(second_id),
            "number": "4",
            "version": "3",
            "tilbage": f"/moeder/{second_id}",
        },
    )
    assert again.headers["location"] == f"/moeder/{second_id}"
    noted = anne.post(
        f"/punkter/{item}/beslut/take_note",
        {"text": "Indstillingen blev taget til efterretning.", "date": "", "version": "4"},
    )
    assert noted.status_code == 303
    assert anne.post(f"/moeder/{second_id}/luk").status_code == 303

    minutes = texts(browser().get(f"/moeder/{second_id}").text)
    assert "(udsat fra mødet den 26. januar 2010)" in minutes
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010" in minutes
    assert "Indstillingen blev taget til efterretning." in minutes
    assert "anne" in actors(app)
    with app.database.reading() as session:
        assert verify(session).ok


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("orientering", ["Udsæt", "Drøft", "Tag til efterretning", "Træk punktet"]),
        ("beslutning", ["Udsæt", "Drøft", "Godkend", "Godkend ikke", "Anbefal", "Træk punktet"]),
    ],
)
def test_the_buttons_are_the_rulebooks_transitions_from_the_state_for_the_role(
    scenario: Scenario, browser: Callable[..., Browser], kind: str, expected: list[str]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU", kind=kind)
    scenario.present(item, meeting)
    assert buttons(browser("anne").get(f"/punkter/{item}").text) == expected
    assert buttons(browser("ada").get(f"/punkter/{item}").text) == expected
    assert buttons(browser("rita").get(f"/punkter/{item}").text) == []
    assert buttons(browser("sofie").get(f"/punkter/{item}").text) == []
    assert buttons(browser().get(f"/punkter/{item}").text) == []


def test_a_final_item_offers_no_buttons(
    scenario: Scenario, browser: Callable[..., Browser]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU")
    scenario.present(item, meeting)
    scenario.decide(item, "taget til efterretning", when="2010-02-23 17:00")
    page = browser("anne").get(f"/punkter/{item}").text
    assert buttons(page) == [] and "Handlinger" not in page


def test_a_stale_form_is_refused_with_what_changed_and_nothing_is_saved(
    scenario: Scenario, browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU")
    scenario.present(item, meeting)
    anne = browser("anne")
    form = anne.get(f"/punkter/{item}/beslut/take_note")  # version 2 on the page
    assert 'name="version" value="2"' in form.text
    scenario.decide(item, "udsat", when="2010-02-23 17:00")  # someone else, meanwhile
    before = snapshot()
    stale = anne.post(
        f"/punkter/{item}/beslut/take_note",
        {"text": "Indstillingen blev taget til efterretning.", "date": "", "version": "2"},
    )
    assert stale.status_code == 409
    said = texts(stale.text)
    assert "Punktet er ændret, siden du hentede siden" in said
    assert "Du så version 2 af punktet; nu er det version 3" in said
    assert "Forelagt → Udsat" in said and "«Indstillingen blev udsat.»" in said
    assert "af clerk" in said and "ikke gemt" in said
    assert snapshot() == before
    stale_present = anne.post(
        f"/punkter/{item}/forelaeg", {"meeting": str(meeting), "number": "", "version": "1"}
    )
    assert stale_present.status_code == 409
    assert snapshot() == before


def test_two_clerks_deciding_the_same_item_one_gets_a_conflict(
    scenario: Scenario, browser: Callable[..., Browser]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU")
    scenario.present(item, meeting)
    anne, ada = browser("anne"), browser("ada")
    data = {"text": "Indstillingen blev udsat.", "date": "", "version": "2"}
    assert anne.post(f"/punkter/{item}/beslut/postpone", data).status_code == 303
    assert ada.post(f"/punkter/{item}/beslut/discuss", data).status_code == 409


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        ("/sekretariat/moeder/ny", {"committee": "BIU", "date": "30.02.2010"}, "date", "Skriv mødets dato"),
        ("/sekretariat/moeder/ny", {"committee": "BIU", "date": "2010-03-01", "time": "25:99"}, "time", "Skriv klokkeslættet"),
        ("/sekretariat/moeder/ny", {"committee": "SUD", "date": "2010-03-01"}, "committee", "Vælg et af dine udvalg."),
        ("/sekretariat/sager/ny", {"number": "ny sag!", "title": "T", "owner": "O"}, "number", "journalnummer"),
        ("/sekretariat/sager/ny", {"number": "2010-4130", "title": "T", "owner": "O"}, "number", "Der findes allerede en sag med det nummer."),
        ("/sekretariat/sager/ny", {"number": "2011-1", "title": " ", "owner": "O"}, "title", "Skriv sagens titel."),
        ("/sekretariat/punkter/ny", {"case": "2010-4130", "committee": "BIU", "title": "", "kind": "orientering"}, "title", "Skriv punktets titel."),
        ("/sekretariat/punkter/ny", {"case": "1999-1", "committee": "BIU", "title": "T", "kind": "orientering"}, "case", "Der findes ingen sag med det nummer."),
        ("/sekretariat/punkter/ny", {"case": "2010-4130", "committee": "BIU", "title": "T", "kind": "x"}, "kind", "Vælg orienteringssag eller beslutningssag."),
        ("/sekretariat/punkter/ny", {"case": "2010-4130", "committee": "BIU", "title": "T", "kind": "orientering", "fulfils": "2010-4130:BIU"}, "fulfils", "Ingen statusforpligtelse passer."),
    ],
)  # fmt: skip
def test_a_mistake_in_a_form_shows_the_form_again_with_the_message_by_the_field_and_saves_nothing(
    scenario: Scenario,
    browser: Callable[..., Browser],
    snapshot: Callable[[], str],
    path: str,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    anne = browser("anne")
    before = snapshot()
    response = anne.post(path, data)
    assert response.status_code == 400
    block = response.text.split(f'id="{field}-fejl"', 1)[1].split("</p>", 1)[0]
    assert message in block
    assert (
        f'aria-describedby="{field}-fejl"' in response.text
        or f"{field}-hint {field}-fejl" in response.text
    )
    for name, value in data.items():  # what was typed is still there
        if value.strip() and name not in ("kind", "committee"):
            assert f'value="{value}"' in response.text or f">{value}<" in response.text
    assert snapshot() == before


def test_a_decision_without_text_or_with_a_date_before_the_meeting_is_refused(
    scenario: Scenario, browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU")
    scenario.present(item, meeting)
    anne = browser("anne")
    before = snapshot()
    empty = anne.post(f"/punkter/{item}/beslut/postpone", {"text": " ", "version": "2"})
    assert empty.status_code == 400 and "Skriv beslutningens tekst" in empty.text
    early = anne.post(
        f"/punkter/{item}/beslut/postpone",
        {"text": "Udsat.", "date": "01.02.2010", "version": "2"},
    )
    assert early.status_code == 400
    assert "Beslutningsdatoen ligger før mødets dato" in early.text.split('id="date-fejl"')[1]
    assert snapshot() == before


def test_an_agenda_number_already_taken_is_refused_by_the_number(
    scenario: Scenario, browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    taken, other = scenario.draft("BIU"), scenario.draft("BIU")
    scenario.present(taken, meeting)
    anne = browser("anne")
    before = snapshot()
    response = anne.post(
        f"/punkter/{other}/forelaeg", {"meeting": str(meeting), "number": "1", "version": "1"}
    )
    assert response.status_code == 400
    assert "Dagsordenen har allerede et punkt nr. 1" in response.text.split('fejl"', 1)[1]
    assert snapshot() == before


def test_a_held_meeting_cannot_be_chosen_and_closing_waits_for_every_decision(
    scenario: Scenario, browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU")
    scenario.present(item, meeting)
    anne = browser("anne")
    before = snapshot()
    refused = anne.post(f"/moeder/{meeting}/luk")
    assert refused.status_code == 400
    assert (
        "Mødet kan ikke lukkes, før hvert punkt på dagsordenen har en beslutning "
        "(mangler: punkt 1)." in refused.text
    )
    assert "1 punkt mangler endnu" in texts(refused.text)
    assert snapshot() == before


def test_another_committees_secretariat_may_read_but_not_act(
    scenario: Scenario, browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU")
    scenario.present(item, meeting)
    sofie = browser("sofie")
    before = snapshot()
    assert sofie.get(f"/punkter/{item}").status_code == 200
    data = {"text": "Udsat.", "version": "2"}
    for response in (
        sofie.post(f"/punkter/{item}/beslut/postpone", data),
        sofie.get(f"/punkter/{item}/beslut/postpone"),
        sofie.post(f"/moeder/{meeting}/luk"),
        sofie.post("/sekretariat/punkter/ny", {"case": "2010-4130", "committee": "BIU", "title": "T", "kind": "orientering"}),
    ):  # fmt: skip
        assert response.status_code in (400, 403)
        assert "Ingen adgang" in response.text or "Vælg et af dine udvalg." in response.text
    assert snapshot() == before


def test_an_auditor_and_an_anonymous_visitor_change_nothing(
    scenario: Scenario, browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU")
    scenario.present(item, meeting)
    rita = browser("rita")
    before = snapshot()
    assert rita.get("/sekretariat").status_code == 403
    assert (
        rita.post(f"/punkter/{item}/beslut/postpone", {"text": "U", "version": "2"}).status_code
        == 403
    )
    visitor = browser()
    refused = visitor.post(f"/punkter/{item}/beslut/postpone", {"text": "U", "version": "2"})
    assert refused.status_code == 303 and refused.headers["location"].startswith("/login?naeste=")
    assert visitor.get("/sekretariat").headers["location"] == "/login?naeste=/sekretariat"
    assert snapshot() == before


@pytest.mark.parametrize(
    "path",
    [
        "/punkter/{item}/beslut/postpone",
        "/punkter/{item}/forelaeg",
        "/moeder/{meeting}/luk",
        "/sekretariat/sager/ny",
        "/sekretariat/moeder/ny",
        "/sekretariat/punkter/ny",
        "/logout",
    ],
)
def test_a_form_without_the_sessions_csrf_token_is_refused_and_nothing_is_saved(
    scenario: Scenario, browser: Callable[..., Browser], snapshot: Callable[[], str], path: str
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft("BIU")
    scenario.present(item, meeting)
    anne = browser("anne")
    before = snapshot()
    target = path.format(item=item, meeting=meeting)
    data = {"text": "Udsat.", "version": "2", "meeting": str(meeting), "number": "2",
            "committee": "BIU", "date": "2010-05-01", "number_": "", "title": "T",
            "owner": "O", "case": "2010-4130", "kind": "orientering"}  # fmt: skip
    for token in (None, "forfalsket"):
        sent = dict(data) if token is None else {**data, "csrf_token": token}
        response = anne.post(target, sent, token=False)
        assert response.status_code == 403, target
        assert "Formularen kan ikke modtages" in response.text
    assert snapshot() == before
    assert anne.logged_in()


def test_the_start_page_shows_what_needs_the_secretariats_attention(
    scenario: Scenario, browser: Callable[..., Browser], clock: object
) -> None:
    from reminding import add_obligation

    soon = scenario.meeting("BIU", "2010-01-26")
    later = scenario.meeting("BIU", "2010-02-23")
    awaiting = scenario.draft("BIU", title="Venter på beslutning")
    scenario.present(awaiting, soon)
    postponed = scenario.draft("BIU", title="Blev udsat")
    scenario.present(postponed, soon, when="2010-01-05 09:00")
    scenario.decide(postponed, "udsat", when="2010-01-26 17:00")
    add_obligation(scenario.app, committee_codes=["BIU"])
    page = texts(browser("anne").get("/sekretariat").text)
    assert "Møder de næste 14 dage" in page and "26. januar 2010" in page
    assert "Venter på beslutning" in page.split("Punkter, der venter på en beslutning")[1]
    udsatte = page.split("Udsatte punkter, der skal videre")[1]
    assert "Blev udsat" in udsatte and "23. februar 2010" in udsatte
    assert "2010-4130 BIU 2009 31. december 2009" in page
    assert str(later)  # the next meeting exists; the page links it


def test_login_sets_a_signed_httponly_samesite_cookie_and_secure_over_https(
    browser: Callable[..., Browser], seed: dict[str, int]
) -> None:
    plain = browser().login("anne").headers["set-cookie"]
    assert "HttpOnly" in plain and "SameSite=lax" in plain and "Secure" not in plain
    secure = browser(https=True).login("anne").headers["set-cookie"]
    assert "Secure" in secure


def test_a_wrong_password_is_refused_in_danish_and_repeated_failures_are_throttled(
    browser: Callable[..., Browser], app: App
) -> None:
    from web_support import add_user

    add_user(app, "anne")
    visitor = browser()
    for _ in range(4):
        wrong = visitor.post("/login", {"name": "anne", "password": "forkert"})
        assert wrong.status_code == 401
        assert "Forkert brugernavn eller adgangskode." in wrong.text
    throttled = visitor.post("/login", {"name": "anne", "password": "forkert"})
    assert throttled.status_code == 429 and "For mange mislykkede forsøg" in throttled.text
    right = visitor.post("/login", {"name": "anne", "password": "korrekt hest batteri"})
    assert right.status_code == 429


def test_logging_out_or_a_new_password_ends_the_session(
    browser: Callable[..., Browser], app: App, seed: dict[str, int]
) -> None:
    from council.workflow import accounts

    anne = browser("anne")
    assert anne.get("/sekretariat").status_code == 200
    assert anne.post("/logout").status_code == 303
    assert anne.get("/sekretariat").status_code == 303
    again = browser("anne")
    accounts.change_password(
        app.database.unit_of_work(), name="anne", password="et helt nyt kodeord",
        actor="admin", now=at("2010-01-20 11:00"),
    )  # fmt: skip
    assert again.get("/sekretariat").status_code == 303


def test_after_login_the_user_returns_to_the_page_asked_for_but_never_to_another_site(
    browser: Callable[..., Browser], app: App
) -> None:
    from web_support import add_user

    add_user(app, "anne")
    visitor = browser()
    back = visitor.post(
        "/login", {"name": "anne", "password": "korrekt hest batteri", "naeste": "/udvalg/BIU"}
    )
    assert back.headers["location"] == "/udvalg/BIU"
    other = browser()
    away = other.post(
        "/login",
        {"name": "anne", "password": "korrekt hest batteri", "naeste": "//evil.example/x"},
    )
    assert away.headers["location"] == "/sekretariat"


def test_closing_a_meeting_twice_says_it_is_already_closed(
    scenario: Scenario, browser: Callable[..., Browser]
) -> None:
    meeting = scenario.meeting("BIU", "2010-02-23")
    anne = browser("anne")
    assert anne.post(f"/moeder/{meeting}/luk").status_code == 303
    again = anne.post(f"/moeder/{meeting}/luk")
    assert again.status_code == 400 and "Mødet er allerede lukket." in again.text
