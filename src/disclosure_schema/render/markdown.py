"""Markdown (CommonMark with GFM pipe tables): headings, paragraphs, flattened tables."""

from __future__ import annotations

import re
from functools import lru_cache

from tabulate import tabulate

from disclosure_schema.labels import FINDINGS_TITLE
from disclosure_schema.render.findings import mark_flagged, render_findings
from disclosure_schema.render.layout import Document, FlatTable, Heading, Paragraph, flatten

__all__ = ["markdown"]


@lru_cache(maxsize=65536)
def _cell(text: str) -> str:
    # memoized: labels and most values (0, 1, "—") recur in every table of every report
    # A table cell is one line; a pipe or backslash would end or change it.
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


_BLOCK_START = re.compile(r"^(\d+)([.)])|^([#>+\-*=_`~])")


def _inline(text: str) -> str:
    """Text on one line, with no raw HTML."""
    return " ".join(text.replace("\\", "\\\\").replace("<", "\\<").split())


def _paragraph(text: str) -> str:
    """Text that stays one paragraph of itself: one line, no raw HTML, no marker at its
    start that would make it a heading, list or quote."""
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", _inline(text))


def _table(flat: FlatTable) -> str:
    header = [_cell(text) for text in flat.header]
    rows = [[_cell(text) for text in row] for row in flat.rows]
    table = tabulate(rows, header, tablefmt="pipe", disable_numparse=True)
    if flat.caption is None:
        return table
    return f"{_paragraph(flat.caption)}\n\n{table}"


def markdown(document: Document) -> str:
    """The document as Markdown, blocks separated by one blank line; cells flagged by a
    finding end with ⚠."""
    document = mark_flagged(document)
    parts = [f"# {_inline(document.title)}"]
    for section in document.sections:
        parts.append(f"## {_inline(section.title)}")
        for block in section.blocks:
            if isinstance(block, Heading):
                parts.append(f"{'#' * block.level} {_inline(block.text)}")
            elif isinstance(block, Paragraph):
                parts.append(_paragraph(block.text))
            else:
                parts.extend(_table(flat) for flat in flatten(block))
    if document.findings:
        title = FINDINGS_TITLE.zh if document.language == "zh" else FINDINGS_TITLE.en
        parts.append(f"## {title}")
        parts.append(render_findings(document.findings, language=document.language).rstrip())
    return "\n\n".join(parts) + "\n"
