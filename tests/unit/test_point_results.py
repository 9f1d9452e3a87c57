"""A decision that settles the at-points one by one is read point by point; any other
wording yields no point results (never a guess)."""

from __future__ import annotations

import pytest

from council.cases.importers.decision_structure import read_points


@pytest.mark.parametrize(
    ("text", "points"),
    [
        (
            "Indstillingens 1. at-punkt blev godkendt uden afstemning.\n"
            "Indstillingens 2. at-punkt blev anbefalet over for Økonomiudvalget.",
            ((1, "godkendt uden afstemning"), (2, "anbefalet over for Økonomiudvalget")),
        ),
        ("Indstillingens første at-punkt blev forkastet.", ((1, "forkastet"),)),
        (
            "Der var afstemning om indstillingens 2. at-punkt. Indstillingens andet at-punkt "
            "blev godkendt.",
            ((2, "godkendt"),),
        ),
        ("Indstillingen blev godkendt.", ()),
        ("Indstillingens hundrede at-punkt blev godkendt.", ()),
    ],
)
def test_each_at_point_a_decision_settles_is_read_with_what_it_says(
    text: str, points: tuple[tuple[int, str], ...]
) -> None:
    assert read_points(text) == points
