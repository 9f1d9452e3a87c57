"""Completing an item's texts from a later, longer version of the same published item.

An item may be stored shorter than it was published: imported from a file that was cut
off (by a release that did not yet refuse such files), or from an earlier version of a
file that has grown since. When the same item is imported again, each of its sections is
compared with the stored one, whitespace aside:

* the file's text **begins with** the stored one and goes on: the stored text is replaced
  by the file's, as an audited correction ("genimport med mere indhold");
* the file's text is the **beginning of** the stored one, or **differs** from it: the
  stored text is kept (an import never shortens or rewrites what is stored) and the
  report says so;
* equal: nothing happens.

A decision whose recorded wording is the first lines of the file's (a cut between two
paragraphs of the last decision) is completed the same way, if the longer wording states
the same outcome.

Each correction is one audit entry holding who, when, why, the file, and the before and
after of what changed (``item.corrected`` also holds the item's new version and all of
its sections, ``decision.corrected`` the whole decision), so ``audit verify`` rebuilds
the corrected texts from the trail like any other change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from council.cases import item_texts
from council.cases.dates import require_aware
from council.cases.db import UnitOfWork
from council.cases.importers.phrases import normalise
from council.cases.item_texts import SECTION_FIELDS, Sections
from council.workflow.services import require_actor

REASON_MORE_CONTENT = "genimport med mere indhold"
SECTION_LABELS = {
    "summary": "Resumé",
    "administration": "indstillende forvaltning",
    "recommendation": "Indstilling",
    "problem": "Problemstilling",
    "solution": "Løsning",
    "economy": "Økonomi",
    "next_steps": "Videre proces",
    "signatures": "underskrifter",
    "attachments": "Bilag",
}

Text = str | tuple[str, ...]


@dataclass(frozen=True)
class SectionReview:
    """How a file's sections stand to the stored ones, and what the item should hold."""

    merged: Sections  # the stored sections, each one the file has more of taken from the file
    grown: tuple[str, ...] = ()  # the file has more: corrected
    shorter: tuple[str, ...] = ()  # the file has less: the stored text is kept
    different: tuple[str, ...] = ()  # the file says something else: the stored text is kept


def review_sections(stored: Sections, incoming: Sections) -> SectionReview:
    """Compare the file's sections with the stored ones (see the module's rules)."""
    grown, shorter, different = [], [], []
    merged = stored
    for name in SECTION_FIELDS:
        before, after = getattr(stored, name), getattr(incoming, name)
        if _same(before, after):
            continue
        if grows(before, after):
            grown.append(name)
            merged = replace(merged, **{name: after})
        elif grows(after, before):
            shorter.append(name)
        else:
            different.append(name)
    return SectionReview(merged, tuple(grown), tuple(shorter), tuple(different))


def grows(before: Text, after: Text) -> bool:
    """``after`` is ``before`` with more after it (for lists: more, or a longer last entry)."""
    if isinstance(before, str) and isinstance(after, str):
        old, new = normalise(before), normalise(after)
        return new != old and new.startswith(old)
    old_list, new_list = [normalise(x) for x in before], [normalise(x) for x in after]
    if not old_list:
        return bool(new_list)
    if len(new_list) < len(old_list) or new_list == old_list:
        return False
    last = len(old_list) - 1
    return new_list[:last] == old_list[:last] and new_list[last].startswith(old_list[last])


def wording_grows(before: str, after: str) -> bool:
    """A decision's ``after`` wording is ``before`` followed by more lines."""
    old, new = normalise(before), normalise(after)
    return bool(old) and new.startswith(old + "\n")


def _same(before: Text, after: Text) -> bool:
    if isinstance(before, str) and isinstance(after, str):
        return normalise(before) == normalise(after)
    return [normalise(x) for x in before] == [normalise(x) for x in after]


def correct_sections(
    uow: UnitOfWork,
    *,
    item_id: int,
    sections: Sections,
    reason: str,
    source: str,
    actor: str,
    now: datetime,
) -> int | None:
    """Store ``sections`` as the item's, audited; the item's new version (None: no change)."""
    actor, now = require_actor(actor), require_aware(now)
    with uow:
        stored, version = item_texts.sections_of(uow.session, item_id)
        changes = {
            name: {
                "before": _record(getattr(stored, name)),
                "after": _record(getattr(sections, name)),
            }
            for name in SECTION_FIELDS
            if getattr(stored, name) != getattr(sections, name)
        }
        if not changes:
            return None
        new_version = item_texts.correct_sections(
            uow,
            item_id=item_id,
            expected_version=version,
            sections=sections,
            why={"reason": reason, "source": source, "changes": changes},
            actor=actor,
            now=now,
        )
        uow.commit()
    return new_version


def correct_decision_wording(
    uow: UnitOfWork,
    *,
    decision_id: int,
    text: str,
    reason: str,
    source: str,
    actor: str,
    now: datetime,
) -> None:
    """Replace a decision's wording by ``text``, audited with the before and after."""
    actor, now = require_actor(actor), require_aware(now)
    with uow:
        item_texts.correct_decision_text(
            uow,
            decision_id=decision_id,
            text=text,
            why={"reason": reason, "source": source},
            actor=actor,
            now=now,
        )
        uow.commit()


def _record(value: Text) -> str | list[str]:
    return list(value) if isinstance(value, tuple) else value
