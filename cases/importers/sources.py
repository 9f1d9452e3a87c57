"""The files an import is given: read whole and bounded, their format named, then parsed.

:func:`read_sources` reads files, and every file of a folder (its sub-folders too, in name
order) whose format :func:`formats.detect_format` recognises; an Acadre index
(``*.acadre-index.xml``) is read with the meeting file beside it, never on its own. A file
named on the command line that is none of the formats is refused; in a folder it is skipped
and listed. :func:`parse_source` turns a source into the neutral record; a Copenhagen text
item needs the committees to name the committee its file name gives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from council.cases.errors import ImportFormatError
from council.cases.importers.committee_names import CommitteeRef, Committees
from council.cases.importers.formats import (
    HEAD_BYTES,
    NO_KNOWN_FORMAT,
    Format,
    detect_format,
    municipality_from_filename,
    parse_published,
)
from council.cases.importers.phrases import PhraseTable
from council.cases.importers.published import PublishedMeeting
from council.cases.importers.text_files import (
    DEFAULT_MAX_BYTES,
    decode_text,
    read_file_bytes,
)
from council.cases.importers.text_items import TextSource, published_text_meeting

ACADRE_INDEX = ".acadre-index.xml"
_GIVE_A_FILE = (
    "angiv en offentliggjort dagsordens fil eller en mappe med dem uden at angive et format"
)


@dataclass(frozen=True)
class ImportSource:
    """One file given for import: its name, its bytes, its format (an Acadre meeting's index
    beside it)."""

    name: str
    data: bytes
    format: Format
    companion: bytes | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @classmethod
    def of_text(cls, source: TextSource) -> ImportSource:
        return cls(source.name, source.text.encode("utf-8"), "text")


@dataclass(frozen=True)
class Sources:
    files: list[ImportSource]
    skipped: list[str] = field(default_factory=list)  # folder entries of no known format


def read_sources(
    paths: Sequence[Path], *, format: Format | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Sources:
    """Read every file given (folders only when the format is detected); a file refused is
    one line, and nothing is imported."""
    found = Sources([])
    try:
        for path in paths:
            if format is None and path.is_dir():
                _read_folder(path, found, max_bytes)
            else:
                found.files.append(read_source(path, format=format, max_bytes=max_bytes))
    except ImportFormatError as exc:
        raise ImportFormatError(f"{exc}; intet blev importeret") from exc
    return found


def read_source(
    path: Path, *, format: Format | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> ImportSource:
    what = "angiv dagsordenspunktets tekstfil" if format == "text" else _GIVE_A_FILE
    data = read_file_bytes(path, max_bytes=max_bytes, what=what)
    if format is None and path.name.endswith(ACADRE_INDEX):
        raise ImportFormatError(
            f"{path.name}: er et Acadre-indeks; importér møde-XML'en ved siden af, som læser det"
        )
    chosen = format or detect_format(path.name, data[:HEAD_BYTES])
    companion = None
    if chosen == "acadre":
        index = path.with_name(path.name.replace(".acadre.xml", ACADRE_INDEX))
        if index != path and index.is_file():
            companion = read_file_bytes(index, max_bytes=max_bytes, what=_GIVE_A_FILE)
    return ImportSource(path.name, data, chosen, companion)


def _read_folder(folder: Path, found: Sources, max_bytes: int) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name.endswith(ACADRE_INDEX):
            continue
        try:
            found.files.append(read_source(path, max_bytes=max_bytes))
        except ImportFormatError as exc:
            if NO_KNOWN_FORMAT not in str(exc):
                raise
            found.skipped.append(str(path.relative_to(folder.parent)))


def parse_source(
    source: ImportSource,
    *,
    committees: Committees,
    forced: CommitteeRef | None,
    phrases: PhraseTable,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PublishedMeeting:
    """The source as a published meeting; a Copenhagen text file names its committee."""
    if source.format == "text":
        text = TextSource(source.name, decode_text(source.name, source.data))
        return published_text_meeting(text, committees=committees, forced=forced, phrases=phrases)
    return parse_published(
        source.data,
        source=source.name,
        format=source.format,
        municipality=municipality_from_filename(source.name),
        acadre_index=source.companion,
        max_bytes=max_bytes,
    )
