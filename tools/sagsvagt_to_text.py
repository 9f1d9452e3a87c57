"""Turn a Copenhagen item page as Sagsvagt publishes it (``sag/kk-<date>-<udvalg>-<n>.html``)
into the plain-text Copenhagen layout the text import reads.

The page is read with lxml's HTML parser, never with patterns over markup: the title is the
article's ``h1``, the resumé its ``p.dek``, the committee the kicker's link, the meeting date and
item number the closing "Kilde: ..., referat fra mødet <dag> 21. maj 2026, punkt 12." line;
the body's headings and paragraphs become one line each (a ``<br>`` starts a new line), the
attachment list one "Bilag N - X" line per file. The summary box Sagsvagt puts above the body
(``div.decision``) repeats the decision and is left out.

    python tools/sagsvagt_to_text.py PAGE.html ... --out DIR

writes ``DIR/koebenhavn_<udvalg>_<YYYY-MM-DD>_punktNN.txt`` for each page and prints its name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from council.cases.importers.committee_names import slug

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ),
        start=1,
    )
}
# the plain text of the "Kilde:" line, not markup
_SOURCE_LINE = re.compile(
    r"mødet\s+\w+\s+(?P<day>\d{1,2})\.\s+(?P<month>[a-zæøå]+)\s+(?P<year>\d{4}),\s+punkt\s+(?P<number>\d+)",
    re.IGNORECASE,
)


class PageError(ValueError):
    """The page is not a Sagsvagt item page this converter knows."""


@dataclass(frozen=True)
class ConvertedItem:
    file_name: str
    text: str
    committee: str
    date: dt.date
    number: int


def convert_page(html: str, *, source: str) -> ConvertedItem:
    """The page as a text item and the file name the import reads its meeting from."""
    root = lxml.html.fromstring(html)
    for unread in root.xpath("//script|//style|//template"):
        unread.drop_tree()
    title = _one_text(root, "//article//h1", source)
    committee = _one_text(root, "//article//p[contains(@class,'kicker')]/a", source)
    found = _SOURCE_LINE.search(_one_text(root, "//p[contains(@class,'source')]", source))
    if found is None or found["month"].casefold() not in _MONTHS:
        raise PageError(f"{source}: the 'Kilde:' line names no meeting date and punkt")
    date = dt.date(int(found["year"]), _MONTHS[found["month"].casefold()], int(found["day"]))
    number = int(found["number"])
    lines = [f"{number}. {title}"]
    lines.extend(_lines_of(root.xpath("//article//p[contains(@class,'dek')]")))
    bodies = root.xpath("//article//div[contains(@class,'body')]")
    if not bodies:
        raise PageError(f"{source}: the page has no article body")
    lines.extend(_body_lines(bodies[0]))
    name = f"koebenhavn_{slug(committee)}_{date.isoformat()}_punkt{number:02d}.txt"
    return ConvertedItem(name, "\n".join(lines) + "\n", committee, date, number)


def _one_text(root: lxml.html.HtmlElement, path: str, source: str) -> str:
    found = root.xpath(path)
    if not found:
        raise PageError(f"{source}: the page has no {path.rsplit('/', 1)[-1]}")
    return " ".join(found[0].text_content().split())


def _body_lines(body: lxml.html.HtmlElement) -> Iterator[str]:
    for element in body:
        classes = (element.get("class") or "").split()
        if "decision" in classes or "source" in classes:
            continue
        if element.tag == "ul" and "files" in classes:
            yield from (" ".join(li.text_content().split()) for li in element.iter("li"))
        elif element.tag in ("ul", "ol"):
            yield from _lines_of(list(element.iter("li")))
        else:
            yield from _lines_of([element])


def _lines_of(elements: list[lxml.html.HtmlElement]) -> Iterator[str]:
    """Each element's text, a ``<br>`` starting a new line, runs of spaces (a line break in
    the markup among them) as one."""
    for element in elements:
        for node in element.iter():
            node.text = node.text.replace("\n", " ") if node.text else node.text
            if node is not element:
                node.tail = node.tail.replace("\n", " ") if node.tail else node.tail
        for br in element.iter("br"):
            br.tail = "\n" + (br.tail or "")
        for line in element.text_content().split("\n"):
            text = " ".join(line.split())
            if text:
                yield text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for page in args.pages:
        try:
            item = convert_page(page.read_text(encoding="utf-8"), source=page.name)
        except (OSError, PageError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        (args.out / item.file_name).write_text(item.text, encoding="utf-8")
        print(item.file_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
