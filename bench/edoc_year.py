"""A synthetic year of one municipality in the eDoc format, and the parser's speed on it.

    python -m bench.edoc_year                 # 12 committees x 11 meetings x 20 items
    python -m bench.edoc_year --committees 2 --meetings 2 --items 5

The year is built from the real Ballerup file's structure (``shared/realdata/edoc/``): each
generated meeting is that file's ``<Meeting>`` with the committee, date and items replaced,
and each item a copy of one of its eight real items, renumbered, its ``FullText`` carrying
the new number and the new committee's decision heading. As in a real year, each item is a
case of its own (a new case number), except every meeting's first item, which keeps its real
number: a case that comes before the committee every month, as "Meddelelser" does.
Attachments keep their titles; their full text (the bulk of the real file, never read by the
importer) is left out.

:func:`parse_year` parses every file with the eDoc parser alone and reports items per
second; the import through the engine is measured against it elsewhere. Never run by the
test suite (a small year is, to check that the generated files parse).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from council.cases.importers.edoc import parse_edoc
from council.cases.importers.hardened import parse_xml

PROJECT = Path(__file__).resolve().parents[1]
REAL_FILE = Path(
    "realdata/edoc/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_meeting.edoc.xml"
)
SOURCE_COMMITTEE = "Sundheds- og Forebyggelsesudvalget"
SOURCE_DAY = "04.12.2012"
COMMITTEES = (
    "Økonomiudvalget",
    "Sundheds- og Forebyggelsesudvalget",
    "Børne- og Skoleudvalget",
    "Social- og Arbejdsmarkedsudvalget",
    "Kultur- og Fritidsudvalget",
    "Miljø- og Teknikudvalget",
    "Beskæftigelsesudvalget",
    "Erhvervs- og Planudvalget",
    "Ældre- og Handicapudvalget",
    "Klimaudvalget",
    "Integrationsudvalget",
    "KMB IT-udvalget",
)
_CASE = re.compile(r"Sagsnr\.?\s*:\s*(\d{4}-\d+)")
MONTHS_WITH_MEETINGS = (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)


@dataclass(frozen=True)
class ParseRun:
    files: int
    meetings: int
    items: int
    decisions: int
    bytes: int
    seconds: float

    @property
    def items_per_second(self) -> float:
        return self.items / self.seconds if self.seconds else float("inf")


def generate_year(
    template: bytes,
    folder: Path,
    *,
    committees: int = 12,
    meetings: int = 11,
    items: int = 20,
    year: int = 2013,
) -> list[Path]:
    """Write ``committees x meetings`` eDoc files of ``items`` items each into ``folder``."""
    if not 1 <= committees <= len(COMMITTEES) or not 1 <= meetings <= len(MONTHS_WITH_MEETINGS):
        raise ValueError(f"at most {len(COMMITTEES)} committees and 11 meetings a year")
    root = parse_xml(template, source=REAL_FILE.name)
    agenda_type = root.find("MeetingAgendaTypes/MeetingAgendaType")
    container = agenda_type.find("MeetingAgendaItems")
    originals = sorted(container, key=lambda e: int(e.findtext("AgendaItemNumber")))
    for element in originals:
        for full_text in element.iterfind("Document/Attachments/Attachment/FullText"):
            full_text.getparent().remove(full_text)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for c_index, committee in enumerate(COMMITTEES[:committees]):
        for month in MONTHS_WITH_MEETINGS[:meetings]:
            day = dt.date(year, month, 3 + c_index * 2)
            meeting = copy.deepcopy(root)
            meeting.find("Committee").text = committee
            meeting.find("MeetingDate").text = f"{day:%d-%m-%Y} 13:00:00"
            front = meeting.find("MeetingAgendaTypes/MeetingAgendaType/FullText")
            if front is not None:
                front.text = (front.text or "").replace(SOURCE_COMMITTEE, committee)
            box = meeting.find("MeetingAgendaTypes/MeetingAgendaType/MeetingAgendaItems")
            for child in list(box):
                box.remove(child)
            for number in range(1, items + 1):
                case = None if number == 1 else f"{year}-{c_index + 1:02d}{month:02d}{number:03d}"
                original = originals[(number - 1) % len(originals)]
                box.append(_item(original, number, committee, day, case))
            path = folder / f"ballerup_{_slug(committee)}_{day.isoformat()}_meeting.edoc.xml"
            path.write_bytes(etree.tostring(meeting, xml_declaration=True, encoding="utf-8"))
            written.append(path)
    return written


def _item(
    original: etree._Element, number: int, committee: str, day: dt.date, case: str | None
) -> etree._Element:
    """A copy of a real item at ``number``; ``case`` replaces its case number when given."""
    item = copy.deepcopy(original)
    old = item.findtext("AgendaItemNumber")
    item.find("AgendaItemNumber").text = str(number)
    for agenda_item in item.iterfind("Document/AgendaItems/AgendaItem"):
        if agenda_item.findtext("Committee") == SOURCE_COMMITTEE:
            agenda_item.find("Committee").text = committee
            agenda_item.find("AgendaItemNumber").text = str(number)
    full_text = item.find("FullText")
    text = full_text.text or ""
    text = text.replace(f"\n{old}.\t", f"\n{number}.\t", 1)
    text = text.replace(
        f"{SOURCE_COMMITTEE}s beslutning den {SOURCE_DAY} Punkt {old}",
        f"{_genitive(committee)} beslutning den {day:%d.%m.%Y} Punkt {number}",
    )
    text = text.replace(
        f"Beslutningen træffes af\n{SOURCE_COMMITTEE}", f"Beslutningen træffes af\n{committee}"
    )
    real_case = _CASE.search(text)
    if case is not None and real_case is not None:
        text = text.replace(real_case.group(1), case)
    full_text.text = text
    return item


def parse_year(paths: Sequence[Path]) -> ParseRun:
    """Parse every file with the eDoc parser alone (files read before the clock starts)."""
    blobs = [(path.name, path.read_bytes()) for path in paths]
    started = time.perf_counter()
    meetings = [parse_edoc(data, source=name) for name, data in blobs]
    seconds = time.perf_counter() - started
    return ParseRun(
        files=len(blobs),
        meetings=len(meetings),
        items=sum(len(m.items) for m in meetings),
        decisions=sum(len(i.decisions) for m in meetings for i in m.items),
        bytes=sum(len(data) for _, data in blobs),
        seconds=seconds,
    )


def _genitive(name: str) -> str:
    return name if name.endswith("s") else f"{name}s"


def _slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", " ": "-"})
    return "".join(c for c in name.casefold().translate(table) if c.isalnum() or c == "-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.edoc_year", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--shared", type=Path, default=PROJECT.parent / "shared")
    parser.add_argument("--out", type=Path, default=None, help="keep the generated files here")
    parser.add_argument("--committees", type=int, default=12)
    parser.add_argument("--meetings", type=int, default=11)
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args(argv)
    template = args.shared / REAL_FILE
    if not template.is_file():
        print(f"the real eDoc file {template} is absent; pass --shared", file=sys.stderr)
        return 2
    import tempfile

    with tempfile.TemporaryDirectory(prefix="council-edoc-year-") as scratch:
        folder = args.out or Path(scratch)
        paths = generate_year(
            template.read_bytes(),
            folder,
            committees=args.committees,
            meetings=args.meetings,
            items=args.items,
        )
        run = parse_year(paths)
    print(
        f"eDoc parser: {run.files} files, {run.items} items, {run.decisions} decisions, "
        f"{run.bytes / 1e6:.1f} MB in {run.seconds:.2f} s = {run.items_per_second:,.0f} items/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
