"""PDF → the HTML the page reader already reads, with pdfplumber (an optional extra).

Plain text extracted from a PDF interleaves wrapped row labels with the numbers, so
tables are read as grids instead: pdfplumber finds the ruled tables, the cells' bounding
boxes give back the row and column spans (its own ``extract_tables`` leaves merged
regions as empty slots), and each cell's characters are put together in reading order.
A table that crosses a page break is stitched back into one: header rows repeated on the
next page are dropped, a row cut by the break is joined, and a merged label cell whose
rest ("开" of "不予公开") sits at the top of the next page gets its rest back. Running
page footers and headers ("— 5 —", "第 3 页") are removed; lines of a paragraph wrapped
by the page width are joined; Chinese text is put together without spurious spaces.

Tables drawn without ruling lines are not found as grids; outside the ruled tables a gap
as wide as a character parts a line into columns ("规章  1  0  5"), such lines are never
joined into paragraphs, and the text reader reads them as rows. A number wrapped in its
cell is written "a / b" there (left unread), never with the digits of two lines mixed.

The result goes to :func:`~disclosure_schema.parse.parse_html`, the same table reader
web pages use. A PDF with no text layer (scanned pages) or a text layer of ``(cid:N)``
glyph numbers is refused with a ``needs_ocr`` error: OCR is not exact enough to give
numbers we can vouch for.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import io
import itertools
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from html import escape
from typing import Any, Final, TypeVar

import attrs

from disclosure_schema.errors import InputLimitError, ParseError
from disclosure_schema.labels import template_labels
from disclosure_schema.limits import DEFAULT_LIMITS, Limits, check_size
from disclosure_schema.parse.api import _guarded, parse_html
from disclosure_schema.parse.diagnostics import diagnostic
from disclosure_schema.parse.normalize import fold
from disclosure_schema.parse.result import Diagnostic, ParseResult
from disclosure_schema.template import template_tags

__all__ = ["PdfPage", "parse_pdf", "pdf_to_html"]

_INSTALL: Final = "reading PDF files needs pdfplumber: pip install 'disclosure-schema[pdf]'"
#: Most pages a PDF may have before it is refused (a report has 3 to 20).
MAX_PAGES: Final = 200
# points: cell edges closer than this are one grid line (the same column on two pages
# may be laid out a point or two apart)
_EDGE_TOLERANCE: Final = 3.5
# a text layer where more than this share of characters are "(cid:N)" needs OCR
_CID_SHARE: Final = 0.2
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’—…·]")
# "— 5 —", "- 5 -", "5", "第 3 页", "第3页 共9页", "3 / 9", "Page 3"
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*(?:/\s*\d+)?"
    r"|page\s*\d+(?:\s*of\s*\d+)?|[-—–－]\s*\d+\s*[-—–－])[\s\-—–－_·•]*$",
    re.IGNORECASE,
)
# a row label or item heading starts with a marker: （三） 三、 3. 3、
_MARKER = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[）)]|[一二三四五六七八九十]+\s*、|\d+\s*[.．、])"
)
_NUMBER = re.compile(r"^[\s+\-−－]?[\d,，.．]+\s*(?:万元|元|件|%)?\s*$")
_MAX_COMPLAINTS: Final = 5
# pdfminer notes these about sound files too (browsers write fonts without a bounding box)
_BENIGN_COMPLAINTS: Final = ("FontBBox",)
# Kangxi radicals and compatibility ideographs some PDF fonts map their glyphs to:
# "⽂" (U+2F42) is "文" (U+6587) to a reader, and must be to the parser
_LOOKALIKE_IDEOGRAPHS = re.compile("[\u2f00-\u2fdf\uf900-\ufaff]")
_BLANK_MARKERS: Final = frozenset({"-", "—", "——", "–", "－", "/", "／", "\\", "_", "无"})
_MARGIN_SHARE: Final = 0.1  # running headers and footers live in the top/bottom tenth
# a gap this many characters wide inside a line outside the ruled tables parts columns
# of a table drawn without ruling lines (prose is justified by fractions of a character)
_COLUMN_GAP_EMS: Final = 1.0
_WORD_TITLE = re.compile(r"^Microsoft Word\s*-\s*|\.(?:docx?|wps)$", re.IGNORECASE)


@attrs.frozen
class PdfPage:
    """The HTML built from a PDF, its Info title and what was noticed reading it."""

    html: str
    title: str | None
    diagnostics: tuple[Diagnostic, ...]
    needs_ocr: str | None = None


# ---------------------------------------------------------------------------- text


def _is_cjk(character: str) -> bool:
    return bool(_CJK.match(character))


def _join_chars(chars: Sequence[dict[str, Any]], *, columns: bool = False) -> str:
    """One line's characters in order: a space only where a visible gap separates two
    non-Chinese characters (Chinese is written without spaces; a gap next to a Chinese
    character is justification or a font change, not a word break). With ``columns``,
    a gap as wide as a table column's (:data:`_COLUMN_GAP_EMS` characters) is written
    as two spaces, the column break the text reader splits cells on."""
    return _joined(chars, columns=columns)[0]


def _joined(
    chars: Sequence[dict[str, Any]], *, columns: bool
) -> tuple[str, tuple[tuple[float, float], ...]]:
    """:func:`_join_chars`, and the x extent of each column-break-parted piece."""
    if columns:
        rows = _visual_lines(chars)
        if len(rows) > 1:
            return _stacked(chars, rows)
    pieces: list[str] = []
    extents: list[tuple[float, float]] = []
    previous: dict[str, Any] | None = None
    for char in sorted(chars, key=lambda c: float(c["x0"])):
        text = _LOOKALIKE_IDEOGRAPHS.sub(
            lambda match: unicodedata.normalize("NFKC", match.group()), str(char["text"])
        )
        if text.isspace():
            continue
        if previous is not None:
            gap = float(char["x0"]) - float(previous["x1"])
            size = max(float(char["size"]), 1.0)
            last = pieces[-1][-1:] if pieces else ""
            if columns and gap >= _COLUMN_GAP_EMS * size:
                pieces.append("  ")
                extents.append((float(char["x0"]), float(char["x1"])))
            elif gap > 0.25 * size and not (_is_cjk(last) or _is_cjk(text[:1])):
                pieces.append(" ")
        if not extents:
            extents.append((float(char["x0"]), float(char["x1"])))
        extents[-1] = (extents[-1][0], float(char["x1"]))
        pieces.append(text)
        previous = char
    return "".join(pieces), tuple(extents)


def _visual_lines(chars: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The characters of one grouped line by the visual line they stand on (a table row
    whose cells wrap holds several), top to bottom."""
    rows: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: float(c["top"])):
        if str(char["text"]).isspace():
            continue
        size = max(float(char["size"]), 1.0)
        if rows and float(char["top"]) - float(rows[-1][0]["top"]) < 0.5 * size:
            rows[-1].append(char)
        else:
            rows.append([char])
    return rows


def _stacked(
    chars: Sequence[dict[str, Any]], rows: list[list[dict[str, Any]]]
) -> tuple[str, tuple[tuple[float, float], ...]]:
    """A line of a borderless table row whose cells wrap onto several visual lines: the
    columns are parted where no visual line has a character, and each column's text is
    its visual lines top to bottom (a label's wrapped lines joined). A column with
    digits on more than one visual line is written "a / b": which digits belong to
    which cell is not known there, so the reader leaves it unread rather than guess."""
    line_of = {id(char): number for number, row in enumerate(rows) for char in row}
    columns: list[list[dict[str, Any]]] = []
    right = 0.0
    for char in sorted(chars, key=lambda c: float(c["x0"])):
        if str(char["text"]).isspace():
            continue
        size = max(float(char["size"]), 1.0)
        if not columns or float(char["x0"]) - right >= _COLUMN_GAP_EMS * size:
            columns.append([])
            right = float(char["x1"])
        columns[-1].append(char)
        right = max(right, float(char["x1"]))
    texts: list[str] = []
    extents: list[tuple[float, float]] = []
    for column in columns:
        parts: dict[int, list[dict[str, Any]]] = {}
        for char in column:
            parts.setdefault(line_of[id(char)], []).append(char)
        lines = [_join_chars(parts[number]) for number in sorted(parts)]
        digits = sum(1 for line in lines if any(c.isdigit() for c in line))
        texts.append(" / ".join(lines) if digits > 1 else "".join(lines))
        extents.append((min(float(c["x0"]) for c in column), max(float(c["x1"]) for c in column)))
    return "  ".join(texts), tuple(extents)


@attrs.frozen
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    # the x extent of each piece parted by a column break ("  "), outside ruled tables
    pieces: tuple[tuple[float, float], ...] = ()


def _lines(chars: Iterable[dict[str, Any]], *, columns: bool = False) -> list[_Line]:
    """Characters grouped into lines by their vertical position, top to bottom."""
    ordered = sorted(chars, key=lambda c: (round(float(c["top"]), 1), float(c["x0"])))
    groups: list[list[dict[str, Any]]] = []
    for char in ordered:
        if str(char["text"]).isspace() and not groups:
            continue
        if groups:
            line = groups[-1]
            middle = (float(char["top"]) + float(char["bottom"])) / 2
            top = min(float(c["top"]) for c in line)
            bottom = max(float(c["bottom"]) for c in line)
            if top - 1 <= middle <= bottom + 1:
                line.append(char)
                continue
        groups.append([char])
    lines: list[_Line] = []
    for group in groups:
        text, extents = _joined(group, columns=columns)
        if not text:
            continue
        lines.append(
            _Line(
                text,
                min(float(c["top"]) for c in group),
                max(float(c["bottom"]) for c in group),
                min(float(c["x0"]) for c in group),
                max(float(c["x1"]) for c in group),
                max(float(c["size"]) for c in group),
                extents if "  " in text else (),
            )
        )
    return lines


def _label_only(line: _Line) -> bool:
    return not any(_is_value(piece) for piece in line.text.split("  "))


def _wrapped_numbers_apart(lines: Sequence[_Line], *, across: bool = False) -> list[_Line]:
    """Lines of a borderless table where a number wrapped in its cell ("33425" over
    "4") left part of its digits on a line of its own, next to its row's values: the
    line with fewer values holds the rest. Which digits belong to which row cannot be
    told from a row of its own with some cells empty, so the number is written "33425 /
    4" on the line with more values (left unread, with a diagnostic) and taken off the
    other line. With ``across``, the lines are the last and the first of two pages
    (a row cut by the page break), however far apart."""
    out: list[_Line | None] = list(lines)
    for at in range(len(out) - 1):
        first, second = out[at], out[at + 1]
        if first is None or second is None or not (first.pieces or second.pieces):
            continue
        if not across and second.top - first.bottom >= first.size:
            continue
        counts = [_values(first), _values(second)]
        if counts[0] == counts[1]:
            continue
        full, rest = (first, second) if counts[0] > counts[1] else (second, first)
        full_texts, rest_texts = full.text.split("  "), rest.text.split("  ")
        full_pieces = full.pieces or ((full.x0, full.x1),)
        rest_pieces = rest.pieces or ((rest.x0, rest.x1),)
        if len(full_texts) != len(full_pieces) or len(rest_texts) != len(rest_pieces):
            continue
        keep = list(range(len(rest_texts)))
        for index, text in enumerate(rest_texts):
            if not (_is_value(text) and any(c.isdigit() for c in text)):
                continue
            x0, x1 = rest_pieces[index]
            for other, (a, b) in enumerate(full_pieces):
                if min(x1, b) > max(x0, a) and any(c.isdigit() for c in full_texts[other]):
                    full_texts[other] = (
                        f"{full_texts[other]} / {text}"
                        if full is first
                        else f"{text} / {full_texts[other]}"
                    )
                    keep.remove(index)
                    break
        if len(keep) == len(rest_texts):
            continue
        changed_full = attrs.evolve(full, text="  ".join(full_texts))
        if keep:
            pieces = tuple(rest_pieces[index] for index in keep)
            changed_rest: _Line | None = attrs.evolve(
                rest,
                text="  ".join(rest_texts[index] for index in keep),
                x0=pieces[0][0],
                pieces=pieces if len(pieces) > 1 else (),
            )
        else:
            changed_rest = None
        out[at], out[at + 1] = (
            (changed_full, changed_rest) if full is first else (changed_rest, changed_full)
        )
    return [line for line in out if line is not None]


def _values(line: _Line) -> int:
    return sum(1 for text in line.text.split("  ") if _is_value(text))


def _has_number(line: _Line) -> bool:
    """Whether a piece of the line is a number, or digits of two visual lines ("a / b")."""
    return any(
        (_is_value(text) or " / " in text) and any(c.isdigit() for c in text)
        for text in line.text.split("  ")
    )


def _stacked_under(last: _Line, first: _Line) -> _Line | None:
    """``last`` with each number written "a / b" (unread) that stands over a column of
    ``first`` holding digits of two visual lines ("b / c", see :func:`_stacked`);
    None when there is none."""
    texts, under = last.text.split("  "), first.text.split("  ")
    pieces = last.pieces or ((last.x0, last.x1),)
    below = first.pieces or ((first.x0, first.x1),)
    if len(texts) != len(pieces) or len(under) != len(below):
        return None
    changed = False
    for index, (x0, x1) in enumerate(pieces):
        if not (_is_value(texts[index]) and any(c.isdigit() for c in texts[index])):
            continue
        for text, (a, b) in zip(under, below, strict=True):
            parts = text.split(" / ")
            if len(parts) > 1 and any(c.isdigit() for c in parts[0]) and min(x1, b) > max(x0, a):
                texts[index] = f"{texts[index]} / {parts[0]}"
                changed = True
                break
    return attrs.evolve(last, text="  ".join(texts)) if changed else None


def _wrapped_across_pages(pages: Sequence[_PageContent], labels: _Labels) -> None:
    """A borderless row cut by a page break with a number wrapped across it: the last
    row of values of a page and the first line with a number on the next page (after
    lines without numbers, such as repeated header rows) are checked as
    :func:`_wrapped_numbers_apart` checks neighbouring lines, when that line has fewer
    values than a row and does not start a row of its own (before running lines are
    removed: "99", the rest of "99999", is no page number). A number of the last row
    over digits of two visual lines among the first two lines with numbers on the next
    page (the rest may have joined the next row's line) is left unread too."""
    for before, after in itertools.pairwise(pages):
        if not before.blocks or not isinstance(before.blocks[-1], _Line):
            continue
        rows = [
            block
            for block in before.blocks
            if isinstance(block, _Line) and block.pieces and _has_number(block)
        ]
        numbered: list[_Line] = []
        for block in after.blocks:
            if not isinstance(block, _Line) or len(numbered) == 2:
                break
            if _has_number(block):
                numbered.append(block)
        if not rows or not numbered:
            continue
        last, first = rows[-1], numbered[0]
        texts = first.text.split("  ")
        for line in numbered:
            stacked = _stacked_under(last, line)
            if stacked is not None:
                # digits on two visual lines near the top of the page, under a number
                # of the last row: the upper ones may be that number's rest
                before.blocks[before.blocks.index(last)] = stacked
                last = stacked
        if _values(first) >= _values(last) or any(
            labels.starts_row(text) for text in texts if not _is_value(text)
        ):
            continue  # a row of its own
        kept = _wrapped_numbers_apart([last, first], across=True)
        if kept == [last, first]:
            continue
        before.blocks[before.blocks.index(last)] = kept[0]
        at = after.blocks.index(first)
        if len(kept) == 2:
            after.blocks[at] = kept[1]
        else:
            del after.blocks[at]


def _fragment_right(other: _Line, line: _Line, end: float) -> bool:
    """Whether ``other``, next to ``line``, is a label fragment (no values) right of ``end``."""
    close = other.top - line.bottom < line.size and line.top - other.bottom < line.size
    return close and _label_only(other) and other.x0 > end + line.size / 2


def _group_fragments_apart(lines: Sequence[_Line]) -> list[_Line]:
    """Rows of a table without ruling lines, with a fragment of a group label that spans
    several rows ("（五）" of "（五）不予处理") moved off the line of a row's values to a
    line of its own after it: on the values' line it would hide the row's own label,
    whose fragments stand above and below in a column to its right. The fragment is a
    group's when the row's label fragments are in a column right of it: the lines above
    and below (no values on them) start right of it and in one column, or the row's own
    label piece on the values' line continues the line above in its column."""
    out: list[_Line] = []
    for at, line in enumerate(lines):
        texts = line.text.split("  ")
        if len(line.pieces) != len(texts) or len(texts) < 2 or not _is_value(texts[-1]):
            out.append(line)
            continue
        labels = [text for text in texts if not _is_value(text)]
        first, (start, end) = texts[0], line.pieces[0]
        if _is_value(first) or texts[: len(labels)] != labels:
            out.append(line)
            continue
        near = line.size / 2
        above = lines[at - 1] if at and _fragment_right(lines[at - 1], line, end) else None
        below = (
            lines[at + 1]
            if at + 1 < len(lines) and _fragment_right(lines[at + 1], line, end)
            else None
        )
        if len(labels) == 1:
            group = above is not None and below is not None and abs(above.x0 - below.x0) <= near
        else:
            group = above is not None and abs(line.pieces[1][0] - above.x0) <= near
        if not group:
            out.append(line)
            continue
        rest = line.pieces[1:]
        out.append(attrs.evolve(line, text="  ".join(texts[1:]), x0=rest[0][0], pieces=rest))
        out.append(attrs.evolve(line, text=first, x0=start, x1=end, pieces=()))
    return out


def _paragraphs(lines: Sequence[_Line], left_edge: float, right_edge: float) -> list[_Line]:
    """Lines wrapped by the page width joined into paragraphs: a line that runs to the
    right edge (or, centred, nearly across the page) continues on the next line when that
    one follows closely below in the same size and does not start an item."""
    joined: list[_Line] = []
    width = max(right_edge - left_edge, 1.0)
    for line in lines:
        if joined:
            last = joined[-1]
            # 1.5 line spacing in a CJK font leaves more than a character's height between lines
            close = line.top - last.bottom < 1.6 * max(last.size, 1.0)
            full = last.x1 >= right_edge - 1.5 * last.size or last.x1 - last.x0 >= 0.85 * width
            same = abs(line.size - last.size) < 0.5
            columns = "  " in last.text or "  " in line.text
            if close and full and same and not columns and not _MARKER.match(line.text):
                glue = "" if _is_cjk(last.text[-1]) or _is_cjk(line.text[0]) else " "
                joined[-1] = attrs.evolve(
                    last, text=last.text + glue + line.text, bottom=line.bottom, x1=line.x1
                )
                continue
        joined.append(line)
    return joined


# ---------------------------------------------------------------------------- tables


@attrs.define
class _Cell:
    x0: float
    x1: float
    row0: int
    row1: int  # exclusive
    lines: list[str]

    @property
    def text(self) -> str:
        return "".join(self.lines)


@attrs.define
class _Table:
    cells: list[_Cell]
    rows: int
    top: float
    bottom: float
    x0: float
    x1: float


def _edges(values: Iterable[float]) -> list[float]:
    """Distinct positions, those closer than the tolerance taken as one."""
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > _EDGE_TOLERANCE:
            edges.append(value)
    return edges


def _nearest(edges: Sequence[float], value: float) -> int:
    index = bisect.bisect_left(edges, value)
    if index > 0 and (index == len(edges) or value - edges[index - 1] < edges[index] - value):
        index -= 1
    return index


def _read_table(
    bboxes: Sequence[tuple[float, float, float, float]], chars: list[Any]
) -> tuple[_Table, list[Any]]:
    """The table's grid with each cell's text, and the characters in no cell (kept as
    text, so that nothing inside a table's frame is silently lost)."""
    if not bboxes:
        return _Table([], 0, 0.0, 0.0, 0.0, 0.0), chars
    ys = _edges(y for _, top, _, bottom in bboxes for y in (top, bottom))
    xs = _edges(x for x0, _, x1, _ in bboxes for x in (x0, x1))
    cells = [
        _Cell(x0, x1, _nearest(ys, top), _nearest(ys, bottom), []) for x0, top, x1, bottom in bboxes
    ]
    cells = [cell for cell in cells if cell.row1 > cell.row0]
    # every grid slot → the cell covering it, to place characters quickly
    covering: dict[tuple[int, int], _Cell] = {}
    for cell in cells:
        for row in range(cell.row0, cell.row1):
            for column in range(_nearest(xs, cell.x0), _nearest(xs, cell.x1)):
                covering[(row, column)] = cell
    inside: dict[int, list[dict[str, Any]]] = {}
    stray: list[Any] = []
    for char in chars:
        x = (float(char["x0"]) + float(char["x1"])) / 2
        y = (float(char["top"]) + float(char["bottom"])) / 2
        row = bisect.bisect_right(ys, y) - 1
        column = bisect.bisect_right(xs, x) - 1
        owner = covering.get((row, column))
        if owner is None and 0 <= row < len(ys) - 1 and 0 <= column < len(xs) - 1:
            owner = _open_cell(covering, cells, xs, ys, row, column)
        if owner is not None:
            inside.setdefault(id(owner), []).append(char)
        elif not str(char["text"]).isspace():
            stray.append(char)
    for cell in cells:
        cell.lines = [line.text for line in _lines(inside.get(id(cell), []))]
    return _Table(cells, len(ys) - 1, ys[0], ys[-1], xs[0], xs[-1]), stray


def _open_cell(
    covering: dict[tuple[int, int], _Cell],
    cells: list[_Cell],
    xs: Sequence[float],
    ys: Sequence[float],
    row: int,
    column: int,
) -> _Cell:
    """A cell for text in a slot no ruled cell covers: a merged cell left open by a page
    break has no border there, so pdfplumber does not find it. It is the run of
    uncovered slots above and below in the same column."""
    top = row
    while top > 0 and (top - 1, column) not in covering:
        top -= 1
    bottom = row + 1
    while bottom < len(ys) - 1 and (bottom, column) not in covering:
        bottom += 1
    cell = _Cell(xs[column], xs[column + 1], top, bottom, [])
    cells.append(cell)
    for slot in range(top, bottom):
        covering[(slot, column)] = cell
    return cell


def _same_row(first: _Table, second: _Table, row: int) -> bool:
    """Whether a row of two tables has the same cells: edges, row spans and text (a cell
    cut by the page break at the foot of ``first`` may span fewer rows there)."""
    a = sorted((c for c in first.cells if c.row0 == row), key=lambda c: c.x0)
    b = sorted((c for c in second.cells if c.row0 == row), key=lambda c: c.x0)

    def same_rows(x: _Cell, y: _Cell) -> bool:
        spans = (x.row1 - x.row0, y.row1 - y.row0)
        return spans[0] == spans[1] or (x.row1 == first.rows and spans[0] < spans[1])

    return len(a) == len(b) and all(
        _same_span(x, y) and same_rows(x, y) and fold(x.text) == fold(y.text)
        for x, y in zip(a, b, strict=True)
    )


@attrs.frozen
class _Labels:
    """The folded labels of both templates: a known label starts a row, a fragment does not."""

    known: frozenset[str]

    @classmethod
    def load(cls) -> _Labels:
        found: set[str] = set()
        for template in template_tags(official=True):
            labels = template_labels(template)
            for rows in (labels.request_rows, labels.appeal_rows):
                for row in rows:
                    for label in (row.label, row.group, row.parent):
                        if label is not None:
                            found.add(fold(label.zh))
            for block in labels.proactive_blocks:
                found.update(fold(row.label.zh) for row in block.rows)
        return cls(frozenset(found))

    def is_label(self, text: str) -> bool:
        """Whether the text is a label of either template."""
        return fold(text) in self.known

    def starts_row(self, text: str) -> bool:
        """Whether a cell's text begins a row or a group rather than continuing one."""
        return bool(_MARKER.match(text)) or fold(text) in self.known


def _same_span(a: _Cell, b: _Cell) -> bool:
    return abs(a.x0 - b.x0) <= _EDGE_TOLERANCE and abs(a.x1 - b.x1) <= _EDGE_TOLERANCE


def _stitch(first: _Table, second: _Table, labels: _Labels) -> tuple[_Table, list[str]]:
    """Two parts of a table split by a page break, as one table; what was done, in words."""
    notes: list[str] = []
    # header rows repeated at the top of the next page
    repeated = 0
    while repeated < min(first.rows, second.rows - 1) and _same_row(first, second, repeated):
        repeated += 1
    if repeated == first.rows:
        # only the first rows of the header were at the foot of the page; the next page
        # repeats the whole header
        notes.append(f"{repeated} header row(s) cut from their table dropped")
        return second, notes
    if repeated:
        notes.append(f"{repeated} repeated header row(s) dropped")
    rest = [c for c in second.cells if c.row0 >= repeated]
    last = [c for c in first.cells if c.row1 == first.rows]
    top = [c for c in rest if c.row0 == repeated]
    cut = _is_cut_row(last, top, labels)
    join_row = cut.join
    offset = first.rows - repeated - (1 if join_row else 0)
    merged = list(first.cells)
    for cell in rest:
        moved = attrs.evolve(cell, row0=cell.row0 + offset, row1=cell.row1 + offset)
        partner = _partner(last, cell, labels, join_row=join_row) if cell in top else None
        if partner is not None:
            partner.row1 = moved.row1
            split = any(below is cell for _, below in cut.split_numbers)
            if split and not cut.certain:
                # which part belongs to which row is not known: no number at all
                partner.lines = [f"{partner.text} / {cell.text}"]
            else:
                partner.lines = [*partner.lines, *moved.lines]
        else:
            merged.append(moved)
    if join_row:
        notes.append("a row cut by the page break joined")
    if cut.split_numbers and not cut.certain:
        notes.append(f"{len(cut.split_numbers)} number(s) on both sides of the break left unread")
    rows = first.rows + second.rows - repeated - (1 if join_row else 0)
    table = _Table(
        merged, rows, first.top, second.bottom, min(first.x0, second.x0), max(first.x1, second.x1)
    )
    return table, notes


def _partner(
    last: Sequence[_Cell], cell: _Cell, labels: _Labels, *, join_row: bool
) -> _Cell | None:
    """The cell above the break that a cell at the top of the next page continues: any
    cell of a cut row; else a merged cell (several rows) whose rest this cell is, empty or
    a fragment of its label."""
    partner = next((c for c in last if _same_span(c, cell)), None)
    if partner is None or join_row:
        return partner
    if not cell.text and cell.row1 - cell.row0 > 1:
        return partner  # an empty merged cell at the top continues the one above
    fragment = not cell.text or not (labels.starts_row(cell.text) or _is_value(cell.text))
    return partner if partner.row1 - partner.row0 > 1 and fragment else None


@attrs.frozen
class _Cut:
    """Whether the first row on a page continues the last row of the page before, and the
    columns holding a number on both sides of the break."""

    join: bool
    split_numbers: tuple[tuple[_Cell, _Cell], ...] = ()
    certain: bool = True


def _is_cut_row(last: Sequence[_Cell], top: Sequence[_Cell], labels: _Labels) -> _Cut:
    """Whether the first row on the next page is the rest of the last row on this one:
    the same cells, no label starting a row, and text that continues the row above (a
    label fragment, or numbers under an empty label).

    A number on both sides of the break is a number wrapped by the break only when the
    label fragments complete a template label; otherwise the join is not certain and
    those cells are made unreadable rather than fused into a number nobody wrote.
    """
    if not top or len(last) != len(top):
        return _Cut(join=False)
    pairs: list[tuple[_Cell, _Cell]] = []
    for cell in top:
        partner = next((c for c in last if _same_span(c, cell)), None)
        if partner is None:
            return _Cut(join=False)
        pairs.append((partner, cell))
    fragments: list[tuple[_Cell, _Cell]] = []
    values_both: list[tuple[_Cell, _Cell]] = []
    for above, below in pairs:
        if not below.text:
            continue
        if _is_value(below.text):
            if _is_value(above.text):
                values_both.append((above, below))
            elif above.text:
                return _Cut(join=False)  # a value under a header or a label: a new row
        elif labels.starts_row(below.text) or labels.is_label(above.text):
            # a label of its own below, or a whole label above: two rows
            return _Cut(join=False)
        else:
            fragments.append((above, below))
    # Values under no label continue the row above (every row has its label; section 4
    # has one row), and an empty row is the empty rest of the row above. Which digits
    # are on which side of the break is certain only when the label fragments complete
    # a template label.
    completed = bool(fragments) and all(
        labels.is_label(above.text + below.text) for above, below in fragments
    )
    return _Cut(join=True, split_numbers=tuple(values_both), certain=completed or not values_both)


def _is_value(text: str) -> bool:
    """A number or a blank marker ("—", "/", "无"): what a value cell holds."""
    return bool(_NUMBER.match(text)) or text.strip() in _BLANK_MARKERS


def _table_html(table: _Table) -> str:
    xs = _edges(x for cell in table.cells for x in (cell.x0, cell.x1))
    by_row: dict[int, list[tuple[int, str]]] = {}
    covered: set[tuple[int, int]] = set()
    for cell in table.cells:
        column = _nearest(xs, cell.x0)
        colspan = max(1, _nearest(xs, cell.x1) - column)
        rowspan = cell.row1 - cell.row0
        attributes = (f' colspan="{colspan}"' if colspan > 1 else "") + (
            f' rowspan="{rowspan}"' if rowspan > 1 else ""
        )
        content = "".join(f"<p>{escape(line)}</p>" for line in cell.lines)
        by_row.setdefault(cell.row0, []).append((column, f"<td{attributes}>{content}</td>"))
        covered.update(
            (row, c) for row in range(cell.row0, cell.row1) for c in range(column, column + colspan)
        )
    # A slot no ruled cell covers (a border missing at a page break) gets an empty cell,
    # so the cells right of it keep their columns: a value never slides to its neighbour's.
    for row in range(table.rows):
        for column in range(len(xs) - 1):
            if (row, column) not in covered:
                by_row.setdefault(row, []).append((column, "<td></td>"))
    rows = [
        "<tr>" + "".join(html for _, html in sorted(by_row.get(row, []))) + "</tr>"
        for row in range(table.rows)
    ]
    return "<table>" + "".join(rows) + "</table>"


# ---------------------------------------------------------------------------- pages


@attrs.define
class _PageContent:
    number: int
    height: float
    blocks: list[_Line | _Table]
    stray: int = 0


def _running_lines(pages: Sequence[_PageContent]) -> set[tuple[int, str]]:
    """(page number, text) of lines repeated in the margins of several pages: running
    headers and footers with the page number taken out."""
    seen: Counter[tuple[int, str]] = Counter()
    for page in pages:
        for block in page.blocks:
            if isinstance(block, _Line) and _in_margin(block, page.height):
                seen[(round(block.top / 4), re.sub(r"\d+", "#", block.text))] += 1
    repeated = {key for key, count in seen.items() if count >= 2 and count * 2 >= len(pages)}
    found: set[tuple[int, str]] = set()
    for page in pages:
        for block in page.blocks:
            if isinstance(block, _Line) and _in_margin(block, page.height):
                key = (round(block.top / 4), re.sub(r"\d+", "#", block.text))
                if key in repeated or _PAGE_NUMBER.match(block.text):
                    found.add((page.number, block.text))
    return found


def _in_margin(line: _Line, height: float) -> bool:
    return line.bottom > height * (1 - _MARGIN_SHARE) or line.top < height * _MARGIN_SHARE


def _read_page(page: Any, number: int) -> _PageContent:
    page = page.dedupe_chars()
    found = page.find_tables()
    table_chars: list[list[Any]] = [[] for _ in found]
    boxes = [table.bbox for table in found]
    loose: list[Any] = []
    for char in page.chars:
        x = (float(char["x0"]) + float(char["x1"])) / 2
        y = (float(char["top"]) + float(char["bottom"])) / 2
        for index, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= x <= x1 and top <= y <= bottom:
                table_chars[index].append(char)
                break
        else:
            loose.append(char)
    tables: list[_Table] = []
    stray = 0
    for index, table in enumerate(found):
        read, left = _read_table(
            [cell for cell in table.cells if cell is not None], table_chars[index]
        )
        tables.append(read)
        loose.extend(left)
        stray += len(left)
    blocks: list[_Line | _Table] = [
        *_group_fragments_apart(_wrapped_numbers_apart(_lines(loose, columns=True))),
        *(t for t in tables if t.rows),
    ]
    blocks.sort(key=lambda block: block.top)
    return _PageContent(number, float(page.height), blocks, stray)


def _open(data: bytes) -> Any:
    try:
        import pdfplumber  # noqa: PLC0415 - optional dependency, imported when needed
    except ImportError:
        raise ParseError(_INSTALL) from None
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds on a bad file
        raise ParseError(f"not a readable PDF: {type(error).__name__}: {error}") from None


def _info_title(pdf: Any) -> str | None:
    metadata = getattr(pdf, "metadata", None) or {}
    title = metadata.get("Title")
    if isinstance(title, bytes):
        title = title.decode("utf-8", "replace")
    if not isinstance(title, str):
        return None
    title = _WORD_TITLE.sub("", " ".join(unicodedata.normalize("NFC", title).split()))
    return title or None


_T = TypeVar("_T")


def _chars_of(page: Any) -> list[dict[str, Any]]:
    chars: list[dict[str, Any]] = page.chars
    return chars


def _guard_page(read: Callable[[], _T], number: int) -> _T:
    """Run a read of one page; a damaged page is our error naming the page."""
    try:
        return read()
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds on a bad page
        raise ParseError(
            f"page {number} of the PDF cannot be read: {type(error).__name__}: {error}"
        ) from None


def pdf_to_html(data: bytes, limits: Limits = DEFAULT_LIMITS) -> PdfPage:
    """The HTML of a PDF's text and ruled tables, or the reason it needs OCR.

    Raises :class:`ParseError` when pdfplumber is missing or the file is not a readable
    PDF, :class:`InputLimitError` when it has more than :data:`MAX_PAGES` pages.
    """
    diagnostics: list[Diagnostic] = []
    labels = _Labels.load()
    with _open(data) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise InputLimitError(f"the PDF has {len(pdf.pages)} pages, over {MAX_PAGES}")
        title = _info_title(pdf)
        characters = cid = 0
        empty_pages: list[int] = []
        for number, page in enumerate(pdf.pages, start=1):
            chars: list[dict[str, Any]] = _guard_page(functools.partial(_chars_of, page), number)
            if not chars:
                empty_pages.append(number)
            characters += len(chars)
            cid += sum(1 for char in chars if str(char["text"]).startswith("(cid:"))
        # refused before the tables are looked for: a scan has nothing to find
        if not characters:
            return PdfPage(
                "",
                title,
                (),
                "the PDF has no text layer (scanned page images): it needs OCR, which is not"
                " exact enough to vouch for numbers",
            )
        if cid > _CID_SHARE * characters:
            return PdfPage(
                "",
                title,
                (),
                f"the PDF's text layer is glyph numbers without Unicode ({cid} of {characters}"
                " characters are '(cid:N)'): it needs OCR",
            )
        pages: list[_PageContent] = []
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(_guard_page(functools.partial(_read_page, page, number), number))
            page.close()
    if empty_pages:
        diagnostics.append(
            diagnostic(
                "pdf_image_pages",
                f"page(s) {', '.join(map(str, empty_pages))} have no text layer (images);"
                " their content is not read",
            )
        )
    stray = [page.number for page in pages if page.stray]
    if stray:
        diagnostics.append(
            diagnostic(
                "pdf_text_outside_cells",
                f"text inside a table's frame but in no ruled cell on page(s)"
                f" {', '.join(map(str, stray))}; read as text lines",
            )
        )
    _wrapped_across_pages(pages, labels)
    running = _running_lines(pages)
    if running:
        diagnostics.append(
            diagnostic("pdf_running_lines", f"{len(running)} running header/footer line(s) removed")
        )
    html = _assemble(pages, running, labels, diagnostics)
    head = f"<title>{escape(title)}</title>" if title else ""
    page_html = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>{html}</body></html>'
    )
    return PdfPage(page_html, title, tuple(diagnostics))


def _continue_paragraph(
    blocks: list[tuple[int, _Line | _Table]],
    number: int,
    kept: list[_Line | _Table],
    left: float,
    right: float,
    previous_right: float,
) -> None:
    """A paragraph running to the right edge at the foot of one page continues with the
    first line at the top of the next (when that does not start an item or heading)."""
    before, last = blocks[-1]
    first = kept[0]
    if not (isinstance(last, _Line) and isinstance(first, _Line) and before == number - 1):
        return
    if last.x1 < previous_right - 1.5 * last.size or abs(first.size - last.size) >= 0.5:
        return
    if _MARKER.match(first.text) or "  " in last.text or "  " in first.text:
        return
    glue = "" if _is_cjk(last.text[-1]) or _is_cjk(first.text[0]) else " "
    joined = _paragraphs([first], left, right)[0]
    blocks[-1] = (number - 1, attrs.evolve(last, text=last.text + glue + joined.text))
    kept.pop(0)


def _assemble(
    pages: Sequence[_PageContent],
    running: set[tuple[int, str]],
    labels: _Labels,
    diagnostics: list[Diagnostic],
) -> str:
    blocks: list[tuple[int, _Line | _Table]] = []
    previous_right = 0.0
    for page in pages:
        kept = [
            b
            for b in page.blocks
            if not (isinstance(b, _Line) and (page.number, b.text) in running)
        ]
        lines = [b for b in kept if isinstance(b, _Line)]
        right = max((line.x1 for line in lines), default=0.0)
        left = min((line.x0 for line in lines), default=0.0)
        # lines between tables become paragraphs; tables stay where they are
        run: list[_Line] = []
        if kept and isinstance(kept[0], _Line) and blocks:
            _continue_paragraph(blocks, page.number, kept, left, right, previous_right)
        previous_right = right
        for block in kept:
            if isinstance(block, _Line):
                run.append(block)
                continue
            blocks.extend((page.number, p) for p in _paragraphs(run, left, right))
            run = []
            previous = blocks[-1] if blocks else None
            if (
                previous is not None
                and isinstance(previous[1], _Table)
                and previous[0] == page.number - 1
                and block is kept[0]
            ):
                table, notes = _stitch(previous[1], block, labels)
                blocks[-1] = (page.number, table)
                crossing = f"a table crossing from page {page.number - 1} to {page.number}"
                # numbers left unread are a warning of their own; the stitch itself is news
                unread = [note for note in notes if "left unread" in note]
                done = [note for note in notes if note not in unread]
                diagnostics.append(
                    diagnostic(
                        "pdf_table_stitched",
                        f"{crossing} read as one" + (f" ({'; '.join(done)})" if done else ""),
                    )
                )
                diagnostics.extend(
                    diagnostic("pdf_numbers_cut", f"{crossing}: {note}") for note in unread
                )
                continue
            blocks.append((page.number, block))
        blocks.extend((page.number, p) for p in _paragraphs(run, left, right))
    parts: list[str] = []
    for _, block in blocks:
        if isinstance(block, _Table):
            parts.append(_table_html(block))
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    return "\n".join(parts)


class _Complaints(logging.Handler):
    """Collects what pdfminer logs about a damaged file, instead of printing it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(benign in message for benign in _BENIGN_COMPLAINTS):
            return
        if len(self.messages) < _MAX_COMPLAINTS:
            self.messages.append(" ".join(record.getMessage().split())[:200])


@contextlib.contextmanager
def _pdfminer_complaints() -> Iterator[_Complaints]:
    logger = logging.getLogger("pdfminer")
    handler = _Complaints()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _parse_pdf(data: bytes, limits: Limits) -> ParseResult:
    check_size(len(data), limits.max_page_bytes, "the PDF", "max_page_bytes")
    with _pdfminer_complaints() as complaints:
        page = pdf_to_html(data, limits)
    damaged: tuple[Diagnostic, ...] = ()
    if complaints.messages:
        damaged = (
            diagnostic(
                "pdf_damaged",
                f"the PDF is damaged ({complaints.messages[0]}); what could not be read is missing",
            ),
        )
    if page.needs_ocr is not None:
        return ParseResult(None, (*damaged, diagnostic("needs_ocr", page.needs_ocr)))
    result = parse_html(page.html, limits=limits)
    return ParseResult(result.report, (*damaged, *page.diagnostics, *result.diagnostics))


def parse_pdf(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> ParseResult:
    """Parse a PDF report (bytes); needs the ``pdf`` extra (pdfplumber).

    Parameters
    ----------
    data:
        The bytes of the PDF file.
    limits:
        Input limits (the file size is checked against ``max_page_bytes``).

    Returns
    -------
    ParseResult
        As :func:`~disclosure_schema.parse.parse_html` returns for the PDF's tables and
        text; the PDF's Info title is a hint when the text has no title line. A scanned
        PDF (no text layer) or one whose text is ``(cid:N)`` glyph numbers gives no
        report and a ``needs_ocr`` error; a file that is not a PDF, or a missing
        pdfplumber, a ``no_report`` error saying why.
    """
    return _guarded(_parse_pdf, data, limits)
