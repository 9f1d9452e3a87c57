"""What an accepted cut of a published item must be: the whole item at an earlier stage."""

from __future__ import annotations

from council.cases.importers.copenhagen_text import ParsedItem

SAME_AT_EVERY_STAGE = (
    "number",
    "title",
    "raw_title",
    "case_number",
    "summary",
    "administration",
    "recommendation",
    "problem",
    "solution",
    "economy",
    "next_steps",
    "signatures",
    "attachments",
    "continued_from",
)


def is_earlier_stage(cut: ParsedItem, whole: ParsedItem) -> bool:
    """``cut`` is ``whole`` with later decisions missing (the last one maybe its last lines).

    Everything the administration wrote is the same; the decisions are the first ones of
    ``whole``, the last of them possibly without its last lines (a cut between two lines of
    one decision looks exactly like a decision of fewer lines); links likewise a prefix.
    """
    if any(getattr(cut, name) != getattr(whole, name) for name in SAME_AT_EVERY_STAGE):
        return False
    if whole.attachment_links[: len(cut.attachment_links)] != cut.attachment_links:
        return False
    count = len(cut.decisions)
    if count == 0:
        return True
    if count > len(whole.decisions) or cut.decisions[:-1] != whole.decisions[: count - 1]:
        return False
    last, full = cut.decisions[-1], whole.decisions[count - 1]
    return (last.committee_name, last.date, last.heading) == (
        full.committee_name,
        full.date,
        full.heading,
    ) and (full.text + "\n").startswith(last.text + "\n")
