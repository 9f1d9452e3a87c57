"""The date mathematics of status obligations: periods, due dates, reminder steps, states.

The seed case (DESIGN.md section 7): an agreement running 2008-08-01 to 2010-12-31 with a
yearly status to SUD and to BIU, due by 31 December. SUD took its 2009 status to note on
2009-12-02; BIU took its 2009 status to note on 2010-02-23, after the year had ended.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice, pairwise
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from council.cases.errors import InvalidInputError
from council.cases.obligations.periods import (
    Period,
    fulfilments_by_period,
    period_state,
    periods,
)
from council.cases.obligations.steps import PeriodDue, Schedule, Step, schedule
from council.cases.obligations.terms import (
    DEFAULT_DUE,
    Cadence,
    DueRule,
    parse_cadence,
    parse_due_rule,
)

CPH = ZoneInfo("Europe/Copenhagen")
SEED_START = date(2008, 8, 1)
SEED_END = date(2010, 12, 31)
YEARLY = parse_cadence("FREQ=YEARLY")


def seed_periods() -> list[Period]:
    return periods(start=SEED_START, end=SEED_END, cadence=YEARLY, due=DEFAULT_DUE)


def seed_2009() -> Period:
    return seed_periods()[0]


def seed_2010() -> Period:
    return seed_periods()[1]


SEED = schedule(start=SEED_START, end=SEED_END, cadence=YEARLY)  # 60, 14, 0 days; weekly


def seed_steps(period: Period, **rules: object) -> list[Step]:
    """Every reminder step of one of the seed's periods, under the default rules or ``rules``."""
    return list(schedule(start=SEED_START, end=SEED_END, cadence=YEARLY, **rules).steps(period))  # type: ignore[arg-type]


def due_2009(*, now: datetime, fulfilled_on: date | None) -> PeriodDue:
    """What the seed's 2009 period owes at ``now``."""
    return SEED.period_due(seed_2009(), now=now, fulfilled_on=fulfilled_on)


def keys(steps: list[Step]) -> list[str]:
    return [step.key for step in steps]


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CPH)


def refusal(excinfo: pytest.ExceptionInfo[InvalidInputError]) -> str:
    message = str(excinfo.value)
    assert message
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------- periods


def test_the_seed_obligation_has_no_stub_2008_period_only_2009_and_2010() -> None:
    assert seed_periods() == [
        Period(key="2009", start=date(2008, 8, 1), end=date(2009, 12, 31), due=date(2009, 12, 31)),
        Period(key="2010", start=date(2010, 1, 1), end=date(2010, 12, 31), due=date(2010, 12, 31)),
    ]


def test_an_obligation_from_1_january_is_first_due_at_the_end_of_that_year() -> None:
    result = periods(start=date(2009, 1, 1), end=date(2011, 12, 31), cadence=YEARLY)
    assert [(p.key, p.start, p.due) for p in result] == [
        ("2009", date(2009, 1, 1), date(2009, 12, 31)),
        ("2010", date(2010, 1, 1), date(2010, 12, 31)),
        ("2011", date(2011, 1, 1), date(2011, 12, 31)),
    ]


def test_the_first_due_date_is_the_first_one_a_full_interval_after_the_start() -> None:
    # start + 1 year - 1 day = 2009-12-31 exactly: due that day.
    assert periods(start=date(2009, 1, 1), end=date(2009, 12, 31), cadence=YEARLY)[0].due == date(
        2009, 12, 31
    )
    # start + 1 year - 1 day = 2010-01-01: the first 31 December on or after it is in 2010.
    first = periods(start=date(2009, 1, 2), end=date(2012, 12, 31), cadence=YEARLY)[0]
    assert (first.key, first.start, first.due) == ("2010", date(2009, 1, 2), date(2010, 12, 31))


def test_a_due_day_early_in_the_year_makes_the_first_period_longer_than_a_year() -> None:
    result = periods(start=SEED_START, end=SEED_END, cadence=YEARLY, due="31.03")
    assert [(p.key, p.start, p.end, p.due) for p in result] == [
        ("2010", date(2008, 8, 1), date(2010, 3, 31), date(2010, 3, 31)),
        # the nominal 2011-03-31 is after the end: the last period is clipped, due at the end
        ("2011", date(2010, 4, 1), date(2010, 12, 31), date(2010, 12, 31)),
    ]


def test_each_period_runs_from_the_day_after_the_previous_due_date_to_its_own() -> None:
    result = periods(start=SEED_START, end=SEED_END, cadence=YEARLY, due="1. maj")
    assert [(p.key, p.start, p.due) for p in result] == [
        ("2010", date(2008, 8, 1), date(2010, 5, 1)),
        ("2011", date(2010, 5, 2), date(2010, 12, 31)),
    ]
    assert all(p.end == p.due for p in result)


def test_a_two_yearly_cadence_gives_one_period_for_the_seed_named_by_both_years() -> None:
    result = periods(
        start=SEED_START, end=SEED_END, cadence=parse_cadence("FREQ=YEARLY;INTERVAL=2")
    )
    assert result == [
        Period(
            key="2009-2010", start=date(2008, 8, 1), end=date(2010, 12, 31), due=date(2010, 12, 31)
        ),
    ]


def test_a_two_yearly_cadence_is_due_every_second_year_from_the_first_due_date() -> None:
    result = periods(
        start=date(2009, 3, 1), end=date(2014, 6, 30), cadence="FREQ=YEARLY;INTERVAL=2"
    )
    assert [(p.key, p.start, p.end, p.due) for p in result] == [
        ("2010-2011", date(2009, 3, 1), date(2011, 12, 31), date(2011, 12, 31)),
        ("2012-2013", date(2012, 1, 1), date(2013, 12, 31), date(2013, 12, 31)),
        ("2014-2015", date(2014, 1, 1), date(2014, 6, 30), date(2014, 6, 30)),
    ]


def test_period_keys_do_not_change_when_the_obligation_end_moves() -> None:
    shorter = periods(start=SEED_START, end=date(2010, 6, 30), cadence=YEARLY)
    longer = periods(start=SEED_START, end=date(2011, 12, 31), cadence=YEARLY)
    assert [p.key for p in shorter] == ["2009", "2010"]
    assert [p.key for p in longer] == ["2009", "2010", "2011"]
    two_yearly = "FREQ=YEARLY;INTERVAL=2"
    assert [
        p.key for p in periods(start=SEED_START, end=date(2010, 6, 30), cadence=two_yearly)
    ] == ["2009-2010"]


def test_the_last_due_date_is_clipped_to_the_obligation_end() -> None:
    last = periods(start=SEED_START, end=date(2010, 6, 30), cadence=YEARLY)[-1]
    assert (last.key, last.start, last.end, last.due) == (
        "2010",
        date(2010, 1, 1),
        date(2010, 6, 30),
        date(2010, 6, 30),
    )


def test_an_obligation_shorter_than_its_interval_has_one_period_due_at_its_end() -> None:
    day = date(2009, 5, 5)
    assert periods(start=day, end=day, cadence=YEARLY) == [
        Period(key="2010", start=day, end=day, due=day)
    ]
    short = periods(start=date(2009, 1, 1), end=date(2009, 6, 30), cadence=YEARLY)
    assert [(p.key, p.due) for p in short] == [("2009", date(2009, 6, 30))]


def test_an_obligation_starting_on_29_february_is_first_due_a_year_later() -> None:
    result = periods(start=date(2008, 2, 29), end=date(2010, 12, 31), cadence=YEARLY, due="28.02")
    # 2008-02-29 + 1 year = 2009-02-28, less a day = 2009-02-27: due 2009-02-28.
    first = result[0]
    assert (first.key, first.start, first.due) == (
        "2009",
        date(2008, 2, 29),
        date(2009, 2, 28),
    )


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        periods(start=date(2010, 12, 31), end=date(2008, 8, 1), cadence=YEARLY)
    assert "før startdatoen" in refusal(excinfo)


def test_periods_beyond_the_calendar_are_refused_in_one_line() -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        periods(start=date(9999, 6, 1), end=date(9999, 12, 31), cadence=YEARLY)
    assert "ud over år 9999" in refusal(excinfo)


def test_periods_read_cadence_and_due_rule_given_as_text() -> None:
    as_text = periods(start=SEED_START, end=SEED_END, cadence="RRULE:FREQ=YEARLY", due="31.12")
    assert as_text == seed_periods()


# --------------------------------------------------------------------------- fulfilment


def test_sud_taking_the_status_to_note_on_2_december_2009_fulfils_sud_2009() -> None:
    result = fulfilments_by_period(seed_periods(), [(date(2009, 12, 2), "SUD item 17")])
    assert result == {"2009": (date(2009, 12, 2), "SUD item 17")}


def test_biu_taking_it_to_note_on_23_february_2010_fulfils_2009_late_and_leaves_2010_open() -> None:
    result = fulfilments_by_period(seed_periods(), [(date(2010, 2, 23), "BIU item 4")])
    assert result == {"2009": (date(2010, 2, 23), "BIU item 4")}


def test_a_second_fulfilment_counts_for_the_next_started_period() -> None:
    result = fulfilments_by_period(
        seed_periods(), [(date(2010, 11, 20), "second"), (date(2010, 2, 23), "first")]
    )
    assert result == {"2009": (date(2010, 2, 23), "first"), "2010": (date(2010, 11, 20), "second")}


def test_a_fulfilment_counts_only_for_a_period_that_has_started() -> None:
    # Two statuses in 2009: the second cannot fulfil 2010, which starts on 2010-01-01.
    result = fulfilments_by_period(
        seed_periods(), [(date(2009, 6, 1), "a"), (date(2009, 12, 2), "b")]
    )
    assert result == {"2009": (date(2009, 6, 1), "a")}
    assert fulfilments_by_period(seed_periods(), [(date(2008, 7, 1), "before the start")]) == {}


def test_a_status_after_the_obligation_end_still_fulfils_the_last_open_period() -> None:
    result = fulfilments_by_period(
        seed_periods(), [(date(2009, 12, 2), "2009"), (date(2011, 2, 1), "late 2010")]
    )
    assert result["2010"] == (date(2011, 2, 1), "late 2010")


# --------------------------------------------------------------------------- cadence


@pytest.mark.parametrize(
    ("text", "interval", "canonical"),
    [
        ("FREQ=YEARLY", 1, "FREQ=YEARLY"),
        ("RRULE:FREQ=YEARLY", 1, "FREQ=YEARLY"),
        ("  rrule:freq=yearly;  ", 1, "FREQ=YEARLY"),
        ("FREQ=YEARLY;INTERVAL=1", 1, "FREQ=YEARLY"),
        ("FREQ=YEARLY;INTERVAL=2", 2, "FREQ=YEARLY;INTERVAL=2"),
        ("INTERVAL=2;FREQ=YEARLY", 2, "FREQ=YEARLY;INTERVAL=2"),
        ("RRULE:FREQ=YEARLY;INTERVAL=3", 3, "FREQ=YEARLY;INTERVAL=3"),
    ],
)
def test_a_yearly_rrule_is_read_and_stored_canonically(
    text: str, interval: int, canonical: str
) -> None:
    cadence = parse_cadence(text)
    assert cadence == Cadence(interval=interval)
    assert cadence.rule == str(cadence) == canonical
    assert parse_cadence(cadence.rule) == cadence


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "er tom"),
        ("   ", "er tom"),
        ("YEARLY", "ikke er NAVN=VÆRDI"),
        ("FREQ=FOO", "ikke en gyldig RRULE"),
        ("FREQ=YEARLY;INTERVAL=x", "ikke en gyldig RRULE"),
        ("FREQ=YEARLY;INTERVAL=0", "1 eller mere"),
        ("FREQ=YEARLY;INTERVAL=-1", "1 eller mere"),
        ("INTERVAL=2", "ingen FREQ"),
        ("FREQ=YEARLY;INTERVAL=2;INTERVAL=3", "mere end én gang"),
        ("FREQ=MONTHLY", "ikke årlig"),
        ("FREQ=WEEKLY;INTERVAL=52", "ikke årlig"),
        ("FREQ=YEARLY;BYMONTH=12", "kun FREQ og INTERVAL"),
        ("FREQ=YEARLY\nRDATE:20090101", "mere end én linje"),
    ],
)
def test_an_invalid_rrule_is_refused_with_a_one_line_message(text: str, says: str) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        parse_cadence(text)
    message = refusal(excinfo)
    assert says in message
    assert "FREQ=YEARLY;INTERVAL=2" in message  # an example of a valid value


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("DTSTART:20080801T000000\nRRULE:FREQ=YEARLY", "DTSTART"),
        ("FREQ=YEARLY;DTSTART=20080801", "DTSTART"),
        ("FREQ=YEARLY;UNTIL=20101231", "UNTIL"),
        ("FREQ=YEARLY;COUNT=3", "COUNT"),
    ],
)
def test_a_rule_with_its_own_bounds_is_refused_because_the_obligation_bounds_the_periods(
    text: str, part: str
) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        parse_cadence(text)
    message = refusal(excinfo)
    assert f"indeholder {part}" in message
    assert "så udelad d" in message


def test_a_cadence_cannot_be_built_with_an_interval_below_one() -> None:
    with pytest.raises(InvalidInputError):
        Cadence(interval=0)


# --------------------------------------------------------------------------- due rule


@pytest.mark.parametrize(
    "text",
    [
        "12-31",
        "--12-31",
        "31.12",
        "31.12.",
        "31/12",
        "31 december",
        "31. december",
        "31. December",
        "31. dec.",
        " 31  dec ",
    ],
)
def test_the_due_rule_reads_iso_danish_numeric_and_danish_month_names(text: str) -> None:
    assert parse_due_rule(text) == DueRule(month=12, day=31) == DEFAULT_DUE


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        ("1. maj", 5, 1),
        ("31. marts", 3, 31),
        ("15. okt.", 10, 15),
        ("1 sept", 9, 1),
        ("29. februar", 2, 29),
        ("02-29", 2, 29),
        ("5.6", 6, 5),
    ],
)
def test_the_due_rule_knows_the_danish_months(text: str, month: int, day: int) -> None:
    rule = parse_due_rule(text)
    assert (rule.month, rule.day) == (month, day)
    assert parse_due_rule(rule.text) == rule


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "er tom"),
        ("december", "ikke en dag i året"),
        ("31-12", "måned 31"),
        ("31.13", "måned 13"),
        ("30. februar", "dag 30 findes ikke i måned 2"),
        ("31.04", "dag 31 findes ikke i måned 4"),
        ("0.12", "dag 0"),
        ("31. decembre", "ikke et dansk månedsnavn"),
        ("2009-12-31", "ikke en dag i året"),
    ],
)
def test_a_malformed_due_rule_is_refused_with_a_one_line_message(text: str, says: str) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        parse_due_rule(text)
    message = refusal(excinfo)
    assert says in message
    assert "'31.12'" in message  # an example of a valid value


def test_a_due_rule_cannot_be_built_for_a_day_that_does_not_exist() -> None:
    with pytest.raises(InvalidInputError):
        DueRule(month=2, day=30)


def test_a_due_day_of_29_february_falls_on_28_february_in_common_years() -> None:
    result = periods(start=date(2011, 1, 1), end=date(2014, 12, 31), cadence=YEARLY, due="29.02")
    # start + 1 year - 1 day = 2011-12-31, so the first due date is 2012-02-29.
    assert [(p.key, p.start, p.due) for p in result] == [
        ("2012", date(2011, 1, 1), date(2012, 2, 29)),
        ("2013", date(2012, 3, 1), date(2013, 2, 28)),
        ("2014", date(2013, 3, 1), date(2014, 2, 28)),
        ("2015", date(2014, 3, 1), date(2014, 12, 31)),
    ]
    assert DueRule(month=2, day=29).on(1900) == date(1900, 2, 28)
    assert DueRule(month=2, day=29).on(2000) == date(2000, 2, 29)


# --------------------------------------------------------------------------- reminder steps


def test_a_period_has_lead_due_and_weekly_overdue_steps_crossing_new_year() -> None:
    steps = seed_steps(seed_2009())
    assert [(s.key, s.kind, s.day) for s in steps[:6]] == [
        ("lead-60", "lead", date(2009, 11, 1)),
        ("lead-14", "lead", date(2009, 12, 17)),
        ("due", "due", date(2009, 12, 31)),
        ("overdue-1", "overdue", date(2010, 1, 7)),
        ("overdue-2", "overdue", date(2010, 1, 14)),
        ("overdue-3", "overdue", date(2010, 1, 21)),
    ]
    # Weekly until the obligation ends on 2010-12-31: the last escalation is 2010-12-30.
    assert (steps[-1].key, steps[-1].day) == ("overdue-52", date(2010, 12, 30))
    assert len(steps) == 3 + 52


def test_the_seed_2010_period_gets_its_notices_but_no_escalation_as_the_obligation_ends() -> None:
    steps = seed_steps(seed_2010())
    assert [(s.key, s.day) for s in steps] == [
        ("lead-60", date(2010, 11, 1)),
        ("lead-14", date(2010, 12, 17)),
        ("due", date(2010, 12, 31)),
    ]


def test_lead_times_may_come_in_any_order_and_without_a_due_day_notice() -> None:
    steps = seed_steps(seed_2009(), lead_days=[14, 30, 14], escalate_every_days=None)
    assert [(s.key, s.day) for s in steps] == [
        ("lead-30", date(2009, 12, 1)),
        ("lead-14", date(2009, 12, 17)),
    ]


def test_escalation_can_be_turned_off_or_made_monthly() -> None:
    off = seed_steps(seed_2009(), escalate_every_days=None)
    assert keys(off) == ["lead-60", "lead-14", "due"]
    monthly = seed_steps(seed_2009(), escalate_every_days=30)
    assert [(s.key, s.day) for s in monthly[3:5]] == [
        ("overdue-1", date(2010, 1, 30)),
        ("overdue-2", date(2010, 3, 1)),
    ]


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2009, 10, 24), 6),  # CEST, the last summer day
        (date(2009, 10, 25), 7),  # clocks went back at 03:00, so 08:00 is CET
        (date(2009, 10, 26), 7),
        (date(2010, 3, 27), 7),  # CET, the last winter day
        (date(2010, 3, 28), 6),  # clocks went forward at 02:00, so 08:00 is CEST
        (date(2010, 3, 29), 6),
        (date(2009, 12, 31), 7),
        (date(2010, 7, 1), 6),
    ],
)
def test_08_copenhagen_is_07_utc_in_winter_and_06_utc_in_summer(day: date, utc_hour: int) -> None:
    # an obligation of one period, due on ``day``: its due-day notice goes out that day
    plan = schedule(
        start=day - timedelta(days=30),
        end=day,
        cadence=YEARLY,
        lead_days=[0],
        escalate_every_days=None,
    )
    [notice] = plan.steps(plan.periods[0])
    assert notice.day == day
    instant = notice.due_at
    assert instant == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)
    assert instant.tzinfo is UTC
    assert instant.astimezone(CPH).time() == time(8, 0)


def test_steps_around_the_autumn_change_are_sent_at_08_local() -> None:
    # 2008-10-26 + 1 year - 1 day = 2009-10-25: due on the day the clocks go back.
    plan = schedule(
        start=date(2008, 10, 26),
        end=SEED_END,
        cadence=YEARLY,
        due="25. oktober",
        lead_days=(1, 0),
        escalate_every_days=1,
    )
    period = plan.periods[0]
    assert period.due == date(2009, 10, 25)
    steps = list(plan.steps(period))
    assert [(s.key, s.due_at) for s in steps[:3]] == [
        ("lead-1", datetime(2009, 10, 24, 6, tzinfo=UTC)),
        ("due", datetime(2009, 10, 25, 7, tzinfo=UTC)),
        ("overdue-1", datetime(2009, 10, 26, 7, tzinfo=UTC)),
    ]


def test_steps_around_the_spring_change_are_sent_at_08_local() -> None:
    # 2009-03-29 + 1 year - 1 day = 2010-03-28: due on the day the clocks go forward.
    plan = schedule(
        start=date(2009, 3, 29),
        end=SEED_END,
        cadence=YEARLY,
        due="28. marts",
        lead_days=(1, 0),
        escalate_every_days=1,
    )
    period = plan.periods[0]
    assert period.due == date(2010, 3, 28)
    steps = list(plan.steps(period))
    assert [(s.key, s.due_at) for s in steps[:3]] == [
        ("lead-1", datetime(2010, 3, 27, 7, tzinfo=UTC)),
        ("due", datetime(2010, 3, 28, 6, tzinfo=UTC)),
        ("overdue-1", datetime(2010, 3, 29, 6, tzinfo=UTC)),
    ]


def test_the_send_time_and_zone_can_be_chosen() -> None:
    steps = seed_steps(seed_2009(), tz="America/New_York", send_at=time(9, 30))
    assert steps[2].key == "due"
    assert steps[2].due_at == datetime(2009, 12, 31, 14, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- the seed, replayed


def test_biu_2009_fulfilled_on_23_february_2010_got_ten_steps_by_the_end_of_march() -> None:
    due = due_2009(
        now=local(2010, 3, 31, 23, 59),
        fulfilled_on=date(2010, 2, 23),
    ).steps
    assert [(s.key, s.day) for s in due] == [
        ("lead-60", date(2009, 11, 1)),
        ("lead-14", date(2009, 12, 17)),
        ("due", date(2009, 12, 31)),
        ("overdue-1", date(2010, 1, 7)),
        ("overdue-2", date(2010, 1, 14)),
        ("overdue-3", date(2010, 1, 21)),
        ("overdue-4", date(2010, 1, 28)),
        ("overdue-5", date(2010, 2, 4)),
        ("overdue-6", date(2010, 2, 11)),
        ("overdue-7", date(2010, 2, 18)),
    ]


def test_biu_2009_gets_nothing_more_after_its_fulfilment() -> None:
    late = due_2009(
        now=datetime(2011, 6, 1, tzinfo=UTC),
        fulfilled_on=date(2010, 2, 23),
    ).steps
    assert keys(late)[-1] == "overdue-7"
    assert len(late) == 10
    assert (
        due_2009(
            now=datetime(2010, 3, 31, tzinfo=UTC),
            fulfilled_on=date(2010, 2, 23),
        ).following
        is None
    )


def test_a_step_on_the_fulfilment_day_is_not_due() -> None:
    due = due_2009(
        now=datetime(2010, 3, 31, tzinfo=UTC),
        fulfilled_on=date(2010, 1, 14),  # the day of overdue-2
    ).steps
    assert keys(due)[-1] == "overdue-1"


def test_sud_2009_fulfilled_on_2_december_2009_only_got_the_60_day_notice() -> None:
    due = due_2009(
        now=datetime(2010, 12, 31, 23, tzinfo=UTC),
        fulfilled_on=date(2009, 12, 2),
    ).steps
    assert [(s.key, s.day) for s in due] == [("lead-60", date(2009, 11, 1))]


def test_an_unfulfilled_2009_status_is_escalated_weekly_until_the_obligation_ends() -> None:
    due = due_2009(
        now=datetime(2011, 6, 1, tzinfo=UTC),
        fulfilled_on=None,
    ).steps
    assert len(due) == 55
    assert due[-1].day == date(2010, 12, 30)


def test_a_step_is_due_from_its_instant_on() -> None:
    def due_keys(now: datetime) -> list[str]:
        return keys(due_2009(now=now, fulfilled_on=None).steps)

    assert due_keys(datetime(2009, 12, 31, 6, 59, 59, tzinfo=UTC)) == ["lead-60", "lead-14"]
    assert due_keys(datetime(2009, 12, 31, 7, tzinfo=UTC)) == ["lead-60", "lead-14", "due"]
    assert due_keys(local(2009, 12, 31, 8)) == ["lead-60", "lead-14", "due"]


def test_the_following_step_names_the_coming_reminder_for_a_status_table() -> None:
    def coming(now: datetime, fulfilled_on: date | None = None) -> Step | None:
        return due_2009(now=now, fulfilled_on=fulfilled_on).following

    assert coming(datetime(2009, 1, 1, tzinfo=UTC)) == Step(
        key="lead-60",
        kind="lead",
        day=date(2009, 11, 1),
        due_at=datetime(2009, 11, 1, 7, tzinfo=UTC),
    )
    before_due = coming(datetime(2009, 12, 31, 6, tzinfo=UTC))
    assert before_due is not None
    assert before_due.key == "due"
    after_due = coming(datetime(2009, 12, 31, 7, tzinfo=UTC))
    assert after_due is not None
    assert (after_due.key, after_due.day) == ("overdue-1", date(2010, 1, 7))
    assert coming(datetime(2010, 12, 30, 7, tzinfo=UTC)) is None  # overdue-52 was the last
    assert coming(datetime(2009, 12, 20, tzinfo=UTC), fulfilled_on=date(2009, 12, 2)) is None


def test_a_fulfilment_date_after_now_counts_as_not_yet_fulfilled() -> None:
    january = datetime(2010, 1, 10, tzinfo=UTC)
    state = period_state(period=seed_2009(), now=january, fulfilled_on=date(2010, 2, 23))
    assert (state.kind, state.days_overdue, state.fulfilled_on) == ("overdue", 10, None)
    coming = due_2009(now=january, fulfilled_on=date(2010, 2, 23)).following
    assert coming is not None
    assert coming.key == "overdue-2"


# --------------------------------------------------------------------------- period state


def test_the_biu_2009_status_was_fulfilled_54_days_late() -> None:
    state = period_state(
        period=seed_2009(), now=datetime(2010, 3, 31, tzinfo=UTC), fulfilled_on=date(2010, 2, 23)
    )
    assert state.kind == "late_fulfilled"
    assert state.days_late == 54
    assert state.days_overdue == 0
    assert state.fulfilled_on == date(2010, 2, 23)
    assert state.due == date(2009, 12, 31)


def test_the_sud_2009_status_was_fulfilled_on_time() -> None:
    state = period_state(
        period=seed_2009(), now=datetime(2010, 3, 31, tzinfo=UTC), fulfilled_on=date(2009, 12, 2)
    )
    assert (state.kind, state.days_late, state.fulfilled_on) == ("fulfilled", 0, date(2009, 12, 2))


def test_a_status_fulfilled_on_its_due_date_is_on_time() -> None:
    state = period_state(
        period=seed_2009(), now=datetime(2010, 1, 1, tzinfo=UTC), fulfilled_on=date(2009, 12, 31)
    )
    assert state.kind == "fulfilled"


@pytest.mark.parametrize(
    ("now", "kind", "days_until_due"),
    [
        (local(2009, 6, 1), "upcoming", 213),
        (local(2009, 12, 16, 23, 59), "upcoming", 15),
        (local(2009, 12, 17), "due_soon", 14),
        (local(2009, 12, 31, 23, 59), "due_soon", 0),
        (local(2010, 1, 1), "overdue", -1),
        (local(2010, 2, 23), "overdue", -54),
    ],
)
def test_an_unfulfilled_period_is_upcoming_then_due_soon_then_overdue(
    now: datetime, kind: str, days_until_due: int
) -> None:
    state = period_state(period=seed_2009(), now=now, fulfilled_on=None)
    assert (state.kind, state.days_until_due) == (kind, days_until_due)
    assert state.days_overdue == max(0, -days_until_due)


def test_days_overdue_are_counted_in_copenhagen_dates() -> None:
    # 2009-12-31 23:30 UTC is already 1 January 2010 in Copenhagen.
    state = period_state(
        period=seed_2009(), now=datetime(2009, 12, 31, 23, 30, tzinfo=UTC), fulfilled_on=None
    )
    assert (state.kind, state.today, state.days_overdue) == ("overdue", date(2010, 1, 1), 1)


def test_a_period_stays_overdue_after_the_obligation_ends() -> None:
    state = period_state(
        period=seed_2009(), now=datetime(2011, 1, 1, 12, tzinfo=UTC), fulfilled_on=None
    )
    assert (state.kind, state.days_overdue) == ("overdue", 366)


def test_the_due_soon_window_can_be_chosen() -> None:
    state = period_state(
        period=seed_2009(), now=local(2009, 12, 1), fulfilled_on=None, due_soon_days=30
    )
    assert state.kind == "due_soon"


# --------------------------------------------------------------------------- refusals


NAIVE = datetime(2010, 3, 31, 12, 0)


def refuse_naive_in_a_periods_due() -> object:
    return due_2009(now=NAIVE, fulfilled_on=None)


def refuse_naive_in_a_lines_schedule() -> object:
    return schedule(start=SEED_START, end=SEED_END, cadence=YEARLY).due(now=NAIVE, fulfilled={})


def refuse_naive_in_period_state() -> object:
    return period_state(period=seed_2009(), now=NAIVE, fulfilled_on=None)


@pytest.mark.parametrize(
    "call",
    [refuse_naive_in_a_periods_due, refuse_naive_in_a_lines_schedule, refuse_naive_in_period_state],
)
def test_a_naive_now_is_refused_everywhere(call: Callable[[], object]) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        call()
    assert "has no time zone" in refusal(excinfo)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"lead_days": (60, -1)}, "varslet -1"),
        ({"lead_days": "60"}, "antal dage"),
        ({"escalate_every_days": 0}, "eskaleringsintervallet 0"),
        ({"tz": "Europe/Kobenhavn"}, "tidszonen 'Europe/Kobenhavn' er ukendt"),
        ({"send_at": time(8, tzinfo=UTC)}, "har en tidszone"),
        ({"lead_days": [800_000]}, "fra 0 til 3660"),
    ],
)
def test_bad_reminder_settings_are_refused_when_the_schedule_is_made(
    arguments: dict[str, object], says: str
) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        schedule(start=SEED_START, end=SEED_END, cadence=YEARLY, **arguments)  # type: ignore[arg-type]
    assert says in refusal(excinfo)


def test_a_negative_due_soon_window_is_refused() -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        period_state(
            period=seed_2009(), now=local(2009, 12, 1), fulfilled_on=None, due_soon_days=-1
        )
    assert "snarlig frist" in refusal(excinfo)


# --------------------------------------------------------------------------- properties


@st.composite
def obligations(draw: st.DrawFn) -> tuple[date, date, Cadence, DueRule]:
    start = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)))
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=6 * 366)))
    cadence = Cadence(interval=draw(st.integers(min_value=1, max_value=4)))
    month = draw(st.integers(min_value=1, max_value=12))
    day = draw(st.integers(min_value=1, max_value=calendar.monthrange(2000, month)[1]))
    return start, end, cadence, DueRule(month=month, day=day)


@st.composite
def schedules(draw: st.DrawFn) -> tuple[Schedule, Period]:
    """The schedule of a random obligation and one of its periods."""
    start, end, cadence, due = draw(obligations())
    plan = schedule(
        start=start,
        end=end,
        cadence=cadence,
        due=due,
        lead_days=draw(st.lists(st.integers(min_value=0, max_value=120), max_size=4)),
        escalate_every_days=draw(st.none() | st.integers(min_value=1, max_value=30)),
        tz=draw(st.sampled_from(["Europe/Copenhagen", "UTC", "America/New_York"])),
        send_at=draw(st.sampled_from([time(8, 0), time(0, 0), time(23, 59), time(2, 30)])),
    )
    return plan, draw(st.sampled_from(plan.periods))


instants = st.datetimes(
    min_value=datetime(1989, 1, 1), max_value=datetime(2068, 12, 31), timezones=st.just(UTC)
)
fulfilments = st.none() | st.dates(min_value=date(1989, 1, 1), max_value=date(2068, 12, 31))


@given(obligations())
def test_periods_cover_the_obligation_without_gaps_or_overlaps(
    obligation: tuple[date, date, Cadence, DueRule],
) -> None:
    start, end, cadence, due = obligation
    result = periods(start=start, end=end, cadence=cadence, due=due)
    assert result[0].start == start
    assert result[-1].end == result[-1].due == end
    for before, after in pairwise(result):
        assert after.start == before.due + timedelta(days=1)
    assert len({p.key for p in result}) == len(result)
    for period in result:
        assert period.start <= period.due == period.end <= end
    # No stub: the first due date is the first on the due rule a full interval after the start.
    full_interval = start + relativedelta(years=cadence.interval) - timedelta(days=1)
    first_due = min(
        d for d in (due.on(y) for y in range(start.year, end.year + 6)) if d >= full_interval
    )
    assert result[0].due == min(first_due, end)
    # Every due date but a clipped last one falls on the due rule, interval years apart,
    # as dateutil's own occurrences of the rule from the first due year.
    on_rule = [p.due for p in result if p.due == due.on(p.due.year)]
    assert on_rule == [p.due for p in result[:-1]] + ([end] if end == due.on(end.year) else [])
    rule = rrulestr(cadence.rule, dtstart=datetime(result[0].due.year, 1, 1))
    assert [d.year for d in on_rule] == [o.year for o in islice(rule, len(on_rule))]
    # Keys name the nominal due year (and the years before it, for a multi-year cadence).
    for period in result:
        last_year = int(period.key[-4:])
        assert period.key == (
            str(last_year)
            if cadence.interval == 1
            else f"{last_year - cadence.interval + 1}-{last_year}"
        )
        assert period.due.year <= last_year


@given(obligations(), st.integers(min_value=1, max_value=3 * 366))
def test_moving_the_end_later_keeps_every_earlier_period_and_key(
    obligation: tuple[date, date, Cadence, DueRule], extra_days: int
) -> None:
    start, end, cadence, due = obligation
    shorter = periods(start=start, end=end, cadence=cadence, due=due)
    longer = periods(start=start, end=end + timedelta(days=extra_days), cadence=cadence, due=due)
    assert longer[: len(shorter) - 1] == shorter[:-1]
    assert longer[len(shorter) - 1].key == shorter[-1].key


@given(schedules())
@settings(deadline=None)
def test_steps_are_in_time_order_with_unique_keys_and_end_with_the_obligation(
    drawn: tuple[Schedule, Period],
) -> None:
    plan, period = drawn
    steps = list(plan.steps(period))
    assert [s.due_at for s in steps] == sorted(s.due_at for s in steps)
    assert len({s.key for s in steps}) == len(steps)
    for step in steps:
        assert step.day <= plan.obligation_end
        assert step.due_at.tzinfo is UTC


@given(schedules(), instants, fulfilments)
@settings(deadline=None)
def test_nothing_is_due_on_or_after_fulfilment_or_after_the_obligation_end(
    drawn: tuple[Schedule, Period], now: datetime, fulfilled_on: date | None
) -> None:
    plan, period = drawn
    due = plan.period_due(period, now=now, fulfilled_on=fulfilled_on).steps
    for step in due:
        assert step.due_at <= now
        assert step.day <= plan.obligation_end
        if fulfilled_on is not None:
            assert step.day < fulfilled_on


@given(schedules(), instants, instants, fulfilments)
@settings(deadline=None)
def test_a_later_sweep_owes_everything_an_earlier_one_did(
    drawn: tuple[Schedule, Period], one: datetime, other: datetime, fulfilled_on: date | None
) -> None:
    plan, period = drawn
    earlier, later = sorted((one, other))
    before = plan.period_due(period, now=earlier, fulfilled_on=fulfilled_on).steps
    after = plan.period_due(period, now=later, fulfilled_on=fulfilled_on).steps
    assert after[: len(before)] == before


@given(schedules(), instants, fulfilments)
@settings(deadline=None)
def test_the_next_step_is_the_one_the_following_sweep_adds(
    drawn: tuple[Schedule, Period], now: datetime, fulfilled_on: date | None
) -> None:
    plan, period = drawn
    due_now, coming = plan.period_due(period, now=now, fulfilled_on=fulfilled_on)
    if coming is None:
        return
    assert coming.due_at > now
    due_then = plan.period_due(period, now=coming.due_at, fulfilled_on=fulfilled_on).steps
    # A fulfilment still in the future at ``now`` may stop the coming step after all.
    if fulfilled_on is None or coming.day < fulfilled_on:
        assert due_then == [*due_now, coming]
    else:
        assert due_then == due_now


@st.composite
def lines(draw: st.DrawFn) -> dict[str, object]:
    """Keyword arguments for schedule(): a random obligation line, often of several periods."""
    start, end, cadence, due = draw(obligations())
    end = max(end, start + timedelta(days=366 * draw(st.integers(min_value=0, max_value=8))))
    return {
        "start": start,
        "end": end,
        "cadence": cadence,
        "due": due,
        "lead_days": draw(st.lists(st.integers(min_value=0, max_value=400), max_size=4)),
        "escalate_every_days": draw(st.none() | st.integers(min_value=1, max_value=30)),
        "tz": draw(st.sampled_from(["Europe/Copenhagen", "UTC", "America/New_York"])),
        "send_at": draw(st.sampled_from([time(8, 0), time(0, 0), time(23, 59), time(2, 30)])),
    }


@given(lines(), st.data())
@settings(deadline=None, max_examples=300)
def test_a_lines_schedule_gives_what_is_due_in_each_of_its_periods(
    line: dict[str, object], data: st.DataObject
) -> None:
    start, end = line["start"], line["end"]
    assert isinstance(start, date) and isinstance(end, date)
    plan = schedule(**line)  # type: ignore[arg-type]
    assert list(plan.periods) == periods(
        start=start, end=end, cadence=line["cadence"], due=line["due"]  # type: ignore[arg-type]
    )  # fmt: skip
    # a moment in or near the obligation, and fulfilments of some periods, some late
    days = st.integers(min_value=-500, max_value=(end - start).days + 100)
    now = datetime.combine(start, time(), UTC) + timedelta(
        days=data.draw(days), minutes=data.draw(st.integers(min_value=0, max_value=24 * 60))
    )
    fulfilled = {
        period.key: on
        for period in plan.periods
        if (on := data.draw(st.none() | days.map(lambda n: start + timedelta(days=n))))
    }
    expected: list[tuple[Period, Step]] = []
    coming: list[datetime] = []
    firsts: list[datetime] = []
    for period in plan.periods:
        on = fulfilled.get(period.key)
        steps, following = plan.period_due(period, now=now, fulfilled_on=on)
        expected += [(period, step) for step in steps]
        if following is not None:
            coming.append(following.due_at)
        first = next(plan.steps(period), None)
        if first is not None:
            firsts.append(first.due_at)
    assert plan.due(now=now, fulfilled=fulfilled) == (expected, min(coming, default=None))
    assert plan.first_step_at() == min(firsts, default=None)


def test_a_lines_schedule_checks_its_rules_when_it_is_made() -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        schedule(start=SEED_START, end=SEED_END, cadence="FREQ=DAILY")
    assert "ikke årlig" in refusal(excinfo)
    with pytest.raises(InvalidInputError) as excinfo:
        schedule(start=SEED_START, end=SEED_END, cadence=YEARLY, lead_days=[-1])
    assert "varslet -1" in refusal(excinfo)
    with pytest.raises(InvalidInputError) as excinfo:
        schedule(start=SEED_START, end=SEED_END, cadence=YEARLY, send_at=time(8, tzinfo=UTC))
    assert "har en tidszone" in refusal(excinfo)
    # checked rules are shared between lines, but not with what merely compares equal
    schedule(start=SEED_START, end=SEED_END, cadence=YEARLY, lead_days=[1], escalate_every_days=1)
    for refused in ({"lead_days": [True]}, {"escalate_every_days": True}, {"lead_days": [[1]]}):
        with pytest.raises(InvalidInputError):
            schedule(start=SEED_START, end=SEED_END, cadence=YEARLY, **refused)  # type: ignore[arg-type]
    plan = schedule(start=SEED_START, end=SEED_END, cadence="FREQ=YEARLY")
    due, coming = plan.due(now=local(2010, 2, 1, 12), fulfilled={"2009": date(2010, 2, 23)})
    assert [(p.key, s.key) for p, s in due][:3] == [
        ("2009", "lead-60"), ("2009", "lead-14"), ("2009", "due"),
    ]  # fmt: skip
    assert coming == local(2010, 2, 4, 8)  # overdue-5 of 2009, fulfilled only on 23 February


@given(schedules(), instants, fulfilments)
@settings(deadline=None)
def test_the_period_state_agrees_with_its_dates(
    drawn: tuple[Schedule, Period], now: datetime, fulfilled_on: date | None
) -> None:
    plan, period = drawn
    tz = plan.zone.key
    state = period_state(period=period, now=now, fulfilled_on=fulfilled_on, tz=tz)
    today = now.astimezone(ZoneInfo(tz)).date()
    assert state.today == today
    assert state.days_until_due == (period.due - today).days
    if fulfilled_on is not None and fulfilled_on <= today:
        assert state.kind == ("fulfilled" if fulfilled_on <= period.due else "late_fulfilled")
    elif today > period.due:
        assert (state.kind, state.days_overdue) == ("overdue", (today - period.due).days)
    else:
        assert state.kind in {"upcoming", "due_soon"}


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=31))
def test_a_valid_due_rule_reads_back_from_its_stored_text(month: int, day: int) -> None:
    try:
        rule = DueRule(month=month, day=day)
    except InvalidInputError:
        return
    assert parse_due_rule(rule.text) == rule
    assert parse_due_rule(f"{day}.{month}") == rule
    assert rule.on(2009).month == month
