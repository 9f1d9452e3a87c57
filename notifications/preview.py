"""``council reminders run --dry-run``: what a sweep and a delivery at ``now`` would write
and send, worked out in one transaction that is rolled back, so nothing changes.

The sweep runs as it would (its rows get ids, its superseded steps point at the current
ones), then every reminder a delivery would claim is rendered as it would be sent, with
the facts read at ``now`` and the recipients split between the mail and their digests.
Nothing is claimed, no mail is made, no Maildir is touched; the transaction is never
committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time

from council.cases.dates import require_aware
from council.cases.db import Database
from council.cases.obligations import outbox
from council.notifications import reminder_text
from council.notifications.audience import Audience
from council.notifications.delivery import Digests
from council.notifications.sweep import sweep_within


@dataclass(frozen=True)
class WouldSend:
    """One reminder a delivery would send: to whom, in whose digest, and its text."""

    row: outbox.OutboxRow
    to: list[str]
    digest: list[str]
    subject: str
    text: str


@dataclass
class Preview:
    """What a sweep at ``now`` would write and a delivery would send."""

    now: datetime
    written: list[outbox.OutboxRow] = field(default_factory=list)
    sending: list[WouldSend] = field(default_factory=list)
    superseded: list[outbox.OutboxRow] = field(default_factory=list)  # passed when claimed


def preview(
    database: Database,
    *,
    now: datetime,
    fulfilling_states: Iterable[str],
    send_at: time,
    message_domain: str,
    audience: Audience,
    state_labels: Mapping[str, str],
    wording: reminder_text.Wording,
    digests: Digests,
) -> Preview:
    """The sweep and the delivery at ``now``, worked out and rolled back."""
    now = require_aware(now)
    result = Preview(now=now)
    with database.unit_of_work() as uow:  # never committed
        connection = uow.connection()
        written = sweep_within(
            connection,
            now=now,
            fulfilling_states=fulfilling_states,
            send_at=send_at,
            message_domain=message_domain,
            audience=audience,
            state_labels=state_labels,
        )
        session = uow.session
        result.written = outbox.listing(session, ids=written)
        due = outbox.due_for_attempt(session, now=now)
        passed = outbox.passed_by(session.connection(), [m.id for m in due if m.id is not None])
        result.superseded = outbox.listing(session, ids=sorted(passed))
        sending = [m for m in due if m.id not in passed]
        rows = {
            row.message.id: row
            for row in outbox.listing(session, ids=[m.id for m in sending if m.id])
        }
        for message in sending:
            live = reminder_text.sending_facts(
                session.connection(), message, now=now, wording=wording
            )
            subject, text, _html = reminder_text.render_row(
                message, live=live, step_names=wording.step_names
            )
            to = [r for r in message.recipients if r not in digests.recipients]
            in_digest = [r for r in message.recipients if r in digests.recipients]
            result.sending.append(WouldSend(rows[message.id], to, in_digest, subject, text))
    return result
