"""Reading untrusted published files safely: size, encoding, hardened XML, real HTML parsing.

Every failure is one :class:`ImportFormatError` line naming the file and what is wrong, and
nothing is returned, so a caller never sees half a file.

XML is parsed by lxml with entity resolution, DTD loading and network access off, and a
document that carries a DTD at all is refused: none of the publishing systems writes one, so
a DOCTYPE is either a mistake or an attack (billion laughs, external entities). HTML is
parsed by lxml.html; markup is never taken apart with regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.html
from lxml import etree

from council.cases.errors import ImportFormatError

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"

# XML 1.0 forbids C0 control characters other than tab, line feed and carriage return, even
# as character references. eDoc's exports write the PDF's page breaks as "&#xC;" inside
# <FullText>; such a reference is read as a line break, everything else stays strict.
_CHAR_REFERENCE = re.compile(rb"&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});")
_ALLOWED_CONTROLS = {0x9, 0xA, 0xD}
_DOCTYPE_IN_PROLOG = re.compile(rb"^(?:\s+|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.S)
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript"})


def fail(source: str, what: str) -> ImportFormatError:
    """One line naming the file and the fault."""
    return ImportFormatError(f"{source}: {' '.join(what.split())}")


def check_size(data: bytes, *, source: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise fail(
            source,
            f"fylder {len(data):,} byte, mere end de {max_bytes:,} byte, en import læser; "
            "del den op, eller hæv grænsen",
        )


def utf8_text(data: bytes, *, source: str, what: str) -> str:
    """``data`` as UTF-8 text without a byte order mark, or a clear refusal."""
    try:
        return data.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(
            source,
            f"er ikke gyldig UTF-8 ({what} skal være det): byte 0x{data[exc.start]:02x} ved "
            f"position {exc.start}; gem filen som UTF-8",
        ) from exc


def parse_xml(data: bytes, *, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The root element of an XML document, parsed with every external door shut."""
    check_size(data, source=source, max_bytes=max_bytes)
    if not data.strip():
        raise fail(source, "er tom")
    declared = _DECLARED_ENCODING.match(data.removeprefix(UTF8_BOM)[:200])
    if declared is None or declared[1].lower() in {b"utf-8", b"utf8"}:
        utf8_text(data, source=source, what="en XML-fil, der ikke angiver en anden tegnkodning")
    if _DOCTYPE_IN_PROLOG.match(data.removeprefix(UTF8_BOM)):
        raise _dtd_refusal(source)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(_CHAR_REFERENCE.sub(_page_break, data), parser)
    except etree.XMLSyntaxError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "malformed"
        if "amplification" in reason:
            raise _dtd_refusal(source) from exc
        if "Premature end" in reason or "expected '>'" in reason or "EndTag" in reason:
            raise fail(source, f"er ikke fuldstændig XML; den ser afskåret ud ({reason})") from exc
        raise fail(source, f"er ikke velformet XML ({reason})") from exc
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise _dtd_refusal(source)
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise fail(source, "bruger entitetsreferencer, der ikke er XML's egne; afvist")
    return root


def _dtd_refusal(source: str) -> ImportFormatError:
    return fail(
        source,
        "erklærer en DTD (<!DOCTYPE ...>); offentliggjorte dagsordener gør det aldrig, og "
        "entitetserklæringer kan skjule en XML-bombe eller læse lokale filer, så den afvises",
    )


def _page_break(match: re.Match[bytes]) -> bytes:
    token = match[1]
    value = int(token[1:], 16) if token.startswith(b"x") else int(token)
    if value < 0x20 and value not in _ALLOWED_CONTROLS:
        return b"\n"
    return match[0]


def parse_html_document(text: str, *, source: str) -> lxml.html.HtmlElement:
    """A complete HTML document; a file cut off before ``</html>`` is refused."""
    if not text.strip():
        raise fail(source, "er tom")
    if not text.rstrip().lower().endswith("</html>"):
        raise fail(source, "er ikke en fuldstændig HTML-side; den slutter før </html> (afskåret?)")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise fail(source, f"kan ikke læses som HTML ({exc})") from exc


def html_fragment(markup: str) -> lxml.html.HtmlElement:
    """A fragment of HTML (a field's content) under one wrapping <div>."""
    if not markup.strip():
        return lxml.html.fragment_fromstring("<div></div>")
    return lxml.html.fragment_fromstring(markup, create_parent="div")


def element_lines(element: etree._Element) -> list[str]:
    """The text of ``element`` as lines: one per block (paragraph, list item, row, <br>).

    Runs of whitespace (non-breaking spaces too) become one space; empty lines are dropped.
    """
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buffer).split())
        if line:
            lines.append(line)
        buffer.clear()

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in _SKIPPED_TAGS:
            return
        block = tag.lower() in _BLOCK_TAGS
        if block:
            flush()
        if tag and node.text:
            buffer.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                buffer.append(child.tail)
        if block:
            flush()

    walk(element)
    flush()
    return lines


def plain_lines(text: str) -> list[str]:
    """Lines of plain text with trailing spaces cut and blank lines dropped."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def joined(lines: Iterable[str]) -> str:
    return "\n".join(lines)
