"""A user's mistake: one line that says what and how, a non-zero exit, the database as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult

from council.config.settings import CONFIG_DIR

Council = Callable[..., CliResult]
A = ("--actor", "clerk")


@pytest.fixture
def prepared(council: Council) -> Council:
    """BIU meeting 1 (held), BIU meeting 2, SUD meeting 3; item 1 drafted, item 2 before meeting 2."""
    steps = [
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-01-26", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A),
        ("meeting", "new", "--committee", "SUD", "--date", "2010-02-03", *A),
        ("meeting", "close", "1", *A),
        (
            "item",
            "draft",
            "--case",
            "2010-4130",
            "--committee",
            "BIU",
            "--title",
            "Status",
            "--kind",
            "orientering",
            *A,
        ),
        (
            "item",
            "draft",
            "--case",
            "2010-4130",
            "--committee",
            "BIU",
            "--title",
            "Bevilling",
            "--kind",
            "beslutning",
            *A,
        ),
        ("item", "present", "2", "--meeting", "2", *A),
    ]
    for step in steps:
        result = council(*step)
        assert result.code == 0, (step, result.err)
    return council


def bad_workflow(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "workflow.toml"
    text = (CONFIG_DIR / "workflow.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('dest = "udsat"', 'dest = "parkeret"'), encoding="utf-8")
    return {"COUNCIL_WORKFLOW_FILE": str(path)}


def bad_committees(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "committees.toml"
    path.write_text('[[committee]]\ncode = "BIU"\nname = "x"\n', encoding="utf-8")
    return {"COUNCIL_COMMITTEES_FILE": str(path)}


def committees_not_toml(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "committees.toml"
    path.write_text("[[committee]\n", encoding="utf-8")
    return {"COUNCIL_COMMITTEES_FILE": str(path)}


MISTAKES: list[tuple[str, tuple[str, ...], str, Callable[[Path], dict[str, str]] | None]] = [
    (
        "unknown committee for a meeting",
        ("meeting", "new", "--committee", "XYZ", "--date", "2010-03-01", *A),
        "ukendt udvalg 'XYZ'",
        None,
    ),
    (
        "unknown committee for an item",
        (
            "item",
            "draft",
            "--case",
            "2010-4130",
            "--committee",
            "KBU",
            "--title",
            "T",
            "--kind",
            "orientering",
            *A,
        ),
        "ukendt udvalg 'KBU'",
        None,
    ),
    (
        "unknown case",
        (
            "item",
            "draft",
            "--case",
            "2099-1",
            "--committee",
            "BIU",
            "--title",
            "T",
            "--kind",
            "orientering",
            *A,
        ),
        "ukendt sag '2099-1'",
        None,
    ),
    ("ukendt punkt-id", ("item", "decide", "99", "udsat", *A), "ukendt punkt-id 99", None),
    (
        "item number that is not a number",
        ("item", "show", "abc"),
        "ugyldig værdi for argumentet ITEM",
        None,
    ),
    (
        "duplicate case number",
        ("case", "new", "--number", "2010-4130", "--title", "Igen", "--owner", "SOF", *A),
        "sag 2010-4130 findes allerede",
        None,
    ),
    (
        "malformed case number",
        ("case", "new", "--number", "2010 4130", "--title", "T", "--owner", "SOF", *A),
        "sagsnummeret '2010 4130' er ugyldigt",
        None,
    ),
    (
        "taking a drafted item to note",
        ("item", "decide", "1", "taget til efterretning", *A),
        "punkt-id 1 har status kladde: det kan ikke blive taget til efterretning nu",
        None,
    ),
    (
        "taking a decision item to note",
        ("item", "decide", "2", "taget til efterretning", *A),
        "kun orienteringssager tages til efterretning",
        None,
    ),
    (
        "presenting at a held meeting",
        ("item", "present", "1", "--meeting", "1", *A),
        "er allerede holdt",
        None,
    ),
    (
        "presenting at another committee's meeting",
        ("item", "present", "1", "--meeting", "SUD:2010-02-03", *A),
        "er et andet udvalgs",
        None,
    ),
    (
        "presenting an item already before a meeting",
        ("item", "present", "2", "--meeting", "2", *A),
        "kan ikke forelægges et møde derfra",
        None,
    ),
    (
        "malformed date",
        ("meeting", "new", "--committee", "BIU", "--date", "23/2-2010", *A),
        "mødedatoen '23/2-2010' er ikke en dato",
        None,
    ),
    (
        "umulig dato",
        ("meeting", "new", "--committee", "BIU", "--date", "2010-02-30", *A),
        "findes ikke i kalenderen",
        None,
    ),
    (
        "impossible Danish date",
        ("item", "decide", "2", "godkendt", "--at", "31.11.2010", *A),
        "findes ikke i kalenderen",
        None,
    ),
    (
        "malformed time",
        ("meeting", "new", "--committee", "BIU", "--date", "2010-03-02", "--time", "25:99", *A),
        "er ikke et klokkeslæt",
        None,
    ),
    (
        "duplicate meeting",
        ("meeting", "new", "--committee", "BIU", "--date", "23.02.2010", *A),
        "BIU har allerede et møde den 23.02.2010",
        None,
    ),
    (
        "decision dated before its meeting",
        ("item", "decide", "2", "godkendt", "--at", "2010-02-01", *A),
        "ligger før mødet",
        None,
    ),
    (
        "empty case title",
        ("case", "new", "--number", "2010-1", "--title", " ", "--owner", "SOF", *A),
        "sagens titel må ikke være tom",
        None,
    ),
    (
        "empty item title",
        (
            "item",
            "draft",
            "--case",
            "2010-4130",
            "--committee",
            "BIU",
            "--title",
            "",
            "--kind",
            "orientering",
            *A,
        ),
        "punktets titel må ikke være tom",
        None,
    ),
    (
        "ukendt punkt-id kind",
        (
            "item",
            "draft",
            "--case",
            "2010-4130",
            "--committee",
            "BIU",
            "--title",
            "T",
            "--kind",
            "notat",
            *A,
        ),
        "punkttypen 'notat' er ukendt",
        None,
    ),
    (
        "missing actor",
        ("case", "new", "--number", "2010-2", "--title", "T", "--owner", "SOF"),
        "ingen aktør angivet: brug --actor NAVN eller sæt COUNCIL_ACTOR",
        None,
    ),
    (
        "unknown outcome word",
        ("item", "decide", "2", "vedtaget", *A),
        "'vedtaget' er ikke et udfald",
        None,
    ),
    (
        "stale version",
        ("item", "decide", "2", "godkendt", "--expect-version", "1", *A),
        "ændret af en anden",
        None,
    ),
    (
        "ukendt møde",
        ("meeting", "show", "BIU:2011-01-01"),
        "ukendt møde 'BIU:2011-01-01'",
        None,
    ),
    (
        "meeting reference that is no reference",
        ("meeting", "show", "next-tuesday"),
        "angiver ikke et møde",
        None,
    ),
    ("closing a meeting twice", ("meeting", "close", "1", *A), "er allerede afsluttet", None),
    (
        "closing a meeting with an undecided item",
        ("meeting", "close", "2", *A),
        "endnu ingen beslutning på punkt 1",
        None,
    ),
    ("history of an unknown case", ("history", "1999-1"), "ukendt sag '1999-1'", None),
    (
        "both --json and --csv",
        ("history", "2010-4130", "--json", "--csv"),
        "vælg højst ét af --json, --csv og --excel",
        None,
    ),
    (
        "unknown option",
        ("item", "decide", "2", "godkendt", "--when", "today", *A),
        "ukendt tilvalg --when",
        None,
    ),
    (
        "malformed workflow.toml",
        ("item", "decide", "2", "godkendt", *A),
        "ukendt tilstand 'parkeret'",
        bad_workflow,
    ),
    (
        "committees.toml without an administration",
        ("init", *A),
        "udvalg BIU: 'administration' mangler; den skal være en tekst, der ikke er tom",
        bad_committees,
    ),
    ("committees.toml that is not TOML", ("init", *A), "ikke gyldig TOML", committees_not_toml),
]


@pytest.mark.parametrize(
    ("what", "args", "message", "environment"), MISTAKES, ids=[m[0] for m in MISTAKES]
)
def test_a_mistake_is_one_clear_line_and_changes_nothing(
    prepared: Council,
    snapshot: Callable[[], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    args: tuple[str, ...],
    message: str,
    environment: Callable[[Path], dict[str, str]] | None,
) -> None:
    for key, value in (environment(tmp_path) if environment else {}).items():
        monkeypatch.setenv(key, value)
    before = snapshot()
    result = prepared(*args)
    assert result.code != 0
    assert message in result.err
    assert result.err.startswith("fejl: ")
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert snapshot() == before


@pytest.mark.parametrize(
    ("what", "url_for", "message"),
    [
        (
            "a folder that does not exist",
            lambda tmp: f"sqlite:///{tmp}/missing/council.db",
            "mappe",
        ),
        ("a path that is a folder", lambda tmp: f"sqlite:///{tmp}", "det er en mappe"),
        ("a path below a file", lambda tmp: f"sqlite:///{tmp}/file.txt/council.db", "mappe"),
    ],
)
@pytest.mark.sqlite_only
def test_init_refuses_an_unwritable_database_path(
    council: Council,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    url_for: Callable[[Path], str],
    message: str,
) -> None:
    (tmp_path / "file.txt").write_text("not a folder")
    listing = sorted(p.name for p in tmp_path.iterdir())
    monkeypatch.setenv("COUNCIL_DATABASE_URL", url_for(tmp_path))
    result = council("init", *A)
    assert result.code != 0
    assert message in result.err and result.err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense://somewhere/db", "ikke kan bruge (nonsense)"),
        ("postgresql+nodriver://host/db", "ikke kan bruge (postgresql+nodriver)"),
        ("mysql+mysqldb://host/db", "driveren til mysql+mysqldb er ikke installeret (MySQLdb)"),
    ],
)
def test_a_database_url_this_installation_cannot_use_is_one_clear_line(
    council: Council, monkeypatch: pytest.MonkeyPatch, url: str, message: str
) -> None:
    monkeypatch.setenv("COUNCIL_DATABASE_URL", url)
    result = council("history", "2010-4130")
    assert result.code != 0
    assert message in result.err and result.err.count("\n") == 1
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    "args",
    [
        ("case", "show", "2010-4130"),
        ("audit", "verify"),
        ("history", "2010-4130"),
        ("case", "new", "--number", "1-1", "--title", "T", "--owner", "O", *A),
    ],
)
def test_a_command_needing_a_database_says_to_run_init_first(
    council: Council, snapshot: Callable[[], str], db_path: Path, args: tuple[str, ...]
) -> None:
    before = snapshot()
    result = council(*args)
    assert result.code != 0
    assert "kør 'council init'" in result.err and result.err.count("\n") == 1
    assert snapshot() == before
    assert not db_path.exists()


def test_council_web_on_a_missing_database_is_one_line_and_starts_nothing(
    council: Callable[..., CliResult], tmp_path: Path
) -> None:
    result = council("web", "--db", str(tmp_path / "missing.db"))
    assert result.code == 1
    assert result.err.strip().startswith("fejl: ingen database i")
    assert "Traceback" not in result.err and "serving" not in result.out


def test_a_bare_file_path_given_to_database_names_an_sqlite_file(
    council: Council, tmp_path: Path
) -> None:
    odd = tmp_path / "møde?data#1%.db"
    created = council("--database", str(odd), "init", *A)
    assert created.code == 0, created.err
    assert odd.is_file()
    listed = council("--database", str(odd), "case", "list")
    assert listed.code == 0, listed.err
    missing = council("--database", str(tmp_path / "absent.db"), "case", "list")
    assert missing.code != 0 and "council init" in missing.err
    assert not (tmp_path / "absent.db").exists()
