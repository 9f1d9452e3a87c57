"""Serving the web application with uvicorn (``council web``).

uvicorn imports :func:`asgi_app_from_environment` (also in the process ``--reload`` starts), so
everything it needs comes from the ``COUNCIL_*`` environment, as for every command.
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI

from council.config.logs import configure_logging
from council.config.settings import load_settings
from council.workflow.app import App
from council.workflow.web.application import create_asgi_app

FACTORY = "council.workflow.web.server:asgi_app_from_environment"


def asgi_app_from_environment() -> FastAPI:
    settings = load_settings()
    app = App(settings=settings)
    app.initialised_database()
    configure_logging(level=settings.log_level, json_lines=settings.log_format == "json")
    key = settings.secret_key.get_secret_value() if settings.secret_key else ""
    return create_asgi_app(app, secret_key=key or secrets.token_urlsafe(32))
