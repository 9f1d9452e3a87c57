"""Searching: Danish stems, ranking, snippets, closed items, the index in step with every
write and rebuilt by --reindex; the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

from finding import draft
from support import Scenario, at

from council.cases import search_index
from council.workflow import item_corrections, services
from council.workflow.read_models.search import SearchHit, search
from council.workflow.services.search import reindex
from council.workflow.visibility import INTERNAL, PUBLIC, Audience


def found(scenario: Scenario, text: str, audience: Audience = PUBLIC) -> list[SearchHit]:
    app = scenario.app
    return search(app.database, app.rulebook, text, audience=audience)


def titles(hits: list[SearchHit]) -> list[str]:
    return [hit.title for hit in hits]


def item_titles(hits: list[SearchHit]) -> list[str]:
    return [hit.title for hit in hits if hit.item_id is not None]


def test_a_word_is_found_in_its_danish_forms_and_the_misspelling_by_its_own(
    scenario: Scenario,
) -> None:
    draft(scenario, "Status på partnerskabsaftale med Dansk Flytningshjælp")
    draft(scenario, "Aftale med Flygtningehjælpen om mentorkurser")

    # the case's title (Flygtningehjælp) and the item's definite form (Flygtningehjælpen),
    # not the misspelt title
    assert set(titles(found(scenario, "flygtningehjælp"))) == {
        "Partnerskabsaftale med Dansk Flygtningehjælp",
        "Aftale med Flygtningehjælpen om mentorkurser",
    }
    assert titles(found(scenario, "Flytningshjælp")) == [
        "Status på partnerskabsaftale med Dansk Flytningshjælp"
    ]
    assert titles(found(scenario, "mentorkurset")) == [
        "Aftale med Flygtningehjælpen om mentorkurser"
    ]


def test_a_case_number_finds_the_case_and_its_items(scenario: Scenario) -> None:
    draft(scenario, "Status på partnerskabsaftale med Dansk Flytningshjælp")
    hits = found(scenario, "2010-4130")
    assert [hit.item_id is None for hit in hits] == [True, False]
    assert hits[0].case_number == "2010-4130"
    assert found(scenario, "4130")  # the number's second part alone, as on both databases


def test_a_hit_in_the_title_ranks_above_a_hit_in_the_text(scenario: Scenario) -> None:
    draft(scenario, "Budget for integrationsområdet", summary="Om boligsociale indsatser. " * 3)
    draft(scenario, "Boligsocial indsats i Tingbjerg")
    assert titles(found(scenario, "boligsocial")) == [
        "Boligsocial indsats i Tingbjerg",
        "Budget for integrationsområdet",
    ]


def test_a_snippet_shows_the_words_found_in_the_text_they_were_found_in(
    scenario: Scenario,
) -> None:
    summary = (
        "Der er indgået partnerskabsaftale om frivilligt integrationsarbejde mellem "
        "Københavns Kommune og Dansk Flygtningehjælp. Målet for antallet af mentorer var 60, "
        "og der blev uddannet 40 mentorer i 2009. "
        + "Resten af teksten handler om noget andet. "
        * 10
    )
    draft(scenario, "Status for 2009", summary=summary)
    [hit] = found(scenario, "mentorerne")
    assert hit.found_in == "punktet"
    assert [f.text for f in hit.snippet if f.found] == ["mentorer", "mentorer"]
    assert "Målet for antallet af mentorer var 60" in hit.snippet_text
    assert hit.snippet_text.endswith("…")


def test_phrases_alternatives_and_left_out_words(scenario: Scenario) -> None:
    draft(scenario, "Dansk Flygtningehjælp: status")
    draft(scenario, "Flygtningehjælp i Dansk Røde Kors")
    assert item_titles(found(scenario, '"dansk flygtningehjælp" -kors')) == [
        "Dansk Flygtningehjælp: status"
    ]
    assert len(found(scenario, "kors or status")) == 2
    assert titles(found(scenario, "flygtningehjælp -status -partnerskabsaftale")) == [
        "Flygtningehjælp i Dansk Røde Kors"
    ]


def test_search_syntax_typed_as_words_is_searched_for_as_words(scenario: Scenario) -> None:
    """A quoted "or" is a word, not an alternative; FTS5's and PostgreSQL's own operators
    (NEAR, *, ^, column filters, &, |, !, <->) find nothing more than the words."""
    draft(scenario, "Kors or status")
    draft(scenario, "Røde Kors")
    draft(scenario, "Status på mentorer")
    assert item_titles(found(scenario, 'kors "or" status')) == ["Kors or status"]
    assert item_titles(found(scenario, '"or"')) == ["Kors or status"]
    both = {"Kors or status", "Røde Kors"}
    assert set(item_titles(found(scenario, "kors"))) == both
    for text in ("kors*", "^kors", "(kors)", "{kors}", "kors:", "!kors", "kors|"):
        assert set(item_titles(found(scenario, text))) == both, text
    assert item_titles(found(scenario, "røde <-> kors")) == ["Røde Kors"]
    assert item_titles(found(scenario, "title:kors")) == []  # "title" is a word here


def test_a_word_is_found_whichever_unicode_form_it_was_written_or_typed_in(
    scenario: Scenario,
) -> None:
    """A Mac writes "å" as a and a ring (NFD), text taken from a PDF often holds the "ﬁ"
    ligature; the reader types neither."""
    decomposed = unicodedata.normalize("NFD", "Boligsocial indsats på Rådhuspladsen")
    assert decomposed != "Boligsocial indsats på Rådhuspladsen"
    draft(scenario, decomposed, summary="Den ﬁnansielle ramme er uændret.")

    assert item_titles(found(scenario, "rådhuspladsen")) == [decomposed]
    assert item_titles(found(scenario, unicodedata.normalize("NFD", "Rådhuspladsen"))) == [
        decomposed
    ]
    [hit] = found(scenario, "finansielle")
    assert [f.text for f in hit.snippet if f.found] == ["finansielle"]


def test_a_closed_item_is_found_only_by_those_who_may_see_it(scenario: Scenario) -> None:
    secret = draft(
        scenario,
        "Personsag om fratrædelse",
        closed=True,
        summary="Medarbejderen fratræder efter aftale om fratrædelsesgodtgørelse.",
        attachments=("Fratrædelsesaftale",),
    )
    meeting = scenario.meeting("BIU", "2010-02-23")
    scenario.present(secret, meeting)
    scenario.decide(secret, "godkendt", text="Fratrædelsen blev godkendt.")

    for word in ("fratrædelse", "fratrædelsesgodtgørelse", "fratrædelsesaftale", "godkendt"):
        assert found(scenario, word) == [], word
    hits = found(scenario, "fratrædelsesgodtgørelse", INTERNAL)
    assert [hit.item_id for hit in hits] == [secret]
    assert hits[0].title == "Personsag om fratrædelse (lukket punkt)"
    assert hits[0].as_record()["closed"] is True
    assert found(scenario, "fratrædelsen", INTERNAL)[0].found_in in {"punktet", "beslutningen"}


def test_the_index_follows_decisions_and_corrections_in_their_own_transactions(
    scenario: Scenario,
) -> None:
    item = draft(scenario, "Status")
    meeting = scenario.meeting("BIU", "2010-02-23")
    scenario.present(item, meeting)
    assert found(scenario, "tiltrådt") == []
    scenario.decide(item, "godkendt", text="Indstillingen blev tiltrådt med bemærkninger.")
    [hit] = found(scenario, "tiltrådt")
    assert hit.found_in == "beslutningen" and hit.item_id == item

    from council.cases import item_texts

    with scenario.app.database.reading() as session:
        sections, _version = item_texts.sections_of(session, item)
    from dataclasses import replace

    item_corrections.correct_sections(
        scenario.uow(),
        item_id=item,
        sections=replace(sections, problem="Boligsociale udfordringer i Tingbjerg."),
        reason="genimport med mere indhold",
        source="test",
        actor="clerk",
        now=at("2010-03-01 09:00"),
    )
    assert [h.item_id for h in found(scenario, "tingbjerg")] == [item]


def test_a_refused_write_leaves_nothing_in_the_index(scenario: Scenario) -> None:
    import pytest

    from council.cases.errors import NotFoundError

    with pytest.raises(NotFoundError):
        services.draft_item(
            scenario.uow(),
            scenario.app.rulebook,
            case_number="2010-4130",
            committee_code="NOPE",
            draft=services.ItemDraft(title="Spøgelsespunkt", kind="beslutning"),
            actor="clerk",
            now=at("2010-01-04 09:00"),
        )
    assert found(scenario, "spøgelsespunkt") == []


def test_reindex_rebuilds_a_lost_index_from_the_records(scenario: Scenario) -> None:
    item = draft(scenario, "Boligsocial indsats", summary="Tingbjerg og Husum.")
    with scenario.app.database.unit_of_work() as uow:
        search_index.rebuild(uow.connection(), parts=[])
        uow.commit()
    assert found(scenario, "tingbjerg") == []

    count = reindex(scenario.app.database.unit_of_work())

    assert count == 2  # the case and the item
    assert [hit.item_id for hit in found(scenario, "tingbjerg")] == [item]
    assert found(scenario, "boligsocial")[0].snippet_text == "Boligsocial indsats"
