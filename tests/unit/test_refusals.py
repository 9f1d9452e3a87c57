"""Refusals carry what they are about; the CLI's English line and the web's Danish words
are both made from that data."""

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

ENGLISH: list[tuple[CouncilError, str]] = [
    (NotFoundError("case", "1999-1"), "unknown case '1999-1'; create it with 'council case new'"),
    (NotFoundError("item", 42), "unknown item 42; 'council case show CASE' lists a case's items"),
    (
        NotFoundError("committee", "XYZ", known=["BIU", "SUD"]),
        "unknown committee 'XYZ'; known committees: BIU, SUD",
    ),
    (
        NotFoundError("obligation", "2010-4130:KU", within="case 2010-4130"),
        "case 2010-4130 has no obligation matching '2010-4130:KU'",
    ),
    (
        MalformedReference("meeting", "next-tuesday"),
        "'next-tuesday' does not name a meeting; give its number or COMMITTEE:DATE, "
        "e.g. BIU:2010-02-23",
    ),
    (
        MalformedReference("obligation", "2010-0000"),
        "'2010-0000' does not name an obligation; give its number, CASE:COMMITTEE "
        "(2010-4130:BIU) or its case (2010-4130)",
    ),
    (
        UnknownGoal(
            "Deltagere",
            obligation_id=2,
            case_number="2010-4130",
            committee_code="BIU",
            known=["Brugere", "Nye frivillige"],
        ),
        "obligation 2 (2010-4130, BIU) has no goal 'Deltagere'; "
        "its goals: 'Brugere', 'Nye frivillige'",
    ),
    (
        GoalExists("Brugere", obligation_id=2, case_number="2010-4130", committee_code="BIU"),
        "obligation 2 (2010-4130, BIU) already has a goal 'Brugere'; "
        "change its target with 'council obligation goal revise'",
    ),
    (
        AlreadyExistsError("case", "2010-4130"),
        "case 2010-4130 already exists; 'council case show 2010-4130' shows it",
    ),
    (MeetingDateTaken("BIU", date(2010, 2, 23)), "BIU already has a meeting on 23.02.2010"),
    (
        AgendaNumberTaken(7, 4),
        "meeting 7 already has an item number 4; choose another --number",
    ),
    (
        ConflictError(5, 2, 3),
        "item 5 was changed by someone else since you read it; "
        "look at 'council item show 5' and try again",
    ),
    (
        UndecidedAgenda(2, ((1, 5), (3, 9))),
        "meeting 2 cannot be closed: no decision yet on punkt 1 (item 5), punkt 3 (item 9); "
        "record one with 'council item decide'",
    ),
]


@pytest.mark.parametrize(("error", "line"), ENGLISH, ids=[type(e).__name__ for e, _ in ENGLISH])
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
    assert str(error) not in words  # never the English line
