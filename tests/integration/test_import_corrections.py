"""Importing an item again: a longer version completes the stored texts, audited; a shorter
or reworded one never changes them. Real SQLite file (and PostgreSQL), real shared files."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from cut_stages import is_earlier_stage
from sqlalchemy import select, text
from support import at

from council.cases import items
from council.cases.audit_verify import verify
from council.cases.errors import CutOffItemError, ImportFormatError
from council.cases.importers import copenhagen_text
from council.cases.importers.text_files import decode_text
from council.cases.item_texts import Sections, sections_of
from council.cases.models import AgendaItem, AuditEntry, Decision
from council.notifications.documents import item_document, render_document
from council.workflow.app import App
from council.workflow.importing import FileReport, TextSource, import_texts, parse_text
from council.workflow.visibility import PUBLIC

NOW = at("2026-10-01 09:00")
LATER = at("2026-10-20 14:30")
ACTOR = "Anne Jensen, SUD-sekretariatet"
SEED = "seeds/agenda-item-biu-2010-4130.txt"
POSTPONED = "realdata/copenhagen-text/koebenhavn_socialudvalget_2026-08-26_punkt07.txt"
RESUMED = "realdata/copenhagen-text/koebenhavn_socialudvalget_2026-09-16_punkt02.txt"
LAST_PARAGRAPH = (
    "Status blev forelagt Socialudvalget den 2. december 2009 (SUD 02.12.09, punkt 17), hvor "
    "orienteringen blev taget til efterretning."
)


def run(
    app: App, *sources: TextSource, now: object = NOW, committee: str | None = None
) -> list[FileReport]:
    return import_texts(
        app.database.unit_of_work(),
        app.rulebook,
        sources=list(sources),
        committee_code=committee,
        actor=ACTOR,
        now=now,  # type: ignore[arg-type]
    )


def real(shared: Path, relative: str) -> TextSource:
    path = shared / relative
    return TextSource(path.name, path.read_text(encoding="utf-8"))


def edited(source: TextSource, old: str, new: str) -> TextSource:
    assert old in source.text
    return TextSource(source.name, source.text.replace(old, new))


def as_an_earlier_release(monkeypatch: pytest.MonkeyPatch) -> None:
    """Import as releases did before cut-off files were refused."""
    monkeypatch.setattr(copenhagen_text, "cut_off_part", lambda *_: None, raising=False)


def stored_sections(app: App, item_id: int = 1) -> Sections:
    with app.database.reading() as session:
        return sections_of(session, item_id)[0]


def parsed_sections(source: TextSource) -> Sections:
    parsed = parse_text(source)
    return Sections(
        summary=parsed.summary,
        administration=parsed.administration or "",
        recommendation=parsed.recommendation,
        problem=parsed.problem,
        solution=parsed.solution,
        economy=parsed.economy,
        next_steps=parsed.next_steps,
        signatures=parsed.signatures,
        attachments=parsed.attachments,
    )


def corrections(app: App) -> list[AuditEntry]:
    with app.database.reading() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action.in_(["item.corrected", "decision.corrected"]))  # type: ignore[attr-defined]
                .order_by(AuditEntry.seq)
            )
        )


def verified(app: App) -> bool:
    with app.database.reading() as session:
        report = verify(session)
    assert report.problem is None, report.problem
    return True


# ------------------------------------------------------------------ more: completed, audited


def test_a_cut_item_stored_by_an_earlier_release_is_completed_by_the_whole_file(
    app: App, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = real(shared_dir, POSTPONED)
    cut = TextSource(whole.name, whole.text.encode("utf-8")[:3000].decode("utf-8"))
    with monkeypatch.context() as patch:
        as_an_earlier_release(patch)
        run(app, cut)
    short = stored_sections(app)
    assert short.problem.endswith("i det sociale arbejde og arbe") and short.solution == ""

    [report] = run(app, whole, now=LATER)

    [item] = report.items
    assert item.corrected == ("problem", "solution", "next_steps", "signatures", "attachments")
    assert [d.new for d in item.decisions] == [True]
    assert stored_sections(app) == parsed_sections(whole)
    [entry] = corrections(app)
    body = json.loads(entry.body)
    assert (entry.action, entry.actor, entry.recorded_at, entry.item_id) == (
        "item.corrected",
        ACTOR,
        LATER,
        1,
    )
    assert body["data"]["reason"] == "genimport med mere indhold"
    assert body["data"]["source"] == whole.name
    assert body["data"]["changes"]["problem"]["before"] == short.problem
    assert body["data"]["changes"]["problem"]["after"] == parsed_sections(whole).problem
    assert body["data"]["changes"]["attachments"] == {
        "before": [],
        "after": list(parsed_sections(whole).attachments),
    }
    assert set(body["data"]["changes"]) == set(item.corrected)
    assert verified(app)


def test_the_correction_moves_the_items_version_so_a_clerk_who_read_the_old_one_is_told(
    app: App, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = real(shared_dir, SEED)
    with monkeypatch.context() as patch:
        as_an_earlier_release(patch)
        run(app, edited(whole, "\n\n" + LAST_PARAGRAPH, ""))
    with app.database.reading() as session:
        before = items.by_id(session, 1).version
    run(app, whole, now=LATER)
    with app.database.reading() as session:
        item = items.by_id(session, 1)
        assert item.version == before + 1
        assert item.solution.endswith(LAST_PARAGRAPH)
    assert verified(app)


def test_a_file_that_grew_completes_the_stored_section_and_imports_nothing_else(
    app: App, shared_dir: Path
) -> None:
    seed = real(shared_dir, SEED)
    run(app, edited(seed, "\n\n" + LAST_PARAGRAPH, ""))
    [report] = run(app, seed, now=LATER)
    assert report.changed
    assert report.items[0].corrected == ("solution",)
    assert all(not d.new for d in report.items[0].decisions)
    assert stored_sections(app).solution == parsed_sections(seed).solution
    [entry] = corrections(app)
    change = json.loads(entry.body)["data"]["changes"]["solution"]
    assert change["after"] == change["before"] + "\n\n" + LAST_PARAGRAPH
    assert verified(app)


def test_importing_the_longer_file_again_changes_nothing(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    seed = real(shared_dir, SEED)
    run(app, edited(seed, "\n\n" + LAST_PARAGRAPH, ""))
    run(app, seed)
    before = snapshot()
    [report] = run(app, seed, now=LATER)
    assert not report.changed and report.items[0].corrected == ()
    assert snapshot() == before


def test_a_decision_recorded_without_its_last_lines_is_completed_with_the_same_outcome(
    app: App, shared_dir: Path
) -> None:
    note = "Centerchef Eva Stokbro Jensen deltog under punktets behandling."
    seed = real(shared_dir, SEED)
    run(app, seed)
    longer = edited(
        seed,
        "Indstillingen blev taget til efterretning.\n",
        f"Indstillingen blev taget til efterretning.\n\n{note}\n",
    )
    [report] = run(app, longer, now=LATER)
    last = report.items[0].decisions[-1]
    assert (last.new, last.completed, last.outcome) == (False, True, "taget_til_efterretning")
    with app.database.reading() as session:
        texts = session.scalars(select(Decision.text).order_by(Decision.audit_seq)).all()
    assert texts == [
        "Indstillingen blev udsat.",
        f"Indstillingen blev taget til efterretning.\n{note}",
    ]
    [entry] = corrections(app)
    data = json.loads(entry.body)["data"]
    assert entry.action == "decision.corrected" and entry.actor == ACTOR
    assert data["before"] == "Indstillingen blev taget til efterretning."
    assert data["decision"]["text"] == texts[1]
    assert verified(app)


def test_a_decision_whose_longer_wording_states_another_outcome_is_refused(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    seed = real(shared_dir, SEED)
    taken = "Indstillingen blev taget til efterretning."
    run(app, edited(seed, taken, "Udvalget drøftede sagen."))
    before = snapshot()
    other = edited(seed, taken, "Udvalget drøftede sagen.\n\nIndstillingen blev udsat.")
    with pytest.raises(ImportFormatError, match=r"already records «Udvalget drøftede sagen\.»"):
        run(app, other, now=LATER)
    assert snapshot() == before


# ------------------------------------------------------------------ less: never shortened


def test_a_file_with_less_never_shortens_what_is_stored_and_says_so(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    seed = real(shared_dir, SEED)
    run(app, seed)
    before = snapshot()
    [report] = run(app, edited(seed, "\n\n" + LAST_PARAGRAPH, ""), now=LATER)
    assert not report.changed
    assert report.items[0].kept_shorter == ("solution",)
    assert report.items[0].corrected == ()
    assert snapshot() == before
    assert stored_sections(app).solution.endswith(LAST_PARAGRAPH)


def test_a_file_that_words_a_section_otherwise_leaves_the_stored_one(
    app: App, shared_dir: Path, snapshot: Callable[[], str]
) -> None:
    seed = real(shared_dir, SEED)
    run(app, seed)
    before = snapshot()
    reworded = edited(seed, "Indstillingen har ingen økonomiske", "Indstillingen har få økonomiske")
    [report] = run(app, reworded, now=LATER)
    assert report.items[0].kept_different == ("economy",) and not report.changed
    assert snapshot() == before


def test_paragraph_breaks_alone_are_no_difference_to_report(app: App, shared_dir: Path) -> None:
    """Paragraph breaks alone ("\\n" or a blank line between bullets) are no difference."""
    seed = real(shared_dir, SEED)
    run(app, seed)
    single_breaks = TextSource(seed.name, seed.text.replace("\n\n- ", "\n- "))
    [report] = run(app, single_breaks, now=LATER)
    assert (report.items[0].kept_shorter, report.items[0].kept_different) == ((), ())


# ------------------------------------------------------------------ every stage, then the whole


def accepted_stages(source: TextSource) -> list[TextSource]:
    """The source cut after each line at which it is accepted, short of the whole."""
    stages = []
    lines = source.text.splitlines(keepends=True)
    for count in range(1, len(lines)):
        cut = TextSource(source.name, "".join(lines[:count]))
        try:
            parse_text(cut)
        except ImportFormatError:
            continue
        if cut.text.rstrip("\n") != source.text.rstrip("\n"):
            stages.append(cut)
    return stages


def history(app: App) -> list[tuple[str, date | None, str | None, str]]:
    with app.database.reading() as session:
        rows = session.execute(
            select(
                Decision.to_state, Decision.decided_on, Decision.outcome, Decision.text
            ).order_by(Decision.audit_seq)
        ).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_every_accepted_stage_of_the_seed_then_the_whole_file_ends_as_the_whole_file(
    app: App, shared_dir: Path, tmp_path: Path
) -> None:
    from council.config.settings import load_settings
    from council.workflow.initialise import initialise

    seed = real(shared_dir, SEED)
    stages = accepted_stages(seed)
    assert [len(parse_text(s).decisions) for s in stages] == [0, 0, 1, 1, 1, 1]
    reference = App(settings=load_settings(database_url=f"sqlite:///{tmp_path / 'ref.db'}"))
    initialise(reference, actor="test", now=NOW)
    run(reference, seed)
    for stage in stages:  # the agenda names no committee: BIU, as its minutes will
        run(app, stage, committee="BIU")
        assert verified(app)
    run(app, seed, now=LATER)
    assert history(app) == history(reference)
    assert stored_sections(app) == stored_sections(reference)
    with app.database.reading() as session:
        assert session.scalars(select(AgendaItem.state)).all() == ["taget_til_efterretning"]
    assert corrections(app) == []
    assert verified(app)
    reference.database.dispose()


@pytest.mark.sqlite_only
def test_the_products_own_text_layout_cut_at_any_byte_is_refused_or_an_earlier_stage(
    app: App, shared_dir: Path
) -> None:
    run(app, real(shared_dir, SEED), real(shared_dir, POSTPONED), real(shared_dir, RESUMED))
    for item_id in (1, 2):
        with app.database.reading() as session:
            document = item_document(
                session, item_id=item_id, definition=app.rulebook.definition, audience=PUBLIC
            )
        data = render_document(document, fmt="txt").encode("utf-8")
        whole = parse_text(TextSource("rendered.txt", data.decode("utf-8")))
        accepted = []
        for end in range(len(data) + 1):
            try:
                cut = parse_text(
                    TextSource("rendered.txt", decode_text("rendered.txt", data[:end]))
                )
            except ImportFormatError:
                continue
            assert is_earlier_stage(cut, whole), f"item {item_id} cut at byte {end}"
            accepted.append(cut)
        assert accepted[-1] == whole
        assert len({len(cut.decisions) for cut in accepted}) == 3  # agenda, 1 and 2 decisions
    undated = "Beskæftigelses- og Integrationsudvalgets beslutning (dato ukendt)"
    with app.database.reading() as session:
        text = render_document(
            item_document(session, item_id=1, definition=app.rulebook.definition, audience=PUBLIC),
            fmt="txt",
        )
    with pytest.raises(CutOffItemError, match=f"slutter med overskriften «{re.escape(undated)}»"):
        parse_text(TextSource("rendered.txt", text[: text.index(undated) + len(undated) + 1]))


# ------------------------------------------------------------------ the verifier knows texts


@pytest.mark.parametrize(
    ("tampering", "said"),
    [
        (
            "UPDATE agenda_item SET solution = 'Ingen.' WHERE id = 1",
            "dagsordenspunkt 1 afviger fra revisionssporet: 'solution' er ændret direkte i "
            "tabellen over dagsordenspunkter",
        ),
        (
            "UPDATE agenda_item SET signatures = '[]' WHERE id = 1",
            "dagsordenspunkt 1 afviger fra revisionssporet: 'signatures' er ændret direkte i "
            "tabellen over dagsordenspunkter",
        ),
        (
            "UPDATE attachment SET title = 'Et andet bilag' WHERE item_id = 1",
            "bilag (item_id 1, position 1) afviger fra revisionssporet: 'title' er ændret",
        ),
        (
            "DELETE FROM attachment WHERE item_id = 1",
            "bilag (item_id 1, position 1) står i revisionssporet, men mangler i databasen",
        ),
    ],
)
def test_a_section_or_attachment_changed_behind_the_audits_back_does_not_verify(
    app: App, shared_dir: Path, tampering: str, said: str
) -> None:
    run(app, real(shared_dir, SEED))
    with app.database.unit_of_work() as uow:
        uow.session.execute(text(tampering))
        uow.commit()
    with app.database.reading() as session:
        report = verify(session)
    assert report.problem is not None and report.problem.startswith(said)


def test_a_corrected_item_changed_back_behind_the_audits_back_does_not_verify(
    app: App, shared_dir: Path
) -> None:
    seed = real(shared_dir, SEED)
    run(app, edited(seed, "\n\n" + LAST_PARAGRAPH, ""))
    run(app, seed, now=LATER)
    assert verified(app)
    with app.database.unit_of_work() as uow:
        uow.session.execute(
            text("UPDATE agenda_item SET solution = :short WHERE id = 1"),
            {"short": parse_text(edited(seed, "\n\n" + LAST_PARAGRAPH, "")).solution},
        )
        uow.commit()
    with app.database.reading() as session:
        assert "dagsordenspunkt 1 afviger" in (verify(session).problem or "")
