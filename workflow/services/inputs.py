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
            "ingen aktør angivet: brug --actor NAVN eller sæt COUNCIL_ACTOR "
            "(hver ændring registrerer, hvem der lavede den)"
        )
    return _checked_name(actor.strip())


@lru_cache(maxsize=256)
def _checked_name(name: str) -> str:
    """:func:`require_actor`'s checks of a name, each name checked once per process (every
    act of a session or an import names the same actor; a refusal is not remembered)."""
    hidden = hidden_character(name)
    if hidden is not None:
        raise InvalidActorError(
            f"aktørens navn indeholder et usynligt tegn eller styretegn (U+{ord(hidden):04X}); "
            "angiv navnet med almindelige bogstaver, fx --actor 'Anne Jensen, BIU-sekretariatet'"
        )
    if not any(unicodedata.category(c)[0] in "LN" for c in name):
        raise InvalidActorError(
            "aktørens navn har hverken bogstav eller ciffer; angiv et navn, "
            "fx --actor 'Anne Jensen, BIU-sekretariatet'"
        )
    if len(name) > MAX_ACTOR_LENGTH:
        raise InvalidActorError(
            f"aktørens navn er {len(name)} tegn langt; registreringerne rummer højst "
            f"{MAX_ACTOR_LENGTH}: angiv et kortere navn"
        )
    return name


def required_text(value: str, what: str) -> str:
    """``value`` without surrounding whitespace; refused when nothing is left."""
    if not value or not value.strip():
        raise InvalidInputError(f"{what} må ikke være tom")
    return value.strip()
