"""The one layout every renderer reads: document → sections → blocks.

A table is laid out as the official template draws it (header rows, body rows, cells with
row/column spans); :func:`flatten` turns it into plain grids for the formats that cannot
span cells (Markdown, text). Every label comes from :mod:`disclosure_schema.labels`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from decimal import Decimal
from functools import cache
from operator import attrgetter
from typing import Literal, TypeAlias

import attrs

from disclosure_schema.checks.findings import Finding
from disclosure_schema.labels import (
    APPLICANT_HEADER,
    INFO_CONTENT,
    ORGANIZATIONS,
    R0_NOTE,
    REPORT_TITLE,
    REPORT_YEAR,
    SECTION_TITLES,
    ColumnSpec,
    Label,
    ProactiveBlock,
    RowSpec,
    article20_caption,
    template_labels,
)
from disclosure_schema.model import CellValue, ExtraRow, Prose, Report, cell_kinds

__all__ = [
    "SECTION_KEYS",
    "SEPARATOR",
    "Cell",
    "Document",
    "FlatTable",
    "Heading",
    "Language",
    "Paragraph",
    "Row",
    "Section",
    "Table",
    "build_document",
    "cell_text",
    "flatten",
]

Language: TypeAlias = Literal["zh", "en"]
Role: TypeAlias = Literal["caption", "corner", "header", "label", "data", "extra", "blank"]

#: The section keys, in report order.
SECTION_KEYS: tuple[str, ...] = tuple(SECTION_TITLES)

#: Joins the levels of a merged header or a row hierarchy when cells cannot span.
SEPARATOR = " · "

#: The official section 2 grid: the information column and three value columns.
_PROACTIVE_VALUE_COLUMNS = 3


@attrs.frozen
class Cell:
    """One cell as drawn: its text and span; data cells also carry their key and value."""

    text: str
    role: Role
    colspan: int = 1
    rowspan: int = 1
    key: str | None = None
    value: CellValue = None


@attrs.frozen
class Row:
    """A table row; ``key`` is the row key for data rows, ``role`` what the row is."""

    cells: tuple[Cell, ...]
    role: Literal["caption", "header", "body", "extra"] = "body"
    key: str | None = None


@attrs.frozen
class Table:
    """A table as the template draws it; ``label_columns`` grid columns hold row labels."""

    section: str
    head: tuple[Row, ...]
    body: tuple[Row, ...]
    label_columns: int


@attrs.frozen
class Heading:
    text: str
    level: int


@attrs.frozen
class Paragraph:
    text: str


Block: TypeAlias = Heading | Paragraph | Table


@attrs.frozen
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]


@attrs.frozen
class Document:
    """A whole rendered report, independent of the output format."""

    title: str
    template: str
    language: Language
    sections: tuple[Section, ...]
    findings: tuple[Finding, ...] = ()


def _label(label: Label, language: Language) -> str:
    return label.zh if language == "zh" else label.en


# ---------------------------------------------------------------------------- values


def cell_text(value: CellValue, kind: str, unit: str | None, empty: str) -> str:
    """A cell value as rendered: the placeholder for empty, a sign on positive changes,
    decimals exactly as stored, and the unit the report stated for amounts."""
    if value is None:
        return empty
    if isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = f"+{value}" if kind == "signed" and value > 0 else str(value)
    if kind == "amount" and unit:
        text += unit
    return text


def _units(report: Report) -> dict[str, str]:
    units: dict[str, str] = {}
    for written in report.as_written:
        if written.unit and written.key not in units:
            units[written.key] = written.unit
    return units


@cache
def _getters(template: str) -> dict[str, Callable[[Report], CellValue]]:
    """A fast reader for every cell key (the same path :func:`cell_value` walks)."""
    return {key: attrgetter(key) for key in cell_kinds(template)}


class _Values:
    """Renders the data cells of one report."""

    def __init__(self, report: Report, empty: str) -> None:
        self.report = report
        self.empty = empty
        self.kinds = cell_kinds(report.template)
        self.getters = _getters(report.template)
        self.units = _units(report)

    def cell(self, key: str, colspan: int = 1) -> Cell:
        value = self.getters[key](self.report)
        text = cell_text(value, self.kinds[key], self.units.get(key), self.empty)
        return Cell(text, "data", colspan=colspan, key=key, value=value)


# ---------------------------------------------------------------------------- section 2 (proactive)


def _proactive_header(block: ProactiveBlock, language: Language) -> tuple[Row, Row]:
    caption = Row(
        (Cell(_label(block.caption, language), "caption", colspan=1 + _PROACTIVE_VALUE_COLUMNS),),
        role="caption",
    )
    cells = [Cell(_label(INFO_CONTENT, language), "header")]
    if len(block.columns) == 1:
        cells.append(
            Cell(_label(block.columns[0].label, language), "header", _PROACTIVE_VALUE_COLUMNS)
        )
    else:
        cells.extend(Cell(_label(c.label, language), "header") for c in block.columns)
        cells.extend(
            Cell("", "blank") for _ in range(_PROACTIVE_VALUE_COLUMNS - len(block.columns))
        )
    return caption, Row(tuple(cells), role="header")


@cache
def _proactive_headers(template: str, language: Language) -> dict[int, tuple[Row, Row]]:
    blocks = template_labels(template).proactive_blocks
    return {block.item: _proactive_header(block, language) for block in blocks}


def _proactive_row(
    row: RowSpec, columns: tuple[ColumnSpec, ...], values: _Values, language: Language
) -> Row:
    cells = [Cell(_label(row.label, language), "label")]
    if len(columns) == 1:
        cells.append(values.cell(f"{row.key}.{columns[0].key}", _PROACTIVE_VALUE_COLUMNS))
    else:
        cells.extend(values.cell(f"{row.key}.{column.key}") for column in columns)
        cells.extend(Cell("", "blank") for _ in range(_PROACTIVE_VALUE_COLUMNS - len(columns)))
    return Row(tuple(cells), key=row.key)


def _extra_row(extra: ExtraRow, width: int, empty: str) -> Row:
    """An added row, cells as written; it keeps the block's columns and may run past them."""
    texts: list[str] = []
    for index in range(max(len(extra.values), len(extra.as_written))):
        written = extra.as_written[index] if index < len(extra.as_written) else ""
        value = extra.values[index] if index < len(extra.values) else None
        texts.append(written or cell_text(value, "amount", None, empty))
    texts.extend(empty for _ in range(width - len(texts)))
    cells = [Cell(extra.label, "label"), *(Cell(text, "extra") for text in texts)]
    return Row(tuple(cells), role="extra")


def _proactive_table(report: Report, values: _Values, language: Language) -> Table:
    headers = _proactive_headers(report.template, language)
    extras: dict[int, list[ExtraRow]] = {}
    for extra in report.proactive.extra_rows:
        extras.setdefault(extra.item, []).append(extra)
    rows: list[Row] = []
    for block in template_labels(report.template).proactive_blocks:
        rows.extend(headers[block.item])
        rows.extend(_proactive_row(row, block.columns, values, language) for row in block.rows)
        width = len(block.columns)
        rows.extend(_extra_row(extra, width, values.empty) for extra in extras.pop(block.item, []))
    # Rows added under an item the template does not have (e.g. item 9 in a 2021 report).
    for item in sorted(extras):
        caption = Row(
            (
                Cell(
                    _label(article20_caption(item), language),
                    "caption",
                    1 + _PROACTIVE_VALUE_COLUMNS,
                ),
            ),
            role="caption",
        )
        header = Row((Cell(_label(INFO_CONTENT, language), "header"),), role="header")
        rows.extend([caption, header])
        rows.extend(_extra_row(extra, 0, values.empty) for extra in extras[item])
    return Table("proactive", (), tuple(rows), label_columns=1)


# ---------------------------------------------------------------------------- section 3 (requests)


def _runs(rows: Sequence[RowSpec], attribute: Literal["group", "parent"]) -> dict[int, int]:
    """Index of the first row of each run of rows sharing a group (or parent) → run length."""
    runs: dict[int, int] = {}
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or getattr(rows[index], attribute) != getattr(rows[start], attribute):
            if getattr(rows[start], attribute) is not None:
                runs[start] = index - start
            start = index
    return runs


@cache
def _request_labels(template: str, language: Language) -> tuple[Row, ...]:
    """The header rows, then for each body row its label cells (values left out)."""
    labels = template_labels(template)
    columns = labels.request_columns
    organizations = [c for c in columns if c.group == ORGANIZATIONS]
    head = (
        Row(
            (
                Cell(_label(R0_NOTE, language), "corner", colspan=3, rowspan=3),
                Cell(_label(APPLICANT_HEADER, language), "header", colspan=len(columns)),
            ),
            role="header",
        ),
        Row(
            (
                Cell(_label(columns[0].label, language), "header", rowspan=2),
                Cell(_label(ORGANIZATIONS, language), "header", colspan=len(organizations)),
                Cell(_label(columns[-1].label, language), "header", rowspan=2),
            ),
            role="header",
        ),
        Row(tuple(Cell(_label(c.label, language), "header") for c in organizations), "header"),
    )
    rows = labels.request_rows
    parents, groups = _runs(rows, "parent"), _runs(rows, "group")
    body: list[Row] = []
    for index, row in enumerate(rows):
        cells: list[Cell] = []
        if row.parent is not None and index in parents:
            cells.append(Cell(_label(row.parent, language), "label", rowspan=parents[index]))
        if row.group is not None and index in groups:
            cells.append(Cell(_label(row.group, language), "label", rowspan=groups[index]))
        own_span = 3 - (row.parent is not None) - (row.group is not None)
        cells.append(Cell(_label(row.label, language), "label", colspan=own_span))
        body.append(Row(tuple(cells), key=row.key))
    return (*head, *body)


def _requests_table(report: Report, values: _Values, language: Language) -> Table:
    labels = template_labels(report.template)
    static = _request_labels(report.template, language)
    head, body_labels = static[:3], static[3:]
    body = tuple(
        Row(
            (*row.cells, *(values.cell(f"{row.key}.{c.key}") for c in labels.request_columns)),
            key=row.key,
        )
        for row in body_labels
    )
    return Table("requests", head, body, label_columns=3)


# ---------------------------------------------------------------------------- section 4 (appeals)


@cache
def _appeal_head(template: str, language: Language) -> tuple[Row, ...]:
    labels = template_labels(template)
    columns = labels.appeal_columns
    top: list[Cell] = []
    middle: list[Cell] = []
    bottom: list[Cell] = []
    index = 0
    rows = labels.appeal_rows
    while index < len(rows):
        row = rows[index]
        if row.group is None:
            top.append(Cell(_label(row.label, language), "header", colspan=len(columns)))
            middle.extend(Cell(_label(c.label, language), "header", rowspan=2) for c in columns)
            index += 1
            continue
        members = [r for r in rows[index:] if r.group == row.group]
        top.append(Cell(_label(row.group, language), "header", len(columns) * len(members)))
        for member in members:
            middle.append(Cell(_label(member.label, language), "header", colspan=len(columns)))
            bottom.extend(Cell(_label(c.label, language), "header") for c in columns)
        index += len(members)
    return (Row(tuple(top), "header"), Row(tuple(middle), "header"), Row(tuple(bottom), "header"))


def _appeals_table(report: Report, values: _Values, language: Language) -> Table:
    labels = template_labels(report.template)
    cells = tuple(
        values.cell(f"{row.key}.{column.key}")
        for row in labels.appeal_rows
        for column in labels.appeal_columns
    )
    return Table("appeals", _appeal_head(report.template, language), (Row(cells),), label_columns=0)


# ---------------------------------------------------------------------------- document


def _prose_blocks(prose: Prose) -> Iterator[Block]:
    yield from map(Paragraph, prose.paragraphs)
    for part in prose.parts:
        yield Heading(part.heading, 3)
        yield from map(Paragraph, part.paragraphs)


def _title(report: Report, language: Language) -> str:
    if report.meta.title:
        return report.meta.title
    issuer = report.meta.issuer or ""
    year = "" if report.meta.year is None else REPORT_YEAR.zh.format(year=report.meta.year)
    if language == "zh":
        return f"{issuer}{year}{REPORT_TITLE.zh}"
    year = "" if report.meta.year is None else REPORT_YEAR.en.format(year=report.meta.year)
    return " ".join(part for part in (issuer, year, REPORT_TITLE.en) if part)


def _check_options(sections: Collection[str] | None, language: str) -> tuple[str, ...]:
    if language not in ("zh", "en"):
        raise ValueError(f"unknown language {language!r}: expected 'zh' or 'en'")
    if sections is None:
        return SECTION_KEYS
    if isinstance(sections, str):
        raise TypeError("sections must be a collection of section keys, not a string")
    unknown = sorted(set(sections) - set(SECTION_KEYS))
    if unknown:
        raise ValueError(f"unknown section keys {unknown}: expected some of {list(SECTION_KEYS)}")
    return tuple(key for key in SECTION_KEYS if key in sections)


def build_document(
    report: Report,
    *,
    sections: Collection[str] | None = None,
    language: Language = "zh",
    empty: str = "—",
    findings: Sequence[Finding] | None = None,
) -> Document:
    """Lay a report out for rendering; ``ValueError`` for an unknown section key or language."""
    wanted = _check_options(sections, language)
    values = _Values(report, empty)
    built: list[Section] = []
    for key in wanted:
        blocks: tuple[Block, ...]
        if key == "proactive":
            blocks = (_proactive_table(report, values, language),)
        elif key == "requests":
            blocks = (_requests_table(report, values, language),)
        elif key == "appeals":
            blocks = (_appeals_table(report, values, language),)
        else:
            prose: Prose = getattr(report, key)
            blocks = tuple(_prose_blocks(prose))
        built.append(Section(key, _label(SECTION_TITLES[key], language), blocks))
    return Document(
        _title(report, language), report.template, language, tuple(built), tuple(findings or ())
    )


# ---------------------------------------------------------------------------- flattening


@attrs.frozen
class FlatTable:
    """A table without spans: one header row, body rows of the same width."""

    caption: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


_Slot: TypeAlias = tuple[int, Cell]  # (identity of the placed cell, the cell)


def _grid(rows: Sequence[Row]) -> list[dict[int, _Slot]]:
    """Place the cells of rows on a grid, resolving spans: row → column → placed cell."""
    grid: list[dict[int, _Slot]] = [{} for _ in rows]
    serial = 0
    for r, row in enumerate(rows):
        column = 0
        for cell in row.cells:
            while column in grid[r]:
                column += 1
            serial += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < len(grid):
                        grid[r + dr][column + dc] = (serial, cell)
            column += cell.colspan
    return grid


def _path(slots: Sequence[_Slot | None], skip: Collection[int] = ()) -> list[str]:
    """The distinct non-empty texts of a run of slots, in order, leaving out ``skip`` cells."""
    seen: set[int] = set(skip)
    texts: list[str] = []
    for slot in slots:
        if slot is None or slot[0] in seen:
            continue
        seen.add(slot[0])
        if slot[1].text and slot[1].role != "blank":
            texts.append(slot[1].text)
    return texts


def _starts(row: dict[int, _Slot], column: int) -> bool:
    """Whether a cell starts at this column of a grid row (rather than spanning into it)."""
    return column in row and (column == 0 or row.get(column - 1, (0,))[0] != row[column][0])


def _header_path(head_grid: Sequence[dict[int, _Slot]], column: int, skip: set[int]) -> str:
    """The header of a data column: the header cells above it, top-down. A cell spanning
    into the column counts only as a group over headers that start there."""
    slots = [
        row.get(column) if any(_starts(below, column) for below in head_grid[index:]) else None
        for index, row in enumerate(head_grid)
    ]
    return SEPARATOR.join(_path(slots, skip))


def _flatten_segment(
    caption: str | None, head: Sequence[Row], body: Sequence[Row], label_columns: int
) -> FlatTable:
    grid = _grid([*head, *body])
    head_grid, body_grid = grid[: len(head)], grid[len(head) :]
    width = max((max(row, default=-1) + 1 for row in grid), default=0)
    labels = range(label_columns)
    # A data column is where some cell starts and which is not blank all the way down.
    data_columns = [
        column
        for column in range(label_columns, width)
        if any(_starts(row, column) for row in grid)
        and any(column in row and row[column][1].role != "blank" for row in grid)
    ]
    # A header above every data column and above other headers (the applicants header of
    # section 3) says nothing about any one column.
    spanning = {
        row[data_columns[0]][0]
        for row in head_grid[:-1]
        if len(data_columns) > 1
        and all(column in row for column in data_columns)
        and len({row[column][0] for column in data_columns}) == 1
    }
    header = [_header_path(head_grid, column, spanning) for column in data_columns]
    rows = [
        # A value spanning several columns is shown once, in its first column.
        [row[column][1].text if _starts(row, column) else "" for column in data_columns]
        for row in body_grid
    ]
    if not label_columns:
        flat = FlatTable(caption, tuple(header), tuple(map(tuple, rows)))
        return _fold(flat) if len(rows) == 1 else flat
    label_header = SEPARATOR.join(_path([row.get(c) for row in head_grid for c in labels]))
    row_labels = [SEPARATOR.join(_path([row.get(c) for c in labels])) for row in body_grid]
    return FlatTable(
        caption,
        (label_header, *header),
        tuple((label, *row) for label, row in zip(row_labels, rows, strict=True)),
    )


def _fold(flat: FlatTable) -> FlatTable:
    """A one-row table whose header groups repeat the same columns (section 4) becomes one
    row per group: 3 rows × 5 columns read better than 15 columns."""
    groups: dict[str, list[int]] = {}
    leaf_of: list[str] = []
    for index, header in enumerate(flat.header):
        group, separator, leaf = header.rpartition(SEPARATOR)
        if not separator:
            return flat
        groups.setdefault(group, []).append(index)
        leaf_of.append(leaf)
    leaves = [tuple(leaf_of[i] for i in members) for members in groups.values()]
    if len(groups) < 2 or len(set(leaves)) != 1:
        return flat
    values = flat.rows[0]
    rows = tuple((group, *(values[i] for i in members)) for group, members in groups.items())
    return FlatTable(flat.caption, ("", *leaves[0]), rows)


def flatten(table: Table) -> tuple[FlatTable, ...]:
    """A table as plain grids: merged headers joined top-down with :data:`SEPARATOR`, the
    label columns of a row joined left to right, one grid per caption (section 2 block)."""
    if table.head:
        return (_flatten_segment(None, table.head, table.body, table.label_columns),)
    segments: list[tuple[str | None, list[Row], list[Row]]] = []
    for row in table.body:
        if row.role == "caption" or not segments:
            caption = row.cells[0].text if row.role == "caption" else None
            segments.append((caption, [], []))
            if row.role == "caption":
                continue
        target = segments[-1][1] if row.role == "header" else segments[-1][2]
        target.append(row)
    return tuple(
        _flatten_segment(caption, head, body, table.label_columns)
        for caption, head, body in segments
    )
