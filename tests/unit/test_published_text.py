"""The plain-text Copenhagen layout stated in the neutral shape (the seed and kk.dk 2026)."""

from __future__ import annotations

import datetime as dt

import pytest
from support import SHARED, real_file

from council.cases.errors import ImportFormatError
from council.cases.importers.copenhagen_text import parse_copenhagen_text
from council.cases.importers.formats import read_published_file
from council.cases.importers.from_copenhagen_text import published_from_text_item

POSTPONED = "copenhagen-text/koebenhavn_socialudvalget_2026-08-26_punkt07.txt"
RESUMED = "copenhagen-text/koebenhavn_socialudvalget_2026-09-16_punkt02.txt"
BIU = "Beskæftigelses- og Integrationsudvalget"


def seed_text() -> tuple[str, str]:
    path = SHARED / "seeds" / "agenda-item-biu-2010-4130.txt"
    if not path.is_file():
        pytest.skip(f"the seed {path} is absent (the shared folder is not beside the project)")
    return path.name, path.read_text(encoding="utf-8")


def test_the_seed_becomes_biu_meeting_of_23_february_2010_with_both_decisions() -> None:
    name, text = seed_text()
    meeting = published_from_text_item(parse_copenhagen_text(text, source=name))
    assert (meeting.municipality, meeting.committee, meeting.date, meeting.status) == (
        "København",
        BIU,
        dt.date(2010, 2, 23),
        "minutes",
    )
    (item,) = meeting.items
    assert (item.number, item.title, item.case_number) == (
        4,
        "Status på partnerskabsaftale med Dansk Flytningshjælp",
        "2010-4130",
    )
    assert [(d.body, d.date, d.text) for d in item.decisions] == [
        (None, None, "Indstillingen blev udsat."),
        (BIU, dt.date(2010, 2, 23), "Indstillingen blev taget til efterretning."),
    ]
    assert item.administration == "Beskæftigelses- og Integrationsforvaltningen"
    assert item.signatures == ("Morten Binder", "Kaj Ove Christiansen")
    assert [s.heading for s in item.sections] == [
        "Resumé",
        "Problemstilling",
        "Løsning",
        "Økonomi",
        "Videre proces",
    ]
    assert len(item.attachments) == 2
    assert item.decisions[1].provenance.system == "text"
    assert item.decisions[1].provenance.path == "item/decision[2]"


def test_the_postponed_2026_item_is_socialudvalgets_meeting_of_its_file_name() -> None:
    meeting = read_published_file(real_file(POSTPONED), committee="Socialudvalget")
    (item,) = meeting.items
    assert (meeting.committee, meeting.date, item.number) == (
        "Socialudvalget",
        dt.date(2026, 8, 26),
        7,
    )
    (decision,) = item.decisions
    assert decision.text == (
        "Behandlingen af indstillingen blev udskudt til et kommende møde i Socialudvalget i 2026."
    )
    assert (decision.body, decision.date, decision.heading) == (
        "Socialudvalget",
        dt.date(2026, 8, 26),
        "Beslutning",
    )
    assert item.signatures == ("Katrine Ring", "Eva Stokbro Jensen")


def test_the_resumed_item_says_which_meeting_postponed_it() -> None:
    meeting = read_published_file(real_file(RESUMED), committee="Socialudvalget")
    (item,) = meeting.items
    assert item.continued_from == dt.date(2026, 8, 26)
    assert item.decisions[0].text.startswith("Indstillingen blev taget til efterretning.\n")
    assert meeting.date == dt.date(2026, 9, 16)


def test_a_text_item_whose_meeting_cannot_be_named_is_refused() -> None:
    text = (
        "7. Et punkt\nIndstilling\nForvaltningen indstiller,\n• at noget godkendes.\n"
        "Anne Jensen\n/ Bo Hansen\n"
    )
    item = parse_copenhagen_text(text, source="punkt.txt")
    with pytest.raises(ImportFormatError, match=r"punkt\.txt: angiver hverken mødets"):
        published_from_text_item(item)
