"""The shape of an audience, as documents and reminder mails receive it.

Whether a closed item (lukket punkt) is shown is decided in one place above this layer,
``council.workflow.visibility``; the builders of documents and mails are handed its answer
(an :class:`Audience`) and apply it: a ``withheld`` item shows its number and its shown
title ("Lukket punkt") and nothing else.
"""

from __future__ import annotations

from typing import Protocol


class ItemRecord(Protocol):
    @property
    def closed(self) -> bool: ...

    @property
    def title(self) -> str: ...


class ShownItem(Protocol):
    @property
    def withheld(self) -> bool: ...

    @property
    def title(self) -> str: ...


class Audience(Protocol):
    @property
    def may_see_closed(self) -> bool: ...

    def item(self, record: ItemRecord, /) -> ShownItem: ...
