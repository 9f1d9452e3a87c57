"""Structure a decision's wording states plainly: votes, remarks, referrals, absence."""

from __future__ import annotations

from council.cases.importers.decision_structure import read_structure

BR_VOTE = (
    "Indstillingen blev godkendt med 42 stemmer mod 4. 8 medlemmer undlod at stemme.\n"
    "For stemte: Ø (Charlotte Lund, Hassan Nur Wardere), A, C, F, B, V, Å, I, O og Helle Jønch\n"
    "Imod stemte: Ø (Absalon Billehøj, Gyda Heding)\n"
    "Undlod at stemme: Ø (Bente Møller, Line Barfod) og Troels Christian Jakobsen"
)


def test_a_borgerrepraesentation_vote_keeps_counts_and_groups_per_side() -> None:
    vote = read_structure(BR_VOTE, body="Borgerrepræsentationen").vote
    assert vote is not None
    sides = {side.side: (side.count, side.who) for side in vote.sides}
    assert sides == {
        "for": (
            42,
            (
                "Ø (Charlotte Lund, Hassan Nur Wardere)",
                "A", "C", "F", "B", "V", "Å", "I", "O",
                "Helle Jønch",
            ),
        ),
        "imod": (4, ("Ø (Absalon Billehøj, Gyda Heding)",)),
        "undlod": (8, ("Ø (Bente Møller, Line Barfod)", "Troels Christian Jakobsen")),
    }  # fmt: skip
    assert not vote.without_vote


def test_a_counted_vote_written_as_stemmer_for_with_party_letters_is_read() -> None:
    vote = read_structure(
        "Stemmer for: 8 (F, B, A, Ø)\nStemmer imod: 3 (C, I)\nIndstillingen blev godkendt."
    ).vote
    assert vote is not None
    assert [(s.side, s.count, s.who) for s in vote.sides] == [
        ("for", 8, ("F", "B", "A", "Ø")),
        ("imod", 3, ("C", "I")),
    ]


def test_a_side_that_counted_no_votes_keeps_its_zero() -> None:
    vote = read_structure(
        "For stemte: 8 (F, B, A, Ø)\nImod stemte: 3 (C, I)\nUndlod at stemme: 0"
    ).vote
    assert vote is not None
    assert [(s.side, s.count) for s in vote.sides] == [("for", 8), ("imod", 3), ("undlod", 0)]


def test_uden_afstemning_and_enstemmigt_are_votes_without_sides() -> None:
    plain = read_structure("Indstillingen blev godkendt uden afstemning.").vote
    assert plain is not None and plain.without_vote and plain.sides == ()
    unanimous = read_structure("Indstillingen blev enstemmigt godkendt.").vote
    assert unanimous is not None and unanimous.unanimous
    assert read_structure("Indstillingen blev godkendt.").vote is None


def test_protocol_remarks_keep_their_author_and_text() -> None:
    structure = read_structure(
        "Indstillingen blev godkendt.\n"
        "Enhedslisten afgav følgende protokolbemærkning: Vi ønsker en evaluering i 2027.\n"
        "Protokolbemærkning fra Venstre: Vi støtter ikke finansieringen."
    )
    assert [(r.kind, r.author, r.text) for r in structure.remarks] == [
        ("protokolbemærkning", "Enhedslisten", "Vi ønsker en evaluering i 2027."),
        ("protokolbemærkning", "Venstre", "Vi støtter ikke finansieringen."),
    ]


def test_referrals_name_every_receiving_body_and_keep_double_barrelled_names_whole() -> None:
    assert read_structure(
        "Indstillingen blev oversendt med udvalgets anbefaling til Økonomiudvalget og\n"
        "Borgerrepræsentationen uden afstemning.",
        body="Socialudvalget",
    ).referred_to == ("Økonomiudvalget", "Borgerrepræsentationen")
    assert read_structure(
        "Sagen oversendes til Beskæftigelses- og Integrationsudvalget.", body="Socialudvalget"
    ).referred_to == ("Beskæftigelses- og Integrationsudvalget",)
    assert read_structure(
        "Socialudvalget anbefaler over for Økonomiudvalget og Borgerrepræsentationen, at ...",
        body="Socialudvalget",
    ).referred_to == ("Økonomiudvalget", "Borgerrepræsentationen")


def test_indstilles_til_godkendelse_goes_to_the_deciding_body_only_when_it_is_another() -> None:
    text = "Indstilles til godkendelse"
    assert read_structure(text, body="Udvalget", decided_by="Kommunalbestyrelsen").referred_to == (
        "Kommunalbestyrelsen",
    )
    assert read_structure(text, body="Udvalget", decided_by="Udvalget").referred_to == ()
    assert read_structure(text, body="Udvalget").referred_to == ()


def test_absent_members_are_read_from_both_ways_of_saying_it() -> None:
    assert read_structure(
        "Jens Jensen og Mette Hansen deltog ikke i sagens behandling."
    ).absent == (
        "Jens Jensen",
        "Mette Hansen",
    )
    assert read_structure(
        "Følgende deltog ikke i behandlingen af punktet: Jens Jensen.\nIndstillingen godkendt."
    ).absent == ("Jens Jensen",)
    assert read_structure("Følgende deltog ikke i behandlingen af punktet:").absent == ()


def test_wording_it_does_not_know_gives_no_structure() -> None:
    structure = read_structure("Udvalget besluttede at holde et temamøde om sagen.")
    assert (structure.remarks, structure.vote, structure.referred_to, structure.absent) == (
        (),
        None,
        (),
        (),
    )


AMENDED_FIRST = (
    "Det af Liberal Alliance fremsatte ændringsforslag blev forkastet med 42 stemmer mod 5. "
    "7 medlemmer undlod at stemme.\n"
    "For stemte: I og O\nImod stemte: Ø, F, A\nUndlod at stemme: C\n"
    "Indstillingen blev godkendt med 49 stemmer mod 5. Ingen medlemmer undlod at stemme.\n"
    "For: Ø, F, A, C\nImod: I og O"
)


def test_the_vote_on_the_recommendation_is_kept_not_the_amendments_before_it() -> None:
    vote = read_structure(AMENDED_FIRST, body="Borgerrepræsentationen").vote
    assert vote is not None
    assert [(s.side, s.count, s.who) for s in vote.sides] == [
        ("for", 49, ("Ø", "F", "A", "C")),
        ("imod", 5, ("I", "O")),
        ("undlod", 0, ()),
    ]


def test_a_counted_point_is_the_vote_though_the_amended_recommendation_went_without_one() -> None:
    text = (
        "Ændringsforslaget (ÆF1) blev forkastet med 2 stemmer mod 6. 2 undlod at stemme.\n"
        "Indstillingens 1. at-punkt blev godkendt med 6 stemmer mod 4. Ingen undlod at stemme.\n"
        "Den således ændrede indstilling blev godkendt uden afstemning."
    )
    vote = read_structure(text).vote
    assert vote is not None and not vote.without_vote
    assert {s.side: s.count for s in vote.sides} == {"for": 6, "imod": 4, "undlod": 0}


def test_only_an_amendment_counted_and_the_recommendation_without_a_vote_is_without_one() -> None:
    text = (
        "Ændringsforslaget blev forkastet med 1 stemme mod 10.\nFor stemte: Å\n"
        "Indstillingen blev herefter anbefalet uden afstemning."
    )
    vote = read_structure(text).vote
    assert vote is not None and vote.without_vote and vote.sides == ()
