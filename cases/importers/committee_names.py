"""Which of the database's committees a published name means.

Sources write a body's name as its minutes do ("Sundheds- og Forebyggelsesudvalget",
"Udvalget for plan, udvikling og kultur (PUK)"); the committees table holds the names of
``config/committees.toml``. A name matches when it is the same up to case, spacing and
Unicode form, or is a committee's name followed by its code in brackets. A committee's
earlier names (``earlier_names`` in committees.toml: "Beskæftigelses- og
Integrationsudvalget" for today's "Beskæftigelses-, Integrations- og Erhvervsudvalget")
match it too, and so does a name that lists the same words with the commas and "og" of an
enumeration placed otherwise ("Beskæftigelses- og Integrations- og Erhvervsudvalget"), when
no other committee's name does. A Copenhagen text file names its committee in its file name
(``koebenhavn_socialudvalget_...``): a slug. Nothing is ever guessed: an unknown name is
refused, naming what to add to the config.
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
    "tilføj det i config/committees.toml ([[committee]] med code, name og administration), "
    "og kør 'council init'"
)


@dataclass(frozen=True)
class CommitteeRef:
    """A committee of the database, as the import plans with it."""

    code: str
    name: str
    administration: str
    aliases: tuple[str, ...] = ()  # the earlier names it is also known by


def name_key(name: str) -> str:
    """A name compared up to case, spacing and Unicode form."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def enumeration_key(name: str) -> str:
    """A name compared up to the commas and "og" of its enumeration as well."""
    return " ".join(word for word in name_key(name).replace(",", " ").split() if word != "og")


def slug(name: str) -> str:
    """A name as a file name writes it: ``Socialudvalget`` -> ``socialudvalget``."""
    return re.sub(r"[^a-z0-9]+", "-", name_key(name).translate(_TRANSLITERATE)).strip("-")


class Committees:
    """The committees a published name may mean, looked up without the database."""

    def __init__(self, committees: Iterable[CommitteeRef]) -> None:
        self._all = tuple(committees)
        self._by_name = {name_key(n): c for c in self._all for n in (*c.aliases, c.name)}
        self._by_code = {c.code: c for c in self._all}
        loose: dict[str, list[CommitteeRef]] = {}
        for committee in self._all:
            for name in {enumeration_key(n) for n in (committee.name, *committee.aliases)}:
                loose.setdefault(name, []).append(committee)
        self._by_enumeration = {key: found[0] for key, found in loose.items() if len(found) == 1}

    def by_code(self, code: str) -> CommitteeRef | None:
        return self._by_code.get(code)

    def find(self, name: str) -> CommitteeRef | None:
        """The committee ``name`` means, or None."""
        found = self._by_name.get(name_key(name)) or self._by_enumeration.get(enumeration_key(name))
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
            raise fail(source, f"udvalget '{name}' er ukendt; {_ADD_IT}")
        return found

    def by_slug(self, value: str, *, source: str) -> CommitteeRef:
        for committee in self._all:
            if value in {slug(name) for name in (committee.name, *committee.aliases)}:
                return committee
        raise fail(
            source,
            f"udvalget '{value}' i filnavnet er ukendt; {_ADD_IT}, eller angiv --committee KODE",
        )
