"""The shape of ``decision_phrases.toml``: which tables and keys it may hold.

The rules that read a decision with it (and compile its patterns) live with the importers
(``cases.importers.phrases``); this model only refuses a file that is not the right shape,
one line naming the table and the key.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from council.config.toml_files import TableModel


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("skal være en tekst, der ikke er tom")
    return value


Phrase = Annotated[str, AfterValidator(_non_blank)]
PHRASES = "skal være en liste af tekster, der ikke er tomme"


class PhraseGroup(TableModel):
    """``[notes]`` or ``[not_final]``: phrases and patterns that mark a sentence."""

    phrases: list[Phrase] = Field(default_factory=list, description=PHRASES)
    patterns: list[Phrase] = Field(default_factory=list, description=PHRASES)


class OutcomeGroup(PhraseGroup):
    """``[outcome.<state>]``: the wording of one outcome."""

    fallback: bool = Field(False, description="skal være true eller false")


class Matching(TableModel):
    leading_sentences: Annotated[int, Field(ge=1)] = Field(
        2, description="skal være et helt tal ≥ 1"
    )


class PhraseFile(TableModel):
    """The whole of ``decision_phrases.toml``."""

    matching: Matching = Matching()
    notes: PhraseGroup = PhraseGroup()
    not_final: PhraseGroup = PhraseGroup()
    outcome: dict[str, OutcomeGroup] = Field(
        default_factory=dict, description="skal være [outcome.<kode>]-tabeller"
    )
