"""A published meeting, from any format, as the list of acts its import replays.

The parsers state what a source says (:mod:`published`); this module finishes reading it for
the engine, without the database: every body named is one of the configured committees
(:mod:`committee_names`), every decision text is classified by the phrase table (wording it
does not know stays unclassified, never guessed), an item's text is laid out in the item's
sections (:mod:`item_content`), and what cannot become a record is listed, not dropped
silently. The replay step (``workflow.importing``) then only carries the plan out through the
workflow's acts, so a new format is a parser and a test.

* **Treatments.** An item's earlier treatments (oldest first), then its decisions, each with
  the committee that took it, its date (None when the source does not say), its agenda
  number where the source prints one for that meeting (the item's own number at its own
  meeting; never a made-up one), the verbatim text, the outcome and the bodies it refers the
  case to.
* **A treatment without a decision text** ("Tidligere behandling: KMB IT-udvalget den 5.
  december 2012 Punkt 3") cannot be a decision: it is kept in the item's text and listed.
* **Case numbers.** The source's; an item continuing a postponed one ("udsat fra mødet den
  ...") takes that item's case when replayed; otherwise a stable invented number
  ``<code>-<the committee's first meeting date>-p<agenda number>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from council.cases.decision_parts import (
    Attendance,
    DecisionParts,
    PointResult,
    Remark,
    VoteMode,
    Votes,
)
from council.cases.importers.committee_names import CommitteeRef, Committees
from council.cases.importers.decision_structure import read_points
from council.cases.importers.hardened import fail
from council.cases.importers.item_content import ItemContent, item_content
from council.cases.importers.phrases import PhraseTable, classify_decision
from council.cases.importers.published import (
    MeetingStatus,
    PublishedDecision,
    PublishedItem,
    PublishedMeeting,
    SourceSystem,
    Vote,
)


@dataclass(frozen=True)
class PlannedDecision:
    """One decision to record on the committee's item of the case."""

    committee: CommitteeRef
    date: dt.date | None
    number: int | None
    text: str
    outcome: str | None  # None: the phrase table does not know the wording
    referred_to: tuple[str, ...]
    where: str  # the element it was read from
    parts: DecisionParts = field(default_factory=DecisionParts)  # the vote, remarks, absent


@dataclass(frozen=True)
class PlannedItem:
    number: int
    case_number: str | None  # None: the case of the postponed item it continues
    invented_number: bool
    continued_from: dt.date | None
    content: ItemContent
    decisions: tuple[PlannedDecision, ...]
    not_imported: tuple[str, ...]  # parts of the source that are not records, and why

    @property
    def first_date(self) -> dt.date | None:
        dates = [d.date for d in self.decisions if d.date is not None]
        return min(dates) if dates else None


@dataclass(frozen=True)
class PlannedMeeting:
    source: str
    system: SourceSystem
    committee: CommitteeRef
    date: dt.date | None  # None: a text item on no agenda yet (see published.PublishedMeeting)
    start_time: dt.time | None
    place: str | None
    status: MeetingStatus
    items: tuple[PlannedItem, ...]


def plan_meeting(
    meeting: PublishedMeeting, *, source: str, committees: Committees, phrases: PhraseTable
) -> PlannedMeeting:
    """What importing ``meeting`` (read from the file ``source``) records, in order."""
    committee = committees.named(meeting.committee, source=source)
    items = tuple(
        _plan_item(item, meeting, committee, committees, phrases, source) for item in meeting.items
    )
    starts = meeting.starts_at
    return PlannedMeeting(
        source=source,
        system=meeting.provenance.system,
        committee=committee,
        date=meeting.date,
        start_time=starts.time().replace(tzinfo=None) if starts else None,
        place=meeting.place,
        status=meeting.status,
        items=items,
    )


def invented_case_number(committee: CommitteeRef | str, first_meeting: dt.date, number: int) -> str:
    """The stable number of a case whose source gives none: ``SUD-2026-08-26-p7``.

    Committee code, the date of the first meeting the item was before, and its agenda number
    there: the same file always gives the same number, and two items of one meeting differ.
    """
    code = committee if isinstance(committee, str) else committee.code
    return f"{code}-{first_meeting.isoformat()}-p{number}"


def _plan_item(
    item: PublishedItem,
    meeting: PublishedMeeting,
    committee: CommitteeRef,
    committees: Committees,
    phrases: PhraseTable,
    source: str,
) -> PlannedItem:
    treatments = (*item.earlier, *item.decisions)
    decisions: list[PlannedDecision] = []
    not_imported: list[str] = []
    for treatment in treatments:
        if not treatment.text.strip():
            not_imported.append(f"punkt {item.number}: {_without_decision(treatment)}")
            continue
        decisions.append(
            _plan_decision(treatment, item, meeting, committee, committees, phrases, source)
        )
    not_imported += [
        f"punkt {item.number}: lukket bilag «{a.name}» (kun navnet på åbne bilag importeres)"
        for a in item.attachments
        if a.closed
    ]
    case_number, invented = item.case_number, False
    if case_number is None and item.continued_from is None:
        own = [d.date for d in decisions if d.date and d.committee == committee]
        dates = own + ([meeting.date] if meeting.date else [])
        if not dates:
            raise fail(
                source,
                "titlen angiver intet sagsnummer '(2010-4130)' og filen ingen mødedato at navngive "
                "en sag efter; navngiv filen koebenhavn_<udvalg>_<ÅÅÅÅ-MM-DD>_punktNN.txt",
            )
        case_number, invented = invented_case_number(committee, min(dates), item.number), True
    return PlannedItem(
        number=item.number,
        case_number=case_number,
        invented_number=invented,
        continued_from=item.continued_from,
        content=item_content(item, earlier_without_text=_references(treatments)),
        decisions=tuple(decisions),
        not_imported=tuple(not_imported),
    )


def _plan_decision(
    decision: PublishedDecision,
    item: PublishedItem,
    meeting: PublishedMeeting,
    committee: CommitteeRef,
    committees: Committees,
    phrases: PhraseTable,
    source: str,
) -> PlannedDecision:
    body = committees.named(decision.body, source=source) if decision.body else committee
    own = body == committee and decision.date == meeting.date
    return PlannedDecision(
        committee=body,
        date=decision.date,
        number=item.number if own else _printed_number(decision.agenda_number),
        text=decision.text,
        outcome=classify_decision(decision.text, phrases),
        referred_to=decision.referred_to,
        where=decision.provenance.path,
        parts=decision_parts(decision, phrases),
    )


def decision_parts(decision: PublishedDecision, phrases: PhraseTable) -> DecisionParts:
    """What the decision's text states plainly (its vote, remarks, who did not take part,
    the result of each at-point it settles one by one) as the parts a recorded decision
    keeps; the text itself stays verbatim. A point's result is what the phrase table reads
    in "Indstillingen blev <what the text says of the point>"; one it does not know is left
    out, never guessed."""
    points = []
    for number, said in read_points(decision.text):
        outcome = classify_decision(f"Indstillingen blev {said}.", phrases)
        if outcome is not None:
            points.append(PointResult(number, outcome))
    return DecisionParts(
        points=tuple(points),
        votes=_votes(decision.vote) if decision.vote else None,
        remarks=tuple(Remark(r.author, r.text, r.kind) for r in decision.remarks if r.text),
        attendance=tuple(Attendance(name) for name in decision.absent if name.strip()),
    )


def _votes(vote: Vote) -> Votes:
    counts: dict[str, int | None] = {"for": None, "imod": None, "undlod": None}
    groups: dict[str, tuple[str, ...]] = {"for": (), "imod": (), "undlod": ()}
    for side in vote.sides:
        counts[side.side] = side.count
        groups[side.side] = tuple(side.who)
    mode: VoteMode = "afstemning"
    if vote.without_vote:
        mode = "uden_afstemning"
    elif vote.unanimous:
        mode = "enstemmigt"
    return Votes(
        for_count=counts["for"],
        against=counts["imod"],
        abstained=counts["undlod"],
        groups_for=groups["for"],
        groups_against=groups["imod"],
        groups_abstained=groups["undlod"],
        mode=mode,
    )


def _printed_number(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    number = int(value.strip())
    return number if 1 <= number <= 9999 else None


def _without_decision(treatment: PublishedDecision) -> str:
    return (
        f"tidligere behandling uden beslutningstekst ({_reference(treatment)}): "
        "beholdt i punktets tekst, ingen beslutning opfundet"
    )


def _reference(treatment: PublishedDecision) -> str:
    if treatment.heading:
        return " ".join(treatment.heading.split())
    when = treatment.date.strftime("%d.%m.%Y") if treatment.date else "dato ukendt"
    return f"{treatment.body or 'ukendt organ'} {when}"


def _references(treatments: Sequence[PublishedDecision]) -> tuple[str, ...]:
    return tuple(_reference(t) for t in treatments if not t.text.strip())
