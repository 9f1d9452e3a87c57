"""One function decides what of a closed item (lukket punkt) a viewer is shown."""

from __future__ import annotations

from dataclasses import dataclass

from council.workflow.visibility import (
    CLOSED_LABEL,
    INTERNAL,
    MAIL,
    PUBLIC,
    audience,
    shown_item,
)


@dataclass(frozen=True)
class Item:
    title: str
    closed: bool


OPEN = Item("Budget 2011", closed=False)
CLOSED = Item("Personsag om NN", closed=True)


def test_an_open_item_is_shown_as_it_is_to_everyone() -> None:
    for may_see_closed in (False, True):
        shown = shown_item(OPEN, may_see_closed=may_see_closed)
        assert (shown.withheld, shown.marked, shown.title) == (False, False, "Budget 2011")
        assert shown.marked_title == "Budget 2011"
        assert shown.reveal("Godkendt.") == "Godkendt."


def test_a_closed_item_is_only_lukket_punkt_before_the_public() -> None:
    shown = shown_item(CLOSED, may_see_closed=False)
    assert shown.withheld and not shown.marked
    assert shown.title == shown.marked_title == CLOSED_LABEL == "Lukket punkt"
    assert shown.reveal("Godkendt fortroligt.") is None
    assert shown.reveal("godkendt") is None


def test_a_closed_item_is_shown_in_full_and_marked_to_an_internal_viewer() -> None:
    shown = shown_item(CLOSED, may_see_closed=True)
    assert not shown.withheld and shown.marked
    assert shown.title == "Personsag om NN"
    assert shown.marked_title == "Personsag om NN (lukket punkt)"
    assert shown.reveal("Godkendt fortroligt.") == "Godkendt fortroligt."


def test_audiences_ask_the_same_function_and_a_mail_is_never_internal() -> None:
    assert audience(internal=False) is PUBLIC and audience(internal=True) is INTERNAL
    assert MAIL.item(CLOSED) == shown_item(CLOSED, may_see_closed=False)
    assert INTERNAL.item(CLOSED) == shown_item(CLOSED, may_see_closed=True)
    assert not MAIL.may_see_closed
