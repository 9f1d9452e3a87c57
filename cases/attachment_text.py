"""The text of an attachment's file, for search: PDF (pypdf), Word (python-docx), plain text.

Images have no text to extract. A PDF that holds only scanned pages has none either (no
OCR is done): it is attached, and found by its name. A file the libraries cannot read at
all is refused, since it would not open for a reader either.
"""

from __future__ import annotations

import io
import logging

from council.cases.attachment_files import DOCX, PDF, TEXT, GivenFile
from council.cases.errors import AttachmentRefused

MAX_TEXT_CHARACTERS = 1_000_000
"""The most of a file's text that is kept (and searched)."""

# pypdf reports what it repairs in a damaged file on its logger: not a user's concern here.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def extracted_text(given: GivenFile) -> str:
    """The file's text, at most :data:`MAX_TEXT_CHARACTERS`; empty for an image."""
    if given.kind is PDF:
        text = _pdf_text(given)
    elif given.kind is DOCX:
        text = _docx_text(given)
    elif given.kind is TEXT:
        text = given.content.decode("utf-8").lstrip("\ufeff")
    else:
        text = ""
    return text[:MAX_TEXT_CHARACTERS].replace("\x00", "")


def _pdf_text(given: GivenFile) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(given.content))
        if reader.is_encrypted:
            raise AttachmentRefused(
                given.name, "er en PDF beskyttet med adgangskode; vedhæft den uden beskyttelsen"
            )
        pages = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            if sum(map(len, pages)) > MAX_TEXT_CHARACTERS:
                break
    except AttachmentRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise AttachmentRefused(given.name, f"er ikke en læsbar PDF ({_first_line(exc)})") from exc
    return "\n\n".join(page.strip() for page in pages if page.strip())


def _docx_text(given: GivenFile) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(given.content))
        parts = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append("\t".join(cell.text for cell in row.cells))
    except (PackageNotFoundError, ValueError, KeyError, OSError) as exc:
        raise AttachmentRefused(
            given.name, f"er ikke et læsbart Word-dokument ({_first_line(exc)})"
        ) from exc
    except Exception as exc:  # lxml's XMLSyntaxError and the like, from a damaged document
        raise AttachmentRefused(
            given.name, f"er ikke et læsbart Word-dokument ({_first_line(exc)})"
        ) from exc
    return "\n".join(part for part in parts if part.strip())


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__
