"""Errors of the records layer.

Class tree::

    CouncilError (config.errors)
    └── CasesError                   the records refuse something
        ├── NotFoundError            an unknown committee, case, meeting, item, ...
        ├── AlreadyExistsError       a duplicate case number, meeting, ...
        ├── InvalidInputError        a value that cannot be stored (empty title, bad number)
        ├── ConflictError            someone else changed the row since it was read
        ├── DatabaseError            the database cannot be opened, written or is missing
        ├── AuditIntegrityError      the audit trail does not verify
        ├── AuditKeyError            the checkpoint key: missing, unreadable, or in the way
        ├── CheckpointLogError       the checkpoint log: unreadable, unwritable, malformed
        └── ImportFormatError        a file is not an agenda item in a layout we read
            └── CutOffItemError      the file is the first part of an item, not all of it
"""

from __future__ import annotations

from council.config.errors import CouncilError


class CasesError(CouncilError):
    """Base of every error the records layer raises."""


class NotFoundError(CasesError):
    """The named record does not exist."""


class AlreadyExistsError(CasesError):
    """A record with the same identity already exists."""


class InvalidInputError(CasesError):
    """A value that cannot be stored as given."""


class ConflictError(CasesError):
    """An optimistic-lock conflict: the row changed after it was read."""


class DatabaseError(CasesError):
    """The database is missing, unreadable, unwritable or otherwise unusable."""


class AuditIntegrityError(CasesError):
    """The audit trail or the state it vouches for does not verify."""


class AuditKeyError(CasesError):
    """The Ed25519 key that signs checkpoints cannot be made, read or used as asked."""


class CheckpointLogError(CasesError):
    """The checkpoint log cannot be read or appended to, or holds a line that is no checkpoint."""


class ImportFormatError(CasesError):
    """A file that is not an agenda item in a layout the importers understand."""


class CutOffItemError(ImportFormatError):
    """A file that parses as the beginning of an agenda item but stops before its end."""
