"""Importing the real published files of every format through the public import function.

Each file is read from ``shared/realdata/`` (the test skips, saying so, when it is absent)
and imported into a real database (an SQLite file, and PostgreSQL through the fixtures) with
a committees file that holds the bodies the files name. What the tests expect is written out
from reading the files by hand: meetings, items, cases, decisions (text, date, outcome and
the bodies a decision refers the case to), closed flags and attachments.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select
from support import PROJECT, at, dump, real_file

from council.cases.audit_verify import verify
from council.cases.errors import ImportFormatError
from council.cases.importers.sources import read_sources
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    AuditEntry,
    Case,
    Committee,
    Decision,
    Meeting,
)
from council.config.settings import load_settings
from council.workflow.app import App
from council.workflow.import_reports import FileReport
from council.workflow.importing import import_sources
from council.workflow.initialise import initialise

COMMITTEES = PROJECT / "tests" / "data" / "committees-realdata.toml"
NOW = at("2026-11-02 10:00")
ACTOR = "Import (sekretariatet)"
EDOC = "edoc/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_meeting.edoc.xml"
SBSYS = "sbsys/ballerup_kmb-it-udvalget_2013-05-15_meeting.sbsys.xml"
ACADRE = "acadre/syddjurs_puk_2013-06-20_meeting.acadre.xml"
FIRSTAGENDA = "firstagenda/aarhus_teknisk-udvalg_2025-10-01_referat.firstagenda.html"
KK_JSON = "copenhagen-json/koebenhavn_oekonomiudvalget_2026-08-11_punkt28.sagsvagt-kk.json"


@pytest.fixture
def realdata_app(database_url: str) -> Iterator[App]:
    application = App(settings=load_settings(database_url=database_url, committees_file=COMMITTEES))
    initialise(application, actor="test", now=at("2026-11-01 09:00"))
    yield application
    application.database.dispose()


def run(app: App, *paths: Path, dry_run: bool = False) -> list[FileReport]:
    return import_sources(
        app.database.unit_of_work(),
        app.rulebook,
        sources=read_sources(list(paths)).files,
        actor=ACTOR,
        now=NOW,
        dry_run=dry_run,
    )


@dataclass(frozen=True)
class Line:
    """One item on a meeting's agenda, as stored."""

    number: int | None
    case: str
    title: str
    closed: bool
    state: str
    attachments: int
    decisions: list[tuple[date | None, str | None, str, list[str] | None]]


def agenda(app: App, code: str, on: date) -> list[Line]:
    """The meeting's agenda with each item's decisions there (date, outcome, text, referral)."""
    with app.database.reading() as session:
        meeting = session.scalars(
            select(Meeting).join(Committee).where(Committee.code == code, Meeting.date == on)
        ).one()
        rows = session.execute(
            select(AgendaEntry.number, AgendaItem, Case.number)
            .join(AgendaItem, AgendaItem.id == AgendaEntry.item_id)
            .join(Case, Case.id == AgendaItem.case_id)
            .where(AgendaEntry.meeting_id == meeting.id)
            .order_by(AgendaEntry.id)
        ).all()
        lines = []
        for number, item, case in rows:
            decisions = session.scalars(
                select(Decision)
                .where(Decision.item_id == item.id, Decision.meeting_id == meeting.id)
                .order_by(Decision.id)
            ).all()
            attachments = session.scalars(
                select(Attachment.id).where(Attachment.item_id == item.id)
            ).all()
            lines.append(
                Line(
                    number,
                    case,
                    item.title,
                    item.closed,
                    item.state,
                    len(attachments),
                    [(d.decided_on, d.outcome, d.text, d.referred_to) for d in decisions],
                )
            )
        return lines


def case_history(app: App, number: str) -> list[tuple[str, date | None, int | None, str | None]]:
    """(committee, date, agenda number there, outcome) of every decision of the case."""
    with app.database.reading() as session:
        rows = session.execute(
            select(Committee.code, Decision.decided_on, AgendaEntry.number, Decision.outcome)
            .join(AgendaItem, AgendaItem.id == Decision.item_id)
            .join(Case, Case.id == AgendaItem.case_id)
            .join(Committee, Committee.id == AgendaItem.committee_id)
            .join(
                AgendaEntry,
                (AgendaEntry.item_id == Decision.item_id)
                & (AgendaEntry.meeting_id == Decision.meeting_id),
            )
            .where(Case.number == number)
            .order_by(Decision.decided_on)
        ).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]


def verified(app: App) -> bool:
    with app.database.reading() as session:
        report = verify(session)
    assert report.problem is None, report.problem
    return True


# ------------------------------------------------------------------------------ eDoc


def test_the_edoc_minutes_become_eight_decided_items_with_the_remark_and_the_referral(
    realdata_app: App,
) -> None:
    [report] = run(realdata_app, real_file(EDOC))
    assert (report.format, report.committee_code, report.meeting_date) == (
        "edoc",
        "SFU",
        date(2012, 12, 4),
    )
    lines = agenda(realdata_app, "SFU", date(2012, 12, 4))
    assert [(line.number, line.case) for line in lines] == [
        (1, "2011-29298"),
        (2, "2012-28504"),
        (3, "2012-31114"),
        (4, "2012-31673"),
        (5, "2011-29939"),
        (6, "2012-21786"),
        (7, "2012-28505"),
        (8, "2010-3082"),
    ]
    outcomes = [line.decisions[0][1] for line in lines]
    assert outcomes == [
        "taget_til_efterretning",
        "godkendt",
        "anbefalet",
        "godkendt",
        "godkendt",
        "godkendt",
        "godkendt",
        "taget_til_efterretning",
    ]
    assert all(len(line.decisions) == 1 for line in lines)
    assert {line.decisions[0][0] for line in lines} == {date(2012, 12, 4)}
    first_lines = [line.decisions[0][2].split("\n")[0] for line in lines]
    assert first_lines[:3] == [
        "Taget til efterretning",
        "Indstillingen godkendt",
        "Indstilles til godkendelse",
    ]
    # "Indstilles til godkendelse": Kommunalbestyrelsen decides; recommended, receiver kept
    assert lines[2].decisions[0][3] == ["Kommunalbestyrelsen"]
    assert [line.decisions[0][3] for i, line in enumerate(lines) if i != 2] == [None] * 7
    assert (
        lines[6]
        .decisions[0][2]
        .startswith(
            "Indstillingen godkendt\nmed denne bemærkning:\nGruppen af unge i Ballerup Kommune "
            "også får adgang til at bruge lokalerne på Solvej 6."
        )
    )
    assert [line.attachments for line in lines] == [3, 1, 1, 1, 2, 1, 1, 0]
    assert not any(line.closed for line in lines)
    with realdata_app.database.reading() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert (meeting.start_time, meeting.place) == (
            time(13, 0),
            "Mødecenter C, Lokale 32 på Ballerup Rådhus",
        )
        recommended, referred = session.scalars(
            select(AgendaItem)
            .where(AgendaItem.title.startswith("Kvalitetsstandarder"))  # type: ignore[attr-defined]
            .order_by(AgendaItem.id)  # type: ignore[arg-type]
        ).all()
        summary = recommended.summary
        # the recommendation gave Kommunalbestyrelsen an item of the case, waiting for it
        assert (referred.state, referred.case_id) == ("drafted", recommended.case_id)
        assert referred.committee_id != recommended.committee_id
        assert referred.referred_from is not None
        assert summary.endswith(
            "Tidligere behandling\nKommunalbestyrelsen den 30. januar 2012 Punkt 5"
        )
    assert len(report.not_imported) == 2  # the two earlier treatments without a decision text
    assert verified(realdata_app)


# ------------------------------------------------------------------------------ SBSYS


def test_the_sbsys_agenda_puts_five_items_on_the_meeting_and_invents_no_decision(
    realdata_app: App,
) -> None:
    [report] = run(realdata_app, real_file(SBSYS))
    lines = agenda(realdata_app, "KMB-IT", date(2013, 5, 15))
    assert [line.number for line in lines] == [1, 2, 3, 4, 5]
    assert [line.title for line in lines][:2] == [
        "Meddelelser",
        "Oplæg til standard it-arbejdsplads for Kommunalbestyrelsens medlemmer i 2014-2018",
    ]
    assert {line.state for line in lines} == {"forelagt"}
    assert all(line.decisions == [] for line in lines)
    assert lines[0].case == "KMB-IT-2013-05-15-p1"  # the source gives none
    with realdata_app.database.reading() as session:
        assert session.scalars(select(Decision)).all() == []
        summary = session.scalars(
            select(AgendaItem.summary).where(AgendaItem.title.startswith("Oplæg"))  # type: ignore[attr-defined]
        ).one()
    assert summary.endswith("Tidligere behandling\nKMB IT-udvalget den 5. december 2012 Punkt 3")
    assert report.not_imported and "ingen beslutning opfundet" in report.not_imported[0]
    assert verified(realdata_app)


# ------------------------------------------------------------------------------ Acadre


def test_the_acadre_item_is_one_case_with_three_dated_decisions_none_guessed(
    realdata_app: App,
) -> None:
    [report] = run(realdata_app, real_file(ACADRE))
    assert [case.number for case in report.cases] == ["12/27845"]
    assert case_history(realdata_app, "12/27845") == [
        ("PUK", date(2013, 4, 10), None, None),
        ("PUK", date(2013, 4, 24), None, None),
        ("PUK", date(2013, 6, 20), 1, None),
    ]
    texts = [d.text for d in report.decisions]
    assert texts[0].startswith("Der indkaldes til et ekstraordinært møde d. 24. april 2013")
    assert texts[1].startswith("Punktet genoptages.")
    assert texts[2].startswith("Punktet blev drøftet.\nSagen genoptages")
    assert [d.to_state for d in report.unclassified] == ["drøftet"] * 3  # flagged, not guessed
    assert verified(realdata_app)


# ------------------------------------------------------------------------------ FirstAgenda


def test_the_firstagenda_minutes_keep_the_dissent_the_postponements_and_the_history(
    realdata_app: App,
) -> None:
    run(realdata_app, real_file(FIRSTAGENDA))
    lines = agenda(realdata_app, "TU", date(2025, 10, 1))
    assert [line.number for line in lines] == [1, 2, 3, 4, 5, 6]
    tiltraadt = lines[1].decisions[0]
    assert tiltraadt[1] == "godkendt"
    assert tiltraadt[2] == (
        "Et flertal i udvalget kunne tiltræde indstillingen i overensstemmelse med Magistratens "
        "anbefaling.\nJesper Kjeldsen, Steffen Wich, Gert Bjerregaard og Metin Lindved Aydin "
        "kunne tiltræde indstillingen.\nJakob Søgaard Clausen tog forbehold.\nSolveig Munk "
        "kunne ikke tiltræde indstillingen.\nLiv Gro Jensen var forhindret i at deltage i "
        "udvalgets behandling af sagen."
    )
    assert lines[5].decisions[0][1:3] == ("udsat", "Sagen blev udsat uden behandling.")
    assert lines[3].decisions[0][1:3] == (
        None,
        "Udvalget blev orienteret om arkitekturugen i uge 41.",
    )
    # "Sagsforløb": the earlier bodies' decisions, with the numbers the source prints
    assert case_history(realdata_app, "EMN-2025-009242") == [
        ("MAG", date(2025, 9, 2), 12, "anbefalet"),
        ("AAB", date(2025, 9, 10), 11, None),
        ("TU", date(2025, 9, 22), 2, "udsat"),
        ("TU", date(2025, 10, 1), 2, "godkendt"),
    ]
    assert case_history(realdata_app, "EMN-2024-035156")[2:] == [
        ("TU", date(2025, 5, 26), 6, "udsat"),
        ("TU", date(2025, 8, 11), 3, "udsat"),
        ("TU", date(2025, 10, 1), 6, "udsat"),
    ]
    with realdata_app.database.reading() as session:
        referrals = session.scalars(
            select(Decision.referred_to).where(Decision.referred_to.is_not(None))  # type: ignore[union-attr]
        ).all()
    assert sorted(map(tuple, referrals)) == [("Aarhus Byråd",)] * 3 + [("Teknisk Udvalg",)] * 3
    assert verified(realdata_app)


# ------------------------------------------------------------------------------ Copenhagen JSON


def test_the_copenhagen_json_item_is_one_case_through_four_committees_then_oekonomiudvalget(
    realdata_app: App,
) -> None:
    [report] = run(realdata_app, real_file(KK_JSON))
    assert report.case_number == "ØU-2026-08-11-p28" and report.invented_number
    assert case_history(realdata_app, "ØU-2026-08-11-p28") == [
        ("KFU", date(2026, 5, 7), None, "taget_til_efterretning"),
        ("SUD", date(2026, 5, 13), None, "anbefalet"),
        ("BIE", date(2026, 5, 18), None, "anbefalet"),
        ("BUU", date(2026, 6, 10), None, "taget_til_efterretning"),
        ("ØU", date(2026, 8, 11), 28, "anbefalet"),
    ]
    referred = {d.committee_code: d.referred_to for d in report.decisions}
    assert referred["BIE"] == ("Økonomiudvalget", "Borgerrepræsentationen")
    assert referred["ØU"] == ("Borgerrepræsentationen",)
    [own] = agenda(realdata_app, "ØU", date(2026, 8, 11))
    assert own.attachments == 2 and own.title == "Københavns Kommunes Kontrolindsats 2025"
    assert verified(realdata_app)


def test_a_committee_missing_from_the_config_is_refused_by_name_and_nothing_is_imported(
    database_url: str, tmp_path: Path
) -> None:
    shipped = (PROJECT / "config" / "committees.toml").read_text(encoding="utf-8")
    start = shipped.index('[[committee]]\ncode = "BIU"')
    end = shipped.index("[[committee]]", start + 1)
    without_biu = tmp_path / "committees.toml"
    without_biu.write_text(shipped[:start] + shipped[end:], encoding="utf-8")
    settings = load_settings(database_url=database_url, committees_file=without_biu)
    app = App(settings=settings)
    initialise(app, actor="test", now=at("2026-11-01 09:00"))
    before = dump(database_url)
    with pytest.raises(ImportFormatError) as refused:
        run(app, real_file(KK_JSON))
    assert "udvalget 'Beskæftigelses-, Integrations- og Erhvervsudvalget' er ukendt" in str(
        refused.value
    )
    assert "committees.toml" in str(refused.value)
    assert dump(database_url) == before
    app.database.dispose()


def test_the_shipped_committees_read_the_current_copenhagen_names(app: App) -> None:
    [report] = run(app, real_file(KK_JSON))
    assert report.changed
    with app.database.reading() as session:
        codes = {
            code
            for (code,) in session.execute(
                select(Committee.code).join(AgendaItem, AgendaItem.committee_id == Committee.id)  # type: ignore[arg-type]
            )
        }
    assert "BIU" in codes  # "Beskæftigelses-, Integrations- og Erhvervsudvalget" of 2026
    assert verified(app)


# ------------------------------------------------------------------------------ all of them


def test_every_file_again_changes_nothing_not_even_the_audit_trail(
    realdata_app: App, snapshot: Callable[[], str]
) -> None:
    files = [real_file(path) for path in (EDOC, SBSYS, ACADRE, FIRSTAGENDA, KK_JSON)]
    first = run(realdata_app, *files)
    assert all(report.changed for report in first)
    before = snapshot()
    again = run(realdata_app, *files)
    assert not any(report.changed for report in again)
    assert snapshot() == before
    assert verified(realdata_app)


def test_a_dry_run_reports_what_a_real_run_imports_and_changes_nothing(
    realdata_app: App, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    planned = run(realdata_app, real_file(EDOC), real_file(FIRSTAGENDA), dry_run=True)
    assert snapshot() == before
    done = run(realdata_app, real_file(EDOC), real_file(FIRSTAGENDA))
    assert [len(r.decisions) for r in planned] == [len(r.decisions) for r in done] == [8, 16]


def test_each_file_is_named_in_the_audit_trail_with_its_digest(realdata_app: App) -> None:
    path = real_file(EDOC)
    run(realdata_app, path)
    import hashlib

    with realdata_app.database.reading() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "import.edoc")).one()
    assert f'"sha256":"{hashlib.sha256(path.read_bytes()).hexdigest()}"' in entry.body
    assert entry.actor == ACTOR and entry.recorded_at == NOW


def test_a_case_back_before_its_committee_or_twice_on_one_agenda_is_a_new_item_each_time(
    app: App, tmp_path: Path, snapshot: Callable[[], str]
) -> None:
    """The generated year repeats the real items' cases: item 9 of each meeting is item 1's
    case and title again ("Meddelelser"), and every meeting repeats the last one's."""
    real_file(EDOC)
    done = subprocess.run(
        [sys.executable, "-m", "bench.edoc_year", "--shared", str(PROJECT.parent / "shared"),
         "--out", str(tmp_path), "--committees", "1", "--meetings", "2", "--items", "9"],
        cwd=PROJECT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    paths = sorted(tmp_path.glob("*.edoc.xml"))
    reports = run(app, *paths)
    assert [len(r.items) for r in reports] == [9, 9]
    assert len({item.item_id for r in reports for item in r.items}) == 18
    assert all(d.new for r in reports for d in r.decisions)
    before = snapshot()
    assert not any(r.changed for r in run(app, *paths))
    assert snapshot() == before
    assert verified(app)
