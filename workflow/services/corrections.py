"""Corrections that leave a trail: a wrongly recorded decision corrected.

A clerk who recorded "ikke godkendt" where the committee approved corrects the item's
latest decision with ``--to godkendt`` and a required reason. The correction is its own
audit entry and ``correction`` row (:mod:`council.cases.corrections`); the decision as
first recorded stays in the trail and in the history. The item's state follows the
corrected outcome as the workflow allows it:

* the corrected outcome must be one the item could have been given from where it stood
  before the decision (a transition of ``config/workflow.toml`` from the decision's
  from-state, its guards judged at the decision's meeting and date), so a draft withdrawn
  cannot be corrected to "godkendt", nor a beslutningssag to "taget til efterretning";
* a correction to a non-final outcome (udsat, drøftet) leaves the item open; to a
  carry-over outcome (udsat) offers it to the committee's next meeting like any
  postponed item; from one, before the item is put before a meeting again, it stops being
  offered. Only the item's latest decision is corrected, and only while the item stands
  where that decision left it (not once it is on a later agenda);
* an outcome that refers the case on (anbefalet) is neither corrected to nor from: the
  next body's item would have to be made or taken back, which is a decision of its own;
* an annual status obligation the item is linked to follows: its fulfilment is derived
  from the decisions, and a correction to or from a fulfilling outcome brings the sweep's
  bookmark of its lines forward, so a period no longer fulfilled is reminded of from the
  next sweep on as one never fulfilled;
* once the meeting's minutes are approved (``council meeting approve``) the correction is
  still made, as an annotated one: the minutes keep the text they were approved with and
  say beside it that they were approved with that text, and what it was corrected to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from council.cases import corrections, items, meetings, transitions
from council.cases.dates import format_long_date, require_aware
from council.cases.db import UnitOfWork
from council.cases.errors import ConflictError
from council.cases.item_records import DecisionRecord
from council.cases.obligations import lines
from council.workflow.errors import (
    CorrectionRefused,
    GuardRefused,
    TransitionRefused,
    UnknownOutcomeError,
)
from council.workflow.machine import Rulebook
from council.workflow.services import transitions as moves
from council.workflow.services.inputs import hidden_character, require_actor

MAX_REASON_LENGTH = 2000


@dataclass(frozen=True)
class DecisionCorrected:
    """What a correction did: the item (its title and closed flag, for visibility), the
    decision before and after, and whether the minutes had been approved."""

    item_id: int
    title: str
    closed: bool
    before: DecisionRecord
    after: DecisionRecord
    version: int
    approved_on: date | None  # the minutes were approved with the text before, that day


def require_reason(reason: str | None, *, missing: str = "en rettelse") -> str:
    """Why a correction (or what ``missing`` names) is made: required, visible characters
    and line breaks only, not too long."""
    text = (reason or "").strip()
    if not text:
        raise CorrectionRefused(
            "reason_missing", f"{missing} skal have en begrundelse: giv --reason TEKST"
        )
    if hidden_character(text.replace("\n", " ")) is not None:
        raise CorrectionRefused(
            "reason_hidden_character",
            "begrundelsen indeholder et usynligt tegn eller styretegn; skriv den med almindelige "
            "bogstaver",
        )
    if len(text) > MAX_REASON_LENGTH:
        raise CorrectionRefused(
            "reason_too_long",
            f"begrundelsen er {len(text)} tegn; højst {MAX_REASON_LENGTH} tegn",
        )
    return text


def correct_decision(
    uow: UnitOfWork,
    rulebook: Rulebook,
    *,
    item_id: int,
    to: str,
    reason: str | None,
    text: str | None = None,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
) -> DecisionCorrected:
    """Correct the item's latest decision to outcome ``to`` (with ``text``, by default the
    outcome's standard sentence), for ``reason`` (see the module for what is allowed)."""
    actor, now = require_actor(actor), require_aware(now)
    why = require_reason(reason)
    wording = _wording(text)
    with uow:
        item = transitions.load(uow, item_id, with_latest_entry=True)
        if expected_version is not None and expected_version != item.version:
            raise ConflictError(item.id, expected_version, item.version)
        recorded = items.decisions_of(uow, item.id)
        if not recorded:
            raise CorrectionRefused(
                "no_decision", f"punkt-id {item.id} har ingen beslutning at rette"
            )
        decision = recorded[-1][0]
        if item.state != decision.to_state:
            raise CorrectionRefused(
                "moved_on",
                f"punkt-id {item.id} er '{rulebook.label(item.state).lower()}' siden "
                f"beslutningen; kun en beslutning, punktet stadig står ved, kan rettes",
            )
        target = _outcome(rulebook, to)
        refers = rulebook.definition.refers
        if target in refers or decision.to_state in refers:
            raise CorrectionRefused(
                "referral",
                f"'{rulebook.label(next(iter({target, decision.to_state} & refers))).lower()}' "
                "sender sagen videre til næste udvalg og rettes ikke; registrér den rigtige "
                "beslutning på et nyt punkt",
            )
        _check_move(uow, rulebook, item, decision, target)
        sentence = wording or rulebook.standard_sentence(target)
        if not sentence:
            raise CorrectionRefused(
                "no_sentence",
                f"'{rulebook.label(target).lower()}' har ingen standardtekst; giv --text",
            )
        if target == decision.to_state and sentence == decision.text:
            raise CorrectionRefused(
                "nothing_to_correct",
                f"beslutningen om punkt-id {item.id} er allerede "
                f"'{rulebook.label(target).lower()}' med den tekst; intet at rette",
            )
        fulfilling = rulebook.definition.fulfilling_states
        if (target in fulfilling) != (decision.to_state in fulfilling):
            # fulfilment is derived from the decisions, so it follows at once; the sweep's
            # bookmark of the item's obligation lines is brought forward to work them out
            # anew (reminders resume for a period no longer fulfilled); before the audit
            # entry, so the lines are taken before the audit head, as a sweep takes them
            lines.look_again(uow.connection(), item_id=item.id, at=now)
        approved_on = corrections.minutes_approved_on(uow, decision.meeting_id)
        corrected, version = corrections.correct_decision(
            uow,
            decision=decision,
            case_id=item.case_id,
            item_version=item.version,
            outcome=target,
            to_state=target,
            text=sentence,
            reason=why,
            after_approval=approved_on is not None,
            actor=actor,
            now=now,
        )
        uow.commit()
    return DecisionCorrected(
        item_id=item.id,
        title=item.title,
        closed=bool(item.closed),
        before=decision,
        after=corrected,
        version=version,
        approved_on=approved_on,
    )


def _wording(text: str | None) -> str | None:
    if text is None:
        return None
    if not text.strip():
        raise CorrectionRefused(
            "text_empty", "--text er tom; udelad den for udfaldets standardtekst"
        )
    return text.strip()


def _outcome(rulebook: Rulebook, word: str) -> str:
    try:
        return rulebook.outcome_of(word)
    except UnknownOutcomeError as exc:
        raise CorrectionRefused(
            "unknown_outcome",
            f"'{word}' er ikke et udfald; brug et af: {', '.join(exc.known)}",
        ) from exc


def _check_move(
    uow: UnitOfWork,
    rulebook: Rulebook,
    item: transitions.LoadedItem,
    decision: DecisionRecord,
    target: str,
) -> None:
    """The corrected outcome must be a decision the workflow allows from where the item
    stood before the decision, its guards judged at the decision's meeting and date."""
    before = item._replace(state=decision.from_state)
    label = rulebook.label(target).lower()
    try:
        move = rulebook.decision(decision.from_state, target, item.id)
        meeting = (
            meetings.row_by_ref(uow, str(decision.meeting_id))
            if decision.meeting_id is not None
            else None
        )
        entry = item.latest_entry if meeting is not None else None
        moves.fire_guards(
            uow, rulebook, move, before, meeting, entry, decided_on=decision.decided_on
        )
    except TransitionRefused as exc:
        possible = ", ".join(p.lower() for p in exc.possible) or "intet"
        raise CorrectionRefused(
            "not_a_decision",
            f"punkt-id {item.id} kan ikke rettes til '{label}': fra "
            f"'{rulebook.label(decision.from_state).lower()}' kan beslutningen kun være: "
            f"{possible}",
        ) from exc
    except GuardRefused as exc:
        raise CorrectionRefused(
            "guard",
            f"punkt-id {item.id} kan ikke rettes til '{label}': reglen '{exc.guard}' i "
            f"{rulebook.definition.path.name} tillader ikke det udfald for punktet",
        ) from exc


def approved_note(approved_on: date) -> str:
    """'protokollen blev godkendt den 9. marts 2010 med den tidligere tekst'."""
    return f"protokollen blev godkendt den {format_long_date(approved_on)} med den tidligere tekst"
