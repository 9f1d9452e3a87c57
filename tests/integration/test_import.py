"""Importing published Copenhagen agenda items through the workflow engine, on a real SQLite file.

The real files are read from the shared folder (``shared_dir``); the tests skip when it is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from support import at, dump

from council.cases import case_records, items
from council.cases.audit_verify import verify
from council.cases.errors import ImportFormatError
from council.cases.models import (
    AgendaEntry,
    AgendaItem,
    Attachment,
    AuditEntry,
    AuditHead,
    Case,
    Decision,
    Meeting,
)
from council.config.settings import load_settings
from council.notifications.documents import item_document, render_document
from council.workflow.app import App
from council.workflow.demo import replay_seed
from council.workflow.errors import MissingActorError
from council.workflow.importing import (
    FileReport,
    TextSource,
    import_texts,
    parse_text,
    read_sources,
)
from council.workflow.initialise import initialise
from council.workflow.visibility import PUBLIC

NOW = at("2024-05-01 10:00")
ACTOR = "importer (sekretariatet)"
SEED = "seeds/agenda-item-biu-2010-4130.txt"
POSTPONED = "realdata/copenhagen-text/koebenhavn_socialudvalget_2026-08-26_punkt07.txt"
RESUMED = "realdata/copenhagen-text/koebenhavn_socialudvalget_2026-09-16_punkt02.txt"
JSON_ITEM = (
    "realdata/copenhagen-json/koebenhavn_oekonomiudvalget_2026-08-11_punkt28.sagsvagt-kk.json"
)


def run(app: App, *sources: TextSource, committee: str | None = None) -> list[FileReport]:
    return import_texts(
        app.database.unit_of_work(),
        app.rulebook,
        sources=list(sources),
        committee_code=committee,
        actor=ACTOR,
        now=NOW,
    )


def source(shared: Path, relative: str) -> TextSource:
    return read_sources([shared / relative])[0]


def decisions_of_case(app: App, number: str) -> list[tuple[str, date | None, str | None, str]]:
    """(committee, date, outcome, text) of every decision of the case, in recorded order."""
    with app.database.reading() as session:
        case = case_records.by_number(session, number)
        rows = []
        for item, code in items.of_case(session, case.id):  # type: ignore[arg-type]
            for decision, meeting_date in items.decisions_of(session, item.id):  # type: ignore[arg-type]
                rows.append(
                    (
                        decision.audit_seq,
                        (
                            code,
                            meeting_date or decision.decided_on,
                            decision.outcome,
                            decision.text,
                        ),
                    )
                )
        return [row for _, row in sorted(rows)]


def seed_variant(shared: Path, old: str, new: str, *, name: str = "variant.txt") -> TextSource:
    text = (shared / SEED).read_text(encoding="utf-8")
    assert old in text
    return TextSource(name, text.replace(old, new))


# ------------------------------------------------------------------------------ the seed


def test_the_seed_becomes_case_2010_4130_at_biu_postponed_then_taken_to_note(
    app: App, shared_dir: Path
) -> None:
    [report] = run(app, source(shared_dir, SEED))
    assert report.case_number == "2010-4130" and report.case_created
    assert not report.invented_number
    assert decisions_of_case(app, "2010-4130") == [
        ("BIU", None, "udsat", "Indstillingen blev udsat."),
        (
            "BIU",
            date(2010, 2, 23),
            "taget_til_efterretning",
            "Indstillingen blev taget til efterretning.",
        ),
    ]
    with app.database.reading() as session:
        item = session.scalars(select(AgendaItem)).one()
        assert item.title == "Status på partnerskabsaftale med Dansk Flytningshjælp"
        assert item.state == "taget_til_efterretning" and item.kind == "orientering"
        assert item.administration == "Beskæftigelses- og Integrationsforvaltningen"
        assert item.recommendation[0].startswith("At Beskæftigelses- og Integrationsudvalget")
        assert item.economy == "Indstillingen har ingen økonomiske konsekvenser."
        assert item.signatures == ["Morten Binder", "Kaj Ove Christiansen"]
        attachments = session.scalars(select(Attachment.title)).all()
        assert attachments == [
            "Efterretningsnotat vedrørende status på Partnerskabsaftalen – Frivilligt "
            "integrationsarbejde mellem Københavns Kommune og Dansk Flygtningehjælp."
        ]
        decisions = session.scalars(select(Decision).order_by(Decision.audit_seq)).all()
        assert [d.decided_on for d in decisions] == [None, date(2010, 2, 23)]
        meetings = session.scalars(select(Meeting).order_by(Meeting.id)).all()
        assert [m.date for m in meetings] == [None, date(2010, 2, 23)]
        number_at_23 = session.scalars(
            select(AgendaEntry.number).where(AgendaEntry.meeting_id == meetings[1].id)
        ).one()
        assert number_at_23 == 4


def test_the_import_goes_through_the_audit_trail_as_who_imported_it_and_when(
    app: App, shared_dir: Path
) -> None:
    run(app, source(shared_dir, SEED))
    with app.database.reading() as session:
        assert verify(session).ok
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.actor == ACTOR).order_by(AuditEntry.seq)
        ).all()
        assert {e.recorded_at for e in entries} == {NOW}
        assert [e.action for e in entries] == [
            "case.created",
            "item.drafted",
            "meeting.created",
            "item.transition",
            "item.transition",
            "meeting.created",
            "item.transition",
            "item.transition",
            "import.text",
        ]
        assert '"source":"agenda-item-biu-2010-4130.txt"' in entries[-1].body
        assert '"sha256":' in entries[-1].body


def test_importing_then_rendering_the_item_gives_back_its_sections_and_decisions(
    app: App, shared_dir: Path
) -> None:
    original = source(shared_dir, SEED)
    run(app, original)
    with app.database.reading() as session:
        document = item_document(
            session, item_id=1, definition=app.rulebook.definition, audience=PUBLIC
        )
    text = render_document(document, fmt="txt")
    before = parse_text(original)
    after = parse_text(TextSource("rendered.txt", text))
    for name in (
        "number",
        "title",
        "case_number",
        "summary",
        "administration",
        "recommendation",
        "problem",
        "solution",
        "economy",
        "next_steps",
        "signatures",
        "attachments",
    ):
        assert getattr(after, name) == getattr(before, name), name
    assert [(d.date, d.outcome, d.text) for d in after.decisions] == [
        (d.date, d.outcome, d.text) for d in before.decisions
    ]


def test_the_rendered_item_imports_into_another_database_as_the_same_history(
    app: App, shared_dir: Path, tmp_path: Path
) -> None:
    run(app, source(shared_dir, SEED))
    with app.database.reading() as session:
        text = render_document(
            item_document(session, item_id=1, definition=app.rulebook.definition, audience=PUBLIC),
            fmt="txt",
        )
    other = App(settings=load_settings(database_url=f"sqlite:///{tmp_path / 'other.db'}"))
    initialise(other, actor="test", now=NOW)
    run(other, TextSource("rendered.txt", text))
    assert decisions_of_case(other, "2010-4130") == decisions_of_case(app, "2010-4130")
    other.database.dispose()


# ------------------------------------------------------------------------------ the 2026 files


def test_the_two_socialudvalget_files_become_one_case_postponed_then_taken_to_note(
    app: App, shared_dir: Path
) -> None:
    reports = run(app, source(shared_dir, RESUMED), source(shared_dir, POSTPONED))
    assert [r.source for r in reports] == [Path(POSTPONED).name, Path(RESUMED).name]
    first, second = reports
    assert first.case_number == second.case_number == "SUD-2026-08-26-p7"
    assert first.invented_number and first.case_created
    assert second.continued_from == date(2026, 8, 26)
    history = decisions_of_case(app, "SUD-2026-08-26-p7")
    assert [(code, on, outcome) for code, on, outcome, _ in history] == [
        ("SUD", date(2026, 8, 26), "udsat"),
        ("SUD", date(2026, 9, 16), "taget_til_efterretning"),
    ]
    assert history[0][3] == (
        "Behandlingen af indstillingen blev udskudt til et kommende møde i Socialudvalget i 2026."
    )
    assert history[1][3].startswith("Indstillingen blev taget til efterretning.\nCenterchef")
    with app.database.reading() as session:
        assert session.scalars(select(Case)).all()[0].title == "Magtanvendelsesstatistik 2025"
        [item] = session.scalars(select(AgendaItem)).all()
        assert item.state == "taget_til_efterretning"
        numbers = session.scalars(select(AgendaEntry.number).order_by(AgendaEntry.id)).all()
        assert numbers == [7, 2]
        assert len(session.scalars(select(Attachment)).all()) == 4
        assert verify(session).ok


def test_the_invented_case_number_is_stable_across_databases(
    app: App, shared_dir: Path, tmp_path: Path
) -> None:
    other = App(settings=load_settings(database_url=f"sqlite:///{tmp_path / 'other.db'}"))
    initialise(other, actor="test", now=NOW)
    assert run(app, source(shared_dir, POSTPONED))[0].case_number == "SUD-2026-08-26-p7"
    assert run(other, source(shared_dir, POSTPONED))[0].case_number == "SUD-2026-08-26-p7"
    other.database.dispose()


def test_a_continuation_whose_earlier_item_is_missing_is_refused_with_nothing_imported(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    with pytest.raises(ImportFormatError, match=r"postponed on 26\.08\.2026.*import that"):
        run(app, source(shared_dir, RESUMED))
    assert snapshot() == before


# ------------------------------------------------------------------------------ never guessing


def test_an_unknown_decision_phrase_is_flagged_and_never_guessed(
    app: App, shared_dir: Path
) -> None:
    odd = seed_variant(
        shared_dir,
        "Indstillingen blev taget til efterretning.",
        "Udvalget ønskede en uddybende redegørelse.",
    )
    [report] = run(app, odd)
    [unclassified] = report.unclassified
    assert unclassified.text == "Udvalget ønskede en uddybende redegørelse."
    assert unclassified.outcome is None and unclassified.to_state == "drøftet"
    with app.database.reading() as session:
        last = session.scalars(select(Decision).order_by(Decision.audit_seq.desc())).first()  # type: ignore[attr-defined]
        assert last is not None
        assert (last.outcome, last.to_state, last.trigger) == (None, "drøftet", "discuss")
        assert last.text == "Udvalget ønskede en uddybende redegørelse."
        item = session.scalars(select(AgendaItem)).one()
        assert item.state == "drøftet"  # treated, not concluded: a clerk decides the outcome
        assert verify(session).ok


# ------------------------------------------------------------------------------ idempotence


def test_importing_the_same_files_again_changes_nothing(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    files = [source(shared_dir, p) for p in (SEED, POSTPONED, RESUMED)]
    run(app, *files)
    before = snapshot()
    reports = run(app, *files)
    assert not any(r.changed for r in reports)
    assert all(not d.new for r in reports for i in r.items for d in i.decisions)
    assert snapshot() == before
    run(app, files[2])  # the continuation alone, again
    assert snapshot() == before


def test_one_file_given_twice_in_one_import_is_imported_once(app: App, shared_dir: Path) -> None:
    seed = source(shared_dir, SEED)
    first, second = run(app, seed, seed)
    assert first.changed and not second.changed
    assert len(decisions_of_case(app, "2010-4130")) == 2


def test_the_seed_imported_into_the_demo_database_changes_nothing(
    shared_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "demo.db"
    demo = App(settings=load_settings(database_url=f"sqlite:///{path}"))
    replay_seed(demo, say=lambda _line: None)
    before = dump(path)
    [report] = run(demo, source(shared_dir, SEED))
    assert not report.changed
    assert dump(path) == before
    demo.database.dispose()


def test_a_file_that_contradicts_the_recorded_history_is_refused(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    run(app, source(shared_dir, SEED))
    before = snapshot()
    rewritten = seed_variant(
        shared_dir,
        "Indstillingen blev taget til efterretning.",
        "Indstillingen blev udsat igen.",
    )
    with pytest.raises(ImportFormatError, match="already records"):
        run(app, rewritten)
    assert snapshot() == before


def test_an_agenda_published_before_the_meeting_then_its_minutes_make_one_item(
    app: App, shared_dir: Path
) -> None:
    minutes = source(shared_dir, POSTPONED)
    before_meeting, _, _ = minutes.text.partition("Beslutning\n")
    attachments = minutes.text[minutes.text.index("Bilag\nBilag 1") :]
    agenda = TextSource(minutes.name, before_meeting + attachments)
    [first] = run(app, agenda)
    assert first.items[0].presented_at == ("SUD 26.08.2026",)
    assert first.items[0].decisions == ()
    [second] = run(app, minutes)
    assert not second.case_created and not second.items[0].created
    assert [d.new for d in second.items[0].decisions] == [True]
    with app.database.reading() as session:
        assert len(session.scalars(select(AgendaItem)).all()) == 1
        assert session.scalars(select(AgendaEntry.number)).all() == [7]


def test_decisions_of_another_committee_go_to_that_committees_item_of_the_case(
    app: App, shared_dir: Path
) -> None:
    onward = seed_variant(
        shared_dir,
        "Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010\n\n"
        "Indstillingen blev taget til efterretning.\n",
        "Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010\n\n"
        "Indstillingen blev taget til efterretning.\n\n"
        "Økonomiudvalgets beslutning den 09.03.2010\n\nIndstillingen blev godkendt.\n",
    )
    [report] = run(app, onward)  # the item as ØU published it, BIU's decisions before
    assert {i.committee_code: len(i.decisions) for i in report.items} == {"BIU": 2, "ØU": 1}
    with app.database.reading() as session:
        numbers = session.execute(
            select(Meeting.date, AgendaEntry.number)
            .join(AgendaEntry, AgendaEntry.meeting_id == Meeting.id)
            .order_by(AgendaEntry.id)
        ).all()
        # the file prints only ØU's number; BIU's numbers at its meetings are not made up
        assert [tuple(row) for row in numbers] == [
            (None, None),
            (date(2010, 2, 23), None),
            (date(2010, 3, 9), 4),
        ]
    assert decisions_of_case(app, "2010-4130")[-1] == (
        "ØU",
        date(2010, 3, 9),
        "godkendt",
        "Indstillingen blev godkendt.",
    )


# ------------------------------------------------------------------------------ refusals


def test_a_file_that_is_not_an_agenda_item_is_refused_and_nothing_is_imported(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    with pytest.raises(ImportFormatError, match=r"ikke et dagsordenspunkt.*intet blev importeret"):
        run(app, source(shared_dir, SEED), source(shared_dir, JSON_ITEM))
    assert snapshot() == before


def test_an_unknown_committee_names_what_to_add_to_the_config(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    odd = seed_variant(
        shared_dir,
        "Beskæftigelses- og Integrationsudvalgets beslutning",
        "Kulturudvalgets beslutning",
    )
    with pytest.raises(ImportFormatError, match=r"'Kulturudvalget' er ukendt.*committees\.toml"):
        run(app, odd)
    renamed = replace(
        source(shared_dir, POSTPONED), name="koebenhavn_havneudvalget_2026-08-26_punkt07.txt"
    )
    with pytest.raises(ImportFormatError, match=r"'havneudvalget'.*committees\.toml"):
        run(app, renamed)
    assert snapshot() == before


def test_a_failure_half_way_rolls_back_every_file_of_the_import(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    clash = seed_variant(shared_dir, "(2010-4130)", "(2010-9999)", name="clash.txt")
    with pytest.raises(ImportFormatError, match=r"punkt 4 of the BIU meeting of 23\.02\.2010"):
        run(app, source(shared_dir, SEED), clash)
    assert snapshot() == before


def test_an_import_needs_an_actor(app: App, shared_dir: Path) -> None:
    with pytest.raises(MissingActorError):
        import_texts(
            app.database.unit_of_work(),
            app.rulebook,
            sources=[source(shared_dir, SEED)],
            actor=" ",
            now=NOW,
        )


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="kan ikke læses"):
        read_sources([tmp_path / "missing.txt"])
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(ImportFormatError, match="ikke en UTF-8-tekstfil"):
        read_sources([binary])


def test_imports_and_a_refused_one_between_them_leave_one_chain_ending_at_the_head(
    app: App, shared_dir: Path
) -> None:
    run(app, source(shared_dir, SEED))
    clash = seed_variant(shared_dir, "(2010-4130)", "(2010-9999)", name="clash.txt")
    with pytest.raises(ImportFormatError):
        run(app, source(shared_dir, POSTPONED), clash)
    run(app, source(shared_dir, POSTPONED), source(shared_dir, RESUMED))
    with app.database.reading() as session:
        report = verify(session)
        assert report.ok, report.problem
        seqs = session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        head = session.get(AuditHead, 1)
    assert seqs == list(range(1, len(seqs) + 1))
    assert head is not None and head.seq == seqs[-1]
