"""A starter config folder a municipality edits (``council config init DIR``).

It holds the four files the product looks up (see :mod:`council.config.locations`): the
shipped workflow and decision phrases with a header, and a short, commented
``committees.toml`` and ``reminders.toml`` with placeholder addresses (``.example``, a
domain that never receives mail) for the municipality to replace. Every file written is
one the loaders accept, so ``council --config DIR init`` works at once.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

from council.config.errors import ConfigError
from council.config.locations import CONFIG_FILES, SHIPPED_DIR
from council.config.os_reasons import os_reason

MAX_NAME = 100


def municipality_name(text: str | None) -> str | None:
    """The name as it goes into the files: one printable line, or a ``ConfigError``."""
    if text is None:
        return None
    name = unicodedata.normalize("NFC", text).strip()
    if not name or not name.isprintable() or len(name) > MAX_NAME:
        raise ConfigError(
            f'--municipality skal være et navn på én linje på højst {MAX_NAME} tegn, fx "Ballerup"'
        )
    return name


def write_starter(folder: Path, *, municipality: str | None = None) -> list[Path]:
    """Write the starter files into ``folder`` (made if needed); refuses, writing nothing,
    when any of them is there already."""
    name = municipality_name(municipality)
    texts = starter_texts(name)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: er en fil, ikke en mappe; vælg en anden")
    present = [folder / f for f in texts if os.path.lexists(folder / f)]  # links too
    if present:
        raise ConfigError(
            f"{present[0]}: findes allerede; intet er skrevet (ret i den, eller vælg en tom mappe)"
        )
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for file, text in texts.items():
            with (folder / file).open("x", encoding="utf-8") as handle:  # never over a file
                written.append(folder / file)
                handle.write(text)
    except OSError as exc:
        for path in written:  # all four or none
            path.unlink(missing_ok=True)
        raise ConfigError(f"{folder}: kan ikke skrive startfilerne ({os_reason(exc)})") from exc
    return written


def starter_texts(municipality: str | None) -> dict[str, str]:
    """The files of a starter folder by name, for ``municipality`` (or a generic one)."""
    who = _kommune(municipality)
    domain = f"{_slug(municipality) or 'kommune'}.example"
    texts = {
        CONFIG_FILES["workflow_file"]: _shipped("workflow.toml", who),
        CONFIG_FILES["committees_file"]: _committees(who, domain),
        CONFIG_FILES["reminders_file"]: _reminders(domain),
        CONFIG_FILES["decision_phrases_file"]: _shipped("decision_phrases.toml", who),
    }
    return texts


def _kommune(municipality: str | None) -> str:
    if municipality is None:
        return "the municipality"
    if municipality.casefold().endswith("kommune"):
        return municipality
    return f"{municipality} Kommune"


def _slug(municipality: str | None) -> str:
    """``Høje-Taastrup`` -> ``hoeje-taastrup``: a placeholder mail domain, ASCII only."""
    if not municipality:
        return ""
    text = municipality.casefold().removesuffix("kommune").strip()
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(letter, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return "-".join(words)[:63]


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _shipped(file: str, who: str) -> str:
    header = (
        f"# {who}'s copy of the shipped {file}, written by 'council config init'.\n"
        "# Edit it to change how the product behaves; delete it to use the shipped one.\n#\n"
    )
    return header + (SHIPPED_DIR / file).read_text(encoding="utf-8")


# Committees most Danish municipalities have, with the administration serving each.
_COMMITTEES = (
    ("KB", "Kommunalbestyrelsen", "Direktionen", "kb"),
    ("ØU", "Økonomiudvalget", "Økonomi og Styring", "oeu"),
    ("BU", "Børne- og Skoleudvalget", "Børn og Skole", "bu"),
    ("SU", "Social- og Sundhedsudvalget", "Social og Sundhed", "su"),
    ("TM", "Teknik- og Miljøudvalget", "Teknik og Miljø", "tm"),
)


def _committees(who: str, domain: str) -> str:
    lines = [
        f"# The standing committees (udvalg) of {who}, with the administration",
        "# (forvaltning) that serves each. Replace these examples with your own: one",
        "# [[committee]] table per committee.",
        "#",
        '#   code               short code used on the command line ("ØU", "BIU")',
        "#   name               the committee's full name",
        "#   administration     the forvaltning that writes its recommendations",
        "#   secretariat_email  who the reminder service writes to about it (optional)",
        "#",
        f"# The addresses below are at {domain}: .example is a domain that never receives",
        "# mail; replace them before reminders are sent. 'council init' loads this file",
        "# (again after every edit); 'council config show' tells which file is used.",
    ]
    for code, name, administration, mailbox in _COMMITTEES:
        lines += [
            "",
            "[[committee]]",
            f"code = {_toml(code)}",
            f"name = {_toml(name)}",
            f"administration = {_toml(administration)}",
            f"secretariat_email = {_toml(f'sekretariat.{mailbox}@{domain}')}",
        ]
    return "\n".join(lines) + "\n"


def _reminders(domain: str) -> str:
    administrations = "\n".join(
        f"{_toml(administration)} = {_toml(f'kontakt.{mailbox}@{domain}')}"
        for _, _, administration, mailbox in _COMMITTEES
    )
    return f"""\
# The reminder service: when the sweep runs, what a status obligation gets by default,
# and whom it reminds. `council obligation add` flags override the defaults for one
# obligation. Every key may be left out (the shipped default then applies); a misspelt
# key is refused, naming the closest valid one.

[service]
interval_minutes = 5           # `council serve` sweeps this often (and once at start)
send_at = "08:00"              # reminders go out at this local time (Europe/Copenhagen)
checkpoint_every_hours = 24    # `council serve` signs a checkpoint of the audit trail this often

[defaults]
cadence = "FREQ=YEARLY"        # RFC 5545 RRULE: FREQ=YEARLY, or FREQ=YEARLY;INTERVAL=2
due = "31.12"                  # due by this day of the period's last year
lead_days = [60, 14, 0]        # notices this many days before the due date (0: on the day)
escalate_every_days = 7        # overdue: a reminder every this many days (0: never)
due_soon_days = 14             # `council obligations` shows "due soon" this close

[recipients]
# Without --recipient an obligation reminds the committee's secretariat_email
# (committees.toml) when this is true, the contact of the administration that owns the
# case (below), and the addresses in `always`.
committee_secretariat = true
always = []

[recipients.administrations]
# The contact of each administration (forvaltning), by the name used as a case's owner.
# Placeholders: replace them with real addresses.
{administrations}

[delivery]
# A failed delivery is retried after 1, 2, 4, ... minutes, at most retry_max_minutes
# apart, and never given up. Each wait is above 0 and at most a year (525600).
retry_first_minutes = 1
retry_max_minutes = 60
lease_minutes = 10             # a crashed sweep's messages are retried after this long
"""
