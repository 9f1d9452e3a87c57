"""Everything the CLI prints for people goes through here.

Two dangers come with text that users type or files bring in (titles, sections, actors,
decision texts, committee names, places, paths, error messages quoting them):

- rich reads ``[...]`` in a string as markup and ``:name:`` as an emoji. A title
  ``[/bold] oops`` raised ``MarkupError`` after its case was committed, "Orientering [udkast]
  om budget" lost its "[udkast]", ``[link=file:///etc/passwd]x[/link]`` printed a hidden
  link. So nothing printed here is ever parsed: lines and table cells are rich ``Text``
  built from plain strings, and the consoles have markup and emoji turned off as well.
- control characters reach the terminal and act on it: an ESC sequence recolours or clears
  the screen or hides a link, a carriage return overwrites what was printed before, a bidi
  override reorders it. :func:`clean` removes them (``council.workflow.controls``) from
  everything printed here.

``--json`` keeps the text as recorded, with every control character escaped.

Width: ``COLUMNS`` if set, else the terminal's, else 80 (a pipe or a file); tables fit it by
wrapping their text columns, while the columns named ``whole`` (dates, numbers) are never
broken. Colours only on a terminal, and never under ``NO_COLOR`` (rich reads both).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from council.workflow.controls import without_controls

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

Part = str | tuple[str, str]  # a piece of a line, plain or with a rich style ("bold")

_consoles: dict[str, Console] = {}


def clean(value: object) -> str:
    """``value`` as text safe to print (:func:`~council.workflow.controls.without_controls`)."""
    return without_controls(value if isinstance(value, str) else str(value))


def text(*parts: Part) -> Text:
    """One rich ``Text`` of cleaned parts; a part ``(string, style)`` is styled."""
    from rich.text import Text

    line = Text()
    for part in parts:
        if isinstance(part, tuple):
            line.append(clean(part[0]), style=part[1])
        else:
            line.append(clean(part))
    return line


def say(*parts: Part) -> None:
    """Print one line (or several, where the text holds line breaks) on standard output.

    Never wrapped by rich: a long line stays one line for ``grep`` and for the terminal
    to wrap."""
    out().print(text(*parts), soft_wrap=True)


def complain(message: str) -> None:
    """Print one line on standard error (a line break in a name it quotes is a space)."""
    err().print(text(" ".join(message.splitlines())), soft_wrap=True)


def table(*headings: str, title: str | None = None, whole: Iterable[str] = ()) -> Table:
    """A rich table whose headings and title are plain text (fill it with :func:`add_row`).

    The columns headed by a name in ``whole`` never wrap (a date or number cut in two
    misleads; a cell there may hold a line break of its own); the others wrap at spaces to
    fit the console's width."""
    from rich.table import Column, Table

    unbroken = set(whole)
    return Table(
        *(
            Column(
                header=text(heading),
                no_wrap=heading in unbroken,
                overflow="fold",
            )
            for heading in headings
        ),
        title=text(title) if title is not None else None,
    )


def add_row(rows: Table, cells: Iterable[object]) -> None:
    """Add a row of plain, cleaned cells: ``None`` is an empty cell."""
    rows.add_row(*(text("" if cell is None else str(cell)) for cell in cells))


def stream(lines: Iterable[str], *, chunk: int = 500) -> int:
    """Print plain lines as they come (cleaned, no rich), in UTF-8 whatever the terminal's
    encoding, ``chunk`` lines at a time: a long listing starts at once and is never held
    whole. Returns the number of lines printed."""
    import sys

    # Cleaning a chunk is cleaning each of its lines: :func:`clean` works character by
    # character (its "\r\n" to "\n" is the same as dropping every "\r", which it does).
    count, pending = 0, []
    for line in lines:
        pending.append(line)
        count += 1
        if len(pending) >= chunk:
            _write_utf8(sys.stdout, clean("\n".join(pending)) + "\n")
            pending = []
    if pending:
        _write_utf8(sys.stdout, clean("\n".join(pending)) + "\n")
    return count


def _write_utf8(target: object, text: str) -> None:
    buffer = getattr(target, "buffer", None)
    if buffer is None:
        target.write(text)  # type: ignore[attr-defined]
        return
    target.flush()  # type: ignore[attr-defined]
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def plain_width() -> int:
    """The width to lay plain columns out in (:func:`stream`): as :func:`width`, and on a
    terminal its width."""
    import shutil

    return width() or shutil.get_terminal_size(fallback=(80, 24)).columns


def show(renderable: RenderableType) -> None:
    """Print a table (or other renderable built from this module's text) on standard output."""
    out().print(renderable)


def out() -> Console:
    """The console for results (standard output), created on first use for each width
    (``COLUMNS`` may differ between two commands run in one process)."""
    columns = width()
    key = f"out:{columns}"
    if key not in _consoles:
        from rich.console import Console

        _consoles[key] = Console(highlight=False, markup=False, emoji=False, width=columns)
    return _consoles[key]


def width() -> int | None:
    """``COLUMNS`` if set, else ``None`` on a terminal (rich asks it), else 80.

    rich alone would take the width of whichever of stdin, stdout and stderr is a terminal,
    so ``council item list | less`` would print for the terminal behind the pipe."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if os.isatty(1) else 80


def err() -> Console:
    """The console for errors (standard error), created on first use."""
    if "err" not in _consoles:
        from rich.console import Console

        _consoles["err"] = Console(
            stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True
        )
    return _consoles["err"]
