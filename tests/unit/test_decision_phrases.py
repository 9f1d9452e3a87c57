"""The decision-phrase table: reading a decision sentence as a workflow outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from council.cases.importers.phrases import (
    DEFAULT_PHRASES_PATH,
    PhraseTable,
    classify_decision,
    load_phrase_table,
)
from council.config.errors import ConfigError

WORKFLOW_OUTCOMES = {
    "udsat",
    "taget_til_efterretning",
    "godkendt",
    "ikke_godkendt",
    "anbefalet",
    "drøftet",
    "trukket",
}


@pytest.fixture(scope="module")
def table() -> PhraseTable:
    return load_phrase_table(DEFAULT_PHRASES_PATH, known_outcomes=WORKFLOW_OUTCOMES)


def write_table(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "phrases.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_shipped_table_names_every_workflow_outcome_and_nothing_else(
    table: PhraseTable,
) -> None:
    assert table.outcome_codes == WORKFLOW_OUTCOMES


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Indstillingen blev udsat.", "udsat"),
        ("Sagen blev udsat.", "udsat"),
        ("Sagen blev udsat uden behandling.", "udsat"),
        (
            "Behandlingen af indstillingen blev udskudt til et kommende møde i Socialudvalget "
            "i 2026.",
            "udsat",
        ),
        ("Indstillingen blev taget til efterretning.", "taget_til_efterretning"),
        ("Taget til efterretning", "taget_til_efterretning"),
        ("Indstillingen blev taget til efterretning uden afstemning.", "taget_til_efterretning"),
        ("Godkendt.", "godkendt"),
        ("Indstillingen godkendt", "godkendt"),
        ("Indstillingen godkendt\nmed denne bemærkning: Gruppen af unge får adgang.", "godkendt"),
        ("Udvalget tiltrådte indstillingen.", "godkendt"),
        ("Indstillingen blev tiltrådt.", "godkendt"),
        ("Indstillingen blev ikke godkendt.", "ikke_godkendt"),
        ("Indstillingen blev forkastet med 3 stemmer mod 6.", "ikke_godkendt"),
        ("Indstillingen blev anbefalet.", "anbefalet"),
        (
            "Indstillingen blev oversendt med udvalgets anbefaling til Økonomiudvalget og\n"
            "Borgerrepræsentationen uden afstemning.",
            "anbefalet",
        ),
        (
            "Økonomiudvalget besluttede at oversende indstillingen med udvalgets erklæring til "
            "behandling i Borgerrepræsentationen uden afstemning.",
            "anbefalet",
        ),
        ("Indstilles til godkendelse", "anbefalet"),
        ("Sagen blev drøftet.", "drøftet"),
        ("Udvalget drøftede og stillede spørgsmål til forvaltningen.", "drøftet"),
        ("Sagen blev trukket.", "trukket"),
        ("Punktet udgår.", "trukket"),
    ],
)
def test_a_known_decision_sentence_gives_its_outcome(
    table: PhraseTable, text: str, outcome: str
) -> None:
    assert classify_decision(text, table) == outcome


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Ingen bemærkninger.",
        "Udvalget besluttede at holde et temamøde om sagen.",
        "Indstillingen om hjælp til socialt udsatte borgere.",
    ],
)
def test_an_unknown_decision_gives_no_outcome(table: PhraseTable, text: str) -> None:
    assert classify_decision(text, table) is None


def test_the_longest_phrase_wins_so_ikke_godkendt_is_not_read_as_godkendt(
    table: PhraseTable,
) -> None:
    assert classify_decision("Indstillingen blev ikke godkendt.", table) == "ikke_godkendt"
    assert classify_decision("Udvalget kunne ikke tiltræde indstillingen.", table) == (
        "ikke_godkendt"
    )


def test_the_longest_match_wins_whatever_the_order_in_the_table(tmp_path: Path) -> None:
    path = write_table(
        tmp_path,
        '[outcome.ikke_godkendt]\nphrases = ["ikke godkendt"]\n'
        '[outcome.godkendt]\nphrases = ["godkendt"]\n',
    )
    assert classify_decision("Sagen blev ikke godkendt.", load_phrase_table(path)) == (
        "ikke_godkendt"
    )


def test_two_outcomes_matched_at_the_same_length_are_left_unclassified(tmp_path: Path) -> None:
    path = write_table(
        tmp_path,
        '[outcome.godkendt]\nphrases = ["vedtaget"]\n[outcome.udsat]\nphrases = ["udsættes"]\n',
    )
    assert (
        classify_decision("Forslaget vedtaget, resten udsættes.", load_phrase_table(path)) is None
    )


def test_a_trailing_participation_note_does_not_change_the_outcome(table: PhraseTable) -> None:
    text = (
        "Indstillingen blev taget til efterretning.\n"
        "Centerchef Eva Stokbro Jensen deltog under punktets behandling."
    )
    assert classify_decision(text, table) == "taget_til_efterretning"


def test_a_participation_note_before_the_decision_is_skipped(table: PhraseTable) -> None:
    text = "Følgende deltog ikke i behandlingen af punktet: Jens Jensen.\nIndstillingen godkendt."
    assert classify_decision(text, table) == "godkendt"


def test_a_majority_decision_is_not_overturned_by_a_later_dissent(table: PhraseTable) -> None:
    text = (
        "Et flertal i udvalget kunne tiltræde indstillingen i overensstemmelse med Magistratens "
        "anbefaling. Solveig Munk kunne ikke tiltræde indstillingen."
    )
    assert classify_decision(text, table) == "godkendt"


def test_a_rejected_amendment_is_not_the_decision_on_the_item(table: PhraseTable) -> None:
    text = "Ændringsforslaget fra Enhedslisten blev forkastet. Indstillingen blev godkendt."
    assert classify_decision(text, table) == "godkendt"


def test_a_discussion_gives_way_to_a_later_decision(table: PhraseTable) -> None:
    text = (
        "Der var foretræde til sagen, hvorefter udvalget drøftede sagen og stillede spørgsmål "
        "til forvaltningen. Udvalget besluttede herefter at udsætte sagens behandling."
    )
    assert classify_decision(text, table) == "udsat"


@pytest.mark.parametrize(
    "text",
    [
        "Punktet genoptages.",
        "Punktet genoptages. Tidspunkt herfor fastlægges på det ordinære PUK-møde den 8. maj 2013",
        "Punktet blev drøftet. Sagen genoptages på det kommende ordinære møde i udvalget.",
    ],
)
def test_punktet_genoptages_is_not_a_final_outcome(table: PhraseTable, text: str) -> None:
    assert classify_decision(text, table) is None


def test_an_explicit_outcome_beside_genoptages_still_counts(table: PhraseTable) -> None:
    assert classify_decision("Sagen blev udsat og genoptages i maj.", table) == "udsat"


def test_the_shipped_table_reads_the_whole_decision(table: PhraseTable) -> None:
    text = "Udvalget holdt en pause. Der blev serveret kaffe. Indstillingen blev godkendt."
    assert classify_decision(text, table) == "godkendt"


def test_only_the_leading_sentences_are_read_when_the_table_says_so(tmp_path: Path) -> None:
    path = write_table(
        tmp_path, '[matching]\nleading_sentences = 2\n[outcome.godkendt]\nphrases = ["godkendt"]\n'
    )
    text = "Udvalget holdt en pause. Der blev serveret kaffe. Indstillingen blev godkendt."
    assert classify_decision(text, load_phrase_table(path)) is None


def test_a_quoted_remark_is_never_read_as_the_decision(table: PhraseTable) -> None:
    text = (
        "Enhedslisten afgav følgende protokolbemærkning:\n”Vi havde gerne set sagen udsat.\n"
        "Men vi respekterer flertallet.”\nUdvalget ønskede en ny runde."
    )
    assert classify_decision(text, table) is None


def test_a_date_inside_the_sentence_does_not_cut_it(table: PhraseTable) -> None:
    text = "Sagen, der var på mødet den 26. august 2026, blev udsat."
    assert classify_decision(text, table) == "udsat"


def test_matching_ignores_case_and_runs_of_spaces(table: PhraseTable) -> None:
    assert classify_decision("INDSTILLINGEN  BLEV\u00a0TAGET TIL  EFTERRETNING", table) == (
        "taget_til_efterretning"
    )


# ------------------------------------------------------------------------- a bad table


@pytest.mark.parametrize(
    ("body", "entry"),
    [
        ("[outcome.udsat\n", "ikke gyldig TOML"),
        ("[outcome]\n", "no [outcome.<code>] tables"),
        ('[colours]\n[outcome.udsat]\nphrases = ["udsat"]\n', "[colours]"),
        ("[outcome.udsat]\nphrases = []\n", "[outcome.udsat]"),
        (
            '[outcome.udsat]\nphrases = ["udsat", 3]\n',
            "[outcome.udsat]: 'phrases' skal være en liste",
        ),
        ('[outcome.udsat]\nphrases = "udsat"\n', "[outcome.udsat]"),
        (
            '[outcome.udsat]\nphrases = ["  "]\n',
            "[outcome.udsat]: 'phrases[0]' skal være en tekst, der ikke er tom",
        ),
        ('[outcome.udsat]\npatterns = ["udsat ("]\n', "[outcome.udsat]: 'patterns[0]'"),
        ('[outcome.udsat]\nphrase = ["udsat"]\n', "ukendt nøgle 'phrase'; mente du 'phrases'?"),
        ('[outcome.udsat]\nphrases = ["udsat"]\nfallback = "yes"\n', "'fallback'"),
        (
            '[outcome.udsat]\nphrases = ["udsat"]\n[outcome.godkendt]\nphrases = ["udsat"]\n',
            "[outcome.godkendt]: phrase 'udsat' is also listed under [outcome.udsat]",
        ),
        ('[matching]\nleading_sentences = 0\n[outcome.udsat]\nphrases = ["udsat"]\n', "[matching]"),
        ('[notes]\nphrases = [1]\n[outcome.udsat]\nphrases = ["udsat"]\n', "[notes]: 'phrases'"),
    ],
)
def test_a_bad_phrase_file_is_one_config_error_naming_the_file_and_entry(
    tmp_path: Path, body: str, entry: str
) -> None:
    path = write_table(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_phrase_table(path)
    message = str(caught.value)
    assert str(path) in message
    assert entry in message
    assert "\n" not in message


def test_a_missing_phrase_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="filen findes ikke"):
        load_phrase_table(tmp_path / "absent.toml")


def test_an_outcome_that_is_not_a_workflow_state_is_refused(tmp_path: Path) -> None:
    path = write_table(tmp_path, '[outcome.vedtaget]\nphrases = ["vedtaget"]\n')
    with pytest.raises(ConfigError, match=r"\[outcome.vedtaget\]: 'vedtaget' is not a workflow"):
        load_phrase_table(path, known_outcomes=WORKFLOW_OUTCOMES)


def test_a_quotation_closed_before_its_full_stop_ends_where_it_closes(table: PhraseTable) -> None:
    text = "Venstre stillede følgende ændringsforslag:\n”at sagen udsættes”.\nIndstillingen blev godkendt."
    assert classify_decision(text, table) == "godkendt"
