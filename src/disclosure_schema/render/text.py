"""Plain text: headings, paragraphs, grid tables whose columns line up in Chinese text."""

from __future__ import annotations

from tabulate import tabulate
from wcwidth import wcswidth

from disclosure_schema.labels import FINDINGS_TITLE
from disclosure_schema.render.findings import mark_flagged, render_findings
from disclosure_schema.render.layout import Document, FlatTable, Heading, Paragraph, flatten

__all__ = ["text"]


def _width(line: str) -> int:
    width = wcswidth(line)
    return width if width >= 0 else len(line)


def _underlined(line: str, mark: str) -> str:
    return f"{line}\n{mark * max(_width(line), 1)}"


def _table(flat: FlatTable) -> str:
    # tabulate measures wide characters with wcwidth, so Chinese columns line up.
    table = tabulate(list(flat.rows), list(flat.header), tablefmt="grid", disable_numparse=True)
    return table if flat.caption is None else f"{flat.caption}\n{table}"


def text(document: Document) -> str:
    """The document as plain text, blocks separated by one blank line; cells flagged by
    a finding end with ⚠."""
    document = mark_flagged(document)
    parts = [_underlined(document.title, "=")]
    for section in document.sections:
        parts.append(_underlined(section.title, "-"))
        for block in section.blocks:
            if isinstance(block, Heading | Paragraph):
                parts.append(block.text)
            else:
                parts.extend(_table(flat) for flat in flatten(block))
    if document.findings:
        title = FINDINGS_TITLE.zh if document.language == "zh" else FINDINGS_TITLE.en
        parts.append(_underlined(title, "-"))
        parts.append(
            render_findings(document.findings, format="text", language=document.language).rstrip()
        )
    return "\n\n".join(parts) + "\n"
