"""``audit verify`` with the later part of the trail prepared by a second process finds
exactly what the walk in one process finds, with the same message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session
from support import DISARM, WALKS, Scenario, tamper, walk_as

from council.cases import audit_split
from council.cases.audit import GENESIS_HASH, canonical_json, chain_hash
from council.cases.audit_verify import VerifyReport, verify


@pytest.fixture
def history(scenario: Scenario) -> Scenario:
    """Three items, each presented and decided at two meetings: transitions (rendered from
    their rows), drafts and new cases (parsed) on both sides of the split."""
    first, second = scenario.meeting("BIU", "2010-01-26"), scenario.meeting("BIU", "2010-02-23")
    items = [scenario.draft() for _ in range(3)]
    for item in items:
        scenario.present(item, first)
        scenario.decide(item, "udsat")
    for item in items:
        scenario.present(item, second, when="2010-02-10 09:00")
        scenario.decide(item, "taget til efterretning", when="2010-02-23 17:00")
    return scenario


def verified(scenario: Scenario, how: str, monkeypatch: pytest.MonkeyPatch) -> VerifyReport:
    with monkeypatch.context() as patched:
        walk_as(how, patched)
        with scenario.app.database.reading() as session:
            return verify(session)


def last_seq(scenario: Scenario) -> int:
    with scenario.app.database.engine.connect() as connection:
        return int(connection.execute(text("SELECT max(seq) FROM audit_entry")).scalar_one())


def test_the_later_part_is_prepared_by_a_second_process_and_applied_here(
    history: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    if history.app.database.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL walks the trail in one process")
    applied: list[Any] = []
    real_apply = audit_split.apply_page

    def counting(ready: Any, absorb: Any, rendered: Any) -> None:
        applied.append(ready)
        real_apply(ready, absorb, rendered)

    monkeypatch.setattr(audit_split, "apply_page", counting)
    report = verified(history, WALKS[1], monkeypatch)
    assert report.ok, report.problem
    entries = last_seq(history)
    assert report.entries == entries
    split = max(1, int(entries * audit_split.SHARE))
    assert len(applied) == (entries - split + 1) // 2  # every page after the split, from the spool
    assert any(ready.page is not None for ready in applied)  # rendered pages among them


LATER: list[tuple[str, str]] = [
    ("the last decision's text", "UPDATE decision SET text = 'x' WHERE id = 6"),
    ("the last decision deleted", "DELETE FROM decision WHERE id = 6"),
    ("a later agenda number", "UPDATE agenda_entry SET number = 99 WHERE id = 5"),
    ("a later item's state", "UPDATE agenda_item SET state = 'forelagt' WHERE id = 3"),
    (
        "a later body edited",
        "UPDATE audit_entry SET body = replace(body, 'efterretning', 'efterretning!') "
        "WHERE seq = (SELECT max(seq) FROM audit_entry)",
    ),
    (
        "a later column edited",
        "UPDATE audit_entry SET actor = 'mallory' WHERE seq = (SELECT max(seq) - 3 FROM audit_entry)",
    ),
    (
        "a later entry deleted",
        "DELETE FROM audit_entry WHERE seq = (SELECT max(seq) - 4 FROM audit_entry)",
    ),
    (
        "the entry at the split deleted",
        "DELETE FROM audit_entry WHERE seq = (SELECT CAST(max(seq) * 0.4 AS INTEGER) FROM audit_entry)",
    ),
    (
        "the entry after the split swapped with the next",
        "UPDATE audit_entry SET seq = -1 WHERE seq = (SELECT CAST(max(seq) * 0.4 AS INTEGER) + 1 FROM audit_entry);"
        "UPDATE audit_entry SET seq = seq - 1 WHERE seq = (SELECT CAST(max(seq) * 0.4 AS INTEGER) + 2 FROM audit_entry);"
        "UPDATE audit_entry SET seq = (SELECT CAST(max(seq) * 0.4 AS INTEGER) + 2 FROM audit_entry) WHERE seq = -1",
    ),
    ("the head moved back", "UPDATE audit_head SET seq = seq - 1"),
    (
        "the last entries cut off",
        "DELETE FROM audit_entry WHERE seq > (SELECT max(seq) - 2 FROM audit_entry)",
    ),
]


@pytest.mark.parametrize(("what", "sql"), LATER, ids=[case[0] for case in LATER])
def test_a_change_in_the_later_part_is_named_as_one_process_names_it(
    history: Scenario, monkeypatch: pytest.MonkeyPatch, what: str, sql: str
) -> None:
    tamper(history.app, sql)
    alone, split = (verified(history, how, monkeypatch) for how in WALKS)
    assert alone.problem is not None
    assert split == alone


def rewrite_later_body(scenario: Scenario, change: Any) -> None:
    """The body of the last decision's entry rewritten by ``change`` (of its parsed form),
    then every hash after it and the head recomputed: a chain still whole, a different text."""
    engine = scenario.app.database.engine
    with engine.begin() as connection:
        for statement in DISARM[engine.dialect.name]:
            connection.execute(text(statement))
        seq = connection.execute(text("SELECT audit_seq FROM decision WHERE id = 6")).scalar_one()
        rows = connection.execute(
            text("SELECT seq, body, prev_hash FROM audit_entry WHERE seq >= :seq ORDER BY seq"),
            {"seq": seq},
        ).all()
        previous = rows[0].prev_hash or GENESIS_HASH
        for number, stored, _ in rows:
            parsed = json.loads(stored)
            parsed["prev"] = previous
            body = change(parsed) if number == seq else canonical_json(parsed)
            digest = chain_hash(previous, body)
            connection.execute(
                text(
                    "UPDATE audit_entry SET body = :body, prev_hash = :prev, hash = :hash WHERE seq = :seq"
                ),
                {"body": body, "prev": previous, "hash": digest, "seq": number},
            )
            previous = digest
        connection.execute(text("UPDATE audit_head SET hash = :hash"), {"hash": previous})


def reordered(parsed: dict[str, Any]) -> str:
    """The same body with its data's keys in reverse order and every non-ASCII character
    escaped: another text of the same JSON value."""
    data = parsed["data"]
    parsed["data"] = dict(reversed(list(data.items())))
    parsed["data"]["decision"] = dict(reversed(list(data["decision"].items())))
    return json.dumps(parsed, separators=(",", ":"), ensure_ascii=True)


def test_a_body_that_says_the_same_in_another_key_order_or_escaping_verifies_in_both(
    history: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    rewrite_later_body(history, reordered)
    alone, split = (verified(history, how, monkeypatch) for how in WALKS)
    assert alone.ok, alone.problem
    assert split == alone


def test_a_body_in_another_key_order_that_says_something_else_is_caught_in_both(
    history: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    def changed(parsed: dict[str, Any]) -> str:
        parsed["data"]["decision"]["text"] = "Godkendt uden forbehold."
        return reordered(parsed)

    rewrite_later_body(history, changed)
    alone, split = (verified(history, how, monkeypatch) for how in WALKS)
    assert alone.problem is not None and "beslutning 6 afviger" in alone.problem
    assert split == alone


def test_a_change_not_yet_committed_on_the_verifying_connection_is_seen_by_both_walks(
    history: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process reads what is committed; a connection with changes of its own
    in flight is walked in one process (its changes are what it must verify)."""
    engine = history.app.database.engine
    problems = []
    for how in WALKS:
        with monkeypatch.context() as patched, engine.connect() as connection:
            walk_as(how, patched)
            transaction = connection.begin()
            for statement in DISARM[engine.dialect.name]:
                connection.execute(text(statement))
            connection.execute(text("UPDATE decision SET text = 'x' WHERE id = 6"))
            problems.append(verify(Session(bind=connection)).problem)
            transaction.rollback()
    assert problems[0] is not None and "beslutning 6 afviger" in problems[0]
    assert problems[1] == problems[0]
