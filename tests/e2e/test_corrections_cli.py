"""Corrections that leave a trail, through the ``council`` command: the committee's approval
of a meeting's minutes, and a wrongly recorded decision corrected before and after it.

Every refusal is one Danish line on stderr, a non-zero exit, and the database as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "clerk")


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


def refused(result: CliResult, message: str) -> None:
    """Exit non-zero, one line on stderr naming ``message``, no traceback."""
    assert result.code != 0, result.out
    assert "Traceback" not in result.err
    assert result.err.startswith("fejl: "), result.err
    assert result.err.count("\n") == 1, result.err
    assert message in result.err, result.err


@pytest.fixture
def day(council: Council) -> Council:
    """BIU meets on 23.02.2010 (meeting 1) and 09.03.2010 (meeting 2). Item 1 (beslutning)
    was recorded "ikke godkendt" at meeting 1, which is held; item 2 (orientering) is
    before meeting 2, undecided; item 3 (beslutning, closed) was approved at meeting 1."""
    steps = [
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-03-09", *A),
        (
            "item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title",
            "Partnerskabsaftale", "--kind", "beslutning", "--point", "at godkende aftalen", *A,
        ),
        (
            "item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title",
            "Status på aftalen", "--kind", "orientering", *A,
        ),
        (
            "item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title",
            "Personsag", "--kind", "beslutning", "--closed", *A,
        ),
        ("item", "present", "1", "--meeting", "1", *A),
        ("item", "present", "3", "--meeting", "1", *A),
        ("item", "present", "2", "--meeting", "2", *A),
        ("item", "decide", "1", "ikke godkendt", *A),
        ("item", "decide", "3", "godkendt", *A),
        ("meeting", "close", "1", *A),
    ]  # fmt: skip
    for step in steps:
        ok(council(*step))
    return council


# ------------------------------------------------------------------ meeting approve


def test_approving_the_minutes_is_shown_in_the_meeting_and_the_minutes(day: Council) -> None:
    said = ok(day("meeting", "approve", "1", "--at", "2010-03-09", *A)).out
    assert "protokollen godkendt den 9. marts 2010" in said
    assert "Protokollen godkendt den 9. marts 2010" in ok(day("meeting", "show", "1")).out
    minutes = ok(day("render", "minutes", "1")).out
    assert "Protokollen godkendt den 9. marts 2010" in minutes
    html = ok(day("render", "minutes", "1", "--format", "html")).out
    assert '<p class="approved">Protokollen godkendt den 9. marts 2010</p>' in html
    assert "Protokollen godkendt" not in ok(day("render", "agenda", "1")).out
    ok(day("audit", "verify"))


APPROVALS_REFUSED = [
    ("an unheld meeting", ("meeting", "approve", "2"), "møde 2 er ikke afholdt"),
    (
        "a day before the meeting",
        ("meeting", "approve", "1", "--at", "2010-02-22"),
        "protokollen kan ikke godkendes den 22. februar 2010, før mødet",
    ),
    (
        "a day that has not come",
        ("meeting", "approve", "1", "--at", "2199-01-01"),
        "protokollen kan ikke godkendes den 1. januar 2199, som ligger efter i dag",
    ),
    ("an unknown meeting", ("meeting", "approve", "9"), "ukendt møde '9'"),
    (
        "a date that is none",
        ("meeting", "approve", "1", "--at", "2010-02-30"),
        "godkendelsesdatoen",
    ),
]


@pytest.mark.parametrize(
    ("what", "args", "message"), APPROVALS_REFUSED, ids=[c[0] for c in APPROVALS_REFUSED]
)
def test_an_approval_that_cannot_be_is_one_line_and_changes_nothing(
    day: Council, snapshot: Callable[[], str], what: str, args: tuple[str, ...], message: str
) -> None:
    before = snapshot()
    refused(day(*args, *A), message)
    assert snapshot() == before, what


def test_the_minutes_are_approved_once(day: Council, snapshot: Callable[[], str]) -> None:
    ok(day("meeting", "approve", "1", "--at", "2010-03-09", *A))
    before = snapshot()
    refused(
        day("meeting", "approve", "1", *A),
        "protokollen for møde 1 blev godkendt den 9. marts 2010; den godkendes kun én gang",
    )
    assert snapshot() == before


def test_a_reopened_meeting_s_approval_lapses_and_its_minutes_are_approved_anew(
    day: Council,
) -> None:
    ok(day("meeting", "approve", "1", "--at", "2010-03-09", *A))
    ok(day("meeting", "reopen", "1", "--reason", "Et punkt blev glemt", *A))
    assert "Protokollen godkendt" not in ok(day("meeting", "show", "1")).out
    ok(day("meeting", "close", "1", *A))
    ok(day("meeting", "approve", "1", "--at", "2010-03-23", *A))
    assert "Protokollen godkendt den 23. marts 2010" in ok(day("meeting", "show", "1")).out
    assert ok(day("audit", "verify")).out.startswith("revisionssporet er kontrolleret")


# ------------------------------------------------------------------ decision correct


def test_a_decision_corrected_before_approval_moves_the_item_and_keeps_the_original(
    day: Council,
) -> None:
    said = ok(
        day("decision", "correct", "1", "--to", "godkendt", "--reason", "Fejlregistreret", *A)
    ).out
    assert "beslutningen rettet fra Ikke godkendt til Godkendt" in said
    assert "status: Godkendt" in ok(day("item", "show", "1")).out
    minutes = ok(day("render", "minutes", "1")).out
    assert "\nIndstillingen blev godkendt.\n" in minutes
    assert (
        "beslutningen var registreret som «Indstillingen blev ikke godkendt.» og er rettet "
        "til «Indstillingen blev godkendt.»; begrundelse: Fejlregistreret" in minutes
    )
    rows = json.loads(ok(day("history", "2010-4130", "--json")).out)
    decided = [r for r in rows if r["item"] == 1 and r["trigger"] != "present"]
    assert [(r["trigger"], r["outcome"], r["text"]) for r in decided] == [
        ("reject", "ikke_godkendt", "Indstillingen blev ikke godkendt."),
        ("correct", "godkendt", "Indstillingen blev godkendt."),
    ]
    assert decided[0]["correction"] is None
    assert decided[1]["correction"] == {
        "subject": "decision",
        "reason": "Fejlregistreret",
        "minutes_approved": False,
        "before": {
            "outcome": "ikke_godkendt",
            "to_state": "ikke_godkendt",
            "text": "Indstillingen blev ikke godkendt.",
        },
        "after": {
            "outcome": "godkendt",
            "to_state": "godkendt",
            "text": "Indstillingen blev godkendt.",
        },
    }
    table = ok(day("history", "2010-4130")).out
    assert "Rettelse: Ikke godkendt → Godkendt" in table and "Rettet den " in table
    ok(day("audit", "verify"))


def test_item_show_prints_a_corrected_decision_with_its_note_as_the_minutes_do(
    day: Council,
) -> None:
    ok(day("decision", "correct", "1", "--to", "godkendt", "--reason", "Fejlregistreret", *A))
    ok(day("item", "edit", "1", "--title", "Partnerskabsaftalen", "--reason", "Kort titel", *A))
    shown = ok(day("item", "show", "1")).out
    lines = shown.splitlines()
    decision = lines.index("Indstillingen blev godkendt.")
    note = lines[decision + 1]
    assert note.startswith("Rettet den ") and note.endswith(
        ": beslutningen var registreret som «Indstillingen blev ikke godkendt.» og er rettet "
        "til «Indstillingen blev godkendt.»; begrundelse: Fejlregistreret"
    )
    assert lines[-1].startswith("Rettet den ") and lines[-1].endswith(
        ": titlen er rettet efter den endelige beslutning (ny titel: «Partnerskabsaftalen»); "
        "begrundelse: Kort titel"
    )
    ok(day("decision", "correct", "3", "--to", "ikke godkendt", "--reason", "Fejl", *A))
    assert "Rettet den" not in ok(day("item", "show", "3")).out  # a closed item, withheld
    assert "begrundelse: Fejl" in ok(day("item", "show", "3", "--internal")).out


def test_after_approval_the_minutes_keep_the_approved_text_and_say_what_it_became(
    day: Council,
) -> None:
    ok(day("meeting", "approve", "1", "--at", "2010-03-09", *A))
    said = ok(
        day(
            "decision", "correct", "1", "--to", "godkendt", "--text",
            "Indstillingen blev godkendt med 6 stemmer mod 3.", "--reason",
            "Protokollen blev godkendt med en fejl", *A,
        )
    ).out  # fmt: skip
    assert "protokollen blev godkendt den 9. marts 2010 med den tidligere tekst" in said
    minutes = ok(day("render", "minutes", "1")).out
    assert "\nIndstillingen blev ikke godkendt.\n" in minutes
    assert (
        "protokollen blev godkendt med teksten «Indstillingen blev ikke godkendt.», og "
        "beslutningen er rettet til «Indstillingen blev godkendt med 6 stemmer mod 3.»" in minutes
    )
    rows = json.loads(ok(day("history", "2010-4130", "--json")).out)
    assert rows[-1]["correction"]["minutes_approved"] is True
    ok(day("audit", "verify"))


def test_a_correction_to_a_carry_over_outcome_offers_the_item_to_the_next_meeting(
    day: Council,
) -> None:
    ok(day("decision", "correct", "1", "--to", "udsat", "--reason", "Punktet blev udsat", *A))
    assert "udsat" in ok(day("meeting", "show", "2")).out
    ok(day("item", "present", "1", "--meeting", "2", *A))
    refused(
        day("decision", "correct", "1", "--to", "godkendt", "--reason", "x", *A),
        "punkt-id 1 er 'forelagt' siden beslutningen",
    )
    ok(day("audit", "verify"))


def test_a_closed_items_correction_is_kept_out_of_public_output(day: Council) -> None:
    said = ok(
        day("decision", "correct", "3", "--to", "ikke godkendt", "--reason", "Hemmelig", *A)
    ).out
    assert "Personsag" not in said and "lukket punkt" in said
    for args in (("history", "2010-4130", "--json"), ("render", "minutes", "1")):
        assert "Hemmelig" not in ok(day(*args)).out
    assert "Hemmelig" in ok(day("history", "2010-4130", "--json", "--internal")).out


def test_meeting_show_lists_the_approval_and_corrections_a_closed_items_reason_internally(
    day: Council,
) -> None:
    ok(day("meeting", "approve", "1", "--at", "2010-03-09", *A))
    ok(day("decision", "correct", "1", "--to", "godkendt", "--reason", "tastefejl", *A))
    ok(day("decision", "correct", "3", "--to", "ikke godkendt", "--reason", "Hemmelig", *A))
    public = ok(day("meeting", "show", "1")).out
    changes = public[public.index("Ændringer") :]
    assert "protokollen godkendt den 09.03.2010" in changes
    assert "beslutningen på punkt-id 1 rettet efter protokollens godkendelse" in changes
    assert "tastefejl" in changes
    assert "beslutningen på punkt-id 3 rettet efter protokollens godkendelse" in changes
    assert "Hemmelig" not in public and "Personsag" not in public
    assert "Hemmelig" in ok(day("meeting", "show", "1", "--internal")).out


CORRECTIONS_REFUSED = [
    ("no reason", ("1", "--to", "godkendt"), "en rettelse skal have en begrundelse"),
    ("an empty reason", ("1", "--to", "godkendt", "--reason", "  "), "skal have en begrundelse"),
    (
        "a reason with a control character",
        ("1", "--to", "godkendt", "--reason", "fejl\x1b[2J"),
        "begrundelsen indeholder et usynligt tegn",
    ),
    ("an item without a decision", ("2", "--to", "godkendt", "--reason", "x"), "ingen beslutning"),
    (
        "an unknown outcome",
        ("1", "--to", "vedtaget", "--reason", "x"),
        "'vedtaget' er ikke et udfald",
    ),
    (
        "the outcome it has",
        ("1", "--to", "ikke godkendt", "--reason", "x"),
        "er allerede 'ikke godkendt' med den tekst; intet at rette",
    ),
    (
        "an outcome the item's kind does not allow",
        ("1", "--to", "taget til efterretning", "--reason", "x"),
        "reglen 'is_orientation_item'",
    ),
    (
        "a state that is no decision",
        ("1", "--to", "kladde", "--reason", "x"),
        "kan ikke rettes til 'kladde'",
    ),
    (
        "an outcome that refers the case on",
        ("1", "--to", "anbefalet", "--reason", "x"),
        "'anbefalet' sender sagen videre",
    ),
    ("an empty text", ("1", "--to", "godkendt", "--reason", "x", "--text", " "), "--text er tom"),
    ("an unknown item", ("99", "--to", "godkendt", "--reason", "x"), "punkt-id 99"),
    (
        "a stale version",
        ("1", "--to", "godkendt", "--reason", "x", "--expect-version", "2"),
        "punkt-id 1",
    ),
]


@pytest.mark.parametrize(
    ("what", "args", "message"), CORRECTIONS_REFUSED, ids=[c[0] for c in CORRECTIONS_REFUSED]
)
def test_a_correction_that_cannot_be_is_one_line_and_changes_nothing(
    day: Council, snapshot: Callable[[], str], what: str, args: tuple[str, ...], message: str
) -> None:
    before = snapshot()
    refused(day("decision", "correct", *args, *A), message)
    assert snapshot() == before, what


# ------------------------------------------------------------------ item edit


def test_an_undecided_item_is_edited_freely_and_audited(day: Council) -> None:
    said = ok(
        day(
            "item", "edit", "2", "--title", "Status på partnerskabsaftalen", "--summary",
            "Ny resumé", "--point", "at tage orienteringen til efterretning", *A,
        )
    ).out  # fmt: skip
    assert (
        "punkt-id 2 (Status på partnerskabsaftalen) redigeret: titel, resumé, indstilling" in said
    )
    agenda = ok(day("render", "agenda", "2")).out
    assert "Status på partnerskabsaftalen (2010-4130)" in agenda and "Ny resumé" in agenda
    assert "Rettet den" not in agenda  # an edit before the decision is no correction
    ok(day("item", "edit", "2", "--kind", "beslutning", *A))
    ok(day("audit", "verify"))


def test_after_the_final_decision_an_edit_is_a_correction_in_history_and_minutes(
    day: Council,
) -> None:
    ok(
        day(
            "item", "edit", "1", "--title", "Partnerskabsaftale med Dansk Flygtningehjælp",
            "--reason", "Titlen manglede aftalepartneren", *A,
        )
    )  # fmt: skip
    minutes = ok(day("render", "minutes", "1")).out
    assert "1. Partnerskabsaftale med Dansk Flygtningehjælp (2010-4130)" in minutes
    assert (
        "titlen er rettet efter den endelige beslutning (ny titel: «Partnerskabsaftale med "
        "Dansk Flygtningehjælp»); begrundelse: Titlen manglede aftalepartneren" in minutes
    )
    rows = json.loads(ok(day("history", "2010-4130", "--json")).out)
    edit = rows[-1]
    assert edit["trigger"] == "edit" and edit["correction"]["subject"] == "item"
    assert edit["correction"]["before"] == {"title": "Partnerskabsaftale", "state": "ikke_godkendt"}
    assert "Rettelse af punktet (Ikke godkendt)" in ok(day("history", "2010-4130")).out
    ok(day("audit", "verify"))


def test_closing_an_item_takes_it_out_of_every_public_output_and_opening_brings_it_back(
    day: Council,
) -> None:
    ok(day("item", "edit", "2", "--title", "Flygtningehjælpens mentorforløb", *A))
    assert "Flygtningehjælpens" in ok(day("search", "mentorforløb")).out
    ok(day("item", "edit", "2", "--closed", *A))
    public = [
        ("search", "mentorforløb"),
        ("search", "mentorforløb", "--json"),
        ("item", "list"),
        ("item", "list", "--json"),
        ("meeting", "show", "2"),
        ("render", "agenda", "2"),
        ("render", "agenda", "2", "--format", "html"),
        ("history", "2010-4130", "--json"),
        ("history", "2010-4130", "--csv"),
        ("case", "show", "2010-4130"),
    ]
    for args in public:
        assert "Flygtningehjælpens" not in ok(day(*args)).out, args
    assert "Flygtningehjælpens" in ok(day("search", "mentorforløb", "--internal")).out
    ok(day("item", "edit", "2", "--open", *A))
    assert "Flygtningehjælpens" in ok(day("search", "mentorforløb")).out
    assert "Flygtningehjælpens" in ok(day("render", "agenda", "2")).out
    ok(day("audit", "verify"))


EDITS_REFUSED = [
    ("nothing given", ("2",), "intet at rette: giv mindst én af --title"),
    ("what it already says", ("2", "--title", "Status på aftalen"), "siger allerede det"),
    ("an empty title", ("2", "--title", "  "), "--title er tom"),
    ("a title with a control character", ("2", "--title", "a\u202eb"), "usynligt tegn"),
    ("an unknown kind", ("2", "--kind", "lovforslag"), "typen 'lovforslag' findes ikke"),
    (
        "a final decision without a reason",
        ("1", "--title", "Ny titel"),
        "punkt-id 1 har en endelig beslutning ('ikke godkendt'); ret det kun med --reason",
    ),
    (
        "the kind after a decision",
        ("1", "--kind", "orientering", "--reason", "x"),
        "typen af punkt-id 1 kan ikke ændres",
    ),
    ("an unknown item", ("99", "--title", "x"), "punkt-id 99"),
    ("a stale version", ("2", "--title", "x", "--expect-version", "1"), "punkt-id 2"),
]


@pytest.mark.parametrize(
    ("what", "args", "message"), EDITS_REFUSED, ids=[c[0] for c in EDITS_REFUSED]
)
def test_an_edit_that_cannot_be_is_one_line_and_changes_nothing(
    day: Council, snapshot: Callable[[], str], what: str, args: tuple[str, ...], message: str
) -> None:
    before = snapshot()
    refused(day("item", "edit", *args, *A), message)
    assert snapshot() == before, what


# ------------------------------------------------------------------ item withdraw


def test_a_withdrawn_item_prints_the_reason_not_the_committees_decision(day: Council) -> None:
    said = ok(day("item", "withdraw", "2", "--reason", "Forvaltningen trak sagen", *A)).out
    assert "Forelagt → Trukket" in said
    agenda_item = ok(day("render", "item", "2")).out
    assert "Punktet blev trukket: Forvaltningen trak sagen" in agenda_item
    assert "s beslutning" not in agenda_item
    shown = ok(day("item", "show", "2")).out
    assert "Punktet blev trukket: Forvaltningen trak sagen" in shown
    assert "s beslutning" not in shown
    rows = json.loads(ok(day("history", "2010-4130", "--json")).out)
    assert (rows[-1]["trigger"], rows[-1]["to_state"]) == ("withdraw", "trukket")
    ok(day("audit", "verify"))


def test_a_draft_is_withdrawn_without_a_meeting(day: Council) -> None:
    ok(
        day(
            "item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", "Udkast",
            "--kind", "beslutning", *A,
        )
    )  # fmt: skip
    ok(day("item", "withdraw", "4", "--reason", "Skrevet ved en fejl", *A))
    history = ok(day("render", "history", "2010-4130")).out
    assert "Punktet blev trukket: Skrevet ved en fejl" in history
    ok(day("audit", "verify"))


WITHDRAWALS_REFUSED = [
    ("no reason", ("2",), "et punkt, der trækkes, skal have en begrundelse"),
    (
        "a finally decided item",
        ("1", "--reason", "x"),
        "punkt-id 1 er 'ikke godkendt' og kan ikke trækkes",
    ),
    ("an unknown item", ("99", "--reason", "x"), "punkt-id 99"),
    ("a stale version", ("2", "--reason", "x", "--expect-version", "1"), "punkt-id 2"),
]


@pytest.mark.parametrize(
    ("what", "args", "message"), WITHDRAWALS_REFUSED, ids=[c[0] for c in WITHDRAWALS_REFUSED]
)
def test_a_withdrawal_that_cannot_be_is_one_line_and_changes_nothing(
    day: Council, snapshot: Callable[[], str], what: str, args: tuple[str, ...], message: str
) -> None:
    before = snapshot()
    refused(day("item", "withdraw", *args, *A), message)
    assert snapshot() == before, what
