"""PostgreSQL for the benchmarks: where the server comes from, and a fresh database on it.

``COUNCIL_BENCH_POSTGRES_URL`` (an admin URL) names a server to use. ``.ci/with-postgres``
gives its throwaway server as ``COUNCIL_TEST_POSTGRES_URL``, read too where durability does
not matter (the import's row): that server runs with ``fsync`` and ``synchronous_commit``
off, which is right for tests and wrong for a throughput figure. So the rows that claim
production durability start a server of their own (:func:`durable_server`): a cluster made
by ``initdb`` in a temporary folder of its own and run by ``pg_ctl`` at PostgreSQL's defaults
(``fsync``, ``synchronous_commit`` and ``full_page_writes`` on), on loopback, stopped and
removed afterwards. Each figure says which settings it ran under (:func:`durability`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def admin_url_from_environment() -> str | None:
    """The server the environment names, durable or not (the import's row)."""
    return os.environ.get("COUNCIL_BENCH_POSTGRES_URL") or os.environ.get(
        "COUNCIL_TEST_POSTGRES_URL"
    )


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's ``bin`` folder (Debian's layout), if any."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: [int(part) for part in path.parent.name.split(".") if part.isdigit()],
    )
    return found[-1] if found and (found[-1] / "initdb").exists() else None


@contextmanager
def durable_server() -> Iterator[str | None]:
    """An admin URL of a server at production durability: ``COUNCIL_BENCH_POSTGRES_URL``
    if set, else a private cluster in a folder of its own (the server's user must be able
    to reach it: not inside the bench's private work folder); ``None`` when neither."""
    named = os.environ.get("COUNCIL_BENCH_POSTGRES_URL")
    if named:
        yield named
        return
    binaries = server_binaries()
    if binaries is None:
        yield None
        return
    cluster = Path(tempfile.mkdtemp(prefix="council-bench-pg-"))
    cluster.chmod(0o755)
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(cluster, "postgres")
    data = cluster / "data"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    initdb = [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "council"]
    _quietly([*run_as, *initdb, "-E", "UTF8", "--locale", "C.UTF-8"])
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {cluster}"
    pg_ctl = [*run_as, str(binaries / "pg_ctl"), "-D", str(data)]
    _quietly([*pg_ctl, "-l", str(cluster / "server.log"), "-w", "-o", options, "start"])
    try:
        yield f"postgresql+psycopg://council@127.0.0.1:{port}/postgres"
    finally:
        _quietly([*pg_ctl, "-m", "fast", "stop"], check=False)
        shutil.rmtree(cluster, ignore_errors=True)


def _quietly(command: list[str], *, check: bool = True) -> None:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=check)


@contextmanager
def fresh_database(
    admin_url: str, *, label: str = "", template: str | None = None
) -> Iterator[str]:
    """A new database on the server of ``admin_url``, empty or a copy of the database
    ``template`` names (a URL on the same server, with no one connected to it); dropped
    afterwards. ``label`` goes into its name, to tell the databases of one run apart."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"council_bench_{label + '_' if label else ''}{uuid.uuid4().hex[:12]}"
    copied = f' TEMPLATE "{make_url(template).database}"' if template else ""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{copied}'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def durability(url: str) -> str:
    """The server's ``fsync``, ``synchronous_commit`` and ``full_page_writes``, as text."""
    import psycopg

    with psycopg.connect(psycopg_url(url)) as connection:
        settings = [
            f"{name}={connection.execute(f'SHOW {name}').fetchone()[0]}"  # type: ignore[index]
            for name in ("fsync", "synchronous_commit", "full_page_writes")
        ]
    return ", ".join(settings)


def psycopg_url(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://``) as libpq takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
