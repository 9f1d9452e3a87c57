"""Acadre meeting XML and its index: Syddjurs, PUK 20.06.2013, one item over three meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from support import real_file

from council.cases.errors import ImportFormatError
from council.cases.importers.acadre import parse_acadre, parse_acadre_index
from council.cases.importers.published import COPENHAGEN, PublishedMeeting

MEETING = "acadre/syddjurs_puk_2013-06-20_meeting.acadre.xml"
INDEX = "acadre/syddjurs_puk_2013-06-20_meeting.acadre-index.xml"
PUK = "Udvalget for plan, udvikling og kultur (PUK)"


@pytest.fixture(scope="module")
def meeting() -> PublishedMeeting:
    path, index = real_file(MEETING), real_file(INDEX)
    return parse_acadre(
        path.read_bytes(),
        source=path.name,
        index=index.read_bytes(),
        index_source=index.name,
        municipality="Syddjurs",
    )


def test_the_meeting_is_an_extraordinary_puk_meeting_with_minutes(
    meeting: PublishedMeeting,
) -> None:
    assert meeting.committee == PUK
    assert meeting.name == "Ekstraordinært PUK"
    assert meeting.status == "minutes"
    assert meeting.status_as_written == "Referat"
    assert meeting.starts_at == dt.datetime(2013, 6, 20, 10, 30, tzinfo=COPENHAGEN)
    assert meeting.ends_at == dt.datetime(2013, 6, 20, 13, 0, tzinfo=COPENHAGEN)
    assert meeting.place == "Kaløvig Kursuscenter, Præstekravevej 46, Følle Strand, 8410 Rønde"
    assert meeting.present == (
        "Jesper Mathiesen (A)",
        "Ole Bollesen (A)",
        "Niels Viderø (A)",
        "Ole Bjerregaard (V)",
        "Steen Fris (C)",
    )


def test_one_open_item_of_case_12_27845(meeting: PublishedMeeting) -> None:
    (item,) = meeting.items
    assert (item.number, item.title, item.case_number, item.closed) == (
        1,
        "Kulturkommune 2017. Politiske fokusområder",
        "12/27845",
        False,
    )


def test_the_item_carries_three_dated_decisions_from_three_meetings_in_order(
    meeting: PublishedMeeting,
) -> None:
    (item,) = meeting.items
    assert [(d.body, d.date) for d in item.decisions] == [
        (PUK, dt.date(2013, 4, 10)),
        (PUK, dt.date(2013, 4, 24)),
        (PUK, dt.date(2013, 6, 20)),
    ]
    assert item.decisions[0].text.startswith("Der indkaldes til et ekstraordinært møde d. 24.")
    assert item.decisions[1].text == (
        "Punktet genoptages.\nTidspunkt herfor fastlægges på det ordinære PUK-møde den 8. maj 2013"
    )
    assert item.decisions[2].text.startswith("Punktet blev drøftet.\nSagen genoptages")
    assert all(d.agenda_number is None for d in item.decisions)
    assert item.earlier == ()


def test_sections_keep_their_order_and_the_supplementary_one(meeting: PublishedMeeting) -> None:
    (item,) = meeting.items
    assert [s.heading for s in item.sections] == [
        "Resumé",
        "Sagsfremstilling",
        "Økonomi og organisatoriske konsekvenser",
        "Supplerende Sagsfremstilling",
    ]
    assert item.administration == "Direktøren"
    assert item.recommendation == (
        "at Udvalget for Plan, udvikling og kultur påbegynder arbejdet med formulering af mål "
        "og handlinger for KULTURKOMMUNEN 2017.",
    )


def test_the_three_enclosures_are_attachments(meeting: PublishedMeeting) -> None:
    (item,) = meeting.items
    assert [(a.name, a.reference, a.closed) for a in item.attachments] == [
        ("Opsamlingsnotat. Temamøde 20.09.2012", "222359/12", False),
        (
            "Politik for Kultur og Fritid - Lokalt engagement, Godkendt af byrådet 300409",
            "73288/09",
            False,
        ),
        (
            "Kulturkommune 2017 - arbejdsoplæg til Udvalget for Plan, Udvikling og Kultur",
            "58688/13",
            False,
        ),
    ]


def test_the_index_names_the_agenda_and_where_the_meeting_file_lies() -> None:
    index = real_file(INDEX)
    described = parse_acadre_index(index.read_bytes(), source=index.name)
    assert described.agenda_id == "1863"
    assert described.agenda_name == "Referat"
    assert described.committee == PUK
    assert described.meeting_file == "Files_1863_3687982/3687981.XML"


def test_an_index_of_another_agenda_is_refused() -> None:
    path, index = real_file(MEETING), real_file(INDEX)
    other = index.read_bytes().replace(b'sysid="1863"', b'sysid="9999"')
    with pytest.raises(ImportFormatError, match="beskriver dagsorden 9999"):
        parse_acadre(path.read_bytes(), source=path.name, index=other, index_source=index.name)


def test_the_index_alone_is_refused_with_a_pointer_to_the_meeting_file() -> None:
    index = real_file(INDEX)
    with pytest.raises(ImportFormatError, match="er et Acadre-indeks, ikke mødefilen"):
        parse_acadre(index.read_bytes(), source=index.name)
