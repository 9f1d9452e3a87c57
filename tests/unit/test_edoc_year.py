"""The benchmark's synthetic eDoc year is built from the real file and parses back whole."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from support import PROJECT, SHARED, real_file

from council.cases.importers.edoc import parse_edoc

EDOC = "edoc/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_meeting.edoc.xml"


def test_a_small_generated_year_parses_to_every_item_with_its_committees_decision(
    tmp_path: Path,
) -> None:
    real_file(EDOC)
    done = subprocess.run(
        [sys.executable, "-m", "bench.edoc_year", "--shared", str(SHARED), "--out", str(tmp_path),
         "--committees", "2", "--meetings", "3", "--items", "10"],
        cwd=PROJECT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("eDoc parser: 6 files, 60 items, 60 decisions,")
    assert "items/s" in done.stdout
    paths = sorted(tmp_path.glob("*.edoc.xml"))
    assert len(paths) == 6
    meeting = parse_edoc(paths[-1].read_bytes(), source=paths[-1].name)
    committee, day = "Sundheds- og Forebyggelsesudvalget", dt.date(2013, 3, 5)
    assert (meeting.committee, meeting.date) == (committee, day)
    assert [item.number for item in meeting.items] == list(range(1, 11))
    assert {(d.body, d.date) for item in meeting.items for d in item.decisions} == {
        (committee, day)
    }
    assert [d.agenda_number for item in meeting.items for d in item.decisions] == [
        str(n) for n in range(1, 11)
    ]
