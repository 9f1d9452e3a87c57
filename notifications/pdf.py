"""Documents as PDF: the same HTML as ``--format html``, laid out on A4 pages by WeasyPrint
with the documents' print stylesheet (``templates/_style.css``): page numbers ("Side 2 af
5") at the foot of every page, the document's title at the head, each item on a page of
its own, and for an agenda of many items a table of contents with the page of each item.

WeasyPrint (with Debian's Pango and fonts) rather than a browser's print-to-PDF: it is a
library, lays out CSS paged media itself (page counters in the margins, ``target-counter``
for the contents' page numbers, PDF bookmarks from the headings) and needs no browser at
run time.
"""

from __future__ import annotations

import logging

from council.notifications.document_models import Document
from council.notifications.documents import render_document
from council.notifications.errors import NotificationError

# WeasyPrint reports every CSS property it does not know (the screen-only ones) and fonts
# it substitutes: not a user's concern.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def render_pdf(document: Document) -> bytes:
    """The document as a PDF (closed items as the document's audience may see them, as
    in its HTML)."""
    html = render_document(document, fmt="html")
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or its fonts are missing
        raise NotificationError(
            f"PDF kan ikke laves her: WeasyPrint eller dets systembiblioteker mangler ({exc}); "
            "installér Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        ) from exc
    pdf = HTML(string=html, base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)
