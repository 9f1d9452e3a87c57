"""``council import text`` given what is not a whole agenda item's text file, as a user runs it.

Each refusal is one line on stderr, a non-zero exit and the database as it was; a later,
longer version of an item completes it (audited), a shorter one never shortens it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support import CliResult

from council.cases.importers import copenhagen_text

Council = Callable[..., CliResult]
A = ("--actor", "Anne Jensen, SUD-sekretariatet")
SEED = "seeds/agenda-item-biu-2010-4130.txt"
POSTPONED = "realdata/copenhagen-text/koebenhavn_socialudvalget_2026-08-26_punkt07.txt"
LAST_PARAGRAPH = (
    "Status blev forelagt Socialudvalget den 2. december 2009 (SUD 02.12.09, punkt 17), hvor "
    "orienteringen blev taget til efterretning."
)


@pytest.fixture
def ready(council: Council) -> Council:
    assert council("init", *A).code == 0
    return council


def refused(result: CliResult, *parts: str) -> str:
    """The one error line of a refused command, which must contain each of ``parts``."""
    assert result.code != 0, result.out
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    assert line.startswith("fejl: ") and line.endswith("; intet blev importeret"), line
    for part in parts:
        assert part in line, line
    return line


def write_cut(tmp_path: Path, shared: Path, relative: str, end: int | str) -> Path:
    """The real file cut after ``end`` bytes, or after the line ``end``; same file name."""
    data = (shared / relative).read_bytes()
    if isinstance(end, str):
        line = (end + "\n").encode("utf-8")
        end = data.index(line) + len(line)
    path = tmp_path / Path(relative).name
    path.write_bytes(data[:end])
    return path


# ------------------------------------------------------------------ what is not a text file


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_importing_dev_zero_is_refused_at_once_instead_of_reading_until_memory_runs_out(
    ready: Council, database_url: str, snapshot: Callable[[], str], tmp_path: Path
) -> None:
    import resource

    def at_most_one_gigabyte() -> None:  # without the fix, /dev/zero fills it in a second
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    before = snapshot()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env["COUNCIL_DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-m", "council", "import", "text", "/dev/zero", *A],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=at_most_one_gigabyte,
        check=False,
    )
    line = refused(CliResult(result.returncode, result.stdout, result.stderr))
    assert line == (
        "fejl: /dev/zero: er en tegnenhed, ikke en fil; angiv dagsordenspunktets tekstfil; "
        "intet blev importeret"
    )
    assert snapshot() == before


@pytest.fixture
def fifo_with_a_writer(tmp_path: Path, shared_dir: Path) -> Iterator[Path]:
    """A FIFO that a thread writes the seed into once something opens it for reading."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    fifo = tmp_path / "agenda.txt"
    os.mkfifo(fifo)
    text = (shared_dir / SEED).read_bytes()

    def write() -> None:
        try:
            with open(fifo, "wb") as pipe:  # blocks until a reader opens the FIFO
                pipe.write(text)
        except OSError:
            pass  # the reader closed it unread

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    yield fifo
    if writer.is_alive():  # nobody opened it: open it ourselves so the writer can finish
        descriptor = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        writer.join(5)
        os.close(descriptor)
    writer.join(5)


def test_a_fifo_is_refused_unread(
    ready: Council, fifo_with_a_writer: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    refused(
        ready("import", "text", str(fifo_with_a_writer), *A),
        f"{fifo_with_a_writer}: er en FIFO (navngivet rør), ikke en fil; angiv dagsordenspunktets",
    )
    assert snapshot() == before


def test_a_directory_is_refused_as_a_directory(
    ready: Council, tmp_path: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    folder = tmp_path / "dagsordener"
    folder.mkdir()
    refused(
        ready("import", "text", str(folder), *A),
        f"{folder}: er en mappe, ikke en fil; angiv dagsordenspunktets tekstfil",
    )
    assert snapshot() == before


def test_a_file_over_the_import_limit_is_refused_and_one_at_the_limit_imports(
    ready: Council,
    shared_dir: Path,
    snapshot: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = shared_dir / SEED
    size = seed.stat().st_size
    before = snapshot()
    monkeypatch.setenv("COUNCIL_IMPORT_MAX_BYTES", str(size - 1))
    refused(
        ready("import", "text", str(seed), *A),
        f"{seed.name}: er større end importgrænsen på {size - 1:,} byte (COUNCIL_IMPORT_MAX_BYTES)",
    )
    assert snapshot() == before
    monkeypatch.setenv("COUNCIL_IMPORT_MAX_BYTES", str(size))
    assert ready("import", "text", str(seed), *A).code == 0


@pytest.mark.parametrize("value", ["0", "-5", "viele"])
def test_an_import_limit_that_is_not_a_positive_number_is_one_line(
    ready: Council, shared_dir: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("COUNCIL_IMPORT_MAX_BYTES", value)
    result = ready("import", "text", str(shared_dir / SEED), *A)
    assert result.code != 0
    [line] = result.err.strip().splitlines()
    assert line.startswith("fejl: indstillingen COUNCIL_IMPORT_MAX_BYTES er ugyldig")


def test_a_latin_1_file_is_refused_saying_where_and_what_to_do(
    ready: Council, shared_dir: Path, tmp_path: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    latin = tmp_path / "punkt4.txt"
    text = (shared_dir / SEED).read_text(encoding="utf-8")
    latin.write_bytes(text.replace("–", "-").encode("latin-1"))
    refused(
        ready("import", "text", str(latin), *A),
        "punkt4.txt: ikke en UTF-8-tekstfil (byte 0xe5 ved position 13); gem den som UTF-8",
    )
    assert snapshot() == before


def test_a_file_holding_nul_bytes_is_refused_as_not_text(
    ready: Council, tmp_path: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    zeros = tmp_path / "zeros.txt"
    zeros.write_bytes(b"4. Status\n" + bytes(4096))
    refused(
        ready("import", "text", str(zeros), *A),
        "zeros.txt: indeholder NUL-byte (position 10), så det er ikke en tekstfil",
    )
    assert snapshot() == before


# ------------------------------------------------------------------ a cut-off item


@pytest.mark.parametrize(
    ("relative", "end", "says"),
    [
        (
            POSTPONED,
            3000,
            "dens sidste linje «…en af magt i det sociale arbejde og arbe» har intet linjeskift",
        ),
        (SEED, "Morten Binder", "den slutter i «BILAG» («Morten Binder»), før de underskrifter"),
        (SEED, "bilag", "den slutter med overskriften «bilag» og intet under den"),
        (
            POSTPONED,
            "Bilag 2. Forklaringer på magtanvendelserne i 2025",
            "dens tekst henviser til Bilag 4, men dens bilagsliste stopper ved 2",
        ),
    ],
    ids=["head-c-3000", "half-signed", "bilag-heading", "half-the-bilag"],
)
def test_a_cut_off_item_is_refused_naming_the_part_that_looks_cut_off(
    ready: Council,
    shared_dir: Path,
    tmp_path: Path,
    snapshot: Callable[[], str],
    relative: str,
    end: int | str,
    says: str,
) -> None:
    before = snapshot()
    cut = write_cut(tmp_path, shared_dir, relative, end)
    refused(ready("import", "text", str(cut), *A), f"{cut.name}: filen ser afskåret ud: {says}")
    assert snapshot() == before


def test_a_cut_file_among_whole_ones_imports_none_of_them(
    ready: Council, shared_dir: Path, tmp_path: Path, snapshot: Callable[[], str]
) -> None:
    before = snapshot()
    cut = write_cut(tmp_path, shared_dir, POSTPONED, 3000)
    refused(ready("import", "text", str(shared_dir / SEED), str(cut), *A), "ser afskåret ud")
    assert snapshot() == before


# ------------------------------------------------------------------ importing again


def test_the_whole_file_completes_an_item_an_earlier_release_stored_cut_off(
    ready: Council, shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cut = write_cut(tmp_path, shared_dir, POSTPONED, 3000)
    with monkeypatch.context() as earlier_release:
        earlier_release.setattr(copenhagen_text, "cut_off_part", lambda *_: None, raising=False)
        assert ready("import", "text", str(cut), *A).code == 0
    assert "Socialudvalget får i 2027" not in ready("render", "item", "1").out

    result = ready("import", "text", str(shared_dir / POSTPONED), *A)

    assert result.code == 0, result.err
    assert (
        "suppleret fra filen, som har mere: Problemstilling, Løsning, Videre proces, "
        "underskrifter, Bilag (en rettelse i revisionssporet, 'genimport med mere indhold')"
    ) in result.out
    document = ready("render", "item", "1").out
    assert "Socialudvalget får i 2027 en opgørelse over indberettede magtanvendelser" in document
    assert "i det sociale arbejde og arbejder kontinuerligt" in document
    assert "Behandlingen af indstillingen blev udskudt" in document
    verified = ready("audit", "verify")
    assert verified.code == 0, verified.err


def test_a_shorter_file_never_shortens_the_stored_item_and_says_so(
    ready: Council, shared_dir: Path, tmp_path: Path, snapshot: Callable[[], str]
) -> None:
    assert ready("import", "text", str(shared_dir / SEED), *A).code == 0
    before = snapshot()
    shorter = tmp_path / "agenda-item-biu-2010-4130.txt"
    text = (shared_dir / SEED).read_text(encoding="utf-8")
    shorter.write_text(text.replace("\n\n" + LAST_PARAGRAPH, ""), encoding="utf-8")

    result = ready("import", "text", str(shorter), *A)

    assert result.code == 0, result.err
    assert "intet er ændret" in result.out
    assert (
        "punkt-id 1: beholdt det gemte Løsning: filen har mindre (en import forkorter aldrig en "
        "gemt tekst)"
    ) in result.out
    assert snapshot() == before
    assert LAST_PARAGRAPH in ready("render", "item", "1").out
