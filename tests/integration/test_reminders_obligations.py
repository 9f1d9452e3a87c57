"""Recording status obligations, linking the items that fulfil them, and where they stand.

Fulfilment is derived from the decision history: SUD's status taken to note on 02.12.2009
fulfils SUD/2009 on time; BIU's, postponed once and taken to note on 23.02.2010, fulfils
BIU/2009 late, and BIU/2010 stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from reminding import add_obligation
from sqlalchemy import select
from sqlmodel import col
from support import Scenario, at

from council.cases.audit_verify import verify
from council.cases.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from council.cases.obligations import fulfilment as fulfilment_store
from council.cases.obligations import lines as line_store
from council.cases.obligations.tables import StatusObligation
from council.config.errors import CouncilError
from council.workflow import obligation_services
from council.workflow.app import App
from council.workflow.errors import MissingActorError
from council.workflow.read_models import obligations as obligation_reads


def table(app: App, when: str, **options: object) -> list[tuple[str, str, str, str]]:
    """(committee, period, state, next reminder) of every row of the table at ``when``."""
    rows = obligation_reads.obligation_table(app, now=at(when), **options)  # type: ignore[arg-type]
    return [
        (
            row.line.committee_code,
            row.period.key,
            obligation_reads.describe_state(row),
            obligation_reads.describe_next(row),
        )
        for row in rows
    ]


def seed_history(scenario: Scenario) -> tuple[int, int]:
    """SUD's item taken to note on 02.12.2009; BIU's postponed 26.01, noted 23.02.2010."""
    sud_meeting = scenario.meeting("SUD", "2009-12-02")
    sud = scenario.draft("SUD")
    obligation_services.link_item(
        scenario.uow(), obligation_ref="1", item_id=sud, actor="clerk", now=at("2009-11-20 10:00")
    )
    scenario.present(sud, sud_meeting, when="2009-11-20 10:10")
    scenario.decide(sud, "taget til efterretning", when="2009-12-02 17:00")
    january = scenario.meeting("BIU", "2010-01-26")
    february = scenario.meeting("BIU", "2010-02-23")
    biu = scenario.draft("BIU")
    obligation_services.link_item(
        scenario.uow(),
        obligation_ref="2010-4130:BIU",
        item_id=biu,
        actor="clerk",
        now=at("2010-01-15 09:00"),
    )
    scenario.present(biu, january, when="2010-01-15 09:10")
    scenario.decide(biu, "udsat", when="2010-01-26 17:00")
    scenario.present(biu, february, when="2010-02-10 09:00")
    scenario.decide(biu, "taget til efterretning", when="2010-02-23 17:00")
    return sud, biu


def test_an_obligation_to_two_committees_is_two_lines_reminding_owner_and_secretariat(
    scenario: Scenario,
) -> None:
    sud, biu = add_obligation(scenario.app, about="Status på resultatmål")
    assert (sud.id, sud.committee_code, biu.id, biu.committee_code) == (1, "SUD", 2, "BIU")
    assert sud.recipients == ("kontakt.sof@kk.example", "sekretariat.sud@kk.example")
    assert biu.recipients == ("kontakt.sof@kk.example", "sekretariat.biu@kk.example")
    assert (sud.cadence, sud.due_rule) == ("FREQ=YEARLY", "12-31")
    assert sud.lead_days == (60, 14, 0)
    assert sud.escalate_every_days == 7
    assert [(p.key, p.start, p.due) for p in sud.periods] == [
        ("2009", date(2008, 8, 1), date(2009, 12, 31)),
        ("2010", date(2010, 1, 1), date(2010, 12, 31)),
    ]
    # the sweep's bookmark: the first reminder, 60 days before 31.12.2009 at 08:00
    with scenario.app.database.reading() as session:
        bookmarks = session.execute(
            select(col(StatusObligation.id), col(StatusObligation.next_check_at))
        ).all()
        assert sorted(bookmarks) == [(1, at("2009-11-01 08:00")), (2, at("2009-11-01 08:00"))]
        assert line_store.lines(session) == [sud, biu]  # as recorded, so as read back
        assert verify(session).ok


def test_explicit_settings_and_recipients_are_kept(scenario: Scenario) -> None:
    [line] = add_obligation(
        scenario.app,
        committee_codes=["biu"],
        cadence="RRULE:FREQ=YEARLY;INTERVAL=2",
        due="1. maj",
        lead_days=[30, 0],
        escalate_every_days=0,
        recipients=["Anne Jensen <aj@kk.example>", "biu@kk.example, biu@kk.example"],
    )
    assert (line.cadence, line.due_rule, line.lead_days, line.escalate_every_days) == (
        "FREQ=YEARLY;INTERVAL=2",
        "05-01",
        (30, 0),
        None,
    )
    assert line.recipients == ("Anne Jensen <aj@kk.example>", "biu@kk.example")
    with scenario.app.database.reading() as session:
        assert line_store.lines(session) == [line]
    assert [p.key for p in line.periods] == ["2010-2011"]


def test_the_table_follows_the_seed_through_2009_and_2010(scenario: Scenario) -> None:
    add_obligation(scenario.app)
    seed_history(scenario)
    app = scenario.app
    assert table(app, "2009-06-30 12:00") == [
        ("SUD", "2009", "frist om 184 dage", "Påmindelse 01.11.2009"),
        ("BIU", "2009", "frist om 184 dage", "Påmindelse 01.11.2009"),
    ]
    assert table(app, "2009-12-20 12:00") == [
        ("SUD", "2009", "opfyldt 02.12.2009 (punkt-id\u00a01)", "—"),
        ("BIU", "2009", "snart: frist om 11 dage", "Frist i dag 31.12.2009"),
    ]
    assert table(app, "2010-02-01 12:00", committee_code="BIU") == [
        ("BIU", "2009", "overskredet med 32 dage", "Rykker 5 04.02.2010"),
        ("BIU", "2010", "frist om 333 dage", "Påmindelse 01.11.2010"),
    ]
    assert table(app, "2010-03-01 12:00", committee_code="biu") == [
        ("BIU", "2009", "opfyldt 23.02.2010, 54 dage for sent (punkt-id\u00a02)", "—"),
        ("BIU", "2010", "frist om 305 dage", "Påmindelse 01.11.2010"),
    ]
    assert table(app, "2011-01-15 12:00", overdue_only=True) == [
        ("SUD", "2010", "overskredet med 15 dage", "—"),
        ("BIU", "2010", "overskredet med 15 dage", "—"),
    ]


def test_a_decision_fulfils_only_from_its_date_and_a_postponement_never(
    scenario: Scenario,
) -> None:
    add_obligation(scenario.app)
    seed_history(scenario)
    # 26.01.2010 BIU postponed the item: not a fulfilment
    assert table(scenario.app, "2010-01-27 12:00", committee_code="BIU")[0][2] == (
        "overskredet med 27 dage"
    )
    with scenario.app.database.reading() as session:
        found = fulfilment_store.fulfilments(
            session, [1, 2], fulfilling_states=scenario.app.rulebook.definition.fulfilling_states
        )
    assert [(f.on, f.item_id, f.to_state) for f in found[1]] == [
        (date(2009, 12, 2), 1, "taget_til_efterretning")
    ]
    assert [(f.on, f.item_id) for f in found[2]] == [(date(2010, 2, 23), 2)]


def test_an_item_of_another_committee_never_fulfils_a_line(scenario: Scenario) -> None:
    add_obligation(scenario.app)
    sud_item = scenario.draft("SUD")
    with pytest.raises(
        InvalidInputError, match="statusforpligtelse 2 er en status til BIU, men punktet"
    ):
        obligation_services.link_item(
            scenario.uow(),
            obligation_ref="2",
            item_id=sud_item,
            actor="clerk",
            now=at("2010-01-04"),
        )
    # by case number alone, the item's committee picks the line
    line = obligation_services.link_item(
        scenario.uow(),
        obligation_ref="2010-4130",
        item_id=sud_item,
        actor="clerk",
        now=at("2010-01-04 10:00"),
    )
    assert line.committee_code == "SUD"


def test_a_withdrawn_item_does_not_fulfil(scenario: Scenario) -> None:
    add_obligation(scenario.app)
    item = scenario.draft("SUD")
    obligation_services.link_item(
        scenario.uow(), obligation_ref="1", item_id=item, actor="clerk", now=at("2010-01-04 10:00")
    )
    scenario.decide(item, "trukket", when="2010-01-05 10:00")
    assert table(scenario.app, "2010-01-06 12:00", committee_code="SUD")[0][2] == (
        "overskredet med 6 dage"
    )


def refusals(scenario: Scenario) -> dict[str, Callable[[], object]]:
    app = scenario.app

    def adding(**options: object) -> Callable[[], object]:
        return lambda: add_obligation(app, **options)

    def linking(ref: str, item_id: int) -> Callable[[], object]:
        return lambda: obligation_services.link_item(
            scenario.uow(), obligation_ref=ref, item_id=item_id, actor="clerk", now=at("2010-01-04")
        )

    return {
        "invalid RRULE": adding(cadence="FREQ=MONTHLY"),
        "malformed RRULE": adding(cadence="FREQ=YEARLY;INTERVAL=x"),
        "end before start": adding(starts_on=date(2010, 12, 31), ends_on=date(2008, 8, 1)),
        "unknown committee": adding(committee_codes=["SUD", "XYZ"]),
        "no committee": adding(committee_codes=[" "]),
        "unknown case": adding(case_number="2099-1"),
        "bad due rule": adding(due="30. februar"),
        "negative lead": adding(lead_days=[60, -1]),
        "negative escalation": adding(escalate_every_days=-7),
        "bad recipient": adding(recipients=["not an address"]),
        "no actor": adding(actor=" "),
        "twice": adding(),
        "ukendt statusforpligtelse": linking("99", 1),
        "ukendt punkt-id": linking("1", 99),
        "unknown case ref": linking("2099-1:SUD", 1),
        "linked twice": linking("1", 1),
    }


@pytest.mark.parametrize(
    ("name", "error", "says"),
    [
        ("invalid RRULE", InvalidInputError, "er ikke årlig"),
        ("malformed RRULE", InvalidInputError, "ikke en gyldig RRULE"),
        ("end before start", InvalidInputError, "før startdatoen"),
        ("unknown committee", NotFoundError, "ukendt udvalg 'XYZ'"),
        ("no committee", InvalidInputError, "mindst ét --committee"),
        ("unknown case", NotFoundError, "ukendt sag '2099-1'"),
        ("bad due rule", InvalidInputError, "dag 30 findes ikke i måned 2"),
        ("negative lead", InvalidInputError, "varslet -1"),
        ("negative escalation", InvalidInputError, "eskaleringsintervallet"),
        ("bad recipient", InvalidInputError, "'not an address' er ikke en e-mailadresse"),
        ("no actor", MissingActorError, "ingen aktør angivet"),
        (
            "twice",
            AlreadyExistsError,
            "har allerede denne statusforpligtelse over for SUD (statusforpligtelse 1)",
        ),
        ("ukendt statusforpligtelse", NotFoundError, "ukendt statusforpligtelse 99"),
        ("ukendt punkt-id", NotFoundError, "ukendt punkt-id 99"),
        ("unknown case ref", NotFoundError, "angiver ikke en statusforpligtelse"),
        (
            "linked twice",
            AlreadyExistsError,
            "punkt-id 1 er allerede knyttet til statusforpligtelse 1",
        ),
    ],
)
def test_bad_input_is_refused_in_one_line_and_changes_nothing(
    scenario: Scenario,
    snapshot: Callable[[], str],
    name: str,
    error: type[CouncilError],
    says: str,
) -> None:
    add_obligation(scenario.app)
    item = scenario.draft("SUD")
    obligation_services.link_item(
        scenario.uow(), obligation_ref="1", item_id=item, actor="clerk", now=at("2010-01-04 10:00")
    )
    before = snapshot()
    with pytest.raises(error) as excinfo:
        refusals(scenario)[name]()
    message = str(excinfo.value)
    assert says in message
    assert "\n" not in message
    assert snapshot() == before
