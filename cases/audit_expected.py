"""Every audited row as the chain rebuilds it, entry by entry (the readers are
:mod:`council.cases.audit_readers`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

from council.cases.audit_images import AUDITED, BY_NAME, Broken
from council.cases.audit_readers import READERS, absorb_transition

Fingerprint = Callable[[tuple[Any, ...]], Any]


class Expected:
    """Every audited row as the chain has built it so far: per table, per key, one
    fingerprint per part (``fingerprint`` of the part's values; ``hash`` unless a column
    is being looked for)."""

    def __init__(
        self,
        committee_id: Callable[[str], int],
        fingerprint: Fingerprint = hash,
        rows: Callable[[str], MutableMapping[Any, Any]] | None = None,
    ) -> None:
        self.committee_id = committee_id
        self.fp = fingerprint
        self.rows: dict[str, MutableMapping[Any, Any]] = {
            audited.name: (rows(audited.name) if rows else {}) for audited in AUDITED
        }
        self.epochs: dict[int, tuple[bool, int]] = {}  # user id -> (disabled, session epoch)
        self.items = self.rows["agenda_item"]
        self.entries = self.rows["agenda_entry"]
        self.decisions = self.rows["decision"]

    def absorb(
        self, seq: int, at: str, actor: str, action: str, case_id: Any, item_id: Any, data: Any
    ) -> None:
        if action == "item.transition":  # most entries: inline, without a lookup
            absorb_transition(self, seq, at, actor, case_id, item_id, data)
            return
        reader = READERS.get(action)
        if reader is not None:
            reader(self, seq, at, actor, case_id, item_id, data)

    def committee_of(self, data: Mapping[str, Any]) -> int:
        """The committee a body names: by id, or by code in bodies written before ids."""
        found = data.get("committee_id")
        return int(found) if found is not None else self.committee_id(data["committee"])

    def existing(self, table: str, key: Any, seq: int, what: str) -> Any:
        row = self.rows[table].get(key)
        if row is None:
            label = BY_NAME[table].label
            raise Broken(f"post {seq}: {what} af {label} {key}, som aldrig er registreret")
        return row
