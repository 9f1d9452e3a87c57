"""The neutral shape every importer of published agendas and minutes produces.

A published meeting holds its items in agenda order; an item holds its sections, its
recommendation, its attachments and the decisions taken on it, in order, plus the earlier
bodies' decisions on the same case that the source reprints ("Sagsforløb", "Tidligere
behandling", "Oversigt over politisk behandling"). Every record says where it came from
(:class:`Provenance`), so a refused or surprising record can be traced to the element that
produced it.

The records keep the source's wording: committee names as written, decision texts verbatim.
No outcome is read here; the phrase table (``phrases.py``) classifies a decision's text when
it is replayed. Structure beside the text (a remark, a vote, the receiving body of a
referral) is filled in only where the source shows it plainly; when it is absent the text
still says everything.

Dates and times are the source's wall clock in Europe/Copenhagen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

SourceSystem = Literal["edoc", "sbsys", "acadre", "firstagenda", "kk-json", "text"]
MeetingStatus = Literal["draft_agenda", "final_agenda", "minutes"]
ItemKind = Literal["orientering", "beslutning"]
RemarkKind = Literal["bemærkning", "protokolbemærkning", "forbehold"]
VoteSideName = Literal["for", "imod", "undlod"]


@dataclass(frozen=True)
class Provenance:
    """Where a record was read: the system that published it, the file, the element.

    ``path`` is an XPath for XML and HTML, a JSON Pointer for JSON, and a short
    descriptive path (``item/decision[2]``) for plain text.
    """

    system: SourceSystem
    file: str
    path: str


@dataclass(frozen=True)
class Section:
    """One headed part of an item's text; ``heading`` is None for an unheaded part."""

    heading: str | None
    text: str
    provenance: Provenance


@dataclass(frozen=True)
class Attachment:
    """A bilag by name; ``reference`` is the source's own id or document number, if any."""

    name: str
    provenance: Provenance
    reference: str | None = None
    closed: bool = False


@dataclass(frozen=True)
class Remark:
    """A remark kept with a decision.

    ``bemærkning``: the deciding body's own addition ("godkendt med denne bemærkning: ...",
    author None); ``protokolbemærkning``: a member's or party's remark for the record;
    ``forbehold``: a reservation ("Venstre tog forbehold vedrørende ...").
    """

    kind: RemarkKind
    author: str | None
    text: str


@dataclass(frozen=True)
class VoteSide:
    """One side of a vote as the source states it: a count, the groups or names, or both."""

    side: VoteSideName
    count: int | None
    who: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Vote:
    """How a decision was carried, as written.

    ``without_vote`` for "uden afstemning", ``unanimous`` for "enstemmigt", ``majority``
    when the source says "et flertal" without counts; ``sides`` holds what it says of each
    side. ``text`` is the sentences the vote was read from.
    """

    text: str
    sides: tuple[VoteSide, ...] = ()
    without_vote: bool = False
    unanimous: bool = False
    majority: bool = False


@dataclass(frozen=True)
class PublishedDecision:
    """A decision on an item, as published.

    ``body`` is the body that decided, as written ("Sundheds- og Forebyggelsesudvalget"),
    ``date`` the day it decided (None when the source does not say). ``text`` is verbatim;
    it is empty only for an earlier treatment the source names without its decision ("KMB
    IT-udvalget den 5. december 2012 Punkt 3"). ``agenda_number`` is that body's own item
    number, only when the source prints it (never made up). ``referred_to`` names the
    bodies a referral sends the case to ("oversendt til Økonomiudvalget og
    Borgerrepræsentationen", "Indstilles til godkendelse" when another body decides).
    """

    body: str | None
    date: dt.date | None
    text: str
    provenance: Provenance
    heading: str | None = None
    agenda_number: str | None = None
    remarks: tuple[Remark, ...] = ()
    vote: Vote | None = None
    referred_to: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublishedItem:
    """An agenda item (dagsordenspunkt) as published.

    ``sections`` keeps the item's text in the source's order and headings, unknown headings
    as their own sections; the recommendation ("X indstiller, at ...") is split into
    ``administration`` and its points, and the decisions are in ``decisions``, so neither is
    repeated among the sections. ``decided_by`` is the body the source says takes the
    decision ("Beslutningen træffes af"), when it says so. ``earlier`` holds other
    treatments of the same case that the source reprints, oldest first.
    """

    number: int
    title: str
    provenance: Provenance
    case_number: str | None = None
    closed: bool = False
    kind: ItemKind | None = None
    kind_as_written: str | None = None
    administration: str | None = None
    recommendation: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    signatures: tuple[str, ...] = ()
    decided_by: str | None = None
    continued_from: dt.date | None = None
    decisions: tuple[PublishedDecision, ...] = ()
    earlier: tuple[PublishedDecision, ...] = ()


@dataclass(frozen=True)
class PublishedMeeting:
    """A committee meeting's published agenda or minutes, its items in agenda order.

    ``starts_at``/``ends_at`` are aware datetimes in Europe/Copenhagen when the source gives
    a time; ``date`` is there but for a Copenhagen text item that names no meeting date
    (an item drafted, not yet on an agenda, read for import). ``status`` reads the source's own word
    (``status_as_written``): a draft agenda, a final agenda or minutes.
    """

    municipality: str | None
    committee: str
    date: dt.date | None
    status: MeetingStatus
    status_as_written: str
    provenance: Provenance
    items: tuple[PublishedItem, ...]
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    place: str | None = None
    name: str | None = None
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


def copenhagen_time(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """A wall-clock moment in Copenhagen (the sources' only time zone)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=COPENHAGEN)
