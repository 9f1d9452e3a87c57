"""CSV that a spreadsheet opens safely, plain or for a Danish Excel.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return before one) as a formula: a decision text ``=HYPERLINK("http://…")`` or
``=cmd|' /C calc'!A0`` would act when an auditor opens the export. Every text cell that
starts with one of these gets a single quote in front, as OWASP's "CSV injection" page
recommends; the csv module quotes a cell that holds the separator, a quote or a line break.
Numbers are written as numbers, ``True``/``False`` as ``true``/``false``. Control characters
are left out of text cells as everywhere people read (``council.workflow.controls``): a
spreadsheet shows them as boxes, a terminal the CSV is printed on would act on them.

The Danish dialect is what a Danish Excel opens by double-click: UTF-8 with a byte order
mark (else Excel reads it as Windows-1252), ``;`` between cells (a Danish Excel's list
separator, since ``,`` is its decimal comma) and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Literal

from council.workflow.controls import without_controls

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"

Dialect = Literal["plain", "excel-da"]


def neutralised(value: object) -> object:
    """A cell as written: a text a spreadsheet would run as a formula with ``'`` in front,
    and without control characters; ``None`` is an empty cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            value = "'" + value
        return without_controls(value)
    return value


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, dialect: Dialect = "plain"
) -> str:
    """The whole CSV: ``plain`` is UTF-8, ``,`` and LF; ``excel-da`` as the module says."""
    buffer = io.StringIO(newline="")
    if dialect == "excel-da":
        buffer.write(BYTE_ORDER_MARK)
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    else:
        writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralised(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralised(cell) for cell in row])
    return buffer.getvalue()
