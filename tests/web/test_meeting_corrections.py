"""The calendar corrected on a meeting's page: a new date, a cancellation with its items
moved, an item moved; behind the form token and the user's committees, a stale form
refused in Danish, and every change in the trail and under "Ændringer"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support import Scenario, at
from web_support import Browser, Clock, texts, verified


@pytest.fixture
def calendar(scenario: Scenario) -> dict[str, int]:
    """BIU meeting 1 on 01.01.1999 (a mistake) with items 1 and 2, BIU meeting 2 on
    02.03.2010, SUD meeting 3 on 03.03.2010."""
    mistaken = scenario.meeting("BIU", "1999-01-01")
    later = scenario.meeting("BIU", "2010-03-02")
    other = scenario.meeting("SUD", "2010-03-03")
    first, second = scenario.draft(title="Status"), scenario.draft(title="Budget")
    scenario.present(first, mistaken)
    scenario.present(second, mistaken)
    return {"mistaken": mistaken, "later": later, "other": other, "first": first, "second": second}


def test_the_secretariat_reschedules_cancels_and_moves_on_the_meeting_page(
    scenario: Scenario, calendar: dict[str, int], browser: Callable[..., Browser]
) -> None:
    anne, mistaken, later = browser("anne"), calendar["mistaken"], calendar["later"]
    page = anne.get(f"/moeder/{mistaken}").text
    assert "Flyt mødet" in page and "Aflys mødet" in page and "Flyt punktet" in page
    moved = anne.post(
        f"/moeder/{mistaken}/flyt",
        {"sequence": "0", "date": "23.02.2010", "time": "15:30", "reason": "forkert dato"},
    )
    assert moved.status_code == 303
    shown = texts(anne.get(f"/moeder/{mistaken}").text)
    assert "flyttet fra 01.01.1999 til 23.02.2010 kl. 15.30 — begrundelse: forkert dato" in shown
    item = anne.post(
        f"/moeder/{mistaken}/flyt-punkt",
        {"item": str(calendar["first"]), "version": "2", "meeting": str(later), "reason": ""},
    )
    assert item.status_code == 303
    assert f"punkt-id {calendar['first']} flyttet hertil" in texts(
        anne.get(f"/moeder/{later}").text
    )
    cancelled = anne.post(
        f"/moeder/{mistaken}/aflys",
        {"sequence": "1", "reason": "formanden er syg", "move_to": str(later)},
    )
    assert cancelled.status_code == 303
    shown = texts(anne.get(f"/moeder/{mistaken}").text)
    assert "Aflyst" in shown and "Mødet er aflyst." in shown
    assert "Aflys mødet" not in shown
    assert "Aflyst" in texts(browser().get("/udvalg/BIU").text)
    agenda = texts(anne.get(f"/moeder/{later}").text)
    assert "1. Status" in agenda and "2. Budget" in agenda
    verified(scenario)


def test_a_stale_or_refused_correction_is_told_in_danish_and_saves_nothing(
    calendar: dict[str, int], browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    anne, mistaken = browser("anne"), calendar["mistaken"]
    assert anne.post(
        f"/moeder/{mistaken}/flyt", {"sequence": "0", "date": "23.02.2010", "reason": ""}
    ).status_code == 303  # fmt: skip
    before = snapshot()
    for path, data, said in (
        (
            "flyt",
            {"sequence": "0", "date": "24.02.2010"},
            "er ændret af en anden (flyttet, aflyst eller genåbnet), siden du hentede siden; "
            "intet er gemt.",
        ),
        ("flyt", {"sequence": "1", "date": "31.02.2010"}, "Skriv den nye dato som 23.02.2010"),
        ("aflys", {"sequence": "1", "reason": ""}, "En aflysning kræver en begrundelse"),
        (
            "flyt-punkt",
            {"item": str(calendar["first"]), "version": "1", "meeting": str(calendar["later"])},
            "Punktet er ændret af en anden, siden du hentede siden. Intet er gemt.",
        ),
        (
            "flyt-punkt",
            {"item": str(calendar["first"]), "version": "2", "meeting": str(calendar["other"])},
            "behandling af sagen; et punkt flyttes kun mellem sit eget udvalgs møder",
        ),
    ):
        refused = anne.post(f"/moeder/{mistaken}/{path}", data)
        assert refused.status_code == 400, (path, data)
        assert said in texts(refused.text), texts(refused.text)
    assert snapshot() == before


def test_another_committee_an_auditor_and_a_form_without_its_token_change_nothing(
    calendar: dict[str, int], browser: Callable[..., Browser], snapshot: Callable[[], str]
) -> None:
    mistaken = calendar["mistaken"]
    sofie, rita, anne = browser("sofie"), browser("rita"), browser("anne")
    before = snapshot()
    forms = {
        "flyt": {"sequence": "0", "date": "23.02.2010"},
        "aflys": {"sequence": "0", "reason": "syg"},
        "flyt-punkt": {"item": "1", "version": "2", "meeting": str(calendar["later"])},
    }
    for path, data in forms.items():
        assert sofie.post(f"/moeder/{mistaken}/{path}", data).status_code == 403
        assert rita.post(f"/moeder/{mistaken}/{path}", data).status_code == 403
        forged = anne.post(f"/moeder/{mistaken}/{path}", {**data, "csrf_token": "x"}, token=False)
        assert forged.status_code == 403 and "Formularen kan ikke modtages" in forged.text
    assert "Aflys mødet" not in sofie.get(f"/moeder/{mistaken}").text
    assert snapshot() == before


def test_the_changes_name_the_minutes_approved_and_decisions_corrected_never_a_closed_reason_in_public(
    scenario: Scenario, browser: Callable[..., Browser], clock: Clock
) -> None:
    from council.workflow import services

    held = scenario.meeting("BIU", "2010-01-26")
    budget = scenario.draft("BIU", kind="beslutning", title="Budget")
    closed = services.draft_item(
        scenario.uow(),
        scenario.app.rulebook,
        case_number=scenario.case_number,
        committee_code="BIU",
        draft=services.ItemDraft(
            title="Personsag om hemmelig fratrædelse",
            kind="beslutning",
            closed=True,
            recommendation=("At udvalget godkender fratrædelsen.",),
        ),
        actor="clerk",
        now=at("2010-01-04 09:00"),
    ).id
    assert closed is not None
    for item in (budget, closed):
        scenario.present(item, held)
    scenario.decide(budget, "ikke godkendt")
    scenario.decide(closed, "godkendt", text="Fratrædelsen af medarbejder X godkendes.")
    services.close_meeting(
        scenario.uow(),
        scenario.app.rulebook,
        meeting_ref=str(held),
        actor="clerk",
        now=at("2010-01-26 18:00"),
    )
    clock.now = at("2010-02-10 09:00")
    anne = browser("anne")
    assert anne.post(f"/moeder/{held}/godkend", {"date": "09.02.2010"}).status_code == 303
    for item, reason in ((budget, "fejl ved registreringen"), (closed, "medarbejder X sagen")):
        done = anne.post(
            f"/punkter/{item}/ret-beslutning",
            {
                "outcome": "ikke godkendt" if item == closed else "godkendt",
                "correct_reason": reason,
            },
        )
        assert done.status_code == 303, done.text
    desk = texts(anne.get(f"/moeder/{held}").text)
    changes = desk[desk.index("Ændringer (revisionssporet)") :]
    assert "anne: protokollen godkendt den 09.02.2010" in changes
    assert (
        f"anne: beslutningen på punkt-id {budget} rettet efter protokollens godkendelse "
        "— begrundelse: fejl ved registreringen"
    ) in changes
    assert (
        f"anne: beslutningen på punkt-id {closed} rettet efter protokollens godkendelse "
        "— begrundelse: medarbejder X sagen"
    ) in changes
    assert changes.index("protokollen godkendt") < changes.index(f"punkt-id {budget} rettet")
    public = browser().get(f"/moeder/{held}").text
    assert "Lukket punkt" in public
    for secret in ("medarbejder X", "fratrædelse", "Fratrædelsen", "Ændringer"):
        assert secret not in public
    verified(scenario)
