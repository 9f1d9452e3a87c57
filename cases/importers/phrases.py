"""Reading a published decision sentence as a workflow outcome, driven by a phrase table.

The table is ``config/decision_phrases.toml``; its header comment states the matching rules,
which :func:`classify_decision` implements. An outcome is a state name of the workflow
(``udsat``, ``godkendt``, ...); ``None`` means "not recognised", and the importer never guesses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from council.config.decision_phrases import PhraseFile, PhraseGroup
from council.config.errors import ConfigError
from council.config.settings import CONFIG_DIR
from council.config.toml_files import did_you_mean, read_model

DEFAULT_PHRASES_PATH = CONFIG_DIR / "decision_phrases.toml"

# A sentence ends at a line break, or at . ! ? followed by a capital letter (so "den 26. august"
# and "bl.a. at" do not end one).
_SENTENCE_END = re.compile(r"\s*\n\s*|(?<=[.!?])\s+(?=[A-ZÆØÅ])")


@dataclass(frozen=True)
class Rule:
    """One phrase or pattern of the table, compiled."""

    outcome: str | None  # None for [notes] and [not_final] rules
    text: str  # the phrase or pattern as written in the table
    regex: re.Pattern[str]
    fallback: bool = False


@dataclass(frozen=True)
class PhraseTable:
    """The loaded table: outcome rules, note rules and not-final rules."""

    source: Path
    outcomes: tuple[Rule, ...]
    notes: tuple[Rule, ...]
    not_final: tuple[Rule, ...]
    leading_sentences: int = 2

    @property
    def outcome_codes(self) -> frozenset[str]:
        return frozenset(rule.outcome for rule in self.outcomes if rule.outcome)


def normalise(text: str) -> str:
    """NFC, non-breaking spaces as spaces, runs of spaces as one; line breaks are kept."""
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ")
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def sentences(text: str) -> list[str]:
    """The normalised, lower-cased sentences of ``text``, in order."""
    return [part.casefold() for part in _SENTENCE_END.split(normalise(text)) if part.strip()]


def classify_decision(text: str, table: PhraseTable) -> str | None:
    """The outcome code a decision text states, or ``None`` when it is not recognised.

    Quoted words (a protocol remark's text, "”Vi mener, at ...”") are never read: they are
    what a member said, not what the body decided."""
    read = [s for s in sentences(without_quotations(text)) if not _matches(table.notes, s)]
    read = read[: table.leading_sentences]
    not_final_seen = False
    fallbacks: list[tuple[int, str | None]] = []
    for sentence in read:
        hits = _hits(table.outcomes, sentence)
        decisive = [(length, rule.outcome) for length, rule in hits if not rule.fallback]
        if decisive:
            return _longest(decisive)
        not_final_seen = not_final_seen or _matches(table.not_final, sentence)
        if not fallbacks:
            fallbacks = [(length, rule.outcome) for length, rule in hits if rule.fallback]
    if not_final_seen:
        return None
    return _longest(fallbacks) if fallbacks else None


_OPENING_QUOTES = "”“\"„»«'"
_CLOSING_QUOTES = "”“\"»«'"


def without_quotations(text: str) -> str:
    """``text`` without its quoted paragraphs: a line that opens with a quotation mark, up to
    the line that closes it (the same line, or a later one)."""
    kept: list[str] = []
    quoting = False
    for line in text.splitlines():
        stripped = line.strip()
        opens = not quoting and stripped[:1] in _OPENING_QUOTES and stripped != ""
        if opens or quoting:
            ending = stripped.rstrip(".,;:!? ")  # ”at ... bilag 4”. closes the quotation
            closed = ending[-1:] in _CLOSING_QUOTES and (quoting or len(ending) > 1)
            quoting = not closed
            continue
        kept.append(line)
    return "\n".join(kept)


def _hits(rules: Iterable[Rule], sentence: str) -> list[tuple[int, Rule]]:
    return [
        (match.end() - match.start(), rule)
        for rule in rules
        for match in rule.regex.finditer(sentence)
    ]


def _matches(rules: Iterable[Rule], sentence: str) -> bool:
    return any(rule.regex.search(sentence) for rule in rules)


def _longest(hits: Sequence[tuple[int, str | None]]) -> str | None:
    """The outcome of the longest match; a tie between two outcomes is ambiguous (None)."""
    best = max(length for length, _ in hits)
    winners = {outcome for length, outcome in hits if length == best}
    return winners.pop() if len(winners) == 1 else None


# ---------------------------------------------------------------------------------- loading


@cache
def default_phrase_table() -> PhraseTable:
    """The shipped table, read once per process."""
    return load_phrase_table(DEFAULT_PHRASES_PATH)


def load_phrase_table(path: Path, *, known_outcomes: Collection[str] | None = None) -> PhraseTable:
    """Read and check ``path``; any fault is one ``ConfigError`` naming the file and entry.

    ``known_outcomes`` (the workflow's state names), when given, must contain every outcome.
    """
    data = read_model(path, PhraseFile)
    if not data.outcome:
        raise ConfigError(f"{path}: no [outcome.<code>] tables; add at least one")
    outcomes: list[Rule] = []
    owner: dict[str, str] = {}
    for code, group in data.outcome.items():
        where = f"{path}: [outcome.{code}]"
        if known_outcomes is not None and code not in known_outcomes:
            raise ConfigError(
                f"{where}: '{code}' is not a workflow state{did_you_mean(code, known_outcomes)}"
            )
        rules = _rules(group, where=where, outcome=code, fallback=group.fallback)
        if not rules:
            raise ConfigError(f"{where}: lists no phrases or patterns")
        for rule in rules:
            if owner.setdefault(rule.text, code) != code:
                raise ConfigError(
                    f"{where}: phrase '{rule.text}' is also listed under "
                    f"[outcome.{owner[rule.text]}]; keep it in one place"
                )
        outcomes.extend(rules)
    return PhraseTable(
        source=path,
        outcomes=tuple(outcomes),
        notes=tuple(_rules(data.notes, where=f"{path}: [notes]", outcome=None)),
        not_final=tuple(_rules(data.not_final, where=f"{path}: [not_final]", outcome=None)),
        leading_sentences=data.matching.leading_sentences,
    )


def _rules(
    group: PhraseGroup, *, where: str, outcome: str | None, fallback: bool = False
) -> list[Rule]:
    rules: list[Rule] = []
    for key, entries in (("phrases", group.phrases), ("patterns", group.patterns)):
        for index, entry in enumerate(entries):
            source = _phrase_regex(entry) if key == "phrases" else entry.casefold()
            try:
                regex = re.compile(rf"(?<!\w)(?:{source})(?!\w)", re.IGNORECASE)
            except re.error as exc:
                raise ConfigError(
                    f"{where}: '{key}[{index}]' {entry!r} er ikke et gyldigt mønster ({exc})"
                ) from exc
            rules.append(Rule(outcome=outcome, text=entry, regex=regex, fallback=fallback))
    return rules


def _phrase_regex(phrase: str) -> str:
    return r"\s+".join(re.escape(word) for word in normalise(phrase).casefold().split())
