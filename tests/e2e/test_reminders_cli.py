"""Obligations and reminders through the ``council`` command, and ``council serve`` as a process."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from mailserver import MailServer
from reminding import add_obligation
from support import PROJECT, CliResult, at, environment_for

from council.config.settings import load_settings
from council.workflow import services
from council.workflow.app import App
from council.workflow.initialise import initialise

Council = Callable[..., CliResult]
A = ("--actor", "clerk")
TIMESTAMPED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (INFO|WARNING) ")


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


@pytest.fixture
def seeded(council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Council:
    """A database with case 2010-4130; mail goes to a Maildir in the test's folder."""
    monkeypatch.setenv("COUNCIL_MAILDIR", str(tmp_path / "mail"))
    ok(council("init", *A))
    ok(
        council(
            "case", "new", "--number", "2010-4130", "--title", "Partnerskabsaftale",
            "--owner", "Socialforvaltningen", *A,
        )
    )  # fmt: skip
    return council


def add_seed(council: Council) -> CliResult:
    return council(
        "obligation", "add", "--case", "2010-4130", "--committee", "SUD", "--committee", "BIU",
        "--from", "2008-08-01", "--to", "31.12.2010", "--about", "Status på resultatmål", *A,
    )  # fmt: skip


def draft(council: Council, committee: str, *extra: str) -> CliResult:
    return council(
        "item", "draft", "--case", "2010-4130", "--committee", committee,
        "--title", "Status på partnerskabsaftale", "--kind", "orientering", *extra, *A,
    )  # fmt: skip


def test_record_link_look_and_remind_from_the_command_line(seeded: Council, tmp_path: Path) -> None:
    added = ok(add_seed(seeded)).out
    assert "obligation 1: case 2010-4130, status to SUD" in added
    assert "2009 by 31.12.2009, 2010 by 31.12.2010" in added
    assert "obligation 2: case 2010-4130, status to BIU" in added
    drafted = ok(draft(seeded, "BIU", "--fulfils", "2010-4130:BIU")).out
    assert "punkt-id 1 knyttet til statusforpligtelse 2 (status til BIU)" in drafted
    ok(draft(seeded, "SUD"))
    assert (
        "item 2 linked to obligation 1"
        in ok(seeded("obligation", "link", "1", "--item", "2", *A)).out
    )

    table = ok(seeded("obligations", "--at", "2010-01-10")).out
    assert "Statusforpligtelser pr. 10. januar 2010" in table
    assert "overskredet med 10 dage" in table
    assert "Rykker 2 14.01.2010" in table
    assert "BIU" in ok(seeded("obligations", "--at", "10.01.2010", "--committee", "BIU")).out
    assert "SUD" not in ok(seeded("obligations", "--at", "2010-01-10", "--committee", "BIU")).out
    assert (
        "ingen statusforpligtelser at vise"
        in ok(seeded("obligations", "--at", "2009-06-01", "--overdue")).out
    )

    # the first sweep ever, on 17.12.2009: the notice of 01.11 was missed, only 14 days' goes
    run = ok(seeded("reminders", "run", "--now", "2009-12-17T08:00")).out
    assert "4 påmindelse(r) skrevet, 2 sendt, 0 fejlet, 2 afløst" in run
    assert f"maildir:{tmp_path / 'mail'}" in run
    assert (
        "SUD 2009 14 dage før fristen: Påmindelse: status til Socialudvalget senest 31. december 2009"
        in run
    )
    assert "SUD 2009 60 dage før fristen: afløst af #" in run
    again = ok(seeded("reminders", "run", "--now", "2009-12-17 08:00")).out
    assert "0 påmindelse(r) skrevet, 0 sendt" in again
    assert len(list((tmp_path / "mail" / "new").iterdir())) == 2

    listed = ok(seeded("reminders", "list", "--status", "sent")).out
    assert listed.count("60 dage før") == 0 and listed.count("14 dage før") == 2
    assert "sendt 17.12.2009 08:00" in listed
    superseded = ok(seeded("reminders", "list", "--status", "superseded")).out
    assert superseded.count("60 dage før") == 2 and "afløst af #" in superseded
    assert (
        "ingen påmindelser med status fejlet"
        in ok(seeded("reminders", "list", "--status", "failed")).out
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("obligation", "add", "--case", "2010-4130", "--committee", "SUD", "--from",
          "2008-08-01", "--to", "2010-12-31", "--cadence", "FREQ=YEARLY;BYDAY=MO", *A),
         "kun FREQ og INTERVAL"),
        (("obligation", "add", "--case", "2010-4130", "--committee", "SUD", "--from",
          "2010-12-31", "--to", "2008-08-01", *A), "før startdatoen"),
        (("obligation", "add", "--case", "2010-4130", "--committee", "XYZ", "--from",
          "2008-08-01", "--to", "2010-12-31", *A), "ukendt udvalg 'XYZ'"),
        (("obligation", "add", "--case", "2099-1", "--committee", "SUD", "--from",
          "2008-08-01", "--to", "2010-12-31", *A), "ukendt sag '2099-1'"),
        (("obligation", "add", "--case", "2010-4130", "--committee", "SUD", "--from",
          "2008-13-01", "--to", "2010-12-31", *A), "startdatoen '2008-13-01' findes ikke"),
        (("obligation", "add", "--case", "2010-4130", "--committee", "SUD", "--from",
          "2008-08-01", "--to", "next year", *A), "slutdatoen 'next year' er ikke en dato"),
        (("obligation", "add", "--case", "2010-4130", "--committee", "SUD", "--from",
          "2008-08-01", "--to", "2010-12-31", "--lead", "sixty", *A), "varslet 'sixty'"),
        (("obligation", "add", "--case", "2010-4130", "--committee", "SUD", "--from",
          "2008-08-01", "--to", "2010-12-31", "--recipient", "nobody", *A),
         "'nobody' er ikke en e-mailadresse"),
        (("obligation", "add", "--case", "2010-4130", "--committee", "SUD", "--from",
          "2008-08-01", "--to", "2010-12-31"), "ingen aktør angivet"),
        (("obligation", "link", "7", "--item", "1", *A), "ukendt statusforpligtelse 7"),
        (("obligation", "link", "2", "--item", "1", *A), "statusforpligtelse 2 er en status til BIU"),
        (("item", "draft", "--case", "2010-4130", "--committee", "SUD", "--title", "Status",
          "--kind", "orientering", "--fulfils", "2", *A), "statusforpligtelse 2 er en status til BIU"),
        (("item", "draft", "--case", "2010-4130", "--committee", "SUD", "--title", "Status",
          "--kind", "orientering", "--fulfils", "2010-4130:XYZ", *A), "ingen statusforpligtelse passer på"),
        (("obligations", "--at", "31.02.2010"), "--at '31.02.2010' findes ikke"),
        (("obligations", "--committee", "XYZ"), "ukendt udvalg 'XYZ'"),
        (("reminders", "run", "--now", "yesterday"), "--now 'yesterday' er ikke en dato"),
        (("reminders", "run", "--now", "2010-01-07T25:00"), "er ikke en dato og et klokkeslæt"),
        (("reminders", "list", "--status", "lost"), "status 'lost' is unknown"),
    ],
)  # fmt: skip
def test_a_mistake_is_one_line_a_non_zero_exit_and_no_change(
    seeded: Council, snapshot: Callable[[], str], args: tuple[str, ...], says: str
) -> None:
    ok(add_seed(seeded))
    ok(draft(seeded, "SUD", "--fulfils", "1"))
    before = snapshot()
    result = seeded(*args)
    assert result.code != 0
    assert says in result.err
    assert result.err.startswith("fejl: ")
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert snapshot() == before


def test_the_demo_replays_the_reminders_of_2009_and_2010(council: Council, tmp_path: Path) -> None:
    out = ok(council("demo", "--db", str(tmp_path / "demo.db"))).out
    lines = out.splitlines()
    reminders = [line for line in lines if "  påmindelse " in line]
    # BIU: warned before 31.12.2009, escalated weekly after it until 23.02.2010; then 2010,
    # whose status it took to note on 14.12.2010
    assert [line[:10] for line in reminders if "Beskæftigelses" in line] == [
        "01.11.2009", "17.12.2009", "31.12.2009", "07.01.2010", "14.01.2010", "21.01.2010",
        "28.01.2010", "04.02.2010", "11.02.2010", "18.02.2010", "01.11.2010",
    ]  # fmt: skip
    assert [
        line[:10] for line in reminders if "Socialudvalget senest 31. december 2009" in line
    ] == ["01.11.2009"]
    assert "opfyldt 23.02.2010, 54 dage" in out and "for sent (punkt-id\u00a02)" in out
    assert "opfyldt 02.12.2009" in out and "(punkt-id\u00a01)" in out
    assert "council obligations --at 2010-02-01" in out
    assert (
        "BIU 2009: 10 (60 dage før fristen, 14 dage før fristen, på fristdagen, ...), 7 rykkere 07.01.2010–18.02.2010"
        in out
    )
    assert "13 påmindelser leveret til maildir:" in out
    assert len(list((tmp_path / "demo.maildir" / "new").iterdir())) == 13
    assert "revisionskontrol: OK" in out


def test_the_demo_records_the_seeds_goals_and_prints_the_status_table(
    council: Council, tmp_path: Path
) -> None:
    out = ok(council("demo", "--db", str(tmp_path / "demo.db"))).out
    assert "council status 2010-4130" in out
    table = out[out.index("council status 2010-4130") :]
    biu = table[table.index("Beskæftigelses- og Integrationsudvalget (BIU) · sag 2010-4130") :]
    rows = [" ".join(line.split()) for line in biu.splitlines()]
    for expected in (
        "Nye frivillige (mindst, frivillige) 2009 120 140 nået",
        "2010 200 427 nået stigende",
        "Brugere (mindst, brugere) 2009 575 1.242 nået",
        "2010 750 ca. 1.370 nået stigende",
        "Frivillige med etnisk minoritetsbaggrund (mindst, frivillige) 2009 18 ca. 12 ikke nået",
        "2010 30 54 nået stigende",
        "Frivillige mentorer (mindst, mentorer) 2009 60 40 ikke nået",
        "2010 100 ¹ 21 ikke nået",
    ):
        assert expected in rows, expected
    assert "¹ Mentorforløb: nedjusteret fra 125 til 100" in biu
    assert "«K@BENHAVNS» → «KØBENHAVNS»" in out and "«Beskzeftigelses» → «Beskæftigelses»" in out
    assert "revisionskontrol: OK" in out


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


def test_council_serve_delivers_a_due_reminder_and_stops_cleanly_on_sigterm(
    tmp_path: Path, mail: MailServer
) -> None:
    db_path = tmp_path / "council.db"
    app = App(settings=load_settings(database_url=f"sqlite:///{db_path}"))
    initialise(app, actor="clerk", now=at("2009-01-05 09:00"))
    services.create_case(
        app.database.unit_of_work(),
        number="2010-4130",
        title="Partnerskabsaftale",
        owner="Socialforvaltningen",
        actor="clerk",
        now=at("2009-01-05 09:30"),
    )
    add_obligation(app, committee_codes=["SUD"], ends_on=date(2010, 12, 31))
    app.database.dispose()
    # the clock starts one second before the 60-day notice falls due at 08:00
    process = subprocess.Popen(
        [sys.executable, "-m", "council", "serve", "--now", "2009-11-01T07:59:59",
         "--interval", "0.02"],
        cwd=PROJECT,
        env=environment_for(db_path, **mail.environment()),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        [received] = mail.wait_for(1, timeout=60)
        time.sleep(1.5)  # later sweeps find nothing more to send
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert received.rcpt_tos == ["kontakt.sof@kk.example", "sekretariat.sud@kk.example"]
    assert received.subject.startswith("Påmindelse: status til Socialudvalget senest 31. december")
    assert "Der er 60 dage til fristen." in received.text()
    assert len(mail.messages()) == 1
    # the service speaks through its log (standard error), each line timestamped
    assert out == ""
    lines = err.splitlines()
    assert all(TIMESTAMPED.match(line) for line in lines), lines
    assert any(
        "gennemløbet 'council-reminder-sweep' med 0.02 minutters mellemrum" in line
        for line in lines
    )
    assert any("1 påmindelse(r) skrevet, 1 sendt" in line for line in lines)
    assert lines[-1].endswith("INFO council.notifications.scheduler: påmindelsestjenesten: stoppet")
    assert "Traceback" not in err
