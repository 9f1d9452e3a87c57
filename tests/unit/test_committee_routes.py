"""committees.toml says where a committee's recommendations go and who decides which
matter; a route or a matter naming a body the file does not list is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from council.config.committees import load_committees, load_matters
from council.config.errors import ConfigError

BASE = """
[[committee]]
code = "BR"
name = "Borgerrepræsentationen"
administration = "Økonomiforvaltningen"

[[committee]]
code = "SUD"
name = "Socialudvalget"
administration = "Socialforvaltningen"
members = 11
recommends_to = "{route}"
earlier_names = [{{ name = "Det gamle Socialudvalg", until = 2025-12-31 }}]

[[matter]]
kind = "budget"
name = "Budget"
decided_by = "{decider}"
"""


def written(tmp_path: Path, *, route: str = "BR", decider: str = "BR") -> Path:
    path = tmp_path / "committees.toml"
    path.write_text(BASE.format(route=route, decider=decider), encoding="utf-8")
    return path


def test_a_route_its_seats_earlier_names_and_matters_are_read(tmp_path: Path) -> None:
    path = written(tmp_path)
    sud = next(c for c in load_committees(path) if c.code == "SUD")
    assert (sud.members, sud.recommends_to) == (11, "BR")
    assert [e.name for e in sud.earlier_names] == ["Det gamle Socialudvalg"]
    assert [(m.kind, m.decided_by) for m in load_matters(path)] == [("budget", "BR")]


@pytest.mark.parametrize(
    ("route", "decider", "said"),
    [
        ("XYZ", "BR", "'recommends_to' 'XYZ' er ikke et andet udvalg i filen"),
        ("SUD", "BR", "'recommends_to' 'SUD' er ikke et andet udvalg i filen"),
        ("BR", "XYZ", "'decided_by' 'XYZ' er ikke et udvalg i filen"),
    ],
)
def test_a_route_or_matter_to_an_unknown_body_is_refused_by_name(
    tmp_path: Path, route: str, decider: str, said: str
) -> None:
    with pytest.raises(ConfigError, match=said):
        load_committees(written(tmp_path, route=route, decider=decider))


def test_the_shipped_file_routes_every_specialist_committee_through_ou_to_br() -> None:
    shipped = Path(__file__).resolve().parents[2] / "config" / "committees.toml"
    routes = {c.code: c.recommends_to for c in load_committees(shipped)}
    assert routes["ØU"] == "BR" and routes["BR"] is None
    assert all(routes[code] == "ØU" for code in routes if code not in {"ØU", "BR"})
