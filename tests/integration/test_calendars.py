"""Calendars (iCalendar, RFC 5545): meetings and status deadlines through ``council
calendar``, read back by ``icalendar`` and by the independent ``ics`` parser, with stable
UIDs, summer time in Copenhagen, alarms at the lead times, and, when Debian's Radicale is
installed, a real calendar server that stores and returns the same events."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time as wallclock
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar
import ics
import pytest
from reminding import add_obligation
from support import CliResult, Scenario, at

from council.notifications.calendars import MeetingEvent, meetings_calendar
from council.workflow import obligation_services, services

Council = Callable[..., CliResult]


@pytest.fixture(autouse=True)
def _sender(monkeypatch: pytest.MonkeyPatch) -> None:
    """The UIDs end with the sender's domain, as the Message-IDs do."""
    monkeypatch.setenv("COUNCIL_SMTP_SENDER", "paamindelser@kk.example")


def meeting(
    scenario: Scenario, committee: str, on: str, start: time | None, place: str | None
) -> int:
    made = services.create_meeting(
        scenario.uow(),
        committee_code=committee,
        on=date.fromisoformat(on),
        start_time=start,
        place=place,
        actor="clerk",
        now=at("2010-01-02 09:00"),
    )
    assert made.id is not None
    return made.id


@pytest.fixture
def meetings(scenario: Scenario) -> Scenario:
    """BIU meetings at 15.30 on both sides of the spring and the autumn change of the
    clocks (28.03.2010 and 31.10.2010), and a SUD meeting whose time is not known."""
    meeting(scenario, "BIU", "2010-03-27", time(15, 30), "Rådhuset, udvalgsværelse 1")
    meeting(scenario, "BIU", "2010-03-29", time(15, 30), "Rådhuset, udvalgsværelse 1")
    meeting(scenario, "BIU", "2010-10-30", time(15, 30), None)
    meeting(scenario, "BIU", "2010-11-01", time(15, 30), None)
    meeting(scenario, "SUD", "2010-02-03", None, None)
    return scenario


def export(council: Council, tmp_path: Path, *args: str) -> str:
    path = tmp_path / f"{args[0]}-{len(list(tmp_path.iterdir()))}.ics"
    result = council("calendar", *args, "-o", str(path))
    assert result.code == 0, result.err
    return path.read_bytes().decode("utf-8")


def events(text: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_timed_meetings_keep_their_copenhagen_time_across_the_changes_of_the_clocks(
    meetings: Scenario, council: Council, tmp_path: Path
) -> None:
    text = export(council, tmp_path, "meetings")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VTIMEZONE" in text
    found = events(text)
    starts = {uid: e.decoded("DTSTART") for uid, e in found.items()}
    utc = {uid: s.astimezone(UTC).strftime("%m-%d %H:%M") for uid, s in starts.items()
           if isinstance(s, datetime)}  # fmt: skip
    assert sorted(utc.values()) == ["03-27 14:30", "03-29 13:30", "10-30 13:30", "11-01 14:30"]
    [untimed] = [s for s in starts.values() if not isinstance(s, datetime)]
    assert untimed == date(2010, 2, 3)
    places = sorted(str(e.get("LOCATION", "")) for e in found.values())
    assert places.count("Rådhuset, udvalgsværelse 1") == 2
    assert {int(e["SEQUENCE"]) for e in found.values()} == {0}
    assert {str(e["STATUS"]) for e in found.values()} == {"CONFIRMED"}

    # a second, independent parser reads the same instants
    other = ics.Calendar(text)
    begins = sorted(e.begin.to("utc").strftime("%m-%d %H:%M") for e in other.events
                    if not e.all_day)  # fmt: skip
    assert begins == sorted(utc.values())
    assert {e.uid for e in other.events} == set(found)
    assert {e.name for e in other.events} >= {"Beskæftigelses- og Integrationsudvalget: møde"}


def test_a_re_export_keeps_every_uid_so_calendars_update_instead_of_duplicating(
    meetings: Scenario, council: Council, tmp_path: Path
) -> None:
    first = events(export(council, tmp_path, "meetings"))
    meeting(meetings, "BIU", "2010-12-14", time(16, 0), "Rådhuset")
    second = events(export(council, tmp_path, "meetings"))
    assert set(first) < set(second) and len(second) == len(first) + 1
    for uid, event in first.items():
        assert second[uid].decoded("DTSTART") == event.decoded("DTSTART")
    only = events(export(council, tmp_path, "meetings", "--committee", "SUD"))
    assert len(only) == 1 and set(only) <= set(first)


def test_a_moved_meeting_keeps_its_uid_and_raises_its_sequence_and_a_cancelled_one_says_so() -> (
    None
):
    stamp = datetime(2010, 1, 2, 9, tzinfo=UTC)
    base = MeetingEvent(7, "BIU", "Beskæftigelses- og Integrationsudvalget",
                        date(2010, 2, 23), time(15, 30), "Rådhuset")  # fmt: skip
    moved = MeetingEvent(7, "BIU", "Beskæftigelses- og Integrationsudvalget",
                         date(2010, 2, 24), time(9, 0), "Rådhuset", sequence=1)  # fmt: skip
    cancelled = MeetingEvent(7, "BIU", "Beskæftigelses- og Integrationsudvalget",
                             date(2010, 2, 24), time(9, 0), "Rådhuset", sequence=2,
                             cancelled=True)  # fmt: skip
    parsed = [
        next(iter(events(meetings_calendar([e], domain="kk.example", stamp=stamp)).values()))
        for e in (base, moved, cancelled)
    ]
    assert {str(e["UID"]) for e in parsed} == {"moede-7@kk.example"}
    assert [int(e["SEQUENCE"]) for e in parsed] == [0, 1, 2]
    assert [str(e["STATUS"]) for e in parsed] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]


def test_deadlines_are_all_day_with_an_alarm_at_each_lead_time_until_fulfilled(
    scenario: Scenario, council: Council, tmp_path: Path
) -> None:
    add_obligation(scenario.app)
    sud = scenario.meeting("SUD", "2009-12-02")
    item = scenario.draft("SUD")
    obligation_services.link_item(
        scenario.uow(), obligation_ref="1", item_id=item, actor="clerk", now=at("2009-11-20 09:00")
    )
    scenario.present(item, sud, when="2009-11-20 10:00")
    scenario.decide(item, "taget til efterretning", when="2009-12-02 17:00")
    found = events(export(council, tmp_path, "deadlines"))
    assert set(found) == {f"frist-{line}-{period}@kk.example" for line in (1, 2)
                          for period in ("2009", "2010")}  # fmt: skip
    done = found["frist-1-2009@kk.example"]
    assert done.decoded("DTSTART") == date(2009, 12, 31)
    assert "(forelagt 02.12.2009)" in str(done["SUMMARY"]) and not done.walk("VALARM")
    assert int(done["SEQUENCE"]) == 1
    open_ = found["frist-2-2009@kk.example"]
    triggers = sorted(a.decoded("TRIGGER") for a in open_.walk("VALARM"))
    assert triggers == [
        timedelta(days=-60, hours=8), timedelta(days=-14, hours=8), timedelta(hours=8)
    ]  # fmt: skip
    other = ics.Calendar(export(council, tmp_path, "deadlines"))
    by_uid = {e.uid: e for e in other.events}
    assert by_uid["frist-2-2009@kk.example"].all_day
    assert len(by_uid["frist-2-2009@kk.example"].alarms) == 3
    assert events(export(council, tmp_path, "deadlines", "--committee", "BIU")).keys() == {
        "frist-2-2009@kk.example", "frist-2-2010@kk.example"
    }  # fmt: skip
    assert events(export(council, tmp_path, "deadlines", "--owner", "Økonomiforvaltningen")) == {}
    assert (
        len(events(export(council, tmp_path, "deadlines", "--owner", "socialforvaltningen"))) == 4
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[str]:
    """Debian's Radicale on loopback, storing in the test's folder; skipped without it."""
    program = shutil.which("radicale")
    if program is None:
        pytest.skip("Debian's radicale is not installed (apt-get install radicale; .ci/run does)")
    port = _free_port()
    config = tmp_path / "radicale.conf"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = none\n[rights]\n"
        f"type = authenticated\n[storage]\nfilesystem_folder = {tmp_path / 'collections'}\n"
        "[logging]\nlevel = warning\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [program, "--config", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = wallclock.monotonic() + 30
        while wallclock.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(
                        f"radicale stopped: {process.stdout.read() if process.stdout else ''!r}"
                    )
                wallclock.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _request(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", "Basic c2VrcmV0YXJpYXQ6eA==")  # sekretariat:x
    if body is not None:
        request.add_header("Content-Type", "text/calendar; charset=utf-8")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def test_a_calendar_server_stores_and_returns_the_same_events(
    meetings: Scenario, council: Council, tmp_path: Path, radicale: str
) -> None:
    add_obligation(meetings.app)
    for kind in ("meetings", "deadlines"):
        text = export(council, tmp_path, kind)
        status, _ = _request(f"{radicale}/sekretariat/{kind}/", "PUT", text.encode("utf-8"))
        assert status in (200, 201)
        status, stored = _request(f"{radicale}/sekretariat/{kind}/")
        assert status == 200
        sent, back = events(text), events(stored.decode("utf-8"))
        assert set(back) == set(sent)
        for uid, event in sent.items():
            assert back[uid].decoded("DTSTART") == event.decoded("DTSTART")
            assert str(back[uid]["SUMMARY"]) == str(event["SUMMARY"])
            assert len(back[uid].walk("VALARM")) == len(event.walk("VALARM"))
