"""The view models of the documents: agenda, minutes, a case's history and one item.

They are what the builders in :mod:`council.notifications.documents` make and what the
templates print; a closed item withheld from its audience is already just its number and
"Lukket punkt" here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the goal tables' module loads Jinja2, which the view models need not
    from council.notifications.goal_documents import GoalTable

from council.cases.dates import LOCALE, format_minute

HEAD_DIGITS = 16  # of the trail's head on the minutes: what 'audit verify --head' takes

TABLE_OF_CONTENTS_FROM = 6
"""An agenda or minutes of at least this many items opens with a table of contents."""


@dataclass(frozen=True)
class Block:
    """A paragraph (``p``: its lines) or a bulleted list (``ul``: its points) of HTML."""

    kind: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """One headed section of an item: Problemstilling, Løsning, Økonomi, Videre proces."""

    heading: str
    text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class DecisionView:
    """A decision as the layout prints it: its heading, then the verbatim text."""

    heading: str
    committee_name: str
    date: date | None
    text: str
    blocks: tuple[Block, ...]
    outcome: str | None  # the outcome's Danish label; None when the text was not classified
    state: str  # the label of the state the item moved to
    notes: tuple[str, ...] = ()  # "Rettet den ...: ..." for each correction of the decision


@dataclass(frozen=True)
class AttachmentView:
    """A bilag as a document lists it: its title and, when a file is attached, the address
    the web application serves it at (relative to the site's root)."""

    title: str
    href: str | None = None
    file_name: str | None = None


@dataclass(frozen=True)
class ItemView:
    """One agenda item; ``withheld`` items (closed, public document) show only their number."""

    anchor: str
    number: int | None
    heading: str
    title: str
    case_number: str
    committee_name: str
    closed: bool
    withheld: bool
    summary: str
    summary_blocks: tuple[Block, ...]
    administration: str
    points: tuple[str, ...]
    sections: tuple[Section, ...]
    signatures: tuple[str, ...]
    attachments: tuple[AttachmentView, ...]
    decisions: tuple[DecisionView, ...]
    state: str
    awaiting_decision: bool = False  # minutes: no decision recorded at this meeting yet
    item_id: int = 0
    goals: GoalTable | None = None  # "Status på mål": the goals of the obligation it answers
    notes: tuple[str, ...] = ()  # "Rettet den ...: ..." for each correction after its decision


@dataclass(frozen=True)
class TrailAnchor:
    """Where the audit trail stood when minutes were rendered: the latest signed checkpoint
    the trail has reached, or its unsigned head when no checkpoint covers it yet.

    The workflow layer finds it (it reads the key and the checkpoint log); published with
    the minutes, it anchors the trail outside the database: ``council audit verify --head``
    takes the hash as printed.
    """

    entries: int
    head: str
    signed_at: datetime | None = None  # None: not signed

    @property
    def line(self) -> str:
        """'Revisionsspor: post 1.234, 3f9a0c12d4e5b6a7…, signeret 23.02.2010 17:05'."""
        from babel.numbers import format_decimal

        signed = f"signeret {format_minute(self.signed_at)}" if self.signed_at else "ikke signeret"
        entries = format_decimal(self.entries, locale=LOCALE)
        return f"Revisionsspor: post {entries}, {self.head[:HEAD_DIGITS]}…, {signed}"


@dataclass(frozen=True)
class ChainStep:
    """One body's decision in a case's referral chain (behandlingsforløb): which body, when,
    what it decided and where it sent the case; a withheld closed item shows only its body."""

    committee_name: str
    date: date | None
    outcome: str  # the outcome's label, "uklassificeret", or "Lukket punkt" when withheld
    onward: str  # "Økonomiudvalget (punkt-id 5)" or the bodies as written; "" for none
    withheld: bool


@dataclass(frozen=True)
class MeetingDocument:
    """An agenda or the minutes of one meeting; minutes carry their ``trail`` anchor."""

    template: str  # "agenda" or "minutes"
    title: str  # "Dagsorden" or "Beslutningsprotokol"
    committee_name: str
    committee_code: str
    meeting_id: int
    date: date | None
    meeting_phrase: str  # "mødet den 23. februar 2010 kl. 15.30, Rådhuset"
    held: bool
    internal: bool
    items: tuple[ItemView, ...]
    trail: TrailAnchor | None = None
    absent: tuple[str, ...] = ()  # the minutes: members absent from the meeting, as written
    approved: str = ""  # the minutes: "Protokollen godkendt den 9. marts 2010", once approved
    cancelled: bool = False  # the meeting was cancelled (aflyst)

    @property
    def table_of_contents(self) -> bool:
        """An agenda of many items opens with a list of them (with page numbers in print)."""
        return len(self.items) >= TABLE_OF_CONTENTS_FROM


@dataclass(frozen=True)
class HistoryEvent:
    """One recorded act on one of the case's items: put before a meeting, or decided."""

    seq: int
    recorded_at: datetime
    actor: str
    committee_code: str
    meeting_date: date | None
    on_meeting: bool
    agenda_number: int | None
    act: str  # "Forelagt" or "Beslutning"
    from_state: str
    to_state: str
    outcome: str | None  # label; None for a presentation or an unclassified decision
    unclassified: bool
    text: str | None
    withheld: bool


@dataclass(frozen=True)
class HistoryDocument:
    """A case's full decision history: each item with its decisions, and every recorded act."""

    template: str  # "history"
    case_number: str
    case_title: str
    owner: str
    internal: bool
    items: tuple[ItemView, ...]
    events: tuple[HistoryEvent, ...]
    chain: tuple[ChainStep, ...] = ()  # shown when the case was referred from body to body


@dataclass(frozen=True)
class ItemDocument:
    """One item alone, with all its decisions (the layout the importer reads back)."""

    template: str  # "item"
    case_number: str
    committee_name: str
    internal: bool
    item: ItemView


Document = MeetingDocument | HistoryDocument | ItemDocument
