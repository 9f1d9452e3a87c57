"""The log of the long-running parts (``council serve``, the web application).

Lines go to standard error with an ISO 8601 timestamp, the level and the logger's name, as
text or, with ``json_lines``, one JSON object per line for a log collector. The level comes
from ``COUNCIL_LOG_LEVEL`` (the settings). A message is one line whatever it quotes: line
breaks and other control characters in it (a server's reply, a name from a file) are
escaped, so no text can forge a log line of its own.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

# Libraries that say every routine step at INFO; they speak at WARNING unless DEBUG is asked.
CHATTY = ("apscheduler",)
# C0 and C1 controls, DEL, bidi embeddings, overrides and isolates ("Trojan source"),
# lone surrogates (an undecodable byte): each is written as an escape, never as itself.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(text: str) -> str:
    """``text`` on one line with nothing that acts on a terminal: ``\\n``, ``\\u202e``."""
    return _UNSAFE.sub(lambda m: _SHORT.get(m[0], f"\\u{ord(m[0]):04x}"), text)


def _moment(record: logging.LogRecord) -> str:
    return (
        datetime.fromtimestamp(record.created, UTC).astimezone().isoformat(timespec="milliseconds")
    )


class TextFormatter(logging.Formatter):
    """``2026-11-22T08:00:00.123+01:00 INFO council.serve: message`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        message = escaped(record.getMessage())
        line = f"{_moment(record)} {record.levelname} {record.name}: {message}"
        if record.exc_info:  # the traceback's lines, each made safe
            trace = self.formatException(record.exc_info)
            line += "".join(f"\n{escaped(part)}" for part in trace.splitlines())
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time``, ``level``, ``logger``, ``message`` (and
    ``exception`` with the traceback, when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _moment(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # JSON escapes C0 controls itself; the rest (bidi, C1) are escaped as \uXXXX too
        return escaped(json.dumps(entry, ensure_ascii=False))


def configure_logging(
    *, level: str = "INFO", json_lines: bool = False, stream: TextIO | None = None
) -> logging.Handler:
    """Send every log record at ``level`` or above to ``stream`` (standard error); replaces
    a handler this function installed before. Returns the handler."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "council", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.council = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(level if level == "DEBUG" else "WARNING")
    return handler
