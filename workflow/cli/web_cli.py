"""``council web``: serve the web application with uvicorn."""

# Annotations stay evaluated (no __future__ import): typer reads the commands' annotations
# on every start-up, and would compile and evaluate each string annotation twice.

import os
import secrets
from pathlib import Path

import typer

from council.workflow.cli import runtime, terminal


def web(
    host: str = typer.Option("127.0.0.1", "--host", help="Adressen, der lyttes på."),
    port: int = typer.Option(8000, "--port", help="Porten, der lyttes på."),
    db: Path = typer.Option(
        None, "--db", help="Kør med denne SQLite-fil (fx council-demo.db) i stedet for standarden."
    ),
    reload: bool = typer.Option(False, "--reload", help="Genstart, når koden ændres."),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        "--forwarded-allow-ips",
        help="Proxyer, hvis X-Forwarded-For/-Proto-headere man stoler på "
        "(kommasepareret, eller *).",
    ),
    root_path: str = typer.Option(
        "", "--root-path", help="Stipræfikset, proxyen stiller applikationen til rådighed under."
    ),
    log_format: str = runtime.LOG_FORMAT_OPTION,
) -> None:
    import uvicorn

    from council.config.logs import configure_logging
    from council.workflow.web.server import FACTORY

    if db is not None:
        from council.cases.db import sqlite_url

        runtime.configure(database_url=sqlite_url(db))
    runtime.log_format(log_format)
    app = runtime.app()
    app.initialised_database()  # one clear line now rather than a traceback per request
    # The application is built from the environment (also in the process --reload starts):
    # what the command line chose goes there, so it finds the same files and database.
    settings = app.settings
    os.environ["COUNCIL_DATABASE_URL"] = settings.database_url
    os.environ["COUNCIL_LOG_FORMAT"] = settings.log_format
    if settings.config_dir is not None:
        os.environ["COUNCIL_CONFIG_DIR"] = str(settings.config_dir)
    configure_logging(level=settings.log_level, json_lines=settings.log_format == "json")
    if app.settings.secret_key is None:
        os.environ["COUNCIL_SECRET_KEY"] = secrets.token_urlsafe(32)
        terminal.complain(
            "note: COUNCIL_SECRET_KEY is not set: sessions end when the server stops "
            "(set it to keep them, and to run several instances)"
        )
    terminal.say(
        f"council web: serving {app.database.describe()} on http://{host}:{port}{root_path}/ "
        "(stop with Ctrl-C)"
    )
    uvicorn.run(
        FACTORY,
        factory=True,
        host=host,
        port=port,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        root_path=root_path,
        log_config=None,  # uvicorn's lines go to the product's log (timestamps, JSON lines)
        log_level=settings.log_level.lower(),
    )
