"""The committees a municipality lists in ``committees.toml``, and who decides what.

Besides each committee's code, name, administration and secretariat address, the file says:

* ``members``: its number of seats (a vote cannot count more);
* ``recommends_to``: where its recommendations go (the next body of its route, by code),
  e.g. a specialist committee → ``ØU`` → ``BR``;
* ``earlier_names``: the names it had before, each with the last day it had it, so
  published minutes that use them are read as this committee and documents of those days
  name it as it was then;
* ``[[matter]]`` tables: which body decides which kind of matter. An item drafted with
  ``--matter KIND`` is that body's to decide; without it, its own committee's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pydantic import Field

from council.config.errors import ConfigError
from council.config.toml_files import TableModel, read_model
from council.config.values import NonEmptyText, OptionalAddress


@dataclass(frozen=True)
class EarlierName:
    name: str
    until: dt.date


@dataclass(frozen=True)
class CommitteeConfig:
    code: str
    name: str
    administration: str
    secretariat_email: str | None = None
    members: int | None = None
    recommends_to: str | None = None
    earlier_names: tuple[EarlierName, ...] = ()


@dataclass(frozen=True)
class MatterConfig:
    """A kind of matter and the body (its code) that decides it."""

    kind: str
    name: str
    decided_by: str


class EarlierNameEntry(TableModel):
    """One of ``earlier_names``: ``{ name = "...", until = 2025-12-31 }``."""

    name: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    until: dt.date = Field(description="skal være en dato, fx 2025-12-31 (uden anførselstegn)")


class CommitteeEntry(TableModel):
    """One ``[[committee]]``."""

    entry_word: ClassVar[str | None] = "udvalg"
    named_by: ClassVar[str | None] = "code"

    code: NonEmptyText = Field(description='skal være en tekst, der ikke er tom, fx "BIU"')
    name: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    administration: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    secretariat_email: OptionalAddress = Field(
        None, description="skal være en e-mailadresse som sekretariat@kk.dk"
    )
    members: int | None = Field(
        None, ge=1, le=1000, description="skal være antallet af pladser, fx 11"
    )
    recommends_to: NonEmptyText | None = Field(
        None, description='skal være koden for et andet udvalg, fx "ØU"'
    )
    earlier_names: list[EarlierNameEntry] = Field(
        default_factory=list,
        description='skal være en liste som [{ name = "...", until = 2025-12-31 }]',
    )


class MatterEntry(TableModel):
    """One ``[[matter]]``."""

    entry_word: ClassVar[str | None] = "sagsområde"
    named_by: ClassVar[str | None] = "kind"

    kind: NonEmptyText = Field(description='skal være en tekst, der ikke er tom, fx "lokalplan"')
    name: NonEmptyText = Field(description="skal være en tekst, der ikke er tom")
    decided_by: NonEmptyText = Field(description='skal være en udvalgskode, fx "BR"')


class CommitteesFile(TableModel):
    committee: list[CommitteeEntry] = Field(
        default_factory=list, description="skal være [[committee]]-tabeller (med dobbelte klammer)"
    )
    matter: list[MatterEntry] = Field(
        default_factory=list, description="skal være [[matter]]-tabeller (med dobbelte klammer)"
    )


def load_committees(path: Path) -> list[CommitteeConfig]:
    """Every ``[[committee]]`` entry; duplicates, missing fields and routes to a body the
    file does not list are refused."""
    return _read(path)[0]


def load_matters(path: Path) -> list[MatterConfig]:
    """Every ``[[matter]]`` entry, each decided by a committee of the file."""
    return _read(path)[1]


def _read(path: Path) -> tuple[list[CommitteeConfig], list[MatterConfig]]:
    data = read_model(path, CommitteesFile)
    entries = data.committee
    if not entries:
        raise ConfigError(f"{path}: ingen [[committee]]-tabeller; tilføj mindst én")
    committees: list[CommitteeConfig] = []
    seen: set[str] = set()
    for entry in entries:
        code = entry.code.upper()
        if code in seen:
            raise ConfigError(f"{path}: udvalg {code}: koden står der to gange")
        seen.add(code)
        committees.append(
            CommitteeConfig(
                code=code,
                name=entry.name,
                administration=entry.administration,
                secretariat_email=entry.secretariat_email,
                members=entry.members,
                recommends_to=entry.recommends_to.upper() if entry.recommends_to else None,
                earlier_names=tuple(
                    EarlierName(e.name, e.until) for e in sorted(entry.earlier_names, key=_until)
                ),
            )
        )
    for committee in committees:
        target = committee.recommends_to
        if target is not None and (target not in seen or target == committee.code):
            raise ConfigError(
                f"{path}: udvalg {committee.code}: 'recommends_to' '{target}' er ikke "
                f"et andet udvalg i filen; brug et af {', '.join(sorted(seen))}"
            )
    matters: list[MatterConfig] = []
    kinds: set[str] = set()
    for matter in data.matter:
        kind = matter.kind.casefold()
        if kind in kinds:
            raise ConfigError(f"{path}: sagsområde {matter.kind}: området står der to gange")
        kinds.add(kind)
        decided_by = matter.decided_by.upper()
        if decided_by not in seen:
            raise ConfigError(
                f"{path}: sagsområde {matter.kind}: 'decided_by' '{matter.decided_by}' er ikke "
                f"et udvalg i filen; brug et af {', '.join(sorted(seen))}"
            )
        matters.append(MatterConfig(kind, matter.name, decided_by))
    return committees, matters


def _until(entry: EarlierNameEntry) -> dt.date:
    return entry.until
