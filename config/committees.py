"""The committees a municipality ships in ``config/committees.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from council.config.addresses import checked_address
from council.config.errors import AddressError, ConfigError
from council.config.toml_files import optional_str, read_toml, require_str


@dataclass(frozen=True)
class CommitteeConfig:
    code: str
    name: str
    administration: str
    secretariat_email: str | None = None


def load_committees(path: Path) -> list[CommitteeConfig]:
    """Every ``[[committee]]`` entry; duplicates and missing fields are refused."""
    data = read_toml(path)
    entries = data.get("committee")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: no [[committee]] entries; add at least one")
    committees: list[CommitteeConfig] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"{path}: committee #{index}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: must be a table")
        code = require_str(entry, "code", where=where).upper()
        where = f"{path}: committee {code}"
        if code in seen:
            raise ConfigError(f"{where}: the code is listed twice")
        seen.add(code)
        committees.append(
            CommitteeConfig(
                code=code,
                name=require_str(entry, "name", where=where),
                administration=require_str(entry, "administration", where=where),
                secretariat_email=_address(entry, "secretariat_email", where=where),
            )
        )
    return committees


def _address(entry: dict[str, object], key: str, *, where: str) -> str | None:
    """An optional e-mail address entry; left out or blank means none."""
    value = optional_str(entry, key, where=where)
    if value is None or not value.strip():
        return value
    try:
        return checked_address(value)
    except AddressError as exc:
        raise ConfigError(f"{where}: '{key}' {exc}") from exc
