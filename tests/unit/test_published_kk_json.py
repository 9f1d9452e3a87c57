"""Copenhagen JSON (Sagsvagt): Økonomiudvalget 11.08.2026 punkt 28, one case, four committees."""

from __future__ import annotations

import datetime as dt

import pytest
from support import real_file

from council.cases.importers.kk_json import parse_kk_json
from council.cases.importers.published import PublishedItem, PublishedMeeting

KK_JSON = "copenhagen-json/koebenhavn_oekonomiudvalget_2026-08-11_punkt28.sagsvagt-kk.json"


@pytest.fixture(scope="module")
def meeting() -> PublishedMeeting:
    path = real_file(KK_JSON)
    return parse_kk_json(path.read_bytes(), source=path.name)


@pytest.fixture(scope="module")
def item(meeting: PublishedMeeting) -> PublishedItem:
    (only,) = meeting.items
    return only


def test_the_meeting_is_oekonomiudvalgets_minutes_of_11_august_2026(
    meeting: PublishedMeeting,
) -> None:
    assert (meeting.municipality, meeting.committee, meeting.date) == (
        "København",
        "Økonomiudvalget",
        dt.date(2026, 8, 11),
    )
    assert (meeting.status, meeting.status_as_written, meeting.starts_at) == (
        "minutes",
        "referat",
        None,
    )


def test_the_item_is_punkt_28(item: PublishedItem) -> None:
    assert (item.number, item.title, item.case_number, item.closed) == (
        28,
        "Københavns Kommunes Kontrolindsats 2025",
        None,
        False,
    )


def test_oversigt_over_politisk_behandling_gives_four_committees_decisions_in_order(
    item: PublishedItem,
) -> None:
    assert [(d.body, d.date, d.text) for d in item.earlier] == [
        (
            "Kultur- og Fritidsudvalget",
            dt.date(2026, 5, 7),
            "Indstillingen blev taget til efterretning uden afstemning.",
        ),
        ("Socialudvalget", dt.date(2026, 5, 13), "Indstillingen blev anbefalet."),
        (
            "Beskæftigelses-, Integrations- og Erhvervsudvalget",
            dt.date(2026, 5, 18),
            "Indstillingen blev oversendt med udvalgets anbefaling til Økonomiudvalget og\n"
            "Borgerrepræsentationen uden afstemning.",
        ),
        (
            "Børne- og Ungdomsudvalget",
            dt.date(2026, 6, 10),
            "Indstillingen blev taget til efterretning.",
        ),
    ]
    assert all(d.agenda_number is None for d in item.earlier)
    assert item.earlier[2].referred_to == ("Økonomiudvalget", "Borgerrepræsentationen")
    assert item.earlier[0].vote is not None and item.earlier[0].vote.without_vote


def test_oekonomiudvalgets_own_decision_sends_the_case_to_borgerrepraesentationen(
    item: PublishedItem,
) -> None:
    (decision,) = item.decisions
    assert (decision.body, decision.date) == ("Økonomiudvalget", dt.date(2026, 8, 11))
    assert decision.heading == "Økonomiudvalgets beslutning i mødet den 11. august 2026"
    assert decision.text == (
        "Økonomiudvalget besluttede at oversende indstillingen med udvalgets erklæring til "
        "behandling i Borgerrepræsentationen uden afstemning."
    )
    assert decision.referred_to == ("Borgerrepræsentationen",)
    assert decision.vote is not None and decision.vote.without_vote


def test_every_heading_is_kept_as_a_section_in_order_and_the_signatures_lifted_out(
    item: PublishedItem,
) -> None:
    assert [s.heading for s in item.sections] == [
        "Resumé",
        "Tidligere beslutninger",
        "Problemstilling",
        "Løsning",
        "Økonomi",
        "Videre proces",
        "Oversigt over politisk behandling",
    ]
    assert item.signatures == ("Henrik Lund", "Mikkel Boje", "Tobias Børner Stax", "Katrine Ring")
    videre = item.sections[5]
    assert videre.text.endswith("af Borgerrepræsentationen den 20. august 2026.")
    assert videre.provenance.path == "/afsnit/6/tekst"


def test_the_recommendation_and_the_attachments(item: PublishedItem) -> None:
    assert item.administration == "Økonomiforvaltningen"
    assert item.recommendation[0].startswith(
        "at Økonomiudvalget oversender sagen til Borgerrepræsentationen med følgende erklæring:"
    )
    assert [a.name for a in item.attachments] == [
        "Bilag 1 - Københavns Kommunes kontrolindsats - rapport",
        "Bilag 2 - Procesoversigt 2026",
    ]
