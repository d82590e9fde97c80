"""Word (.docx) → the HTML the page reader already reads.

The document XML is read with :mod:`zipfile` and lxml (no python-docx): paragraphs become
``<p>`` (headings ``<h1>``–``<h6>`` by their style), tables become ``<table>`` with
``colspan`` from ``w:gridSpan`` and ``rowspan`` from ``w:vMerge``, the paragraphs of a cell
joined. The HTML goes to :func:`~disclosure_schema.parse.parse_html`, so Word tables are
read by the same table reader as web pages. The document's title property
(``docProps/core.xml``) is passed as the page ``<title>``: a hint used when the text has
no title line.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from html import escape
from typing import Final

import attrs
import lxml.etree

from disclosure_schema.errors import ParseError
from disclosure_schema.limits import DEFAULT_LIMITS, Limits, check_size
from disclosure_schema.parse._package import package_holds
from disclosure_schema.parse.api import _guarded, parse_html
from disclosure_schema.parse.diagnostics import diagnostic
from disclosure_schema.parse.result import Diagnostic, ParseResult

__all__ = ["DocxPage", "docx_to_html", "is_docx", "parse_docx"]

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE: Final = "{http://purl.org/dc/elements/1.1/}title"
_DOCUMENT: Final = "word/document.xml"
# The XML of a document is far larger than its text; a part this many times the page
# limit is refused unread (a zip bomb expands a few KiB into gigabytes).
_XML_TO_PAGE_RATIO: Final = 8
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
# Containers whose content is part of the flow (content controls, custom XML, smart tags,
# tracked insertions, hyperlinks); deleted text (w:del) is left out.
_TRANSPARENT: Final = frozenset(
    f"{_W}{name}"
    for name in ("sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink")
)


@attrs.frozen
class DocxPage:
    """The HTML of a Word document and what was noticed reading it."""

    html: str
    title: str | None
    diagnostics: tuple[Diagnostic, ...]


def is_docx(data: bytes) -> bool:
    """Whether the bytes are a zip package holding a Word document part."""
    return package_holds(data, _DOCUMENT)


def _parser() -> lxml.etree.XMLParser:
    return lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )


def _read_part(package: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    try:
        info = package.getinfo(name)
    except KeyError:
        return None
    check_size(info.file_size, limit, f"the Word part {name}", "max_page_bytes")
    with package.open(info) as stream:
        data = stream.read(limit + 1)
    check_size(len(data), limit, f"the Word part {name}", "max_page_bytes")
    return data


def _xml_part(package: zipfile.ZipFile, name: str, limit: int) -> lxml.etree._Element | None:
    """The root of an optional XML part; ``None`` when it is missing or not XML (the
    document is still read without it)."""
    data = _read_part(package, name, limit)
    if data is None:
        return None
    try:
        return lxml.etree.fromstring(data, _parser())
    except lxml.etree.XMLSyntaxError:
        return None


def _styles(package: zipfile.ZipFile, limit: int) -> dict[str, str]:
    """Paragraph style id → HTML heading tag, for the heading and title styles."""
    found: dict[str, str] = {}
    root = _xml_part(package, "word/styles.xml", limit)
    if root is None:
        return found
    for style in root.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId")
        name_element = style.find(f"{_W}name")
        name = name_element.get(f"{_W}val", "") if name_element is not None else ""
        if style_id is None:
            continue
        match = _HEADING_STYLE.match(name.strip())
        if name.strip().lower() == "title":
            found[style_id] = "h1"
        elif match:
            found[style_id] = f"h{min(int(match.group(1)) + 1, 6)}"
    return found


def _core_title(package: zipfile.ZipFile, limit: int) -> str | None:
    root = _xml_part(package, "docProps/core.xml", limit)
    if root is None:
        return None
    element = root.find(_DC_TITLE)
    title = " ".join((element.text or "").split()) if element is not None else ""
    return title or None


def _children(element: lxml.etree._Element) -> Iterator[lxml.etree._Element]:
    """Child elements, looking through containers that only wrap flow content."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _TRANSPARENT:
            yield from _children(child)
        else:
            yield child


_SKIPPED_IN_RUNS: Final = frozenset(
    (
        f"{_W}drawing",
        f"{_W}pict",
        f"{_W}object",
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
        f"{_W}delText",
        f"{_W}instrText",
    )
)


def _flow_paragraphs(element: lxml.etree._Element) -> Iterator[lxml.etree._Element]:
    """The paragraphs of a cell in order, those of a nested table included (text boxes
    are not part of the flow)."""
    for child in _children(element):
        if child.tag == f"{_W}p":
            yield child
        elif child.tag in (f"{_W}tbl", f"{_W}tr", f"{_W}tc"):
            yield from _flow_paragraphs(child)


def _run_text(run: lxml.etree._Element) -> str:
    """The text of a run; drawings and text boxes (whose text Word also keeps in a
    fallback copy) are left out."""
    pieces: list[str] = []
    for element in run:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED_IN_RUNS:
            continue
        if tag == f"{_W}t":
            pieces.append(element.text or "")
        elif tag == f"{_W}tab":
            pieces.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            pieces.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            pieces.append("-")
        elif tag == f"{_W}sym":
            pieces.append(_symbol(element.get(f"{_W}char")))
        elif tag == f"{_W}ruby":
            # phonetic guides: the base text only
            base = element.find(f"{_W}rubyBase")
            if base is not None:
                pieces.extend(_run_text(r) for r in base.iter(f"{_W}r"))
    return "".join(pieces)


def _symbol(code: str | None) -> str:
    try:
        return chr(int(code or "", 16))
    except ValueError:
        return ""


def _paragraph_text(paragraph: lxml.etree._Element) -> str:
    pieces: list[str] = []
    for element in _children(paragraph):
        if element.tag == f"{_W}r":
            pieces.append(_run_text(element))
        elif element.tag == f"{_W}fldSimple":
            pieces.append("".join(_run_text(run) for run in element.iter(f"{_W}r")))
    return "".join(pieces)


def _style_of(paragraph: lxml.etree._Element) -> str | None:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return None if style is None else style.get(f"{_W}val")


def _html_text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


# ---------------------------------------------------------------------------- numbering

_CHINESE_DIGITS: Final = "〇一二三四五六七八九"
_LEGAL_DIGITS: Final = "零壹贰叁肆伍陆柒捌玖"
_STEMS: Final = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED: Final = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN: Final = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _chinese(number: int, digits: str = _CHINESE_DIGITS, ten: str = "十") -> str:
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if not tens:
        return digits[ones]
    head = "" if tens == 1 and digits is _CHINESE_DIGITS else digits[tens]
    return head + ten + (digits[ones] if ones else "")


def _roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _letter(number: int) -> str:
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1) if number > 0 else ""


def _format_number(number: int, style: str) -> str:
    """A list counter in one of Word's number formats (w:numFmt)."""
    if style in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting"):
        return _chinese(number)
    if style == "chineseLegalSimplified":
        return _chinese(number, _LEGAL_DIGITS, "拾")
    if style in ("ideographTraditional",) and 0 < number <= len(_STEMS):
        return _STEMS[number - 1]
    if style in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and (
        0 < number <= len(_CIRCLED)
    ):
        return _CIRCLED[number - 1]
    if style == "decimalZero":
        return f"{number:02d}"
    if style == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(number))
    if style == "lowerLetter":
        return _letter(number)
    if style == "upperLetter":
        return _letter(number).upper()
    if style == "lowerRoman":
        return _roman(number)
    if style == "upperRoman":
        return _roman(number).upper()
    if style == "none":
        return ""
    return str(number)


@attrs.frozen
class _Level:
    start: int
    style: str
    text: str


@attrs.define
class _Numbering:
    """Word's automatic list numbers ("一、", "（二）", "3."), which are not in the text."""

    levels: dict[str, dict[int, _Level]] = attrs.field(factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = attrs.field(factory=dict)
    styles: dict[str, tuple[str, int]] = attrs.field(factory=dict)
    counters: dict[str, dict[int, int]] = attrs.field(factory=dict)
    started: set[str] = attrs.field(factory=set)

    def label(self, paragraph: lxml.etree._Element) -> str:
        """The list number Word shows before a paragraph, or ``""``."""
        properties = paragraph.find(f"{_W}pPr")
        if properties is None:
            return ""
        number = properties.find(f"{_W}numPr")
        num_id: str | None = None
        level = 0
        style = properties.find(f"{_W}pStyle")
        if style is not None and style.get(f"{_W}val") in self.styles:
            num_id, level = self.styles[style.get(f"{_W}val", "")]
        if number is not None:
            num_element = number.find(f"{_W}numId")
            if num_element is not None:
                num_id = num_element.get(f"{_W}val")
            level = _int(number.find(f"{_W}ilvl"), level)
        if num_id is None or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if level not in levels or levels[level].style == "bullet":
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for ilvl, start in overrides.items():
                counters[ilvl] = start - 1
        counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        text = levels[level].text
        for ilvl in range(level, -1, -1):
            if f"%{ilvl + 1}" in text:
                spec = levels.get(ilvl, levels[level])
                value = counters.get(ilvl, spec.start)
                text = text.replace(f"%{ilvl + 1}", _format_number(value, spec.style))
        return text


def _numbering(package: zipfile.ZipFile, limit: int) -> _Numbering:
    numbering = _Numbering()
    root = _xml_part(package, "word/numbering.xml", limit)
    if root is None:
        return numbering
    for abstract in root.iter(f"{_W}abstractNum"):
        levels: dict[int, _Level] = {}
        for level in abstract.iter(f"{_W}lvl"):
            style = level.find(f"{_W}numFmt")
            text = level.find(f"{_W}lvlText")
            levels[int(level.get(f"{_W}ilvl", "0"))] = _Level(
                _int(level.find(f"{_W}start"), 1),
                style.get(f"{_W}val", "decimal") if style is not None else "decimal",
                text.get(f"{_W}val", "") if text is not None else "",
            )
        numbering.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
    for num in root.iter(f"{_W}num"):
        abstract_id = num.find(f"{_W}abstractNumId")
        if abstract_id is None:
            continue
        overrides = {
            int(override.get(f"{_W}ilvl", "0")): _int(override.find(f"{_W}startOverride"), 1)
            for override in num.iter(f"{_W}lvlOverride")
            if override.find(f"{_W}startOverride") is not None
        }
        numbering.nums[num.get(f"{_W}numId", "")] = (abstract_id.get(f"{_W}val", ""), overrides)
    return numbering


def _style_numbers(package: zipfile.ZipFile, limit: int) -> dict[str, tuple[str, int]]:
    """Paragraph styles that carry a list number (headings numbered "一、" by their style)."""
    found: dict[str, tuple[str, int]] = {}
    root = _xml_part(package, "word/styles.xml", limit)
    if root is None:
        return found
    for style in root.iter(f"{_W}style"):
        number = style.find(f"{_W}pPr/{_W}numPr")
        num_id = number.find(f"{_W}numId") if number is not None else None
        if number is not None and num_id is not None:
            found[style.get(f"{_W}styleId", "")] = (
                num_id.get(f"{_W}val", ""),
                _int(number.find(f"{_W}ilvl"), 0),
            )
    return found


@attrs.define
class _Converter:
    styles: dict[str, str]
    numbering: _Numbering = attrs.field(factory=_Numbering)
    out: list[str] = attrs.field(factory=list)

    def text(self, paragraph: lxml.etree._Element) -> str:
        return self.numbering.label(paragraph) + _paragraph_text(paragraph)

    def block(self, element: lxml.etree._Element) -> None:
        if element.tag == f"{_W}p":
            text = self.text(element)
            tag = self.styles.get(_style_of(element) or "", "p")
            self.out.append(f"<{tag}>{_html_text(text)}</{tag}>")
        elif element.tag == f"{_W}tbl":
            self.table(element)

    def cell_html(self, cell: lxml.etree._Element) -> str:
        """The paragraphs of a cell, each its own line; a nested table's text line by line."""
        lines = [_html_text(self.text(element)) for element in _flow_paragraphs(cell)]
        return "".join(f"<p>{line}</p>" for line in lines if line)

    def table(self, table: lxml.etree._Element) -> None:
        # First place every cell on the grid; a cell continuing a vertical merge adds a row
        # to the cell that started the merge in the same grid column.
        rows: list[list[tuple[int, int, lxml.etree._Element]]] = []
        started: dict[int, list[int]] = {}  # grid column → [row, index] of an open merge
        spans: dict[tuple[int, int], int] = {}
        for tr in (child for child in _children(table) if child.tag == f"{_W}tr"):
            row_cells: list[tuple[int, int, lxml.etree._Element]] = []
            row_number = len(rows)
            column = _int(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
            for tc in (child for child in _children(tr) if child.tag == f"{_W}tc"):
                span = max(1, _int(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1))
                merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                value = None if merge is None else (merge.get(f"{_W}val") or "continue")
                if value == "continue" and column in started:
                    origin = started[column]
                    spans[(origin[0], origin[1])] += 1
                else:
                    row_cells.append((column, span, tc))
                    index = len(row_cells) - 1
                    spans[(row_number, index)] = 1
                    if value == "restart":
                        started[column] = [row_number, index]
                    else:
                        started.pop(column, None)
                column += span
            rows.append(row_cells)
        parts = ["<table>"]
        for row_number, row_cells in enumerate(rows):
            parts.append("<tr>")
            for index, (_, span, tc) in enumerate(row_cells):
                attributes = f' colspan="{span}"' if span > 1 else ""
                rowspan = spans[(row_number, index)]
                if rowspan > 1:
                    attributes += f' rowspan="{rowspan}"'
                parts.append(f"<td{attributes}>{self.cell_html(tc)}</td>")
            parts.append("</tr>")
        parts.append("</table>")
        self.out.append("".join(parts))


def _int(element: lxml.etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(f"{_W}val", str(default)))
    except ValueError:
        return default


def docx_to_html(data: bytes, limits: Limits = DEFAULT_LIMITS) -> DocxPage:
    """The HTML of a Word document's body.

    Raises :class:`ParseError` for a file that is not a readable Word document and
    :class:`InputLimitError` for parts over the limits.
    """
    limit = limits.max_page_bytes * _XML_TO_PAGE_RATIO
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ParseError(f"not a Word document (.docx): {error}") from None
    diagnostics: list[Diagnostic] = []
    with package:
        try:
            document = _read_part(package, _DOCUMENT, limit)
            if document is None:
                raise ParseError("not a Word document (.docx): the zip has no word/document.xml")
            styles = _styles(package, limit)
            title = _core_title(package, limit)
            numbering = _numbering(package, limit)
            numbering.styles = _style_numbers(package, limit)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
            # RuntimeError: an encrypted member; zlib errors surface as BadZipFile/OSError
            raise ParseError(f"the Word document is damaged: {error}") from None
    try:
        root = lxml.etree.fromstring(document, _parser())
    except lxml.etree.XMLSyntaxError as error:
        raise ParseError(f"the Word document's XML is damaged: {error}") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise ParseError("the Word document has no body")
    if root.find(f".//{_W}del") is not None or root.find(f".//{_W}ins") is not None:
        diagnostics.append(
            diagnostic(
                "tracked_changes",
                "the Word document has tracked changes; read as if all were accepted",
            )
        )
    converter = _Converter(styles, numbering)
    for element in _children(body):
        converter.block(element)
    head = f"<title>{escape(title)}</title>" if title else ""
    html = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>'
        + "\n".join(converter.out)
        + "</body></html>"
    )
    return DocxPage(html, title, tuple(diagnostics))


def _parse_docx(data: bytes, limits: Limits) -> ParseResult:
    check_size(len(data), limits.max_page_bytes, "the Word document", "max_page_bytes")
    page = docx_to_html(data, limits)
    result = parse_html(page.html, limits=limits)
    return ParseResult(result.report, (*page.diagnostics, *result.diagnostics))


def parse_docx(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> ParseResult:
    """Parse a Word document (.docx bytes).

    Parameters
    ----------
    data:
        The bytes of the .docx file.
    limits:
        Input limits; the document and each of its XML parts are checked against them.

    Returns
    -------
    ParseResult
        As :func:`~disclosure_schema.parse.parse_html` returns for the document's body:
        tables with their merged cells, headings, prose and meta (the title property
        is a hint when the text has no title). A file that is not a readable Word
        document gives a ``no_report`` error diagnostic, never an exception.
    """
    return _guarded(_parse_docx, data, limits)
