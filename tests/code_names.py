"""The code names that never reach a person (only ``--json`` and ``--csv`` keep them): a
reminder's step key and the workflow's state codes."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STEP_KEY = re.compile(r"\b(lead|overdue|late)-\d+\b")
STATE_CODES = [
    name
    for name in tomllib.loads((ROOT / "config/workflow.toml").read_text())["states"]
    if "_" in name
]
