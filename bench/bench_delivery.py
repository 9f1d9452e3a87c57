"""``council reminders run`` delivering 10,000 due reminders: to SMTP, and to a Maildir.

Setup: the sweep's database (``bench_sweep.build_lines``) with 10,000 lines due on
15.05.2010 (1,000 with ``--quick``), swept once by the product, so the outbox holds one
pending reminder per line with the facts its text is made of. Each timed delivery runs on
a fresh copy of that file, in a process that has already run a delivery that found nothing
due (as the ``council serve`` service does every few minutes).

The product runs ``council reminders run``'s service (``run_reminders``: a sweep that finds
nothing new, then the delivery of the outbox): it claims the rows, renders each reminder
from its facts and what is read when it is sent (the last decision, the next meeting, the
goals), keeps the text on the row, makes the e-mail, sends it and records it sent, each
with its audit entry.

The baseline is the same messages, made beforehand (the bytes the product sent, read back
from the Maildir run), handed over by plain ``smtplib`` on one connection
(``sendmail`` of the bytes, the same envelope), and, for the Maildir row, written to an
empty Maildir the way the product writes one: each file to ``tmp/`` and synced to the
disk, then renamed into ``new/`` and the folder synced (what the standard library's
``mailbox.Maildir.add`` does too, less the folder). The SMTP
server is aiosmtpd in a process of its own on loopback, accepting and dropping every
message; both sides talk to the same server. Figures: wall time (the median of the
repeats, three; two at full scale, min beside it) and each side's CPU time
(``time.process_time``, the SMTP server's process not counted).
"""

from __future__ import annotations

import os
import shutil
import smtplib
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path
from typing import Any

from bench.bench_sweep import SOME_DUE_AT, WARM_UP_AT, build_lines
from bench.common import Result, Scale

TARGET = 2.0
SENDER = "paamindelser@kk.example"
NOW = datetime(2010, 5, 15, 12, 30, tzinfo=UTC)
SERVER = """
import socket, sys
from aiosmtpd.controller import Controller

class Drop:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Drop.count += 1
        return "250 OK"

handler = Drop()
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
controller = Controller(handler, hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
for line in sys.stdin:
    print(Drop.count, flush=True)
controller.stop()
"""


class SmtpServer:
    """aiosmtpd in a process of its own: it counts what it accepts and keeps nothing."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())

    def accepted(self) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def build_outbox(path: Path, due: int) -> None:
    """The sweep's database with ``due`` lines due, swept: ``due`` pending reminders."""
    from bench.bench_sweep import product_sweep

    build_lines(path, due + 1_000, due=due)
    _, written = product_sweep(path, SOME_DUE_AT)
    if written != due:
        raise AssertionError(f"the sweep wrote {written} reminders, not {due}")


def product_delivery(path: Path, transport: Any) -> tuple[float, float, int]:
    """Wall and CPU seconds of one ``council reminders run`` on ``path`` (its sweep finds
    nothing new; its delivery sends the outbox), and the rows sent."""
    from council.workflow import obligation_services
    from council.workflow.app import App

    app = App(settings=_settings(path))

    def once(at: datetime) -> Any:
        return obligation_services.run_reminders(app, now=at, transport=transport).delivery

    once(WARM_UP_AT)  # nothing due yet: statements compiled, connection open
    start, cpu = time.perf_counter(), time.process_time()
    report = once(NOW)
    spent, cpu_spent = time.perf_counter() - start, time.process_time() - cpu
    app.database.dispose()
    if report.failed:
        raise AssertionError(f"{len(report.failed)} reminders failed: {report.failed[:3]}")
    return spent, cpu_spent, len(report.sent)


def _settings(path: Path) -> Any:
    from council.config.settings import load_settings

    return load_settings(database_url=f"sqlite:///{path}", smtp_sender=SENDER)


def prebuilt(maildir: Path) -> list[tuple[str, list[str], bytes]]:
    """The product's messages as it made them, from its Maildir: envelope and bytes with
    the wire's CRLF line ends (``sendmail`` sends bytes as they are)."""
    messages = []
    for file in sorted((maildir / "new").iterdir()):
        data = file.read_bytes().replace(b"\n", b"\r\n")
        parsed = message_from_bytes(data)
        recipients = [r.strip() for r in str(parsed["To"]).split(",")]
        messages.append((SENDER, recipients, data))
    return messages


def raw_smtp(port: int, messages: list[tuple[str, list[str], bytes]]) -> tuple[float, float]:
    """Wall and CPU seconds of handing ``messages`` over on one connection."""
    start, cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        connection.ehlo()
        for sender, recipients, data in messages:
            connection.sendmail(sender, recipients, data)
    return time.perf_counter() - start, time.process_time() - cpu


def raw_maildir(folder: Path, messages: list[tuple[str, list[str], bytes]]) -> tuple[float, float]:
    """Wall and CPU seconds of writing ``messages`` into a new Maildir: ``tmp/`` synced to
    the disk, then a rename into ``new/`` and the folder synced, as the product does."""
    files = [data.replace(b"\r\n", b"\n") for _, _, data in messages]  # as the product keeps them
    start, cpu = time.perf_counter(), time.process_time()
    for name in ("tmp", "new", "cur"):
        (folder / name).mkdir(parents=True)
    arrived = os.open(folder / "new", os.O_RDONLY)
    for number, data in enumerate(files):
        temporary = folder / "tmp" / f"raw.{number}"
        with temporary.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, folder / "new" / f"raw.{number}")
        os.fsync(arrived)
    os.close(arrived)
    return time.perf_counter() - start, time.process_time() - cpu


def run(scale: Scale, workdir: Path) -> list[Result]:
    from council.notifications.transports import MaildirTransport, SmtpTransport

    due = scale.delivery_due
    template = workdir / "delivery-template.db"
    build_outbox(template, due)
    repeats = scale.delivery_repeats  # 10,000 a delivery: ~1 minute each side
    server = SmtpServer()
    kinds = ("smtp", "maildir", "raw smtp", "raw maildir")
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    try:
        for attempt in range(repeats):
            for kind in ("maildir", "smtp"):
                copy = workdir / f"delivery-{attempt}-{kind}.db"
                shutil.copyfile(template, copy)
                folder = workdir / f"delivery-{attempt}.maildir"
                transport: Any = (
                    MaildirTransport(folder)
                    if kind == "maildir"
                    else SmtpTransport("127.0.0.1", server.port, starttls=False)
                )
                before = server.accepted()
                spent, cpu_spent, sent = product_delivery(copy, transport)
                if sent != due or (kind == "smtp" and server.accepted() - before != due):
                    raise AssertionError(f"{kind}: {sent} of {due} reminders sent")
                times[kind].append(spent)
                cpu[kind].append(cpu_spent)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)
            messages = prebuilt(workdir / f"delivery-{attempt}.maildir")
            before = server.accepted()
            raw_folder = workdir / f"delivery-raw-{attempt}.maildir"
            for kind, measured in (
                ("raw smtp", raw_smtp(server.port, messages)),
                ("raw maildir", raw_maildir(raw_folder, messages)),
            ):
                times[kind].append(measured[0])
                cpu[kind].append(measured[1])
            if server.accepted() - before != due:
                raise AssertionError("the baseline's messages did not all arrive")
            shutil.rmtree(raw_folder)
            shutil.rmtree(workdir / f"delivery-{attempt}.maildir")
    finally:
        server.stop()
        template.unlink(missing_ok=True)
    results = []
    for kind, raw, label, where in (
        ("smtp", "raw smtp", "raw smtplib, the same messages over one connection", "SMTP"),
        ("maildir", "raw maildir", "raw files to tmp/, renamed into new/", "a Maildir"),
    ):
        product, baseline = statistics.median(times[kind]), statistics.median(times[raw])
        ratio = product / baseline
        per = product / due * 1e3
        results.append(
            Result(
                name=f"council reminders run, {due:,} due, to {where}",
                figure=(
                    f"{product:,.2f} s ({per:,.2f} ms a message, CPU "
                    f"{statistics.median(cpu[kind]) / due * 1e3:,.2f} ms)"
                ),
                baseline=(
                    f"{baseline:,.2f} s ({label}; CPU "
                    f"{statistics.median(cpu[raw]) / due * 1e3:,.2f} ms a message)"
                ),
                ratio=ratio,
                target=f"≤ {TARGET:g}×",
                passed=ratio <= TARGET,
                notes=[
                    f"median of {repeats} on fresh copies (min {min(times[kind]):,.2f} s "
                    f"vs {min(times[raw]):,.2f} s); CPU is this process's (the SMTP "
                    "server, aiosmtpd in a process of its own, serves both sides alike)"
                ],
            )
        )
    return results
