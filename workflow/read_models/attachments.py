"""An attachment's file as the web application serves it, with the one visibility rule:
the files of a closed item (lukket punkt) are served only to those who may see it; to
anyone else such a file does not exist."""

from __future__ import annotations

from dataclasses import dataclass

from council.cases import attachments
from council.cases.attachment_files import BY_MEDIA_TYPE, AttachmentStore
from council.cases.db import Database
from council.cases.errors import NotFoundError
from council.workflow.visibility import Audience


@dataclass(frozen=True)
class Download:
    file_name: str
    media_type: str
    inline: bool  # a browser may show it itself
    content: bytes


def attachment_download(
    database: Database, store: AttachmentStore, attachment_id: int, *, audience: Audience
) -> Download:
    """The file of bilag ``attachment_id``; NotFoundError for one the audience may not see
    (or that has no file)."""
    with database.reading() as session:
        line, closed = attachments.with_file(session, attachment_id)
    if closed and not audience.may_see_closed:
        raise NotFoundError("attachment", attachment_id)
    assert line.sha256 is not None and line.media_type is not None
    kind = BY_MEDIA_TYPE.get(line.media_type)
    return Download(
        file_name=line.file_name or f"bilag-{line.id}",
        media_type=line.media_type,
        inline=kind.inline if kind is not None else False,
        content=store.read(line.sha256),
    )
