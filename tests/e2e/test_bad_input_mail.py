"""Hostile input to the reminder service: addresses that would forge a mail header, mail
settings out of range, a sweep clock in the future or at the end of time. Each is one
line, a non-zero exit and no change; a bad row already stored does not stop the others."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from mailserver import MailServer
from sqlalchemy import Connection, update
from support import PROJECT, CliResult, environment_for

from council.cases.dates import LOCAL_ZONE
from council.cases.models import Committee
from council.cases.obligations.tables import StatusObligation
from council.cases.schema import upgrade
from council.config.settings import CONFIG_DIR, load_settings
from council.workflow.app import App

Council = Callable[..., CliResult]
A = ("--actor", "clerk")
FORGED = "evil@x\r\nBcc: spy@evil"  # an address that would add a header of its own
SEED = ("--case", "2010-4130", "--from", "2008-08-01", "--to", "2010-12-31")


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


def refused(result: CliResult, says: str) -> None:
    assert result.code != 0
    assert result.err.startswith("fejl: "), result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert says in result.err, result.err
    assert "Traceback" not in result.err


@pytest.fixture
def seeded(council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Council:
    """Case 2010-4130 with the seed obligation to SUD and BIU; mail goes to a Maildir."""
    monkeypatch.setenv("COUNCIL_MAILDIR", str(tmp_path / "mail"))
    ok(council("init", *A))
    ok(council("case", "new", "--number", "2010-4130", "--title", "Partnerskabsaftale",
               "--owner", "Socialforvaltningen", *A))  # fmt: skip
    ok(council("obligation", "add", *SEED, "--committee", "SUD", "--committee", "BIU", *A))
    return council


@contextmanager
def stored(database_url: str) -> Iterator[Connection]:
    """A transaction on the test's database, to store what an older release let in."""
    product = App(settings=load_settings(database_url=database_url))
    try:
        with product.database.engine.begin() as connection:
            yield connection
    finally:
        product.database.dispose()


def committees_with(tmp_path: Path, address: str) -> Path:
    """The shipped committees.toml with SUD's secretariat at ``address`` (a TOML string)."""
    text = (CONFIG_DIR / "committees.toml").read_text(encoding="utf-8")
    text = text.replace('"sekretariat.sud@kk.example"', address)
    path = tmp_path / "committees.toml"
    path.write_text(text, encoding="utf-8")
    return path


def reminders_with(tmp_path: Path, table: str) -> Path:
    path = tmp_path / "reminders.toml"
    path.write_text(table, encoding="utf-8")
    return path


# ------------------------------------------------------------------ addresses


@pytest.mark.parametrize(
    ("setting", "content", "says"),
    [
        ("COUNCIL_COMMITTEES_FILE", '"evil@x\\r\\nBcc: spy@evil"',
         "udvalg SUD: 'secretariat_email' 'evil@x\\r\\nBcc: spy@evil' er ikke en e-mailadresse"),
        ("COUNCIL_COMMITTEES_FILE", '"sud@kk.example, spy@evil.example"',
         "er ikke en e-mailadresse"),
        ("COUNCIL_REMINDERS_FILE", '[recipients]\nalways = ["evil@x\\r\\nBcc: spy@evil"]\n',
         "[recipients]: 'always[0]' 'evil@x\\r\\nBcc: spy@evil' er ikke en e-mailadresse"),
        ("COUNCIL_REMINDERS_FILE",
         '[recipients.administrations]\n"Socialforvaltningen" = "sof@kk.example\\nBcc: x@y.dk"\n',
         "[recipients.administrations]: 'Socialforvaltningen' 'sof@kk.example\\nBcc: x@y.dk'"),
    ],
    ids=["secretariat with CR/LF", "two secretariats", "always with CR/LF", "owner with LF"],
)  # fmt: skip
def test_init_refuses_an_address_that_would_forge_a_header_and_changes_nothing(
    council: Council,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    snapshot: Callable[[], str],
    setting: str,
    content: str,
    says: str,
) -> None:
    ok(council("init", *A))
    before = snapshot()
    if setting == "COUNCIL_COMMITTEES_FILE":
        path = committees_with(tmp_path, content)
    else:
        path = reminders_with(tmp_path, content)
    monkeypatch.setenv(setting, str(path))
    refused(council("init", *A), says)
    assert str(path) in council("init", *A).err
    assert snapshot() == before


def test_obligation_add_refuses_a_recipient_that_would_forge_a_header(
    seeded: Council, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    refused(
        seeded("obligation", "add", *SEED, "--committee", "ØU", "--recipient", FORGED, *A),
        "'evil@x\\r\\nBcc: spy@evil' er ikke en e-mailadresse",
    )
    refused(
        seeded("obligation", "add", *SEED, "--committee", "ØU", "--recipient", "a@kk.dk\nb", *A),
        "er ikke en e-mailadresse",
    )
    assert snapshot() == before


def test_obligation_add_refuses_a_forged_secretariat_stored_by_an_older_release(
    seeded: Council, database_url: str, snapshot: Callable[[], str]
) -> None:
    with stored(database_url) as connection:
        connection.execute(
            update(Committee).where(Committee.code == "ØU").values(secretariat_email=FORGED)
        )
    before = snapshot()
    refused(
        seeded("obligation", "add", *SEED, "--committee", "ØU", *A),
        "ØUs secretariat_email i databasen: 'evil@x\\r\\nBcc: spy@evil' er ikke en e-mail",
    )
    assert snapshot() == before


# ------------------------------------------------------------------ settings


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("COUNCIL_SMTP_PORT", "99999", "angiv en port fra 1 til 65535"),
        ("COUNCIL_SMTP_PORT", "0", "angiv en port fra 1 til 65535"),
        ("COUNCIL_SMTP_TIMEOUT_SECONDS", "-3", "angiv sekunder over 0"),
        ("COUNCIL_SMTP_TIMEOUT_SECONDS", "0", "angiv sekunder over 0"),
        ("COUNCIL_SMTP_TIMEOUT_SECONDS", "inf", "angiv sekunder over 0"),
        ("COUNCIL_BUSY_TIMEOUT_MS", "-1", "angiv millisekunder fra 0"),
        ("COUNCIL_BUSY_TIMEOUT_MS", "4294967296", "angiv millisekunder fra 0"),
        ("COUNCIL_SMTP_SENDER", FORGED, "'evil@x\\r\\nBcc: spy@evil' er ikke en e-mailadresse"),
        ("COUNCIL_SMTP_SENDER", "a@kk.example, b@kk.example", "er ikke en e-mailadresse"),
        ("COUNCIL_SMTP_SENDER", "påmindelser@kk.example", "bogstaver uden for ASCII"),
    ],
)
def test_a_mail_setting_out_of_range_is_one_line_naming_the_variable_and_nothing_is_sent(
    seeded: Council,
    monkeypatch: pytest.MonkeyPatch,
    snapshot: Callable[[], str],
    tmp_path: Path,
    variable: str,
    value: str,
    says: str,
) -> None:
    before = snapshot()
    monkeypatch.setenv(variable, value)
    result = seeded("reminders", "run", "--now", "2009-12-17T08:00")
    refused(result, f"indstillingen {variable} er ugyldig")
    assert says in result.err
    assert snapshot() == before
    assert not (tmp_path / "mail").exists()


def test_a_sender_with_a_display_name_is_accepted_and_its_domain_ends_the_message_ids(
    seeded: Council, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COUNCIL_SMTP_SENDER", '"Påmindelser, KK" <paamindelser@kk.example>')
    run = ok(seeded("reminders", "run", "--now", "2009-12-17T08:00")).out
    assert "2 sendt, 0 fejlet, 2 afløst" in run  # the 60 days' notices passed by the 14
    [first, *_] = sorted((tmp_path / "mail" / "new").iterdir())
    head = first.read_bytes().split(b"\n\n", 1)[0].decode("ascii")
    assert "<paamindelser@kk.example>" in head
    assert "@kk.example>\nAuto-Submitted" in head.replace("\r\n", "\n")


# ------------------------------------------------------------------ the sweep's clock


def _moment(delta: timedelta) -> str:
    return (datetime.now(LOCAL_ZONE) + delta).strftime("%Y-%m-%dT%H:%M")


def test_a_sweep_in_the_future_of_the_real_clock_is_refused_and_writes_nothing(
    seeded: Council, snapshot: Callable[[], str], tmp_path: Path
) -> None:
    before = snapshot()
    refused(
        seeded("reminders", "run", "--now", "2099-01-01T08:00"),
        "--now 01.01.2099 08:00 ligger i fremtiden",
    )
    refused(seeded("reminders", "run", "--now", _moment(timedelta(hours=1))), "--replay")
    assert snapshot() == before
    assert not (tmp_path / "mail").exists()


def test_a_sweep_a_few_minutes_ahead_of_the_clock_still_counts_as_now(seeded: Council) -> None:
    run = ok(seeded("reminders", "run", "--now", _moment(timedelta(minutes=2)))).out
    assert "0 fejlet" in run


def test_replay_allows_a_future_sweep_on_a_database_that_will_not_be_used_live(
    seeded: Council,
) -> None:
    run = ok(seeded("reminders", "run", "--now", "2099-01-01T08:00", "--replay")).out
    assert "gennemløb 01.01.2099 08:00:00" in run
    assert "0 fejlet" in run


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59", "9999-12-31T23:59-14:00", "9999-12-31", "9999-12-31T10:00+10:00"],
)
def test_a_sweep_at_the_end_of_time_is_refused_before_anything_is_written(
    seeded: Council, snapshot: Callable[[], str], tmp_path: Path, moment: str
) -> None:
    before = snapshot()
    for replay in ((), ("--replay",)):
        refused(
            seeded("reminders", "run", "--now", moment, *replay),
            "en kørsel kan ikke ligge senere end 30.12.9999 23:59",
        )
    assert snapshot() == before
    assert not (tmp_path / "mail").exists()


def test_the_last_moment_a_sweep_can_run_at_sweeps_and_lists_cleanly(seeded: Council) -> None:
    run = ok(seeded("reminders", "run", "--now", "9999-12-30T23:59", "--replay")).out
    assert "gennemløb 30.12.9999 23:59:00" in run
    assert "0 fejlet" in run
    assert "60 dage før fristen" in ok(seeded("reminders", "list")).out


def serve(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "council", "serve", *args],
        cwd=PROJECT,
        env=environment_for(db_path, COUNCIL_MAILDIR=str(db_path.parent / "mail")),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def served_database(tmp_path: Path) -> Path:
    """An initialised SQLite file for ``council serve`` in a process of its own."""
    db_path = tmp_path / "serve.db"
    app = App(settings=load_settings(database_url=f"sqlite:///{db_path}"))
    upgrade(app.database)
    app.database.dispose()
    return db_path


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--now", "2099-01-01T08:00"), "--now 01.01.2099 08:00 ligger i fremtiden"),
        (("--now", "9999-12-31T23:59", "--replay"), "en kørsel kan ikke ligge senere end"),
    ],
    ids=["future", "end of time"],
)
def test_serve_refuses_a_future_or_unreachable_clock_before_it_starts(
    served_database: Path, args: tuple[str, ...], says: str
) -> None:
    result = serve(served_database, *args)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("fejl: ")
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "reminder sweep" not in result.stdout


# ------------------------------------------------------------------ one bad row


def column(table: str, header: str) -> str:
    """The text of one column of a table ``council`` printed, its wrapped lines joined."""
    lines = table.splitlines()
    [head] = [line for line in lines if line.startswith("┃")]
    index = [cell.strip() for cell in head.split("┃")].index(header)
    cells = [line.split("│")[index] for line in lines if line.startswith("│")]
    return " ".join(" ".join(cells).split())


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


def test_a_row_that_cannot_be_sent_is_marked_failed_and_the_healthy_reminders_arrive(
    council: Council, database_url: str, monkeypatch: pytest.MonkeyPatch, mail: MailServer
) -> None:
    """An older release stored SUD's recipients with a line break (a forged Bcc header):
    its reminders fail, each with its reason, and every other reminder goes out."""
    for name, value in mail.environment().items():
        monkeypatch.setenv(name, value)
    ok(council("init", *A))
    ok(council("case", "new", "--number", "2010-4130", "--title", "Partnerskabsaftale",
               "--owner", "Socialforvaltningen", *A))  # fmt: skip
    ok(council("obligation", "add", *SEED, "--committee", "SUD", "--committee", "BIU", *A))
    with stored(database_url) as connection:
        connection.execute(
            update(StatusObligation)
            .where(StatusObligation.id == 1)
            .values(recipients=[FORGED, "sekretariat.sud@kk.example"])
        )

    run = ok(council("reminders", "run", "--now", "2009-12-17T08:00")).out
    assert "4 påmindelse(r) skrevet, 1 sendt, 1 fejlet, 2 afløst" in run
    received = mail.wait_for(1)
    assert [r.message["X-Council-Reminder"] for r in received] == ["2/2009/lead-14"]
    assert all(r.rcpt_tos == ["kontakt.sof@kk.example", "sekretariat.biu@kk.example"]
               for r in received)  # fmt: skip
    assert all(r.message["Bcc"] is None for r in received)

    failed = ok(council("reminders", "list", "--status", "failed")).out
    assert column(failed, "Trin") == "14 dage før fristen"
    assert column(failed, "Forsøg").split() == ["1"]
    reason = "fejlet: beskeden kan ikke laves: en headerværdi må ikke indeholde linjeskift"
    assert column(failed, "Status") == reason

    # on the due day SUD's failed notice is passed by the due day's, which fails in turn
    later = ok(council("reminders", "run", "--now", "2009-12-31T08:05")).out
    assert "2 påmindelse(r) skrevet, 1 sendt, 1 fejlet, 1 afløst" in later
    assert [r.message["X-Council-Reminder"] for r in mail.wait_for(2)][1] == "2/2009/due"
    assert "spy@evil" not in " ".join(r for m in mail.messages() for r in m.rcpt_tos)
