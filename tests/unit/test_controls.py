"""Control characters never reach a person's terminal or spreadsheet."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from council.workflow.cli.terminal import clean, text
from council.workflow.controls import without_controls


def test_escape_sequences_carriage_returns_and_bidi_overrides_are_removed() -> None:
    typed = "Budget\x1b[2J\x1b]8;;http://evil.example\x07klik\x1b]8;;\x07\rOK\u202eLIF\x9b1m"
    assert without_controls(typed) == "Budget[2J]8;;http://evil.exampleklik]8;;OKLIF1m"


def test_line_breaks_are_kept_and_tabs_become_spaces() -> None:
    assert without_controls("et\r\nto\nt\tre") == "et\nto\nt re"


def test_an_undecodable_byte_of_an_argument_is_a_replacement_character() -> None:
    assert without_controls("Sag \udcff") == "Sag \ufffd"


def test_printable_text_with_brackets_and_emoji_codes_is_untouched() -> None:
    assert without_controls("[/bold] :smile: æøå €") == "[/bold] :smile: æøå €"


@given(st.text())
def test_nothing_a_terminal_acts_on_is_left(typed: str) -> None:
    shown = without_controls(typed)
    assert not [c for c in shown if c != "\n" and _acts(c)]


def _acts(character: str) -> bool:
    code = ord(character)
    return (
        code < 0x20 or 0x7F <= code <= 0x9F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
    )


def test_the_terminal_prints_text_plainly_never_as_markup() -> None:
    line = text("[/bold] oops ", ("[link=file:///etc/passwd]x[/link]", "bold"))
    assert line.plain == "[/bold] oops [link=file:///etc/passwd]x[/link]"
    assert clean(42) == "42"
