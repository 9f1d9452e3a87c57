"""Signed checkpoints anchor the audit trail outside the database.

A trail rewritten with recomputed hashes, cut short with its head moved back, or wiped and
started again is consistent with itself, and ``audit verify`` alone passes it; the signed
checkpoints in the log are what it no longer extends. The log is itself hash-linked and
signed, so a forged, edited, deleted, inserted or reordered checkpoint is reported too.
"""

from __future__ import annotations

import base64
import json
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from sqlmodel import SQLModel
from support import COPENHAGEN, PROJECT, CliResult, Scenario, at, environment_for

from council.cases.audit import GENESIS_HASH, canonical_json, chain_hash
from council.cases.audit_keys import generate_key_pair, load_signing_key
from council.cases.backup import backup_sqlite
from council.cases.checkpoint_log import Checkpoint, read_log
from council.cases.errors import CheckpointLogError, InvalidInputError
from council.config.settings import load_settings
from council.notifications.documents import TrailAnchor
from council.notifications.scheduler import ReminderService
from council.workflow import services
from council.workflow.app import App
from council.workflow.audit_files import audit_files
from council.workflow.checkpoints import (
    JOB_ID,
    make_key,
    scheduled_checkpoints,
    write_checkpoint,
)
from council.workflow.initialise import initialise
from council.workflow.read_models.audit import check_trail, trail_anchor

DISARM = {
    "sqlite": [
        "DROP TRIGGER audit_entry_no_update",
        "DROP TRIGGER audit_entry_no_delete",
        "DROP TRIGGER audit_head_forward_only",
        "DROP TRIGGER audit_head_no_delete",
    ],
    "postgresql": [
        "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
        "ALTER TABLE audit_head DISABLE TRIGGER audit_head_forward_only",
    ],
}
SIGNED_AT = at("2010-02-23 17:05")


def anchored_app(database_url: str, folder: Path) -> App:
    """An initialised product whose key pair and checkpoint log lie in ``folder``."""
    app = App(
        settings=load_settings(
            database_url=database_url,
            audit_key=folder / "audit-key",
            checkpoint_log=folder / "council.checkpoints",
        )
    )
    initialise(app, actor="test", now=at("2009-01-05 09:00"))
    make_key(app)
    return app


@pytest.fixture
def anchored(database_url: str, tmp_path: Path) -> Iterator[Scenario]:
    """The seed case decided, its key made, no checkpoint yet."""
    app = anchored_app(database_url, tmp_path)
    services.create_case(
        app.database.unit_of_work(),
        number="2010-4130",
        title="Partnerskabsaftale med Dansk Flygtningehjælp",
        owner="Socialforvaltningen",
        actor="clerk",
        now=at("2009-11-01 09:00"),
    )
    scenario = Scenario(app)
    first, second = scenario.meeting("BIU", "2010-01-26"), scenario.meeting("BIU", "2010-02-23")
    item = scenario.draft()
    scenario.present(item, first)
    scenario.decide(item, "udsat")
    scenario.present(item, second, when="2010-02-10 09:00")
    scenario.decide(item, "taget til efterretning", when="2010-02-23 17:00")
    yield scenario
    app.database.dispose()


def another_case(scenario: Scenario, number: str = "2010-9999") -> None:
    services.create_case(
        scenario.uow(),
        number=number,
        title="Budget",
        owner="Økonomiforvaltningen",
        actor="clerk",
        now=at("2010-03-01 09:00"),
    )


def checkpoint(app: App, when: datetime = SIGNED_AT) -> Checkpoint:
    return write_checkpoint(app, now=when)


def log_path(app: App) -> Path:
    path = audit_files(app).log
    assert path is not None
    return path


def head_of(app: App) -> tuple[int, str]:
    with app.database.engine.connect() as connection:
        seq, digest = connection.execute(text("SELECT seq, hash FROM audit_head")).one()
    return int(seq), str(digest)


def tamper(app: App, work: Callable[[Connection], None]) -> None:
    """What someone with the database's password could do: disarm the triggers and write."""
    engine = app.database.engine
    with engine.begin() as connection:
        for statement in DISARM[engine.dialect.name]:
            connection.execute(text(statement))
        work(connection)


def only_problem(app: App, **options: object) -> str:
    result = check_trail(app, **options)  # type: ignore[arg-type]
    assert not result.ok
    [problem] = result.problems
    return problem


# ------------------------------------------------------------------------------ signing


def test_a_checkpoint_is_signed_appended_to_the_log_and_holds_while_the_trail_grows(
    anchored: Scenario,
) -> None:
    app = anchored.app
    entries, head = head_of(app)
    made = checkpoint(app)
    assert (made.number, made.entries, made.head, made.at) == (1, entries, head, SIGNED_AT)
    assert log_path(app).read_text(encoding="utf-8") == made.line() + "\n"
    another_case(anchored)
    second = checkpoint(app, SIGNED_AT + timedelta(days=1))
    assert (second.number, second.entries) == (2, entries + 1)
    result = check_trail(app)
    assert result.ok, result.problems
    assert (result.checkpoints, result.last) == (2, second)
    assert result.report.entries == entries + 1


# ------------------------------------------------------------------------------ the log


def rewrite_log(app: App, change: Callable[[list[str]], list[str]]) -> None:
    path = log_path(app)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("".join(line + "\n" for line in change(lines)), encoding="utf-8")


@pytest.fixture
def three_checkpoints(anchored: Scenario) -> list[Checkpoint]:
    made = [checkpoint(anchored.app)]
    for day in (1, 2):
        another_case(anchored, f"2010-900{day}")
        made.append(checkpoint(anchored.app, SIGNED_AT + timedelta(days=day)))
    return made


def edited_entries(lines: list[str]) -> list[str]:
    second = json.loads(lines[1])
    second["entries"] -= 1
    return [lines[0], canonical_json(second), lines[2]]


LOG_TAMPERINGS = [
    (
        "a deleted line",
        lambda lines: [lines[0], lines[2]],
        "kontrolpunkt 2 står ikke, hvor loggen skal have det: linje 2 har kontrolpunkt 3 "
        "(en linje er slettet, indsat eller flyttet)",
    ),
    (
        "two lines swapped",
        lambda lines: [lines[0], lines[2], lines[1]],
        "kontrolpunkt 2 står ikke, hvor loggen skal have det: linje 2 har kontrolpunkt 3",
    ),
    (
        "an inserted copy of a line",
        lambda lines: [lines[0], lines[0], lines[1], lines[2]],
        "kontrolpunkt 2 står ikke, hvor loggen skal have det: linje 2 har kontrolpunkt 1",
    ),
    (
        "an edited entry count",
        edited_entries,
        "har en signatur, der ikke holder med nøglen",
    ),
    (
        "a line written out again with spaces",
        lambda lines: [lines[0], json.dumps(json.loads(lines[1])), lines[2]],
        "er ikke, som produktet skrev det: linjen er redigeret",
    ),
]


@pytest.mark.parametrize(
    ("how", "change", "says"), LOG_TAMPERINGS, ids=[t[0] for t in LOG_TAMPERINGS]
)
def test_a_tampered_checkpoint_log_is_detected_naming_the_checkpoint(
    anchored: Scenario,
    three_checkpoints: list[Checkpoint],
    how: str,
    change: Callable[[list[str]], list[str]],
    says: str,
) -> None:
    rewrite_log(anchored.app, change)
    problem = only_problem(anchored.app)
    assert problem.startswith(f"kontrolpunkt-loggen {log_path(anchored.app)}: kontrolpunkt 2 "), how
    assert says in problem, how


def test_a_checkpoint_signed_by_another_key_under_this_keys_id_is_a_forgery(
    anchored: Scenario, tmp_path: Path
) -> None:
    app = anchored.app
    made = checkpoint(app)
    forger = tmp_path / "forger"
    generate_key_pair(forger, tmp_path / "forger.pub")
    unsigned = Checkpoint(made.number, made.database, made.entries + 5, "f" * 64, made.at,
                          made.key, made.prev, "")  # fmt: skip
    signature = load_signing_key(forger).sign(unsigned.signed_bytes())
    forged = Checkpoint(**{**unsigned.__dict__, "signature": base64.b64encode(signature).decode()})
    rewrite_log(app, lambda _lines: [forged.line()])
    problem = only_problem(app)
    assert problem.endswith(
        f"kontrolpunkt 1 (post {made.entries + 5}, signeret 23.02.2010 17:05) har en "
        f"signatur, der ikke holder med nøglen {made.key}: kontrolpunktet er forfalsket eller "
        "redigeret"
    )


def test_checkpoints_checked_with_another_public_key_are_refused_naming_both_keys(
    anchored: Scenario, tmp_path: Path
) -> None:
    made = checkpoint(anchored.app)
    other = generate_key_pair(tmp_path / "other", tmp_path / "other.pub")
    app = App(settings=anchored.app.settings.model_copy(update={"audit_public_key": other.path}))
    problem = only_problem(app)
    assert (
        f"kontrolpunkt 1 (post {made.entries}, signeret 23.02.2010 17:05) er signeret med "
        f"nøglen {made.key}, ikke med den angivne offentlige nøgle {other.key_id} ({other.path})"
    ) in problem


def test_a_checkpoint_of_another_database_is_reported_as_such(
    anchored: Scenario, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = anchored_app(f"sqlite:///{elsewhere / 'other.db'}", elsewhere)
    theirs = checkpoint(other)
    other.database.dispose()
    app = App(
        settings=anchored.app.settings.model_copy(
            update={"audit_public_key": elsewhere / "audit-key.pub"}
        )
    )
    problem = only_problem(app, checkpoints=elsewhere / "council.checkpoints")
    assert problem.startswith(
        f"kontrolpunkt 1 (post {theirs.entries}, signeret 23.02.2010 17:05) holder ikke "
        f"længere: det er lavet for en anden database ({theirs.database}; denne er "
    )
    assert problem.endswith("en anden databases log, eller databasen er skiftet ud")


# ------------------------------------------------------------------------------ the trail


def rewrite_case_title(connection: Connection) -> None:
    """The case's title changed in its row and in its audit entry, and every later hash
    recomputed: a trail consistent with itself and with the records."""
    connection.execute(
        text("UPDATE case_record SET title = 'Omskrevet' WHERE number = '2010-4130'")
    )
    rows = connection.execute(
        text("SELECT seq, body FROM audit_entry WHERE seq >= ("
             "SELECT min(seq) FROM audit_entry WHERE action = 'case.created') ORDER BY seq")
    ).all()  # fmt: skip
    prev = connection.execute(
        text("SELECT hash FROM audit_entry WHERE seq = :seq"), {"seq": rows[0][0] - 1}
    ).scalar_one()
    for seq, body in rows:
        parsed = json.loads(body)
        if parsed["action"] == "case.created" and parsed["data"]["number"] == "2010-4130":
            parsed["data"]["title"] = "Omskrevet"
        parsed["prev"] = prev
        new_body = canonical_json(parsed)
        digest = chain_hash(prev, new_body)
        connection.execute(
            text("UPDATE audit_entry SET body = :body, prev_hash = :prev, hash = :hash "
                 "WHERE seq = :seq"),
            {"body": new_body, "prev": prev, "hash": digest, "seq": seq},
        )  # fmt: skip
        prev = digest
    connection.execute(text("UPDATE audit_head SET hash = :hash"), {"hash": prev})


def cut_the_last_entry(connection: Connection) -> None:
    """The last entry (a case's creation) and its case removed, the head moved back."""
    connection.execute(text("DELETE FROM case_record WHERE number = '2010-9999'"))
    last = connection.execute(text("SELECT max(seq) FROM audit_entry")).scalar_one()
    connection.execute(text("DELETE FROM audit_entry WHERE seq = :seq"), {"seq": last})
    digest = connection.execute(
        text("SELECT hash FROM audit_entry WHERE seq = :seq"), {"seq": last - 1}
    ).scalar_one()
    connection.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash"),
                       {"seq": last - 1, "hash": digest})  # fmt: skip


def wipe_everything(connection: Connection) -> None:
    """Every table emptied, the head reset to the genesis: a fresh, consistent database."""
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name != "audit_head":
            connection.execute(table.delete())
    connection.execute(text("UPDATE audit_head SET seq = 0, hash = :genesis"),
                       {"genesis": GENESIS_HASH})  # fmt: skip


TRAIL_TAMPERINGS = [
    ("rewritten with recomputed hashes", rewrite_case_title,
     "har nu hash {now}…, ikke den signerede {signed}…: sporet er skrevet om"),
    ("the last entry cut and the head moved back", cut_the_last_entry,
     "sporet ender nu ved post {before}: poster er skåret af, eller sporet er slettet og "
     "startet forfra"),
    ("every table wiped and the head reset to the genesis", wipe_everything,
     "sporet ender nu ved post 0: poster er skåret af, eller sporet er slettet og "
     "startet forfra"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("how", "change", "says"), TRAIL_TAMPERINGS, ids=[t[0] for t in TRAIL_TAMPERINGS]
)
def test_a_trail_consistent_with_itself_but_not_with_its_checkpoint_is_detected(
    anchored: Scenario,
    how: str,
    change: Callable[[Connection], None],
    says: str,
) -> None:
    app = anchored.app
    another_case(anchored)
    made = checkpoint(app)
    tamper(app, change)
    result = check_trail(app)
    assert result.report.ok, f"{how}: the trail should be consistent with itself"
    assert not result.ok
    [problem] = result.problems
    entries, now_head = head_of(app)
    expected = says.format(now=now_head[:16], signed=made.head[:16], before=entries)
    assert problem == f"{made.describe()} holder ikke længere: " + (
        f"post {made.entries} {expected}" if "har nu hash" in says else expected
    ), how
    assert made.describe() == f"kontrolpunkt 1 (post {made.entries}, signeret 23.02.2010 17:05)"


def test_the_first_checkpoint_that_no_longer_holds_is_the_one_named(anchored: Scenario) -> None:
    app = anchored.app
    checkpoint(app)
    another_case(anchored)
    later = checkpoint(app, SIGNED_AT + timedelta(days=1))
    tamper(app, cut_the_last_entry)  # the first checkpoint still holds, the second not
    problem = only_problem(app)
    assert problem.startswith(f"{later.describe()} holder ikke længere: sporet ender nu ved post")


# ------------------------------------------------------------------------------ --head


def test_a_head_written_down_is_found_by_its_first_16_hex_digits(anchored: Scenario) -> None:
    app = anchored.app
    entries, head = head_of(app)
    another_case(anchored)
    result = check_trail(app, head=head[:16].upper() + "…")
    assert result.ok, result.problems
    assert result.head_entry == entries
    assert check_trail(app, head=head).head_entry == entries


def test_a_head_of_a_trail_since_rewritten_is_not_found(anchored: Scenario) -> None:
    app = anchored.app
    _, head = head_of(app)
    tamper(app, rewrite_case_title)
    result = check_trail(app, head=head[:16])
    assert result.report.ok
    assert result.problems == (
        f"hovedet {head[:16]}… findes ikke i sporet: sporet er skrevet om eller afkortet, "
        "siden det hoved blev skrevet ned",
    )


def test_a_head_shorter_than_16_hex_digits_is_refused(anchored: Scenario) -> None:
    _, head = head_of(anchored.app)
    for given in (head[:15], "z" * 16, head + "0"):
        with pytest.raises(InvalidInputError, match="angiv mindst 16 af dens hex-cifre"):
            check_trail(anchored.app, head=given)


# ------------------------------------------------------------------------------ --since-checkpoint


def alter_body(connection: Connection, seq: int) -> None:
    connection.execute(
        text("UPDATE audit_entry SET body = replace(body, 'clerk', 'mallory') WHERE seq = :seq"),
        {"seq": seq},
    )


def test_the_quick_check_walks_only_the_entries_after_the_last_checkpoint(
    anchored: Scenario,
) -> None:
    app = anchored.app
    made = checkpoint(app)
    another_case(anchored, "2010-9001")
    another_case(anchored, "2010-9002")
    result = check_trail(app, since_checkpoint=True)
    assert result.ok, result.problems
    assert result.since == made
    assert result.report.entries == made.entries + 2


def test_the_quick_check_catches_an_entry_altered_after_the_checkpoint(
    anchored: Scenario,
) -> None:
    app = anchored.app
    made = checkpoint(app)
    another_case(anchored)
    tamper(app, lambda connection: alter_body(connection, made.entries + 1))
    assert only_problem(app, since_checkpoint=True) == (
        f"post {made.entries + 1} er ændret: dens indhold passer ikke til dens hash"
    )


def test_an_entry_altered_before_the_checkpoint_is_left_to_the_full_check(
    anchored: Scenario,
) -> None:
    """What the quick check cannot see: an entry before the checkpoint (other than the one
    it names) and the records; the full walk sees both."""
    app = anchored.app
    made = checkpoint(app)
    tamper(app, lambda connection: alter_body(connection, made.entries - 2))
    assert check_trail(app, since_checkpoint=True).ok
    assert only_problem(app) == (
        f"post {made.entries - 2} er ændret: dens indhold passer ikke til dens hash"
    )


def test_the_quick_check_refuses_to_start_without_a_checkpoint(anchored: Scenario) -> None:
    with pytest.raises(CheckpointLogError, match="ingen log over kontrolpunkter at begynde fra"):
        check_trail(anchored.app, since_checkpoint=True)


# ------------------------------------------------------------------------------ the minutes


def test_the_trail_line_is_danish() -> None:
    head = "3f9a0c12d4e5b6a7" + "0" * 48
    assert TrailAnchor(1234, head, SIGNED_AT).line == (
        "Revisionsspor: post 1.234, 3f9a0c12d4e5b6a7…, signeret 23.02.2010 17:05"
    )
    assert TrailAnchor(7, head).line == "Revisionsspor: post 7, 3f9a0c12d4e5b6a7…, ikke signeret"


def minutes_line(app: App) -> str:
    return trail_anchor(app.database, audit_files(app)).line


def test_minutes_carry_the_latest_checkpoint_the_trail_has_reached(anchored: Scenario) -> None:
    app = anchored.app
    entries, head = head_of(app)
    assert minutes_line(app) == f"Revisionsspor: post {entries}, {head[:16]}…, ikke signeret"
    made = checkpoint(app)
    another_case(anchored)
    assert minutes_line(app) == (
        f"Revisionsspor: post {made.entries}, {made.head[:16]}…, signeret 23.02.2010 17:05"
    )


def test_minutes_never_claim_a_checkpoint_the_trail_no_longer_holds(anchored: Scenario) -> None:
    app = anchored.app
    checkpoint(app)
    tamper(app, rewrite_case_title)
    entries, head = head_of(app)
    assert minutes_line(app) == f"Revisionsspor: post {entries}, {head[:16]}…, ikke signeret"


@pytest.mark.sqlite_only
def test_a_copy_restored_from_an_older_backup_carries_the_last_checkpoint_it_reached(
    anchored: Scenario, tmp_path: Path
) -> None:
    app = anchored.app
    first = checkpoint(app)
    another_case(anchored, "2010-9001")
    backup = tmp_path / "backup.db"
    backup_sqlite(app.database, backup)
    another_case(anchored, "2010-9002")
    checkpoint(app, SIGNED_AT + timedelta(days=1))
    restored = App(settings=app.settings.model_copy(update={"database_url": f"sqlite:///{backup}"}))
    assert minutes_line(restored) == (
        f"Revisionsspor: post {first.entries}, {first.head[:16]}…, signeret 23.02.2010 17:05"
    )
    restored.database.dispose()


# ------------------------------------------------------------------------------ council serve


class Clock:
    """The service's clock, set by the test: no real time passes."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_the_service_signs_a_checkpoint_when_the_last_is_a_day_old_by_its_clock(
    anchored: Scenario,
) -> None:
    app = anchored.app
    clock = Clock(SIGNED_AT)
    job = scheduled_checkpoints(app, clock=clock, every_hours=24)
    assert (job.id, job.id, job.minutes) == (JOB_ID, "council-audit-checkpoint", 60)
    made = job.run()
    assert isinstance(made, Checkpoint) and made.at == SIGNED_AT
    for later in (timedelta(hours=1), timedelta(hours=23, minutes=59)):
        clock.now = SIGNED_AT + later
        assert job.run() is None
    clock.now = SIGNED_AT + timedelta(hours=24)
    again = job.run()
    assert isinstance(again, Checkpoint) and (again.number, again.at) == (2, clock.now)
    assert [line.checkpoint for line in read_log(log_path(app))] == [made, again]


def test_the_service_runs_the_checkpoint_job_beside_the_sweep_and_signs_at_start(
    anchored: Scenario,
) -> None:
    app = anchored.app
    clock = Clock(SIGNED_AT)
    signed = threading.Event()
    job = scheduled_checkpoints(app, clock=clock, every_hours=24)
    checkpoints = type(job)(job.id, job.name, lambda: (job.run(), signed.set()), job.minutes)
    service = ReminderService(lambda: None, interval_minutes=5, also=[checkpoints])
    thread = threading.Thread(target=service.run, kwargs={"handle_signals": False})
    thread.start()
    try:
        assert signed.wait(30), "the checkpoint job did not run at start"
        assert sorted(j.id for j in service.scheduler.get_jobs()) == [
            "council-audit-checkpoint",
            "council-reminder-sweep",
        ]
    finally:
        service.stop()
        thread.join(timeout=30)
    assert not thread.is_alive()
    [line] = read_log(log_path(app))
    assert line.checkpoint.at == SIGNED_AT


def test_without_a_key_the_service_warns_once_and_signs_nothing(
    anchored: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    app = anchored.app
    key = audit_files(app).key
    assert key is not None
    key.unlink()
    job = scheduled_checkpoints(app, clock=Clock(SIGNED_AT), every_hours=24)
    with caplog.at_level("WARNING", logger="council.workflow.checkpoints"):
        assert job.run() is None
        assert job.run() is None
    assert [r.getMessage() for r in caplog.records] == [
        f"ingen revisionsnøgle i {key}: tjenesten signerer ingen kontrolpunkter af "
        "revisionssporet (lav en med 'council audit keygen')"
    ]
    assert not log_path(app).exists()


@pytest.mark.sqlite_only
def test_council_serve_signs_a_checkpoint_at_start_by_its_clock_and_stops_cleanly(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "council.db"
    app = anchored_app(f"sqlite:///{db_path}", tmp_path)  # key and log beside the database
    app.database.dispose()
    env = environment_for(
        db_path,
        COUNCIL_AUDIT_KEY=str(tmp_path / "audit-key"),
        COUNCIL_CHECKPOINT_LOG=str(tmp_path / "council.checkpoints"),
        COUNCIL_MAILDIR=str(tmp_path / "mail"),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "council", "serve", "--now", "2010-02-23T17:05"],
        cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    try:
        assert process.stderr is not None
        seen = []
        while not any("kontrolpunkt 1 signeret" in line for line in seen):
            line = process.stderr.readline()
            assert line, f"council serve ended before it signed: {seen}"
            seen.append(line)
        process.send_signal(signal.SIGTERM)
        out, rest = process.communicate(timeout=30)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, rest
    assert out == ""
    assert any(
        "kontrolpunktet 'council-audit-checkpoint' med 60 minutters mellemrum" in line
        for line in seen
    )
    [line] = read_log(tmp_path / "council.checkpoints")
    assert (
        line.checkpoint.at.astimezone(COPENHAGEN).strftime("%d.%m.%Y %H:%M") == "23.02.2010 17:05"
    )
    assert rest.splitlines()[-1].endswith("påmindelsestjenesten: stoppet")


def test_council_render_minutes_carries_the_signed_checkpoint_in_text_and_html(
    anchored: Scenario, council: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = anchored.app
    for name, value in (
        ("COUNCIL_AUDIT_KEY", app.settings.audit_key),
        ("COUNCIL_CHECKPOINT_LOG", app.settings.checkpoint_log),
    ):
        monkeypatch.setenv(name, str(value))
    made = checkpoint(app)
    line = f"Revisionsspor: post {made.entries}, {made.head[:16]}…, signeret 23.02.2010 17:05"
    text_minutes = council("render", "minutes", "BIU:2010-02-23")
    assert text_minutes.code == 0, text_minutes.err
    assert text_minutes.out.endswith(f"\n{line}\n")
    html_minutes = council("render", "minutes", "BIU:2010-02-23", "--format", "html")
    assert f'<footer class="trail-anchor">\n<p>{line}</p>\n</footer>' in html_minutes.out
    agenda = council("render", "agenda", "BIU:2010-02-23")
    assert "Revisionsspor" not in agenda.out
