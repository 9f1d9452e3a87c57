"""How the bodies of the obligations', result goals', reminders' and user accounts' actions
become their rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from council.cases.audit_images import Reader, outbox_status, sequence

if TYPE_CHECKING:
    from council.cases.audit_expected import Expected


def _obligation_added(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    terms = (
        case_id,
        x.committee_of(data),
        data["about"],
        data["starts_on"],
        data["ends_on"],
        data["cadence"],
        data["due"],
        sequence(data["lead_days"]),
        data["escalate_every_days"],
        sequence(data["recipients"]),
        at,
    )
    x.rows["status_obligation"][data["obligation_id"]] = (x.fp(terms),)


def _obligation_linked(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    x.rows["obligation_link"][(data["obligation_id"], data["item_id"])] = (x.fp((actor, at)),)


def _goal_added(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    goal = data["goal"]
    values = (
        goal["obligation_id"],
        goal["name"],
        goal["unit"],
        goal["direction"],
        goal["position"],
        actor,
        at,
    )
    x.rows["result_goal"][goal["id"]] = (x.fp(values),)
    for target in data["targets"]:
        _target(x, at, actor, target)


def _goal_revised(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _target(x, at, actor, data["target"])


def _target(x: Expected, at: str, actor: str, target: Mapping[str, Any]) -> None:
    values = (
        target["goal_id"],
        target["period_key"],
        float(target["target"]),
        target["agreed_on"],
        target["reason"],
        actor,
        at,
    )
    x.rows["result_goal_target"][target["id"]] = (x.fp(values),)


def _value_reported(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    value = data["value"]
    values = (
        value["goal_id"],
        value["item_id"],
        value["period_key"],
        float(value["value"]),
        bool(value["approximate"]),
        value["note"],
        actor,
        at,
    )
    x.rows["result_goal_value"][value["id"]] = (x.fp(values),)


UNSENT = ("unsent", None, None, None)


def _reminders_written(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """Each row as written: a step passed by a later one of its period before it was ever
    sent is written superseded, pointing at that one (a body written before bodies said so
    holds rows written pending)."""
    fp, outbox = x.fp, x.rows["outbox_message"]
    unsent = fp(UNSENT)
    for message in data["messages"]:
        step = _outbox_step(message, created_at=at)
        texts = (message.get("subject"), message.get("body_text"), message.get("body_html"))
        written = message.get("status")
        state = fp(_superseded(message["superseded_by"])) if written == "superseded" else unsent
        outbox[message["id"]] = (fp(step), fp((message["facts"],)), fp(texts), state)


def _superseded(by: Any) -> tuple[Any, ...]:
    return ("superseded", None, None, by)


def _outbox_step(message: Any, *, created_at: Any) -> tuple[Any, ...]:
    """The columns of an outbox row that say which step it reminds of, and to whom."""
    return (
        message["obligation_id"],
        message["committee_id"],
        message["period_key"],
        message["step_key"],
        message["step_kind"],
        message["step_at"],
        message["message_id"],
        sequence(message["recipients"]),
        created_at,
    )


def _reminders_adopted(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """Rows the outbox held before reminders were audited, each as it was when the upgrade
    recorded it (migration 0010)."""
    fp, outbox = x.fp, x.rows["outbox_message"]
    for message in data["messages"]:
        step = _outbox_step(message, created_at=message["created_at"])
        texts = (message["subject"], message["body_text"], message["body_html"])
        sent = (
            outbox_status(message["status"]),
            message["sent_at"],
            message["delivered_to"],
            message.get("superseded_by"),
        )
        outbox[message["id"]] = (fp(step), fp((message["facts"],)), fp(texts), fp(sent))


def _digest_gathered(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """A reminder put into a digest: the digest's new list of the reminders it gathers."""
    digest = x.existing("outbox_message", data["id"], seq, "samlingen i et sammendrag")
    x.rows["outbox_message"][data["id"]] = (digest[0], x.fp((data["facts"],)), *digest[2:])


def _reminder_rendered(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    message = x.existing("outbox_message", data["id"], seq, "teksten")
    texts = (data["subject"], data["body_text"], data["body_html"])
    x.rows["outbox_message"][data["id"]] = (message[0], message[1], x.fp(texts), message[3])


def _reminder_sent(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    message = x.existing("outbox_message", data["id"], seq, "afsendelsen")
    sent = ("sent", at, data["delivered_to"], None)
    x.rows["outbox_message"][data["id"]] = (*message[:3], x.fp(sent))


def _reminders_superseded(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """Rows claimed for sending that a later step of their period had passed: never sent,
    each pointing at the row that tells the same, up to date."""
    for passed in data["superseded"]:
        message = x.existing("outbox_message", passed["id"], seq, "erstatningen")
        state = x.fp(_superseded(passed["by"]))
        x.rows["outbox_message"][passed["id"]] = (*message[:3], state)


def _user_added(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    who = (data["name"], data["role"], sequence(data["committees"]), at)
    x.rows["user_account"][data["user_id"]] = (x.fp(who), x.fp((False, 1)))
    x.epochs[data["user_id"]] = (False, 1)


def _user_changed(disables: bool) -> Reader:
    def read(
        x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
    ) -> None:
        user = x.existing("user_account", data["user_id"], seq, "en ændring")
        disabled, epoch = x.epochs[data["user_id"]]
        after = (data.get("disabled", disabled or disables), data.get("session_epoch", epoch + 1))
        x.epochs[data["user_id"]] = after
        x.rows["user_account"][data["user_id"]] = (user[0], x.fp(after))

    return read


OBLIGATION_READERS: dict[str, Reader] = {
    "obligation.added": _obligation_added,
    "obligation.linked": _obligation_linked,
    "goal.added": _goal_added,
    "goal.revised": _goal_revised,
    "goal.value_reported": _value_reported,
    "reminders.written": _reminders_written,
    "reminders.adopted": _reminders_adopted,
    "digest.gathered": _digest_gathered,
    "reminder.rendered": _reminder_rendered,
    "reminder.sent": _reminder_sent,
    "reminders.superseded": _reminders_superseded,
    "user.added": _user_added,
    "user.password_changed": _user_changed(disables=False),
    "user.disabled": _user_changed(disables=True),
}
