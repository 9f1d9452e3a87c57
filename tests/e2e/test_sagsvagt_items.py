"""Real Copenhagen items (Sagsvagt's pages, tests/data/sagsvagt/pages) imported one by one
through ``council import text``: each item's own committee decides as the page says, with
the vote the page counts. The expectations (tests/data/sagsvagt/expected.toml) were written
from reading the pages, not from the importer's output."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "Anne Jensen, sekretariatet")
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "sagsvagt"
ENTRIES = [e for e in tomllib.loads((DATA / "expected.toml").read_text("utf-8"))["item"]]
FIXTURES = [e for e in ENTRIES if e.get("fixture")]
CODES = {
    entry["name"]: entry["code"]
    for entry in tomllib.loads((ROOT / "config" / "committees.toml").read_text("utf-8"))[
        "committee"
    ]
}


def converted(tmp: Path) -> dict[str, Path]:
    """Every fixture page as its text file, by page name."""
    pages = [DATA / "pages" / entry["page"] for entry in FIXTURES]
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "sagsvagt_to_text.py"),
            *map(str, pages),
            "--out",
            str(tmp),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return {page.name: tmp / name for page, name in zip(pages, result.stdout.split(), strict=True)}


def own_decision(council: Council, text_file: Path) -> dict[str, Any]:
    _, slug, day, number = text_file.stem.split("_")
    committee = next(code for name, code in CODES.items() if _slug(name) == slug)
    case = f"{committee}-{day}-p{int(number.removeprefix('punkt'))}"
    shown = council("history", case, "--json")
    assert shown.code == 0, shown.err
    rows = [
        row
        for row in json.loads(shown.out)
        if row["committee"] == committee
        and row["decided_on"] == day
        and (row["outcome"] is not None or row["text"] is not None)
    ]
    assert rows, f"{text_file.name}: no decision of its own committee"
    return rows[-1]


def _slug(name: str) -> str:
    from council.cases.importers.committee_names import slug

    return slug(name)


def expected_votes(entry: dict[str, Any]) -> dict[str, Any] | None:
    votes = entry["votes"]
    if votes == "none":
        return None
    if votes == "uden_afstemning":
        return {"mode": "uden_afstemning"}
    return {side: votes.get(side) for side in ("for", "imod", "undlod")}


def votes_as_read(votes: dict[str, Any] | None) -> dict[str, Any] | None:
    if votes is None:
        return None
    if votes["mode"] == "uden_afstemning":
        return {"mode": "uden_afstemning"}
    return {side: votes[side] for side in ("for", "imod", "undlod")}


@pytest.mark.slow
def test_each_real_item_imports_with_the_outcome_and_vote_its_page_states(
    council: Council, tmp_path: Path
) -> None:
    assert council("init", *A).code == 0
    files = converted(tmp_path)
    found: dict[str, tuple[str | None, dict[str, Any] | None]] = {}
    for entry in FIXTURES:
        text_file = files[entry["page"]]
        imported = council("import", "text", str(text_file), *A)
        assert imported.code == 0, f"{text_file.name}: {imported.err}"
        decision = own_decision(council, text_file)
        found[entry["page"]] = (decision["outcome"], votes_as_read(decision["votes"]))
    wanted = {
        entry["page"]: (
            None if entry["outcome"] == "unstated" else entry["outcome"],
            expected_votes(entry),
        )
        for entry in FIXTURES
    }
    assert found == wanted
    assert council("audit", "verify").code == 0


def test_at_most_thirty_pages_are_fixtures_and_every_one_names_its_source() -> None:
    assert 1 <= len(FIXTURES) <= 30
    sources = (DATA / "SOURCES.md").read_text("utf-8")
    for entry in FIXTURES:
        assert entry["page"] in sources
