"""Where the audit trail's anchors live outside the database: the Ed25519 key pair that
signs checkpoints and the checkpoint log.

``COUNCIL_AUDIT_KEY``, ``COUNCIL_AUDIT_PUBLIC_KEY`` (default: the key's ``.pub``) and
``COUNCIL_CHECKPOINT_LOG`` say where; unset, they lie beside an SQLite database
(``council.db`` -> ``council.audit-key``, ``council.audit-key.pub``, ``council.checkpoints``)
or, for another database, in the config folder. Never in the database: what it anchors is
what someone who can write the database might change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from council.cases.audit_keys import public_key_path
from council.cases.db import sqlite_path
from council.cases.errors import AuditKeyError, CheckpointLogError
from council.workflow.app import App

KEY_SUFFIX = ".audit-key"
LOG_SUFFIX = ".checkpoints"


@dataclass(frozen=True)
class AuditFiles:
    """Where the key pair and the checkpoint log are; None where nothing says."""

    key: Path | None
    public_key: Path | None
    log: Path | None

    def require_key(self) -> Path:
        if self.key is None:
            raise AuditKeyError(
                _NO_PLACE.format(what="revisionsnøglen", setting="COUNCIL_AUDIT_KEY")
            )
        return self.key

    def require_public_key(self) -> Path:
        if self.public_key is None:
            raise AuditKeyError(
                _NO_PLACE.format(
                    what="den offentlige revisionsnøgle", setting="COUNCIL_AUDIT_PUBLIC_KEY"
                )
            )
        return self.public_key

    def require_log(self) -> Path:
        if self.log is None:
            raise CheckpointLogError(
                _NO_PLACE.format(what="kontrolpunkt-loggen", setting="COUNCIL_CHECKPOINT_LOG")
            )
        return self.log


_NO_PLACE = (
    "intet sted til {what}: databasen er ikke en SQLite-fil, og ingen konfigurationsmappe "
    "er i brug; sæt {setting}"
)


def audit_files(app: App) -> AuditFiles:
    """The key, public key and log of this installation (see the module's docstring)."""
    settings = app.settings
    folder_and_stem = _default_place(app)
    key = settings.audit_key
    if key is None and folder_and_stem is not None:
        folder, stem = folder_and_stem
        key = folder / f"{stem}{KEY_SUFFIX}"
    public = settings.audit_public_key or (public_key_path(key) if key is not None else None)
    checkpoint_log = settings.checkpoint_log
    if checkpoint_log is None and folder_and_stem is not None:
        folder, stem = folder_and_stem
        checkpoint_log = folder / f"{stem}{LOG_SUFFIX}"
    return AuditFiles(_expanded(key), _expanded(public), _expanded(checkpoint_log))


def _default_place(app: App) -> tuple[Path, str] | None:
    database = sqlite_path(app.settings.database_url)
    if database is not None:
        return database.parent, database.stem
    config_folder = app.settings.source_of("config_dir").value
    return (Path(config_folder), "council") if config_folder else None


def _expanded(path: Path | None) -> Path | None:
    return path.expanduser() if path is not None else None
