"""The shipped phrase table on every decision text the real published files hold.

The parsers keep decision texts verbatim; the phrase table classifies them when they are
replayed. Expected outcomes are written out per file from reading it. ``None`` marks wording
the table does not know, and it must stay unknown (flagged for a clerk), never guessed:

* Acadre PUK 10.04.2013 calls an extra meeting; 24.04 and 20.06 say "Punktet genoptages"
  (resumed later, no decision yet).
* FirstAgenda punkt 1 "Ingen bemærkninger." (the last minutes approved without remarks) and
  punkt 4 "Udvalget blev orienteret om ..." (an orientation given; read as taken to note it
  would also swallow "blev orienteret ... og besluttede at udsætte", so it is left out).
* Aarhus Byråd's "Fremsendes til Teknisk Udvalg til behandling ..." hands the case down to
  the committee: a referral (kept as ``referred_to``), not one of the workflow's outcomes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from support import real_file

from council.cases.importers.formats import read_published_file
from council.cases.importers.phrases import PhraseTable, classify_decision, default_phrase_table
from council.cases.importers.published import PublishedDecision, PublishedMeeting

FILES = {
    "edoc": "edoc/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_meeting.edoc.xml",
    "acadre": "acadre/syddjurs_puk_2013-06-20_meeting.acadre.xml",
    "firstagenda": "firstagenda/aarhus_teknisk-udvalg_2025-10-01_referat.firstagenda.html",
    "kk-json": "copenhagen-json/koebenhavn_oekonomiudvalget_2026-08-11_punkt28.sagsvagt-kk.json",
    "text-postponed": "copenhagen-text/koebenhavn_socialudvalget_2026-08-26_punkt07.txt",
    "text-resumed": "copenhagen-text/koebenhavn_socialudvalget_2026-09-16_punkt02.txt",
}
D = dt.date

# (file, item number, "decision" or "earlier", body, date) -> outcome
EXPECTED: dict[tuple[str, int, str, str, dt.date], str | None] = {
    (
        "edoc",
        1,
        "decision",
        "Sundheds- og Forebyggelsesudvalget",
        D(2012, 12, 4),
    ): "taget_til_efterretning",
    ("edoc", 2, "decision", "Sundheds- og Forebyggelsesudvalget", D(2012, 12, 4)): "godkendt",
    ("edoc", 3, "decision", "Sundheds- og Forebyggelsesudvalget", D(2012, 12, 4)): "anbefalet",
    ("edoc", 4, "decision", "Sundheds- og Forebyggelsesudvalget", D(2012, 12, 4)): "godkendt",
    ("edoc", 5, "decision", "Sundheds- og Forebyggelsesudvalget", D(2012, 12, 4)): "godkendt",
    ("edoc", 6, "decision", "Sundheds- og Forebyggelsesudvalget", D(2012, 12, 4)): "godkendt",
    ("edoc", 7, "decision", "Sundheds- og Forebyggelsesudvalget", D(2012, 12, 4)): "godkendt",
    (
        "edoc",
        8,
        "decision",
        "Sundheds- og Forebyggelsesudvalget",
        D(2012, 12, 4),
    ): "taget_til_efterretning",
    ("acadre", 1, "decision", "Udvalget for plan, udvikling og kultur (PUK)", D(2013, 4, 10)): None,
    ("acadre", 1, "decision", "Udvalget for plan, udvikling og kultur (PUK)", D(2013, 4, 24)): None,
    ("acadre", 1, "decision", "Udvalget for plan, udvikling og kultur (PUK)", D(2013, 6, 20)): None,
    ("firstagenda", 1, "decision", "Teknisk Udvalg", D(2025, 10, 1)): None,
    ("firstagenda", 2, "decision", "Teknisk Udvalg", D(2025, 10, 1)): "godkendt",
    ("firstagenda", 2, "earlier", "Magistraten", D(2025, 9, 2)): "anbefalet",
    ("firstagenda", 2, "earlier", "Aarhus Byråd", D(2025, 9, 10)): None,
    ("firstagenda", 2, "earlier", "Teknisk Udvalg", D(2025, 9, 22)): "udsat",
    ("firstagenda", 3, "decision", "Teknisk Udvalg", D(2025, 10, 1)): "udsat",
    ("firstagenda", 3, "earlier", "Magistraten", D(2025, 8, 19)): "anbefalet",
    ("firstagenda", 3, "earlier", "Aarhus Byråd", D(2025, 8, 27)): None,
    ("firstagenda", 3, "earlier", "Teknisk Udvalg", D(2025, 9, 22)): "udsat",
    ("firstagenda", 4, "decision", "Teknisk Udvalg", D(2025, 10, 1)): None,
    ("firstagenda", 5, "decision", "Teknisk Udvalg", D(2025, 10, 1)): "drøftet",
    ("firstagenda", 6, "decision", "Teknisk Udvalg", D(2025, 10, 1)): "udsat",
    ("firstagenda", 6, "earlier", "Magistraten", D(2025, 3, 18)): "anbefalet",
    ("firstagenda", 6, "earlier", "Aarhus Byråd", D(2025, 3, 26)): None,
    ("firstagenda", 6, "earlier", "Teknisk Udvalg", D(2025, 5, 26)): "udsat",
    ("firstagenda", 6, "earlier", "Teknisk Udvalg", D(2025, 8, 11)): "udsat",
    ("kk-json", 28, "decision", "Økonomiudvalget", D(2026, 8, 11)): "anbefalet",
    (
        "kk-json",
        28,
        "earlier",
        "Kultur- og Fritidsudvalget",
        D(2026, 5, 7),
    ): "taget_til_efterretning",
    ("kk-json", 28, "earlier", "Socialudvalget", D(2026, 5, 13)): "anbefalet",
    (
        "kk-json",
        28,
        "earlier",
        "Beskæftigelses-, Integrations- og Erhvervsudvalget",
        D(2026, 5, 18),
    ): "anbefalet",
    (
        "kk-json",
        28,
        "earlier",
        "Børne- og Ungdomsudvalget",
        D(2026, 6, 10),
    ): "taget_til_efterretning",
    ("text-postponed", 7, "decision", "Socialudvalget", D(2026, 8, 26)): "udsat",
    ("text-resumed", 2, "decision", "Socialudvalget", D(2026, 9, 16)): "taget_til_efterretning",
}


@pytest.fixture(scope="module")
def table() -> PhraseTable:
    return default_phrase_table()


def decisions(key: str) -> dict[tuple[str, int, str, str, dt.date], PublishedDecision]:
    meeting: PublishedMeeting = read_published_file(
        real_file(FILES[key]), committee="Socialudvalget"
    )
    found = {}
    for item in meeting.items:
        for where, group in (("decision", item.decisions), ("earlier", item.earlier)):
            for decision in group:
                if not decision.text:  # a treatment named without its decision
                    continue
                assert decision.body is not None and decision.date is not None
                found[(key, item.number, where, decision.body, decision.date)] = decision
    return found


@pytest.mark.parametrize("key", sorted(FILES))
def test_every_decision_text_of_a_real_file_classifies_as_read_by_hand(
    table: PhraseTable, key: str
) -> None:
    found = decisions(key)
    assert set(found) == {k for k in EXPECTED if k[0] == key}
    outcomes = {k: classify_decision(d.text, table) for k, d in found.items()}
    assert outcomes == {k: v for k, v in EXPECTED.items() if k[0] == key}


def test_an_indstilles_til_godkendelse_is_a_recommendation_with_its_receiving_body(
    table: PhraseTable,
) -> None:
    decision = decisions("edoc")[
        ("edoc", 3, "decision", "Sundheds- og Forebyggelsesudvalget", D(2012, 12, 4))
    ]
    assert classify_decision(decision.text, table) == "anbefalet"
    assert decision.referred_to == ("Kommunalbestyrelsen",)


def test_the_sbsys_agenda_has_no_decision_to_classify() -> None:
    meeting = read_published_file(
        real_file("sbsys/ballerup_kmb-it-udvalget_2013-05-15_meeting.sbsys.xml")
    )
    assert [d for item in meeting.items for d in item.decisions] == []
    assert [d.text for item in meeting.items for d in item.earlier] == [""]
