"""Decisions as councils take them, through the ``council`` command: a vote, amendments,
protocol remarks and results point by point kept as structure; a case recommended from
Socialudvalget through Økonomiudvalget to Borgerrepræsentationen; attendance in the
minutes; bad parts refused with one line and nothing stored; a closed item's parts kept out
of public outputs; and ``audit verify`` catching a rewrite of the new columns."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "Anne Jensen, sekretariatet")
DISARM = {
    "sqlite": ["DROP TRIGGER audit_entry_no_update", "DROP TRIGGER audit_entry_no_delete"],
    "postgresql": ["ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"],
}
VOTE = (
    "--for", "8", "--against", "3", "--abstain", "0",
    "--for-groups", "F,B,A,Ø", "--against-groups", "C,I",
)  # fmt: skip


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


def refused(result: CliResult, *parts: str) -> str:
    assert result.code == 1, result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("fejl: "), lines[0]
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def sud_item(council: Council) -> Council:
    """Case 2026-0101 with a two-point SUD item before the SUD meeting of 04.03.2026, and
    meetings of ØU and BR to come."""
    ok(council("init", *A))
    ok(council("case", "new", "--number", "2026-0101", "--title", "Handleplan", "--owner",
               "Socialforvaltningen", *A))  # fmt: skip
    for code, day in (("SUD", "2026-03-04"), ("ØU", "2026-03-17"), ("BR", "2026-03-26")):
        ok(council("meeting", "new", "--committee", code, "--date", day, *A))
    ok(council("item", "draft", "--case", "2026-0101", "--committee", "SUD", "--kind",
               "beslutning", "--title", "Handleplan for hjemløse", "--point",
               "At Socialudvalget anbefaler handleplanen.", "--point",
               "At der afsættes 2 mio. kr.", "--matter", "budget", *A))  # fmt: skip
    ok(council("item", "present", "1", "--meeting", "SUD:2026-03-04", "--number", "3", *A))
    return council


def history_json(council: Council, *extra: str) -> list[dict[str, object]]:
    rows = json.loads(ok(council("history", "2026-0101", "--json", *extra)).out)
    return [row for row in rows if row["outcome"] is not None or row["text"] is not None]


def test_a_vote_with_its_groups_an_amendment_and_a_remark_are_kept_as_structure(
    sud_item: Council,
) -> None:
    ok(sud_item("item", "decide", "1", "anbefalet", *VOTE,
                "--remark", "Enhedslisten: Vi ønsker flere boliger.",
                "--amendment", "Det Konservative Folkeparti [som nyt at-punkt]: at der "
                "afsættes 5 mio. kr. => forkastet 3-8-0", *A))  # fmt: skip
    [decision] = history_json(sud_item)
    assert decision["votes"] == {
        "for": 8,
        "imod": 3,
        "undlod": 0,
        "groups": {"for": ["F", "B", "A", "Ø"], "imod": ["C", "I"], "undlod": []},
        "mode": "afstemning",
    }
    assert decision["remarks"] == [
        {"kind": "protokolbemærkning", "author": "Enhedslisten", "text": "Vi ønsker flere boliger."}
    ]
    [amendment] = decision["amendments"]  # type: ignore[misc]
    assert amendment["proposer"] == "Det Konservative Folkeparti"
    assert amendment["replaces"] == "nyt at-punkt"
    assert amendment["result"] == "forkastet"
    assert amendment["votes"]["for"] == 3 and amendment["votes"]["imod"] == 8
    # the minutes word them as Copenhagen's do, in its order
    minutes = ok(sud_item("render", "minutes", "SUD:2026-03-04")).out
    order = [
        "stillede følgende ændringsforslag (ÆF1)",
        "Ændringsforslaget (ÆF1) blev forkastet.",
        "Indstillingen blev anbefalet.",
        "Stemmer for: 8 (F, B, A, Ø)",
        "Stemmer imod: 3 (C, I)",
        "Sagen oversendes til Økonomiudvalget.",
        "Enhedslisten afgav følgende protokolbemærkning:",
    ]
    positions = [minutes.index(line) for line in order]
    assert positions == sorted(positions)
    ok(sud_item("audit", "verify"))


def test_results_point_by_point_decide_the_outcome_by_the_configured_rule(
    sud_item: Council,
) -> None:
    ok(sud_item("item", "decide", "1", "--point", "1=anbefalet", "--point", "2=forkastet", *A))
    [decision] = history_json(sud_item)
    assert decision["to_state"] == "anbefalet"  # point_rule = "first"
    assert decision["point_results"] == [
        {"point": 1, "result": "anbefalet", "votes": None},
        {"point": 2, "result": "ikke_godkendt", "votes": None},
    ]


def test_a_case_recommended_from_sud_goes_through_ou_to_br_and_the_chain_is_shown(
    sud_item: Council,
) -> None:
    said = ok(sud_item("item", "decide", "1", "anbefalet", *VOTE, *A)).out
    assert "sendt videre: punkt-id 2 oprettet som udkast til ØU" in said
    waiting = ok(sud_item("meeting", "show", "ØU:2026-03-17")).out
    assert "oversendt punkt: punkt-id 2 (2026-0101)" in waiting and "oversendt fra SUD" in waiting
    ok(sud_item("item", "present", "2", "--meeting", "ØU:2026-03-17", "--number", "5", *A))
    assert (
        "punkt-id 3 oprettet som udkast til BR"
        in ok(sud_item("item", "decide", "2", "anbefalet", "--unanimous", *A)).out
    )
    ok(sud_item("item", "present", "3", "--meeting", "BR:2026-03-26", "--number", "12", *A))
    ok(sud_item("item", "decide", "3", "godkendt", "--for", "40", "--against", "15", *A))

    shown = ok(sud_item("case", "show", "2026-0101")).out
    assert "punkt-id 1, SUD 04.03.2026: anbefalet → ØU (punkt-id 2)" in shown
    assert "punkt-id 2, ØU 17.03.2026: anbefalet → BR (punkt-id 3)" in shown
    assert "punkt-id 3, BR 26.03.2026: godkendt" in shown
    decisions = history_json(sud_item)
    assert [(d["committee"], d["to_state"]) for d in decisions] == [
        ("SUD", "anbefalet"),
        ("ØU", "anbefalet"),
        ("BR", "godkendt"),
    ]
    assert decisions[0]["referred_to"] == ["Økonomiudvalget"]
    assert decisions[1]["referred_to"] == ["Borgerrepræsentationen"]
    history = ok(sud_item("render", "history", "2026-0101")).out
    assert "BEHANDLINGSFORLØB" in history
    assert "Økonomiudvalget den 17.03.2026: Anbefalet → Borgerrepræsentationen" in history
    ok(sud_item("audit", "verify"))


def test_a_final_approval_by_a_committee_without_the_competence_names_the_competent_body(
    sud_item: Council, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    refused(sud_item("item", "decide", "1", "godkendt", *A), "Borgerrepræsentationen (BR)")
    assert snapshot() == before


BAD_PARTS = [
    (("anbefalet", "--for", "9", "--against", "3"), "SUD har 11 pladser"),
    (("anbefalet", "--for=-1"), "et antal er 0 eller mere"),
    (("anbefalet", "--remark", "Vi ønsker flere boliger."), "nævner ingen afsender"),
    (("anbefalet", "--to", "XYZ"), "XYZ"),
    (("--point", "3=godkendt"), "der er intet at-punkt 3"),
    (("anbefalet", "--point", "1=godkendt", "--point", "1=forkastet"), "to resultater"),
    (("anbefalet", "--amendment", "uden kolon"), "er ikke 'HVEM: TEKST'"),
    (("anbefalet", "--remark", "Venstre: rød \x1b[31mtekst"), "styretegn (U+001B)"),
    (("anbefalet", "--for-groups", "F,\u202eØ"), "styretegn (U+202E)"),
]


@pytest.mark.parametrize(("args", "said"), BAD_PARTS, ids=[b[1] for b in BAD_PARTS])
def test_decision_parts_that_cannot_be_true_are_one_line_and_nothing_is_stored(
    sud_item: Council, snapshot: Callable[[], str], args: tuple[str, ...], said: str
) -> None:
    before = snapshot()
    refused(sud_item("item", "decide", "1", *args, *A), said)
    assert snapshot() == before


def test_attendance_is_recorded_for_the_meeting_and_shown_in_the_minutes(
    sud_item: Council, snapshot: Callable[[], str]
) -> None:
    ok(sud_item("meeting", "attendance", "SUD:2026-03-04", "--absent", "Karina Vestergård",
                "--reason", "afbud", *A))  # fmt: skip
    ok(sud_item("item", "decide", "1", "anbefalet", "--inhabil", "Jens Hansen", *A))
    assert (
        "Fraværende: Karina Vestergård (afbud)"
        in ok(sud_item("meeting", "show", "SUD:2026-03-04")).out
    )
    minutes = ok(sud_item("render", "minutes", "SUD:2026-03-04")).out
    assert "Fraværende: Karina Vestergård (afbud)" in minutes
    assert "Jens Hansen deltog ikke i behandlingen af punktet på grund af inhabilitet." in minutes
    [decision] = history_json(sud_item)
    assert decision["attendance"] == [{"name": "Jens Hansen", "reason": "inhabil"}]
    before = snapshot()
    refused(sud_item("meeting", "attendance", "SUD:2026-03-04", *A), "--absent NAVN")
    refused(
        sud_item("meeting", "attendance", "SUD:2026-03-04", "--absent", "X", "--reason", "syg", *A),
        "afbud eller fravær",
    )
    assert snapshot() == before
    ok(sud_item("audit", "verify"))


def test_a_closed_items_vote_remarks_and_route_stay_out_of_public_outputs(
    council: Council,
) -> None:
    ok(council("init", *A))
    ok(council("case", "new", "--number", "2026-0202", "--title", "Personsag", "--owner",
               "Socialforvaltningen", *A))  # fmt: skip
    ok(council("meeting", "new", "--committee", "SUD", "--date", "2026-03-04", *A))
    ok(council("item", "draft", "--case", "2026-0202", "--committee", "SUD", "--kind",
               "beslutning", "--title", "Hemmelig sag", "--closed", *A))  # fmt: skip
    ok(council("item", "present", "1", "--meeting", "SUD:2026-03-04", "--number", "9", *A))
    ok(council("item", "decide", "1", "anbefalet", *VOTE,
               "--remark", "Venstre: Fortroligt forbehold.", *A))  # fmt: skip
    public = ok(council("history", "2026-0202", "--json")).out
    for secret in ("Fortroligt", "Venstre", '"for": 8', "Økonomiudvalget", "Hemmelig"):
        assert secret not in public, secret
    shown = ok(council("case", "show", "2026-0202")).out
    assert "Økonomiudvalget" not in shown and "→ ØU" not in shown
    for document in (("minutes", "SUD:2026-03-04"), ("history", "2026-0202")):
        rendered = ok(council("render", *document)).out
        assert "Fortroligt" not in rendered and "Stemmer for" not in rendered
    internal = json.loads(ok(council("history", "2026-0202", "--json", "--internal")).out)
    assert internal[-1]["votes"]["for"] == 8
    assert internal[-1]["remarks"][0]["author"] == "Venstre"


TAMPERING = [
    (
        "a vote recounted",
        "UPDATE decision SET votes = '{\"for\": 11}' WHERE id = 1",
        "'votes' er ændret direkte i tabellen over beslutninger",
    ),
    (
        "a remark removed",
        "UPDATE decision SET remarks = NULL WHERE id = 1",
        "'remarks' er ændret direkte i tabellen over beslutninger",
    ),
    (
        "a referral unlinked",
        "UPDATE agenda_item SET referred_from = NULL WHERE id = 2",
        "dagsordenspunkt 2 afviger fra revisionssporet: 'referred_from' er ændret direkte i tabellen over dagsordenspunkter",
    ),
    (
        "a committee's route changed",
        "UPDATE committee SET recommends_to = 'BR' WHERE code = 'SUD'",
        "'recommends_to' er ændret direkte i tabellen over udvalg",
    ),
    (
        "a committee's seats changed",
        "UPDATE committee SET members = 99",
        "'members' er ændret direkte i tabellen over udvalg",
    ),
    (
        "an absence struck out",
        "UPDATE meeting SET absent = NULL WHERE id = 1",
        "møde 1 afviger fra revisionssporet: 'absent' er ændret direkte i tabellen over møder",
    ),
]


@pytest.mark.parametrize(("what", "sql", "said"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_audit_verify_catches_a_rewrite_of_a_decisions_parts_or_route(
    sud_item: Council, database_url: str, what: str, sql: str, said: str
) -> None:
    ok(sud_item("meeting", "attendance", "SUD:2026-03-04", "--absent", "Karina Vestergård", *A))
    ok(sud_item("item", "decide", "1", "anbefalet", *VOTE, "--remark", "Enhedslisten: Nej.", *A))
    ok(sud_item("audit", "verify"))
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            for statement in (*DISARM[engine.dialect.name], sql):
                connection.execute(text(statement))
    finally:
        engine.dispose()
    result = sud_item("audit", "verify")
    assert result.code == 1, result.out
    assert said in result.out + result.err


SAGSVAGT = Path(__file__).resolve().parents[1] / "data" / "sagsvagt"


def test_an_imported_overview_of_political_treatment_is_the_chain_with_each_points_result(
    council: Council,
) -> None:
    ok(council("init", *A))
    item = SAGSVAGT / "koebenhavn_borgerrepraesentationen_2026-05-21_punkt11.txt"
    ok(council("import", "text", str(item), *A))
    case = "BR-2026-05-21-p11"
    decisions = [
        row
        for row in json.loads(ok(council("history", case, "--json")).out)
        if row["outcome"] is not None or row["text"] is not None
    ]
    # the overview's preamble (what TMU was asked) is no decision: three bodies, in order
    assert [(d["committee"], d["decided_on"], d["outcome"]) for d in decisions] == [
        ("TMU", "2026-04-13", "godkendt"),
        ("ØU", "2026-05-05", "anbefalet"),
        ("BR", "2026-05-21", "godkendt"),
    ]
    assert decisions[0]["point_results"] == [
        {"point": 1, "result": "godkendt", "votes": None},
        {"point": 2, "result": "anbefalet", "votes": None},
    ]
    assert decisions[0]["referred_to"] == ["Økonomiudvalget", "Borgerrepræsentationen"]
    assert decisions[2]["votes"]["mode"] == "uden_afstemning"
    assert decisions[2]["text"] == "Indstillingen blev godkendt uden afstemning."  # verbatim
    shown = ok(council("case", "show", case)).out
    chain = shown[shown.index("Behandlingsforløb:") :]
    assert chain.index("TMU 13.04.2026") < chain.index("ØU 05.05.2026") < chain.index("BR 21.05")
    # "Bilag 1 - X" is read as "Bilag 1. X"
    assert "Bilag 2. Oversigtskort" in ok(council("item", "show", "1")).out
    ok(council("audit", "verify"))
