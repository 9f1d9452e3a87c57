"""The Danish words of the commands that keep the system running: files written, the
database, keys and checkpoints, the configuration, imports and reminders. The words of
cases, meetings and items are in :mod:`council.workflow.cli.texts`."""

from __future__ import annotations

from datetime import datetime


def wrote(path: object, what: str | None = None) -> str:
    return f"skrev {path}" + (f" ({what})" if what else "")


def events(count: int) -> str:
    return f"{count} begivenhed" if count == 1 else f"{count} begivenheder"


def key_written(private: str, public: str, key_id: str) -> str:
    return (
        f"revisionsnøgle skrevet: {private} (privat, tilstand 0600); offentlig nøgle skrevet: "
        f"{public}, nøgle-id {key_id}. Gem en kopi af den private nøgle uden for databasens "
        "maskine, med backup; giv revisorerne den offentlige nøgle og dens id"
    )


def checkpoint_written(
    number: int, entries: int, at: datetime, log: str, head: str, key: str
) -> str:
    from council.cases.dates import format_minute

    return (
        f"kontrolpunkt {number} (post {entries}, signeret {format_minute(at)}) skrevet i "
        f"{log}: hoved {head}, nøgle {key}"
    )


def database_current(where: str, revision: str) -> str:
    return f"databasen i {where} er opdateret (revision {revision})"


def database_upgraded(where: str, before: str | None, after: str) -> str:
    return f"databasen i {where} er opgraderet: {before or 'tom'} → {after}"


def schema_matches(head: str) -> str:
    return f"skemaet svarer til modellerne (revision {head})"


def backup_written(where: str, target: object) -> str:
    return f"backup af {where} skrevet til {target}"


def privileges_heading(role: str, where: str) -> str:
    return f"-- rettigheder for {role} i {where}; kør som ejeren af tabellerne"
