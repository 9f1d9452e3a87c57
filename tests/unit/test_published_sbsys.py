"""SBSYS publication XML: Ballerup, KMB IT-udvalget 15.05.2013 (a final agenda)."""

from __future__ import annotations

import datetime as dt

import pytest
from support import real_file

from council.cases.importers.published import COPENHAGEN, PublishedMeeting
from council.cases.importers.sbsys import parse_sbsys

SBSYS = "sbsys/ballerup_kmb-it-udvalget_2013-05-15_meeting.sbsys.xml"


@pytest.fixture(scope="module")
def meeting() -> PublishedMeeting:
    path = real_file(SBSYS)
    return parse_sbsys(path.read_bytes(), source=path.name, municipality="Ballerup")


def test_the_meeting_is_a_final_agenda_from_16_30_to_18_00_with_its_place(
    meeting: PublishedMeeting,
) -> None:
    assert meeting.committee == "KMB IT-udvalget"
    assert meeting.status == "final_agenda"
    assert meeting.status_as_written == "Final"
    assert meeting.starts_at == dt.datetime(2013, 5, 15, 16, 30, tzinfo=COPENHAGEN)
    assert meeting.ends_at == dt.datetime(2013, 5, 15, 18, 0, tzinfo=COPENHAGEN)
    assert meeting.place == "Mødecenter A, Lokale 3 på Ballerup Rådhus"
    assert len(meeting.present) == 11


def test_five_open_items_in_agenda_order(meeting: PublishedMeeting) -> None:
    assert [(i.number, i.title, i.closed) for i in meeting.items] == [
        (1, "Meddelelser", False),
        (
            2,
            "Oplæg til standard it-arbejdsplads for Kommunalbestyrelsens medlemmer i 2014-2018",
            False,
        ),
        (3, "Indførelse af systemet SAPA (Sagsoverblik/Partskontakt)", False),
        (4, "Regler for indkøb af it-udstyr", False),
        (5, "Status på eDagsorden", False),
    ]
    assert all(found.case_number is None for found in meeting.items)


def test_empty_decision_fields_give_no_decision(meeting: PublishedMeeting) -> None:
    assert [found.decisions for found in meeting.items] == [()] * 5


def test_the_tidligere_behandling_reference_is_kept_as_a_dated_earlier_treatment(
    meeting: PublishedMeeting,
) -> None:
    (earlier,) = meeting.items[1].earlier
    assert (earlier.body, earlier.date, earlier.agenda_number, earlier.text) == (
        "KMB IT-udvalget",
        dt.date(2012, 12, 5),
        "3",
        "",
    )
    assert earlier.heading == "KMB IT-udvalget den 5. december 2012 Punkt 3"
    assert [found.earlier for found in meeting.items if found.number != 2] == [()] * 4


def test_the_recommendation_is_read_from_the_html_list(meeting: PublishedMeeting) -> None:
    second = meeting.items[1]
    assert second.administration == "Center for IT og Digitalisering"
    assert second.recommendation == (
        "Gennemførelse af pilottest for KMB IT-udvalgets medlemmer for en standard "
        "it-arbejdsplads for den kommende valgperiode godkendes.",
        "Pilottesten gennemføres fra september til november 2013.",
    )
    assert second.decided_by == "KMB IT-udvalget"


def test_html_fields_become_plain_sections_with_entities_decoded(
    meeting: PublishedMeeting,
) -> None:
    fifth = meeting.items[4]
    assert [s.heading for s in fifth.sections] == [
        "Sammendrag",
        "Baggrund",
        "Sagsfremstilling",
        "Økonomiske konsekvenser og finansiering",
    ]
    assert fifth.sections[0].text == "Orientering om status for eDagsorden."
    assert "<" not in "".join(s.text for s in fifth.sections)


def test_the_enclosure_is_an_attachment_by_name(meeting: PublishedMeeting) -> None:
    assert [(a.name, a.reference) for a in meeting.items[2].attachments] == [
        (
            "Brev fra KL til Kommunalbestyrelsen vedr Monopolbrud",
            "Brev fra KL til Kommunalbestyrelsen vedr Monopolbrud.pdf",
        )
    ]
    assert meeting.items[2].attachments[0].provenance.path.endswith("/Enclosures/Enclosure")
