"""Parsing agenda items published as plain text in the Copenhagen layout (2010 and 2026)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from council.cases.errors import ImportFormatError
from council.cases.importers.copenhagen_text import (
    MeetingHint,
    ParsedItem,
    meeting_hint_from_filename,
    parse_copenhagen_text,
)
from council.cases.importers.text_items import TextSource, parse_text

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seeds" / "agenda-item-biu-2010-4130.txt"
MEMO = SHARED / "seeds" / "bilag-1-status-memo-ocr.txt"
TEXT_DIR = SHARED / "realdata" / "copenhagen-text"
POSTPONED = TEXT_DIR / "koebenhavn_socialudvalget_2026-08-26_punkt07.txt"
RESUMED = TEXT_DIR / "koebenhavn_socialudvalget_2026-09-16_punkt02.txt"


def read(path: Path) -> str:
    if not path.is_file():
        pytest.skip(f"real input {path} is absent (the shared folder is not next to the project)")
    return path.read_text(encoding="utf-8")


def parse_2026(path: Path) -> ParsedItem:
    text = read(path)
    hint = meeting_hint_from_filename(path.name)
    assert hint is not None
    return parse_copenhagen_text(
        text, source=path.name, default_date=hint.date, default_committee="Socialudvalget"
    )


@pytest.fixture(scope="module")
def seed() -> ParsedItem:
    return parse_copenhagen_text(read(SEED), source=SEED.name)


@pytest.fixture(scope="module")
def postponed() -> ParsedItem:
    return parse_2026(POSTPONED)


@pytest.fixture(scope="module")
def resumed() -> ParsedItem:
    return parse_2026(RESUMED)


# ------------------------------------------------------------------ the 2010 seed item


def test_the_seed_item_is_number_4(seed: ParsedItem) -> None:
    assert seed.number == 4


def test_the_seed_item_keeps_its_misspelt_title(seed: ParsedItem) -> None:
    assert seed.title == "Status på partnerskabsaftale med Dansk Flytningshjælp"
    assert seed.raw_title == "Status på partnerskabsaftale med Dansk Flytningshjælp (2010-4130)"


def test_the_case_number_comes_from_the_brackets_at_the_end_of_the_title(
    seed: ParsedItem,
) -> None:
    assert seed.case_number == "2010-4130"


def test_the_seed_item_names_the_administration_that_recommends_it(seed: ParsedItem) -> None:
    assert seed.administration == "Beskæftigelses- og Integrationsforvaltningen"


def test_the_seed_item_has_one_point_in_its_own_words_without_its_number(
    seed: ParsedItem,
) -> None:
    assert seed.recommendation == (
        "At Beskæftigelses- og Integrationsudvalget tager orienteringen om partnerskabsaftalen "
        "med Dansk Flygtningehjælp til efterretning.",
    )


def test_the_seed_item_has_every_section(seed: ParsedItem) -> None:
    assert seed.summary.startswith("Der er indgået partnerskabsaftale om frivilligt")
    assert seed.summary.endswith("Hermed forelægges status.")
    assert seed.problem.startswith("Socialforvaltningen har indgået partnerskabsaftale")
    assert "\n\nSocialudvalget og Beskæftigelses- og Integrationsudvalget skal 1 gang" in (
        seed.problem
    )
    assert seed.solution.startswith("I perioden 1. august 2008")
    assert "\n\n- 575 brugere ved udgangen af 2009." in seed.solution
    assert seed.solution.endswith("hvor orienteringen blev taget til efterretning.")
    assert seed.economy == "Indstillingen har ingen økonomiske konsekvenser."
    assert seed.next_steps == "Ingen."


def test_the_seed_signatures_lose_the_slash(seed: ParsedItem) -> None:
    assert seed.signatures == ("Morten Binder", "Kaj Ove Christiansen")


def test_the_seed_lists_one_attachment_and_keeps_the_decision_links_apart(
    seed: ParsedItem,
) -> None:
    assert len(seed.attachments) == 1
    assert seed.attachments[0].startswith("Efterretningsnotat vedrørende status på")
    assert len(seed.attachment_links) == 1
    assert seed.attachment_links[0].startswith("Bilag 1: Efterretningsnotat")


def test_the_seed_was_postponed_then_taken_to_note_in_that_order(seed: ParsedItem) -> None:
    assert [(d.outcome, d.date, d.text) for d in seed.decisions] == [
        ("udsat", None, "Indstillingen blev udsat."),
        (
            "taget_til_efterretning",
            dt.date(2010, 2, 23),
            "Indstillingen blev taget til efterretning.",
        ),
    ]


def test_the_dated_decision_names_its_committee_from_the_genitive_heading(
    seed: ParsedItem,
) -> None:
    first, second = seed.decisions
    assert first.committee_name is None
    assert second.committee_name == "Beskæftigelses- og Integrationsudvalget"
    assert second.heading == "Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010"


def test_the_callers_date_is_not_given_to_a_decision_without_a_heading() -> None:
    item = parse_copenhagen_text(
        read(SEED), source=SEED.name, default_date=dt.date(2010, 2, 23), default_committee="X"
    )
    assert (item.decisions[0].date, item.decisions[0].committee_name) == (None, None)


def test_the_seed_has_no_continued_from(seed: ParsedItem) -> None:
    assert seed.continued_from is None


# ------------------------------------------------------------------- the 2026 layout


@pytest.mark.parametrize("path", [POSTPONED, RESUMED], ids=["2026-08-26", "2026-09-16"])
def test_both_2026_items_parse_with_their_point_sections_and_four_attachments(
    path: Path,
) -> None:
    item = parse_2026(path)
    assert item.title == "Magtanvendelsesstatistik 2025"
    assert item.case_number is None
    assert item.administration == "Socialforvaltningen"
    assert item.recommendation == (
        "at Socialudvalget tager opgørelse over indberettede magtanvendelser for 2025 til "
        "efterretning.",
    )
    assert item.summary.startswith("Socialudvalget orienteres med denne sag")
    assert item.problem.startswith("Det fremgår af serviceloven")
    assert "\n\nKategorisering af magtanvendelser for 2025\n\n" in item.solution
    assert item.next_steps == (
        "Socialudvalget får i 2027 en opgørelse over indberettede magtanvendelser for 2026."
    )
    assert item.signatures == ("Katrine Ring", "Eva Stokbro Jensen")
    assert len(item.attachments) == 4
    assert item.attachments[0] == (
        "Introduktion til magtanvendelsesreglerne og de forskellige typer af magtanvendelse"
    )
    assert item.attachments[1] == "Forklaringer på magtanvendelserne i 2025"
    assert len(item.decisions) == 1


def test_the_2026_item_was_postponed_on_its_own_meeting_date(postponed: ParsedItem) -> None:
    (decision,) = postponed.decisions
    assert decision.outcome == "udsat"
    assert decision.date == dt.date(2026, 8, 26)
    assert decision.committee_name == "Socialudvalget"
    assert decision.text.startswith("Behandlingen af indstillingen blev udskudt til et kommende")
    assert postponed.number == 7
    assert postponed.continued_from is None


def test_the_resumed_2026_item_was_taken_to_note_and_continues_from_26_august(
    resumed: ParsedItem,
) -> None:
    (decision,) = resumed.decisions
    assert decision.outcome == "taget_til_efterretning"
    assert decision.date == dt.date(2026, 9, 16)
    assert resumed.number == 2
    assert resumed.continued_from == dt.date(2026, 8, 26)


def test_the_postponement_marker_leaves_the_title_but_stays_in_the_raw_title(
    resumed: ParsedItem,
) -> None:
    assert resumed.title == "Magtanvendelsesstatistik 2025"
    assert (
        resumed.raw_title == "Magtanvendelsesstatistik 2025 (udsat fra mødet den 26. august 2026)"
    )


def test_the_decision_text_keeps_the_participation_note_verbatim(resumed: ParsedItem) -> None:
    lines = resumed.decisions[0].text.split("\n")
    assert lines[0] == "Indstillingen blev taget til efterretning."
    assert lines[1].startswith("Centerchef Eva Stokbro Jensen")
    assert lines[1].endswith("deltog under punktets behandling.")
    assert len(lines) == 2


def test_a_bare_beslutning_has_no_date_when_the_caller_gives_none() -> None:
    item = parse_copenhagen_text(read(POSTPONED), source=POSTPONED.name)
    assert (item.decisions[0].date, item.decisions[0].committee_name) == (None, None)


def test_reading_a_file_takes_the_meeting_date_from_its_name() -> None:
    source = TextSource(RESUMED.name, read(RESUMED))
    item = parse_text(source, committee_name="Socialudvalget")
    assert item.source == RESUMED.name
    assert item.decisions[0].date == dt.date(2026, 9, 16)


def test_a_file_whose_name_and_text_disagree_on_the_number_is_refused() -> None:
    source = TextSource("koebenhavn_socialudvalget_2026-09-16_punkt05.txt", read(RESUMED))
    with pytest.raises(ImportFormatError, match=r"punkt05\.txt: filnavnet siger punkt 5"):
        parse_text(source)


# ------------------------------------------------------------------ the file-name hint


def test_the_file_name_gives_committee_meeting_date_and_item_number() -> None:
    assert meeting_hint_from_filename("koebenhavn_socialudvalget_2026-09-16_punkt02.txt") == (
        MeetingHint("socialudvalget", dt.date(2026, 9, 16), 2)
    )
    assert meeting_hint_from_filename(POSTPONED) == ("socialudvalget", dt.date(2026, 8, 26), 7)


@pytest.mark.parametrize(
    "name",
    [
        "agenda-item-biu-2010-4130.txt",
        "koebenhavn_socialudvalget_2026-02-30_punkt02.txt",
        "koebenhavn_socialudvalget_2026-09-16_punkt02.json",
    ],
)
def test_other_file_names_give_no_hint(name: str) -> None:
    assert meeting_hint_from_filename(name) is None


# ------------------------------------------------------------- layouts in small samples

SAMPLE = """\
12. Ny legeplads (2026-0012345)

Resumé: en kort sag.

Indstilling:

Teknik- og Miljøforvaltningen indstiller, at Teknik- og Miljøudvalget godkender projektet.

Beslutning

Teknik- og Miljøudvalgets beslutning i mødet den 3. marts 2026

Udvalget besluttede at holde et temamøde om sagen.

Borgerrepræsentationens beslutning den 19-03-2026

Indstillingen blev ikke godkendt.
"""


def test_a_sample_reads_inline_points_and_month_name_dates() -> None:
    item = parse_copenhagen_text(SAMPLE, source="sample.txt")
    assert (item.number, item.title, item.case_number) == (12, "Ny legeplads", "2026-0012345")
    assert item.summary == "Resumé: en kort sag."
    assert item.administration == "Teknik- og Miljøforvaltningen"
    assert item.recommendation == ("at Teknik- og Miljøudvalget godkender projektet.",)
    assert [(d.committee_name, d.date, d.outcome) for d in item.decisions] == [
        ("Teknik- og Miljøudvalget", dt.date(2026, 3, 3), None),
        ("Borgerrepræsentationen", dt.date(2026, 3, 19), "ikke_godkendt"),
    ]
    assert item.signatures == ()
    assert item.problem == ""


def test_an_unknown_decision_phrase_gives_no_outcome_but_keeps_the_text() -> None:
    item = parse_copenhagen_text(SAMPLE, source="sample.txt")
    assert item.decisions[0].outcome is None
    assert item.decisions[0].text == "Udvalget besluttede at holde et temamøde om sagen."


def test_an_impossible_decision_date_is_refused_naming_the_source() -> None:
    text = SAMPLE.replace("19-03-2026", "31-02-2026")
    with pytest.raises(ImportFormatError, match=r"^sample\.txt: umulig dato i"):
        parse_copenhagen_text(text, source="sample.txt")


# ------------------------------------------------------------------ not an agenda item


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("", "første linje skal være 'N. Titel', fandt en tom tekst"),
        ("Referat\n\n4. Status", "første linje skal være 'N. Titel', fandt 'Referat'"),
        ("4. Status\n\nProblemstilling\n\nNoget.", "der er intet afsnit 'Indstilling'"),
        (
            "4. Status\n\nIndstilling\n\nForvaltningen indstiller,\n\nProblemstilling",
            "afsnittet 'Indstilling' har ingen 'at ...'-punkter",
        ),
    ],
)
def test_a_text_that_is_not_an_agenda_item_is_refused_in_one_line_naming_the_source(
    text: str, what: str
) -> None:
    with pytest.raises(ImportFormatError) as caught:
        parse_copenhagen_text(text, source="upload-17.txt")
    message = str(caught.value)
    assert message.startswith("upload-17.txt: ikke et dagsordenspunkt i Københavns layout: ")
    assert what in message
    assert "\n" not in message


def test_the_scanned_memo_attachment_is_not_an_agenda_item() -> None:
    with pytest.raises(
        ImportFormatError, match=r"^bilag-1-status-memo-ocr\.txt: ikke et dagsordenspunkt"
    ):
        parse_copenhagen_text(read(MEMO), source=MEMO.name)
