"""A published agenda item cut off at any point is refused, or is the item at an earlier stage.

The rule (``cases/importers/cut_off.py``): a cut is accepted only where a published item can
end, so what an accepted cut parses to is the whole item as it stood at an earlier stage:
the same number, title, case, sections, signatures and attachments, with its later decisions
(and their links) missing, and its last decision possibly missing its last lines.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import pytest
from cut_stages import is_earlier_stage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council.cases.errors import CutOffItemError, ImportFormatError
from council.cases.importers.copenhagen_text import ParsedItem, parse_copenhagen_text
from council.cases.importers.text_files import decode_text

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seeds" / "agenda-item-biu-2010-4130.txt"
POSTPONED = (
    SHARED / "realdata" / "copenhagen-text" / "koebenhavn_socialudvalget_2026-08-26_punkt07.txt"
)
RESUMED = (
    SHARED / "realdata" / "copenhagen-text" / "koebenhavn_socialudvalget_2026-09-16_punkt02.txt"
)
REAL_FILES = [SEED, POSTPONED, RESUMED]


def real(path: Path) -> bytes:
    if not path.is_file():
        pytest.skip(f"real input {path} is absent (the shared folder is not next to the project)")
    return path.read_bytes()


def parse(data: bytes, name: str = "item.txt") -> ParsedItem:
    """As the import reads a file: decoded (refused if not UTF-8), then parsed."""
    return parse_copenhagen_text(decode_text(name, data), source=name)


@cache
def accepted_cuts(data: bytes) -> list[int]:
    """Every byte offset at which the cut text is accepted; asserts the rule at all others."""
    whole = parse(data)
    accepted = []
    for end in range(len(data) + 1):
        try:
            cut = parse(data[:end])
        except ImportFormatError as refused:
            assert "\n" not in str(refused)
            continue
        assert is_earlier_stage(cut, whole), f"the cut at byte {end} gave another item"
        accepted.append(end)
    return accepted


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_a_real_file_cut_at_any_byte_is_refused_or_is_the_item_at_an_earlier_stage(
    path: Path,
) -> None:
    data = real(path)
    assert accepted_cuts(data)[-1] == len(data)  # the whole file itself is accepted


def test_the_seed_is_accepted_only_where_a_published_version_of_it_ends() -> None:
    data = real(SEED)
    text = data.decode("utf-8")
    ends = [
        text.index("/ Kaj Ove Christiansen\n") + len("/ Kaj Ove Christiansen\n"),  # agenda
        text.index("Indstillingen blev udsat.\n") + len("Indstillingen blev udsat.\n"),
        text.index("(#)\n") + len("(#)\n"),  # with the link under the first decision
        len(text.rstrip("\n")) + 1,  # the minutes of 23.02.2010
    ]
    stages = {text[:end].encode("utf-8") for end in ends}
    accepted = {data[:end].rstrip(b"\n") + b"\n" for end in accepted_cuts(data)}
    assert accepted == stages


@pytest.mark.parametrize("path", [POSTPONED, RESUMED], ids=lambda p: p.name)
def test_a_2026_file_whose_text_announces_four_attachments_is_accepted_only_whole(
    path: Path,
) -> None:
    data = real(path)
    assert accepted_cuts(data) == [len(data)]


def test_head_c_3000_of_a_real_item_is_refused_naming_the_line_it_stops_in() -> None:
    data = real(POSTPONED)[:3000]
    with pytest.raises(CutOffItemError) as refused:
        parse(data, POSTPONED.name)
    assert str(refused.value) == (
        f"{POSTPONED.name}: filen ser afskåret ud: dens sidste linje «…en af magt i det sociale "
        "arbejde og arbe» har intet linjeskift efter sig; en hel fil slutter med et (er filen "
        "hel, så afslut den med et linjeskift)"
    )


def cut_after(path: Path, line: str) -> bytes:
    text = real(path).decode("utf-8")
    return text[: text.index(line + "\n") + len(line) + 1].encode("utf-8")


@pytest.mark.parametrize(
    ("path", "last_line", "says"),
    [
        (SEED, "Problemstilling", "den slutter med overskriften «Problemstilling» og intet under"),
        (SEED, "bilag", "den slutter med overskriften «bilag» og intet under den"),
        (
            SEED,
            "Beskæftigelses- og Integrationsudvalgets beslutning den 23.02.2010",
            "den slutter med overskriften «Beskæftigelses- og Integrationsudvalgets beslutning den "
            "23.02.2010» og intet under den",
        ),
        (
            SEED,
            "Indstillingen har ingen økonomiske konsekvenser.",
            "den slutter i «Økonomi» («…ingen har ingen økonomiske konsekvenser.»), før "
            "de underskrifter, der afslutter indstillingen",
        ),
        (
            SEED,
            "Morten Binder",
            "den slutter i «BILAG» («Morten Binder»), før de underskrifter, der afslutter",
        ),
        (POSTPONED, "Beslutning", "den slutter med overskriften «Beslutning» og intet under den"),
        (
            POSTPONED,
            "/ Eva Stokbro Jensen",
            "dens tekst henviser til Bilag 4, men den har ingen bilagsliste",
        ),
        (
            POSTPONED,
            "Behandlingen af indstillingen blev udskudt til et kommende møde i Socialudvalget i 2026.",
            "dens tekst henviser til Bilag 4, men den har ingen bilagsliste",
        ),
        (
            POSTPONED,
            "Bilag 2. Forklaringer på magtanvendelserne i 2025",
            "dens tekst henviser til Bilag 4, men dens bilagsliste stopper ved 2",
        ),
    ],
)
def test_a_cut_at_a_line_break_names_the_part_that_looks_cut_off(
    path: Path, last_line: str, says: str
) -> None:
    with pytest.raises(CutOffItemError) as refused:
        parse(cut_after(path, last_line), path.name)
    assert f"{path.name}: filen ser afskåret ud: {says}" in str(refused.value)


def test_a_whole_item_with_decisions_but_no_signatures_is_accepted() -> None:
    text = (
        "12. Ny legeplads (2026-0012345)\n\nIndstilling\n\nTeknik- og Miljøforvaltningen "
        "indstiller, at Teknik- og Miljøudvalget godkender projektet.\n\n"
        "Teknik- og Miljøudvalgets beslutning den 03.03.2026\n\nGodkendt\n"
    )
    assert [d.text for d in parse_copenhagen_text(text, source="x.txt").decisions] == ["Godkendt"]


def test_a_whole_file_with_windows_line_breaks_is_accepted_and_so_is_a_cut_at_a_cr() -> None:
    data = real(SEED).replace(b"\n", b"\r\n")
    whole = parse(data)
    assert (
        parse(data[: data.index(b"Indstillingen blev udsat.\r") + 26]).decisions
        == (whole.decisions[:1])
    )


# ------------------------------------------------------------------ generated items

WORDS = st.text(alphabet=string.ascii_lowercase + "æøå", min_size=2, max_size=9)


@st.composite
def sentences(draw: st.DrawFn, *, count: tuple[int, int] = (1, 3)) -> str:
    parts = []
    for _ in range(draw(st.integers(*count))):
        words = draw(st.lists(WORDS, min_size=2, max_size=8))
        parts.append(" ".join(words).capitalize() + ".")
    return " ".join(parts)


@st.composite
def items(draw: st.DrawFn) -> str:
    """A whole item in the 2026 layout: some sections, signatures, decisions, a Bilag list."""
    attachments = draw(st.integers(0, 4))
    lines = [f"{draw(st.integers(1, 40))}. {draw(sentences(count=(1, 1)))[:-1]}"]
    lines.append(draw(sentences()))
    lines += ["Indstilling", "Socialforvaltningen indstiller,"]
    lines += [
        f"• at {draw(sentences(count=(1, 1))).lower()}" for _ in range(draw(st.integers(1, 3)))
    ]
    for heading in ("Problemstilling", "Løsning", "Økonomi", "Videre proces"):
        if draw(st.booleans()):
            lines.append(heading)
            lines += [draw(sentences()) for _ in range(draw(st.integers(1, 3)))]
    if attachments:
        lines.append(f"Bilag {attachments} viser tallene.")
    lines += ["Katrine Ring", "/ Eva Stokbro Jensen"]
    if draw(st.booleans()):
        lines.append("Beslutning")
        lines += ["Indstillingen blev godkendt."]
        lines += [draw(sentences()) for _ in range(draw(st.integers(0, 2)))]
    if attachments:
        lines.append("Bilag")
        lines += [
            f"Bilag {n}. {draw(sentences(count=(1, 1)))[:-1]}" for n in range(1, attachments + 1)
        ]
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=items(), choice=st.data())
def test_a_generated_item_is_accepted_whole_and_any_cut_is_refused_or_an_earlier_stage(
    text: str, choice: st.DataObject
) -> None:
    data = text.encode("utf-8")
    whole = parse(data)
    assert whole.signatures == ("Katrine Ring", "Eva Stokbro Jensen")
    # Half the cuts at a line break, the latest first: there the earlier stages are.
    line_ends = [index + 1 for index, byte in enumerate(data) if byte == ord("\n")][::-1]
    end = choice.draw(
        st.one_of(st.sampled_from(line_ends), st.integers(0, len(data))), label="cut at byte"
    )
    point = "• at ".encode()
    first_point = data.index(point) + len(point)
    try:
        stage = parse(data[:end])
    except CutOffItemError as refused:
        assert end < len(data) and "\n" not in str(refused)
        return
    except ImportFormatError as refused:  # inside a letter, or no "at ..." point yet
        assert "ikke en UTF-8-tekstfil" in str(refused) or end <= first_point
        return
    assert is_earlier_stage(stage, whole)
