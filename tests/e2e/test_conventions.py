"""The conventions of a Python command-line tool: ``--version``, shell completion, and exit
codes 0 (done), 1 (refused) and 2 (usage), as the README documents them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from support import CliResult, environment_for

Council = Callable[..., CliResult]
A = ("--actor", "clerk")


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "council", *args],
        cwd=tmp_path,
        env=environment_for(tmp_path / "council.db", **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_version_prints_the_installed_version(council: Council) -> None:
    result = council("--version")
    assert result.code == 0
    assert result.out == f"council {version('council-workflow')}\n"


def test_version_wins_over_a_command_and_needs_no_database(council: Council) -> None:
    result = council("--database", "nonsense://", "--version", "item", "show", "1")
    assert (result.code, result.out) == (0, f"council {version('council-workflow')}\n")


def test_the_shell_completion_script_is_offered_for_bash(tmp_path: Path) -> None:
    result = run(tmp_path, "--show-completion", "bash")
    assert result.returncode == 0, result.stderr
    assert "_COUNCIL_COMPLETE=complete_bash" in result.stdout
    assert "complete -o default -F _council_completion council" in result.stdout


def test_the_shell_completes_commands_and_sub_commands(tmp_path: Path) -> None:
    first = run(
        tmp_path, _COUNCIL_COMPLETE="complete_bash", COMP_WORDS="council con", COMP_CWORD="1"
    )
    assert first.stdout.split() == ["config"]
    second = run(
        tmp_path,
        _COUNCIL_COMPLETE="complete_bash",
        COMP_WORDS="council config ",
        COMP_CWORD="2",
    )
    assert sorted(second.stdout.split()) == ["init", "show"]


def test_exit_codes_are_0_done_1_refused_2_usage(council: Council) -> None:
    assert council("init", *A).code == 0
    assert council("config", "show").code == 0
    refused = [
        ("item", "show", "99"),  # no such item
        ("meeting", "new", "--committee", "XYZ", "--date", "2010-01-26", *A),  # unknown committee
        ("case", "new", "--number", "2010-1", "--title", "T", "--owner", "O"),  # no --actor
    ]
    for args in refused:
        result = council(*args)
        assert (result.code, result.err.count("\n")) == (1, 1), (args, result.err)
    usage = [
        ("frobnicate",),  # no such command
        ("item", "show"),  # an argument missing
        ("item", "show", "1", "--colour", "red"),  # no such option
        ("serve", "--log-format", "xml"),  # a bad value
        ("item",),  # a group alone: its help
    ]
    for args in usage:
        assert council(*args).code == 2, args
