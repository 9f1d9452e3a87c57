"""Who sees a closed agenda item (lukket punkt): decided here, once, for every face.

A closed item is treated behind closed doors. Public output shows it only as its number and
"Lukket punkt": not its title, sections, kind, state, outcome or decision texts. A viewer
who may see closed items (``--internal`` on the command line, an internal role in the web
application) sees it in full, marked as closed. Reminder mails are never internal.

Every output asks :func:`shown_item`, directly or through an :class:`Audience` handed down
to the layers that render (``notifications`` takes any object of this shape): the CLI's
lines and tables, ``history`` as a table, CSV and JSON, the rendered agenda, minutes, case
history and item, the reminder mails, and the web application's pages. None decides on
its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

CLOSED_LABEL = "Lukket punkt"
CLOSED_MARK = "(lukket punkt)"

T = TypeVar("T")


class ItemRecord(Protocol):
    """Anything that stands for an agenda item: a row, a read model, a linked item."""

    @property
    def closed(self) -> bool: ...

    @property
    def title(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ShownItem:
    """What a viewer is shown of one item.

    ``withheld``: a closed item before the public; show its number and :attr:`title`
    ("Lukket punkt") and nothing else of it. ``marked``: a closed item before a viewer who
    may see it; show it in full and say it is closed (:attr:`marked_title`).
    """

    withheld: bool
    marked: bool
    title: str

    @property
    def marked_title(self) -> str:
        """The title with " (lukket punkt)" after it when the item is closed and shown."""
        return f"{self.title} {CLOSED_MARK}" if self.marked else self.title

    def reveal(self, value: T) -> T | None:
        """``value`` (a text, a state, an outcome of the item) if it may be shown, else None."""
        return None if self.withheld else value


def shown_item(item: ItemRecord, *, may_see_closed: bool) -> ShownItem:
    """What of ``item`` is shown to a viewer who may (or may not) see closed items."""
    if not item.closed:
        return ShownItem(withheld=False, marked=False, title=item.title)
    if may_see_closed:
        return ShownItem(withheld=False, marked=True, title=item.title)
    return ShownItem(withheld=True, marked=False, title=CLOSED_LABEL)


@dataclass(frozen=True, slots=True)
class Audience:
    """Who an output is for; :meth:`item` answers through :func:`shown_item`."""

    may_see_closed: bool

    def item(self, record: ItemRecord) -> ShownItem:
        return shown_item(record, may_see_closed=self.may_see_closed)


PUBLIC = Audience(may_see_closed=False)
INTERNAL = Audience(may_see_closed=True)
MAIL = PUBLIC  # a mail leaves the administration: never internal


def audience(*, internal: bool) -> Audience:
    """The audience of an output asked for with (or without) ``--internal``."""
    return INTERNAL if internal else PUBLIC
