"""The acts of the secretariat, each a short function over a unit of work.

Every act takes keyword-only arguments, an ``actor`` and an injected ``now``, and commits
its records together with their audit entry, or nothing at all. The records are read and
written through the stores in :mod:`council.cases` (one per aggregate); what is left here
are the rules: who may act, what a valid input is, which move the workflow allows, which
guards must agree.

- :mod:`.inputs`: who acts, and the texts every act requires;
- :mod:`.cases`: committees loaded from configuration, cases;
- :mod:`.meetings`: creating and closing meetings;
- :mod:`.meeting_changes`: rescheduling, cancelling and reopening a meeting, moving an item
  to another meeting (with :mod:`.meeting_rules`, what the calendar of meetings allows);
- :mod:`.items`: drafting an agenda item;
- :mod:`.transitions`: putting an item before a meeting (forelæg) and recording a decision;
- :mod:`.goals`: the result goals of status obligations, their revisions and reported values;
- :mod:`.calendar_addresses`: the secret address of a user's calendar of deadlines.

The goals, the calendar addresses and the meeting changes are imported by name (``from
council.workflow.services import goals``), not re-exported here: the CLI's start-up does
not load the goal rules (and Babel) for every other command.
"""

from council.workflow.services.cases import CASE_NUMBER, create_case, load_committees
from council.workflow.services.inputs import MAX_ACTOR_LENGTH, require_actor
from council.workflow.services.items import (
    KIND_WORDS,
    ItemDraft,
    competent_for_matter,
    draft_item,
    normalise_kind,
)
from council.workflow.services.meetings import close_meeting, create_meeting, record_attendance
from council.workflow.services.transitions import (
    MAX_AGENDA_NUMBER,
    TransitionResult,
    decide_item,
    present_item,
)

__all__ = [
    "CASE_NUMBER",
    "KIND_WORDS",
    "MAX_ACTOR_LENGTH",
    "MAX_AGENDA_NUMBER",
    "ItemDraft",
    "TransitionResult",
    "close_meeting",
    "competent_for_matter",
    "create_case",
    "create_meeting",
    "decide_item",
    "draft_item",
    "load_committees",
    "normalise_kind",
    "present_item",
    "record_attendance",
    "require_actor",
]
