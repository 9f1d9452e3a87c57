"""eDoc agenda publishing XML: Ballerup, Sundheds- og Forebyggelsesudvalget 04.12.2012."""

from __future__ import annotations

import datetime as dt

import pytest
from support import real_file

from council.cases.importers.edoc import parse_edoc
from council.cases.importers.published import COPENHAGEN, PublishedItem, PublishedMeeting

EDOC = "edoc/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_meeting.edoc.xml"
SFU = "Sundheds- og Forebyggelsesudvalget"
DAY = dt.date(2012, 12, 4)


@pytest.fixture(scope="module")
def meeting() -> PublishedMeeting:
    path = real_file(EDOC)
    return parse_edoc(path.read_bytes(), source=path.name, municipality="Ballerup")


def item(meeting: PublishedMeeting, number: int) -> PublishedItem:
    return next(found for found in meeting.items if found.number == number)


def test_the_meeting_is_the_committees_final_minutes_at_13_copenhagen_time(
    meeting: PublishedMeeting,
) -> None:
    assert meeting.committee == SFU
    assert meeting.municipality == "Ballerup"
    assert meeting.starts_at == dt.datetime(2012, 12, 4, 13, 0, tzinfo=COPENHAGEN)
    assert meeting.date == DAY
    assert meeting.status == "minutes"
    assert meeting.status_as_written == "Referat endeligt godkendt"
    assert meeting.place == "Mødecenter C, Lokale 32 på Ballerup Rådhus"
    assert meeting.present[0] == "Lolan Ottesen (A) - formand"
    assert len(meeting.present) == 7
    assert meeting.absent == ()


def test_the_eight_items_come_in_agenda_order_with_titles_and_case_numbers(
    meeting: PublishedMeeting,
) -> None:
    assert [(i.number, i.title, i.case_number) for i in meeting.items] == [
        (1, "Meddelelser", "2011-29298"),
        (2, "Bygningsvedligeholdelse 2013 - anlægsbevilling", "2012-28504"),
        (3, "Kvalitetsstandarder for stof- og alkoholbehandling 2012-2013", "2012-31114"),
        (4, "Takstreduktion på aflastningstilbuddet Torvevej i Skovlunde i 2013", "2012-31673"),
        (5, "KL's opfølgningsproces vedrørende det nære sundhedsvæsen", "2011-29939"),
        (
            6,
            "Prioritering af midler til kronisk syge borgere og hverdagsrehabilitering for ældre",
            "2012-21786",
        ),
        (7, "Etablering af aktivitetscenter på Solvej 6 i Ballerup", "2012-28505"),
        (8, "Evaluering af rygestopkurser", "2010-3082"),
    ]


def test_every_item_is_open_because_the_file_holds_only_the_open_agenda(
    meeting: PublishedMeeting,
) -> None:
    assert not any(found.closed for found in meeting.items)


def test_each_item_has_one_decision_of_the_committee_on_the_meeting_day_verbatim(
    meeting: PublishedMeeting,
) -> None:
    first_lines = {found.number: found.decisions[0].text.split("\n")[0] for found in meeting.items}
    assert first_lines == {
        1: "Taget til efterretning",
        2: "Indstillingen godkendt",
        3: "Indstilles til godkendelse",
        4: "Indstillingen godkendt",
        5: "Indstillingen godkendt",
        6: "Indstillingen godkendt",
        7: "Indstillingen godkendt",
        8: "Taget til efterretning",
    }
    for found in meeting.items:
        (decision,) = found.decisions
        assert (decision.body, decision.date, decision.agenda_number) == (
            SFU,
            DAY,
            str(found.number),
        )
        assert decision.heading == f"{SFU}s beslutning den 04.12.2012 Punkt {found.number}"


def test_the_remark_of_godkendt_med_denne_bemaerkning_is_kept_with_the_decision(
    meeting: PublishedMeeting,
) -> None:
    (decision,) = item(meeting, 7).decisions
    assert decision.text.startswith(
        "Indstillingen godkendt\nmed denne bemærkning:\nGruppen af unge i Ballerup Kommune"
    )
    (remark,) = decision.remarks
    assert remark.kind == "bemærkning"
    assert remark.author is None
    assert remark.text == (
        "Gruppen af unge i Ballerup Kommune også får adgang til at bruge lokalerne på Solvej 6."
    )


def test_indstilles_til_godkendelse_refers_the_case_to_the_body_that_decides_it(
    meeting: PublishedMeeting,
) -> None:
    third = item(meeting, 3)
    assert third.decided_by == "Kommunalbestyrelsen"
    assert third.decisions[0].referred_to == ("Kommunalbestyrelsen",)
    assert item(meeting, 2).decisions[0].referred_to == ()


def test_earlier_treatments_named_in_the_header_are_dated_with_their_own_item_numbers(
    meeting: PublishedMeeting,
) -> None:
    assert [(d.body, d.date, d.agenda_number, d.text) for d in item(meeting, 3).earlier] == [
        ("Kommunalbestyrelsen", dt.date(2012, 1, 30), "5", "")
    ]
    assert [(d.body, d.date, d.agenda_number) for d in item(meeting, 4).earlier] == [
        (SFU, dt.date(2012, 5, 30), "7")
    ]
    assert item(meeting, 1).earlier == ()


def test_attachments_are_read_by_name_with_their_edoc_ids(meeting: PublishedMeeting) -> None:
    assert [(a.name, a.reference) for a in item(meeting, 1).attachments] == [
        ("Redegørelse fra Træning og Aktivitet vedrørende Seniorrådets høringssvar", "2003024508"),
        ("Hvordan udvikler vi det nære sundhedsvæsen sammen?", "2003029241"),
        ("Forebyggelse af ulighed i sundhedsvæsenet", "2003029548"),
    ]
    assert [a.name for a in item(meeting, 5).attachments] == [
        "KL's proces vedrørende det nære sundhedsvæsen",
        "Det nære sundhedsvæsen - KL",
    ]
    assert item(meeting, 8).attachments == ()


def test_the_recommendation_gives_the_administration_and_its_lettered_points(
    meeting: PublishedMeeting,
) -> None:
    second = item(meeting, 2)
    assert second.administration == "Center for Ejendomme"
    assert [point[:40] for point in second.recommendation] == [
        "De foreslåede arbejder for bygningsvedli",
        "Anlægsbevilling på 1.316.000 kr. over pr",
    ]
    assert item(meeting, 8).recommendation == (
        "Evalueringen af rygestopkurser tages til efterretning.",
    )


def test_sections_keep_edocs_headings_in_order(meeting: PublishedMeeting) -> None:
    assert [s.heading for s in item(meeting, 2).sections] == [
        "Sammendrag",
        "Baggrund",
        "Sagsfremstilling",
        "Økonomiske konsekvenser og finansiering",
        "Bilag",
    ]
    assert item(meeting, 2).sections[0].text.startswith("Det årlige bygningssyn er nu afsluttet")


def test_the_item_kind_follows_the_committees_own_agenda_item_type(
    meeting: PublishedMeeting,
) -> None:
    assert (item(meeting, 8).kind, item(meeting, 8).kind_as_written) == (
        "orientering",
        "Til orientering",
    )
    assert item(meeting, 2).kind == "beslutning"
    assert (item(meeting, 5).kind, item(meeting, 5).kind_as_written) == (None, "Til drøftelse")


def test_every_record_names_the_element_it_came_from(meeting: PublishedMeeting) -> None:
    second = item(meeting, 2)
    assert second.provenance.system == "edoc"
    assert second.provenance.file == real_file(EDOC).name
    assert second.provenance.path.startswith("/Meeting/MeetingAgendaTypes/MeetingAgendaType")
    assert second.decisions[0].provenance.path.endswith("/FullText")
    assert second.attachments[0].provenance.path.endswith("/Attachments/Attachment")
