"""The roles a user account can have, and their Danish names.

``sekretariat`` advances the items of its committees, ``revisor`` reads everything and
changes nothing, ``admin`` may do both for every committee. Which transitions each role may
fire is part of the workflow (``roles`` in config/workflow.toml).
"""

from __future__ import annotations

SECRETARIAT = "sekretariat"
AUDITOR = "revisor"
ADMIN = "admin"
ROLES = (SECRETARIAT, AUDITOR, ADMIN)
ROLE_LABELS = {SECRETARIAT: "Sekretariat", AUDITOR: "Revisor", ADMIN: "Administrator"}
