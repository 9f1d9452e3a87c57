"""What every act checks of its input: who acts, and that a required text is given."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from council.cases.errors import InvalidInputError
from council.workflow.errors import InvalidActorError, MissingActorError

MAX_ACTOR_LENGTH = 200
"""The length of the ``actor`` columns (the audit trail, decisions, agenda entries, links)."""
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control and format characters (newlines, escapes, zero-width and direction marks),
surrogates, private-use and unassigned code points, line and paragraph separators."""


def hidden_character(text: str) -> str | None:
    """The first character of ``text`` a reader could not see (or that would break a line
    or reorder what is shown); None when there is none."""
    return next((c for c in text if unicodedata.category(c) in _UNPRINTABLE), None)


def visible(text: str) -> str:
    """``text`` with each such character written as an escape (``\\n``, ``\\u202e``), to name
    it in a refusal."""
    escapes = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return "".join(
        escapes.get(c, f"\\u{ord(c):04x}") if unicodedata.category(c) in _UNPRINTABLE else c
        for c in text
    )


def require_actor(actor: str | None) -> str:
    """The name of who acts, as the records keep it; refused when missing, when it holds a
    character a reader of the audit trail could not see (or that would break a line), when
    it has no letter or digit, or when it is longer than the records hold."""
    if actor is None or not actor.strip():
        raise MissingActorError(
            "no actor given: pass --actor NAME or set COUNCIL_ACTOR "
            "(every change records who made it)"
        )
    return _checked_name(actor.strip())


@lru_cache(maxsize=256)
def _checked_name(name: str) -> str:
    """:func:`require_actor`'s checks of a name, each name checked once per process (every
    act of a session or an import names the same actor; a refusal is not remembered)."""
    hidden = hidden_character(name)
    if hidden is not None:
        raise InvalidActorError(
            f"the actor name holds an invisible or control character (U+{ord(hidden):04X}); "
            "give the name in plain letters, e.g. --actor 'Anne Jensen, BIU-sekretariatet'"
        )
    if not any(unicodedata.category(c)[0] in "LN" for c in name):
        raise InvalidActorError(
            "the actor name has no letter or digit; give a name, "
            "e.g. --actor 'Anne Jensen, BIU-sekretariatet'"
        )
    if len(name) > MAX_ACTOR_LENGTH:
        raise InvalidActorError(
            f"the actor name is {len(name)} characters long; the records hold at most "
            f"{MAX_ACTOR_LENGTH}: give a shorter name"
        )
    return name


def required_text(value: str, what: str) -> str:
    """``value`` without surrounding whitespace; refused when nothing is left."""
    if not value or not value.strip():
        raise InvalidInputError(f"{what} must not be empty")
    return value.strip()
