"""Checking the attachments' files: each file the records name must be in the attachment
store with the content its SHA-256 says. ``audit verify`` calls this after the trail and
the records agree (:func:`council.cases.audit_verify.verify`): a file changed or removed
behind the product's back is reported by its name, bilag and item."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from council.cases.attachments import every_file

FileCheck = Callable[[str], str | None]
"""What is wrong with the stored file of a SHA-256 (None: nothing), and where the store is
(:meth:`council.cases.attachment_files.AttachmentStore.problem`)."""


def attachment_files_problem(connection: Connection, check: FileCheck | None) -> str | None:
    """The first attached file that is missing or changed, in words; None when all are
    as recorded."""
    for line in every_file(connection):
        assert line.sha256 is not None
        where = (
            f"filen '{line.file_name}' til bilag {line.position} «{line.title}» på "
            f"dagsordenspunkt {line.item_id} (sha256 {line.sha256[:12]}…)"
        )
        if check is None:
            return (
                f"{where} kan ikke kontrolleres: der er ikke sat nogen bilagsmappe op "
                "(COUNCIL_ATTACHMENT_DIR)"
            )
        problem = check(line.sha256)
        if problem is not None:
            return f"{where} {problem}"
    return None
