"""Keys, checkpoints and their log through the CLI: a mistake is one line on stderr, a
non-zero exit, and the database, the key and the log exactly as they were."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from support import CliResult

Council = Callable[..., CliResult]
A = ("--actor", "clerk")


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The key and the log of the test, in a folder of their own (whatever the database)."""
    folder = tmp_path / "anchor"
    folder.mkdir()
    monkeypatch.setenv("COUNCIL_AUDIT_KEY", str(folder / "audit-key"))
    monkeypatch.setenv("COUNCIL_CHECKPOINT_LOG", str(folder / "council.checkpoints"))
    return folder


@pytest.fixture
def initialised(council: Council, files: Path) -> Council:
    for args in (
        ("init", *A),
        ("case", "new", "--number", "2010-4130", "--title", "Status", "--owner", "SOF", *A),
    ):
        result = council(*args)
        assert result.code == 0, (args, result.err)
    return council


def one_line(result: CliResult, code: int = 1) -> str:
    assert result.code == code, (result.code, result.out, result.err)
    assert result.err.startswith("fejl: ") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    return result.err.removeprefix("fejl: ").rstrip("\n")


def contents(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


# ------------------------------------------------------------------------------ keygen


def test_keygen_makes_a_private_key_only_its_owner_reads_and_its_public_key_beside_it(
    initialised: Council, files: Path
) -> None:
    os.umask(0o022)
    result = initialised("audit", "keygen")
    assert result.code == 0, result.err
    key, public = files / "audit-key", files / "audit-key.pub"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    assert key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert f"revisionsnøgle skrevet: {key} (privat, tilstand 0600)" in result.out
    assert f"offentlig nøgle skrevet: {public}, nøgle-id " in result.out


@pytest.mark.parametrize("existing", ["audit-key", "audit-key.pub"])
def test_keygen_never_overwrites_a_key_or_its_public_half(
    initialised: Council, files: Path, existing: str
) -> None:
    (files / existing).write_text("a key someone keeps\n")
    before = contents(files)
    problem = one_line(initialised("audit", "keygen"))
    assert problem == (
        f"{files / existing} findes allerede og overskrives aldrig (de kontrolpunkter, nøglen "
        "underskrev, kunne ikke længere kontrolleres); angiv en anden fil med --key eller "
        "COUNCIL_AUDIT_KEY"
    )
    assert contents(files) == before


def test_keygen_refuses_a_symbolic_link_where_the_key_would_go(
    initialised: Council, files: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere"
    (files / "audit-key").symlink_to(target)
    problem = one_line(initialised("audit", "keygen"))
    assert "findes allerede og overskrives aldrig" in problem
    assert not target.exists()


def test_keygen_into_a_folder_that_is_not_there_is_refused(
    initialised: Council, tmp_path: Path
) -> None:
    problem = one_line(initialised("audit", "keygen", "--key", str(tmp_path / "no" / "key")))
    assert problem == (
        f"kan ikke lave revisionsnøglen {tmp_path / 'no' / 'key'}: mappen {tmp_path / 'no'} "
        "findes ikke"
    )


# ------------------------------------------------------------------------------ checkpoint


def test_a_checkpoint_without_a_key_says_how_to_make_one(
    initialised: Council, files: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    problem = one_line(initialised("audit", "checkpoint"))
    assert problem == (
        f"ingen revisionsnøgle i {files / 'audit-key'}: lav en med 'council audit keygen' "
        "(eller peg COUNCIL_AUDIT_KEY på din egen)"
    )
    assert snapshot() == before
    assert not (files / "council.checkpoints").exists()


def test_a_key_others_can_read_is_refused(initialised: Council, files: Path) -> None:
    assert initialised("audit", "keygen").code == 0
    (files / "audit-key").chmod(0o644)
    problem = one_line(initialised("audit", "checkpoint"))
    assert problem == (
        f"revisionsnøglen {files / 'audit-key'} kan læses af andre (tilstand 0644); giv kun "
        f"ejeren adgang: chmod 600 {files / 'audit-key'}"
    )


def test_a_key_file_that_holds_no_key_is_refused(initialised: Council, files: Path) -> None:
    key = files / "audit-key"
    key.write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n")
    key.chmod(0o600)
    problem = one_line(initialised("audit", "checkpoint"))
    assert problem == (
        f"{key} er ikke en ukrypteret privat Ed25519-nøgle i PEM-form (som 'council audit "
        "keygen' laver dem)"
    )


@pytest.fixture
def signed(initialised: Council, files: Path) -> Council:
    """A key and two checkpoints in the log."""
    for args in (("audit", "keygen"), ("audit", "checkpoint"), ("audit", "checkpoint")):
        result = initialised(*args)
        assert result.code == 0, (args, result.err)
    return initialised


def test_a_checkpoint_printed_is_the_line_appended_to_the_log(signed: Council, files: Path) -> None:
    result = signed("audit", "checkpoint")
    assert result.code == 0, result.err
    first, line = result.out.splitlines()
    assert first.startswith("kontrolpunkt 3 (post 9, signeret ") and "skrevet i " in first
    assert (files / "council.checkpoints").read_text().splitlines()[-1] == line
    assert json.loads(line)["entries"] == 9


def write_log(files: Path, text: str | bytes) -> Path:
    path = files / "council.checkpoints"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def first_line(files: Path) -> str:
    return (files / "council.checkpoints").read_text().splitlines()[0]


BAD_LOGS: list[tuple[str, Callable[[Path], object], str]] = [
    (
        "a line that is not JSON",
        lambda f: write_log(f, first_line(f) + "\n{not json\n"),
        "council.checkpoints, linje 2: ikke et kontrolpunkt (ikke et JSON-objekt); loggen er "
        "redigeret eller er ikke en kontrolpunkt-log",
    ),
    (
        "a line without its signature",
        lambda f: write_log(
            f, json.dumps({k: v for k, v in json.loads(first_line(f)).items() if k != "sig"}) + "\n"
        ),
        "council.checkpoints, linje 1: ikke et kontrolpunkt (felterne sig mangler eller er ukendte)",
    ),
    (
        "a line cut off",
        lambda f: write_log(f, first_line(f) + "\n" + first_line(f)[:40]),
        "council.checkpoints, linje 2: afskåret (intet linjeskift til sidst)",
    ),
    (
        "bytes that are not UTF-8",
        lambda f: write_log(f, b"\xff\xfe checkpoint\n"),
        "council.checkpoints er ikke UTF-8-tekst (byte 0): den er ikke en sådan log",
    ),
    (
        "a folder where the log should be",
        lambda f: ((f / "council.checkpoints").unlink(), (f / "council.checkpoints").mkdir()),
        "council.checkpoints er ikke en almindelig fil",
    ),
    (
        "a FIFO where the log should be",
        lambda f: ((f / "council.checkpoints").unlink(), os.mkfifo(f / "council.checkpoints")),
        "council.checkpoints er ikke en almindelig fil",
    ),
]


@pytest.mark.parametrize("command", ["verify", "checkpoint", "since"])
@pytest.mark.parametrize(("how", "spoil", "says"), BAD_LOGS, ids=[b[0] for b in BAD_LOGS])
def test_a_checkpoint_log_that_cannot_be_read_is_one_line_and_nothing_is_added_to_it(
    signed: Council,
    files: Path,
    snapshot: Callable[[], str],
    command: str,
    how: str,
    spoil: Callable[[Path], object],
    says: str,
) -> None:
    spoil(files)
    before, database = contents(files), snapshot()
    args = {
        "verify": ("audit", "verify"),
        "checkpoint": ("audit", "checkpoint"),
        "since": ("audit", "verify", "--since-checkpoint"),
    }[command]
    problem = one_line(signed(*args))
    assert says in problem, how
    assert contents(files) == before
    assert snapshot() == database


def test_a_log_that_does_not_verify_gets_nothing_added(signed: Council, files: Path) -> None:
    lines = (files / "council.checkpoints").read_text().splitlines()
    write_log(files, lines[1] + "\n")  # the first checkpoint deleted
    before = contents(files)
    problem = one_line(signed("audit", "checkpoint"))
    assert problem.startswith(
        f"kontrolpunkt-loggen {files / 'council.checkpoints'} holder ikke, så intet tilføjes "
        "til den: kontrolpunkt 1 står ikke, hvor loggen skal have det"
    )
    assert problem.endswith("gem den som bevis, og begynd en ny log (COUNCIL_CHECKPOINT_LOG)")
    assert contents(files) == before


def test_a_log_of_another_database_gets_no_checkpoint_of_this_one(
    signed: Council, files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCIL_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    assert signed("init", *A).code == 0
    before = contents(files)
    problem = one_line(signed("audit", "checkpoint"))
    assert problem.startswith(
        f"kontrolpunkt-loggen {files / 'council.checkpoints'} har kontrolpunkter fra en anden "
        "database ("
    )
    assert contents(files) == before


def test_a_log_in_a_folder_that_is_not_there_is_refused(
    signed: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "gone" / "council.checkpoints"
    monkeypatch.setenv("COUNCIL_CHECKPOINT_LOG", str(missing))
    problem = one_line(signed("audit", "checkpoint"))
    assert problem == (
        f"kan ikke skrive kontrolpunkt-loggen {missing}: mappen {missing.parent} findes ikke"
    )


# ------------------------------------------------------------------------------ verify


def test_verify_against_a_log_that_is_not_there_says_so(signed: Council, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.checkpoints"
    problem = one_line(signed("audit", "verify", "--checkpoints", str(missing)))
    assert problem == (
        f"ingen kontrolpunkt-log i {missing}: 'council audit checkpoint' skriver en "
        "(COUNCIL_CHECKPOINT_LOG angiver en anden)"
    )


def test_verify_of_a_signed_log_without_the_public_key_says_where_to_point(
    signed: Council, files: Path
) -> None:
    (files / "audit-key.pub").unlink()
    problem = one_line(signed("audit", "verify"))
    assert problem == (
        f"ingen offentlig revisionsnøgle i {files / 'audit-key.pub'}: peg "
        "COUNCIL_AUDIT_PUBLIC_KEY på .pub-filen til den nøgle, der underskriver kontrolpunkterne"
    )


def test_the_quick_check_without_any_checkpoint_says_to_run_the_full_one(
    initialised: Council,
) -> None:
    problem = one_line(initialised("audit", "verify", "--since-checkpoint"))
    assert problem.startswith("ingen log over kontrolpunkter at begynde fra")
    assert "kør den fulde 'council audit verify'" in problem


@pytest.mark.parametrize(
    ("head", "says"),
    [
        ("3f9a", "--head '3f9a' er ikke en hoved-hash: angiv mindst 16 af dens hex-cifre"),
        ("not-a-hash-at-all-really", "er ikke en hoved-hash"),
        ("\x1b[2J" + "0" * 16, "er ikke en hoved-hash"),
    ],
)
def test_a_head_that_is_no_hash_is_refused(signed: Council, head: str, says: str) -> None:
    problem = one_line(signed("audit", "verify", "--head", head))
    assert says in problem
    assert "\x1b" not in problem


def test_a_head_with_the_quick_check_is_refused(signed: Council) -> None:
    problem = one_line(signed("audit", "verify", "--since-checkpoint", "--head", "0" * 16))
    assert problem == (
        "--head kontrolleres ved den fulde gennemgang: udelad --since-checkpoint for at bruge det"
    )


def test_verify_prints_the_full_head_and_the_checkpoints_it_checked(
    signed: Council, files: Path
) -> None:
    result = signed("audit", "verify")
    assert result.code == 0, result.err
    head = json.loads((files / "council.checkpoints").read_text().splitlines()[-1])["head"]
    lines = result.out.splitlines()
    assert lines[0] == f"revisionssporet er kontrolleret: 9 poster, kædens hoved {head}"
    assert lines[1].startswith(
        f"kontrolpunkter kontrolleret: 2 i {files / 'council.checkpoints'} (nøgle "
    )
    quick = signed("audit", "verify", "--since-checkpoint")
    assert quick.code == 0, quick.err
    assert quick.out.splitlines()[0].startswith(
        "revisionssporet er kontrolleret siden kontrolpunkt 2 (post 9"
    )
    noted = signed("audit", "verify", "--head", head[:16])
    assert noted.code == 0, noted.err
    assert "det nedskrevne hoved er post 9 i sporet" in noted.out
