"""``council --help`` starts quickly because it imports only typer: no database, settings,
rich or pydantic code. A behaviour guard on what is imported, not a timing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import PROJECT, environment_for

# What the help must not load: the storage stack, the settings, rich (typer's rich help) and
# pydantic (typer converting options that were not given).
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "pydantic_settings", "rich", "jinja2")

# Runs the CLI in-process, then reports which top-level packages were imported.
PROBE = """
import json, sys
from council.workflow.cli.main import main
code = main(sys.argv[1:])
sys.stdout.flush()
sys.stderr.write(json.dumps({"code": code, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def probe(tmp_path: Path, *args: str) -> tuple[int, str, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env=environment_for(tmp_path / "unused.db", COLUMNS="120"),
        timeout=60,
        check=False,
    )
    report = json.loads(result.stderr.splitlines()[-1])
    return report["code"], result.stdout, set(report["loaded"])


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("item", "--help"),
        ("item", "show", "--help"),
        ("render", "agenda", "--help"),
        ("obligation", "add", "--help"),
        ("item",),  # a group alone prints its help too
        ("--config", "kommune", "item", "show", "--help"),
        ("--database", "sqlite:///other.db", "--config=kommune", "item", "--help"),
        ("config", "--help"),
        ("config", "init", "--help"),
        ("--version",),
    ],
    ids=" ".join,
)
def test_help_imports_no_database_settings_rich_or_pydantic_code(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    code, out, loaded = probe(tmp_path, *args)
    assert code == (2 if args == ("item",) else 0)
    assert "council " in out  # "Usage: council ..." or "council 0.1.0"
    assert sorted(loaded.intersection(HEAVY)) == []


def test_the_probe_sees_a_command_that_does_import_them(tmp_path: Path) -> None:
    """The same probe on a command that reads the database finds the stack loaded."""
    code, _, loaded = probe(tmp_path, "item", "show", "1")
    assert code == 1  # no database at unused.db: the one-line error
    assert {"sqlalchemy", "sqlmodel", "pydantic_settings"} <= loaded


def test_every_command_in_councils_table_is_found_and_built() -> None:
    """The table in workflow/cli/main.py names modules as text: each entry must resolve."""
    from council.workflow.cli.main import Council

    for name, entry in Council.entries.items():
        command = entry.build(name)
        assert command.name == name
        assert command.help == entry.help
        assert command.params or getattr(command, "commands", None), name
