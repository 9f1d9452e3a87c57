"""CSV exports that a spreadsheet opens without running anything."""

from __future__ import annotations

import csv
import io

import pytest

from council.workflow.spreadsheet import csv_text, neutralised


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil.example","klik")', '\'=HYPERLINK("http://evil.example","klik")'),
        ("+45 33 66 33 66", "'+45 33 66 33 66"),
        ("- at udvalget godkender", "'- at udvalget godkender"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "' =1+1"),
        ("\r=1+1", "'=1+1"),
        ("Godkendt = vedtaget", "Godkendt = vedtaget"),
        ("Taget til efterretning.", "Taget til efterretning."),
        ("", ""),
    ],
)
def test_a_text_a_spreadsheet_would_run_gets_a_quote_in_front(cell: str, written: str) -> None:
    assert neutralised(cell) == written


def test_numbers_empty_cells_and_truth_values_are_written_as_such() -> None:
    assert neutralised(-3) == -3
    assert neutralised(None) is None
    assert (neutralised(True), neutralised(False)) == ("true", "false")


def test_control_characters_are_left_out_of_a_cell_and_line_breaks_kept() -> None:
    assert neutralised("Linje 1\r\nLinje 2\x1b[31m\u202e") == "Linje 1\nLinje 2[31m"


def test_plain_csv_reads_back_with_commas_and_line_feeds() -> None:
    text = csv_text(("a", "b"), [(1, "=x"), (2, 'med "citat", komma\nog linje')])
    assert not text.startswith("\ufeff") and "\r\n" not in text
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["a", "b"],
        ["1", "'=x"],
        ["2", 'med "citat", komma\nog linje'],
    ]


def test_the_danish_dialect_has_a_byte_order_mark_semicolons_and_crlf() -> None:
    text = csv_text(
        ("Udvalg", "Beslutning"), [("BIU", "Godkendt; dog 1,5 mio. kr.")], dialect="excel-da"
    )
    assert text.startswith("\ufeffUdvalg;Beslutning\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert rows == [["Udvalg", "Beslutning"], ["BIU", "Godkendt; dog 1,5 mio. kr."]]
