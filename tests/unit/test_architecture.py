"""The layers of DESIGN.md run one way: config <- cases <- notifications <- workflow."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support import PROJECT

PACKAGES = ("config", "cases", "notifications", "workflow")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(command), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_import_contract_holds_for_the_project() -> None:
    result = lint_imports(PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def copy_of_the_project(root: Path) -> Path:
    """The four packages and pyproject.toml under ``root``, for changing them in a test."""
    (root / "council").mkdir()
    shutil.copy(PROJECT / "council" / "__init__.py", root / "council" / "__init__.py")
    for package in PACKAGES:
        shutil.copytree(
            PROJECT / package,
            root / "council" / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "migrations"),
        )
    shutil.copy(PROJECT / "pyproject.toml", root / "pyproject.toml")
    return root / "council"


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path: Path) -> None:
    council = copy_of_the_project(tmp_path)
    (council / "cases" / "shortcut.py").write_text("import council.workflow.services\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "council.cases.shortcut -> council.workflow.services" in result.stdout


def test_sql_in_workflow_breaks_the_contract(tmp_path: Path) -> None:
    """workflow reaches the records only through the stores in cases: importing SQLAlchemy
    or SQLModel there (a query written in an act or a read model) is refused."""
    council = copy_of_the_project(tmp_path)
    (council / "workflow" / "quick_query.py").write_text(
        "from sqlalchemy import select\nfrom sqlmodel import col\n"
    )
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "council.workflow.quick_query -> sqlalchemy" in result.stdout
    assert "council.workflow.quick_query -> sqlmodel" in result.stdout


def test_no_module_imports_the_folders_by_their_bare_names() -> None:
    """Installed, the folders exist only as council.config, council.cases, ...; a bare
    ``import cases`` works in a checkout by accident and fails in every installation."""
    bare = re.compile(rf"^\s*(from|import)\s+({'|'.join(PACKAGES)})\b", re.MULTILINE)
    offenders = [
        f"{path.relative_to(PROJECT)}: {match.group(0).strip()}"
        for folder in (*PACKAGES, "tests", "bench", "council")
        for path in (PROJECT / folder).rglob("*.py")
        for match in bare.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
