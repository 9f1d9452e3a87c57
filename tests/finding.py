"""Helpers of the search and attachment tests: small real PDF and Word files, and items with
the texts the searches look for."""

from __future__ import annotations

from pathlib import Path

from support import Scenario, at

from council.workflow import services


def make_pdf(path: Path, *paragraphs: str) -> Path:
    """A real PDF whose pages hold ``paragraphs`` as text (laid out by WeasyPrint)."""
    from html import escape

    from weasyprint import HTML

    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    HTML(string=f"<html lang='da'><body>{body}</body></html>").write_pdf(path)
    return path


def make_docx(path: Path, *paragraphs: str) -> Path:
    """A real Word document (.docx) with ``paragraphs`` and a small table."""
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Frivillige"
    table.rows[0].cells[1].text = "427"
    document.save(str(path))
    return path


def draft(
    scenario: Scenario,
    title: str,
    *,
    closed: bool = False,
    summary: str = "",
    attachments: tuple[str, ...] = (),
    committee: str = "BIU",
) -> int:
    item = services.draft_item(
        scenario.uow(),
        scenario.app.rulebook,
        case_number=scenario.case_number,
        committee_code=committee,
        draft=services.ItemDraft(
            title=title,
            kind="beslutning",
            closed=closed,
            summary=summary,
            recommendation=("At udvalget godkender indstillingen.",),
            attachments=attachments,
        ),
        actor="clerk",
        now=at("2010-01-04 09:00"),
    )
    assert item.id is not None
    return item.id
