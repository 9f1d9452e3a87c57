"""Import real Copenhagen items one by one and count how the import read them.

Each page listed in ``tests/data/sagsvagt/expected.toml`` (a Sagsvagt item page, trimmed) is
turned into the text layout (``tools/sagsvagt_to_text.py``), imported with ``council import
text`` into a database of its own, and its own committee's decision is compared with what a
reader of the page wrote down: the outcome, and the vote (counts per side, or "uden
afstemning").

    python tools/sagsvagt_check.py [--pages DIR] [--expected FILE]

prints one line per item and the totals: right outcome, flagged (no outcome: a clerk
decides), wrong outcome, refused, and votes captured right.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from sagsvagt_to_text import convert_page  # noqa: E402

DATA = ROOT / "tests" / "data" / "sagsvagt"


def committee_codes() -> dict[str, str]:
    with (ROOT / "config" / "committees.toml").open("rb") as handle:
        config = tomllib.load(handle)
    return {entry["name"]: entry["code"] for entry in config.get("committee", [])}


def votes_as_read(votes: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of ``history --json``'s votes a reader can check against the page."""
    if votes is None:
        return None
    if votes.get("mode") == "uden_afstemning":
        return {"mode": "uden_afstemning"}
    return {side: votes.get(side) for side in ("for", "imod", "undlod")}


def expected_votes(entry: dict[str, Any]) -> dict[str, Any] | None:
    votes = entry.get("votes")
    if votes is None or votes == "none":
        return None
    if votes == "uden_afstemning":
        return {"mode": "uden_afstemning"}
    return {side: votes.get(side) for side in ("for", "imod", "undlod")}


def check_one(page: Path, entry: dict[str, Any], council: list[str]) -> dict[str, Any]:
    item = convert_page(page.read_text(encoding="utf-8"), source=page.name)
    code = committee_codes().get(item.committee, "?")
    case = f"{code}-{item.date.isoformat()}-p{item.number}"
    with tempfile.TemporaryDirectory() as work:
        text = Path(work) / item.file_name
        text.write_text(item.text, encoding="utf-8")
        env = {**os.environ, "COUNCIL_DATABASE_URL": f"sqlite:///{work}/check.db", "COLUMNS": "200"}
        actor = ["--actor", "Sagsvagt-tjek"]

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*council, *args], check=False, env=env, capture_output=True, text=True
            )

        run("init", *actor)
        imported = run("import", "text", str(text), *actor)
        if imported.returncode != 0:
            return {"page": page.name, "verdict": "refused", "why": imported.stderr.strip()}
        rows = json.loads(run("history", case, "--json").stdout or "[]")
    own = [
        row
        for row in rows
        if row["decided_on"] == item.date.isoformat()
        and row["committee"] == code
        and (row["outcome"] is not None or row["text"] is not None)
    ]
    if not own:
        return {"page": page.name, "verdict": "refused", "why": "no decision of its own imported"}
    outcome = own[-1]["outcome"]
    if entry["outcome"] == "unstated":  # the page states no result: flagging it is right
        verdict = "flagged, rightly" if outcome is None else "wrong"
    elif outcome is None:
        verdict = "flagged"
    else:
        verdict = "right" if outcome == entry["outcome"] else "wrong"
    wanted, got = expected_votes(entry), votes_as_read(own[-1]["votes"])
    return {
        "page": page.name,
        "verdict": verdict,
        "outcome": outcome,
        "expected": entry["outcome"],
        "has_vote": wanted is not None,
        "vote_right": wanted == got,
        "votes": got,
        "expected_votes": wanted,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DATA / "pages")
    parser.add_argument("--expected", type=Path, default=DATA / "expected.toml")
    args = parser.parse_args(argv)
    with args.expected.open("rb") as handle:
        entries = tomllib.load(handle)["item"]
    council = [str(Path(sys.executable).with_name("council"))]
    totals: Counter[str] = Counter()
    for entry in entries:
        result = check_one(args.pages / entry["page"], entry, council)
        totals[result["verdict"]] += 1
        if result.get("has_vote"):
            totals["with a vote"] += 1
            totals["vote right"] += bool(result["vote_right"])
        elif result["verdict"] != "refused":
            totals["no vote, none invented"] += result["votes"] is None
        print(json.dumps(result, ensure_ascii=False))
    print(json.dumps({"items": len(entries), **totals}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
