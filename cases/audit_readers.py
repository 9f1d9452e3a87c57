"""How each action's body becomes rows of the records: committees, cases, meetings, items,
agenda entries, decisions and corrections (the obligations', reminders' and users' readers
are :mod:`council.cases.audit_readers_obligations`)."""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from council.cases.audit_images import BY_NAME, NO_FILE, Broken, Reader, document, sequence
from council.cases.audit_readers_obligations import OBLIGATION_READERS
from council.cases.decision_parts import PART_COLUMNS

if TYPE_CHECKING:
    from council.cases.audit_expected import Expected


def absorb_transition(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    fp, items = x.fp, x.items
    item = items.get(item_id)
    if item is None:
        raise Broken(f"post {seq}: et skift for dagsordenspunkt {item_id}, som aldrig er oprettet")
    to_state = data["to"]
    items[item_id] = (*item[:3], fp((to_state,)), fp((data["version"],)))
    entry = data.get("agenda_entry")
    if entry is not None:
        x.entries[entry["id"]] = (
            fp((item_id, data["from"], actor, at, seq)),
            fp((entry["meeting_id"], entry["number"])),
        )
        return
    decision = data["decision"]
    x.decisions[decision["id"]] = (
        fp((item_id, data["meeting_id"], data["trigger"], data["from"], actor, at, seq)),
        fp((to_state,)),
        fp(_wording(decision)),
    )


def _wording(decision: Mapping[str, Any]) -> tuple[Any, ...]:
    """A decision's wording and parts; a body has no key for a part the decision lacks."""
    return (
        decision["outcome"],
        decision["text"],
        decision["decided_on"],
        sequence(decision.get("referred_to")),
        *(document(decision.get(name)) for name in PART_COLUMNS),
    )


def _committee_loaded(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """A body written before committees had seats, a route or earlier names holds none."""
    values = (
        data["code"],
        data["name"],
        data["administration"],
        data["secretariat_email"],
        data.get("members"),
        data.get("recommends_to"),
        document(data.get("earlier_names")),
    )
    x.rows["committee"][x.committee_of({**data, "committee": data["code"]})] = (x.fp(values),)


def _case_created(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    x.rows["case_record"][case_id] = (x.fp((data["number"], data["title"], data["owner"], at)),)


_MEETING_PARTS = {
    name: index for index, part in enumerate(BY_NAME["meeting"].parts) for name in part
}


def _meeting_changed(
    x: Expected, seq: int, data: Mapping[str, Any], what: str, **values: Any
) -> None:
    """The meeting's parts that hold ``values`` (by the first column of each part) set."""
    meeting_id = data["meeting_id"]
    parts = list(x.existing("meeting", meeting_id, seq, what))
    for name, value in values.items():
        parts[_MEETING_PARTS[name]] = x.fp(value)
    x.rows["meeting"][meeting_id] = tuple(parts)


def _meeting_created(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    fp = x.fp
    x.rows["meeting"][data["meeting_id"]] = (
        fp((x.committee_of(data), data["place"], at)),
        fp((data["date"], data["start_time"])),
        fp((None,)),
        fp((None,)),
        fp((None,)),
        fp((None,)),
        fp((None,)),
    )


def _meeting_closed(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _meeting_changed(x, seq, data, "afholdelsen", held_at=(at,))


def _meeting_attendance(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _meeting_changed(x, seq, data, "fremmødet", absent=(document(data["absent"]),))


def _meeting_rescheduled(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _meeting_changed(
        x,
        seq,
        data,
        "den nye dato",
        date=(data["date"], data["start_time"]),
        sequence=(data["sequence"],),
    )


def _meeting_cancelled(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    _meeting_changed(x, seq, data, "aflysningen", cancelled_at=(at,), sequence=(data["sequence"],))


def _meeting_reopened(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """Back to planned: neither held nor cancelled (what was, stays in the earlier entries);
    a body that says so also takes back the approval of the minutes (bodies written before
    reopening did that leave it)."""
    lapses = {"minutes_approved_on": (None,)} if "minutes_approved_on" in data else {}
    _meeting_changed(
        x,
        seq,
        data,
        "genåbningen",
        held_at=(None,),
        cancelled_at=(None,),
        sequence=(data["sequence"],),
        **lapses,
    )


def _item_moved(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """An item moved to another meeting: its new version, and every agenda entry the move
    placed or numbered anew (the item's own, and those after it on the meeting it left)."""
    item = x.existing("agenda_item", item_id, seq, "en flytning")
    x.items[item_id] = (*item[:-1], x.fp((data["version"],)))
    for entry in data["entries"]:
        placed = x.existing("agenda_entry", entry["id"], seq, "en flytning")
        x.entries[entry["id"]] = (placed[0], x.fp((entry["meeting_id"], entry["number"])))


def _meeting_approved(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """The minutes approved by the committee, on the day the body gives."""
    _meeting_changed(
        x, seq, data, "godkendelsen af protokollen", minutes_approved_on=(data["approved_on"],)
    )


_TEXT_FIELDS = itemgetter(*BY_NAME["agenda_item"].parts[2])
_LISTS = tuple(
    index
    for index, name in enumerate(BY_NAME["agenda_item"].parts[2])
    if name in ("recommendation", "signatures")
)


def _texts(x: Expected, item_id: int, sections: Mapping[str, Any], *, again: bool) -> Any:
    """The item's texts' fingerprint; its attachments are put in their own table (``again``:
    in place of those it had; a bilag keeps the file attached at its position)."""
    attachments, titles = x.rows["attachment"], sections["attachments"]
    if again:
        position = len(titles) + 1
        while attachments.pop((item_id, position), None) is not None:
            position += 1
    no_file, on_item = x.fp(NO_FILE), x.fp((None,))
    for position, title in enumerate(titles, start=1):
        before = attachments.get((item_id, position)) if again else None
        kept = before[1:] if before else (no_file, on_item)
        attachments[(item_id, position)] = (x.fp((title,)), *kept)
    texts = list(_TEXT_FIELDS(sections))
    for index in _LISTS:
        texts[index] = sequence(texts[index])
    return x.fp(tuple(texts))


def _item_drafted(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    fp = x.fp
    head = (
        case_id,
        x.committee_of(data),
        at,
        data.get("competent_committee_id"),
        data.get("referred_from"),
    )
    x.items[item_id] = (
        fp(head),
        fp((data["title"], data["kind"], data["closed"])),
        _texts(x, item_id, data, again=False),
        fp((data["state"],)),
        fp((1,)),
    )


def _item_corrected(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """The item's texts and version; an edit's body also holds its title, kind and closed
    flag (``heading``), the positions of the bilag it took off the item
    (``removed_attachments``: each keeps its row, taken off at the entry's time), and a
    correction after the final decision its ``correction`` row."""
    item = x.existing("agenda_item", item_id, seq, "en rettelse")
    texts = _texts(x, item_id, data["sections"], again=True)
    for position in data.get("removed_attachments", ()):
        bilag = x.existing("attachment", (item_id, position), seq, "fjernelsen")
        x.rows["attachment"][(item_id, position)] = (*bilag[:2], x.fp((at,)))
    heading = data.get("heading")
    labels = item[1] if heading is None else x.fp(_heading(heading))
    x.items[item_id] = (item[0], labels, texts, item[3], x.fp((data["version"],)))
    _correction(x, seq, at, actor, item_id, data)


def _heading(heading: Mapping[str, Any]) -> tuple[Any, ...]:
    return (heading["title"], heading["kind"], heading["closed"])


def _correction(x: Expected, seq: int, at: str, actor: str, item_id: Any, data: Any) -> None:
    """The correction row an entry's body holds, if it holds one."""
    row = data.get("correction")
    if row is None:
        return
    values = (
        item_id,
        row["decision_id"],
        row["subject"],
        row["reason"],
        row["after_approval"],
        document(row["before"]),
        document(row["after"]),
        actor,
        at,
        seq,
    )
    x.rows["correction"][row["id"]] = (x.fp(values),)


def _item_attached(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """A file attached: the item's texts and version as ``item.corrected``, and the bilag's
    file facts at its position."""
    _item_corrected(x, seq, at, actor, case_id, item_id, data)
    attached = data["attachment"]
    key = (item_id, attached["position"])
    bilag = x.existing("attachment", key, seq, "filen")
    facts = (attached["file_name"], attached["size"], attached["media_type"], attached["sha256"])
    x.rows["attachment"][key] = (bilag[0], x.fp(facts), bilag[2])


def _decision_corrected(
    x: Expected, seq: int, at: str, actor: str, case_id: Any, item_id: Any, data: Any
) -> None:
    """The decision's wording and the state it led to; a correction of its outcome also
    moves the item (``item``: its state and version) and keeps its ``correction`` row."""
    corrected = data["decision"]
    decision = x.existing("decision", corrected["id"], seq, "en rettelse")
    to_state = x.fp((corrected["to_state"],)) if "to_state" in corrected else decision[1]
    x.decisions[corrected["id"]] = (decision[0], to_state, x.fp(_wording(corrected)))
    moved = data.get("item")
    if moved is not None:
        item = x.existing("agenda_item", item_id, seq, "en rettelse")
        x.items[item_id] = (*item[:3], x.fp((moved["state"],)), x.fp((moved["version"],)))
    _correction(x, seq, at, actor, item_id, data)


READERS: dict[str, Reader] = {
    "committee.loaded": _committee_loaded,
    "case.created": _case_created,
    "meeting.created": _meeting_created,
    "meeting.closed": _meeting_closed,
    "meeting.attendance": _meeting_attendance,
    "meeting.approved": _meeting_approved,
    "meeting.rescheduled": _meeting_rescheduled,
    "meeting.cancelled": _meeting_cancelled,
    "meeting.reopened": _meeting_reopened,
    "item.moved": _item_moved,
    "item.drafted": _item_drafted,
    "item.corrected": _item_corrected,
    "item.attached": _item_attached,
    "item.transition": absorb_transition,
    "decision.corrected": _decision_corrected,
    **OBLIGATION_READERS,
}
