"""Telling a whole published agenda item from one that was cut off.

A cut file (``head -c``, an interrupted download, half a copy) still parses: its first part
is a perfectly good title, resumé and recommendation. Imported, it would become an item
that the committee never saw, and a later import of the whole file would have to repair
it. So a text is accepted only where a published item can really end; everything else is
refused with a line that names the part that looks cut off.

The rule, for both Copenhagen layouts (each line of which is a whole paragraph, a heading,
a name or a list entry):

1. **The last line ends with a line break.** A text file's lines end with one; a last line
   without it is how a cut in the middle of a line looks. A full stop proves nothing ("den
   2.", "bl.a.", "3,150 mio."), so none is trusted: a whole file saved without its last
   line break is refused too, with what to do.
2. **No heading stands last with nothing under it** ("Beslutning", "Bilag", "Økonomiudvalgets
   beslutning den 09.03.2010" as the last line).
3. **The recommendation is closed.** The administration's part ends with its signatures
   ("Morten Binder", "/ Kaj Ove Christiansen"); an item with neither signatures nor a
   decision stops somewhere inside it. (A decision only follows the whole recommendation,
   so an item with decisions has all of it.) The mandatory parts of an item of either kind
   are its numbered title, the "Indstilling" with its "at ..." points (the parser refuses a
   text without them) and this close; Resumé, Problemstilling, Løsning, Økonomi and Videre
   proces are each missing from some real published items and are not demanded.
4. **Every announced attachment is listed.** The text's references "Bilag 4" announce four
   attachments; a file that lists fewer has lost the end of its Bilag list.

What passes is an item as published at some stage: the agenda before the meeting (closed
by the signatures, with its Bilag list), or the minutes after one or more meetings, each
decision whole. A cut at any byte of a real file is therefore either refused or leaves a
text that parses to the same item with its later decisions (and their links) missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from council.cases.importers.copenhagen_text import ParsedItem

_ANNOUNCED = re.compile(r"\bbilag\s+(\d{1,3})\b", re.IGNORECASE)
_TAIL = 40


@dataclass(frozen=True)
class Part:
    """A section as the file has it: its heading line (None before the first) and lines."""

    heading: str | None
    lines: Sequence[str]


def cut_off_part(text: str, item: ParsedItem, parts: Sequence[Part]) -> str | None:
    """What looks cut off in ``text`` (parsed as ``item``, cut into ``parts``), or None."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if not text.rstrip(" \t").endswith(("\n", "\r")):
        return (
            f"dens sidste linje «{_tail(last)}» har intet linjeskift efter sig; en hel fil "
            "slutter med et (er filen hel, så afslut den med et linjeskift)"
        )
    final = parts[-1] if parts else None
    if final is not None and final.heading is not None and not final.lines:
        return f"den slutter med overskriften «{final.heading}» og intet under den"
    if not item.signatures and not item.decisions:
        where = next((part.heading for part in reversed(parts) if part.heading), None)
        return (
            f"den slutter i «{where or 'Resumé'}» («{_tail(last)}»), før de underskrifter, "
            "der afslutter indstillingen"
        )
    announced = max(
        (int(number) for prose in _prose(item) for number in _ANNOUNCED.findall(prose)),
        default=0,
    )
    listed = max(len(item.attachments), len(item.attachment_links))
    if announced > listed:
        found = f"dens bilagsliste stopper ved {listed}" if listed else "den har ingen bilagsliste"
        return f"dens tekst henviser til Bilag {announced}, men {found}"
    return None


def _prose(item: ParsedItem) -> list[str]:
    """The administration's text, where attachments are announced."""
    return [
        item.summary,
        *item.recommendation,
        item.problem,
        item.solution,
        item.economy,
        item.next_steps,
    ]


def _tail(line: str) -> str:
    return line if len(line) <= _TAIL else "…" + line[-_TAIL:].lstrip()
