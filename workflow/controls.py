"""Control characters out of text that people read.

A control character in a title, an actor's name or a decision text acts on whatever shows
it: an ESC sequence recolours or clears a terminal or hides a link in it, a carriage return
overwrites what was printed before, a bidi override reorders it, and a spreadsheet shows
them as boxes. Text for people (the CLI's lines and tables, CSV for spreadsheets) passes
through :func:`without_controls`; the records, the audit trail and the JSON export keep the
text as it was typed.
"""

from __future__ import annotations

import re

# C0 controls but line feed and tab, DEL, the C1 controls, and the bidi embeddings,
# overrides and isolates (they reorder what is shown: "Trojan source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # an undecodable byte of an argument


def without_controls(text: str) -> str:
    """``text`` safe to show: line breaks kept (``\\r\\n`` becomes ``\\n``), a tab becomes a
    space, every other control character is removed, and a lone surrogate (an undecodable
    byte of a command-line argument) becomes U+FFFD."""
    if text.isprintable():  # the common case: nothing to do
        return text
    text = text.replace("\r\n", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    return _LONE_SURROGATE.sub("\ufffd", text)
