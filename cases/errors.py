"""Errors of the records layer.

Class tree::

    CouncilError (config.errors)
    └── CasesError                   the records refuse something
        ├── NotFoundError            an unknown committee, case, meeting, item, ... (kind, key)
        │   ├── MalformedReference   text that cannot name a record of that kind at all
        │   └── UnknownGoal          the obligation has no result goal of that name
        ├── AlreadyExistsError       a duplicate case number, user, ... (kind, key)
        │   ├── MeetingDateTaken     the committee already meets that day
        │   ├── AgendaNumberTaken    the meeting's agenda already has that number
        │   ├── ObligationExists     the case already has this obligation to the committee
        │   ├── AlreadyLinked        the item already answers that obligation
        │   └── GoalExists           the obligation already has a result goal of that name
        ├── InvalidInputError        a value that cannot be stored (empty title, bad number)
        │   └── AttachmentRefused    a file that cannot be an attachment (size, type, kind)
        ├── ConflictError            someone else changed the item since it was read
        │   └── WordingChanged       ... or the decision's wording
        ├── DatabaseError            the database cannot be opened, written or is missing
        ├── AuditIntegrityError      the audit trail does not verify
        ├── AuditKeyError            the checkpoint key: missing, unreadable, or in the way
        ├── CheckpointLogError       the checkpoint log: unreadable, unwritable, malformed
        ├── AttachmentStoreError     the attachments' folder is not set, not there or unwritable
        └── ImportFormatError        a file is not an agenda item in a layout we read
            └── CutOffItemError      the file is the first part of an item, not all of it

The errors that name a record carry it as data (``kind``, ``key``, versions, numbers); each
builds its one Danish line from that data here, which is what the CLI prints; the web
application words some of them its own way from the same data (no command names there).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from council.config.errors import CouncilError


class CasesError(CouncilError):
    """Base of every error the records layer raises."""


# Each kind of record by its Danish name and article.
KIND_NAMES = {
    "case": ("sag", "en"),
    "item": ("punkt-id", "et"),
    "committee": ("udvalg", "et"),
    "meeting": ("møde", "et"),
    "user": ("bruger", "en"),
    "obligation": ("statusforpligtelse", "en"),
    "goal": ("mål", "et"),
    "attachment": ("bilag", "et"),
    "decision": ("beslutning", "en"),
    "agenda number": ("punktnummer", "et"),
    "link": ("kobling", "en"),
}
# What to do about an unknown record, by kind.
_UNKNOWN_HINTS = {
    "case": "opret den med 'council case new'",
    "item": "'council case show SAG' viser sagens punkter",
    "meeting": "opret det med 'council meeting new'",
    "user": "'council user list' viser brugerne",
    "obligation": "'council obligations' viser dem",
}
# How a record of each kind may be named, for a reference that names none.
_REFERENCE_FORMS = {
    "meeting": "dets nummer eller UDVALG:DATO, fx BIU:2010-02-23",
    "obligation": "dens nummer, SAG:UDVALG (2010-4130:BIU) eller dens sag (2010-4130)",
}


def kind_name(kind: str) -> str:
    """A record's kind as a person calls it (``meeting`` -> ``møde``)."""
    return KIND_NAMES.get(kind, (kind, "et"))[0]


def _shown_key(key: object) -> str:
    return f"'{key}'" if isinstance(key, str) else str(key)


class NotFoundError(CasesError):
    """The named record does not exist: ``kind`` says what was looked for, ``key`` by what.

    ``known`` lists the records of the kind that do exist (when there are few, as with
    committees); ``within`` names the record the search was limited to.
    """

    def __init__(
        self,
        kind: str,
        key: object,
        *,
        known: Sequence[str] | None = None,
        within: str | None = None,
    ) -> None:
        self.kind, self.key, self.within = kind, key, within
        self.known = tuple(known) if known is not None else None
        super().__init__(self._message())

    def _message(self) -> str:
        name = kind_name(self.kind)
        if self.within is not None:
            return f"{self.within}: ingen {name} passer på {_shown_key(self.key)}"
        line = f"ukendt {name} {_shown_key(self.key)}"
        if self.known is not None:
            return f"{line}; kendte: {', '.join(self.known) or 'ingen'}"
        hint = _UNKNOWN_HINTS.get(self.kind)
        return f"{line}; {hint}" if hint else line


class MalformedReference(NotFoundError):
    """Text that cannot name a record of ``kind`` in any of the forms it is named by."""

    def _message(self) -> str:
        forms = _REFERENCE_FORMS.get(self.kind, "dets nummer")
        name, article = KIND_NAMES.get(self.kind, (self.kind, "et"))
        return f"{_shown_key(self.key)} angiver ikke {article} {name}; angiv {forms}"


class UnknownGoal(NotFoundError):
    """The obligation line ``obligation_id`` has no result goal called ``key``; ``known``
    names the goals it has."""

    def __init__(
        self, name: str, *, obligation_id: int, case_number: str, committee_code: str,
        known: Sequence[str],
    ) -> None:  # fmt: skip
        self.obligation_id, self.case_number = obligation_id, case_number
        self.committee_code = committee_code
        super().__init__("goal", " ".join(name.split()), known=known)

    def _message(self) -> str:
        known = ", ".join(f"'{goal}'" for goal in self.known or ()) or "ingen endnu"
        return (
            f"statusforpligtelse {self.obligation_id} ({self.case_number}, "
            f"{self.committee_code}) har intet mål {_shown_key(self.key)}; dens mål: {known}"
        )


class AlreadyExistsError(CasesError):
    """A record with the same identity already exists: ``kind`` and ``key`` name it."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind, self.key = kind, key
        super().__init__(self._message())

    def _message(self) -> str:
        if self.kind == "case":
            return f"sag {self.key} findes allerede; 'council case show {self.key}' viser den"
        return f"{kind_name(self.kind)} {self.key} findes allerede"


class MeetingDateTaken(AlreadyExistsError):
    """The committee already has a meeting on that date."""

    def __init__(self, committee_code: str, on: date) -> None:
        self.committee_code, self.on = committee_code, on
        super().__init__("meeting", (committee_code, on))

    def _message(self) -> str:
        return (
            f"{self.committee_code} har allerede et møde den {self.on.strftime('%d.%m.%Y')}; "
            "vælg en anden dato"
        )


class AgendaNumberTaken(AlreadyExistsError):
    """Another item already holds ``number`` on the meeting's agenda."""

    def __init__(self, meeting_id: int, number: int) -> None:
        self.meeting_id, self.number = meeting_id, number
        super().__init__("agenda number", (meeting_id, number))

    def _message(self) -> str:
        return (
            f"møde {self.meeting_id} har allerede et punkt {self.number} på dagsordenen; "
            "vælg et andet --number"
        )


class ObligationExists(AlreadyExistsError):
    """The case already has an obligation to the committee with the same period and rules."""

    def __init__(self, case_number: str, committee_code: str, obligation_id: int) -> None:
        self.case_number, self.committee_code = case_number, committee_code
        super().__init__("obligation", obligation_id)

    def _message(self) -> str:
        return (
            f"sag {self.case_number} har allerede denne statusforpligtelse over for "
            f"{self.committee_code} (statusforpligtelse {self.key}); 'council obligations' "
            "viser den"
        )


class AlreadyLinked(AlreadyExistsError):
    """The item is already linked to the obligation."""

    def __init__(self, item_id: int, obligation_id: int) -> None:
        self.item_id, self.obligation_id = item_id, obligation_id
        super().__init__("link", (item_id, obligation_id))

    def _message(self) -> str:
        return (
            f"punkt-id {self.item_id} er allerede knyttet til statusforpligtelse "
            f"{self.obligation_id}"
        )


class GoalExists(AlreadyExistsError):
    """The obligation line already has a result goal called ``key``."""

    def __init__(
        self, name: str, *, obligation_id: int, case_number: str, committee_code: str
    ) -> None:
        self.obligation_id, self.case_number = obligation_id, case_number
        self.committee_code = committee_code
        super().__init__("goal", name)

    def _message(self) -> str:
        return (
            f"statusforpligtelse {self.obligation_id} ({self.case_number}, "
            f"{self.committee_code}) har allerede et mål {_shown_key(self.key)}; ret dets "
            "målværdi med 'council obligation goal revise'"
        )


class InvalidInputError(CasesError):
    """A value that cannot be stored as given."""


class AttachmentRefused(InvalidInputError):
    """A file that cannot be attached: ``name`` is the file as given, ``reason`` says why
    (too large, an unexpected type, not a regular file, ...) and what to do."""

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.reason = name, reason
        super().__init__(f"{name}: {reason}")


class ConflictError(CasesError):
    """An optimistic-lock conflict: the item is no longer at the version it was read at.

    ``actual_version`` is the version found, when it was read (None: not known);
    ``expected_version`` is None for a conflict on something else of the item's.
    """

    def __init__(
        self, item_id: int, expected_version: int | None, actual_version: int | None
    ) -> None:
        self.item_id = item_id
        self.expected_version, self.actual_version = expected_version, actual_version
        super().__init__(self._message())

    def _message(self) -> str:
        return (
            f"punkt-id {self.item_id} er ændret af en anden, siden du læste det; "
            f"se 'council item show {self.item_id}' og prøv igen"
        )


class WordingChanged(ConflictError):
    """A decision's wording is no longer the one it was read with."""

    def __init__(self, item_id: int, decision_id: int) -> None:
        self.decision_id = decision_id
        super().__init__(item_id, None, None)

    def _message(self) -> str:
        return (
            f"beslutning {self.decision_id} på punkt-id {self.item_id} er ændret af en "
            "anden, siden den blev læst; prøv igen"
        )


class DatabaseError(CasesError):
    """The database is missing, unreadable, unwritable or otherwise unusable."""


class AuditIntegrityError(CasesError):
    """The audit trail or the state it vouches for does not verify."""


class AuditKeyError(CasesError):
    """The Ed25519 key that signs checkpoints cannot be made, read or used as asked."""


class CheckpointLogError(CasesError):
    """The checkpoint log cannot be read or appended to, or holds a line that is no checkpoint."""


class AttachmentStoreError(CasesError):
    """The attachment store (the folder of the attachments' files) cannot be used."""


class ImportFormatError(CasesError):
    """A file that is not an agenda item in a layout the importers understand."""


class CutOffItemError(ImportFormatError):
    """A file that parses as the beginning of an agenda item but stops before its end."""
