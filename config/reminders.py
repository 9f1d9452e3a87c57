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
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from council.config.toml_files import TableModel, read_model
from council.config.values import Address, AddressList, NonEmptyText

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
MAX_WAIT_MINUTES = 365 * 24 * 60
MAX_WAIT_HOURS = 365 * 24
DAYS = "skal være et helt antal dage, 0 eller flere"
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
    checkpoint_every_hours: float = 24.0
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


def _above_zero(value: float) -> float:
    if value <= 0:
        raise ValueError("skal være et tal over 0")
    return value


def _at_most_a_year(value: float) -> float:
    """A wait of delivery in minutes: the outbox stores the moment it ends, which must stay
    inside the calendar."""
    if value > MAX_WAIT_MINUTES:
        raise ValueError(f"skal være højst {MAX_WAIT_MINUTES} minutter (et år)")
    return value


def _not_negative(value: int) -> int:
    if value < 0:
        raise ValueError(DAYS)
    return value


def _time_of_day(value: Any) -> Any:
    """ "08:00" (or a TOML local time) as a time of day."""
    if isinstance(value, time):
        return value
    match = _TIME.match(value) if isinstance(value, str) else None
    try:
        if match is None:
            raise ValueError(value)
        return time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise ValueError('skal være et klokkeslæt som "08:00"') from None


def _at_most_a_year_of_hours(value: float) -> float:
    if value > MAX_WAIT_HOURS:
        raise ValueError(f"skal være højst {MAX_WAIT_HOURS} timer (et år)")
    return value


def _step_name(value: str) -> str:
    """A step's Danish name: one non-empty line; ``{n}`` the only field."""
    if not value.strip() or "\n" in value or "\r" in value:
        raise ValueError('skal være et navn på én linje, fx "Rykker {n}"')
    try:
        value.format(n=1)
    except (KeyError, IndexError, ValueError):
        raise ValueError('må kun indeholde {n} (rykkerens nummer), fx "Rykker {n}"') from None
    return value.strip()


Minutes = Annotated[float, AfterValidator(_above_zero)]
Hours = Annotated[float, AfterValidator(_above_zero), AfterValidator(_at_most_a_year_of_hours)]
Wait = Annotated[float, AfterValidator(_above_zero), AfterValidator(_at_most_a_year)]
Days = Annotated[int, AfterValidator(_not_negative)]
LocalTime = Annotated[time, BeforeValidator(_time_of_day)]
StepName = Annotated[str, AfterValidator(_step_name)]


class _Service(TableModel):
    interval_minutes: Minutes = Field(5.0, description="skal være et tal over 0, fx 5")
    send_at: LocalTime = Field(time(8, 0), description='skal være et klokkeslæt som "08:00"')
    checkpoint_every_hours: Hours = Field(
        24.0, description=f"skal være et antal timer over 0 og højst {MAX_WAIT_HOURS}, fx 24"
    )


class _Defaults(TableModel):
    cadence: NonEmptyText = Field(
        "FREQ=YEARLY", description='skal være en tekst, der ikke er tom, fx "FREQ=YEARLY"'
    )
    due: NonEmptyText = Field(
        "31.12", description='skal være en tekst, der ikke er tom, fx "31.12"'
    )
    lead_days: list[Days] = Field(
        [60, 14, 0], description="skal være en liste af hele antal dage, fx [60, 14, 0]"
    )
    escalate_every_days: Days = Field(7, description=DAYS)
    due_soon_days: Days = Field(14, description=DAYS)


class _Recipients(TableModel):
    committee_secretariat: bool = Field(True, description="skal være true eller false")
    always: AddressList = Field(
        default_factory=list, description="skal være en tekst eller en liste af tekster"
    )
    administrations: dict[str, Address] = Field(
        default_factory=dict, description="skal knytte forvaltningers navne til adresser"
    )


class _Delivery(TableModel):
    retry_first_minutes: Wait = Field(1.0, description="skal være et tal over 0, fx 1")
    retry_max_minutes: Wait = Field(60.0, description="skal være et tal over 0, fx 60")
    lease_minutes: Wait = Field(10.0, description="skal være et tal over 0, fx 10")


class _Steps(TableModel):
    lead: StepName = Field(STEP_NAMES["lead"], description='skal være et navn, fx "Påmindelse"')
    due: StepName = Field(STEP_NAMES["due"], description='skal være et navn, fx "Frist i dag"')
    overdue: StepName = Field(
        STEP_NAMES["overdue"], description='skal være et navn, fx "Rykker {n}"'
    )
    late: StepName = Field(
        STEP_NAMES["late"], description='skal være et navn, fx "Frist overskredet"'
    )


class _Digest(TableModel):
    recipients: AddressList = Field(
        default_factory=list, description="skal være en tekst eller en liste af tekster"
    )


class RemindersFile(TableModel):
    """The whole of ``reminders.toml``; every table and key may be left out."""

    service: _Service = _Service()
    defaults: _Defaults = _Defaults()
    recipients: _Recipients = _Recipients()
    delivery: _Delivery = _Delivery()
    steps: _Steps = _Steps()
    digest: _Digest = _Digest()


def load_reminders(path: Path) -> ReminderConfig:
    """Read and check ``path``; any flaw is one ``ConfigError`` line naming file and entry."""
    data = read_model(path, RemindersFile)
    service, defaults = data.service, data.defaults
    recipients, delivery = data.recipients, data.delivery
    return ReminderConfig(
        path=path,
        interval_minutes=service.interval_minutes,
        send_at=service.send_at,
        checkpoint_every_hours=service.checkpoint_every_hours,
        cadence=defaults.cadence,
        due=defaults.due,
        lead_days=tuple(sorted(set(defaults.lead_days), reverse=True)),
        escalate_every_days=defaults.escalate_every_days or None,
        due_soon_days=defaults.due_soon_days,
        committee_secretariat=recipients.committee_secretariat,
        always=tuple(recipients.always),
        administrations=dict(recipients.administrations),
        retry_first_minutes=delivery.retry_first_minutes,
        retry_max_minutes=delivery.retry_max_minutes,
        lease_minutes=delivery.lease_minutes,
        step_names=data.steps.model_dump(),
        digest=tuple(data.digest.recipients),
    )
