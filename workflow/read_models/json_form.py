"""JSON for machines that stays harmless on a terminal: every listing's ``--json``.

Its own module, so a command that writes JSON imports only the ``json`` module for it."""

from __future__ import annotations

import json
import re
from typing import Any

# What JSON leaves raw but a terminal acts on: DEL, the C1 controls, bidi controls, and the
# line and paragraph separators JavaScript cannot hold in a string literal.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_line(value: Any) -> str:
    """``value`` as compact JSON on one line, escaped as :func:`json_text` escapes it (the
    form of long, streamed listings: a record a line, and C-speed encoding)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def json_text(value: Any) -> str:
    """``value`` as indented JSON for machines; every control character is a ``\\u``
    escape (the same text, harmless when printed on a terminal)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"
