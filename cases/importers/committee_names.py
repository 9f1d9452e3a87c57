"""Which of the database's committees a published name means.

Sources write a body's name as its minutes do ("Sundheds- og Forebyggelsesudvalget",
"Udvalget for plan, udvikling og kultur (PUK)"); the committees table holds the names of
``config/committees.toml``. A name matches when it is the same up to case, spacing and
Unicode form, or is a committee's name followed by its code in brackets. A Copenhagen text
file names its committee in its file name (``koebenhavn_socialudvalget_...``): a slug.
Nothing is ever guessed: an unknown name is refused, naming what to add to the config.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from council.cases.importers.hardened import fail

_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_CODE_SUFFIX = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[^()]{1,16})\)$")
_ADD_IT = (
    "add it to config/committees.toml ([[committee]] with code, name and administration) "
    "and run 'council init'"
)


@dataclass(frozen=True)
class CommitteeRef:
    """A committee of the database, as the import plans with it."""

    code: str
    name: str
    administration: str


def name_key(name: str) -> str:
    """A name compared up to case, spacing and Unicode form."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def slug(name: str) -> str:
    """A name as a file name writes it: ``Socialudvalget`` -> ``socialudvalget``."""
    return re.sub(r"[^a-z0-9]+", "-", name_key(name).translate(_TRANSLITERATE)).strip("-")


class Committees:
    """The committees a published name may mean, looked up without the database."""

    def __init__(self, committees: Iterable[CommitteeRef]) -> None:
        self._all = tuple(committees)
        self._by_name = {name_key(c.name): c for c in self._all}
        self._by_code = {c.code: c for c in self._all}

    def by_code(self, code: str) -> CommitteeRef | None:
        return self._by_code.get(code)

    def find(self, name: str) -> CommitteeRef | None:
        """The committee ``name`` means, or None."""
        found = self._by_name.get(name_key(name))
        if found is not None:
            return found
        suffixed = _CODE_SUFFIX.match(name.strip())
        if suffixed is not None:
            committee = self._by_name.get(name_key(suffixed["name"]))
            if committee is not None and name_key(committee.code) == name_key(suffixed["code"]):
                return committee
        return None

    def named(self, name: str, *, source: str) -> CommitteeRef:
        """The committee ``name`` means; an unknown one is one line saying what to add."""
        found = self.find(name)
        if found is None:
            raise fail(source, f"the committee '{name}' is unknown; {_ADD_IT}")
        return found

    def by_slug(self, value: str, *, source: str) -> CommitteeRef:
        for committee in self._all:
            if slug(committee.name) == value:
                return committee
        raise fail(
            source,
            f"the committee '{value}' in the file name is unknown; {_ADD_IT}, "
            "or pass --committee CODE",
        )
