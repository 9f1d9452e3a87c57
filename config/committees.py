"""The committees a municipality lists in ``committees.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pydantic import Field

from council.config.errors import ConfigError
from council.config.toml_files import TableModel, read_model
from council.config.values import NonEmptyText, OptionalAddress


@dataclass(frozen=True)
class CommitteeConfig:
    code: str
    name: str
    administration: str
    secretariat_email: str | None = None


class CommitteeEntry(TableModel):
    """One ``[[committee]]``."""

    entry_word: ClassVar[str | None] = "committee"
    named_by: ClassVar[str | None] = "code"

    code: NonEmptyText = Field(description='must be a non-empty string, e.g. "BIU"')
    name: NonEmptyText = Field(description="must be a non-empty string")
    administration: NonEmptyText = Field(description="must be a non-empty string")
    secretariat_email: OptionalAddress = Field(
        None, description="must be an e-mail address like sekretariat@kk.dk"
    )


class CommitteesFile(TableModel):
    committee: list[CommitteeEntry] = Field(
        default_factory=list, description="must be [[committee]] tables (with double brackets)"
    )


def load_committees(path: Path) -> list[CommitteeConfig]:
    """Every ``[[committee]]`` entry; duplicates and missing fields are refused."""
    entries = read_model(path, CommitteesFile).committee
    if not entries:
        raise ConfigError(f"{path}: no [[committee]] entries; add at least one")
    committees: list[CommitteeConfig] = []
    seen: set[str] = set()
    for entry in entries:
        code = entry.code.upper()
        if code in seen:
            raise ConfigError(f"{path}: committee {code}: the code is listed twice")
        seen.add(code)
        committees.append(
            CommitteeConfig(
                code=code,
                name=entry.name,
                administration=entry.administration,
                secretariat_email=entry.secretariat_email,
            )
        )
    return committees
