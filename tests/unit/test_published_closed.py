"""A closed item (lukket punkt) is read as closed in every format that can mark one.

The real files hold only open items, so each test closes one the way its system writes it.
"""

from __future__ import annotations

from support import real_file

from council.cases.importers.acadre import parse_acadre
from council.cases.importers.edoc import parse_edoc
from council.cases.importers.firstagenda import parse_firstagenda
from council.cases.importers.sbsys import parse_sbsys


def test_an_edoc_item_on_the_closed_agenda_is_closed() -> None:
    path = real_file("edoc/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_meeting.edoc.xml")
    data = path.read_bytes().replace(
        "<AgendaType>Åben dagsorden</AgendaType>".encode(),
        b"<AgendaType>Lukket dagsorden</AgendaType>",
        1,
    )
    meeting = parse_edoc(data, source=path.name)
    assert [item.closed for item in meeting.items] == [True] * 8


def test_an_sbsys_item_that_is_not_public_is_closed() -> None:
    path = real_file("sbsys/ballerup_kmb-it-udvalget_2013-05-15_meeting.sbsys.xml")
    data = path.read_bytes().replace(
        b"<IsPublic><![CDATA[True]]></IsPublic>", b"<IsPublic><![CDATA[False]]></IsPublic>", 1
    )
    meeting = parse_sbsys(data, source=path.name)
    assert sum(item.closed for item in meeting.items) == 1


def test_an_acadre_item_with_closed_access_is_closed() -> None:
    path = real_file("acadre/syddjurs_puk_2013-06-20_meeting.acadre.xml")
    open_item = '<field name="accessname">Åben</field><field name="stateName">Afsendt</field>'
    data = path.read_bytes().replace(
        open_item.encode(), open_item.replace("Åben", "Lukket").encode()
    )
    (item,) = parse_acadre(data, source=path.name).items
    assert item.closed
    assert not any(attachment.closed for attachment in item.attachments)


def test_a_firstagenda_item_titled_lukket_punkt_is_closed() -> None:
    path = real_file("firstagenda/aarhus_teknisk-udvalg_2025-10-01_referat.firstagenda.html")
    data = path.read_bytes().replace(
        b'tabindex="0">Eventuelt</h2>', b'tabindex="0">Lukket punkt</h2>', 1
    )
    meeting = parse_firstagenda(data, source=path.name)
    assert [item.number for item in meeting.items if item.closed] == [5]
