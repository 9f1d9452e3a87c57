"""What a person reads at the terminal: Danish words, labels instead of code names, tables
that fit the width (``COLUMNS``, else 80 in a pipe), no escape codes in a pipe."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.code_names import STATE_CODES, STEP_KEY
from tests.support import environment_for

READ_COMMANDS = (
    ("meeting", "show", "1"),
    ("meeting", "show", "2"),
    ("meeting", "list"),
    ("case", "show", "2010-4130"),
    ("item", "show", "2"),
    ("item", "list"),
    ("history", "2010-4130"),
    ("audit", "verify"),
    ("status", "2010-4130"),
)
ENGLISH = re.compile(
    r"(?<![\w-])(held|upcoming|item|drafted|meeting|overdue|decided|verified|written|case)(?![\w-])",
    re.IGNORECASE,
)
BOX = set("│┃┏┗└┡━┓┛┘┌┐")


def _run(db: Path, *args: str, **env: str) -> str:
    """``council ARGS`` in a pipe; ``COLUMNS`` only when given."""
    environment = environment_for(db, **env)
    if "COLUMNS" not in env:
        environment.pop("COLUMNS", None)
    result = subprocess.run(
        [sys.executable, "-m", "council", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("danish") / "demo.db"
    return db, _run(db, "demo", "--db", str(db), COLUMNS="80")


@pytest.fixture(scope="module")
def demo_db(demo_run: tuple[Path, str]) -> Path:
    return demo_run[0]


def test_the_demo_transcript_speaks_danish_without_step_keys(
    demo_run: tuple[Path, str],
) -> None:
    transcript = demo_run[1]
    assert "påmindelse 60 dage før fristen: «" in transcript
    assert "påmindelser sendt, pr. periode:" in transcript
    assert "revisionskontrol: OK — " in transcript
    assert not ENGLISH.findall(transcript), ENGLISH.findall(transcript)
    assert not STEP_KEY.findall(transcript), STEP_KEY.findall(transcript)
    assert not re.search(r"\b(due|lead|drafted|reminders?|obligation|goal)\b", transcript)


@pytest.fixture(scope="module")
def outputs(demo_db: Path) -> dict[str, str]:
    return {" ".join(args): _run(demo_db, *args, COLUMNS="80") for args in READ_COMMANDS}


def test_the_read_commands_speak_danish_without_code_names(outputs: dict[str, str]) -> None:
    for command, out in outputs.items():
        assert out.strip(), command
        assert not ENGLISH.findall(out), (command, ENGLISH.findall(out))
        assert not STEP_KEY.findall(out), (command, STEP_KEY.findall(out))
        for code in STATE_CODES:
            assert code not in out, (command, code)


def test_the_tables_fit_80_columns_and_keep_dates_whole(outputs: dict[str, str]) -> None:
    tables = 0
    for command, out in outputs.items():
        for line in out.splitlines():
            if BOX & set(line):
                tables += 1
                assert len(line) <= 80, (command, line)
    assert tables > 20
    history = outputs["history 2010-4130"]
    assert "02.12.2009" in history and "20.11.2009" in history  # no date cut in two
    assert "26.01.2010" in outputs["meeting list"]


def test_meeting_show_names_punkt_and_punkt_id_apart_with_the_labels(
    outputs: dict[str, str],
) -> None:
    shown = outputs["meeting show 1"]
    assert shown.splitlines()[0] == "Socialudvalget — møde 1, 02.12.2009 (afholdt)"
    assert re.search(r"Punkt +┃ Punkt-id", shown), shown
    assert re.search(r"│ 17 +│ 1 +│ 2010-4130", shown), shown
    assert "Taget til" in shown


def test_meeting_show_gives_the_meetings_time_and_place(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    _run(db, "init", COUNCIL_ACTOR="test")
    _run(db, "meeting", "new", "--committee", "BIU", "--date", "2010-02-23", "--time", "15:30",
         "--place", "Rådhuset, værelse 123", COUNCIL_ACTOR="test")  # fmt: skip
    first = _run(db, "meeting", "show", "1").splitlines()[0]
    assert first.endswith("— møde 1, 23.02.2010 kl. 15.30, Rådhuset, værelse 123 (ikke afholdt)")


def test_the_width_follows_columns_and_a_pipe_gets_80_without_escape_codes(
    demo_db: Path,
) -> None:
    piped = _run(demo_db, "item", "list")
    wide = _run(demo_db, "item", "list", COLUMNS="140")
    assert max(len(line) for line in piped.splitlines()) <= 80
    assert 80 < max(len(line) for line in wide.splitlines()) <= 140
    assert "\x1b" not in piped + _run(demo_db, "meeting", "show", "1")


def test_the_history_at_eighty_columns_is_a_block_per_act_with_every_line_within_the_width(
    demo_db: Path,
) -> None:
    out = _run(demo_db, "history", "2010-4130", COLUMNS="80")
    lines = out.splitlines()
    assert lines[0] == "Beslutningshistorik for sag 2010-4130"
    assert max(len(line) for line in lines) <= 80
    assert not BOX & set(out)
    assert "     «Indstillingen blev taget til efterretning.»" in lines
    assert any(re.fullmatch(r"#\d+ +SUD  møde 02\.12\.2009, punkt 17", line) for line in lines)
    assert any(
        re.fullmatch(r" {5}registreret \d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d af .+", line)
        for line in lines
    )
    wide = _run(demo_db, "history", "2010-4130", COLUMNS="140")
    assert BOX & set(wide)  # wide enough for the table
