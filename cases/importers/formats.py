"""Which publishing format a file is, and reading any of them into the neutral shape.

:func:`detect_format` looks only at a file's name and first bytes and names one of
:data:`FORMATS`, or refuses. :func:`parse_published` runs that format's parser;
:func:`read_published_file` reads a file from disk within a byte limit (an Acadre meeting
file takes its index from beside it). All of them are pure of the database.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal, get_args

from council.cases.importers.acadre import parse_acadre
from council.cases.importers.copenhagen_text import (
    meeting_hint_from_filename,
    parse_copenhagen_text,
)
from council.cases.importers.edoc import parse_edoc
from council.cases.importers.firstagenda import parse_firstagenda
from council.cases.importers.from_copenhagen_text import published_from_text_item
from council.cases.importers.hardened import (
    DEFAULT_MAX_BYTES,
    UTF8_BOM,
    check_size,
    fail,
    utf8_text,
)
from council.cases.importers.kk_json import parse_kk_json
from council.cases.importers.published import PublishedMeeting
from council.cases.importers.sbsys import parse_sbsys
from council.config.os_reasons import os_reason

Format = Literal["text", "edoc", "sbsys", "acadre", "firstagenda", "kk-json"]
FORMATS: tuple[Format, ...] = get_args(Format)
HEAD_BYTES = 4096

_XML_PROLOGUE = re.compile(
    rb"^(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*", re.S
)
_ROOT = re.compile(rb"<(?P<name>[A-Za-z_][\w.-]*)")
_TEXT_TITLE = re.compile(r"^\s*\d{1,3}\.\s+\S")
_CONVENTION = re.compile(r"^(?P<kommune>[a-z][a-z-]*)_[^_]+_\d{4}-\d{2}-\d{2}_")
_SPELLING = {"koebenhavn": "København"}
# The refusal of a file that is none of the formats (a folder's import skips such a file).
NO_KNOWN_FORMAT = (
    "er ingen af de formater, importen læser (eDoc-, SBSYS- eller Acadre-XML, FirstAgenda-"
    "HTML, københavnsk JSON, københavnsk tekst); angiv formatet, hvis det er et af dem"
)


def detect_format(name: str, head: bytes) -> Format:
    """The format of a file called ``name`` that begins with ``head``, or a clear refusal."""
    start = head.removeprefix(UTF8_BOM).lstrip()
    lowered = start[:512].lower()
    if start.startswith((b"{", b"[")):
        if b'"afsnit"' in head or b'"udvalg"' in head:
            return "kk-json"
        raise fail(name, NO_KNOWN_FORMAT)
    if lowered.startswith((b"<!doctype html", b"<html")) or (
        lowered.startswith(b"<") and b"<html" in lowered
    ):
        return "firstagenda"
    if start.startswith(b"<"):
        prologue = _XML_PROLOGUE.match(start)
        root = _ROOT.match(start, prologue.end() if prologue else 0)
        rest = start[root.end() : root.end() + 2048] if root else b""
        element = root["name"] if root else b""
        if element == b"Meeting":
            return "edoc"
        if element == b"Publication":
            return "sbsys"
        if element == b"root" and b'<table name="agenda"' in rest:
            return "acadre"
        if element == b"root" and b"<org>" in rest:
            raise fail(name, "er et Acadre-indeks; importér den møde-XML, det hører til")
        raise fail(name, NO_KNOWN_FORMAT)
    if name.lower().endswith(".txt"):
        try:
            first = next(
                (line for line in start.decode("utf-8", "replace").splitlines() if line.strip()),
                "",
            )
        except UnicodeDecodeError:  # pragma: no cover - "replace" never raises
            first = ""
        if _TEXT_TITLE.match(first):
            return "text"
    raise fail(name, NO_KNOWN_FORMAT)


def parse_published(
    data: bytes,
    *,
    source: str,
    format: Format | None = None,
    municipality: str | None = None,
    committee: str | None = None,
    meeting_date: dt.date | None = None,
    acadre_index: bytes | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PublishedMeeting:
    """Parse ``data`` (named ``source``) in ``format``, detected when not given.

    ``committee`` and ``meeting_date`` are for the text layout, which names neither.
    """
    check_size(data, source=source, max_bytes=max_bytes)
    chosen = format or detect_format(source, data[:HEAD_BYTES])
    if chosen == "edoc":
        return parse_edoc(data, source=source, municipality=municipality, max_bytes=max_bytes)
    if chosen == "sbsys":
        return parse_sbsys(data, source=source, municipality=municipality, max_bytes=max_bytes)
    if chosen == "acadre":
        return parse_acadre(
            data,
            source=source,
            index=acadre_index,
            municipality=municipality,
            max_bytes=max_bytes,
        )
    if chosen == "firstagenda":
        return parse_firstagenda(
            data, source=source, municipality=municipality, max_bytes=max_bytes
        )
    if chosen == "kk-json":
        return parse_kk_json(data, source=source, municipality=municipality, max_bytes=max_bytes)
    if chosen == "text":
        item = parse_copenhagen_text(
            utf8_text(data, source=source, what="et københavnsk tekstpunkt"),
            source=source,
            default_date=meeting_date,
            default_committee=committee,
        )
        return published_from_text_item(
            item,
            committee=committee,
            meeting_date=meeting_date,
            municipality=municipality or "København",
        )
    raise fail(source, f"ukendt format {chosen!r}; brug et af {', '.join(FORMATS)}")


def read_published_file(
    path: Path,
    *,
    format: Format | None = None,
    municipality: str | None = None,
    committee: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PublishedMeeting:
    """Read ``path`` (a regular file within ``max_bytes``) and parse it.

    Without ``municipality``, a name following ``<kommune>_<udvalg>_<YYYY-MM-DD>_...`` gives
    it. A text item takes its meeting date from such a name; an Acadre meeting file
    ``X.acadre.xml`` its index ``X.acadre-index.xml`` when that lies beside it.
    """
    data = _read_limited(path, max_bytes)
    chosen = format or detect_format(path.name, data[:HEAD_BYTES])
    index = None
    if chosen == "acadre":
        companion = path.with_name(path.name.replace(".acadre.xml", ".acadre-index.xml"))
        if companion != path and companion.is_file():
            index = _read_limited(companion, max_bytes)
    hint = meeting_hint_from_filename(path.name) if chosen == "text" else None
    meeting = parse_published(
        data,
        source=path.name,
        format=chosen,
        municipality=municipality or municipality_from_filename(path.name),
        committee=committee,
        meeting_date=hint.date if hint else None,
        acadre_index=index,
        max_bytes=max_bytes,
    )
    if hint is not None and meeting.items[0].number != hint.number:
        raise fail(
            path.name, f"filnavnet siger punkt {hint.number}, teksten {meeting.items[0].number}"
        )
    return meeting


def municipality_from_filename(name: str) -> str | None:
    """ "ballerup_<udvalg>_2012-12-04_..." -> "Ballerup"; "koebenhavn_..." -> "København"."""
    match = _CONVENTION.match(Path(name).name)
    if match is None:
        return None
    slug = match["kommune"]
    return _SPELLING.get(slug) or "-".join(part.capitalize() for part in slug.split("-"))


def _read_limited(path: Path, max_bytes: int) -> bytes:
    try:
        if not path.is_file():
            raise fail(path.name, "er ikke en almindelig fil")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise fail(path.name, f"kan ikke læses ({os_reason(exc)})") from exc
    check_size(data, source=path.name, max_bytes=max_bytes)
    return data
