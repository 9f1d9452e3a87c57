"""The Copenhagen text layout's other forms: member proposals, orientation items without an
Indstilling, decisions that open with attendance, amendments, votes or remarks, headings the
product has no section for, signatures on one line, and the classifier reading the whole
decision (a remark's quoted words never decide)."""

from __future__ import annotations

import pytest

from council.cases.errors import ImportFormatError
from council.cases.importers.copenhagen_text import ParsedItem, parse_copenhagen_text
from council.cases.importers.from_copenhagen_text import published_from_text_item
from council.cases.importers.item_content import item_content

MEMBER_PROPOSAL = """\
7. Medlemsforslag om flere bænke i Fælledparken
Det foreslås, at Borgerrepræsentationen pålægger Kultur-, Fritids- og Borgerserviceudvalget at opstille flere bænke i Fælledparken.
Motivering
Parken er travl, og der er for få steder at sidde.
Beslutning
Forslaget blev oversendt til Kultur-, Fritids- og Borgerserviceudvalget uden afstemning.
"""

MEMBER_PROPOSAL_WITH_POINTS = """\
8. Medlemsforslag om gratis svømning for børn
Indstilling
Det foreslås,
• at Borgerrepræsentationen pålægger forvaltningen at undersøge gratis svømning for børn,
• at resultatet forelægges udvalget.
Motivering
Flere børn skal lære at svømme.
Beslutning
Forslaget blev forkastet.
"""

ORIENTATION = """\
3. Orientering om trafiksikkerhed i 2025
Udvalget orienteres om status for trafiksikkerheden.
Problemstilling
Der har været flere ulykker på Amager.
Søren Wille
/ Peter Højer
Beslutning
Orienteringen blev afholdt.
"""

OPENS_WITH_ATTENDANCE_AND_PARTS = """\
4. Godkendelse af takster for miljøtilsyn
Resumé
Om taksterne.
Indstilling
Klima-, Miljø- og Teknikforvaltningen indstiller,
• at taksten godkendes.
Politisk handlerum
Handlerummet er begrænset.
Økonomi
Ingen konsekvenser.
Per Bennetsen / Katrine Ring
Beslutning
Jens Hansen (A) deltog ikke i behandlingen.
Enhedslisten stillede følgende ændringsforslag: at taksten sænkes.
Ændringsforslaget blev forkastet.
Der blev begæret afstemning om indstillingen.
For stemte: 8 (F, B, A, Ø)
Imod stemte: 3 (C, I)
Undlod at stemme: 0
Indstillingen blev godkendt.
Bilag
Bilag 1. Takstblad
Bilag 2 - Notat om beregningen
"""

REMARK_BEFORE_AN_UNKNOWN_RESULT = """\
5. Godkendelse af plan
Indstilling
Forvaltningen indstiller,
• at planen godkendes.
/Katrine Ring og Henrik Lund
Beslutning
Radikale Venstre afgav følgende protokolbemærkning:
”Vi mener, at planen burde være godkendt for længe siden.”
Udvalget ønskede en ny runde med borgerne.
"""


def parse(text: str) -> ParsedItem:
    return parse_copenhagen_text(text, source="item.txt")


def test_a_member_proposal_reads_det_foreslaas_as_its_one_point_without_an_administration() -> None:
    item = parse(MEMBER_PROPOSAL)
    assert item.administration is None
    assert item.recommendation == (
        "at Borgerrepræsentationen pålægger Kultur-, Fritids- og Borgerserviceudvalget at "
        "opstille flere bænke i Fælledparken.",
    )
    assert item.summary == ""
    assert [d.outcome for d in item.decisions] == ["anbefalet"]


def test_a_member_proposal_under_indstilling_keeps_every_point() -> None:
    item = parse(MEMBER_PROPOSAL_WITH_POINTS)
    assert item.administration is None
    assert item.recommendation == (
        "at Borgerrepræsentationen pålægger forvaltningen at undersøge gratis svømning for børn,",
        "at resultatet forelægges udvalget.",
    )
    assert [d.outcome for d in item.decisions] == ["ikke_godkendt"]


def test_motivering_is_a_section_of_its_own_under_its_heading() -> None:
    item = parse(MEMBER_PROPOSAL)
    assert ("Motivering", "Parken er travl, og der er for få steder at sidde.") in item.sections
    published = published_from_text_item(item, committee="Borgerrepræsentationen", undated=True)
    (only,) = published.items
    assert [s.heading for s in only.sections] == ["Motivering"]


def test_an_orientation_without_indstilling_is_an_orientation_taken_to_note() -> None:
    item = parse(ORIENTATION)
    assert item.recommendation == ()
    assert item.summary == "Udvalget orienteres om status for trafiksikkerheden."
    assert item.signatures == ("Søren Wille", "Peter Højer")
    assert [d.outcome for d in item.decisions] == ["taget_til_efterretning"]
    published = published_from_text_item(item, committee="Teknik- og Miljøudvalget", undated=True)
    assert item_content(published.items[0]).kind == "orientering"


def test_a_decision_that_opens_with_attendance_an_amendment_and_a_vote_is_read_to_its_result() -> (
    None
):
    item = parse(OPENS_WITH_ATTENDANCE_AND_PARTS)
    (decision,) = item.decisions
    assert decision.outcome == "godkendt"
    assert decision.text.startswith("Jens Hansen (A) deltog ikke i behandlingen.")


def test_politisk_handlerum_is_its_own_section_not_part_of_the_last_point() -> None:
    item = parse(OPENS_WITH_ATTENDANCE_AND_PARTS)
    assert item.recommendation == ("at taksten godkendes.",)
    assert [heading for heading, _ in item.sections] == [
        "Resumé",
        "Politisk handlerum",
        "Økonomi",
    ]
    assert ("Politisk handlerum", "Handlerummet er begrænset.") in item.sections
    assert item.economy == "Ingen konsekvenser."
    published = published_from_text_item(item, committee="Borgerrepræsentationen", undated=True)
    headings = [s.heading for s in published.items[0].sections]
    assert headings == ["Resumé", "Politisk handlerum", "Økonomi"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Per Bennetsen / Katrine Ring", ("Per Bennetsen", "Katrine Ring")),
        ("/Katrine Ring og Henrik Lund", ("Katrine Ring", "Henrik Lund")),
        ("/ Lena Kongsbach", ("Lena Kongsbach",)),
    ],
)
def test_signatures_with_a_slash_or_two_names_on_a_line_are_each_a_signature(
    line: str, names: tuple[str, ...]
) -> None:
    text = OPENS_WITH_ATTENDANCE_AND_PARTS.replace("Per Bennetsen / Katrine Ring", line)
    item = parse(text)
    assert item.signatures[-len(names) :] == names
    assert line not in item.economy


def test_bilag_with_a_dash_or_a_full_stop_are_read_alike() -> None:
    item = parse(OPENS_WITH_ATTENDANCE_AND_PARTS)
    assert item.attachments == ("Takstblad", "Notat om beregningen")


def test_a_remarks_quoted_words_never_decide_an_unknown_result_stays_unknown() -> None:
    item = parse(REMARK_BEFORE_AN_UNKNOWN_RESULT)
    assert item.signatures == ("Katrine Ring", "Henrik Lund")
    assert [d.outcome for d in item.decisions] == [None]


def test_the_result_after_a_long_opening_still_counts() -> None:
    opening = "\n".join(f"Borgmester nr. {n} deltog ikke i behandlingen." for n in range(1, 9))
    text = REMARK_BEFORE_AN_UNKNOWN_RESULT.replace(
        "Udvalget ønskede en ny runde med borgerne.",
        f"{opening}\nDer blev stillet spørgsmål til forvaltningen.\nIndstillingen blev udsat.",
    )
    assert [d.outcome for d in parse(text).decisions] == ["udsat"]


def test_a_text_with_neither_indstilling_nor_any_section_is_still_not_an_agenda_item() -> None:
    with pytest.raises(ImportFormatError, match="ikke et dagsordenspunkt"):
        parse("4. Status\nNoget tekst uden overskrifter.")
