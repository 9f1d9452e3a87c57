"""What an import found and did, per file: the faces print it, the tests read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ImportedDecision:
    """One decision of a file: replayed now (``new``) or found already recorded."""

    committee_code: str
    meeting_date: date | None
    agenda_number: int | None
    outcome: str | None  # the workflow outcome; None: not classified (recorded as drøftet)
    to_state: str
    text: str
    new: bool
    completed: bool = False  # recorded with fewer lines; the file's wording replaced it
    referred_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportedItem:
    item_id: int
    committee_code: str
    title: str
    created: bool
    presented_at: tuple[str, ...]  # meetings put before without a decision (an agenda file)
    decisions: tuple[ImportedDecision, ...]
    corrected: tuple[str, ...] = ()  # sections the file has more of: completed from it
    kept_shorter: tuple[str, ...] = ()  # sections the file has less of: the stored kept
    kept_different: tuple[str, ...] = ()  # sections the file words otherwise: the stored kept
    closed: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.presented_at
            or self.corrected
            or any(d.new or d.completed for d in self.decisions)
        )


@dataclass(frozen=True)
class ImportedCase:
    """The case of one published item."""

    number: str
    created: bool
    invented_number: bool
    continued_from: date | None


@dataclass(frozen=True)
class FileReport:
    """What importing one file found and did.

    ``cases`` has one entry per published item, in agenda order; ``items`` every item the
    file touched (another committee's item of the same case too). ``case_number`` and its
    neighbours describe the first published item: a Copenhagen text file has just one.
    """

    source: str
    format: str
    committee_code: str
    meeting_date: date | None
    cases: tuple[ImportedCase, ...]
    items: tuple[ImportedItem, ...]
    meetings: int = 1  # the meetings its records are at (earlier ones included)
    not_imported: tuple[str, ...] = ()  # parts of the file that are not records, and why

    @property
    def case_number(self) -> str:
        return self.cases[0].number

    @property
    def case_created(self) -> bool:
        return self.cases[0].created

    @property
    def invented_number(self) -> bool:
        return self.cases[0].invented_number

    @property
    def continued_from(self) -> date | None:
        return self.cases[0].continued_from

    @property
    def changed(self) -> bool:
        return any(case.created for case in self.cases) or any(i.changed for i in self.items)

    @property
    def decisions(self) -> list[ImportedDecision]:
        return [d for item in self.items for d in item.decisions]

    @property
    def unclassified(self) -> list[ImportedDecision]:
        return [d for d in self.decisions if d.outcome is None]


@dataclass(frozen=True)
class SummaryRow:
    """One line of the table printed after an import: counts of one file."""

    source: str
    format: str
    meetings: int
    items: int
    decisions: int
    new_decisions: int
    flagged: int
    not_imported: int


def summary_row(report: FileReport) -> SummaryRow:
    return SummaryRow(
        source=report.source,
        format=report.format,
        meetings=report.meetings,
        items=len(report.items),
        decisions=len(report.decisions),
        new_decisions=sum(d.new for d in report.decisions),
        flagged=len(report.unclassified),
        not_imported=len(report.not_imported),
    )
