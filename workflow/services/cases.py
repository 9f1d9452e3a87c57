"""Acts on the register: the committees as configured, and new cases."""

from __future__ import annotations

import re
from datetime import datetime

from council.cases import case_records
from council.cases import committees as committee_store
from council.cases.case_records import CaseRecord
from council.cases.committees import CommitteeValues
from council.cases.dates import require_aware
from council.cases.db import UnitOfWork
from council.cases.errors import InvalidInputError
from council.config.committees import CommitteeConfig
from council.workflow.services.inputs import require_actor, required_text

CASE_NUMBER = re.compile(r"^[0-9A-Za-zÆØÅæøå][0-9A-Za-zÆØÅæøå./-]{0,39}$")
"""A journal number as the administrations write them: ``2010-4130``, ``SUD-2026-08-26-p7``."""


def load_committees(
    uow: UnitOfWork, *, committees: list[CommitteeConfig], actor: str, now: datetime
) -> list[str]:
    """Add or update committees from config; returns the codes that changed."""
    actor, now = require_actor(actor), require_aware(now)
    changed = []
    with uow:
        for config in committees:
            values = CommitteeValues(
                config.name,
                config.administration,
                config.secretariat_email,
                config.members,
                config.recommends_to,
                [{"name": e.name, "until": e.until.isoformat()} for e in config.earlier_names]
                or None,
            )
            if committee_store.load(uow, code=config.code, values=values, actor=actor, now=now):
                changed.append(config.code)
        uow.commit()
    return changed


def create_case(
    uow: UnitOfWork, *, number: str, title: str, owner: str, actor: str, now: datetime
) -> CaseRecord:
    """A new case (sag) under its journal number, which must be new."""
    actor, now = require_actor(actor), require_aware(now)
    number = number.strip()
    if not CASE_NUMBER.match(number):
        raise InvalidInputError(
            f"sagsnummeret '{number}' er ugyldigt; brug journalnummeret, fx 2010-4130"
        )
    title, owner = required_text(title, "sagens titel"), required_text(owner, "ejeren")
    with uow:
        case = case_records.create(
            uow, number=number, title=title, owner=owner, actor=actor, now=now
        )
        uow.commit()
    return case
