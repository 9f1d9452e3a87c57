"""How a correction reads in the minutes, an item's document and the case history.

A corrected decision keeps the text it was recorded (or approved) with in the trail; what
people read beside it is one note, "Rettet den <dato>: ...", with the reason. A decision
corrected after its minutes were approved is printed as approved, and the note says that
the minutes were approved with that text and what the decision was corrected to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from council.cases.corrections import DECISION, CorrectionRow
from council.notifications.rendering import long_date

ITEM_FIELDS = {
    "title": "titlen",
    "kind": "typen",
    "closed": "lukket punkt",
    "summary": "resuméet",
    "administration": "den indstillende forvaltning",
    "recommendation": "indstillingen",
    "problem": "problemstillingen",
    "solution": "løsningen",
    "economy": "økonomien",
    "next_steps": "videre proces",
    "signatures": "underskrifterne",
    "attachments": "bilagslisten",
}


PREFIX = "Rettet den "


def note(row: CorrectionRow) -> str:
    """ "Rettet den 3. marts 2010: ...; begrundelse: ..."."""
    return note_of(
        subject=row.subject,
        reason=row.reason,
        after_approval=row.after_approval,
        before=row.before,
        after=row.after,
        corrected_at=row.corrected_at,
    )


def note_of(
    *,
    subject: str,
    reason: str,
    after_approval: bool,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    corrected_at: datetime,
) -> str:
    """:func:`note` of a correction given by its parts (a history row holds them)."""
    if subject == DECISION:
        said = decision_change(before, after, after_approval=after_approval)
    else:
        said = item_change(after)
    return f"{PREFIX}{long_date(corrected_at)}: {said}; begrundelse: {reason}"


def decision_change(
    before_values: Mapping[str, Any], after_values: Mapping[str, Any], *, after_approval: bool
) -> str:
    before, after = before_values.get("text", ""), after_values.get("text", "")
    if after_approval:
        return (
            f"protokollen blev godkendt med teksten «{before}», og beslutningen er rettet "
            f"til «{after}»"
        )
    return f"beslutningen var registreret som «{before}» og er rettet til «{after}»"


def item_change(after: Mapping[str, Any]) -> str:
    changed = [ITEM_FIELDS[name] for name in after if name in ITEM_FIELDS and name != "closed"]
    said = []
    if changed:
        title = after.get("title")
        tail = f" (ny titel: «{title}»)" if isinstance(title, str) else ""
        said.append(f"{_joined(changed)} er rettet efter den endelige beslutning{tail}")
    if "closed" in after:
        said.append("punktet er nu et lukket punkt" if after["closed"] else "punktet er nu åbent")
    return "; ".join(said) or "punktet er rettet efter den endelige beslutning"


def move_note(move: Mapping[str, Any]) -> str:
    """An item moved to another meeting, as the history reads it: "Flyttet fra møde 3 til
    møde 4 (punkt 1); begrundelse: ..."."""
    number = move.get("agenda_number")
    where = f" (punkt {number})" if number is not None else ""
    said = f"Flyttet fra møde {move['from_meeting_id']} til møde {move['to_meeting_id']}{where}"
    reason = move.get("reason")
    return f"{said}; begrundelse: {reason}" if reason else said


def as_approved(text: str, rows: Sequence[CorrectionRow]) -> str:
    """The decision's text as the minutes were approved with it: the text before the first
    correction made after the approval, else the decision's text as it stands."""
    for row in rows:
        if row.subject == DECISION and row.after_approval:
            before: Any = row.before.get("text")
            return before if isinstance(before, str) else text
    return text


def _joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} og {names[-1]}"
