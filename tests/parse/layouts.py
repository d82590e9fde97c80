"""Our own reports flattened the ways real pages flatten their tables.

A page is first a list of pieces: a text line (``Piece(text, None)``) or a table cell
(``Piece(text, key)``, ``key`` the cell key of a data cell, ``None`` for a label or a
header), with a row number for cells. Layouts turn the pieces into page text; the mutation
test edits the pieces, so it knows which cell each value belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

import attrs
import lxml.html

from disclosure_schema import Report, render_html

__all__ = ["LAYOUTS", "Piece", "pieces_of", "render_layout"]

_BLOCKS = ("h1", "h2", "h3", "p", "li")


@attrs.frozen
class Piece:
    """A line of text or a table cell (``row`` set) of a flattened page."""

    text: str
    key: str | None = None
    row: int | None = None


def pieces_of(report: Report) -> list[Piece]:
    """The report as rendered to HTML, as lines and cells in reading order."""
    root = lxml.html.fragment_fromstring(render_html(report), create_parent="div")
    pieces: list[Piece] = []
    row_number = 0
    for element in root.iter("h1", "h2", "h3", "p", "li", "tr"):
        if element.tag in _BLOCKS:
            if element.getparent() is not None and element.getparent().tag in ("td", "th"):
                continue
            text = " ".join(element.text_content().split())
            if text:
                pieces.append(Piece(text))
            continue
        row_number += 1
        for cell in element:
            if cell.tag not in ("td", "th"):
                continue
            pieces.append(Piece(cell.text_content().strip(), cell.get("data-key"), row_number))
    return pieces


def one_per_line(pieces: Sequence[Piece]) -> str:
    """Every line and cell on its own line, a blank line between (copied from a page)."""
    return "".join(f"{piece.text}\n\n" for piece in pieces)


def dense(pieces: Sequence[Piece]) -> str:
    """Every line and cell on its own line, no blank lines (PDF text extraction)."""
    return "".join(f"{piece.text}\n" for piece in pieces)


def pipe_lines(pieces: Sequence[Piece]) -> str:
    """Every cell on its own line followed by a line holding ``|``."""
    out: list[str] = []
    for piece in pieces:
        out.append(piece.text)
        if piece.row is not None:
            out.append("|")
    return "\n".join(out) + "\n"


def pipe_rows(pieces: Sequence[Piece]) -> str:
    """Table rows as ``| a | b |`` lines."""
    out: list[str] = []
    row: list[str] = []
    current: int | None = None
    for piece in pieces:
        if piece.row != current and row:
            out.append("| " + " | ".join(row) + " |")
            row = []
        current = piece.row
        if piece.row is None:
            out.append(piece.text)
        else:
            row.append(piece.text)
    if row:
        out.append("| " + " | ".join(row) + " |")
    return "\n".join(out) + "\n"


def html_cells(pieces: Sequence[Piece]) -> str:
    """An HTML page with each row a <tr> of <td>s (spans lost) and lines as <p>."""
    out: list[str] = ["<html><body><div class='TRS_Editor'>"]
    current: int | None = None
    for piece in pieces:
        if piece.row != current:
            if current is not None:
                out.append("</tr></table>" if piece.row is None else "</tr><tr>")
            elif piece.row is not None:
                out.append("<table><tr>")
        current = piece.row
        if piece.row is None:
            out.append(f"<p>{escape(piece.text)}</p>")
        else:
            out.append(f"<td>{escape(piece.text)}</td>")
    if current is not None:
        out.append("</tr></table>")
    out.append("</div></body></html>")
    return "".join(out)


LAYOUTS: dict[str, Callable[[Sequence[Piece]], str]] = {
    "one_per_line": one_per_line,
    "dense": dense,
    "pipe_lines": pipe_lines,
    "pipe_rows": pipe_rows,
    "html_cells": html_cells,
}


def render_layout(report: Report, layout: str) -> str:
    """``report`` flattened in ``layout`` (a name of :data:`LAYOUTS`)."""
    return LAYOUTS[layout](pieces_of(report))


def pdf_rows(pieces: Sequence[Piece]) -> str:
    """Text as PDF extraction gives it: a table row's cells on one line, separated by
    spaces; the header and label cells as they come."""
    out: list[str] = []
    row: list[str] = []
    current: int | None = None
    for piece in pieces:
        if piece.row != current and row:
            out.append(" ".join(row))
            row = []
        current = piece.row
        if piece.row is None:
            out.append(piece.text)
        elif piece.text:
            row.append(piece.text)  # an empty cell leaves no trace in extracted text
    if row:
        out.append(" ".join(row))
    return "\n".join(out) + "\n"


def detached_labels(pieces: Sequence[Piece]) -> str:
    """PDF text whose table 三 row labels were gathered before its value rows: every
    label first, then each row's values on one line, in template order."""
    out: list[str] = []
    labels: list[str] = []
    values: list[list[str]] = []
    rows: dict[int, list[Piece]] = {}
    for piece in pieces:
        if piece.row is not None:
            rows.setdefault(piece.row, []).append(piece)
    emitted: set[int] = set()
    for piece in pieces:
        if piece.row is None:
            if labels:
                out.extend(labels)
                out.extend(" ".join(line) for line in values)
                labels, values = [], []
            out.append(piece.text)
            continue
        if piece.row in emitted:
            continue
        emitted.add(piece.row)
        cells = rows[piece.row]
        data = [cell.text for cell in cells if cell.key is not None]
        heads = [cell.text for cell in cells if cell.key is None and cell.text]
        if any((cell.key or "").startswith("requests.") for cell in cells):
            labels.extend(heads)
            values.append(data)
        else:
            out.append(" ".join(heads + data))
    out.extend(labels)
    out.extend(" ".join(line) for line in values)
    return "\n".join(out) + "\n"


LAYOUTS["pdf_rows"] = pdf_rows
LAYOUTS["detached_labels"] = detached_labels
