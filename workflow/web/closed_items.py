"""Whether a viewer reads closed items (lukket punkt) in full: the web's one decision.

Every page, list, title, link, download and JSON answer of the web application asks this
function for its :class:`~council.workflow.visibility.Audience` and hands that to the read
models, which apply the one visibility rule of :mod:`council.workflow.visibility`;
templates never decide it. Anonymous visitors see a closed item only as its number and
"Lukket punkt"; every logged-in user (secretariat, auditor, administrator) reads it in full.
"""

from __future__ import annotations

from council.workflow.accounts import Viewer
from council.workflow.visibility import Audience, audience


def audience_of(viewer: Viewer | None) -> Audience:
    return audience(internal=viewer is not None)
