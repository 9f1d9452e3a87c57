"""The calendar corrected on a meeting's page: a new date, a cancellation with its items
moved, an item moved; behind the form token and the user's committees, a stale form
refused in Danish, and every change in the trail and under "Ændringer"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support import Scenario
from web_support import Browser, texts, verified


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
