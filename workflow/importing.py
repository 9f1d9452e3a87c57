"""Importing agenda items published as plain text in the Copenhagen layout.

Each file is parsed by :mod:`cases.importers.copenhagen_text` (the 2010 layout of the seed and
the 2026 layout of kk.dk) and its history is then *replayed through the workflow services*:
``create_case``, ``create_meeting``, ``draft_item``, ``present_item`` and ``decide_item``. The
imported decisions therefore pass the same guards and land in the same audit trail as typed
ones; the audit records who imported them and when (``actor``, ``now``), the decision rows
carry the meeting dates the source gives.

Rules
-----
* **All or nothing.** Every file is parsed before anything is written, and the whole import
  runs in one database transaction: the services run inside it (their commits only flush), so
  a file that is not an agenda item, an unknown committee or a refused transition leaves the
  database exactly as it was.
* **Committee.** ``--committee`` if given, else the file name
  (``koebenhavn_<udvalg>_<YYYY-MM-DD>_punktNN.txt``), else the committee named in the item's
  last dated decision heading ("Beskæftigelses- og Integrationsudvalgets beslutning den ..."):
  a published item ends with the decision of the committee that published it. A decision
  without a heading belongs to the committee whose decision follows it.
  Names are matched against the committees table (loaded from ``config/committees.toml``); an
  unknown name is refused with what to add there. A decision headed by another committee's
  name goes to that committee's item of the same case (one item per committee, as in the
  model: an item is one treatment of a case by one committee).
* **Case.** The number in the title, "(2010-4130)". An item marked "(udsat fra mødet den 26.
  august 2026)" joins the case of the item with the same title that the committee postponed at
  that meeting (it must have been imported or recorded before; files given together are
  imported in date order). A file with neither gets an *invented, stable* number built from
  the committee code, the date of the first meeting the file names and the agenda number:
  ``SUD-2026-08-26-p7``. The report says when a number was invented.
* **Decisions** are replayed in the file's order. Each dated one is taken at the committee's
  meeting of that date (created when missing); one without a date ("Indstillingen blev
  udsat." in the seed) at a meeting whose date is unknown, and its date is stored as unknown.
  The agenda number of the file applies at the file's own meeting; earlier meetings get the
  next free number. Outcomes come from the phrase table (``config/decision_phrases.toml``);
  a text the table does not recognise is **never guessed**: it is recorded through the
  workflow's ``discuss`` transition (drøftet: treated, not concluded) with its outcome stored
  as unknown (``classified=False``), and the report lists it as unclassified for a clerk.
* **Idempotent.** An item is found again by case, committee and exact title; the file's
  decisions are lined up with those already recorded (same text, and the same date where the
  file gives one) and only those after them are replayed. Importing the same file twice
  changes nothing, not even the audit trail. A file whose decisions contradict the recorded
  ones is refused.
* **Whole files only.** A file is read only if it is a regular file within the import limit
  holding UTF-8 text (:mod:`cases.importers.text_files`), and parsed only if it ends where a
  published item can end (:mod:`cases.importers.cut_off`): a cut-off item is refused.
* **More, never less.** An item found again is compared section by section with the file
  (:mod:`workflow.item_corrections`): what the file has more of replaces the stored text as
  an audited correction; what it has less of, or words otherwise, is kept and reported. A
  recorded decision whose wording is the first lines of the file's is completed likewise.
* Meetings created by an import are left unheld (close them with ``council meeting close``);
  a held meeting refuses further items, as it does for typed ones.
* The product's own text layout (``council render item ... --format txt``) is read back:
  a decision headed "<Udvalg>s beslutning (dato ukendt)" is a decision without a date.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from council.cases import audit, case_records, item_texts, items, meetings
from council.cases import committees as committee_store
from council.cases.dates import format_date, require_aware
from council.cases.db import UnitOfWork, translate
from council.cases.errors import CutOffItemError, ImportFormatError
from council.cases.importers.copenhagen_text import (
    ParsedDecision,
    ParsedItem,
    meeting_hint_from_filename,
    parse_copenhagen_text,
)
from council.cases.importers.phrases import (
    PhraseTable,
    classify_decision,
    default_phrase_table,
    normalise,
)
from council.cases.importers.text_files import DEFAULT_MAX_BYTES, read_text_file
from council.cases.item_texts import Sections
from council.cases.models import AgendaItem, Case, Committee, Meeting
from council.config.errors import CouncilError
from council.workflow import services
from council.workflow.errors import ImportRefused
from council.workflow.guards import DECISION, ORIENTATION
from council.workflow.item_corrections import (
    REASON_MORE_CONTENT,
    SectionReview,
    correct_decision_wording,
    correct_sections,
    review_sections,
    wording_grows,
)
from council.workflow.machine import Rulebook

UNCLASSIFIED_TRIGGER = "discuss"
_UNDATED_HEADING = re.compile(
    r"^(?P<genitive>[A-ZÆØÅ][^.]*?[s'’])\s+beslutning\s*(?:den\s*)?\(\s*dato ukendt\s*\)\.?$",
    re.IGNORECASE,
)
_INVENTED_NUMBER = re.compile(r"\s*\((?P<case>[A-ZÆØÅ]{1,8}-\d{4}-\d{2}-\d{2}-p\d{1,3})\)$")
_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


@dataclass(frozen=True)
class TextSource:
    """One file's name (its meeting hint, and how errors name it) and its text."""

    name: str
    text: str


def read_sources(paths: Sequence[Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[TextSource]:
    """Read the files; one that is not a small UTF-8 text file is one ``ImportFormatError`` line.

    ``max_bytes`` is the largest file accepted (``COUNCIL_IMPORT_MAX_BYTES``); no more than
    one byte over it is ever read. Devices, FIFOs and directories are refused unread.
    """
    sources = []
    for path in paths:
        try:
            text = read_text_file(path, max_bytes=max_bytes)
        except ImportFormatError as exc:
            raise ImportFormatError(f"{exc}; nothing was imported") from exc
        sources.append(TextSource(path.name, text))
    return sources


# ---------------------------------------------------------------------------------- reports


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


@dataclass(frozen=True)
class FileReport:
    """What importing one file found and did."""

    source: str
    case_number: str
    case_created: bool
    invented_number: bool
    continued_from: date | None
    items: tuple[ImportedItem, ...]

    @property
    def changed(self) -> bool:
        return self.case_created or any(
            item.created
            or item.presented_at
            or item.corrected
            or any(d.new or d.completed for d in item.decisions)
            for item in self.items
        )

    @property
    def unclassified(self) -> list[ImportedDecision]:
        return [d for item in self.items for d in item.decisions if d.outcome is None]


# ---------------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class _Decision:
    committee: Committee
    date: date | None
    text: str
    outcome: str | None


@dataclass(frozen=True)
class _Plan:
    index: int
    source: TextSource
    parsed: ParsedItem
    committee: Committee
    meeting_date: date | None  # the meeting whose agenda the file is (its number applies there)
    decisions: tuple[_Decision, ...]

    @property
    def first_date(self) -> date | None:
        dates = [d.date for d in self.decisions if d.date] + [self.meeting_date]
        known = [d for d in dates if d is not None]
        return min(known) if known else None


def import_texts(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    sources: Sequence[TextSource],
    committee_code: str | None = None,
    actor: str,
    now: datetime,
    phrases: PhraseTable | None = None,
) -> list[FileReport]:
    """Import the files in one transaction; returns one report per file, in date order."""
    actor, now = services.require_actor(actor), require_aware(now)
    table = phrases or default_phrase_table()
    with uow:
        session = uow.session
        committees = committee_store.every(session)
        forced = committee_store.by_code(session, committee_code) if committee_code else None
        plans = []
        for index, source in enumerate(sources):
            try:
                plans.append(_plan(index, source, committees, forced, table))
            except ImportFormatError as exc:
                raise ImportFormatError(f"{exc}; nothing was imported") from exc
        plans.sort(key=lambda plan: (plan.first_date or date.max, plan.index))
        reports = [_Importer(uow, rulebook, plan, actor=actor, now=now).run() for plan in plans]
        uow.commit()
    return reports


def _plan(
    index: int,
    source: TextSource,
    committees: list[Committee],
    forced: Committee | None,
    table: PhraseTable,
) -> _Plan:
    hint = meeting_hint_from_filename(source.name)
    named = _committee_by_slug(source.name, hint.committee_slug, committees) if hint else None
    committee = forced or named
    parsed = parse_text(source, committee_name=committee.name if committee else None, phrases=table)
    found = parsed.decisions
    if committee is None:
        dated = [d for d in found if d.committee_name and d.date]
        if not dated:
            raise ImportFormatError(
                f"{source.name}: cannot tell which committee the item is before; "
                "pass --committee CODE"
            )
        committee = _committee_by_name(source.name, dated[-1].committee_name or "", committees)
    # A decision without a heading (the seed's "Indstillingen blev udsat.") was taken by the
    # committee whose decision follows it, else by the file's committee.
    decisions: list[_Decision] = []
    following = committee
    for d in reversed(found):
        if d.committee_name:
            following = _committee_by_name(source.name, d.committee_name, committees)
        decisions.insert(0, _Decision(following, d.date, d.text, d.outcome))
    own_dates = [d.date for d in decisions if d.committee.id == committee.id and d.date]
    meeting_date = hint.date if hint else (own_dates[-1] if own_dates else None)
    return _Plan(index, source, parsed, committee, meeting_date, tuple(decisions))


def parse_text(
    source: TextSource, *, committee_name: str | None = None, phrases: PhraseTable | None = None
) -> ParsedItem:
    """Parse one file as the import reads it, without touching the database.

    The Copenhagen parser, with the meeting date (and the punkt check) from a file name
    ``koebenhavn_<udvalg>_<YYYY-MM-DD>_punktNN.txt``, plus the product's own text layout:
    an invented case number "(SUD-2026-08-26-p7)" at the end of the title, and decisions
    headed "<Udvalg>s beslutning (dato ukendt)".
    """
    table = phrases or default_phrase_table()
    hint = meeting_hint_from_filename(source.name)
    parsed = parse_copenhagen_text(
        source.text,
        source=source.name,
        default_date=hint.date if hint else None,
        default_committee=committee_name,
        phrases=table,
    )
    if hint is not None and hint.number != parsed.number:
        raise ImportFormatError(
            f"{source.name}: the file name says punkt {hint.number}, the text {parsed.number}"
        )
    parsed = _own_case_number(parsed)
    last_line = parsed.decisions[-1].text.split("\n")[-1].strip() if parsed.decisions else ""
    if _UNDATED_HEADING.match(last_line):  # the product's own heading, with nothing under it
        raise CutOffItemError(
            f"{source.name}: the file looks cut off: it ends with the heading «{last_line}» "
            "and nothing under it"
        )
    return replace(parsed, decisions=tuple(_split_undated_headings(parsed.decisions, table)))


def _own_case_number(parsed: ParsedItem) -> ParsedItem:
    """A title ending in one of the product's invented numbers "(SUD-2026-08-26-p7)" names it."""
    if parsed.case_number is not None:
        return parsed
    match = _INVENTED_NUMBER.search(parsed.title)
    if match is None:
        return parsed
    return replace(parsed, title=parsed.title[: match.start()].rstrip(), case_number=match["case"])


def _split_undated_headings(
    decisions: Sequence[ParsedDecision], table: PhraseTable
) -> list[ParsedDecision]:
    """Cut decisions at "<Udvalg>s beslutning (dato ukendt)" lines (the product's own layout)."""
    result: list[ParsedDecision] = []
    for decision in decisions:
        lines = decision.text.split("\n")
        if not any(_UNDATED_HEADING.match(line.strip()) for line in lines):
            result.append(decision)
            continue
        pieces: list[tuple[ParsedDecision, list[str]]] = [(decision, [])]
        for line in lines:
            heading = _UNDATED_HEADING.match(line.strip())
            if heading is None:
                pieces[-1][1].append(line)
                continue
            genitive = heading["genitive"]
            name = genitive[:-1] if genitive.endswith(("s", "'", "’")) else genitive
            pieces.append((ParsedDecision(name, None, "", None, line.strip()), []))
        for template, body in pieces:
            text = "\n".join(body).strip()
            if text:
                result.append(replace(template, text=text, outcome=classify_decision(text, table)))
    return result


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _key(name).translate(_TRANSLITERATE)).strip("-")


def _committee_by_name(source: str, name: str, committees: list[Committee]) -> Committee:
    for committee in committees:
        if _key(committee.name) == _key(name):
            return committee
    raise ImportFormatError(
        f"{source}: the committee '{name}' is unknown; add it to config/committees.toml "
        "([[committee]] with code, name and administration) and run 'council init'"
    )


def _committee_by_slug(source: str, slug: str, committees: list[Committee]) -> Committee:
    for committee in committees:
        if _slug(committee.name) == slug:
            return committee
    raise ImportFormatError(
        f"{source}: the committee '{slug}' in the file name is unknown; add it to "
        "config/committees.toml ([[committee]] with code, name and administration) and run "
        "'council init', or pass --committee CODE"
    )


def invented_case_number(committee: Committee, first_meeting: date, number: int) -> str:
    """The stable number of a case whose source gives none: ``SUD-2026-08-26-p7``.

    Committee code, the date of the first meeting the item was before, and its agenda number
    there: the same file always gives the same number, and two items of one meeting differ.
    """
    return f"{committee.code}-{first_meeting.isoformat()}-p{number}"


# ---------------------------------------------------------------------------------- replaying


class _Within(UnitOfWork):
    """A service's unit of work inside the import's transaction: committing only flushes.

    Leaving it does not roll back: an error propagates to the import's own unit of work,
    which rolls the whole import back. Entering it expires what the session holds, so each
    service reads the rows as the previous one left them.
    """

    def __init__(self, outer: UnitOfWork) -> None:
        super().__init__(outer.database, write=True)
        self.session = outer.session

    def __enter__(self) -> _Within:
        self.commit()
        self.session.expire_all()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, SQLAlchemyError):
            raise translate(exc, self.database) from exc

    def commit(self) -> None:
        try:
            self.session.flush()
        except SQLAlchemyError as exc:
            raise translate(exc, self.database) from exc


@dataclass(frozen=True)
class _Recorded:
    """A decision already recorded on the item."""

    date: date | None
    text: str
    to_state: str
    outcome: str | None
    decision_id: int


@dataclass
class _ItemProgress:
    item: AgendaItem
    created: bool
    recorded: list[_Recorded]
    matched: int | None = None  # index in ``recorded`` of the next decision to line up with
    decisions: list[ImportedDecision] = field(default_factory=list)
    presented_at: list[str] = field(default_factory=list)
    texts: SectionReview | None = None


class _Importer:
    """Replays one planned file through the services, inside the shared transaction."""

    def __init__(
        self, uow: UnitOfWork, rulebook: Rulebook, plan: _Plan, *, actor: str, now: datetime
    ) -> None:
        self.uow, self.rulebook, self.plan = uow, rulebook, plan
        self.actor, self.now = actor, now
        self.name = plan.source.name
        self.items: dict[int, _ItemProgress] = {}  # by committee id
        self._case_row: Case | None = None

    @property
    def case(self) -> Case:
        assert self._case_row is not None, "the case is found first"
        return self._case_row

    @property
    def session(self) -> Session:
        return self.uow.session

    def within(self) -> _Within:
        return _Within(self.uow)

    def fail(self, what: str) -> ImportFormatError:
        return ImportFormatError(f"{self.name}: {what}; nothing was imported")

    def run(self) -> FileReport:
        plan = self.plan
        try:
            case, case_created, invented = self._case()
            self._case_row = case
            self._progress(plan.committee)
            for decision in plan.decisions:
                self._replay(decision)
            self._present_on_own_agenda()
        except CouncilError as exc:
            if str(exc).startswith(f"{self.name}:"):
                raise
            raise ImportRefused(self.name, exc) from exc
        report = FileReport(
            source=self.name,
            case_number=case.number,
            case_created=case_created,
            invented_number=invented,
            continued_from=plan.parsed.continued_from,
            items=tuple(
                ImportedItem(
                    item_id=progress.item.id or 0,
                    committee_code=self._code(progress.item.committee_id),
                    title=progress.item.title,
                    created=progress.created,
                    presented_at=tuple(progress.presented_at),
                    decisions=tuple(progress.decisions),
                    corrected=progress.texts.grown if progress.texts else (),
                    kept_shorter=progress.texts.shorter if progress.texts else (),
                    kept_different=progress.texts.different if progress.texts else (),
                )
                for progress in self.items.values()
            ),
        )
        if report.changed:
            self._record_provenance(report)
        return report

    # -- the case and the items

    def _case(self) -> tuple[Case, bool, bool]:
        plan, parsed = self.plan, self.plan.parsed
        if parsed.continued_from is not None:
            item = self._continued_item(parsed.continued_from)
            case = case_records.by_id(self.session, item.case_id)
            if parsed.case_number and parsed.case_number != case.number:
                raise self.fail(
                    f"the title names case {parsed.case_number}, but the item it continues "
                    f"(item {item.id}) belongs to case {case.number}"
                )
            return case, False, False
        invented = parsed.case_number is None
        if parsed.case_number is not None:
            number = parsed.case_number
        else:
            first = plan.first_date
            if first is None:
                raise self.fail(
                    "the title gives no case number '(2010-4130)' and the file no meeting "
                    "date to name a case by; name the file "
                    "koebenhavn_<udvalg>_<YYYY-MM-DD>_punktNN.txt"
                )
            number = invented_case_number(plan.committee, first, parsed.number)
        found = case_records.find(self.session, number)
        if found is not None:
            return found, False, invented
        case = services.create_case(
            self.within(),
            number=number,
            title=parsed.title,
            owner=parsed.administration or plan.committee.administration,
            actor=self.actor,
            now=self.now,
        )
        return case, True, invented

    def _continued_item(self, postponed_on: date) -> AgendaItem:
        plan = self.plan
        meeting = meetings.on_date(
            self.session, committee_id=plan.committee.id or 0, on=postponed_on
        )
        candidates = (
            items.on_meeting_titled(
                self.session, meeting_id=meeting.id or 0, title=plan.parsed.title
            )
            if meeting is not None
            else []
        )
        if not candidates:
            raise self.fail(
                f"the item continues one {plan.committee.name} postponed on "
                f"{format_date(postponed_on)} ('{plan.parsed.title}'), which is not in the "
                "database; import that meeting's file first or together with this one"
            )
        return candidates[-1]

    def _progress(self, committee: Committee) -> _ItemProgress:
        assert committee.id is not None
        if committee.id in self.items:
            return self.items[committee.id]
        parsed = self.plan.parsed
        item = None
        if parsed.continued_from is not None and committee.id == self.plan.committee.id:
            item = self._continued_item(parsed.continued_from)
        if item is None:
            item = items.titled(
                self.session,
                case_id=self.case.id or 0,
                committee_id=committee.id,
                title=parsed.title,
            )
        created = item is None
        if item is None:
            item = services.draft_item(
                self.within(),
                self.rulebook,
                case_number=self.case.number,
                committee_code=committee.code,
                draft=self._draft(committee),
                actor=self.actor,
                now=self.now,
            )
        assert item.id is not None
        recorded = [
            _Recorded(
                meeting_date or decision.decided_on,
                decision.text,
                decision.to_state,
                decision.outcome,
                decision.id or 0,
            )
            for decision, meeting_date in items.decisions_of(self.session, item.id)
        ]
        progress = _ItemProgress(item, created, recorded)
        self.items[committee.id] = progress
        if not created:
            self._complete_sections(progress, committee)
        return progress

    def _complete_sections(self, progress: _ItemProgress, committee: Committee) -> None:
        """Replace stored sections that the file has more of; keep every other one."""
        item_id = progress.item.id or 0
        stored, _ = item_texts.sections_of(self.session, item_id)
        progress.texts = review_sections(stored, self._sections(committee))
        if progress.texts.grown:
            correct_sections(
                self.within(),
                item_id=item_id,
                sections=progress.texts.merged,
                reason=REASON_MORE_CONTENT,
                source=self.name,
                actor=self.actor,
                now=self.now,
            )

    def _sections(self, committee: Committee) -> Sections:
        """The file's sections as drafting would store them."""
        draft = self._draft(committee)
        return Sections(
            summary=draft.summary.strip(),
            administration=(draft.administration or committee.administration).strip(),
            recommendation=tuple(p.strip() for p in draft.recommendation if p.strip()),
            problem=draft.problem.strip(),
            solution=draft.solution.strip(),
            economy=draft.economy.strip(),
            next_steps=draft.next_steps.strip(),
            signatures=tuple(draft.signatures),
            attachments=tuple(draft.attachments),
        )

    def _draft(self, committee: Committee) -> services.ItemDraft:
        parsed = self.plan.parsed
        return services.ItemDraft(
            title=parsed.title,
            kind=self._kind(committee),
            summary=parsed.summary,
            administration=parsed.administration,
            recommendation=parsed.recommendation,
            problem=parsed.problem,
            solution=parsed.solution,
            economy=parsed.economy,
            next_steps=parsed.next_steps,
            signatures=parsed.signatures,
            attachments=parsed.attachments,
        )

    def _kind(self, committee: Committee) -> str:
        """Orientering or beslutning: what the item's outcomes need, else what it asks for."""
        definition = self.rulebook.definition
        for decision in self.plan.decisions:
            if decision.committee.id != committee.id or decision.outcome is None:
                continue
            for move in definition.transitions:
                if move.act == "decide" and move.dest == decision.outcome:
                    if "is_orientation_item" in move.guards:
                        return ORIENTATION
                    if "is_decision_item" in move.guards:
                        return DECISION
        points = " ".join(self.plan.parsed.recommendation).casefold()
        return ORIENTATION if "til efterretning" in points else DECISION

    # -- decisions

    def _replay(self, decision: _Decision) -> None:
        progress = self._progress(decision.committee)
        position = self._line_up(progress, decision)
        if position is not None:
            earlier = progress.recorded[position]
            completed = not self._same(decision, earlier)
            if completed:
                correct_decision_wording(
                    self.within(),
                    decision_id=earlier.decision_id,
                    text=decision.text,
                    reason=REASON_MORE_CONTENT,
                    source=self.name,
                    actor=self.actor,
                    now=self.now,
                )
                progress.recorded[position] = replace(earlier, text=decision.text)
            progress.decisions.append(
                ImportedDecision(
                    committee_code=decision.committee.code,
                    meeting_date=decision.date or earlier.date,
                    agenda_number=None,
                    outcome=decision.outcome,
                    to_state=earlier.to_state,
                    text=decision.text,
                    new=False,
                    completed=completed,
                )
            )
            progress.matched = position + 1
            return
        progress.matched = len(progress.recorded)
        meeting = self._meeting_for(progress, decision)
        number = self._present(progress, meeting, decision.date)
        outcome = decision.outcome or self._unclassified_outcome()
        result = services.decide_item(
            self.within(),
            self.rulebook,
            item_id=progress.item.id or 0,
            outcome=outcome,
            text=decision.text,
            decided_on=decision.date,
            date_unknown=decision.date is None,
            classified=decision.outcome is not None,
            actor=self.actor,
            now=self.now,
        )
        progress.recorded.append(
            _Recorded(
                decision.date,
                decision.text,
                result.to_state,
                decision.outcome,
                result.decision_id or 0,
            )
        )
        progress.matched = len(progress.recorded)
        progress.decisions.append(
            ImportedDecision(
                committee_code=decision.committee.code,
                meeting_date=decision.date,
                agenda_number=number,
                outcome=decision.outcome,
                to_state=result.to_state,
                text=decision.text,
                new=True,
            )
        )

    def _line_up(self, progress: _ItemProgress, decision: _Decision) -> int | None:
        """The index of the recorded decision this one is, or None if it is new.

        The first decision of a file may match any recorded one (a file that continues an
        earlier one, or repeats the whole history); after that they must follow in order.
        A recorded decision whose wording is the first lines of the file's is the same one,
        stored shorter (:func:`item_corrections.wording_grows`).
        """
        recorded = progress.recorded
        if progress.matched is None:
            for index, earlier in enumerate(recorded):
                if self._same(decision, earlier) or self._grown(decision, earlier):
                    return index
            return None
        index = progress.matched
        if index >= len(recorded):
            return None
        earlier = recorded[index]
        if not (self._same(decision, earlier) or self._grown(decision, earlier)):
            raise self.fail(
                f"item {progress.item.id} already records «{earlier.text}» "
                f"({format_date(earlier.date)}) where the file has «{decision.text}» "
                f"({format_date(decision.date)})"
            )
        return index

    @staticmethod
    def _same(decision: _Decision, earlier: _Recorded) -> bool:
        return normalise(earlier.text) == normalise(decision.text) and (
            decision.date is None or decision.date == earlier.date
        )

    @staticmethod
    def _grown(decision: _Decision, earlier: _Recorded) -> bool:
        """The same decision with more lines, stating the same outcome."""
        return (
            wording_grows(earlier.text, decision.text)
            and decision.outcome == earlier.outcome
            and (decision.date is None or decision.date == earlier.date)
        )

    def _unclassified_outcome(self) -> str:
        for move in self.rulebook.definition.transitions:
            if move.trigger == UNCLASSIFIED_TRIGGER:
                return move.dest
        raise self.fail(
            f"a decision text is not recognised and the workflow has no "
            f"'{UNCLASSIFIED_TRIGGER}' transition to record it with"
        )

    def _meeting_for(self, progress: _ItemProgress, decision: _Decision) -> Meeting:
        committee = decision.committee
        assert committee.id is not None and progress.item.id is not None
        if decision.date is not None:
            meeting = meetings.on_date(self.session, committee_id=committee.id, on=decision.date)
            if meeting is not None:
                return meeting
        else:
            open_meeting = self._open_meeting(progress)
            if open_meeting is not None and open_meeting.date is None:
                return open_meeting
        return services.create_meeting(
            self.within(),
            committee_code=committee.code,
            on=decision.date,
            actor=self.actor,
            now=self.now,
        )

    def _open_meeting(self, progress: _ItemProgress) -> Meeting | None:
        """The meeting the item is before now, waiting for a decision, if any."""
        item = items.by_id(self.session, progress.item.id or 0)
        if item.state not in self.rulebook.presented_states:
            return None
        entry = items.latest_entry(self.session, item.id or 0)
        return self.session.get(Meeting, entry.meeting_id) if entry else None

    def _present(self, progress: _ItemProgress, meeting: Meeting, on: date | None) -> int | None:
        """Put the item before ``meeting`` unless it already is; returns its agenda number."""
        assert meeting.id is not None and progress.item.id is not None
        open_meeting = self._open_meeting(progress)
        if open_meeting is not None and open_meeting.id == meeting.id:
            entry = items.entry_at(self.session, meeting_id=meeting.id, item_id=progress.item.id)
            return entry.number if entry else None
        number = None
        own = self.plan.committee.id == meeting.committee_id
        if own and on is not None and on == self.plan.meeting_date:
            number = self.plan.parsed.number
            holder = items.numbered(self.session, meeting_id=meeting.id, number=number)
            if holder is not None and holder.id != progress.item.id:
                raise self.fail(
                    f"punkt {number} of the {self.plan.committee.code} meeting of "
                    f"{format_date(on)} is already item {holder.id} ('{holder.title}')"
                )
        result = services.present_item(
            self.within(),
            self.rulebook,
            item_id=progress.item.id,
            meeting_ref=str(meeting.id),
            number=number,
            actor=self.actor,
            now=self.now,
        )
        return result.agenda_number

    def _present_on_own_agenda(self) -> None:
        """An agenda published before the meeting: put the item on it, without a decision."""
        plan = self.plan
        if plan.meeting_date is None:
            return
        progress = self._progress(plan.committee)
        if any(
            d.committee.id == plan.committee.id and d.date == plan.meeting_date
            for d in plan.decisions
        ):
            return
        meeting = meetings.on_date(
            self.session, committee_id=plan.committee.id or 0, on=plan.meeting_date
        )
        if meeting is not None:
            entry = items.entry_at(
                self.session, meeting_id=meeting.id or 0, item_id=progress.item.id or 0
            )
            if entry is not None:
                return
        else:
            meeting = services.create_meeting(
                self.within(),
                committee_code=plan.committee.code,
                on=plan.meeting_date,
                actor=self.actor,
                now=self.now,
            )
        self._present(progress, meeting, plan.meeting_date)
        progress.presented_at.append(f"{plan.committee.code} {format_date(plan.meeting_date)}")

    # -- helpers

    def _code(self, committee_id: int) -> str:
        return committee_store.by_id(self.session, committee_id).code

    def _record_provenance(self, report: FileReport) -> None:
        """One audit entry naming the file, its digest and what it brought in."""
        link = audit.next_link(self.session)
        audit.append(
            self.session,
            link,
            action="import.text",
            actor=self.actor,
            now=self.now,
            case_id=self.case.id,
            data={
                "source": self.name,
                "sha256": hashlib.sha256(self.plan.source.text.encode("utf-8")).hexdigest(),
                "case": report.case_number,
                "invented_number": report.invented_number,
                "items": [item.item_id for item in report.items],
                "decisions": sum(d.new for item in report.items for d in item.decisions),
                "unclassified": len([d for d in report.unclassified if d.new]),
            },
        )
        self.session.flush()
