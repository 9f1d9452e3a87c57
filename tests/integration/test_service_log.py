"""The reminder service speaks through ``logging``: timestamped lines or JSON lines on
standard error, at ``COUNCIL_LOG_LEVEL``; never a bare print, never a forged line."""

from __future__ import annotations

import io
import json
import logging
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import PROJECT, at, environment_for

from council.config.errors import ConfigError
from council.config.logs import configure_logging
from council.config.settings import load_settings
from council.notifications.scheduler import ReminderService
from council.workflow.app import App
from council.workflow.initialise import initialise

TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """The product's log handler on a buffer, as ``council serve`` installs it."""
    stream = io.StringIO()
    handler = configure_logging(level="INFO", stream=stream)
    yield stream
    logging.getLogger().removeHandler(handler)


def test_a_log_line_has_a_timestamp_the_level_and_the_logger(log: io.StringIO) -> None:
    logging.getLogger("council.serve").info("sweep at %s", "08:00")
    assert re.fullmatch(rf"{TIMESTAMP} INFO council\.serve: sweep at 08:00\n", log.getvalue())


def test_a_line_break_in_a_logged_text_cannot_forge_a_log_line(log: io.StringIO) -> None:
    reply = "550 no\n2026-01-01T00:00:00.000+00:00 INFO council.serve: all sent"
    logging.getLogger("council.notifications.delivery").warning("not delivered: %s", reply)
    assert log.getvalue().count("\n") == 1
    assert "550 no\\n2026-01-01" in log.getvalue()


def test_json_lines_carry_time_level_logger_message_and_the_exception() -> None:
    stream = io.StringIO()
    handler = configure_logging(level="INFO", json_lines=True, stream=stream)
    try:
        try:
            raise RuntimeError("disk on fire")
        except RuntimeError:
            logging.getLogger("council.serve").exception("sweep failed")
    finally:
        logging.getLogger().removeHandler(handler)
    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert re.fullmatch(TIMESTAMP, entry["time"])
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "ERROR",
        "council.serve",
        "sweep failed",
    )
    assert "RuntimeError: disk on fire" in entry["exception"]


def test_the_level_hides_what_is_below_it() -> None:
    stream = io.StringIO()
    handler = configure_logging(level="WARNING", stream=stream)
    try:
        logging.getLogger("council.serve").info("routine")
        logging.getLogger("council.serve").warning("worth knowing")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "routine" not in stream.getvalue()
    assert "worth knowing" in stream.getvalue()


def sweeps_until_failed(job: object) -> None:
    failed = threading.Event()
    service = ReminderService(job, interval_minutes=5, on_error=lambda _exc: failed.set())  # type: ignore[arg-type]
    thread = threading.Thread(target=service.run, kwargs={"handle_signals": False})
    thread.start()
    try:
        assert failed.wait(10)
    finally:
        service.stop()
        thread.join(timeout=10)


def test_a_failed_sweep_is_logged_one_line_for_a_refusal_with_a_traceback_for_a_fault(
    log: io.StringIO,
) -> None:
    def refused() -> None:
        raise ConfigError("reminders.toml: [service]: 'send_at' skal være et klokkeslæt")

    def broken() -> None:
        raise RuntimeError("database away")

    sweeps_until_failed(refused)
    sweeps_until_failed(broken)
    text = log.getvalue()
    assert re.search(
        rf"^{TIMESTAMP} ERROR council\.notifications\.scheduler: gennemløbet mislykkedes og prøves igen: "
        r"reminders\.toml: \[service\]: 'send_at' skal være et klokkeslæt$",
        text,
        re.MULTILINE,
    )
    assert text.count("Traceback") == 1
    assert "gennemløbet mislykkedes og prøves igen: RuntimeError: database away\nTraceback" in text


def test_council_serve_logs_json_lines_on_standard_error_and_nothing_on_standard_output(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "council.db"
    app = App(settings=load_settings(database_url=f"sqlite:///{db_path}"))
    initialise(app, actor="clerk", now=at("2009-01-05 09:00"))
    app.database.dispose()
    process = subprocess.Popen(
        [sys.executable, "-m", "council", "serve", "--log-format", "json"],
        cwd=PROJECT,
        env=environment_for(db_path, COUNCIL_MAILDIR=str(tmp_path / "mail")),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = [json.loads(process.stderr.readline()) for _ in range(2)]  # started
        process.send_signal(signal.SIGTERM)
        out, rest = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    entries = first + [json.loads(line) for line in rest.splitlines()]
    assert process.returncode == 0
    assert out == ""
    # no audit key beside this database: at most one warning says so (if the checkpoint
    # job ran before the stop), the rest is routine
    warnings = [entry for entry in entries if entry["level"] != "INFO"]
    assert len(warnings) <= 1
    assert all(
        (w["level"], w["logger"]) == ("WARNING", "council.workflow.checkpoints")
        and w["message"].startswith("ingen revisionsnøgle i ")
        for w in warnings
    )
    assert entries[1]["message"].startswith(
        "påmindelsestjenesten: gennemløbet 'council-reminder-sweep'"
    )
    assert entries[-1] == {**entries[-1], "logger": "council.notifications.scheduler",
                           "message": "påmindelsestjenesten: stoppet"}  # fmt: skip


def test_council_serve_refuses_an_unknown_log_level_before_it_starts(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "council", "serve"],
        cwd=PROJECT,
        env=environment_for(tmp_path / "council.db", COUNCIL_LOG_LEVEL="loud"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "fejl: indstillingen COUNCIL_LOG_LEVEL er ugyldig: 'loud' er ikke et logniveau; "
        "angiv et af DEBUG, INFO, WARNING, ERROR, CRITICAL\n"
    )


def test_council_web_logs_uvicorns_lines_as_json_lines_with_timestamps(tmp_path: Path) -> None:
    from mailserver import free_port

    db_path = tmp_path / "council.db"
    app = App(settings=load_settings(database_url=f"sqlite:///{db_path}"))
    initialise(app, actor="clerk", now=at("2009-01-05 09:00"))
    app.database.dispose()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "council", "web", "--port", str(port), "--log-format", "json"],
        cwd=PROJECT,
        env=environment_for(db_path, COUNCIL_SECRET_KEY="log test"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        entries = []
        while not any("Uvicorn running" in e["message"] for e in entries):
            line = process.stderr.readline()
            assert line, "council web ended before it listened"
            entries.append(json.loads(line))
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    entries += [json.loads(line) for line in rest.splitlines()]
    assert all(re.fullmatch(TIMESTAMP, entry["time"]) for entry in entries)
    assert {entry["logger"] for entry in entries} == {"uvicorn.error"}
    assert entries[-1]["message"].startswith("Finished server process")
