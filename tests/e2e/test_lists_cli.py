"""council meeting list, item list and case list: their filters, their JSON, and a closed
item (lukket punkt) shown as the public agenda shows it: its place, its label, nothing else."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "clerk")
SECRET = "Personsag om hemmelig fratrædelse"


@pytest.fixture
def month(council: Council) -> Council:
    """Two committees' meetings: BIU 26.01.2010 (held, item 1 decided) and 23.02.2010
    (item 2 open, item 3 closed and decided); SUD 01.03.2010 (item 4 drafted, not
    presented); two cases with different owners."""
    steps: list[tuple[str, ...]] = [
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Partnerskabsaftale", "--owner",
         "Socialforvaltningen", *A),
        ("case", "new", "--number", "2010-5000", "--title", "Sprogcentre", "--owner",
         "Beskæftigelses- og Integrationsforvaltningen", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-01-26", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A),
        ("meeting", "new", "--committee", "SUD", "--date", "2010-03-01", *A),
        ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", "Status",
         "--kind", "orientering", *A),
        ("item", "present", "1", "--meeting", "1", *A),
        ("item", "decide", "1", "taget til efterretning", *A),
        ("meeting", "close", "1", *A),
        ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", "Mentorkurser",
         "--kind", "beslutning", *A),
        ("item", "present", "2", "--meeting", "2", *A),
        ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", SECRET,
         "--closed", "--kind", "beslutning", *A),
        ("item", "present", "3", "--meeting", "2", *A),
        ("item", "decide", "3", "godkendt", *A),
        ("item", "draft", "--case", "2010-5000", "--committee", "SUD", "--title", "Kapacitet",
         "--kind", "beslutning", *A),
    ]  # fmt: skip
    for step in steps:
        result = council(*step)
        assert result.code == 0, (step, result.err)
    return council


def rows(council: Council, *args: str) -> list[dict[str, Any]]:
    result = council(*args, "--json")
    assert result.code == 0, result.err
    found = json.loads(result.out)
    assert isinstance(found, list)
    return found


def test_meetings_are_listed_by_committee_dates_and_status(month: Council) -> None:
    every = rows(month, "meeting", "list")
    assert [(m["committee"], m["date"], m["status"]) for m in every] == [
        ("BIU", "2010-01-26", "afholdt"),
        ("BIU", "2010-02-23", "planlagt"),
        ("SUD", "2010-03-01", "planlagt"),
    ]
    assert [m["meeting"] for m in rows(month, "meeting", "list", "--committee", "SUD")] == [3]
    assert [m["meeting"] for m in rows(month, "meeting", "list", "--status", "afholdt")] == [1]
    between = rows(month, "meeting", "list", "--from", "2010-02-01", "--to", "2010-02-28")
    assert [m["meeting"] for m in between] == [2]
    assert [(m["items"], m["decided"]) for m in every] == [(1, 1), (2, 1), (0, 0)]
    assert "23.02.2010" in month("meeting", "list").out  # a person reads Danish dates


def test_items_are_listed_by_state_committee_meeting_and_openness(month: Council) -> None:
    assert [i["item"] for i in rows(month, "item", "list", "--committee", "SUD")] == [4]
    assert [i["item"] for i in rows(month, "item", "list", "--state", "forelagt")] == [2]
    assert [i["item"] for i in rows(month, "item", "list", "--open")] == [2, 4]
    agenda = rows(month, "item", "list", "--meeting", "BIU:2010-02-23")
    assert [(i["item"], i["agenda_number"]) for i in agenda] == [(2, 1), (3, 2)]


def test_a_closed_item_is_listed_as_lukket_punkt_and_nothing_more_before_the_public(
    month: Council,
) -> None:
    public = {i["item"]: i for i in rows(month, "item", "list")}
    assert public[3] == {
        "item": 3,
        "committee": "BIU",
        "title": "Lukket punkt",
        "closed": True,
        "case": None,
        "kind": None,
        "state": None,
        "meeting": None,
        "meeting_date": None,
        "agenda_number": None,
        "version": public[3]["version"],
    }
    assert public[2]["closed"] is False
    # on its meeting's agenda it keeps its place, as the published agenda shows it
    [placed] = [i for i in rows(month, "item", "list", "--meeting", "2") if i["item"] == 3]
    assert (placed["title"], placed["agenda_number"], placed["state"]) == ("Lukket punkt", 2, None)
    # a list by state would tell its state: it is left out
    for args in (("--state", "godkendt"), ("--open",), ("--committee", "BIU", "--open")):
        assert 3 not in [i["item"] for i in rows(month, "item", "list", *args)], args
    text = month("item", "list").out + month("item", "list", "--state", "godkendt").out
    assert "fratrædelse" not in text and "Lukket punkt" in text

    internal = {i["item"]: i for i in rows(month, "item", "list", "--internal")}
    assert (internal[3]["title"], internal[3]["closed"], internal[3]["state"]) == (
        SECRET,
        True,
        "godkendt",
    )
    assert "(lukket punkt)" in month("item", "list", "--internal").out


def test_cases_are_listed_by_owner_and_openness_counting_items_as_their_audience_may(
    month: Council,
) -> None:
    every = {c["case"]: c for c in rows(month, "case", "list")}
    assert set(every) == {"2010-4130", "2010-5000"}
    assert (every["2010-4130"]["items"], every["2010-4130"]["open_items"]) == (3, 1)
    owned = rows(month, "case", "list", "--owner", "Socialforvaltningen")
    assert [c["case"] for c in owned] == ["2010-4130"]
    assert [c["case"] for c in rows(month, "case", "list", "--open")] == [
        "2010-4130",
        "2010-5000",
    ]
