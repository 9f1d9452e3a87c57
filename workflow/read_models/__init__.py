"""What the faces show, read from the stores with visibility already applied.

Every face reads through these modules — the CLI's ``case show``, ``item show``, ``meeting
show`` and ``history``, the web application's pages, downloads and JSON — so that a closed
item (lukket punkt) is shown or withheld by one function (:mod:`council.workflow.visibility`)
for all of them. Each function reads in one read-only unit of work and returns plain,
frozen objects; the queries themselves are the stores' in :mod:`council.cases`.

- :mod:`.cases`: a case and its items, case pages, search;
- :mod:`.items`: an item in full, its page and what changed since a version was read;
- :mod:`.meetings`: committees, their meetings, a meeting's agenda, minutes and page;
- :mod:`.history`: a case's decision history as a table, CSV and JSON;
- :mod:`.desk`: what awaits the secretariat;
- :mod:`.audit`: the audit verified (also against the signed checkpoints), the line that
  anchors it on the minutes, and the outbox of reminders;
- :mod:`.goals`: where the result goals of status obligations stand (``council status``);
- :mod:`.calendars`: the iCalendar feeds of meetings and status deadlines.
"""
