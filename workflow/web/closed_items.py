"""Whether a viewer reads closed items (lukket punkt) in full: the web's one decision.

Every page, list, title, link, download and JSON answer of the web application asks this
function, and passes the answer on as ``internal`` to the reads, which turn it into the
one visibility rule of :mod:`council.workflow.visibility`; templates never decide it.
Anonymous visitors see a closed item only as its number and "Lukket punkt"; every
logged-in user (secretariat, auditor, administrator) reads it in full.
"""

from __future__ import annotations

from council.workflow.accounts import Viewer


def shows_closed_items(viewer: Viewer | None) -> bool:
    return viewer is not None
