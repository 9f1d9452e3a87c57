"""One settings object for the whole product, read from ``COUNCIL_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from council.config.errors import ConfigError

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = "sqlite:///council.db"
TIMEZONE = "Europe/Copenhagen"


class Settings(BaseSettings):
    """Everything an operator can set; each field is ``COUNCIL_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="COUNCIL_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    actor: str | None = None
    workflow_file: Path = CONFIG_DIR / "workflow.toml"
    committees_file: Path = CONFIG_DIR / "committees.toml"
    reminders_file: Path = CONFIG_DIR / "reminders.toml"
    busy_timeout_ms: int = 10_000

    # The web application signs its session cookies with this key; without it ``council web``
    # makes one per start (sessions then end when it stops, and instances cannot share them).
    secret_key: SecretStr | None = None

    # Delivery of reminders. With no SMTP host, mail goes to a Maildir next to the database
    # (``council.db`` -> ``council.maildir/``) or to ``maildir`` when that is set.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = "council@localhost"
    smtp_timeout_seconds: float = 30.0
    maildir: Path | None = None


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a malformed environment value into one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "COUNCIL_" + str(first["loc"][0]).upper() if first["loc"] else "COUNCIL_*"
        raise ConfigError(f"setting {name} is invalid: {first['msg']}") from exc


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
