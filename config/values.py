"""Value types the configuration files share, each checked when a file is read.

A check raises ``ValueError`` with the words the user reads after "file: entry: 'key'"
(see ``toml_files``); the type itself is strict, so ``"5"`` is not a number and ``1`` is
not ``true``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from council.config.addresses import checked_address
from council.config.errors import AddressError


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("skal være en tekst, der ikke er tom")
    return value.strip()


def _address(value: str) -> str:
    try:
        return checked_address(value)
    except AddressError as exc:
        raise ValueError(str(exc)) from exc


def _optional_address(value: str | None) -> str | None:
    """Left out or blank means none."""
    if value is None or not value.strip():
        return value
    return _address(value)


def _one_or_more(value: Any) -> Any:
    """A single string stands for a list of one (``always = "a@kk.dk"``)."""
    return [value] if isinstance(value, str) else value


NonEmptyText = Annotated[str, AfterValidator(_non_empty)]
Address = Annotated[str, AfterValidator(_address)]
OptionalAddress = Annotated[str | None, AfterValidator(_optional_address)]
AddressList = Annotated[list[Address], BeforeValidator(_one_or_more)]
TextList = Annotated[list[str], BeforeValidator(_one_or_more)]
