"""Drafting an agenda item: the administration's indstilling, in the workflow's first state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from council.cases import case_records, committees, items
from council.cases.dates import require_aware
from council.cases.db import UnitOfWork
from council.cases.errors import InvalidInputError
from council.cases.item_texts import Sections
from council.cases.items import DraftedItem
from council.config.committees import load_matters
from council.workflow.guards import DECISION, ORIENTATION
from council.workflow.machine import Rulebook
from council.workflow.services.inputs import require_actor, required_text

KIND_WORDS = {
    "orientering": ORIENTATION,
    "orienteringssag": ORIENTATION,
    "beslutning": DECISION,
    "beslutningssag": DECISION,
}


@dataclass(frozen=True)
class ItemDraft:
    """The content of an agenda item as the administration writes it."""

    title: str
    kind: str
    closed: bool = False
    summary: str = ""
    administration: str | None = None
    recommendation: tuple[str, ...] = ()
    problem: str = ""
    solution: str = ""
    economy: str = ""
    next_steps: str = ""
    signatures: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()

    def sections(self, default_administration: str) -> Sections:
        """The texts as stored: trimmed, empty "at ..." points left out, and the committee's
        administration when the draft names none."""
        return Sections(
            summary=self.summary.strip(),
            administration=(self.administration or default_administration).strip(),
            recommendation=tuple(p.strip() for p in self.recommendation if p.strip()),
            problem=self.problem.strip(),
            solution=self.solution.strip(),
            economy=self.economy.strip(),
            next_steps=self.next_steps.strip(),
            signatures=self.signatures,
            attachments=self.attachments,
        )


def normalise_kind(word: str) -> str:
    kind = KIND_WORDS.get(word.strip().casefold())
    if kind is None:
        raise InvalidInputError(f"punkttypen '{word}' er ukendt; brug orientering eller beslutning")
    return kind


def competent_for_matter(committees_file: Path, matter: str, competent: str | None) -> str:
    """The code of the body ``committees.toml`` says decides ``matter``; refused for a kind
    the file does not list, or when ``competent`` names another body."""
    matters = load_matters(committees_file)
    wanted = matter.strip().casefold()
    found = next((m for m in matters if m.kind.casefold() == wanted), None)
    if found is None:
        kinds = ", ".join(m.kind for m in matters) or "none"
        raise InvalidInputError(
            f"sagsområdet '{matter}' står ikke i {committees_file.name} "
            f"([[matter]]-områder: {kinds})"
        )
    if competent is not None and competent.strip().upper() != found.decided_by:
        raise InvalidInputError(
            f"--matter {found.kind} afgøres af {found.decided_by}, ikke {competent.upper()}; "
            "angiv én af dem"
        )
    return found.decided_by


def draft_item(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    case_number: str,
    committee_code: str,
    draft: ItemDraft,
    actor: str,
    now: datetime,
    competent_code: str | None = None,
) -> DraftedItem:
    """A new item of the case for the committee, in the workflow's initial state.

    ``competent_code`` names the body that decides the item's matter (config's
    ``[[matter]]``, or the clerk's choice); without it, the committee decides its own item.
    """
    actor, now = require_actor(actor), require_aware(now)
    title = required_text(draft.title, "punktets titel")
    kind = normalise_kind(draft.kind)
    with uow:
        case = case_records.ref_by_number(uow, case_number)
        committee = committees.facts_by_code(uow, committee_code)
        competent = committees.facts_by_code(uow, competent_code) if competent_code else None
        if competent is not None and competent.id == committee.id:
            competent = None
        item = items.draft(
            uow,
            case=case,
            committee=committee.row,
            title=title,
            kind=kind,
            closed=draft.closed,
            sections=draft.sections(committee.administration),
            state=rulebook.definition.initial,
            actor=actor,
            now=now,
            competent=competent.row if competent else None,
        )
        uow.commit()
    return item
