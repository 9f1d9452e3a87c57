"""One settings object for the whole product, read from ``COUNCIL_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, PositiveInt, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from council.config.addresses import checked_address
from council.config.errors import AddressError, ConfigError

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = "sqlite:///council.db"
DEFAULT_IMPORT_MAX_BYTES = 5_000_000  # an agenda item is some tens of KB
TIMEZONE = "Europe/Copenhagen"
DEFAULT_SENDER = "council@localhost"
# SQLite stores the busy timeout as a 32-bit number: a larger one silently becomes 0.
MAX_BUSY_TIMEOUT_MS = 2**31 - 1
MAX_SMTP_TIMEOUT_SECONDS = 3600.0

# What to write instead, for the variables whose range the settings check.
_HINTS = {
    "busy_timeout_ms": f"give milliseconds from 0 to {MAX_BUSY_TIMEOUT_MS}, e.g. 10000",
    "smtp_port": "give a port from 1 to 65535, e.g. 587",
    "smtp_timeout_seconds": (
        f"give seconds above 0 and at most {MAX_SMTP_TIMEOUT_SECONDS:g}, e.g. 30"
    ),
}


class Settings(BaseSettings):
    """Everything an operator can set; each field is ``COUNCIL_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="COUNCIL_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    actor: str | None = None
    import_max_bytes: PositiveInt = DEFAULT_IMPORT_MAX_BYTES  # the largest file import reads
    workflow_file: Path = CONFIG_DIR / "workflow.toml"
    committees_file: Path = CONFIG_DIR / "committees.toml"
    reminders_file: Path = CONFIG_DIR / "reminders.toml"
    busy_timeout_ms: int = Field(default=10_000, ge=0, le=MAX_BUSY_TIMEOUT_MS)

    # The web application signs its session cookies with this key; without it ``council web``
    # makes one per start (sessions then end when it stops, and instances cannot share them).
    secret_key: SecretStr | None = None

    # Delivery of reminders. With no SMTP host, mail goes to a Maildir next to the database
    # (``council.db`` -> ``council.maildir/``) or to ``maildir`` when that is set.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = DEFAULT_SENDER
    smtp_timeout_seconds: float = Field(
        default=30.0, gt=0, le=MAX_SMTP_TIMEOUT_SECONDS, allow_inf_nan=False
    )
    maildir: Path | None = None

    @field_validator("smtp_sender")
    @classmethod
    def _one_address(cls, value: str) -> str:
        """The From of every reminder: one plain-ASCII address, checked before anything is
        sent. The default names this machine (``localhost``, which email-validator refuses
        as a special-use name, rightly for a relay but not for the Maildir the default
        delivers to); it is well-formed, and needs no check (nor its import)."""
        if value == DEFAULT_SENDER:
            return value
        try:
            return checked_address(value, ascii_only=True)
        except AddressError as exc:
            raise ValueError(str(exc)) from exc


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a malformed environment value into one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        name = "COUNCIL_" + field.upper() if field else "COUNCIL_*"
        reason = " ".join(str(first["msg"]).removeprefix("Value error, ").split())
        hint = f"; {_HINTS[field]}" if field in _HINTS else ""
        raise ConfigError(f"setting {name} is invalid: {reason}{hint}") from exc


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
