"""Withdrawing an agenda item (trukket, "udgår"), with the reason why.

The item moves to the workflow's withdrawn state (``[workflow] withdrawn`` in
``config/workflow.toml``; the shipped one is "trukket": final, fulfilling no obligation)
by the transition the workflow has to it from the item's state, recorded as a decision
whose text is "Punktet blev trukket: <grund>". The minutes and the history print that line
in place of "<Udvalg>s beslutning".
"""

from __future__ import annotations

from datetime import datetime

from council.cases import transitions
from council.cases.db import UnitOfWork
from council.workflow.errors import CorrectionRefused, TransitionRefused
from council.workflow.machine import Rulebook
from council.workflow.services.corrections import require_reason
from council.workflow.services.transitions import TransitionResult, decide_item


def withdraw_item(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item_id: int,
    reason: str | None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
) -> TransitionResult:
    """Withdraw the item for ``reason``; refused where the workflow has no way to the
    withdrawn state (an item already finally decided)."""
    why = require_reason(reason, missing="et punkt, der trækkes,")
    state = rulebook.definition.withdrawn
    if state is None:
        raise CorrectionRefused(
            "no_withdrawn_state",
            f"{rulebook.definition.path.name} angiver ingen tilstand for trukne punkter; "
            "sæt [workflow] withdrawn",
        )
    sentence = (rulebook.standard_sentence(state) or "Punktet blev trukket.").rstrip(". ")
    try:
        return decide_item(
            uow,
            rulebook,
            item_id=item_id,
            outcome=state,
            text=f"{sentence}: {why}",
            actor=actor,
            now=now,
            expected_version=expected_version,
        )
    except TransitionRefused as exc:
        with uow:
            current = transitions.load(uow, item_id, with_latest_entry=False).state
        raise CorrectionRefused(
            "not_withdrawable",
            f"punkt-id {item_id} er '{rulebook.label(current).lower()}' og kan ikke trækkes; "
            "kun et punkt uden endelig beslutning kan",
        ) from exc
