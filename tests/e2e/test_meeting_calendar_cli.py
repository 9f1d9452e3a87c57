"""Correcting the calendar of meetings through the CLI: a wrong date rescheduled, an item
moved, a meeting cancelled (kept, as aflyst) and reopened; every change in the trail with
who, when and why, and ``audit verify`` passing after each."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "Anne Jensen")


def ok(council: Council, *args: str) -> str:
    result = council(*args)
    assert result.code == 0, (args, result.err)
    return result.out


def draft(council: Council, title: str, *extra: str) -> None:
    ok(council, "item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", title,
       "--kind", "orientering", *extra, *A)  # fmt: skip


@pytest.fixture
def month(council: Council) -> Council:
    """BIU meeting 1 created for 01.01.1999 by mistake, with items 1, 2 and 3 (3 closed) on
    its agenda; BIU meeting 2 on 02.03.2010 with item 4; SUD meeting 3 on 03.03.2010."""
    ok(council, "init", *A)
    ok(council, "case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A)
    ok(council, "meeting", "new", "--committee", "BIU", "--date", "1999-01-01", "--time",
       "15:30", *A)  # fmt: skip
    ok(council, "meeting", "new", "--committee", "BIU", "--date", "2010-03-02", *A)
    ok(council, "meeting", "new", "--committee", "SUD", "--date", "2010-03-03", *A)
    draft(council, "Status på partnerskabsaftale")
    draft(council, "Budgetopfølgning")
    draft(council, "Personsag om Hans Hansen", "--closed")
    draft(council, "Mentorkurser")
    for item in ("1", "2", "3"):
        ok(council, "item", "present", item, "--meeting", "1", *A)
    ok(council, "item", "present", "4", "--meeting", "2", *A)
    return council


def agenda(council: Council, meeting: str) -> list[tuple[int, int]]:
    """(agenda number, item id) of the meeting's agenda, in order."""
    lines = json.loads(ok(council, "item", "list", "--meeting", meeting, "--json"))
    return [(line["agenda_number"], line["item"]) for line in lines]


def verified(council: Council) -> None:
    assert "revisionssporet er kontrolleret" in ok(council, "audit", "verify")


def test_a_meeting_created_on_a_wrong_date_is_rescheduled_with_its_old_date_in_the_trail(
    month: Council,
) -> None:
    said = ok(month, "meeting", "reschedule", "1", "--date", "23.02.2010", "--reason",
              "oprettet med forkert dato", *A)  # fmt: skip
    assert said.strip() == "møde 1 er flyttet til 23.02.2010 kl. 15.30"
    ok(month, "meeting", "reschedule", "BIU:2010-02-23", "--date", "2010-02-23", "--time",
       "16:00", *A)  # fmt: skip
    shown = ok(month, "meeting", "show", "1")
    assert "møde 1, 23.02.2010 kl. 16.00 (ikke afholdt)" in shown
    assert (
        "Anne Jensen: flyttet fra 01.01.1999 kl. 15.30 til 23.02.2010 kl. 15.30 — "
        "begrundelse: oprettet med forkert dato"
    ) in shown
    assert "flyttet fra 23.02.2010 kl. 15.30 til 23.02.2010 kl. 16.00\n" in shown
    listed = json.loads(ok(month, "meeting", "list", "--committee", "BIU", "--json"))
    assert [(m["meeting"], m["date"], m["time"]) for m in listed] == [
        (1, "2010-02-23", "16:00"),
        (2, "2010-03-02", None),
    ]
    calendar = ok(month, "calendar", "meetings", "--committee", "BIU")
    assert "DTSTART;TZID=Europe/Copenhagen:20100223T160000" in calendar
    assert "SEQUENCE:2" in calendar
    verified(month)


def test_a_moved_item_leaves_both_agendas_numbered_without_gaps(month: Council) -> None:
    said = ok(month, "item", "move", "2", "--meeting", "BIU:2010-03-02", "--reason",
              "hører til marts", *A)  # fmt: skip
    assert said.strip() == (
        "punkt-id 2 flyttet fra møde 1 til møde 2 (punkt 2); begge dagsordener er nummereret "
        "forfra · version 3"
    )
    assert agenda(month, "1") == [(1, 1), (2, 3)]
    assert agenda(month, "2") == [(1, 4), (2, 2)]
    ok(month, "item", "move", "1", "--meeting", "2", *A)
    assert agenda(month, "1") == [(1, 3)]
    assert agenda(month, "2") == [(1, 4), (2, 2), (3, 1)]
    shown = ok(month, "meeting", "show", "2")
    assert "punkt-id 2 flyttet hertil fra møde 1 — begrundelse: hører til marts" in shown
    assert "Anne Jensen: punkt-id 1 flyttet hertil fra møde 1\n" in shown
    assert "punkt-id 2 flyttet til møde 2" in ok(month, "meeting", "show", "1")
    # the moved item is decided at its new meeting as any other
    ok(month, "item", "decide", "2", "taget til efterretning", *A)
    verified(month)


def test_a_cancelled_meeting_is_kept_as_aflyst_and_offers_its_items_to_the_next(
    month: Council,
) -> None:
    said = ok(month, "meeting", "cancel", "1", "--reason", "formanden er syg", *A)
    assert said.splitlines() == [
        "møde 1 den 01.01.1999 er aflyst (mødet er bevaret som aflyst)",
        "punkterne på dagsordenen tilbydes udvalgets næste planlagte møde, møde 2 den "
        "02.03.2010; flyt hvert med:",
        "  punkt-id 1 Status på partnerskabsaftale: council item move 1 --meeting 2",
        "  punkt-id 2 Budgetopfølgning: council item move 2 --meeting 2",
        "  punkt-id 3 Lukket punkt: council item move 3 --meeting 2",
    ]
    assert "Hans Hansen" not in said
    listed = ok(month, "meeting", "list", "--status", "aflyst")
    assert "Aflyst" in listed and "02.03.2010" not in listed
    assert [m["status"] for m in json.loads(ok(month, "meeting", "list", "--json"))] == [
        "aflyst",
        "planlagt",
        "planlagt",
    ]
    assert "(aflyst)" in ok(month, "meeting", "show", "1")
    assert "MØDET ER AFLYST." in ok(month, "render", "agenda", "1")
    calendar = ok(month, "calendar", "meetings", "--committee", "BIU")
    assert calendar.count("STATUS:CANCELLED") == 1 and "SEQUENCE:1" in calendar
    ok(month, "item", "move", "1", "--meeting", "2", *A)  # the line it printed works
    assert agenda(month, "2") == [(1, 4), (2, 1)]
    verified(month)


def test_cancelling_with_move_to_moves_every_item_in_the_same_change(month: Council) -> None:
    said = ok(month, "meeting", "cancel", "1", "--reason", "formanden er syg", "--move-to", "2",
              *A)  # fmt: skip
    assert said.splitlines()[1:] == [
        "  punkt-id 1 flyttet til møde 2 (punkt 2)",
        "  punkt-id 2 flyttet til møde 2 (punkt 3)",
        "  punkt-id 3 flyttet til møde 2 (punkt 4)",
    ]
    assert agenda(month, "1") == []
    assert agenda(month, "2") == [(1, 4), (2, 1), (3, 2), (4, 3)]
    verified(month)


def test_item_moves_are_in_the_case_history_with_where_from_where_to_and_why(
    month: Council,
) -> None:
    ok(month, "item", "move", "2", "--meeting", "2", "--reason", "hører til marts", *A)
    ok(month, "meeting", "cancel", "1", "--reason", "formanden er syg", "--move-to", "2", *A)
    rows = json.loads(ok(month, "history", "2010-4130", "--json"))
    moves = [r for r in rows if r["trigger"] == "move"]
    assert [(r["item"], r["meeting_id"], r["agenda_number"], r["move"]) for r in moves] == [
        (2, 2, 2, {"from_meeting_id": 1, "to_meeting_id": 2, "agenda_number": 2,
                   "reason": "hører til marts"}),
        (1, 2, 3, {"from_meeting_id": 1, "to_meeting_id": 2, "agenda_number": 3,
                   "reason": "formanden er syg"}),
    ]  # fmt: skip
    # a closed item's move is a row, withheld with its trigger as its presentation's is
    closed = [r for r in rows if r["item"] == 3]
    assert len(closed) == 2 and all(r["trigger"] is r["move"] is None for r in closed)
    assert moves[0]["from_state"] == moves[0]["to_state"] == "forelagt"
    # each presentation stays at the meeting and number the item was first put before
    presented = {r["item"]: (r["meeting_id"], r["agenda_number"]) for r in rows
                 if r["trigger"] == "present"}  # fmt: skip
    assert presented == {1: (1, 1), 2: (1, 2), 4: (2, 1)}
    table = ok(month, "history", "2010-4130")
    assert "Flyttet fra møde 1 til møde 2 (punkt 2); begrundelse: hører til marts" in table
    assert "Flyttet (Forelagt)" in table
    rendered = ok(month, "render", "history", "2010-4130")
    assert "Flyttet fra møde 1 til møde 2 (punkt 3); begrundelse: formanden er syg" in rendered
    internal = json.loads(ok(month, "history", "2010-4130", "--json", "--internal"))
    assert [r["move"]["to_meeting_id"] for r in internal if r["trigger"] == "move"] == [2, 2, 2]
    verified(month)


def test_a_cancelled_meeting_without_a_next_one_says_how_to_make_it(council: Council) -> None:
    ok(council, "init", *A)
    ok(council, "case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A)
    ok(council, "meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A)
    draft(council, "Status")
    ok(council, "item", "present", "1", "--meeting", "1", *A)
    said = ok(council, "meeting", "cancel", "1", "--reason", "ingen punkter klar", *A)
    assert (
        "BIU har intet planlagt møde efter det aflyste; opret et med 'council meeting new "
        "--committee BIU --date DATO'"
    ) in said


def test_reopening_a_held_meeting_keeps_its_decisions_and_it_closes_again(
    month: Council,
) -> None:
    ok(month, "meeting", "reschedule", "1", "--date", "2010-02-23", *A)
    for item in ("1", "2", "3"):
        ok(month, "item", "decide", item, "taget til efterretning", *A)
    ok(month, "meeting", "close", "1", *A)
    minutes = ok(month, "render", "minutes", "1")
    said = ok(month, "meeting", "reopen", "1", "--reason", "et punkt blev glemt", *A)
    assert said.strip() == (
        "møde 1 den 23.02.2010 var afholdt og er nu planlagt igen; de 3 beslutninger, der er "
        "truffet på mødet, står uændret"
    )
    assert json.loads(ok(month, "meeting", "list", "--json"))[0]["status"] == "planlagt"
    assert json.loads(ok(month, "meeting", "list", "--json"))[0]["decided"] == 3
    draft(month, "Det glemte punkt")
    ok(month, "item", "present", "5", "--meeting", "1", *A)
    ok(month, "item", "decide", "5", "taget til efterretning", *A)
    ok(month, "meeting", "close", "1", *A)
    again = ok(month, "render", "minutes", "1")
    # the public minutes: items 1 and 2 (item 3 is closed), then the forgotten item too
    assert minutes.count("Indstillingen blev taget til efterretning.") == 2
    assert again.count("Indstillingen blev taget til efterretning.") == 3
    assert "Det glemte punkt" in again and "Det glemte punkt" not in minutes
    shown = ok(month, "meeting", "show", "1")
    assert "genåbnet (var afholdt), planlagt igen — begrundelse: et punkt blev glemt" in shown
    verified(month)


def test_a_cancelled_meeting_reopened_is_planned_again(month: Council) -> None:
    ok(month, "meeting", "cancel", "1", "--reason", "formanden er syg", *A)
    said = ok(month, "meeting", "reopen", "1", "--reason", "aflyst ved en fejl", *A)
    assert said.strip() == "møde 1 den 01.01.1999 var aflyst og er nu planlagt igen"
    ok(month, "item", "decide", "1", "udsat", *A)
    assert "STATUS:CANCELLED" not in ok(month, "calendar", "meetings")
    verified(month)


@pytest.mark.parametrize(
    ("status", "meetings"),
    [("planlagt", [2, 3]), ("afholdt", [1]), ("aflyst", [4]), ("AFLYST", [4])],
)
def test_meeting_list_filters_by_status_and_shows_it_in_danish(
    month: Council, status: str, meetings: list[int]
) -> None:
    ok(month, "meeting", "reschedule", "1", "--date", "2010-02-23", *A)
    for item in ("1", "2", "3"):
        ok(month, "item", "decide", item, "udsat", *A)
    ok(month, "meeting", "close", "1", *A)
    ok(month, "meeting", "new", "--committee", "BIU", "--date", "2010-03-16", *A)
    ok(month, "meeting", "cancel", "4", "--reason", "ingen punkter", *A)
    listed = json.loads(ok(month, "meeting", "list", "--status", status, "--json"))
    assert [m["meeting"] for m in listed] == meetings
    assert {m["status"] for m in listed} == {status.lower()}
    table = ok(month, "meeting", "list", "--status", status)
    assert status.capitalize() in table


def test_a_decision_recorded_after_the_meeting_day_shows_that_day_in_the_minutes(
    month: Council,
) -> None:
    ok(month, "item", "decide", "4", "taget til efterretning", "--at", "2010-03-05", *A)
    minutes = ok(month, "render", "minutes", "2")
    assert "beslutning den 05.03.2010" in minutes
    assert "beslutning den 02.03.2010" not in minutes
    html = ok(month, "render", "minutes", "2", "--format", "html")
    assert "05.03.2010" in html
