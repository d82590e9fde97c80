"""The one layout every renderer reads: document → sections → blocks.

A table is laid out as the official template draws it (header rows, body rows, cells with
row/column spans); :func:`flatten` turns it into plain grids for the formats that cannot
span cells (Markdown, text). Every label comes from :mod:`disclosure_schema.labels`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from decimal import Decimal
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

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
    "stated_units",
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


# slots=False: a table laid out by build_document builds its body rows (a Cell per cell)
# only when they are read; flatten fills the text grid straight from the report instead
@attrs.frozen(slots=False)
class Table:
    """A table as the template draws it; ``label_columns`` grid columns hold row labels."""

    section: str
    head: tuple[Row, ...]
    body: tuple[Row, ...]
    label_columns: int
    #: what fixes the table's flattened structure (template, language, added rows' widths):
    #: tables of one shape flatten alike, so :func:`flatten` lays one out once
    shape: Hashable | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def _deferred(
        cls,
        section: str,
        head: tuple[Row, ...],
        body: Callable[[], tuple[Row, ...]],
        label_columns: int,
        shape: Hashable,
        source: _Source,
    ) -> Table:
        """A table whose body is built by ``body()`` when first read."""
        table = object.__new__(cls)
        table.__dict__.update(
            section=section,
            head=head,
            label_columns=label_columns,
            shape=shape,
            _body=body,
            _source=source,
        )
        return table

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            state = self.__dict__
            if name != "body" or "_body" not in state:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            state["body"] = state.pop("_body")()
            return state["body"]

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in attrs.fields_dict(type(self))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


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


def stated_units(report: Report) -> dict[str, str]:
    """The unit the report stated for a cell, by cell key (the first one stated)."""
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
        self.units = stated_units(report)

    def cell(self, key: str, colspan: int = 1) -> Cell:
        value = self.getters[key](self.report)
        text = cell_text(value, self.kinds[key], self.units.get(key), self.empty)
        return Cell(text, "data", colspan=colspan, key=key, value=value)

    def text(self, key: str) -> str:
        """The text of a data cell (what :meth:`cell` would hold), without the Cell."""
        value = self.getters[key](self.report)
        if value is None:
            return self.empty
        if type(value) is int and key not in self.units and self.kinds[key] == "count":
            return str(value)
        return cell_text(value, self.kinds[key], self.units.get(key), self.empty)


@attrs.frozen
class _Source:
    """What a deferred table's texts come from: the report's values and added rows."""

    values: _Values
    #: the added rows in body order, as drawn (built when flattening needs them)
    extra_rows: Callable[[], list[Row]]


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
    shape = (
        "proactive",
        report.template,
        language,
        tuple(
            (extra.item, max(len(extra.values), len(extra.as_written)))
            for extra in report.proactive.extra_rows
        ),
    )

    def extra_rows() -> list[Row]:
        # the added rows in the order _proactive_rows draws them, without the rest
        blocks = template_labels(report.template).proactive_blocks
        widths = {block.item: len(block.columns) for block in blocks}
        order = {block.item: index for index, block in enumerate(blocks)}
        placed = sorted(
            report.proactive.extra_rows,
            key=lambda extra: (extra.item not in order, order.get(extra.item, extra.item)),
        )
        return [_extra_row(extra, widths.get(extra.item, 0), values.empty) for extra in placed]

    return Table._deferred(
        "proactive",
        (),
        lambda: tuple(_proactive_rows(report, values, language)),
        1,
        shape,
        _Source(values, extra_rows),
    )


def _proactive_rows(report: Report, values: _Values, language: Language) -> list[Row]:
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
    return rows


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

    def body() -> tuple[Row, ...]:
        return tuple(
            Row(
                (*row.cells, *(values.cell(f"{row.key}.{c.key}") for c in labels.request_columns)),
                key=row.key,
            )
            for row in body_labels
        )

    return Table._deferred(
        "requests", head, body, 3, ("requests", report.template, language), _Source(values, list)
    )


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

    def body() -> tuple[Row, ...]:
        cells = tuple(
            values.cell(f"{row.key}.{column.key}")
            for row in labels.appeal_rows
            for column in labels.appeal_columns
        )
        return (Row(cells),)

    return Table._deferred(
        "appeals",
        _appeal_head(report.template, language),
        body,
        0,
        ("appeals", report.template, language),
        _Source(values, list),
    )


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


#: A flattened table's structure: caption, header, and per body row per column either a
#: fixed text or the (body row, cell) whose text goes there.
_Skeleton: TypeAlias = tuple[
    tuple[str | None, tuple[str, ...], tuple[tuple[str | tuple[int, int], ...], ...]], ...
]
_SKELETONS: dict[Hashable, _Skeleton] = {}
_MARK = "\x00"


def _dynamic(row: Row, cell: Cell) -> bool:
    return cell.role == "data" or row.role == "extra"


def _skeleton(table: Table) -> _Skeleton:
    """Flatten the table once with a marker for every text that varies between reports."""
    body = tuple(
        attrs.evolve(
            row,
            cells=tuple(
                attrs.evolve(cell, text=f"{_MARK}{r},{c}") if _dynamic(row, cell) else cell
                for c, cell in enumerate(row.cells)
            ),
        )
        for r, row in enumerate(table.body)
    )
    flats = _flatten(attrs.evolve(table, body=body))

    def slot(text: str) -> str | tuple[int, int]:
        if not text.startswith(_MARK):
            assert _MARK not in text
            return text
        r, c = text[1:].split(",")
        return int(r), int(c)

    for flat in flats:
        assert not any(_MARK in text for text in (flat.caption or "", *flat.header))
    return tuple(
        (flat.caption, flat.header, tuple(tuple(map(slot, row)) for row in flat.rows))
        for flat in flats
    )


_KeySlot: TypeAlias = str | tuple[str, str] | tuple[str, int, int]
_KEY_SKELETONS: dict[Hashable, tuple[tuple[str | None, tuple[str, ...], Any], ...]] = {}


def _key_skeleton(table: Table, skeleton: _Skeleton) -> Any:
    """The skeleton with each varying text named by what it shows: a data cell by its
    key, a cell of an added row by the row's place among the added rows."""
    body = table.body
    extra_at = {r: n for n, r in enumerate(i for i, row in enumerate(body) if row.role == "extra")}

    def slot(value: str | tuple[int, int]) -> _KeySlot:
        if isinstance(value, str):
            return value
        r, c = value
        cell = body[r].cells[c]
        if body[r].role == "extra":
            return ("x", extra_at[r], c)
        assert cell.role == "data"
        assert cell.key is not None
        return ("k", cell.key)

    return tuple(
        (caption, header, tuple(tuple(map(slot, row)) for row in rows))
        for caption, header, rows in skeleton
    )


def flatten(table: Table) -> tuple[FlatTable, ...]:
    """A table as plain grids: merged headers joined top-down with :data:`SEPARATOR`, the
    label columns of a row joined left to right, one grid per caption (section 2 block)."""
    if table.shape is None:
        return _flatten(table)
    skeleton = _SKELETONS.get(table.shape)
    if skeleton is None:
        if len(_SKELETONS) > 4096:  # shapes of unusual added rows: keep the cache bounded
            _SKELETONS.clear()
            _KEY_SKELETONS.clear()
        skeleton = _SKELETONS[table.shape] = _skeleton(table)
    source: _Source | None = table.__dict__.get("_source")
    if source is not None and "_body" in table.__dict__:
        # the body was never read: fill the grid from the report itself
        keyed = _KEY_SKELETONS.get(table.shape)
        if keyed is None:
            keyed = _KEY_SKELETONS[table.shape] = _key_skeleton(table, skeleton)
        return _fill_from(source, keyed)
    body = table.body
    return tuple(
        FlatTable(
            caption, header, tuple(tuple(_slot_text(body, slot) for slot in row) for row in rows)
        )
        for caption, header, rows in skeleton
    )


def _fill_from(source: _Source, keyed: Any) -> tuple[FlatTable, ...]:
    text = source.values.text
    extras: list[Row] | None = None
    flats = []
    for caption, header, rows in keyed:
        filled = []
        for row in rows:
            cells = []
            for slot in row:
                if type(slot) is str:
                    cells.append(slot)
                elif slot[0] == "k":
                    cells.append(text(slot[1]))
                else:
                    if extras is None:
                        extras = source.extra_rows()
                    cells.append(extras[slot[1]].cells[slot[2]].text)
            filled.append(tuple(cells))
        flats.append(FlatTable(caption, header, tuple(filled)))
    return tuple(flats)


def _slot_text(body: tuple[Row, ...], slot: str | tuple[int, int]) -> str:
    if isinstance(slot, str):
        return slot
    row, cell = slot
    return body[row].cells[cell].text


def _flatten(table: Table) -> tuple[FlatTable, ...]:
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
