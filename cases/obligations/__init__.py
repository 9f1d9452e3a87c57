"""Status obligations (statusforpligtelser): the duty to give a committee a status on a case
on a cadence while an agreement runs, the items that fulfil it, and its reminders.

The date rules are pure (no database, no clock):

- ``terms``: cadence (an RRULE), due day, lead times, escalation, as given, read and checked;
- ``periods``: the reporting periods, which fulfilment counts for which, where one stands;
- ``steps``: a period's reminder steps and what is due at a moment (``Schedule``, per line).

The stores own the SQL:

- ``tables``: ``status_obligation``, ``obligation_link``, ``outbox_message``;
- ``lines``: the one shape of an obligation line (``Line``) and every read that gives it;
- ``recording``: a new line, a new link, each with its audit entry;
- ``fulfilment``: the fulfilling decisions and the linked items, from the decision history;
- ``status``: where every line's periods stand (``council obligations``);
- ``outbox``: each reminder step written once, then claimed, sent and marked.

Importing ``tables`` registers the tables on the metadata (the migrations and the schema
check do).
"""
