"""Every command group speaks Danish: each command's ``--help``, the read commands on the
demo database, a refusal from each group, and typer's own usage mistakes are searched for a
short list of English words and for code names (``lead-60``, ``overdue-1``, state codes).
A new English line anywhere in these fails here; only ``--json`` and ``--csv`` keep codes."""

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.code_names import STATE_CODES, STEP_KEY
from tests.support import environment_for

ENGLISH = re.compile(
    r"(?<![\w-])(the|not found|error|invalid|usage|options?|must|cannot|unknown|missing|"
    r"no such|did you mean|expected|should|failed|written|would|wrote|required|default|"
    r"show this message|arguments|commands|try)(?![\w-])",
    re.IGNORECASE,
)
CODE_NAMES = re.compile(rf"(?<![\w-])({STEP_KEY.pattern}|drafted)(?![\w-])")

# The read commands of every group, on the demo database.
READ_COMMANDS = (
    ("meeting", "list"),
    ("meeting", "show", "1"),
    ("case", "list"),
    ("case", "show", "2010-4130"),
    ("item", "list"),
    ("item", "show", "2"),
    ("history", "2010-4130"),
    ("audit", "verify"),
    ("status", "2010-4130"),
    ("obligations",),
    ("obligation", "goal", "list", "2010-4130"),
    ("reminders", "list"),
    ("reminders", "run", "--dry-run", "--now", "2010-01-07T08:00"),
    ("user", "list"),
    ("config", "show"),
    ("db", "check"),
    ("render", "agenda", "1"),
    ("render", "minutes", "1"),
    ("render", "history", "2010-4130"),
    ("search", "frivillige"),
)

# One refusal from each group (and typer's own usage mistakes): a Danish line on stderr.
REFUSALS = (
    ("case", "show", "1999-1"),
    ("meeting", "show", "999"),
    ("item", "show", "999"),
    ("item", "decide", "999", "udsat", "--actor", "test"),
    ("decision", "correct", "999", "--outcome", "godkendt", "--reason", "r", "--actor", "t"),
    ("history", "1999-1"),
    ("audit", "verify", "--head", "zz"),
    ("render", "item", "999"),
    ("import", "text", "/nonexistent/agenda.txt", "--actor", "test"),
    ("obligation", "link", "999", "--item", "999", "--actor", "test"),
    ("obligation", "goal", "list", "1999-1"),
    ("status", "1999-1"),
    ("reminders", "run", "--now", "not a moment"),
    ("user", "add", "x", "--role", "nobody", "--actor", "test"),
    ("db", "backup", "/nonexistent/folder/backup.db"),
    ("config", "init", "{db}"),
    ("calendar", "meetings", "--committee", "XYZ"),
    ("search",),
    ("web", "--port", "abc"),
    ("demo", "--db", "{dir}"),
    ("item", "--foo"),
    ("itm",),
    ("item", "show"),
    ("item", "show", "abc"),
    ("item", "show", "2", "3"),
    ("history", "2010-4130", "--json", "--csv"),
)


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = environment_for(db, COLUMNS="100")
    return subprocess.run(
        [sys.executable, "-m", "council", *(_placed(arg, db) for arg in args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def _placed(arg: str, db: Path) -> str:
    return arg.replace("{db}", str(db)).replace("{dir}", str(db.parent))


def _english_in(text: str, db: Path) -> list[str]:
    """The deny-listed words and code names in ``text``, paths of this test left out."""
    text = text.replace(str(db.parent), "")
    found = ENGLISH.findall(text) + CODE_NAMES.findall(text)
    return found + [code for code in STATE_CODES if code in text]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("everywhere") / "demo.db"
    made = _run(db, "demo", "--db", str(db))
    assert made.returncode == 0, made.stderr
    return db


def _every_command() -> list[tuple[str, ...]]:
    """``()`` for council itself, each group, and each command of each group."""
    from council.workflow.cli.main import Council

    paths: list[tuple[str, ...]] = [()]
    for name, entry in Council.entries.items():
        paths.append((name,))
        paths.extend(_commands_of(entry.build(name), (name,)))
    return paths


def _commands_of(group: object, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in getattr(group, "commands", {}).items():
        found.append((*path, name))
        found.extend(_commands_of(command, (*path, name)))
    return found


def test_every_help_is_danish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` of council, of every group and of every command, run in this process."""
    from council.workflow.cli.main import main

    paths = _every_command()
    assert len(paths) > 60
    for path in paths:
        assert main([*path, "--help"]) == 0, path
        shown = capsys.readouterr().out
        assert shown.startswith("Brug: council"), (path, shown[:80])
        assert "Tilvalg:" in shown, path
        assert not _english_in(shown, tmp_path), (path, _english_in(shown, tmp_path), shown)


@pytest.fixture
def run_on_demo(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """``council ARGS`` in this process on the demo database: code, stdout, stderr."""
    from council.workflow.cli.main import main

    monkeypatch.setenv("COUNCIL_DATABASE_URL", f"sqlite:///{demo_db}")
    monkeypatch.delenv("COUNCIL_ACTOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([_placed(arg, demo_db) for arg in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_the_read_commands_of_every_group_are_danish(
    run_on_demo: Callable[..., tuple[int, str, str]], demo_db: Path
) -> None:
    for args in READ_COMMANDS:
        code, out, err = run_on_demo(*args)
        assert code == 0, (args, err)
        assert out.strip(), args
        said = out + err
        assert not _english_in(said, demo_db), (args, _english_in(said, demo_db), said)


def test_a_refusal_from_every_group_is_one_danish_line(
    run_on_demo: Callable[..., tuple[int, str, str]], demo_db: Path
) -> None:
    for args in REFUSALS:
        code, out, err = run_on_demo(*args)
        assert code in (1, 2), (args, code, out, err)
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("fejl: "), (args, err)
        assert not _english_in(lines[0], demo_db), (args, _english_in(lines[0], demo_db), err)


def test_the_deny_list_finds_an_english_line() -> None:
    """The words the tests look for are found in lines like the ones they replaced."""
    for line in (
        "Usage: council item show [OPTIONS] ITEM",
        "fejl: No such option: --foo",
        "sweep at 01.01.2099: 4 reminder(s) written, 1 sent, 0 failed",
        "[service]: unknown key 'intervall_minutes'; did you mean 'interval_minutes'?",
        "SUD 2009 lead-60: Påmindelse",
    ):
        assert ENGLISH.search(line) or CODE_NAMES.search(line), line
