"""FirstAgenda minutes HTML: Aarhus, Teknisk Udvalg 01.10.2025."""

from __future__ import annotations

import datetime as dt

import pytest
from support import real_file

from council.cases.importers.firstagenda import parse_firstagenda
from council.cases.importers.published import COPENHAGEN, PublishedItem, PublishedMeeting

FIRSTAGENDA = "firstagenda/aarhus_teknisk-udvalg_2025-10-01_referat.firstagenda.html"
TU = "Teknisk Udvalg"
DAY = dt.date(2025, 10, 1)


@pytest.fixture(scope="module")
def meeting() -> PublishedMeeting:
    path = real_file(FIRSTAGENDA)
    return parse_firstagenda(path.read_bytes(), source=path.name, municipality="Aarhus")


def item(meeting: PublishedMeeting, number: int) -> PublishedItem:
    return next(found for found in meeting.items if found.number == number)


def test_the_meeting_is_the_committees_minutes_at_15_45(meeting: PublishedMeeting) -> None:
    assert meeting.committee == TU
    assert meeting.status == "minutes"
    assert meeting.status_as_written == "Referat"
    assert meeting.starts_at == dt.datetime(2025, 10, 1, 15, 45, tzinfo=COPENHAGEN)
    assert meeting.place == "Udvalgsværelse 398"


def test_six_items_with_their_case_numbers(meeting: PublishedMeeting) -> None:
    assert [(i.number, i.title, i.case_number, i.closed) for i in meeting.items] == [
        (1, "Referat fra sidste udvalgsmøde", "EMN-2025-010561", False),
        (2, "Udviklingsplan Aarhus Ø - endelig vedtagelse", "EMN-2025-009242", False),
        (
            3,
            "Lokalplan 1221 (tillæg 2 til lokalplan 411) – Erhvervsområde ved Kattrup, "
            "Hasselager-Kolt, med tillæg 1 - Endelig",
            "EMN-2025-008468",
            False,
        ),
        (4, "Forvaltningen orienterer", "EMN-2025-010561", False),
        (5, "Eventuelt", None, False),
        (6, "Måltal for busfremkommelighed, jf. budgetforlig 2023", "EMN-2024-035156", False),
    ]


def test_each_item_has_the_committees_decision_of_the_meeting_day(
    meeting: PublishedMeeting,
) -> None:
    assert {i.number: i.decisions[0].text for i in meeting.items if i.number != 2} == {
        1: "Ingen bemærkninger.",
        3: "Der var foretræde til sagen, hvorefter udvalget drøftede sagen og stillede "
        "spørgsmål til forvaltningen. Udvalget besluttede herefter at udsætte sagens "
        "behandling med henblik på forvaltningens besvarelse af udvalgets spørgsmål.",
        4: "Udvalget blev orienteret om arkitekturugen i uge 41.",
        5: "Udvalget drøftede og stillede spørgsmål til forvaltningen om forlængelse af "
        "forsøget med sommergade i Jægergårdsgade.",
        6: "Sagen blev udsat uden behandling.",
    }
    assert {(d.body, d.date) for i in meeting.items for d in i.decisions} == {(TU, DAY)}


def test_a_majority_decision_keeps_the_named_sides_the_reservation_and_the_absent_member(
    meeting: PublishedMeeting,
) -> None:
    (decision,) = item(meeting, 2).decisions
    assert decision.text.split("\n") == [
        "Et flertal i udvalget kunne tiltræde indstillingen i overensstemmelse med "
        "Magistratens anbefaling.",
        "Jesper Kjeldsen, Steffen Wich, Gert Bjerregaard og Metin Lindved Aydin kunne "
        "tiltræde indstillingen.",
        "Jakob Søgaard Clausen tog forbehold.",
        "Solveig Munk kunne ikke tiltræde indstillingen.",
        "Liv Gro Jensen var forhindret i at deltage i udvalgets behandling af sagen.",
    ]
    assert decision.vote is not None
    assert decision.vote.majority
    assert [(side.side, side.count, side.who) for side in decision.vote.sides] == [
        (
            "for",
            None,
            ("Jesper Kjeldsen", "Steffen Wich", "Gert Bjerregaard", "Metin Lindved Aydin"),
        ),
        ("imod", None, ("Solveig Munk",)),
    ]
    assert [(r.kind, r.author) for r in decision.remarks] == [
        ("forbehold", "Jakob Søgaard Clausen")
    ]
    assert decision.absent == ("Liv Gro Jensen",)


def test_sagsforloeb_gives_the_earlier_bodies_decisions_with_their_own_item_numbers(
    meeting: PublishedMeeting,
) -> None:
    assert [(d.body, d.date, d.agenda_number) for d in item(meeting, 6).earlier] == [
        ("Magistraten", dt.date(2025, 3, 18), "9"),
        ("Aarhus Byråd", dt.date(2025, 3, 26), "14"),
        (TU, dt.date(2025, 5, 26), "6"),
        (TU, dt.date(2025, 8, 11), "3"),
    ]
    magistraten, byraadet, *_ = item(meeting, 6).earlier
    assert magistraten.referred_to == ("Aarhus Byråd",)
    assert byraadet.referred_to == (TU,)
    assert byraadet.text.startswith("Fremsendes til Teknisk Udvalg til behandling")


def test_sagsforloeb_keeps_each_partys_reservation_and_who_did_not_take_part(
    meeting: PublishedMeeting,
) -> None:
    magistraten = item(meeting, 2).earlier[0]
    assert [(r.kind, r.author) for r in magistraten.remarks] == [
        ("forbehold", "Socialistisk Folkeparti"),
        ("forbehold", "Venstre"),
        ("forbehold", "Liberal Alliance"),
    ]
    assert magistraten.absent == ("Thure Hastrup",)
    assert [d.text for d in item(meeting, 3).earlier][-1] == "Sagen blev udsat."


def test_unknown_headings_stay_sections_and_the_recommendation_is_its_points(
    meeting: PublishedMeeting,
) -> None:
    third = item(meeting, 3)
    assert [s.heading for s in third.sections] == [
        None,
        "Resume",
        "Borgmesterens Afdelings påtegning",
    ]
    assert third.recommendation == (
        "Forslag til lokalplan 1221, tillæg 2 til lokalplan nr. 411 – Erhvervsområde ved "
        "Kattrup i Hasselager-Kolt, med tillæg 1, vedtages endeligt.",
    )
    assert [p[:6] for p in item(meeting, 6).recommendation] == ["At 1) ", "At 2) ", "At 3) "]


def test_attachments_are_the_bilag_links_by_name(meeting: PublishedMeeting) -> None:
    assert [a.name for a in item(meeting, 1).attachments] == [
        "Referat fra møde den 22. september 2025"
    ]
    assert len(item(meeting, 2).attachments) == 30
    assert item(meeting, 2).attachments[1].name == (
        "Bilag 1: Udviklingsplan for Pier 3 med omgivelser med bilag og strategier"
    )
    assert item(meeting, 5).attachments == ()
