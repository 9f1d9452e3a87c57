"""Refusals carry what they are about; the CLI's line and the web's words are both Danish and
both made from that data."""

from __future__ import annotations

from datetime import date

import pytest

from council.cases.errors import (
    AgendaNumberTaken,
    AlreadyExistsError,
    ConflictError,
    GoalExists,
    MalformedReference,
    MeetingDateTaken,
    NotFoundError,
    UnknownGoal,
    WordingChanged,
)
from council.config.errors import CouncilError
from council.workflow.errors import (
    GuardRefused,
    MeetingAlreadyHeld,
    TransitionRefused,
    UndecidedAgenda,
)
from council.workflow.web.messages import describe

CLI_LINES: list[tuple[CouncilError, str]] = [
    (
        NotFoundError("case", "1999-1"),
        "ukendt sag '1999-1'; opret den med 'council case new'",
    ),
    (
        NotFoundError("item", 42),
        "ukendt punkt-id 42; 'council case show SAG' viser sagens punkter",
    ),
    (
        NotFoundError("committee", "XYZ", known=["BIU", "SUD"]),
        "ukendt udvalg 'XYZ'; kendte: BIU, SUD",
    ),
    (
        NotFoundError("obligation", "2010-4130:KU", within="sag 2010-4130"),
        "sag 2010-4130: ingen statusforpligtelse passer på '2010-4130:KU'",
    ),
    (
        MalformedReference("meeting", "next-tuesday"),
        "'next-tuesday' angiver ikke et møde; angiv dets nummer eller UDVALG:DATO, fx BIU:2010-02-23",
    ),
    (
        MalformedReference("obligation", "2010-0000"),
        "'2010-0000' angiver ikke en statusforpligtelse; angiv dens nummer, SAG:UDVALG (2010-4130:BIU) eller dens sag (2010-4130)",
    ),
    (
        UnknownGoal(
            "Deltagere",
            obligation_id=2,
            case_number="2010-4130",
            committee_code="BIU",
            known=["Brugere", "Nye frivillige"],
        ),
        "statusforpligtelse 2 (2010-4130, BIU) har intet mål 'Deltagere'; dens mål: 'Brugere', 'Nye frivillige'",
    ),
    (
        GoalExists("Brugere", obligation_id=2, case_number="2010-4130", committee_code="BIU"),
        "statusforpligtelse 2 (2010-4130, BIU) har allerede et mål 'Brugere'; ret dets målværdi med 'council obligation goal revise'",
    ),
    (
        AlreadyExistsError("case", "2010-4130"),
        "sag 2010-4130 findes allerede; 'council case show 2010-4130' viser den",
    ),
    (
        MeetingDateTaken("BIU", date(2010, 2, 23)),
        "BIU har allerede et møde den 23.02.2010; vælg en anden dato",
    ),
    (
        AgendaNumberTaken(7, 4),
        "møde 7 har allerede et punkt 4 på dagsordenen; vælg et andet --number",
    ),
    (
        ConflictError(5, 2, 3),
        "punkt-id 5 er ændret af en anden, siden du læste det; se 'council item show 5' og prøv igen",
    ),
    (
        UndecidedAgenda(2, ((1, 5), (3, 9))),
        "møde 2 kan ikke afsluttes: endnu ingen beslutning på punkt 1 (punkt-id 5), punkt 3 (punkt-id 9); registrér en med 'council item decide'",
    ),
]


@pytest.mark.parametrize(("error", "line"), CLI_LINES, ids=[type(e).__name__ for e, _ in CLI_LINES])
def test_the_cli_line_is_built_from_the_data(error: CouncilError, line: str) -> None:
    assert str(error) == line


DANISH: list[tuple[CouncilError, str]] = [
    (AgendaNumberTaken(7, 4), "Dagsordenen har allerede et punkt nr. 4. Vælg et andet."),
    (MeetingDateTaken("BIU", date(2010, 2, 23)), "Udvalget har allerede et møde den 23.02.2010."),
    (NotFoundError("meeting", "9"), "Mødet findes ikke. Vælg et andet."),
    (NotFoundError("case", "1999-1"), "Der findes ingen sag med det nummer. Opret sagen først."),
    (AlreadyExistsError("case", "2010-4130"), "Der findes allerede en sag med det nummer."),
    (
        UndecidedAgenda(2, ((1, 5), (3, 9))),
        "Mødet kan ikke lukkes, før hvert punkt på dagsordenen har en beslutning "
        "(mangler: punkt 1, 3).",
    ),
    (MeetingAlreadyHeld(2), "Mødet er allerede lukket."),
    (
        UnknownGoal(
            "Deltagere",
            obligation_id=2,
            case_number="2010-4130",
            committee_code="BIU",
            known=["Brugere"],
        ),
        "Statusforpligtelsen har intet mål med det navn.",
    ),
    (
        GoalExists("Brugere", obligation_id=2, case_number="2010-4130", committee_code="BIU"),
        "Statusforpligtelsen har allerede et mål med det navn.",
    ),
    (
        ConflictError(5, 2, 3),
        "Punktet er ændret af en anden, siden du hentede siden. Intet er gemt.",
    ),
    (
        WordingChanged(5, 11),
        "Punktet er ændret af en anden, siden du hentede siden. Intet er gemt.",
    ),
    (
        GuardRefused(guard="meeting_is_unheld", item_id=5, reason="the meeting has been held"),
        "Mødet er allerede holdt. Vælg et møde, der ikke er holdt endnu.",
    ),
    (
        TransitionRefused(item_id=5, state="drafted", state_label="Kladde", act="decide"),
        "Det kan ikke lade sig gøre fra punktets nuværende status.",
    ),
]


@pytest.mark.parametrize(("error", "words"), DANISH, ids=[type(e).__name__ for e, _ in DANISH])
def test_the_web_words_the_same_data_in_danish(error: CouncilError, words: str) -> None:
    assert describe(error) == words
    assert str(error) not in words  # the web names no command
