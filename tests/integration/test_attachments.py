"""Attachments as files: stored once by content, their text searchable, refused when too
large or of an unexpected kind, checked by audit verify; the same on both databases."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from finding import draft, make_docx, make_pdf
from support import Scenario, at

from council.cases.attachment_files import AttachmentStore
from council.cases.errors import AttachmentRefused, InvalidInputError
from council.workflow.read_models.audit import audit_check
from council.workflow.read_models.items import item_detail
from council.workflow.read_models.search import search
from council.workflow.services.attachments import Attached, attach_files
from council.workflow.visibility import INTERNAL, PUBLIC

MAX_BYTES = 1_000_000


@pytest.fixture
def store(scenario: Scenario, tmp_path: Path) -> AttachmentStore:
    scenario.app.settings.attachment_dir = tmp_path / "bilag"
    return scenario.app.attachment_store()


def attach(
    scenario: Scenario, store: AttachmentStore, item: int, *paths: Path, **kw: object
) -> Attached:
    return attach_files(
        scenario.uow(),
        scenario.app.rulebook,
        store,
        item_id=item,
        paths=list(paths),
        max_bytes=kw.pop("max_bytes", MAX_BYTES),  # type: ignore[arg-type]
        actor="clerk",
        now=at("2010-01-20 10:00"),
        **kw,  # type: ignore[arg-type]
    )


def stored_files(store: AttachmentStore) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file())


def test_the_same_file_is_stored_once_under_its_sha256(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    memo = make_pdf(tmp_path / "Efterretningsnotat.pdf", "Status for mentorkurserne.")
    first, second = draft(scenario, "Status"), draft(scenario, "Evaluering")

    attach(scenario, store, first, memo)
    attach(scenario, store, second, memo)

    digest = hashlib.sha256(memo.read_bytes()).hexdigest()
    assert stored_files(store) == [store.root / digest[:2] / digest]
    assert (store.root / digest[:2] / digest).read_bytes() == memo.read_bytes()


def test_a_pdf_and_a_word_documents_text_is_found_by_search(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    item = draft(scenario, "Status på partnerskabsaftalen", attachments=("Efterretningsnotat",))
    memo = make_pdf(
        tmp_path / "efterretningsnotat.pdf",
        "Antallet af brugere steg fra 575 til 1.242.",
        "Karrierebiblioteket evalueres i foråret 2011.",
    )
    table = make_docx(
        tmp_path / "Resultatmål.docx", "Nye frivillige med etnisk minoritetsbaggrund: 54."
    )

    attached = attach(scenario, store, item, memo, table)

    (first, first_text), (second, second_text) = attached.lines
    # the bilag drafted by name gets its file; the other becomes a new bilag
    assert (first.position, first.title, first.file_name) == (1, "Efterretningsnotat", memo.name)
    assert (second.position, second.title) == (2, "Resultatmål")
    assert first.media_type == "application/pdf" and first_text
    assert second.media_type.endswith("wordprocessingml.document") and second_text
    app = scenario.app
    [hit] = search(app.database, app.rulebook, "karrierebiblioteket", audience=PUBLIC)
    assert hit.item_id == item and hit.found_in == "bilag «Efterretningsnotat»"
    [hit] = search(app.database, app.rulebook, "minoritetsbaggrund", audience=PUBLIC)
    assert hit.found_in == "bilag «Resultatmål»"
    assert search(app.database, app.rulebook, "frivillige 427", audience=PUBLIC)  # its table
    detail = item_detail(app.database, app.rulebook, item_id=item, audience=PUBLIC)
    assert [a.title for a in detail.attachments] == ["Efterretningsnotat", "Resultatmål"]
    assert detail.version == 3
    assert audit_check(app.database, store).ok


def test_a_closed_items_attachment_text_is_found_only_internally(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    item = draft(scenario, "Personsag", closed=True)
    note = tmp_path / "aftale.txt"
    note.write_text("Fratrædelsesgodtgørelse på tre måneders løn.\n", encoding="utf-8")
    attach(scenario, store, item, note)
    app = scenario.app
    assert search(app.database, app.rulebook, "fratrædelsesgodtgørelse", audience=PUBLIC) == []
    [hit] = search(app.database, app.rulebook, "fratrædelsesgodtgørelse", audience=INTERNAL)
    assert hit.item_id == item


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "notat.pdf",
            b"Bare tekst, ikke en PDF.\n",
            "navnet siger en PDF, men indholdet er almindelig tekst",
        ),
        ("program.txt", b"\x7fELF\x02\x01\x01" + bytes(200), "ingen af de typer"),
        ("billede.txt", b"\x89PNG\r\n\x1a\n" + bytes(40), "indholdet er et PNG-billede"),
        ("arkiv.docx", b"PK\x03\x04" + bytes(60), "ingen af de typer"),
        ("tom.txt", b"", "er tom"),
        ("latin1.txt", "Økonomi".encode("latin-1"), "ingen af de typer"),
    ],
)
def test_a_file_of_an_unexpected_kind_is_refused_by_its_content(
    scenario: Scenario,
    store: AttachmentStore,
    tmp_path: Path,
    name: str,
    content: bytes,
    reason: str,
) -> None:
    item = draft(scenario, "Status")
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(AttachmentRefused, match=reason):
        attach(scenario, store, item, path)
    assert stored_files(store) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    item = draft(scenario, "Status")
    big = tmp_path / "stor.txt"
    big.write_text("a" * 2_001, encoding="utf-8")
    with pytest.raises(AttachmentRefused, match="2,001 byte; et bilag må højst fylde 2,000"):
        attach(scenario, store, item, big, max_bytes=2_000)


def test_links_devices_and_fifos_are_refused(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    item = draft(scenario, "Status")
    real = tmp_path / "notat.txt"
    real.write_text("Notat\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    for path, reason in (
        (link, "symbolsk link"),
        (fifo, "ikke en almindelig fil"),
        (Path("/dev/zero"), "ikke en almindelig fil"),
        (tmp_path, "en mappe"),
    ):
        with pytest.raises(AttachmentRefused, match=reason):
            attach(scenario, store, item, path)


def test_one_refused_file_attaches_none_of_them(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    item = draft(scenario, "Status")
    good = tmp_path / "notat.txt"
    good.write_text("Notat\n", encoding="utf-8")
    bad = tmp_path / "notat.pdf"
    bad.write_text("ikke en pdf\n", encoding="utf-8")
    with pytest.raises(AttachmentRefused):
        attach(scenario, store, item, good, bad)
    assert (
        item_detail(
            scenario.app.database, scenario.app.rulebook, item_id=item, audience=PUBLIC
        ).attachments
        == ()
    )
    assert stored_files(store) == []


def test_a_decided_item_keeps_the_bilag_it_was_decided_with(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    item = draft(scenario, "Status")
    meeting = scenario.meeting("BIU", "2010-02-23")
    scenario.present(item, meeting)
    scenario.decide(item, "godkendt")
    note = tmp_path / "notat.txt"
    note.write_text("Notat\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="er afgjort"):
        attach(scenario, store, item, note)


def test_audit_verify_names_a_changed_or_missing_attachment_file(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    item = draft(scenario, "Status")
    memo = make_pdf(tmp_path / "Efterretningsnotat.pdf", "Status for mentorkurserne.")
    attach(scenario, store, item, memo)
    database = scenario.app.database
    assert audit_check(database, store).ok
    [stored] = stored_files(store)

    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes() + b"% added\n")
    report = audit_check(database, store)
    assert not report.ok
    assert "'Efterretningsnotat.pdf'" in (report.problem or "")
    assert "er ændret" in (report.problem or "")

    stored.unlink()
    report = audit_check(database, store)
    assert "'Efterretningsnotat.pdf'" in (report.problem or "")
    assert "mangler i bilagsmappen" in (report.problem or "")


def test_audit_verify_catches_a_files_facts_changed_in_the_table(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    from sqlalchemy import text

    item = draft(scenario, "Status")
    note = tmp_path / "notat.txt"
    note.write_text("Notat\n", encoding="utf-8")
    attach(scenario, store, item, note)
    with scenario.app.database.engine.begin() as connection:
        connection.execute(text("UPDATE attachment SET file_name = 'andet.txt'"))
    report = audit_check(scenario.app.database, store)
    assert "'file_name' er ændret direkte i tabellen over bilag" in (report.problem or "")


def test_a_bilag_taken_off_is_neither_served_nor_found_nor_referred_but_its_file_is_checked(
    scenario: Scenario, store: AttachmentStore, tmp_path: Path
) -> None:
    from council.cases.errors import NotFoundError
    from council.workflow.read_models.attachments import attachment_download
    from council.workflow.services import item_edits

    app = scenario.app
    item = draft(scenario, "Status")
    memo = make_pdf(tmp_path / "Efterretningsnotat.pdf", "Karrierebiblioteket evalueres.")
    note = tmp_path / "Budget.txt"
    note.write_text("Mentorbudgettet.\n", encoding="utf-8")
    attached = attach(scenario, store, item, memo, note)
    memo_id = attached.lines[0][0].id
    assert attachment_download(app.database, store, memo_id, audience=INTERNAL).content

    item_edits.edit_item(
        scenario.uow(),
        app.rulebook,
        item_id=item,
        changes=item_edits.ItemChanges(removed_attachments=(1,)),
        actor="clerk",
        now=at("2010-01-21 10:00"),
    )

    with pytest.raises(NotFoundError):
        attachment_download(app.database, store, memo_id, audience=INTERNAL)
    assert search(app.database, app.rulebook, "karrierebiblioteket", audience=INTERNAL) == []
    assert search(app.database, app.rulebook, "mentorbudgettet", audience=INTERNAL)
    detail = item_detail(app.database, app.rulebook, item_id=item, audience=INTERNAL)
    assert [a.title for a in detail.attachments] == ["Budget"]
    # a recommendation referred on takes the bilag still on the item to the next body
    scenario.present(item, scenario.meeting("BIU", "2010-02-23"))
    scenario.decide(item, "anbefalet", when="2010-02-23 17:00")
    onward = item_detail(app.database, app.rulebook, item_id=item + 1, audience=INTERNAL)
    assert (onward.committee_code, [a.title for a in onward.attachments]) == ("ØU", ["Budget"])
    assert audit_check(app.database, store).ok
    [memo_file] = [p for p in stored_files(store) if p.read_bytes() == memo.read_bytes()]
    memo_file.unlink()
    report = audit_check(app.database, store)
    assert "'Efterretningsnotat.pdf'" in (report.problem or "")
    assert "mangler i bilagsmappen" in (report.problem or "")
