"""Attaching files to an item (``council item attach``): each becomes a bilag with its file.

Every file is read, its type checked by its content and its text extracted before
anything is written, so one refused file leaves the item as it was. Every bilag is
recorded with its audit entry, then the files go into the content-addressed store, then
the transaction commits (should the commit fail, a file stored for it stays there,
unreferenced: it is found by nothing and harms nothing). An item that has been finally decided
keeps the bilag it was decided with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from council.cases import attachments, items
from council.cases.attachment_files import AttachmentStore, GivenFile, read_given
from council.cases.attachment_text import extracted_text
from council.cases.attachments import AttachmentLine, FileFacts
from council.cases.dates import require_aware
from council.cases.db import UnitOfWork
from council.cases.errors import AttachmentRefused, InvalidInputError
from council.workflow.machine import Rulebook
from council.workflow.services.inputs import (
    hidden_character,
    require_actor,
    required_text,
    visible,
)

MAX_TITLE_LENGTH = 200
MAX_FILES = 50


@dataclass(frozen=True)
class Attached:
    """What attaching did: the item (``title`` and ``closed`` for visibility), its new
    version, and each bilag with whether its text could be found."""

    item_id: int
    title: str
    closed: bool
    version: int
    lines: tuple[tuple[AttachmentLine, bool], ...]  # (bilag, the file had text)


def attach_files(
    uow: UnitOfWork,
    rulebook: Rulebook,
    store: AttachmentStore,
    *,
    item_id: int,
    paths: list[Path],
    title: str | None = None,
    max_bytes: int,
    actor: str,
    now: datetime,
) -> Attached:
    """Attach the files at ``paths`` to the item, each as a bilag named after its file
    (or ``title``, for one file); a bilag of that name known by name only gets the file."""
    actor, now = require_actor(actor), require_aware(now)
    if not paths:
        raise InvalidInputError("angiv en eller flere filer at vedhæfte")
    if len(paths) > MAX_FILES:
        raise InvalidInputError(f"vedhæft højst {MAX_FILES} filer ad gangen, ikke {len(paths)}")
    if title is not None and len(paths) > 1:
        raise InvalidInputError("--title navngiver én fils bilag; vedhæft filerne én ad gangen")
    wanted_title = bilag_title(title) if title is not None else None
    given = [_with_plain_name(read_given(path, max_bytes=max_bytes)) for path in paths]
    seen: dict[str, str] = {}
    for one in given:
        if one.sha256 in seen:
            raise AttachmentRefused(one.name, f"har samme indhold som {seen[one.sha256]}")
        seen[one.sha256] = one.name
    texts = [extracted_text(one) for one in given]
    with uow:
        item = items.by_id(uow.session, item_id)
        assert item.id is not None
        if item.state in rulebook.definition.final_states:
            raise InvalidInputError(
                f"punkt-id {item.id} er afgjort ({rulebook.label(item.state).lower()}): "
                "det beholder de bilag, det blev afgjort med"
            )
        version = item.version
        recorded = []
        for one, text in zip(given, texts, strict=True):
            line = attachments.attach(
                uow,
                item_id=item.id,
                expected_version=version,
                title=wanted_title or bilag_title(one.stem),
                facts=_facts(one, text),
                actor=actor,
                now=now,
            )
            version += 1
            recorded.append((line, bool(text.strip())))
        for one in given:  # once the records are written, just before they are committed
            store.put(one.content, one.sha256)
        uow.commit()
    return Attached(item.id, item.title, item.closed, version, tuple(recorded))


def _with_plain_name(given: GivenFile) -> GivenFile:
    """The file, refused when its name holds a control or format character: the name is
    shown in documents, on the web and in the audit trail, where a line break splits it and
    a direction override turns "rapport\\u202efdp.txt" into "rapporttxt.pdf"."""
    hidden = hidden_character(given.name)
    if hidden is not None:
        raise AttachmentRefused(
            f"'{visible(given.name)}'",
            f"navnet indeholder et styretegn (U+{ord(hidden):04X}); giv filen et navn med "
            "almindelige bogstaver, og vedhæft den igen",
        )
    return given


def bilag_title(text: str) -> str:
    """A bilag's title as given: trimmed; refused when empty, on more than one line, with a
    character nobody could see, or too long."""
    title = required_text(text, "bilagets titel")
    hidden = hidden_character(title)
    if hidden is not None:
        raise InvalidInputError(
            f"bilagets titel indeholder et styretegn (U+{ord(hidden):04X}); "
            "angiv den på én linje med almindelige bogstaver"
        )
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidInputError(
            f"bilagets titel er {len(title)} tegn; angiv højst {MAX_TITLE_LENGTH}"
        )
    return title


def _facts(given: GivenFile, text: str) -> FileFacts:
    return FileFacts(given.name, given.size, given.kind.media_type, given.sha256, text)
