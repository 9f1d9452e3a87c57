"""Random legal acts keep the trail verifying; one random change behind the product's back
to any covered column or deletable row of any audited table is then caught and named."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from audited_records import build_records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Boolean, Integer, String, Text, text
from sqlmodel import Session
from support import DISARM, Scenario, at

from council.cases.audit_images import AUDITED, Audited
from council.cases.audit_verify import verify
from council.config.errors import CouncilError
from council.workflow import services

OUTCOMES = ("udsat", "taget til efterretning", "godkendt", "drøftet")
NOBODY_REFERS_TO = {
    "decision",
    "agenda_entry",
    "attachment",
    "obligation_link",
    "outbox_message",
    "user_account",
    "correction",
}

acts = st.lists(
    st.one_of(
        st.tuples(st.just("draft"), st.booleans()),
        st.tuples(st.just("meeting"), st.integers(0, 30)),
        st.tuples(st.just("treat"), st.sampled_from(OUTCOMES)),
    ),
    max_size=4,
)


def act(scenario: Scenario, what: str, arg: object, day: list[int]) -> None:
    """One act a clerk may do; one the rules refuse changes nothing (and is skipped)."""
    try:
        if what == "draft":
            services.draft_item(
                scenario.app.database.unit_of_work(),
                scenario.app.rulebook,
                case_number=scenario.case_number,
                committee_code="BIU",
                draft=services.ItemDraft(
                    title="Punkt", kind="beslutning", closed=bool(arg), attachments=("Bilag",)
                ),
                actor="clerk",
                now=at("2011-01-01 09:00"),
            )
        elif what == "meeting":
            on = date(2011, 2, 1) + timedelta(days=int(str(arg)))
            scenario.meeting("BIU", on.isoformat())
        else:
            with scenario.app.database.reading() as session:
                item = max(i for (i,) in session.execute(text("SELECT id FROM agenda_item")))
                meeting = max(m for (m,) in session.execute(text("SELECT id FROM meeting")))
            day[0] += 1
            when = (date(2011, 6, 1) + timedelta(days=day[0])).isoformat()
            scenario.present(item, meeting, when=f"{when} 09:00")
            scenario.decide(item, str(arg), when=f"{when} 17:00")
    except CouncilError:
        pass


def changes(audited: Audited) -> list[str]:
    """SQL fragments that change one covered column of a row to another value."""
    found = []
    for name in audited.covered:
        column = audited.table.c[name]
        if name in audited.read or column.foreign_keys:
            continue
        kind = column.type
        if isinstance(kind, Boolean):
            found.append(f"{name} = NOT {name}")
        elif isinstance(kind, Integer):
            found.append(f"{name} = COALESCE({name}, 0) + 1000")
        elif isinstance(kind, String | Text):
            found.append(f"{name} = COALESCE({name}, '') || 'x'")
    if audited.name in NOBODY_REFERS_TO:
        found.append("DELETE")
    return found


@pytest.fixture
def records(scenario: Scenario) -> Scenario:
    return build_records(scenario)


TAMPERS = [(audited, change) for audited in AUDITED for change in changes(audited)]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(acts=acts, tamper=st.sampled_from(TAMPERS), row=st.integers(0, 50))
def test_legal_acts_verify_and_one_random_change_is_named(
    records: Scenario, acts: list[tuple[str, object]], tamper: tuple[Audited, str], row: int
) -> None:
    day = [0]
    for what, arg in acts:
        act(records, what, arg, day)
    database = records.app.database
    with database.reading() as session:
        report = verify(session)
    assert report.ok, report.problem

    audited, change = tamper
    engine = database.engine
    with engine.connect() as connection:
        transaction = connection.begin()
        keys = connection.execute(
            text(f"SELECT {', '.join(audited.key)} FROM {audited.name} ORDER BY 1, 2")
            if len(audited.key) > 1
            else text(f"SELECT id FROM {audited.name} ORDER BY id")
        ).all()
        target = keys[row % len(keys)]
        where = " AND ".join(
            f"{name} = {value}" for name, value in zip(audited.key, target, strict=True)
        )
        for statement in DISARM[engine.dialect.name]:
            connection.execute(text(statement))
        if change == "DELETE":
            connection.execute(text(f"DELETE FROM {audited.name} WHERE {where}"))
        else:
            connection.execute(text(f"UPDATE {audited.name} SET {change} WHERE {where}"))
        report = verify(Session(bind=connection))
        transaction.rollback()
    assert report.problem is not None, (audited.name, change, where)
    assert f"tabellen over {audited.plural}" in report.problem
