"""Reading the shipped TOML files with errors that name the file and the entry."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from council.config.errors import ConfigError


def read_toml(path: Path) -> dict[str, Any]:
    """Parse ``path``; a missing or malformed file is one ``ConfigError`` line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(
            f"{path}: file not found; restore it or point the setting at one"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc


def require_str(table: dict[str, Any], key: str, *, where: str) -> str:
    """A non-empty string entry, or a ``ConfigError`` naming ``where``."""
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def optional_str(table: dict[str, Any], key: str, *, where: str) -> str | None:
    """A string entry that may be left out."""
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{key}' must be a string")
    return value


def str_list(table: dict[str, Any], key: str, *, where: str) -> list[str]:
    """A string or a list of strings; absent means empty."""
    value = table.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a string or a list of strings")
    return list(value)
