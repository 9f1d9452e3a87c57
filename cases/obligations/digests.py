"""Digests in the outbox: one mail a day per recipient who wants one, listing the
reminders for them.

A digest is an outbox row of kind ``digest`` whose ``facts`` list the ids of the reminders
it gathers; delivery puts each reminder for such a recipient into that day's digest
(:func:`add_to_digest`) instead of sending it alone, and the outbox claims digests after
the steps.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from council.cases import audit
from council.cases.errors import InvalidInputError
from council.cases.obligations.outbox import SERVICE_ACTOR, audit_written
from council.cases.obligations.tables import DIGEST, OUTBOX_TABLE, PENDING


def add_to_digest(
    session: Session,
    *,
    recipient: str,
    member_id: int,
    message_id_of: Callable[[str, date], str],
    day: date,
    send_at: datetime,
    now: datetime,
    days_ahead: int = 7,
) -> int:
    """Put outbox row ``member_id`` into ``recipient``'s digest of ``day`` (written when
    missing, with ``message_id_of(recipient, day)``); when that digest has already been
    claimed or rendered, into the next day's, due at ``send_at`` moved on by the days
    passed. Returns the digest's id. A row already in one of these digests is not added
    twice.

    The digest's list is changed by compare-and-set on its ``facts``, only while it is
    neither claimed nor rendered, so a digest is never sent without a row put into it.
    """
    connection = session.connection()
    for ahead in range(days_ahead + 1):
        when = day + timedelta(days=ahead)
        message_id = message_id_of(recipient, when)
        due = send_at + timedelta(days=ahead)
        _write_digest(connection, recipient, when, message_id, due if ahead else now, now)
        digest_id = _join(connection, message_id, member_id, now=now)
        if digest_id is not None:
            return digest_id
    raise InvalidInputError(
        f"ingen samlet påmindelse til {recipient} de næste {days_ahead} dage kan tage "
        f"påmindelse {member_id}"
    )


def _join(connection: Connection, message_id: str, member_id: int, *, now: datetime) -> int | None:
    """Add ``member_id`` to the digest ``message_id`` unless it is claimed or rendered
    (None: try the next day's); retried when another writer changed its list meanwhile."""
    table = OUTBOX_TABLE
    for _attempt in range(5):
        row = connection.execute(
            select(table.c.id, table.c.facts, table.c.subject, table.c.claim_token).where(
                table.c.message_id == message_id
            )
        ).one()
        digest_id, facts, subject, token = row
        members = digest_members(facts)
        if member_id in members:
            return int(digest_id)
        if subject is not None or token is not None:
            return None
        gathered = digest_facts([*members, member_id])
        changed = connection.execute(
            update(table)
            .where(
                table.c.id == digest_id,
                table.c.facts == facts,
                table.c.subject.is_(None),
                table.c.claim_token.is_(None),
            )
            .values(facts=gathered)
        ).rowcount
        if changed == 1:
            audit.append(
                connection,
                audit.next_link(connection),
                action="digest.gathered",
                actor=SERVICE_ACTOR,
                now=now,
                data={"id": int(digest_id), "facts": gathered},
            )
            return int(digest_id)
    return None


def _write_digest(
    connection: Connection,
    recipient: str,
    day: date,
    message_id: str,
    due: datetime,
    now: datetime,
) -> None:
    values = {
        "obligation_id": None,
        "committee_id": None,
        "period_key": day.isoformat(),
        "step_key": DIGEST,
        "step_kind": DIGEST,
        "step_at": due,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": due,
        "message_id": message_id,
        "recipients": [recipient],
        "facts": digest_facts([]),
        "created_at": now,
    }
    dialect = connection.dialect.name
    if dialect == "sqlite":
        statement: Any = sqlite.insert(OUTBOX_TABLE).on_conflict_do_nothing(
            index_elements=["message_id"]
        )
    elif dialect == "postgresql":
        statement = postgresql.insert(OUTBOX_TABLE).on_conflict_do_nothing(
            index_elements=["message_id"]
        )
    else:  # pragma: no cover - other databases
        exists = connection.scalar(
            select(OUTBOX_TABLE.c.id).where(OUTBOX_TABLE.c.message_id == message_id)
        )
        if exists is not None:
            return
        statement = insert(OUTBOX_TABLE)
    written = connection.execute(statement.returning(OUTBOX_TABLE.c.id), values).scalar()
    if written is not None:  # written now (not there already): audited
        audit_written(connection, [int(written)], now=now)


def digest_facts(members: Sequence[int]) -> str:
    """A digest's ``facts``: the ids of the reminders it gathers."""
    return json.dumps({"v": 1, "digest": sorted(set(members))}, separators=(",", ":"))


def digest_members(facts: str | None) -> list[int]:
    """The ids a digest's ``facts`` list."""
    if not facts:
        return []
    return [int(i) for i in json.loads(facts).get("digest", [])]
