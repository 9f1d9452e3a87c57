"""One settings object for the whole product, read from ``COUNCIL_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, PositiveInt, PrivateAttr, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from council.config.addresses import checked_address
from council.config.errors import AddressError, ConfigError
from council.config.locations import (
    CONFIG_FILES,
    SHIPPED_DIR,
    Source,
    config_folders,
    default_database,
    locate_file,
    sqlite_file_url,
    user_config_dir,
    user_data_dir,
)

CONFIG_DIR = SHIPPED_DIR  # the defaults shipped with the product
DEFAULT_DATABASE_URL = "sqlite:///council.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_IMPORT_MAX_BYTES = 5_000_000  # an agenda item is some tens of KB
DEFAULT_ATTACHMENT_MAX_BYTES = 50_000_000  # a scanned memo of some hundred pages
TIMEZONE = "Europe/Copenhagen"
DEFAULT_SENDER = "council@localhost"
# SQLite stores the busy timeout as a 32-bit number: a larger one silently becomes 0.
MAX_BUSY_TIMEOUT_MS = 2**31 - 1
MAX_SMTP_TIMEOUT_SECONDS = 3600.0

# What to write instead, for the variables whose range the settings check.
_HINTS = {
    "busy_timeout_ms": f"angiv millisekunder fra 0 til {MAX_BUSY_TIMEOUT_MS}, fx 10000",
    "smtp_port": "angiv en port fra 1 til 65535, fx 587",
    "smtp_timeout_seconds": (f"angiv sekunder over 0 og højst {MAX_SMTP_TIMEOUT_SECONDS:g}, fx 30"),
    "log_level": f"angiv et af {', '.join(LOG_LEVELS)}",
    "log_format": "angiv text eller json",
}
# Settings that can also be given on the command line, by the option that gives them.
_FLAGS = {"database_url": "--database", "config_dir": "--config", "log_format": "--log-format"}


class Settings(BaseSettings):
    """Everything an operator can set; each field is ``COUNCIL_<FIELD>`` in the environment.

    :func:`load_settings` fills in what was not set where :mod:`council.config.locations`
    finds it (the configuration files, the database) and remembers where each came from.
    """

    model_config = SettingsConfigDict(env_prefix="COUNCIL_", extra="ignore")

    config_dir: Path | None = None  # a municipality's config folder (--config DIR)
    database_url: str = DEFAULT_DATABASE_URL
    actor: str | None = None
    import_max_bytes: PositiveInt = DEFAULT_IMPORT_MAX_BYTES  # the largest file import reads
    # Attachments' files: the folder they are kept in (default: beside an SQLite database,
    # ``council.db`` -> ``council.attachments/``; required for PostgreSQL) and the largest.
    attachment_dir: Path | None = None
    attachment_max_bytes: PositiveInt = DEFAULT_ATTACHMENT_MAX_BYTES
    workflow_file: Path = CONFIG_DIR / "workflow.toml"
    committees_file: Path = CONFIG_DIR / "committees.toml"
    reminders_file: Path = CONFIG_DIR / "reminders.toml"
    decision_phrases_file: Path = CONFIG_DIR / "decision_phrases.toml"
    log_level: str = "INFO"  # of the log of council serve and council web
    log_format: Literal["text", "json"] = "text"  # timestamped lines, or JSON lines
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

    # Signed checkpoints of the audit trail. Unset, each lies beside an SQLite database
    # (``council.db`` -> ``council.audit-key``, ``council.audit-key.pub``,
    # ``council.checkpoints``) or, for another database, in the config folder.
    audit_key: Path | None = None  # the Ed25519 private key that signs (council audit keygen)
    audit_public_key: Path | None = None  # the key that checks; default: <audit_key>.pub
    checkpoint_log: Path | None = None  # the append-only, hash-linked log of checkpoints

    _sources: dict[str, Source] = PrivateAttr(default_factory=dict)
    _located: frozenset[str] = PrivateAttr(frozenset())  # the fields load_settings found

    def source_of(self, field: str) -> Source:
        """The value of a located setting and where it came from (for ``config show``)."""
        return self._sources.get(field) or Source(str(getattr(self, field)), "angivet")

    @property
    def database_located(self) -> bool:
        """True when nobody named the database and it goes where the config folder says."""
        return "database_url" in self._located

    @field_validator("database_url")
    @classmethod
    def _file_or_url(cls, value: str) -> str:
        """A bare file path (``--database council.db``) names an SQLite file, as a user
        would expect; anything with a scheme stays the URL it is."""
        if "://" in value or not value.strip():
            return value
        return sqlite_file_url(Path(value).expanduser())

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"{value!r} er ikke et logniveau")
        return level

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
    """Read the settings, turning a malformed environment value into one clear line, and
    locate what was not set: each configuration file and the database."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        name = "COUNCIL_" + field.upper() if field else "COUNCIL_*"
        if first["type"] == "value_error":  # the product's own check says why, in Danish
            reason = " ".join(str(first["msg"]).removeprefix("Value error, ").split())
        else:  # pydantic's words are English: say what was given instead
            reason = f"{first.get('input')!r} kan ikke bruges"
        hint = f"; {_HINTS[field]}" if field in _HINTS else ""
        raise ConfigError(f"indstillingen {name} er ugyldig: {reason}{hint}") from exc
    return _located(settings, flags=set(overrides) & set(_FLAGS))


def _located(settings: Settings, *, flags: set[str]) -> Settings:
    """``settings`` with the files and the database that were not set found, and where each
    came from recorded."""
    given = set(settings.model_fields_set)  # a copy: setting a field below adds to it

    def origin(field: str) -> str:
        return _FLAGS[field] if field in flags else f"COUNCIL_{field.upper()}"

    cwd = Path.cwd()
    explicit = settings.config_dir.expanduser() if settings.config_dir is not None else None
    folders = config_folders(
        explicit=explicit,
        explicit_origin=origin("config_dir"),
        cwd=cwd,
        user_dir=user_config_dir(),
        user_data=user_data_dir(),
    )
    sources: dict[str, Source] = {}
    leading = folders[0]
    sources["config_dir"] = (
        Source(str(leading.path), leading.origin)
        if leading.path != SHIPPED_DIR
        else Source("", "ingen angivet eller fundet: de medfølgende standarder")
    )
    for field in CONFIG_FILES:
        if field in given:
            sources[field] = Source(str(getattr(settings, field)), origin(field))
        else:
            sources[field] = locate_file(field, folders)
            setattr(settings, field, Path(sources[field].value))
    if "database_url" in given:
        sources["database_url"] = Source(settings.database_url, origin("database_url"))
    else:
        sources["database_url"] = default_database(folders, cwd=cwd)
        settings.database_url = sources["database_url"].value
    settings._sources = sources
    settings._located = frozenset(field for field in sources if field not in given)
    return settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
