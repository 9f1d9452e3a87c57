"""The converter from a Sagsvagt item page to the Copenhagen text layout (tools/)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "data" / "sagsvagt" / "pages"
TOOL = ROOT / "tools" / "sagsvagt_to_text.py"


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sagsvagt_to_text", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


PAGE = """<!doctype html><html><body><article><header>
<p class="kicker"><span>Besluttet 21. maj</span>, <a href="x">Borgerrepræsentationen</a></p>
<h1 class="hl">Udpegning &amp; valg <script>alert(1)</script></h1>
<p class="dek">Et resumé.</p></header>
<div class="body">
<div class="decision"><b>Beslutning</b>Indstillingen blev godkendt.</div>
<h2>Indstilling</h2><p>om,</p><p>• at vælge <b>to</b> medlemmer.</p>
<h2>Politisk
handlerum</h2>
<p>Første linje<br>anden linje</p>
<p>Søren Wille / Peter Højer</p>
<h2>Beslutning</h2><p>Indstillingen blev godkendt.</p>
<h2>Bilag</h2><ul class="files"><li>Bilag 1 - Vedtægter</li></ul>
<p class="source">Kilde: Københavns Kommune, Borgerrepræsentationen, referat fra mødet
torsdag 21. maj 2026, punkt 7. <a href="https://www.kk.dk/x">Læs</a>.</p>
</div></article></body></html>"""


def test_a_page_becomes_the_text_layout_under_the_name_the_import_reads(tool: ModuleType) -> None:
    item = tool.convert_page(PAGE, source="page.html")
    assert item.file_name == "koebenhavn_borgerrepraesentationen_2026-05-21_punkt07.txt"
    assert (item.committee, item.date, item.number) == (
        "Borgerrepræsentationen",
        dt.date(2026, 5, 21),
        7,
    )
    assert item.text.splitlines() == [
        "7. Udpegning & valg",
        "Et resumé.",
        "Indstilling",
        "om,",
        "• at vælge to medlemmer.",
        "Politisk handlerum",
        "Første linje",
        "anden linje",
        "Søren Wille / Peter Højer",
        "Beslutning",
        "Indstillingen blev godkendt.",
        "Bilag",
        "Bilag 1 - Vedtægter",
    ]


def test_the_summary_box_and_scripts_are_left_out(tool: ModuleType) -> None:
    text = tool.convert_page(PAGE, source="page.html").text
    assert text.count("Indstillingen blev godkendt.") == 1
    assert "alert" not in text


def test_a_page_without_its_source_line_is_refused_naming_the_page(tool: ModuleType) -> None:
    page = PAGE.replace("punkt 7.", "")
    with pytest.raises(tool.PageError, match=r"^page\.html: the 'Kilde:' line"):
        tool.convert_page(page, source="page.html")


def test_every_stored_page_converts_and_the_command_writes_one_file_each(tmp_path: Path) -> None:
    pages = sorted(PAGES.glob("*.html"))
    result = subprocess.run(
        [sys.executable, str(TOOL), *map(str, pages), "--out", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert len(list(tmp_path.glob("koebenhavn_*.txt"))) == len(pages) >= 40
