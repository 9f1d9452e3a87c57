"""Editing an agenda item: its title, texts, kind, closed flag and bilag.

While the item has no final decision, an edit is free (it is still audited, as an
``item.corrected`` entry holding what the item now says, and a reason when one is given).
Once its final decision is recorded, what was decided on is corrected only with a reason,
and the correction is shown in the history and the minutes ("Rettet den ...") from a
correction row beside the item.

The kind (orientering, beslutning) is changed only while no decision is recorded on the
item: a recorded outcome was judged by it (taget til efterretning is an orienteringssag's,
godkendt a beslutningssag's), and a kind that contradicts it would make no sense.

A bilag is named by its number as the item shows it (Bilag 1, 2, ... of those still on
it). An edit retitles it, or takes it off the item: the bilag keeps its row and its file
stays in the attachment store, so the trail and ``audit verify`` still vouch for it, but
documents, pages and search no longer show it, and the bilag after it move up one number.

Flipping the closed flag (lukket punkt) takes effect everywhere at once: every public
output asks :mod:`council.workflow.visibility` about the item as it now is, and the search
index is refreshed in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from council.cases import attachments, corrections, item_texts, items
from council.cases.attachments import AttachmentLine
from council.cases.dates import require_aware
from council.cases.db import UnitOfWork
from council.cases.errors import ConflictError, InvalidInputError
from council.cases.item_texts import Heading, Sections
from council.workflow.errors import CorrectionRefused
from council.workflow.machine import Rulebook
from council.workflow.services.attachments import bilag_title
from council.workflow.services.corrections import require_reason
from council.workflow.services.inputs import hidden_character, require_actor
from council.workflow.services.items import normalise_kind


@dataclass(frozen=True)
class ItemChanges:
    """What an edit gives; None (or for the lists, None) leaves a field as it is."""

    title: str | None = None
    kind: str | None = None
    closed: bool | None = None
    summary: str | None = None
    administration: str | None = None
    recommendation: tuple[str, ...] | None = None
    problem: str | None = None
    solution: str | None = None
    economy: str | None = None
    next_steps: str | None = None
    signatures: tuple[str, ...] | None = None
    attachment_titles: tuple[tuple[int, str], ...] | None = None  # (bilag number, new title)
    removed_attachments: tuple[int, ...] | None = None  # bilag numbers

    def given(self) -> bool:
        return any(value is not None for value in vars(self).values())


@dataclass(frozen=True)
class ItemEdited:
    item_id: int
    title: str
    closed: bool
    version: int
    changed: tuple[str, ...]  # the fields that changed, by code name
    correction: bool  # made after the final decision: shown as a correction


SECTION_NAMES = (
    "summary",
    "administration",
    "recommendation",
    "problem",
    "solution",
    "economy",
    "next_steps",
    "signatures",
)


def edit_item(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item_id: int,
    changes: ItemChanges,
    reason: str | None = None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
) -> ItemEdited:
    """Change what ``changes`` gives (see the module for when a reason is required)."""
    actor, now = require_actor(actor), require_aware(now)
    if not changes.given():
        raise CorrectionRefused(
            "nothing_given",
            "intet at rette: giv mindst én af --title, --summary, --point, --problem, "
            "--solution, --economy, --next-steps, --signature, --administration, --kind, "
            "--closed/--open, --rename-attachment, --remove-attachment",
        )
    changes = _checked(changes)
    with uow:
        session = uow.session
        item = items.by_id(session, item_id)
        assert item.id is not None
        if expected_version is not None and expected_version != item.version:
            raise ConflictError(item.id, expected_version, item.version)
        heading = item_texts.heading_of(session, item.id)
        sections, version = item_texts.sections_of(session, item.id)
        new_heading = Heading(
            title=changes.title if changes.title is not None else heading.title,
            kind=changes.kind if changes.kind is not None else heading.kind,
            closed=changes.closed if changes.closed is not None else heading.closed,
        )
        new_sections = replace(
            sections,
            **{
                name: getattr(changes, name)
                for name in SECTION_NAMES
                if getattr(changes, name) is not None
            },
        )
        shown = attachments.of_item(session, item.id)
        new_sections, removed = _bilag(item.id, shown, new_sections, changes)
        before, after = _difference(heading, sections, new_heading, new_sections)
        if removed or new_sections.attachments != sections.attachments:
            before["attachments"] = [line.title for line in shown]
            after["attachments"] = _shown_titles(shown, new_sections, removed)
        if not after:
            raise CorrectionRefused(
                "nothing_changed", f"punkt-id {item.id} siger allerede det; intet at rette"
            )
        decided = items.decisions_of(uow, item.id)
        if "kind" in after and decided:
            raise CorrectionRefused(
                "kind_after_decision",
                f"typen af punkt-id {item.id} kan ikke ændres, når der er truffet beslutning "
                "om punktet (udfaldet blev afgjort efter typen)",
            )
        final = item.state in rulebook.definition.final_states
        if final and (reason is None or not reason.strip()):
            raise CorrectionRefused(
                "reason_missing",
                f"punkt-id {item.id} har en endelig beslutning "
                f"('{rulebook.label(item.state).lower()}'); ret det kun med --reason TEKST",
            )
        why_given = require_reason(reason) if reason is not None else None
        correction = None
        if final:
            assert why_given is not None
            approved = _approved(uow, decided)
            correction = {
                "reason": why_given,
                "after_approval": approved,
                "before": {**before, "state": item.state},
                "after": {**after, "state": item.state},
            }
        new_version = item_texts.edit_item(
            uow,
            item_id=item.id,
            expected_version=version,
            heading=new_heading,
            sections=new_sections,
            why={
                "reason": why_given or "redigeret",
                "source": "rettelse" if final else "redigering",
                "changes": {name: {"before": before[name], "after": after[name]} for name in after},
            },
            correction=correction,
            actor=actor,
            now=now,
            removed_attachments=removed,
        )
        uow.commit()
    return ItemEdited(
        item_id=item.id,
        title=new_heading.title,
        closed=new_heading.closed,
        version=new_version,
        changed=tuple(after),
        correction=final,
    )


_RENAME = re.compile(r"^\s*(?P<number>\d+)\s*=(?P<title>.*)$", re.DOTALL)


def bilag_rename(text: str) -> tuple[int, str]:
    """``N=TITEL`` (a bilag's number and its new title) as typed on the command line."""
    match = _RENAME.match(text)
    if match is None:
        raise CorrectionRefused(
            "attachment_rename_form",
            f"--rename-attachment {text!r} er ikke N=TITEL, fx --rename-attachment "
            "'2=Statusnotat 2010'",
        )
    return int(match["number"]), match["title"]


def _bilag(
    item_id: int, shown: list[AttachmentLine], sections: Sections, changes: ItemChanges
) -> tuple[Sections, tuple[int, ...]]:
    """The item's bilag titles (every bilag's, by position) with the renames made, and the
    positions of the bilag taken off; a bilag number the item does not show is refused."""

    def position(number: int) -> int:
        if not 1 <= number <= len(shown):
            have = {0: "ingen bilag", 1: "bilag 1"}.get(len(shown), f"bilag 1-{len(shown)}")
            raise CorrectionRefused(
                "unknown_attachment",
                f"punkt-id {item_id} har intet bilag {number} (det har {have}); se "
                f"council item show {item_id}",
            )
        return shown[number - 1].position

    renamed = {position(number): title for number, title in changes.attachment_titles or ()}
    removed = tuple(sorted({position(number) for number in changes.removed_attachments or ()}))
    both = sorted(set(renamed) & set(removed))
    if both:
        number = next(n for n, line in enumerate(shown, start=1) if line.position == both[0])
        raise CorrectionRefused(
            "attachment_renamed_and_removed",
            f"bilag {number} kan ikke både omdøbes og tages af punkt-id {item_id}",
        )
    titles = tuple(renamed.get(at, title) for at, title in enumerate(sections.attachments, start=1))
    return replace(sections, attachments=titles), removed


def _shown_titles(
    shown: list[AttachmentLine], sections: Sections, removed: tuple[int, ...]
) -> list[str]:
    """The titles of the bilag the item shows after the edit, in order."""
    return [
        sections.attachments[line.position - 1] for line in shown if line.position not in removed
    ]


def _approved(uow: UnitOfWork, decided: list[Any]) -> bool:
    if not decided:
        return False
    return corrections.minutes_approved_on(uow, decided[-1][0].meeting_id) is not None


def _checked(changes: ItemChanges) -> ItemChanges:
    """Texts trimmed; a title that is empty or holds a character nobody could see refused."""
    title = changes.title
    if title is not None:
        title = title.strip()
        if not title:
            raise CorrectionRefused("title_empty", "--title er tom; et punkt skal have en titel")
        if hidden_character(title) is not None:
            raise CorrectionRefused(
                "title_hidden_character",
                "titlen indeholder et usynligt tegn eller styretegn; skriv den med almindelige "
                "bogstaver",
            )
    kind = None
    if changes.kind is not None:
        try:
            kind = normalise_kind(changes.kind)
        except InvalidInputError as exc:
            raise CorrectionRefused(
                "unknown_kind",
                f"typen '{changes.kind}' findes ikke; brug orientering eller beslutning",
            ) from exc
    stripped: dict[str, Any] = {}
    for name in ("summary", "administration", "problem", "solution", "economy", "next_steps"):
        value = getattr(changes, name)
        stripped[name] = value.strip() if value is not None else None
    renamed = None
    if changes.attachment_titles is not None:
        renamed = tuple((number, bilag_title(title)) for number, title in changes.attachment_titles)
    stripped["attachment_titles"] = renamed
    if changes.recommendation is not None:
        stripped["recommendation"] = tuple(p.strip() for p in changes.recommendation if p.strip())
    return replace(changes, title=title, kind=kind, **stripped)


def _difference(
    heading: Heading, sections: Sections, new_heading: Heading, new_sections: Sections
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that change: their values before and after (lists as lists)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in ("title", "kind", "closed"):
        old, new = getattr(heading, name), getattr(new_heading, name)
        if old != new:
            before[name], after[name] = old, new
    for name in SECTION_NAMES:
        old, new = getattr(sections, name), getattr(new_sections, name)
        if old != new:
            before[name] = list(old) if isinstance(old, tuple) else old
            after[name] = list(new) if isinstance(new, tuple) else new
    return before, after
