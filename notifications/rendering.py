"""The one Jinja2 environment of the product: templates in ``notifications/templates``.

``StrictUndefined`` turns a missing value into an error instead of an empty string;
HTML templates (``*.html.j2``) are autoescaped, text templates (``*.txt.j2``) are not.
Dates are shown as ``cases.dates`` writes them: ``long_date`` gives "23. februar 2010",
``short_date`` "23.02.2010" (the form the minutes' layout uses).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    UndefinedError,
    select_autoescape,
)

from council.cases.dates import format_date, format_long_date, format_minute, local_date
from council.notifications.errors import TemplateError

TEMPLATES = Path(__file__).resolve().parent / "templates"


def long_date(value: date | datetime | None) -> str:
    """'23. februar 2010'; an unknown date says so."""
    return format_long_date(_local(value))


def short_date(value: date | datetime | None) -> str:
    """'23.02.2010'; an unknown date says so."""
    return format_date(_local(value))


def local_time(value: datetime) -> str:
    """An aware timestamp as Copenhagen wall-clock time, '23.02.2010 17:00'."""
    return format_minute(value)


def _local(value: date | datetime | None) -> date | None:
    """A moment's Copenhagen date; a date as it is."""
    return local_date(value) if isinstance(value, datetime) else value


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # shipped with the package: compiled once, not stat'ed per render
    )
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    env.filters["local_time"] = local_time
    return env


def render(template_name: str, **context: Any) -> str:
    """Render one template; a missing template or value is a ``TemplateError``."""
    try:
        return environment().get_template(template_name).render(**context)
    except TemplateNotFound as exc:
        raise TemplateError(f"skabelonen '{template_name}' findes ikke i {TEMPLATES}") from exc
    except UndefinedError as exc:
        raise TemplateError(f"skabelonen '{template_name}': {exc.message}") from exc
