"""Hostile and broken input: one clear ImportFormatError line, never a partial result."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import real_file

from council.cases.errors import ImportFormatError
from council.cases.importers.acadre import parse_acadre
from council.cases.importers.edoc import parse_edoc
from council.cases.importers.firstagenda import parse_firstagenda
from council.cases.importers.formats import detect_format, parse_published, read_published_file
from council.cases.importers.kk_json import parse_kk_json
from council.cases.importers.sbsys import parse_sbsys

EDOC = "edoc/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_meeting.edoc.xml"
SBSYS = "sbsys/ballerup_kmb-it-udvalget_2013-05-15_meeting.sbsys.xml"
ACADRE = "acadre/syddjurs_puk_2013-06-20_meeting.acadre.xml"
FIRSTAGENDA = "firstagenda/aarhus_teknisk-udvalg_2025-10-01_referat.firstagenda.html"
KK_JSON = "copenhagen-json/koebenhavn_oekonomiudvalget_2026-08-11_punkt28.sagsvagt-kk.json"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Meeting [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Meeting><Committee>&lol9;</Committee><MeetingDate>04-12-2012 13:00:00</MeetingDate>
<MeetingState>Referat</MeetingState><MeetingAgendaTypes/></Meeting>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Publication [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Publication><PublicationTypeAsEnum>Final</PublicationTypeAsEnum>
<Agendas><Agenda><Name>&secret;</Name></Agenda></Agendas></Publication>
"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE root [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<root><table name="agenda"/></root>
"""


def refusal(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFormatError) as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_billion_laughs_bomb_is_refused_without_expanding_it() -> None:
    message = refusal(parse_edoc, BILLION_LAUGHS, source="bomb.xml")
    assert message.startswith("bomb.xml: erklærer en DTD")
    assert "lollol" not in message


def test_an_external_entity_pointing_at_etc_passwd_is_refused_and_never_read() -> None:
    message = refusal(parse_sbsys, EXTERNAL_ENTITY, source="xxe.xml")
    assert message.startswith("xxe.xml: erklærer en DTD")
    assert "root:" not in message


def test_an_external_parameter_entity_is_refused_without_network_access() -> None:
    assert refusal(parse_acadre, PARAMETER_ENTITY, source="pe.xml").startswith(
        "pe.xml: erklærer en DTD"
    )


def test_detection_hands_a_bomb_to_a_parser_that_refuses_it() -> None:
    assert "erklærer en DTD" in refusal(parse_published, BILLION_LAUGHS, source="m.xml")


@pytest.mark.parametrize(
    ("parse", "data", "expected"),
    [
        (parse_edoc, b"<Meeting><Committee>x</Meeting>", "er ikke velformet XML"),
        (parse_sbsys, b"<Publication><Agendas></Agenda></Publication>", "er ikke velformet XML"),
        (parse_acadre, b"<root><table name='agenda'>", "afskåret"),
        (parse_edoc, b"", "er tom"),
        (parse_edoc, b"<Publication/>", "er ikke en eDoc-fil med en offentliggjort dagsorden"),
        (parse_sbsys, b"<Meeting/>", "er ikke en SBSYS-offentliggørelse"),
        (parse_acadre, b"<Meeting/>", "er ikke en Acadre-mødefil"),
    ],
)
def test_malformed_or_foreign_xml_is_one_clear_line(parse, data: bytes, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert expected in refusal(parse, data, source="bad.xml")


@pytest.mark.parametrize(
    ("relative", "parse", "expected"),
    [
        (EDOC, parse_edoc, "ser afskåret ud"),
        (SBSYS, parse_sbsys, "ser afskåret ud"),
        (ACADRE, parse_acadre, "ser afskåret ud"),
        (FIRSTAGENDA, parse_firstagenda, "slutter før </html>"),
        (KK_JSON, parse_kk_json, "it is cut off"),
    ],
)
def test_a_real_file_cut_in_half_is_refused_as_truncated(
    relative: str, parse, expected: str
) -> None:  # type: ignore[no-untyped-def]
    data = real_file(relative).read_bytes()
    assert expected in refusal(parse, data[: len(data) // 2], source="half")


@pytest.mark.parametrize(
    ("relative", "parse"),
    [
        (EDOC, parse_edoc),
        (SBSYS, parse_sbsys),
        (FIRSTAGENDA, parse_firstagenda),
        (KK_JSON, parse_kk_json),
    ],
)
def test_text_that_is_not_utf8_is_refused_naming_the_byte(relative: str, parse) -> None:  # type: ignore[no-untyped-def]
    text = real_file(relative).read_bytes().decode("utf-8").removeprefix("\ufeff")
    latin1 = text.encode("latin-1", errors="replace")
    message = refusal(parse, latin1, source="latin1")
    assert "er ikke gyldig UTF-8" in message
    assert "ved position" in message


@pytest.mark.parametrize("relative", [EDOC, SBSYS, ACADRE, FIRSTAGENDA, KK_JSON])
def test_a_file_over_the_byte_limit_is_refused_before_it_is_parsed(relative: str) -> None:
    data = real_file(relative).read_bytes()
    message = refusal(parse_published, data, source="big", max_bytes=1000)
    assert f"fylder {len(data):,} byte, mere end de 1,000 byte" in message


def test_read_published_file_stops_reading_at_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<Meeting>" + b" " * 5000 + b"</Meeting>")
    assert "mere end de 100 byte" in refusal(read_published_file, big, max_bytes=100)


def test_a_directory_is_not_a_file_to_import(tmp_path: Path) -> None:
    assert "er ikke en almindelig fil" in refusal(read_published_file, tmp_path)


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3"),
        ("logo.png", b"\x89PNG\r\n\x1a\n"),
        ("other.xml", b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>'),
        ("data.json", b'{"name": "not an agenda item"}'),
        ("notes.txt", b"Just some notes\nabout nothing.\n"),
        ("empty.txt", b""),
    ],
)
def test_a_file_of_no_known_format_is_refused_by_detection(name: str, head: bytes) -> None:
    message = refusal(detect_format, name, head)
    assert message.startswith(f"{name}: er ingen af de formater, importen læser")


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        (EDOC, "edoc"),
        (SBSYS, "sbsys"),
        (ACADRE, "acadre"),
        (FIRSTAGENDA, "firstagenda"),
        (KK_JSON, "kk-json"),
        ("copenhagen-text/koebenhavn_socialudvalget_2026-08-26_punkt07.txt", "text"),
    ],
)
def test_each_real_file_is_detected_from_its_name_and_first_bytes(
    relative: str, expected: str
) -> None:
    path = real_file(relative)
    assert detect_format(path.name, path.read_bytes()[:4096]) == expected


def test_an_acadre_index_is_recognised_and_pointed_to_its_meeting_file() -> None:
    path = real_file("acadre/syddjurs_puk_2013-06-20_meeting.acadre-index.xml")
    assert "angiv møde-XML'en" in refusal(read_published_file, path)


def test_edocs_page_break_references_read_as_line_breaks_not_as_an_error() -> None:
    data = (
        b"<Meeting><Committee>Udvalget</Committee><MeetingDate>04-12-2012 13:00:00</MeetingDate>"
        b"<MeetingState>Referat</MeetingState><MeetingAgendaTypes><MeetingAgendaType>"
        b"<AgendaType>\xc3\x85ben dagsorden</AgendaType><FullText>forside&#xC;side 2</FullText>"
        b"</MeetingAgendaType></MeetingAgendaTypes></Meeting>"
    )
    meeting = parse_edoc(data, source="ff.xml")
    assert (meeting.committee, meeting.items) == ("Udvalget", ())
