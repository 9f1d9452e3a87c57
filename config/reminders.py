"""The reminder service's settings, read from ``config/reminders.toml``.

Only shapes and ranges are checked here; the cadence and due-rule texts are read by
``cases.obligations.terms`` (a layer above), which the workflow layer runs on them when
it loads this file, so a bad default is refused naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from council.config.addresses import checked_address
from council.config.errors import AddressError, ConfigError
from council.config.toml_files import read_toml, str_list

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
MAX_WAIT_MINUTES = 365 * 24 * 60
STEP_NAMES = {
    "lead": "Påmindelse",
    "due": "Frist i dag",
    "overdue": "Rykker {n}",
    "late": "Frist overskredet",
}
"""What the mails call each kind of step (``[steps]``): a notice before the due date, the
notice on the day, the n-th escalation, and a notice sent after the due date that is no
escalation (after downtime). ``{n}`` is the escalation's number."""


@dataclass(frozen=True)
class ReminderConfig:
    """What ``config/reminders.toml`` says; every field has the shipped default."""

    path: Path | None = None
    interval_minutes: float = 5.0
    send_at: time = time(8, 0)
    cadence: str = "FREQ=YEARLY"
    due: str = "31.12"
    lead_days: tuple[int, ...] = (60, 14, 0)
    escalate_every_days: int | None = 7
    due_soon_days: int = 14
    committee_secretariat: bool = True
    always: tuple[str, ...] = ()
    administrations: dict[str, str] = field(default_factory=dict)
    retry_first_minutes: float = 1.0
    retry_max_minutes: float = 60.0
    lease_minutes: float = 10.0
    step_names: dict[str, str] = field(default_factory=lambda: dict(STEP_NAMES))
    digest: tuple[str, ...] = ()
    """Addresses that get one mail a day listing every reminder for them (``[digest]``)."""

    def wants_digest(self, address: str) -> bool:
        return address in self.digest

    def administration_contact(self, administration: str) -> str | None:
        """The contact address of an administration (forvaltning), matched without case."""
        wanted = " ".join(administration.split()).casefold()
        for name, address in self.administrations.items():
            if " ".join(name.split()).casefold() == wanted:
                return address
        return None


def load_reminders(path: Path) -> ReminderConfig:
    """Read and check ``path``; any flaw is one ``ConfigError`` line naming file and entry."""
    data = read_toml(path)
    service = _table(data, "service", path)
    defaults = _table(data, "defaults", path)
    recipients = _table(data, "recipients", path)
    delivery = _table(data, "delivery", path)
    steps = _table(data, "steps", path)
    digest = _table(data, "digest", path)
    base = ReminderConfig()
    escalate = _int(defaults, "escalate_every_days", path, "defaults", base.escalate_every_days)
    administrations = recipients.get("administrations", {})
    if not isinstance(administrations, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in administrations.items()
    ):
        raise ConfigError(
            f"{path}: [recipients.administrations] must map administration names to addresses"
        )
    committee_secretariat = recipients.get("committee_secretariat", True)
    if not isinstance(committee_secretariat, bool):
        raise ConfigError(f"{path}: [recipients] 'committee_secretariat' must be true or false")
    return ReminderConfig(
        path=path,
        interval_minutes=_positive(service, "interval_minutes", path, "service", 5.0),
        send_at=_time(service, "send_at", path),
        cadence=_text(defaults, "cadence", path, base.cadence),
        due=_text(defaults, "due", path, base.due),
        lead_days=_lead_days(defaults, path),
        escalate_every_days=escalate or None,
        due_soon_days=_int(defaults, "due_soon_days", path, "defaults", base.due_soon_days) or 0,
        committee_secretariat=committee_secretariat,
        always=tuple(
            _address(value, path, "[recipients] 'always'")
            for value in str_list(recipients, "always", where=f"{path}: [recipients]")
        ),
        administrations={
            name: _address(value, path, f"[recipients.administrations] '{name}'")
            for name, value in administrations.items()
        },
        retry_first_minutes=_wait(delivery, "retry_first_minutes", path, 1.0),
        retry_max_minutes=_wait(delivery, "retry_max_minutes", path, 60.0),
        lease_minutes=_wait(delivery, "lease_minutes", path, 10.0),
        step_names=_step_names(steps, path),
        digest=tuple(
            _address(value, path, "[digest] 'recipients'")
            for value in str_list(digest, "recipients", where=f"{path}: [digest]")
        ),
    )


def _step_names(table: dict[str, Any], path: Path) -> dict[str, str]:
    """The Danish names of the steps: each a non-empty line; ``{n}`` the only field."""
    unknown = sorted(set(table) - set(STEP_NAMES))
    if unknown:
        raise ConfigError(
            f"{path}: [steps] '{unknown[0]}' is not a step; name {', '.join(STEP_NAMES)}"
        )
    names = dict(STEP_NAMES)
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
            raise ConfigError(
                f"{path}: [steps] '{key}' must be a name on one line, e.g. \"{STEP_NAMES[key]}\""
            )
        try:
            value.format(n=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(
                f"{path}: [steps] '{key}' may hold only {{n}} (the escalation's number), "
                f'e.g. "Rykker {{n}}"'
            ) from exc
        names[key] = value.strip()
    return names


def _address(value: str, path: Path, where: str) -> str:
    try:
        return checked_address(value)
    except AddressError as exc:
        raise ConfigError(f"{path}: {where}: {exc}") from exc


def _table(data: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return table


def _positive(table: dict[str, Any], key: str, path: Path, where: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"{path}: [{where}] '{key}' must be a number above 0, e.g. {default:g}")
    return float(value)


def _wait(table: dict[str, Any], key: str, path: Path, default: float) -> float:
    """A wait of delivery in minutes: above 0 and at most a year (the outbox stores the
    moment it ends, which must stay inside the calendar)."""
    value = _positive(table, key, path, "delivery", default)
    if value > MAX_WAIT_MINUTES:
        raise ConfigError(
            f"{path}: [delivery] '{key}' must be at most {MAX_WAIT_MINUTES} minutes (a year), "
            f"e.g. {default:g}"
        )
    return value


def _int(
    table: dict[str, Any], key: str, path: Path, where: str, default: int | None
) -> int | None:
    value = table.get(key, default if default is not None else 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{path}: [{where}] '{key}' must be a whole number of days, 0 or more")
    return value


def _text(table: dict[str, Any], key: str, path: Path, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: [defaults] '{key}' must be a non-empty string")
    return value.strip()


def _lead_days(table: dict[str, Any], path: Path) -> tuple[int, ...]:
    value = table.get("lead_days", [60, 14, 0])
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
    ):
        raise ConfigError(
            f"{path}: [defaults] 'lead_days' must be a list of whole numbers of days, "
            "e.g. [60, 14, 0]"
        )
    return tuple(sorted(set(value), reverse=True))


def _time(table: dict[str, Any], key: str, path: Path) -> time:
    value = table.get(key, "08:00")
    match = _TIME.match(value) if isinstance(value, str) else None
    try:
        if match is None:
            raise ValueError(value)
        return time(int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise ConfigError(
            f"{path}: [service] '{key}' must be a local time of day like \"08:00\""
        ) from exc
