"""Mistakes that would destroy what a command did not make, and values no record can hold.

Each is refused with one line on stderr and a non-zero exit, and leaves the database and
every file as they were: ``council demo`` replaces only a demo database and Maildir it made
itself, ``render -o`` only a regular file that is no database. Ids and numbers above what a
column holds, dates outside 1900–2200 (a moment to sweep or look at, before 1900: how late a
sweep may run is the reminder service's rule), config files that are not UTF-8, actor names
a reader could not see, and damaged or foreign database files are each one clear line.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import CliResult, environment_for

from council.cases.sqlite_files import application_id, create_marked
from council.config.settings import CONFIG_DIR
from council.workflow.demo_files import DEMO_MARK

Council = Callable[..., CliResult]
A = ("--actor", "clerk")
HUGE = "99999999999999999999"  # above 2**63


def refused(result: CliResult, message: str) -> None:
    """Exit non-zero, one line on stderr naming ``message``, no traceback."""
    assert result.code != 0, result.out
    assert "Traceback" not in result.err
    assert result.err.startswith("fejl: "), result.err
    assert result.err.count("\n") == 1, result.err
    assert message in result.err, result.err


def tree(folder: Path) -> dict[str, str]:
    """Every entry below ``folder``: its kind and, for a file, a hash of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[str(path)] = f"link to {os.readlink(path)}"
        elif stat.S_ISREG(mode):
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[str(path)] = stat.filemode(mode)[0]
    return found


@pytest.fixture
def ready(council: Council) -> Council:
    """Case 2010-4130, BIU meeting 1 on 23.02.2010, item 1 drafted for BIU."""
    steps = [
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A),
        ("meeting", "new", "--committee", "BIU", "--date", "2010-02-23", *A),
        (
            "item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", "Status",
            "--kind", "orientering", *A,
        ),
    ]  # fmt: skip
    for step in steps:
        result = council(*step)
        assert result.code == 0, (step, result.err)
    return council


# ------------------------------------------------------------- council demo --db PATH


def a_text_file(folder: Path) -> str:
    (folder / "notes.txt").write_text("my notes\n", encoding="utf-8")
    return str(folder / "notes.txt")


def a_folder(folder: Path) -> str:
    (folder / "work").mkdir()
    (folder / "work" / "keep.txt").write_text("keep\n", encoding="utf-8")
    return str(folder / "work")


def a_link_to_a_demo_database(folder: Path) -> str:
    create_marked(folder / "demo.db", DEMO_MARK)
    (folder / "link.db").symlink_to("demo.db")
    return str(folder / "link.db")


def a_fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe")
    return str(folder / "pipe")


def another_programs_database(folder: Path) -> str:
    connection = sqlite3.connect(folder / "places.sqlite")
    connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    connection.execute("INSERT INTO moz_places (url) VALUES ('https://kk.dk')")
    connection.commit()
    connection.close()
    return str(folder / "places.sqlite")


def a_write_ahead_log_without_its_database(folder: Path) -> str:
    (folder / "gone.db-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    return str(folder / "gone.db")


def a_maildir_of_the_users_own(folder: Path) -> str:
    for name in ("new", "cur", "tmp"):
        (folder / "mine.maildir" / name).mkdir(parents=True)
    (folder / "mine.maildir" / "new" / "1700000000.letter").write_text("Hej\n", encoding="utf-8")
    return str(folder / "mine.db")


NOT_THE_DEMOS: list[tuple[str, Callable[[Path], str], str]] = [
    ("a text file", a_text_file, "ikke en demodatabase"),
    ("a folder", a_folder, "er en mappe"),
    ("an empty name", lambda _folder: "", "--db kræver et filnavn"),
    ("a name ending in a slash", lambda folder: f"{folder}/new/", "angiver en mappe"),
    ("the current folder", lambda _folder: ".", "angiver en mappe"),
    ("a symbolic link to a demo database", a_link_to_a_demo_database, "er et symbolsk link"),
    ("a FIFO", a_fifo, "ikke en almindelig fil"),
    ("another program's SQLite database", another_programs_database, "demoen ikke har lavet"),
    ("a WAL file without its database", a_write_ahead_log_without_its_database, "-wal findes"),
    ("a Maildir the demo did not make", a_maildir_of_the_users_own, "er ikke lavet af demoen"),
    ("a folder that does not exist", lambda folder: f"{folder}/no/demo.db", "findes ikke"),
]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("what", "make", "message"), NOT_THE_DEMOS, ids=[case[0] for case in NOT_THE_DEMOS]
)
def test_the_demo_replaces_nothing_but_a_demo_database_it_made(
    council: Council,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    make: Callable[[Path], str],
    message: str,
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    monkeypatch.chdir(folder)
    target = make(folder)
    before = tree(folder)
    refused(council("demo", "--db", target), message)
    assert tree(folder) == before


@pytest.mark.sqlite_only
def test_the_demo_refuses_a_council_database_and_keeps_the_mail_beside_it(
    ready: Council, db_path: Path, snapshot: Callable[[], str]
) -> None:
    maildir = db_path.with_name("council.maildir")
    (maildir / "new").mkdir(parents=True)
    (maildir / "new" / "council.0123456789abcdef01234567").write_text("Påmindelse\n")
    before, mail = snapshot(), tree(maildir)
    refused(ready("demo", "--db", str(db_path)), "en database, demoen ikke har lavet")
    assert snapshot() == before
    assert tree(maildir) == mail


@pytest.mark.sqlite_only
def test_a_demo_replaces_an_earlier_demo_and_only_the_messages_it_wrote(
    council: Council, tmp_path: Path
) -> None:
    path, maildir = tmp_path / "demo.db", tmp_path / "demo.maildir"
    assert council("demo", "--db", str(path)).code == 0
    assert application_id(path) == DEMO_MARK
    (maildir / "new" / "1700000000.my-own-letter").write_text("Hej\n", encoding="utf-8")
    (maildir / "notes.txt").write_text("noter\n", encoding="utf-8")

    again = council("demo", "--db", str(path))

    assert again.code == 0, again.err
    assert "revisionskontrol: OK" in again.out
    assert application_id(path) == DEMO_MARK
    assert (maildir / "new" / "1700000000.my-own-letter").read_text(encoding="utf-8") == "Hej\n"
    assert (maildir / "notes.txt").exists()
    assert len([p for p in (maildir / "new").iterdir() if p.name.startswith("council.")]) == 13


def test_a_council_database_carries_no_demo_mark(ready: Council, db_path: Path) -> None:
    if db_path.exists():  # the SQLite run; on PostgreSQL there is no file
        assert application_id(db_path) != DEMO_MARK


# ------------------------------------------------------------- council render ... -o FILE


def a_symbolic_link(folder: Path) -> str:
    (folder / "real.txt").write_text("keep me\n", encoding="utf-8")
    (folder / "link.txt").symlink_to("real.txt")
    return str(folder / "link.txt")


def a_device_node(folder: Path) -> str:
    try:
        os.mknod(folder / "null", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return str(folder / "null")


def an_sqlite_journal(folder: Path) -> str:
    another_programs_database(folder)
    (folder / "places.sqlite-journal").write_bytes(bytes(512))
    return str(folder / "places.sqlite-journal")


NOT_A_DOCUMENT: list[tuple[str, Callable[[Path], str], str]] = [
    ("a symbolic link", a_symbolic_link, "er et symbolsk link"),
    ("a FIFO", a_fifo, "ikke en almindelig fil"),
    ("a device node", a_device_node, "ikke en almindelig fil"),
    ("a folder", a_folder, "er en mappe"),
    ("a new name ending in a slash", lambda folder: f"{folder}/x/", "angiver en mappe"),
    ("an empty name", lambda _folder: "", "-o kræver et filnavn"),
    ("an SQLite database", another_programs_database, "er en SQLite-database"),
    ("an SQLite journal", an_sqlite_journal, "hører til SQLite-databasen"),
]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("what", "make", "message"), NOT_A_DOCUMENT, ids=[case[0] for case in NOT_A_DOCUMENT]
)
def test_render_writes_over_nothing_but_a_regular_file(
    ready: Council,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    make: Callable[[Path], str],
    message: str,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    target = make(folder)
    before = tree(folder)
    result = ready("render", "agenda", "1", "-o", target)
    refused(result, message)
    assert result.out == ""
    assert tree(folder) == before


@pytest.mark.sqlite_only
def test_render_refuses_to_write_over_the_live_database(
    ready: Council, db_path: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    refused(ready("render", "agenda", "1", "-o", str(db_path)), "er en SQLite-database")
    assert snapshot() == before


def test_render_dash_is_standard_output(
    ready: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = ready("render", "agenda", "1", "-o", "-")
    assert result.code == 0, result.err
    assert "DAGSORDEN" in result.out
    assert not (tmp_path / "-").exists()


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_render_makes_a_new_file_with_the_users_umask(
    ready: Council, tmp_path: Path, mask: int, mode: int
) -> None:
    target = tmp_path / "dagsorden.html"
    with umask(mask):
        result = ready("render", "agenda", "1", "-o", str(target))
    assert result.code == 0, result.err
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert "<html" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_render_replaces_a_regular_file_whole_and_keeps_its_permissions(
    ready: Council, tmp_path: Path
) -> None:
    target = tmp_path / "dagsorden.txt"
    target.write_text("an older agenda\n", encoding="utf-8")
    target.chmod(0o640)
    with umask(0o022):
        result = ready("render", "agenda", "1", "-o", str(target))
    assert result.code == 0, result.err
    assert "DAGSORDEN" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# ------------------------------------------------- ids, numbers and dates no record holds

TOO_BIG: list[tuple[tuple[str, ...], str]] = [
    (("item", "show", HUGE), f"ukendt punkt-id {HUGE}"),
    (("item", "present", HUGE, "--meeting", "1", *A), f"ukendt punkt-id {HUGE}"),
    (("item", "present", "1", "--meeting", HUGE, *A), f"ukendt møde '{HUGE}'"),
    (("item", "present", "1", "--meeting", "1", "--number", HUGE, *A), "punktnummer er 1 til"),
    (("item", "decide", HUGE, "trukket", *A), f"ukendt punkt-id {HUGE}"),
    (("item", "decide", "1", "trukket", "--expect-version", HUGE, *A), "ændret af en anden"),
    (("render", "item", HUGE), f"ukendt punkt-id {HUGE}"),
    (("render", "agenda", HUGE), f"ukendt møde '{HUGE}'"),
    (("render", "minutes", HUGE), f"ukendt møde '{HUGE}'"),
    (("meeting", "show", HUGE), f"ukendt møde '{HUGE}'"),
    (("meeting", "close", HUGE, *A), f"ukendt møde '{HUGE}'"),
    (("meeting", "show", "²"), "angiver ikke et møde"),
    (("obligation", "link", HUGE, "--item", "1", *A), f"ukendt statusforpligtelse {HUGE}"),
    (("obligation", "link", "2010-4130:BIU", "--item", HUGE, *A), f"ukendt punkt-id {HUGE}"),
    (
        (
            "item", "draft", "--case", "2010-4130", "--committee", "BIU", "--title", "T",
            "--kind", "orientering", "--fulfils", HUGE, *A,
        ),
        f"ukendt statusforpligtelse {HUGE}",
    ),
    (
        (
            "obligation", "add", "--case", "2010-4130", "--committee", "BIU", "--from",
            "2008-08-01", "--to", "2010-12-31", "--escalate-every", HUGE, *A,
        ),
        "eskaleringsintervallet",
    ),
    (
        (
            "obligation", "add", "--case", "2010-4130", "--committee", "BIU", "--from",
            "2008-08-01", "--to", "2010-12-31", "--lead", HUGE, *A,
        ),
        "varslet",
    ),
]  # fmt: skip


def _name(args: tuple[str, ...]) -> str:
    return " ".join(a for a in args if a not in A).replace(HUGE, "HUGE")


@pytest.mark.parametrize(("args", "message"), TOO_BIG, ids=[_name(a) for a, _ in TOO_BIG])
def test_an_id_or_number_no_column_holds_is_one_clear_line(
    ready: Council, snapshot: Callable[[], str], args: tuple[str, ...], message: str
) -> None:
    before = snapshot()
    refused(ready(*args), message)
    assert snapshot() == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize("minutes", ["1e308", "nan", "inf", "0", "20000"])
def test_serve_refuses_an_interval_it_cannot_keep(
    ready: Council, db_path: Path, minutes: str
) -> None:
    """As a process with a time limit: an interval taken as given would sweep never (or
    crash only once the scheduler computes the next run)."""
    done = subprocess.run(
        [sys.executable, "-m", "council", "serve", "--interval", minutes],
        capture_output=True,
        text=True,
        env=environment_for(db_path),
        timeout=60,
        check=False,
    )
    refused(CliResult(done.returncode, done.stdout, done.stderr), "--interval skal være over 0")
    assert done.stdout == ""


ABSURD_DATES: list[tuple[tuple[str, ...], str]] = [
    (("meeting", "new", "--committee", "BIU", "--date", "0001-01-01", *A), "mødedatoen"),
    (("meeting", "new", "--committee", "BIU", "--date", "01.01.0001", *A), "mødedatoen"),
    (("meeting", "new", "--committee", "BIU", "--date", "01.01.1", *A), "er ikke en dato"),
    (("meeting", "new", "--committee", "BIU", "--date", "31.12.9999", *A), "mødedatoen"),
    (("meeting", "new", "--committee", "BIU", "--date", "1899-12-31", *A), "mødedatoen"),
    (("meeting", "show", "BIU:0001-01-01"), "mødedatoen"),
    (("item", "present", "1", "--meeting", "BIU:9999-12-31", *A), "mødedatoen"),
    (("reminders", "run", "--now", "0001-01-01"), "--now '0001-01-01'"),
    (("reminders", "run", "--now", "0001-01-01T00:00"), "--now '0001-01-01T00:00'"),
    (("serve", "--now", "0001-01-01"), "--now '0001-01-01'"),
    (("obligations", "--at", "0001-01-01"), "--at '0001-01-01'"),
    (
        (
            "obligation", "add", "--case", "2010-4130", "--committee", "BIU",
            "--from", "0001-01-01", "--to", "2010-12-31", *A,
        ),
        "startdatoen",
    ),
    (
        (
            "obligation", "add", "--case", "2010-4130", "--committee", "BIU",
            "--from", "2008-08-01", "--to", "9999-12-31", *A,
        ),
        "slutdatoen",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), ABSURD_DATES, ids=[_name(a) for a, _ in ABSURD_DATES])
def test_a_date_outside_1900_to_2200_or_a_moment_before_1900_is_one_clear_line(
    ready: Council, snapshot: Callable[[], str], args: tuple[str, ...], message: str
) -> None:
    before = snapshot()
    result = ready(*args)
    refused(result, message)
    assert any(says in result.err for says in ("1900–2200", "før 1900", "er ikke en dato"))
    assert snapshot() == before


def test_a_decision_dated_outside_1900_to_2200_is_one_clear_line(
    ready: Council, snapshot: Callable[[], str]
) -> None:
    assert ready("item", "present", "1", "--meeting", "1", *A).code == 0
    before = snapshot()
    refused(ready("item", "decide", "1", "udsat", "--at", "01.01.0001", *A), "1900–2200")
    assert snapshot() == before


def test_the_first_and_last_day_of_1900_to_2200_are_meeting_dates(ready: Council) -> None:
    for day in ("1900-01-01", "31.12.2200"):
        result = ready("meeting", "new", "--committee", "BIU", "--date", day, *A)
        assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("variable", "shipped", "args"),
    [
        ("COUNCIL_COMMITTEES_FILE", "committees.toml", ("init", *A)),
        ("COUNCIL_WORKFLOW_FILE", "workflow.toml", ("item", "show", "1")),
        ("COUNCIL_REMINDERS_FILE", "reminders.toml", ("obligations",)),
    ],
)
def test_a_config_file_that_is_not_utf8_is_one_line_naming_it(
    ready: Council,
    snapshot: Callable[[], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    shipped: str,
    args: tuple[str, ...],
) -> None:
    latin1 = tmp_path / f"latin1-{shipped}"
    text = (CONFIG_DIR / shipped).read_text(encoding="utf-8")
    assert any(letter in text for letter in "æøå")
    latin1.write_bytes(text.encode("latin-1", errors="replace"))
    monkeypatch.setenv(variable, str(latin1))
    before = snapshot()
    refused(ready(*args), f"{latin1}: ikke UTF-8-tekst")
    assert snapshot() == before


# --------------------------------------------------------------- who acts: the actor name

BAD_ACTORS: list[tuple[str, str, str]] = [
    ("a newline", "Anne\nJensen", "U+000A"),
    ("a terminal escape", "Anne \x1b[31mJensen", "U+001B"),
    ("a tab", "Anne\tJensen", "U+0009"),
    ("only zero-width spaces", "\u200b\u200b", "U+200B"),
    ("zero-width and white space", " \u200b \ufeff ", "U+200B"),
    ("a right-to-left override", "Anne\u202eJensen", "U+202E"),
    ("hverken bogstav eller ciffer", "---", "hverken bogstav eller ciffer"),
    ("201 characters", "A" * 201, "201 tegn langt"),
    ("100 KB", "A" * 100_000, "100000 tegn langt"),
]


@pytest.mark.parametrize(("what", "actor", "message"), BAD_ACTORS, ids=[a[0] for a in BAD_ACTORS])
def test_an_actor_name_a_reader_could_not_see_or_the_records_cannot_hold_is_refused(
    ready: Council, snapshot: Callable[[], str], what: str, actor: str, message: str
) -> None:
    before = snapshot()
    args = ("case", "new", "--number", "2010-1", "--title", "T", "--owner", "SOF")
    refused(ready(*args, "--actor", actor), message)
    assert snapshot() == before


def test_an_actor_from_the_environment_is_checked_as_well(
    ready: Council, snapshot: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCIL_ACTOR", "clerk\r\nX-Injected: yes")
    before = snapshot()
    refused(ready("meeting", "new", "--committee", "BIU", "--date", "2010-03-02"), "U+000D")
    assert snapshot() == before


def test_an_actor_of_200_characters_with_danish_letters_is_kept_whole(ready: Council) -> None:
    actor = ("Søren Ærø Å, BIU-sekretariatet " * 10)[:200].strip()
    result = ready("case", "new", "--number", "2010-2", "--title", "T", "--owner", "SOF",
                   "--actor", actor)  # fmt: skip
    assert result.code == 0, result.err


# ------------------------------------------------ damaged, foreign and non-SQLite files


def damage_a_table(path: Path, table: str) -> None:
    """Overwrite the root page of ``table`` with garbage, as a failing disk would."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]
    finally:
        connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "args", [("db", "upgrade"), ("db", "check"), ("init", *A)], ids=lambda a: " ".join(a[:2])
)
def test_a_damaged_database_is_reported_not_called_up_to_date(
    ready: Council, db_path: Path, args: tuple[str, ...]
) -> None:
    damage_a_table(db_path, "status_obligation")
    damaged = db_path.read_bytes()
    result = ready(*args)
    refused(result, f"databasen i {db_path} er beskadiget")
    assert "up to date" not in result.out and "matches" not in result.out
    assert db_path.read_bytes() == damaged


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "args",
    [("db", "upgrade"), ("db", "check"), ("init", *A), ("case", "show", "2010-4130")],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_file_that_is_not_sqlite_is_named_as_such(
    council: Council, db_path: Path, args: tuple[str, ...]
) -> None:
    db_path.write_text("Referat fra mødet\n" * 100, encoding="utf-8")
    result = council(*args)
    refused(result, f"{db_path} er ikke en SQLite-database")
    assert db_path.read_text(encoding="utf-8") == "Referat fra mødet\n" * 100


@pytest.mark.sqlite_only
def test_init_leaves_another_programs_sqlite_file_alone(council: Council, db_path: Path) -> None:
    another_programs_database(db_path.parent)
    (db_path.parent / "places.sqlite").rename(db_path)
    before = db_path.read_bytes()
    refused(council("init", *A), "indeholder et andet programs tabeller (moz_places)")
    assert db_path.read_bytes() == before


# ------------------------------------------------------------- a read-only file system


def _can_mount_read_only() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount --bind / /mnt && mount -o remount,ro,bind /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def run_read_only(folder: Path, *args: str) -> CliResult:
    """``python -m council ARGS`` with ``folder`` mounted read-only (a private mount)."""
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && cd "$0" && exec "$@"'
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, str(folder), sys.executable, "-m", "council", *args],
        capture_output=True,
        text=True,
        env=environment_for(folder / "council.db", COUNCIL_ACTOR="clerk"),
        timeout=120,
        check=False,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


READ_ONLY = pytest.mark.skipif(
    not _can_mount_read_only(), reason="needs root and unshare to mount a folder read-only"
)


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    subprocess.run(
        [sys.executable, "-m", "council", "demo", "--db", str(folder / "demo.db")],
        capture_output=True,
        env=environment_for(folder / "unused.db"),
        timeout=120,
        check=True,
    )
    return folder / "demo.db"


@READ_ONLY
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("init",), "skrivebeskyttet filsystem"),
        (("demo", "--db", "demo.db"), "skrivebeskyttet"),
        (("demo", "--db", "new.db"), "skrivebeskyttet"),
        (("render", "agenda", "1", "-o", "dagsorden.txt"), "council.db"),
        (("case", "new", "--number", "1-1", "--title", "T", "--owner", "O"), "council.db"),
    ],
    ids=["init", "demo over its database", "demo on a new file", "render -o", "case new"],
)
def test_a_read_only_file_system_is_one_clear_line(
    demo_database: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(demo_database, folder / "demo.db")
    shutil.copy(demo_database, folder / "council.db")
    before = tree(folder)
    result = run_read_only(folder, *args)
    refused(result, message)
    assert tree(folder) == before


@pytest.mark.sqlite_only
def test_a_backup_never_writes_through_a_dangling_symbolic_link(
    ready: Council, tmp_path: Path
) -> None:
    precious = tmp_path / "elsewhere" / "precious.db"
    precious.parent.mkdir()
    link = tmp_path / "backup.db"
    link.symlink_to(precious)
    refused(ready("db", "backup", str(link)), "findes allerede")
    assert not precious.exists()
    assert link.is_symlink()


@pytest.mark.sqlite_only
def test_the_demo_and_the_web_read_a_database_whose_name_holds_url_characters(
    council: Council, tmp_path: Path
) -> None:
    from council.cases.db import sqlite_path, sqlite_url

    odd = tmp_path / "kommune?mode=ro#1%.db"
    assert sqlite_path(sqlite_url(odd)) == odd
    result = council("demo", "--db", str(odd))
    assert result.code == 0, result.err
    assert odd.is_file()
    assert not (tmp_path / "kommune").exists()
