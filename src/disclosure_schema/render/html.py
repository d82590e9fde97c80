"""HTML: the tables with the official template's row and column spans, ready to paste."""

from __future__ import annotations

from html import escape

from disclosure_schema.labels import FINDINGS_TITLE
from disclosure_schema.render.findings import render_findings
from disclosure_schema.render.layout import Cell, Document, Heading, Paragraph, Row, Table

__all__ = ["html"]

_HEADER_ROLES = frozenset({"caption", "corner", "header", "label"})


def _cell(cell: Cell) -> str:
    tag = "th" if cell.role in _HEADER_ROLES else "td"
    attributes = [f'class="{cell.role}"']
    if cell.colspan > 1:
        attributes.append(f'colspan="{cell.colspan}"')
    if cell.rowspan > 1:
        attributes.append(f'rowspan="{cell.rowspan}"')
    if cell.key is not None:
        attributes.append(f'data-key="{escape(cell.key)}"')
    return f"<{tag} {' '.join(attributes)}>{escape(cell.text)}</{tag}>"


def _row(row: Row) -> str:
    attributes = f' class="{row.role}"'
    if row.key is not None:
        attributes += f' data-row="{escape(row.key)}"'
    return f"<tr{attributes}>{''.join(map(_cell, row.cells))}</tr>"


def _table(table: Table) -> str:
    lines = [f'<table class="disclosure-table" data-section="{table.section}">']
    if table.head:
        lines += ["<thead>", *map(_row, table.head), "</thead>"]
    lines += ["<tbody>", *map(_row, table.body), "</tbody>", "</table>"]
    return "\n".join(lines)


def _article(document: Document) -> str:
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
                lines.append(_table(block))
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
    """The document as an ``<article>`` fragment, or a whole UTF-8 page."""
    article = _article(document)
    if not full_page:
        return article
    lang = "zh-CN" if document.language == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(document.title)}</title>\n</head>\n<body>\n{article}</body>\n</html>\n"
    )
