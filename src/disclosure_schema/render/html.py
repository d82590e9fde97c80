"""HTML: the tables with the official template's row and column spans, ready to paste —
or, with ``full_page``, a whole UTF-8 page styled like the printed report (ruled tables,
numbers right-aligned, A4 print styles)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Final

from disclosure_schema.labels import FINDINGS_TITLE
from disclosure_schema.render.findings import Flag, flagged_cells, render_findings
from disclosure_schema.render.layout import Cell, Document, Heading, Paragraph, Row, Table

__all__ = ["PAGE_CSS", "html", "page"]

_HEADER_ROLES = frozenset({"caption", "corner", "header", "label"})

#: The style sheet of a full page: the look of a printed government report (serif CJK
#: type, centred title, fully ruled tables, figures right-aligned in tabular digits) on
#: screen, and A4 pages with the margins of official documents (GB/T 9704) in print.
PAGE_CSS: Final = """\
:root { color-scheme: light; }
html { background: #f2f2f2; }
body {
  margin: 0; color: #000; background: #f2f2f2;
  font-family: "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC",
    "SimSun", "Songti SC", serif;
  font-size: 16px; line-height: 1.75;
}
.disclosure-report {
  box-sizing: border-box; max-width: 210mm; margin: 24px auto; padding: 25mm 22mm;
  background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, .25);
}
.disclosure-report h1 {
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif;
  font-size: 22px; font-weight: 700; text-align: center; margin: 0 0 1.5em;
  line-height: 1.5;
}
.disclosure-report h2 {
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", sans-serif;
  font-size: 17px; font-weight: 700; margin: 1.5em 0 .6em;
}
.disclosure-report h3, .disclosure-report h4 { font-size: 16px; margin: 1em 0 .4em; }
.disclosure-report p { text-indent: 2em; margin: 0 0 .4em; text-align: justify; }
table.disclosure-table {
  border-collapse: collapse; width: 100%; margin: .6em 0 1.2em;
  font-size: 13px; line-height: 1.4;
}
table.disclosure-table th, table.disclosure-table td {
  border: 1px solid #000; padding: 3px 5px; vertical-align: middle;
}
table.disclosure-table th { font-weight: 400; text-align: center; }
table.disclosure-table th.header, table.disclosure-table th.corner,
table.disclosure-table th.caption { font-weight: 700; }
table.disclosure-table th.label { text-align: left; }
table.disclosure-table td.data, table.disclosure-table td.extra {
  text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;
  font-family: "Times New Roman", "Noto Serif", "Noto Serif CJK SC", serif;
}
table.disclosure-table td.flagged-error {
  background: #fbd5d2; box-shadow: inset 0 0 0 2px #c62828;
}
table.disclosure-table td.flagged-warning { background: #fff1c2; }
.findings { font-size: 13px; line-height: 1.5; padding-left: 1.4em; }
.finding-error { color: #b71c1c; }
.finding-warning { color: #8a5a00; }
.finding-not_assessable { color: #555; }
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@media print {
  html, body { background: #fff; }
  .disclosure-report { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  body { font-size: 16pt; }
  .disclosure-report h1 { font-size: 22pt; }
  .disclosure-report h2 { font-size: 16pt; break-after: avoid; }
  table.disclosure-table { font-size: 10.5pt; }
  thead { display: table-header-group; }
  tr, th, td { break-inside: avoid; }
  td.flagged-error, td.flagged-warning {
    -webkit-print-color-adjust: exact; print-color-adjust: exact;
  }
}
"""


def _cell(cell: Cell, flags: Mapping[str, Flag]) -> str:
    tag = "th" if cell.role in _HEADER_ROLES else "td"
    classes: list[str] = [cell.role]
    flag = flags.get(cell.key) if cell.key is not None else None
    if flag is not None:
        classes += ["flagged", f"flagged-{flag.severity}"]
    attributes = [f'class="{" ".join(classes)}"']
    if cell.colspan > 1:
        attributes.append(f'colspan="{cell.colspan}"')
    if cell.rowspan > 1:
        attributes.append(f'rowspan="{cell.rowspan}"')
    if cell.key is not None:
        attributes.append(f'data-key="{escape(cell.key)}"')
    if flag is not None:
        rules = " ".join(flag.rules)
        attributes.append(
            f'data-rules="{escape(rules)}" title="{escape(flag.severity)}: {escape(rules)}"'
        )
    return f"<{tag} {' '.join(attributes)}>{escape(cell.text)}</{tag}>"


def _row(row: Row, flags: Mapping[str, Flag]) -> str:
    attributes = f' class="{row.role}"'
    if row.key is not None:
        attributes += f' data-row="{escape(row.key)}"'
    return f"<tr{attributes}>{''.join(_cell(cell, flags) for cell in row.cells)}</tr>"


def _table(table: Table, flags: Mapping[str, Flag]) -> str:
    lines = [f'<table class="disclosure-table" data-section="{table.section}">']
    if table.head:
        lines += ["<thead>", *(_row(row, flags) for row in table.head), "</thead>"]
    lines += ["<tbody>", *(_row(row, flags) for row in table.body), "</tbody>", "</table>"]
    return "\n".join(lines)


def _article(document: Document) -> str:
    flags = flagged_cells(document.findings)
    lines = [
        f'<article class="disclosure-report" data-template="{document.template}"'
        f' lang="{document.language}">',
        f"<h1>{escape(document.title)}</h1>",
    ]
    for section in document.sections:
        lines.append(f'<section class="section" data-section="{section.key}">')
        lines.append(f"<h2>{escape(section.title)}</h2>")
        for block in section.blocks:
            if isinstance(block, Heading):
                lines.append(f"<h{block.level}>{escape(block.text)}</h{block.level}>")
            elif isinstance(block, Paragraph):
                lines.append(f"<p>{escape(block.text)}</p>")
            else:
                lines.append(_table(block, flags))
        lines.append("</section>")
    if document.findings:
        title = FINDINGS_TITLE.zh if document.language == "zh" else FINDINGS_TITLE.en
        lines.append('<section class="section" data-section="findings">')
        lines.append(f"<h2>{escape(title)}</h2>")
        lines.append(
            render_findings(document.findings, format="html", language=document.language).rstrip()
        )
        lines.append("</section>")
    lines.append("</article>")
    return "\n".join(lines) + "\n"


def html(document: Document, *, full_page: bool = False) -> str:
    """The document as an ``<article>`` fragment, or a whole UTF-8 page with
    :data:`PAGE_CSS`. Cells flagged by an error or warning finding get the classes
    ``flagged flagged-<severity>`` and their rules in ``data-rules`` and a tooltip."""
    article = _article(document)
    if not full_page:
        return article
    return page(document.title, document.language, article)


def page(title: str, language: str, body: str, *, extra_css: str = "") -> str:
    """A whole UTF-8 HTML page around ``body`` with :data:`PAGE_CSS` (and ``extra_css``
    after it): one look for every page the library writes.

    Parameters:
        title: The page's title (escaped here).
        language: ``"zh"`` or ``"en"``.
        body: The page's content: HTML, already escaped; ends with a newline.
        extra_css: Rules for what only this page has (e.g. a comparison's changed rows).

    Returns:
        The page.
    """
    lang = "zh-CN" if language == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{PAGE_CSS}{extra_css}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )
