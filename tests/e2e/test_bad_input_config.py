"""A flawed configuration: one line naming the file, the entry and the key (with the key it
should be), a non-zero exit, and the database exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult

from council.config.settings import CONFIG_DIR

Council = Callable[..., CliResult]
A = ("--actor", "clerk")
OBLIGATION = ("obligation", "add", "--case", "2010-4130", "--committee", "SUD",
              "--from", "2008-08-01", "--to", "2010-12-31", *A)  # fmt: skip


@pytest.fixture
def prepared(council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Council:
    """An initialised database with case 2010-4130; mail would go to the test's folder."""
    monkeypatch.setenv("COUNCIL_MAILDIR", str(tmp_path / "mail"))
    for args in (
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-01-26", *A),
        ("item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", "Status",
         "--kind", "orientering", *A),
        ("item", "present", "1", "--meeting", "1", *A),
    ):  # fmt: skip
        result = council(*args)
        assert result.code == 0, (args, result.err)
    return council


def shipped_with(folder: Path, name: str, old: str, new: str) -> Path:
    text = (CONFIG_DIR / name).read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {name}: {old!r}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


Setup = Callable[[Path], dict[str, str]]


def file_setting(setting: str, name: str, old: str, new: str) -> Setup:
    return lambda tmp: {setting: str(shipped_with(tmp / "own", name, old, new))}


def config_folder(name: str, old: str, new: str) -> Setup:
    return lambda tmp: {
        "COUNCIL_CONFIG_DIR": str(shipped_with(tmp / "kommune", name, old, new).parent)
    }


def not_utf8(tmp: Path) -> dict[str, str]:
    path = tmp / "committees.toml"
    path.write_bytes('[[committee]]\ncode = "ØU"\n'.encode("latin-1"))
    return {"COUNCIL_COMMITTEES_FILE": str(path)}


MISTAKES: list[tuple[str, Setup, tuple[str, ...], str]] = [
    (
        "a misspelt key in reminders.toml, at init",
        file_setting("COUNCIL_REMINDERS_FILE", "reminders.toml", "interval_minutes =", "intervall_minutes ="),
        ("init", *A),
        "[service]: ukendt nøgle 'intervall_minutes'; mente du 'interval_minutes'?",
    ),
    (
        "a misspelt lead time key, when an obligation is added",
        file_setting("COUNCIL_REMINDERS_FILE", "reminders.toml", "lead_days =", "lead_dayz ="),
        OBLIGATION,
        "[defaults]: ukendt nøgle 'lead_dayz'; mente du 'lead_days'?",
    ),
    (
        "a number written as text, when the sweep runs",
        file_setting("COUNCIL_REMINDERS_FILE", "reminders.toml", "retry_max_minutes = 60", 'retry_max_minutes = "60"'),
        ("reminders", "run"),
        "[delivery]: 'retry_max_minutes' skal være et tal over 0, fx 60",
    ),
    (
        "a misspelt secretariat key in committees.toml",
        file_setting("COUNCIL_COMMITTEES_FILE", "committees.toml", "secretariat_email = \"sekretariat.biu", "secretariat_mail = \"sekretariat.biu"),
        ("init", *A),
        "udvalg BIU: ukendt nøgle 'secretariat_mail'; mente du 'secretariat_email'?",
    ),
    (
        "a secretariat that is not an address",
        file_setting("COUNCIL_COMMITTEES_FILE", "committees.toml", '"sekretariat.biu@kk.example"', '"ikke en adresse"'),
        ("init", *A),
        "udvalg BIU: 'secretariat_email' 'ikke en adresse' er ikke en e-mailadresse",
    ),
    (
        "a misspelt key in the workflow, when an item is decided",
        file_setting("COUNCIL_WORKFLOW_FILE", "workflow.toml", 'dest = "udsat"', 'destination = "udsat"'),
        ("item", "decide", "1", "udsat", *A),
        "[[transition]] postpone: ukendt nøgle 'destination'; mente du 'dest'?",
    ),
    (
        "a misspelt key in the decision phrases, at init",
        file_setting("COUNCIL_DECISION_PHRASES_FILE", "decision_phrases.toml", "leading_sentences =", "leading_sentense ="),
        ("init", *A),
        "[matching]: ukendt nøgle 'leading_sentense'; mente du 'leading_sentences'?",
    ),
    (
        "a phrase for an outcome the workflow does not have",
        file_setting("COUNCIL_DECISION_PHRASES_FILE", "decision_phrases.toml", "[outcome.udsat]", "[outcome.udsatt]"),
        ("init", *A),
        "[outcome.udsatt]: 'udsatt' is not a workflow state; mente du 'udsat'?",
    ),
    (
        "a flawed file in the config folder",
        config_folder("committees.toml", 'name = "Socialudvalget"', 'name = ""'),
        ("init", *A),
        "udvalg SUD: 'name' skal være en tekst, der ikke er tom",
    ),
    (
        "a config folder that does not exist",
        lambda tmp: {"COUNCIL_CONFIG_DIR": str(tmp / "komune")},
        ("init", *A),
        "komune: mappen findes ikke; opret en med 'council config init ",
    ),
    (
        "a config folder that is a file",
        lambda tmp: {"COUNCIL_CONFIG_DIR": str(shipped_with(tmp, "reminders.toml", "", ""))},
        ("case", "show", "2010-4130"),
        "reminders.toml: mappen findes ikke",
    ),
    (
        "a config file that is a folder",
        lambda tmp: {"COUNCIL_COMMITTEES_FILE": str(tmp)},
        ("init", *A),
        ": er en mappe, ikke en TOML-fil",
    ),
    ("a config file that is not UTF-8", not_utf8, ("init", *A), ": ikke UTF-8-tekst (byte 0xd8 ved position 22); gem filen som UTF-8"),
    (
        "an unknown log level",
        lambda tmp: {"COUNCIL_LOG_LEVEL": "loud"},
        ("init", *A),
        "indstillingen COUNCIL_LOG_LEVEL er ugyldig: 'loud' er ikke et logniveau",
    ),
    (
        "an unknown log format",
        lambda tmp: {"COUNCIL_LOG_FORMAT": "xml"},
        ("init", *A),
        "indstillingen COUNCIL_LOG_FORMAT er ugyldig",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("what", "setup", "args", "says"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_flawed_configuration_is_one_line_and_changes_nothing(
    prepared: Council,
    snapshot: Callable[[], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    setup: Setup,
    args: tuple[str, ...],
    says: str,
) -> None:
    for name, value in setup(tmp_path).items():
        monkeypatch.setenv(name, value)
    before = snapshot()
    result = prepared(*args)
    assert result.code == 1, result
    assert result.err.startswith("fejl: ") and result.err.count("\n") == 1, result.err
    assert says in result.err
    assert result.out == ""
    assert snapshot() == before


def test_a_config_folder_given_on_the_command_line_that_does_not_exist_is_refused(
    prepared: Council, snapshot: Callable[[], str], tmp_path: Path
) -> None:
    before = snapshot()
    result = prepared("--config", str(tmp_path / "komune"), "init", *A)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"fejl: --config {tmp_path / 'komune'}: mappen findes ikke; opret en med "
        f"'council config init {tmp_path / 'komune'}'\n"
    )
    assert snapshot() == before


def test_config_init_into_a_file_is_refused(prepared: Council, tmp_path: Path) -> None:
    target = tmp_path / "kommune"
    target.write_text("a file\n", encoding="utf-8")
    result = prepared("config", "init", str(target))
    assert (result.code, result.err) == (
        1,
        f"fejl: {target}: er en fil, ikke en mappe; vælg en anden\n",
    )
    assert target.read_text(encoding="utf-8") == "a file\n"
