"""Word (.docx): the report in the official layout, written as Office Open XML.

The package is a handful of small XML parts, so it is written directly with
:mod:`zipfile` and escaped strings rather than with python-docx: python-docx cannot set a
vertical merge, a repeated header row or the East Asian font of a run without reaching
into its XML anyway, and it would be a new dependency for every user of the library.
The output is deterministic (fixed timestamps), so the same report gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Collection, Sequence
from typing import Final

import attrs

from disclosure_schema.checks.findings import Finding
from disclosure_schema.labels import FINDINGS_TITLE
from disclosure_schema.model import Report
from disclosure_schema.render.findings import render_findings
from disclosure_schema.render.layout import (
    Cell,
    Document,
    Heading,
    Language,
    Paragraph,
    Row,
    Table,
    build_document,
)

__all__ = ["PageSetup", "render_docx"]


_W_NS: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TWIPS_PER_MM: Final = 1440 / 25.4
_A4_MM: Final = (210, 297)
# XML 1.0 cannot hold these; a Word file with one of them does not open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEADER_ROLES: Final = frozenset({"caption", "corner", "header"})
_ZIP_DATE: Final = (1980, 1, 1, 0, 0, 0)


@attrs.frozen(kw_only=True)
class PageSetup:
    """How the pages look: paper orientation, margins, fonts, footer, header rows.

    - ``landscape``: A4 landscape instead of portrait;
    - ``margin_mm``: the four page margins, in millimetres;
    - ``east_asian_font`` / ``heading_font``: the CJK fonts of body text and headings
      (``w:eastAsia``; the Latin font stays Times New Roman); by default the official
      FangSong_GB2312 and SimHei, under the English names Word also knows them by;
    - ``font_size`` / ``table_font_size``: in points;
    - ``footer``: the footer line, ``{page}`` standing for the page number ("— {page} —"
      by default; an office may want its own words around it); ``None`` for no footer;
    - ``repeat_header_rows``: a table crossing a page break repeats its header rows;
    - ``rows_may_split``: a row may be cut by a page break (Word's default; off here so
      that a printed row stays whole).
    """

    landscape: bool = False
    margin_mm: float = 25.0
    east_asian_font: str = "FangSong_GB2312"
    heading_font: str = "SimHei"
    font_size: float = 14.0
    table_font_size: float = 10.5
    footer: str | None = "— {page} —"
    repeat_header_rows: bool = True
    rows_may_split: bool = False


def _text(value: str) -> str:
    value = _NOT_XML.sub("\ufffd", value)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _runs(text: str, properties: str) -> str:
    """Runs for a text: line breaks and tabs as Word elements, spaces kept."""
    parts: list[str] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            parts.append("<w:br/>")
        for piece_number, piece in enumerate(line.split("\t")):
            if piece_number:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{_text(piece)}</w:t>')
    return f"<w:r>{properties}{''.join(parts)}</w:r>"


def _font(east_asian: str) -> str:
    name = _text(east_asian)
    return (
        f'<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"'
        f' w:eastAsia="{name}" w:cs="Times New Roman" w:hint="eastAsia"/>'
    )


def _half_points(points: float) -> int:
    return round(points * 2)


@attrs.define
class _Writer:
    setup: PageSetup
    body: list[str] = attrs.field(factory=list)

    @property
    def text_width(self) -> int:
        width_mm = _A4_MM[1] if self.setup.landscape else _A4_MM[0]
        return round((width_mm - 2 * self.setup.margin_mm) * _TWIPS_PER_MM)

    def paragraph(self, text: str, style: str | None = None, *, center: bool = False) -> None:
        properties = f'<w:pStyle w:val="{style}"/>' if style else ""
        if center:
            properties += '<w:jc w:val="center"/>'
        self.body.append(f"<w:p><w:pPr>{properties}</w:pPr>{_runs(text, '')}</w:p>")

    def table(self, table: Table) -> None:
        rows = [*table.head, *table.body]
        grid = _place(rows)
        width = max((len(row) for row in grid), default=0)
        if not width:
            return
        widths = self._column_widths(table, width)
        size = _half_points(self.setup.table_font_size)
        # section 2's caption names one item; repeating it over another item's rows misleads
        head_rows = len(table.head)
        parts = [
            "<w:tbl><w:tblPr>",
            '<w:tblStyle w:val="ReportTable"/>',
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>',
            '<w:jc w:val="center"/>',
            _borders("tblBorders", inside=True),
            '<w:tblLayout w:type="fixed"/>',
            '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
            "</w:tblCellMar>",
            '<w:tblLook w:val="04A0"/>',
            "</w:tblPr><w:tblGrid>",
            *(f'<w:gridCol w:w="{w}"/>' for w in widths),
            "</w:tblGrid>",
        ]
        for index, slots in enumerate(grid):
            header = self.setup.repeat_header_rows and index < head_rows
            keep = "" if self.setup.rows_may_split else "<w:cantSplit/>"
            parts.append(f"<w:tr><w:trPr>{keep}")
            if header:
                parts.append("<w:tblHeader/>")
            parts.append("</w:trPr>")
            column = 0
            while column < width:
                slot = slots.get(column)
                if slot is None:
                    # a row shorter than the grid (an added row): an empty cell fills it
                    parts.append(_cell_xml(None, widths[column], 1, None, size))
                    column += 1
                    continue
                origin_row, cell = slot
                span = cell.colspan
                cell_width = sum(widths[column : column + span])
                merge: str | None = None
                if cell.rowspan > 1:
                    merge = "restart" if origin_row == index else "continue"
                shown = cell if origin_row == index else None
                parts.append(_cell_xml(shown, cell_width, span, merge, size))
                column += span
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self.body.append("".join(parts))
        # Word joins two tables with nothing between them; a paragraph keeps them apart.
        self.body.append("<w:p/>")

    def _column_widths(self, table: Table, width: int) -> list[int]:
        labels = max(table.label_columns, 0)
        weights = [1.0] * width
        if table.section == "proactive":
            weights[0] = 3.0
        else:
            for column in range(min(labels, width)):
                weights[column] = 1.2 if column < labels - 1 else 2.2
        total = sum(weights)
        widths = [int(self.text_width * weight / total) for weight in weights]
        return widths


def _place(rows: Sequence[Row]) -> list[dict[int, tuple[int, Cell]]]:
    """Each row's grid columns → (row the cell starts in, the cell), spans resolved."""
    grid: list[dict[int, tuple[int, Cell]]] = [{} for _ in rows]
    for r, row in enumerate(rows):
        column = 0
        for cell in row.cells:
            while column in grid[r]:
                column += 1
            for dr in range(min(cell.rowspan, len(rows) - r)):
                for dc in range(cell.colspan):
                    grid[r + dr][column + dc] = (r, cell)
            column += cell.colspan
    return grid


def _borders(tag: str, *, inside: bool) -> str:
    sides = ["top", "left", "bottom", "right"]
    if inside:
        sides += ["insideH", "insideV"]
    lines = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in sides
    )
    return f"<w:{tag}>{lines}</w:{tag}>"


def _cell_xml(cell: Cell | None, width: int, span: int, merge: str | None, size: int) -> str:
    properties = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        properties.append(f'<w:gridSpan w:val="{span}"/>')
    if merge == "restart":
        properties.append('<w:vMerge w:val="restart"/>')
    elif merge == "continue":
        properties.append("<w:vMerge/>")
    properties.append('<w:vAlign w:val="center"/>')
    run_properties = f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    if cell is None or not cell.text:
        content = f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/>{run_properties}</w:pPr></w:p>'
    else:
        bold = cell.role in _HEADER_ROLES
        align = "center" if cell.role != "label" else "left"
        rpr = (
            f"<w:rPr>{'<w:b/><w:bCs/>' if bold else ''}"
            f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        )
        content = (
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            f'<w:jc w:val="{align}"/></w:pPr>{_runs(cell.text, rpr)}</w:p>'
        )
    return f"<w:tc><w:tcPr>{''.join(properties)}</w:tcPr>{content}</w:tc>"


# ---------------------------------------------------------------------------- parts


def _document_xml(body: Sequence[str], setup: PageSetup) -> str:
    width, height = (round(mm * _TWIPS_PER_MM) for mm in _A4_MM)
    orient = ""
    if setup.landscape:
        width, height = height, width
        orient = ' w:orient="landscape"'
    margin = round(setup.margin_mm * _TWIPS_PER_MM)
    footer = (
        '<w:footerReference w:type="default" r:id="rIdFooter1"/>'
        if setup.footer is not None
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{_W_NS}" xmlns:r="{_R_NS}"><w:body>'
        + "".join(body)
        + f'<w:sectPr>{footer}<w:pgSz w:w="{width}" w:h="{height}"{orient}/>'
        f'<w:pgMar w:top="{margin}" w:right="{margin}" w:bottom="{margin}" w:left="{margin}"'
        ' w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>'
    )


def _styles_xml(setup: PageSetup) -> str:
    body = _half_points(setup.font_size)

    def heading(style_id: str, name: str, points: float, outline: int | None) -> str:
        level = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
        center = '<w:jc w:val="center"/>' if outline is None else ""
        size = _half_points(points)
        return (
            f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
            f'<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/>{center}{level}</w:pPr>'
            f"<w:rPr>{_font(setup.heading_font)}<w:b/><w:bCs/>"
            f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>'
        )

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{_W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>'
        f"{_font(setup.east_asian_font)}"
        f'<w:sz w:val="{body}"/><w:szCs w:val="{body}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>'
        + heading("Title", "Title", 22, None)
        + heading("Heading1", "heading 1", 16, 0)
        + heading("Heading2", "heading 2", 15, 1)
        + heading("Heading3", "heading 3", 14, 2)
        + '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr>'
        '<w:rPr><w:sz w:val="18"/></w:rPr></w:style>'
        '<w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Table Grid"/>'
        f"<w:tblPr>{_borders('tblBorders', inside=True)}</w:tblPr></w:style>"
        "</w:styles>"
    )


def _footer_xml(footer: str) -> str:
    before, _, after = footer.partition("{page}")
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr xmlns:w="{_W_NS}" xmlns:r="{_R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/>'
        f'</w:pPr><w:r><w:t xml:space="preserve">{_text(before)}</w:t></w:r>{field}'
        f'<w:r><w:t xml:space="preserve">{_text(after)}</w:t></w:r></w:p></w:ftr>'
    )


def _core_xml(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>disclosure-schema</dc:creator>"
        "</cp:coreProperties>"
    )


_CONTENT_TYPES: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/'
    'vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_PACKAGE_RELS: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_DOCUMENT_RELS: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/footer" Target="footer1.xml"/>'
    "</Relationships>"
)


def _body(document: Document, setup: PageSetup, preamble: Sequence[str]) -> list[str]:
    writer = _Writer(setup)
    writer.paragraph(document.title, "Title", center=True)
    for text in preamble:
        writer.paragraph(text)
    for section in document.sections:
        writer.paragraph(section.title, "Heading1")
        for block in section.blocks:
            if isinstance(block, Heading):
                writer.paragraph(block.text, f"Heading{min(block.level - 1, 3)}")
            elif isinstance(block, Paragraph):
                writer.paragraph(block.text)
            else:
                writer.table(block)
    if document.findings:
        title = FINDINGS_TITLE.zh if document.language == "zh" else FINDINGS_TITLE.en
        writer.paragraph(title, "Heading1")
        listed = render_findings(document.findings, format="text", language=document.language)
        for line in listed.splitlines():
            if line.strip():
                writer.paragraph(line)
    return writer.body


def render_docx(
    report: Report,
    *,
    sections: Collection[str] | None = None,
    language: Language = "zh",
    empty: str = "—",
    findings: Sequence[Finding] | None = None,
    page: PageSetup = PageSetup(),
    preamble: Sequence[str] = (),
) -> bytes:
    """The report as a Word document (.docx bytes) in the official layout.

    Parameters
    ----------
    report:
        The report to lay out.
    sections, language, empty, findings:
        As for :func:`~disclosure_schema.render_markdown`.
    page:
        Paper, margins, fonts and footer (:class:`PageSetup`); A4 portrait by default.
    preamble:
        Paragraphs placed between the title and the first section (an office's
        introduction).

    Returns
    -------
    bytes
        A .docx package: tables with the official merged headers (``gridSpan`` and
        ``vMerge``) and borders, CJK fonts set through ``w:eastAsia``, the document title
        in its properties. The same input gives the same bytes.
    """
    document = build_document(
        report, sections=sections, language=language, empty=empty, findings=findings
    )
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _PACKAGE_RELS,
        "docProps/core.xml": _core_xml(document.title),
        "word/_rels/document.xml.rels": _DOCUMENT_RELS,
        "word/document.xml": _document_xml(_body(document, page, preamble), page),
        "word/styles.xml": _styles_xml(page),
        "word/footer1.xml": _footer_xml(page.footer or "{page}"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, content.encode("utf-8"))
    return buffer.getvalue()
