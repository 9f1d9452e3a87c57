"""``audit verify`` catches every way of rewriting history behind the product's back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from support import Scenario, tamper

from council.cases.audit_verify import verify


@pytest.fixture
def history(scenario: Scenario) -> Scenario:
    first, second = scenario.meeting("BIU", "2010-01-26"), scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft()
    scenario.present(item, first)
    scenario.decide(item, "udsat")
    scenario.present(item, second, when="2010-02-10 09:00")
    scenario.decide(item, "taget til efterretning", when="2010-02-23 17:00")
    return scenario


def problem_after(history: Scenario, sql: str) -> str:
    tamper(history.app, sql)
    with history.app.database.reading() as session:
        report = verify(session)
    assert not report.ok
    assert report.problem is not None
    return report.problem


def test_an_untouched_trail_verifies(history: Scenario) -> None:
    with history.app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem
    assert report.entries > 10


def test_the_database_refuses_to_update_or_delete_audit_entries(history: Scenario) -> None:
    for statement in (
        "UPDATE audit_entry SET actor = 'mallory' WHERE seq = 3",
        "DELETE FROM audit_entry WHERE seq = 3",
    ):
        with (
            pytest.raises(DBAPIError, match="append-only"),
            history.app.database.engine.begin() as connection,
        ):
            connection.execute(text(statement))


CASES: list[tuple[str, str, str]] = [
    (
        "an edited entry body",
        "UPDATE audit_entry SET body = replace(body, 'udsat.', 'godkendt.') WHERE body LIKE '%blev udsat.%';",
        "er ændret: dens indhold passer ikke til dens hash",
    ),
    (
        "an edited entry column",
        "UPDATE audit_entry SET actor = 'mallory' WHERE seq = 5;",
        "post 5 er ændret: dens kolonner stemmer ikke",
    ),
    ("a deleted entry", "DELETE FROM audit_entry WHERE seq = 6;", "post 6 mangler"),
    (
        "an inserted entry",
        "UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= 6; UPDATE audit_entry SET seq = seq - 999 WHERE seq >= 1006;"
        "INSERT INTO audit_entry SELECT 6, recorded_at, actor, action, case_id, item_id, body, prev_hash, hash FROM audit_entry WHERE seq = 5;",
        "post 6 følger ikke efter post 5",
    ),
    (
        "two entries swapped",
        "UPDATE audit_entry SET seq = -1 WHERE seq = 7; UPDATE audit_entry SET seq = 7 WHERE seq = 8; UPDATE audit_entry SET seq = 8 WHERE seq = -1;",
        "post 7 følger ikke efter post 6",
    ),
    (
        "the last entries cut off",
        "DELETE FROM audit_entry WHERE seq > (SELECT max(seq) - 2 FROM audit_entry);",
        "poster er skåret af",
    ),
    (
        "the last entries and the head rewound together",
        "DELETE FROM audit_entry WHERE seq > (SELECT max(seq) - 2 FROM audit_entry);"
        "UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_entry), hash = (SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1);",
        "afviger fra revisionssporet",
    ),
    (
        "a state column changed behind the audit's back",
        "UPDATE agenda_item SET state = 'godkendt';",
        "dagsordenspunkt 1 afviger fra revisionssporet",
    ),
    (
        "a decision text changed behind the audit's back",
        "UPDATE decision SET text = 'Indstillingen blev godkendt.' WHERE id = 1;",
        "beslutning 1 afviger fra revisionssporet",
    ),
    (
        "a decision's date moved behind the audit's back",
        "UPDATE decision SET decided_on = '2010-01-27' WHERE id = 1;",
        "beslutning 1 afviger fra revisionssporet",
    ),
    (
        "a decision's outcome cleared behind the audit's back",
        "UPDATE decision SET outcome = NULL WHERE id = 1;",
        "beslutning 1 afviger fra revisionssporet",
    ),
    (
        "an agenda number changed behind the audit's back",
        "UPDATE agenda_entry SET number = 99 WHERE id = 1;",
        "forelæggelse 1 afviger fra revisionssporet",
    ),
    (
        "a decision deleted behind the audit's back",
        "DELETE FROM decision WHERE id = 2;",
        "beslutning 2 står i revisionssporet, men mangler",
    ),
    (
        "a decision added behind the audit's back",
        "INSERT INTO decision (item_id, meeting_id, decided_on, trigger, from_state, to_state, outcome, text, actor, recorded_at, audit_seq)"
        " VALUES (1, 1, '2010-01-26', 'approve', 'forelagt', 'godkendt', 'godkendt', 'x', 'mallory', '2010-01-26 16:00:00', 999);",
        "beslutning 3 har ingen post i revisionssporet",
    ),
    (
        "a case title rewritten",
        "UPDATE case_record SET title = 'Noget andet';",
        "sag 1 afviger fra revisionssporet",
    ),
]


@pytest.mark.parametrize(("what", "sql", "expected"), CASES, ids=[c[0] for c in CASES])
def test_verify_names_the_first_entry_that_does_not_hold(
    history: Scenario, what: str, sql: str, expected: str
) -> None:
    assert expected in problem_after(history, sql)


@pytest.fixture
def goals(history: Scenario) -> Scenario:
    """The history with an obligation whose goal was revised and reported on."""
    from reminding import add_obligation
    from support import at

    from council.workflow import obligation_services
    from council.workflow.services import goals as goal_acts

    app = history.app
    add_obligation(app, committee_codes=["BIU"])
    obligation_services.link_item(
        history.uow(), obligation_ref="1", item_id=1, actor="clerk", now=at("2010-02-01 09:00")
    )
    goal_acts.add_goal(
        history.uow(),
        obligation_ref="1",
        name="Brugere",
        targets=["750", "2009=575"],
        actor="clerk",
        now=at("2010-02-01 09:00"),
    )
    goal_acts.revise_goal(
        history.uow(),
        obligation_ref="1",
        name="Brugere",
        target="800",
        reason="flere boligområder",
        actor="clerk",
        now=at("2010-02-02 09:00"),
    )
    goal_acts.report_values(
        history.uow(),
        fulfilling_states=app.rulebook.definition.fulfilling_states,
        item_id=1,
        values=[goal_acts.GoalValueGiven("Brugere", "1.242")],
        actor="clerk",
        now=at("2010-02-03 09:00"),
    )
    return history


GOAL_CASES: list[tuple[str, str, str]] = [
    (
        "a reported value changed",
        "UPDATE result_goal_value SET value = 300;",
        "indberettet værdi 1 afviger fra revisionssporet",
    ),
    (
        "a value marked approximate afterwards",
        "UPDATE result_goal_value SET approximate = true;",
        "indberettet værdi 1 afviger fra revisionssporet",
    ),
    (
        "a target lowered",
        "UPDATE result_goal_target SET target = 100 WHERE period_key IS NULL AND reason = '';",
        "måltal for resultatmål 1 afviger fra revisionssporet",
    ),
    (
        "a revision's reason rewritten",
        "UPDATE result_goal_target SET reason = 'aftalt' WHERE reason <> '';",
        "måltal for resultatmål 3 afviger fra revisionssporet",
    ),
    (
        "a revision deleted",
        "DELETE FROM result_goal_target WHERE id = 3;",
        "måltal for resultatmål 3 står i revisionssporet, men mangler",
    ),
    (
        "a goal renamed",
        "UPDATE result_goal SET name = 'Deltagere';",
        "resultatmål 1 afviger fra revisionssporet",
    ),
    (
        "a value added behind the audit's back",
        "INSERT INTO result_goal_value (goal_id, item_id, period_key, value, approximate, note, actor, recorded_at)"
        " VALUES (1, 1, '2010', 5, false, '', 'mallory', '2010-03-01 10:00:00');",
        "indberettet værdi 2 har ingen post i revisionssporet",
    ),
]


def test_goals_revisions_and_values_verify_as_recorded(goals: Scenario) -> None:
    with goals.app.database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem


@pytest.mark.parametrize(("what", "sql", "expected"), GOAL_CASES, ids=[c[0] for c in GOAL_CASES])
def test_verify_catches_a_goal_target_or_value_changed_behind_the_audits_back(
    goals: Scenario, what: str, sql: str, expected: str
) -> None:
    assert expected in problem_after(goals, sql)


def test_the_cli_exits_1_and_names_the_entry(
    history: Scenario, council: Callable[..., object]
) -> None:
    ok = council("audit", "verify")
    assert ok.code == 0 and "revisionssporet er kontrolleret" in ok.out  # type: ignore[attr-defined]
    problem_after(history, "DELETE FROM audit_entry WHERE seq = 4;")
    broken = council("audit", "verify")
    assert broken.code == 1  # type: ignore[attr-defined]
    assert "post 4 mangler" in broken.err  # type: ignore[attr-defined]
    assert broken.err.count("\n") == 1  # type: ignore[attr-defined]
