"""Danish text for search: words, their stems, a search query and a snippet.

SQLite's full-text search (FTS5) knows no Danish, so the words are stemmed here, in Python,
with the Snowball Danish stemmer (``snowballstemmer``) and the common Danish words that say
nothing on their own (og, i, at, ...) are left out, as PostgreSQL's ``danish`` text search
configuration does with the same stemmer and a like list. The FTS5 table then holds the
stems, and a query is stemmed the same way, so "Flygtningehjælpen" finds
"flygtningehjælp" on both databases.

A query is read as a web search box reads it (PostgreSQL's ``websearch_to_tsquery``):
words must all be there, ``"quoted words"`` must stand together, ``or`` between words
lets either do, and ``-word`` keeps out what has it. :class:`SearchQuery` says it once for
FTS5 (:meth:`SearchQuery.fts5`) and once, cleaned the same way, for PostgreSQL
(:meth:`SearchQuery.websearch`), so both databases answer the same question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+")
"""A word: letters and digits (``2010-4130`` is two words, as FTS5's tokenizer reads it)."""

STOP_WORDS = frozenset(
    """
    ad af alle alt anden at blev blive bliver da de dem den denne der deres det dette dig
    din disse dog du efter eller en end er et for fra ham han hans har havde have hende
    hendes her hos hun hvad hvis hvor i ikke ind jeg jer jo kunne man mange med meget men
    mig min mine mit mod ned noget nogle nu når og også om op os over på selv sig sin sine
    sit skal skulle som sådan thi til ud under var vi vil ville vor være været
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)
"""Danish words too common to find anything by (the ones PostgreSQL's ``danish`` drops)."""

MAX_QUERY_WORDS = 32


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("danish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one lower-case word."""
    return str(_stemmer().stemWord(word))


def comparable(text: str) -> str:
    """``text`` in the one Unicode form that indexing, queries and snippets share (NFKC):
    "å" typed as one character or written as "a" and a ring (a Mac's file names, many
    PDFs) is the same letter, and a PDF's "ﬁ" ligature is "fi"."""
    return unicodedata.normalize("NFKC", text)


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased."""
    return WORD.findall(comparable(text).lower())


def stems(text: str) -> list[str]:
    """The stems of the words of ``text`` that say something (stop words left out)."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS]


def indexed(text: str) -> str:
    """``text`` as the FTS5 table holds it: its stems, separated by spaces."""
    return " ".join(stems(text))


@dataclass(frozen=True)
class Term:
    """A word, or words that must stand together (a quoted phrase or ``2010-4130``)."""

    words: tuple[str, ...]  # as typed, lower-cased, stop words left out
    negated: bool = False

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(stem(word) for word in self.words)

    def fts5(self) -> str:
        return '"' + " ".join(self.stems) + '"'

    def websearch(self) -> str:
        """Always quoted: a lone word "or" is then a word, not ``websearch_to_tsquery``'s
        alternative."""
        text = '"' + " ".join(self.words) + '"'
        return f"-{text}" if self.negated else text


@dataclass(frozen=True)
class SearchQuery:
    """Alternatives (``or``), each a group of terms that must all hold."""

    groups: tuple[tuple[Term, ...], ...]

    @property
    def empty(self) -> bool:
        """Nothing to look for: no word that says something, or only words kept out."""
        return not self.groups

    @property
    def stems(self) -> frozenset[str]:
        """The stems a hit is found by (for marking them in a snippet)."""
        return frozenset(
            s for group in self.groups for term in group if not term.negated for s in term.stems
        )

    def fts5(self) -> str:
        """The query in FTS5's syntax: AND binds tighter than OR and NOT tighter than AND,
        so ``"a" OR "b" AND "c" NOT "d"`` reads as the web search ``a or b c -d``."""
        alternatives = []
        for group in self.groups:
            wanted = " AND ".join(term.fts5() for term in group if not term.negated)
            unwanted = [term.fts5() for term in group if term.negated]
            if unwanted:
                wanted = f"({wanted}) NOT ({' OR '.join(unwanted)})"
            alternatives.append(f"({wanted})")
        return " OR ".join(alternatives)

    def websearch(self) -> str:
        """The query as ``websearch_to_tsquery`` reads it, with the same words left out."""
        return " or ".join(" ".join(term.websearch() for term in group) for group in self.groups)


def parse_query(text: str) -> SearchQuery:
    """A search box's text as a query (see the module's rules).

    Stop words are left out, as is a group with no word left to look for (``-status``
    alone: there is nothing to rank by), so the query never matches everything.
    """
    groups: list[list[Term]] = [[]]
    count = 0
    for match in re.finditer(r'(-?)"([^"]*)"?|(\S+)', text):
        negated, quoted, bare = match.group(1) == "-", match.group(2), match.group(3)
        if bare is not None:
            if bare.casefold() == "or":
                groups.append([])
                continue
            negated = bare.startswith("-")
            quoted = bare.lstrip("-")
        found = [word for word in words(quoted or "") if word not in STOP_WORDS]
        if not found or count >= MAX_QUERY_WORDS:
            continue
        count += len(found)
        groups[-1].append(Term(tuple(found), negated))
    kept = tuple(tuple(group) for group in groups if any(not term.negated for term in group))
    return SearchQuery(kept)


@dataclass(frozen=True)
class Fragment:
    """A piece of a snippet; ``found`` marks a word the query found."""

    text: str
    found: bool = False


SNIPPET_WORDS = 24


def snippet(
    text: str, wanted: frozenset[str], *, size: int = SNIPPET_WORDS
) -> tuple[Fragment, ...]:
    """About ``size`` words of ``text`` around the first place with the most words whose
    stems are ``wanted``, those words marked; "…" where the text goes on."""
    flat = " ".join(comparable(text).split())
    spans = [(m.start(), m.end(), _is_wanted(m.group(), wanted)) for m in WORD.finditer(flat)]
    if not spans:
        return ()
    hits = [index for index, span in enumerate(spans) if span[2]]
    start = _best_window(hits, len(spans), size)
    end = min(len(spans), start + size)
    begin = 0 if start == 0 else spans[start][0]
    finish = len(flat) if end == len(spans) else spans[end - 1][1]
    fragments: list[Fragment] = [Fragment("…")] if begin > 0 else []
    position = begin
    for word_start, word_end, found in spans[start:end]:
        if found:
            if word_start > position:
                fragments.append(Fragment(flat[position:word_start]))
            fragments.append(Fragment(flat[word_start:word_end], True))
            position = word_end
    if finish > position:
        fragments.append(Fragment(flat[position:finish]))
    if finish < len(flat):
        fragments.append(Fragment("…"))
    return tuple(fragments)


def _is_wanted(word: str, wanted: frozenset[str]) -> bool:
    lower = word.lower()
    return lower not in STOP_WORDS and stem(lower) in wanted


def _best_window(hits: list[int], total: int, size: int) -> int:
    """The first word of the window of ``size`` words that holds the most hits, starting a
    few words before its first hit."""
    if not hits:
        return 0
    best, best_count = hits[0], 0
    for first in hits:
        count = sum(1 for hit in hits if first <= hit < first + size)
        if count > best_count:
            best, best_count = first, count
    return max(0, min(best - size // 4, total - size))
