"""Importing published agendas and minutes: every format replayed one way, through the acts.

Each file is read into the neutral record by its format's parser (``cases.importers``:
eDoc, SBSYS, Acadre, FirstAgenda, Copenhagen JSON, Copenhagen text), planned without the
database (:mod:`cases.importers.replay_plan`: committees named, decision texts classified,
item texts laid out), and then *replayed through the workflow services*: ``create_case``,
``create_meeting``, ``draft_item``, ``present_item`` and ``decide_item``. Imported decisions
pass the same guards and land in the same audit trail as typed ones; the audit records who
imported them and when (``actor``, ``now``), the decision rows carry the dates the source
gives, and one ``import.<format>`` entry per file names it and its SHA-256.

Rules
-----
* **All or nothing.** Every file is parsed and planned before anything is written, and the
  whole import runs in one database transaction; each act joins it
  (:meth:`UnitOfWork.joined`), so an unknown committee, a refused transition or a file that
  is no agenda leaves the database exactly as it was. ``dry_run`` runs it all and rolls back.
* **Committees** are the configured ones (``config/committees.toml``); a name the source
  gives that is not there is refused, naming it.
* **Cases and items.** See :mod:`workflow.import_items`: the source's case number, else the
  case of the postponed item an item continues, else a stable invented number
  ``SUD-2026-08-26-p7``; one item per committee and case, found again by its title.
* **Decisions.** See :mod:`workflow.import_decisions`: lined up with what is recorded, the
  rest taken at their meetings in the file's order; unknown wording recorded as treated
  (drøftet) with its outcome unknown and reported, never guessed. An item of an agenda
  published before the meeting is put on that meeting's agenda without a decision; its
  minutes, imported later, add the decisions.
* **Idempotent.** Importing the same files again changes nothing, not even the audit trail.
* Meetings created by an import are left unheld (close them with ``council meeting close``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from council.cases import audit, items
from council.cases import committees as committee_store
from council.cases.dates import require_aware
from council.cases.db import UnitOfWork
from council.cases.errors import ImportFormatError
from council.cases.importers.committee_names import CommitteeRef, Committees
from council.cases.importers.phrases import PhraseTable, default_phrase_table
from council.cases.importers.replay_plan import (
    PlannedItem,
    PlannedMeeting,
    invented_case_number,
    plan_meeting,
)
from council.cases.importers.sources import ImportSource, parse_source
from council.cases.importers.text_files import DEFAULT_MAX_BYTES, read_text_file
from council.cases.importers.text_items import TextSource, parse_text
from council.cases.models import Committee
from council.config.errors import CouncilError
from council.workflow import services
from council.workflow.import_bulk import replay_new_meeting
from council.workflow.import_decisions import present_on_own_agenda, replay_decision
from council.workflow.import_items import (
    ImportIndex,
    ImportRun,
    ItemProgress,
    find_case,
    item_progress,
)
from council.workflow.import_reports import FileReport, ImportedCase, ImportedItem
from council.workflow.machine import Rulebook

__all__ = [
    "FileReport",
    "TextSource",
    "import_sources",
    "import_texts",
    "invented_case_number",
    "parse_text",
    "read_sources",
]


def read_sources(paths: Sequence[Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[TextSource]:
    """Read Copenhagen text files; one that is not a small UTF-8 text file is one line."""
    sources = []
    for path in paths:
        try:
            text = read_text_file(path, max_bytes=max_bytes)
        except ImportFormatError as exc:
            raise ImportFormatError(f"{exc}; intet blev importeret") from exc
        sources.append(TextSource(path.name, text))
    return sources


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
    """Import Copenhagen text items; see :func:`import_sources`."""
    return import_sources(
        uow,
        rulebook,
        sources=[ImportSource.of_text(source) for source in sources],
        committee_code=committee_code,
        actor=actor,
        now=now,
        phrases=phrases,
    )


def import_sources(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    sources: Sequence[ImportSource],
    committee_code: str | None = None,
    actor: str,
    now: datetime,
    phrases: PhraseTable | None = None,
    dry_run: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    bulk: bool = True,
) -> list[FileReport]:
    """Import the files in one transaction; one report per file, oldest meeting first.

    ``committee_code`` names the committee of a text item whose file name does not.
    A meeting new to the database whose items are all new is written as sets
    (:mod:`workflow.import_bulk`, SQLite); ``bulk=False`` replays every item through the
    acts one by one, which writes the same rows and audit entries.
    """
    actor, now = services.require_actor(actor), require_aware(now)
    table = phrases or default_phrase_table()
    with uow:
        rows = {row.code: row for row in committee_store.every(uow.session)}
        forced = _forced(uow, committee_code)
        committees = Committees(_ref(row) for row in rows.values())
        plans = [
            (_plan(source, committees, forced, table, max_bytes), index, source)
            for index, source in enumerate(sources)
        ]
        plans.sort(key=lambda e: (_first_date(e[0]), e[0].date or date.max, e[1]))
        index = ImportIndex()
        with audit.held_head(uow):  # one import, one move of the trail's head
            reports = [
                _replay_file(ImportRun(uow, rulebook, plan, rows, actor, now, index, bulk), source)
                for plan, _, source in plans
            ]
        if not dry_run:
            uow.commit()
    return reports


def _ref(row: Committee) -> CommitteeRef:
    return CommitteeRef(row.code, row.name, row.administration, committee_store.names_of(row)[1:])


def _forced(uow: UnitOfWork, code: str | None) -> CommitteeRef | None:
    return _ref(committee_store.by_code(uow.session, code)) if code else None


def _plan(
    source: ImportSource,
    committees: Committees,
    forced: CommitteeRef | None,
    table: PhraseTable,
    max_bytes: int,
) -> PlannedMeeting:
    try:
        published = parse_source(
            source, committees=committees, forced=forced, phrases=table, max_bytes=max_bytes
        )
        return plan_meeting(published, source=source.name, committees=committees, phrases=table)
    except ImportFormatError as exc:
        raise ImportFormatError(f"{exc}; intet blev importeret") from exc


def _first_date(plan: PlannedMeeting) -> date:
    dates = [item.first_date for item in plan.items] + [plan.date]
    return min((d for d in dates if d is not None), default=date.max)


def _replay_file(run: ImportRun, source: ImportSource) -> FileReport:
    cases: list[ImportedCase] = []
    items: list[ImportedItem] = []
    try:
        replayed = replay_new_meeting(run) if run.bulk else None
        if replayed is None:
            replayed = [_replay_item(run, planned) for planned in run.meeting.items]
        for case, progresses in replayed:
            cases.append(case)
            items += [_item_report(run, progress) for progress in progresses]
    except CouncilError as exc:
        if str(exc).startswith(f"{source.name}:"):
            raise
        raise ImportFormatError(f"{source.name}: {exc}; intet blev importeret") from exc
    report = FileReport(
        source=source.name,
        format=source.format,
        committee_code=run.meeting.committee.code,
        meeting_date=run.meeting.date,
        cases=tuple(cases),
        items=tuple(items),
        meetings=_meeting_count(run.meeting),
        not_imported=tuple(part for item in run.meeting.items for part in item.not_imported),
    )
    if report.changed:
        _record_provenance(run, source, report)
    return report


def _replay_item(run: ImportRun, planned: PlannedItem) -> tuple[ImportedCase, list[ItemProgress]]:
    """One published item: its case, each committee's item, its decisions in order."""
    case, created = find_case(run, planned)
    progresses: dict[str, ItemProgress] = {}

    def progress(code: str) -> ItemProgress:
        if code not in progresses:
            progresses[code] = item_progress(run, planned, case, run.committee(code))
        return progresses[code]

    own = progress(run.meeting.committee.code)
    for decision in planned.decisions:
        replay_decision(run, progress(decision.committee.code), decision)
    present_on_own_agenda(run, planned, own)
    imported = ImportedCase(case.number, created, planned.invented_number, planned.continued_from)
    return imported, list(progresses.values())


def _item_report(run: ImportRun, progress: ItemProgress) -> ImportedItem:
    item, texts = progress.item, progress.texts
    return ImportedItem(
        item_id=item.id or 0,
        committee_code=run.committee_code(item.committee_id),
        title=item.title,
        created=progress.created,
        presented_at=tuple(progress.presented_at),
        decisions=tuple(progress.decisions),
        corrected=texts.grown if texts else (),
        kept_shorter=texts.shorter if texts else (),
        kept_different=texts.different if texts else (),
        closed=bool(item.closed),
    )


def _meeting_count(plan: PlannedMeeting) -> int:
    meetings: set[tuple[str, date | None]] = set()
    if plan.date is not None:
        meetings.add((plan.committee.code, plan.date))
    meetings |= {(d.committee.code, d.date) for item in plan.items for d in item.decisions}
    return len(meetings)


def _record_provenance(run: ImportRun, source: ImportSource, report: FileReport) -> None:
    """One audit entry naming the file, its digest and what it brought in."""
    session = run.uow.session
    case_ids = items.case_ids_of(session, [item.item_id for item in report.items])
    link = audit.next_link(session)
    audit.append(
        session,
        link,
        action=f"import.{source.format}",
        actor=run.actor,
        now=run.now,
        case_id=next(iter(case_ids)) if len(case_ids) == 1 else None,
        data={
            "source": source.name,
            "sha256": source.sha256,
            "format": source.format,
            "meeting": {
                "committee": report.committee_code,
                "date": report.meeting_date.isoformat() if report.meeting_date else None,
            },
            "case": report.case_number,
            "cases": [case.number for case in report.cases],
            "invented_number": report.invented_number,
            "items": [item.item_id for item in report.items],
            "decisions": sum(d.new for d in report.decisions),
            "unclassified": len([d for d in report.unclassified if d.new]),
        },
    )
    session.flush()
