"""An Excel workbook in the official layout, for the office that compiles the report.

One sheet per table (sections 2, 3, 4) drawn as the template draws it (the same layout
the HTML renderer reads), a sheet per prose section (1, 5, 6), a cover sheet with who and
which year, and a checks sheet of live formulas. The form's own words are in
:mod:`disclosure_schema._form_labels`. Every data cell carries a defined name,
:func:`~disclosure_schema.checks._formulas.cell_name` of its cell key, so formulas,
macros and :func:`disclosure_schema.parse_xlsx` address cells by name, not by position.
Empty cells stay empty: an empty cell means "not reported", which is not zero.

openpyxl is an optional dependency (the ``xlsx`` extra); it is imported only when a
workbook is written or read.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import io
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

import attrs

from disclosure_schema import _form_labels as _words
from disclosure_schema.checks._formulas import (
    CHECK_STATUS,
    all_check_formulas,
    cell_name,
    rules_not_in_sheet,
)
from disclosure_schema.errors import DisclosureSchemaError
from disclosure_schema.labels import SECTION_TITLES, SEVERITY_LABELS, cell_labels
from disclosure_schema.model import Meta, Prose, Report, cell_kinds, empty_report
from disclosure_schema.render.layout import Cell, Row, Table, build_document, stated_units
from disclosure_schema.template import default_template

__all__ = [
    "AMOUNT_UNITS",
    "CHECKS_SHEET",
    "COVER_SHEET",
    "META_FIELDS",
    "PROSE_SECTIONS",
    "TABLE_SECTIONS",
    "TEMPLATE_NAME",
    "XlsxUnavailableError",
    "empty_workbook",
    "excel_number",
    "import_openpyxl",
    "meta_name",
    "render_xlsx",
    "sheet_title",
]

COVER_SHEET: Final = _words.COVER_SHEET.zh
CHECKS_SHEET: Final = _words.CHECKS_SHEET.zh
#: The defined name of the cover sheet cell that holds the template tag.
TEMPLATE_NAME: Final = "meta_template"
TABLE_SECTIONS: Final = ("proactive", "requests", "appeals")
PROSE_SECTIONS: Final = ("overview", "problems", "other_matters")
#: The cover sheet's fields: the :class:`~disclosure_schema.Meta` attribute and its label.
META_FIELDS: Final = tuple((field, label.zh) for field, label in _words.COVER_FIELDS)
_TEMPLATE_LABEL: Final = _words.TEMPLATE_FIELD.zh
#: Prose sheets: the column of part headings and the column of paragraphs.
PROSE_HEADER: Final = tuple(label.zh for label in _words.PROSE_HEADER)

# Control characters other than tab and newlines cannot be stored in the XML of a workbook.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel holds numbers as binary doubles: beyond 2**53 an integer is no longer exact.
_EXACT_INTEGER: Final = 2**53
_TITLE_ROW: Final = 1
_TABLE_TOP: Final = 3
_DATA_WIDTH: Final = 11
_LABEL_WIDTH: Final = 16
_PROACTIVE_LABEL_WIDTH: Final = 28
_OWN_LABEL_WIDTH: Final = 34
_WIDE_FROM: Final = 0x2E80  # CJK and full-width punctuation take two character widths
_LINE_HEIGHT: Final = 15.0
_CHECKS_TEXT_WIDTH: Final = 70
_HEADER_HEIGHT: Final = 30.0
_PROSE_WIDTH: Final = 100
_HEADER_FILL: Final = "DDEBF7"
_OK_FILL: Final = "C6EFCE"
_BAD_FILL: Final = "FFC7CE"
_UNKNOWN_FILL: Final = "FFEB9C"
#: Units an amount cell can show in its number format (and parse_xlsx reads back).
AMOUNT_UNITS: Final = _words.AMOUNT_UNITS
_NUMBER_FORMATS: Final = {"count": "0", "signed": "+0;-0;0", "amount": "General"}


class XlsxUnavailableError(DisclosureSchemaError, ImportError):
    """openpyxl, needed to write or read Excel workbooks, is not installed."""


def import_openpyxl(part: str = "") -> Any:
    """openpyxl (or one of its modules); :class:`XlsxUnavailableError` saying what to
    install when it is missing."""
    try:
        return importlib.import_module(f"openpyxl{'.' + part if part else ''}")
    except ImportError:
        raise XlsxUnavailableError(
            "Excel workbooks need openpyxl: pip install 'disclosure-schema[xlsx]'"
        ) from None


def sheet_title(section: str) -> str:
    """The sheet name of a section: its official title."""
    return SECTION_TITLES[section].zh


def meta_name(field: str) -> str:
    """The defined name of a cover sheet field, e.g. ``meta_issuer``."""
    return f"meta_{field}"


def _clean_text(text: str) -> str:
    return _ILLEGAL.sub("", text)


def _set_text(cell: Any, text: str) -> None:
    """Write text as text: a paragraph starting with ``=`` must not become a formula."""
    cell.value = _clean_text(text)
    cell.data_type = "s"


def _absolute(sheet: str, row: int, column: int) -> str:
    letters = import_openpyxl("utils").get_column_letter(column)
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!${letters}${row}"


def _define(workbook: Any, name: str, sheet: str, row: int, column: int) -> None:
    defined = import_openpyxl("workbook.defined_name").DefinedName
    workbook.defined_names[name] = defined(name, attr_text=_absolute(sheet, row, column))


def excel_number(value: int | Decimal, kind: str) -> int | float | str:
    """A cell value as Excel stores it: a number when the double holds it exactly, else
    the exact digits as text (which :func:`~disclosure_schema.parse_xlsx` reads back)."""
    if isinstance(value, int):
        return value if abs(value) < _EXACT_INTEGER else str(value)
    number = float(value)
    if Decimal(repr(number)) == value:
        return int(number) if kind == "amount" and value == value.to_integral_value() else number
    return format(value, "f")


@attrs.frozen
class _Styles:
    """The few styles of the workbook, built once per workbook."""

    thin: Any
    bold: Any
    title: Any
    header_fill: Any
    center: Any
    left: Any
    number: Any

    @classmethod
    def build(cls) -> _Styles:
        styles = import_openpyxl("styles")
        side = styles.Side(style="thin", color="000000")
        return cls(
            thin=styles.Border(left=side, right=side, top=side, bottom=side),
            bold=styles.Font(bold=True),
            title=styles.Font(bold=True, size=14),
            header_fill=styles.PatternFill("solid", fgColor=_HEADER_FILL),
            center=styles.Alignment(horizontal="center", vertical="center", wrap_text=True),
            left=styles.Alignment(horizontal="left", vertical="center", wrap_text=True),
            number=styles.Alignment(horizontal="right", vertical="center"),
        )


def _place(rows: tuple[Row, ...]) -> Iterator[tuple[int, int, Cell]]:
    """The cells of layout rows on a grid: (row offset, column offset, cell), spans resolved."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        column = 0
        for cell in row.cells:
            while (r, column) in taken:
                column += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, column + dc))
            yield r, column, cell
            column += cell.colspan


def _page_setup(sheet: Any, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True


def _title(sheet: Any, text: str, width: int, styles: _Styles) -> None:
    cell = sheet.cell(row=_TITLE_ROW, column=1)
    _set_text(cell, text)
    cell.font = styles.title
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[_TITLE_ROW].height = 24


def _table_sheet(
    workbook: Any, report: Report, section: str, table: Table, styles: _Styles
) -> None:
    title = sheet_title(section)
    sheet = workbook.create_sheet(title)
    kinds = cell_kinds(report.template)
    units = stated_units(report)
    rows = (*table.head, *table.body)
    placed = list(_place(rows))
    width = max(column + cell.colspan for _, column, cell in placed)
    _title(sheet, title, width, styles)
    header_rows = {r for r, _, cell in placed if cell.role in ("caption", "header", "corner")}
    by_kind: dict[str, list[str]] = {}
    for r, c, cell in placed:
        row, column = _TABLE_TOP + r, 1 + c
        target = sheet.cell(row=row, column=column)
        if cell.key is not None:
            if cell.value is not None:
                target.value = excel_number(cell.value, kinds[cell.key])
            target.number_format = _number_format(kinds[cell.key], units.get(cell.key))
            target.alignment = styles.number
            _define(workbook, cell_name(cell.key), title, row, column)
            by_kind.setdefault(kinds[cell.key], []).append(target.coordinate)
        elif cell.role == "extra":
            _set_text(target, cell.text)
            target.alignment = styles.number
        elif cell.text:
            _set_text(target, cell.text)
            target.alignment = styles.left if cell.role == "label" else styles.center
            if cell.role in ("caption", "header", "corner"):
                target.font = styles.bold
                target.fill = styles.header_fill
        # every grid position of a merged cell gets the border, so the merge is framed
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                sheet.cell(row=row + dr, column=column + dc).border = styles.thin
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=column,
                end_row=row + cell.rowspan - 1,
                end_column=column + cell.colspan - 1,
            )
    _validate(sheet, by_kind)
    letters = import_openpyxl("utils").get_column_letter
    widths = _column_widths(section, table, width)
    for index, column_width in enumerate(widths, start=1):
        sheet.column_dimensions[letters(index)].width = column_width
    # wrapped labels need taller rows: spreadsheet programs do not grow them by themselves
    heights: dict[int, float] = dict.fromkeys(header_rows, _HEADER_HEIGHT)
    for r, c, cell in placed:
        if cell.rowspan == 1 and cell.text:
            room = sum(widths[c : c + cell.colspan])
            lines = _lines(cell.text, room)
            heights[r] = max(heights.get(r, _LINE_HEIGHT), lines * _LINE_HEIGHT)
    for r, height in heights.items():
        sheet.row_dimensions[_TABLE_TOP + r].height = height
    frozen_row = _TABLE_TOP + len(table.head)
    sheet.freeze_panes = f"{letters(1 + table.label_columns)}{frozen_row}"
    sheet.print_title_rows = f"{_TABLE_TOP}:{frozen_row - 1}" if table.head else None
    _page_setup(sheet, landscape=section != "proactive")


#: Data validation per cell kind: (type, operator, bound, message). A warning only: an
#: office may still type "/" or an amount with its unit, which parse_xlsx reads.
_VALIDATIONS: Final = {
    "count": ("whole", "greaterThanOrEqual", "0"),
    "signed": ("whole", "between", "-999999999"),
    "amount": ("decimal", "greaterThanOrEqual", "0"),
}


def _validate(sheet: Any, by_kind: dict[str, list[str]]) -> None:
    validation = import_openpyxl("worksheet.datavalidation").DataValidation
    for kind, coordinates in by_kind.items():
        kind_of, operator, bound = _VALIDATIONS[kind]
        rule = validation(
            type=kind_of,
            operator=operator,
            formula1=bound,
            formula2="999999999" if operator == "between" else None,
            allow_blank=True,
            errorStyle="warning",
            showErrorMessage=True,
            errorTitle=_words.VALIDATION_TITLE.zh,
            error=_words.VALIDATION_MESSAGES[kind].zh,
        )
        for coordinate in coordinates:
            rule.add(coordinate)
        sheet.add_data_validation(rule)


def _number_format(kind: str, unit: str | None) -> str:
    """The number format of a cell; an amount whose unit the report stated shows it
    while the cell stays a number formulas can add."""
    if kind == "amount" and unit in AMOUNT_UNITS:
        return f'{_NUMBER_FORMATS[kind]}"{unit}"'
    return _NUMBER_FORMATS[kind]


def _column_widths(section: str, table: Table, width: int) -> list[float]:
    """Column widths (in characters of ``0``): label columns wide, the own-label column
    of table 3 the widest, value columns narrow."""
    if section == "proactive":
        labels = [_PROACTIVE_LABEL_WIDTH]
    elif table.label_columns:
        labels = [_LABEL_WIDTH] * (table.label_columns - 1) + [_OWN_LABEL_WIDTH]
    else:
        labels = []
    return [*labels, *([_DATA_WIDTH] * (width - len(labels)))]


def _lines(text: str, room: float) -> int:
    """About how many lines a text wraps to in ``room`` character widths (CJK count 2)."""
    units = sum(2 if ord(character) >= _WIDE_FROM else 1 for character in text)
    return max(1, math.ceil(units / max(room - 1, 1)))


def _prose_sheet(workbook: Any, section: str, prose: Prose, styles: _Styles) -> None:
    title = sheet_title(section)
    sheet = workbook.create_sheet(title)
    _title(sheet, title, 2, styles)
    for column, text in enumerate(PROSE_HEADER, start=1):
        cell = sheet.cell(row=2, column=column)
        _set_text(cell, text)
        cell.font = styles.bold
        cell.fill = styles.header_fill

    def paragraph_row(row: int, text: str) -> None:
        cell = sheet.cell(row=row, column=2)
        _set_text(cell, text)
        cell.alignment = styles.left
        sheet.row_dimensions[row].height = _lines(text, _PROSE_WIDTH) * _LINE_HEIGHT

    row = 3
    for paragraph in prose.paragraphs:
        paragraph_row(row, paragraph)
        row += 1
    for part in prose.parts:
        heading = sheet.cell(row=row, column=1)
        _set_text(heading, part.heading)
        heading.font = styles.bold
        heading.alignment = styles.left
        sheet.row_dimensions[row].height = _lines(part.heading, _LABEL_WIDTH) * _LINE_HEIGHT
        row += 1
        for paragraph in part.paragraphs:
            paragraph_row(row, paragraph)
            row += 1
    sheet.column_dimensions["A"].width = _LABEL_WIDTH
    sheet.column_dimensions["B"].width = _PROSE_WIDTH
    sheet.freeze_panes = "A3"
    _page_setup(sheet, landscape=False)


def _meta_value(meta: Meta, field: str) -> object:
    value = getattr(meta, field)
    if isinstance(value, str):
        return _clean_text(value)
    return value


def _cover_sheet(workbook: Any, report: Report, styles: _Styles) -> None:
    sheet = workbook.active
    sheet.title = COVER_SHEET
    _title(sheet, _words.COVER_TITLE.zh, 2, styles)
    fields: list[tuple[str, str, object]] = [
        (TEMPLATE_NAME, _TEMPLATE_LABEL, report.template),
        *(
            (meta_name(field), label, _meta_value(report.meta, field))
            for field, label in META_FIELDS
        ),
    ]
    for row, (name, label, value) in enumerate(fields, start=_TABLE_TOP):
        label_cell = sheet.cell(row=row, column=1)
        _set_text(label_cell, label)
        label_cell.font = styles.bold
        label_cell.fill = styles.header_fill
        label_cell.border = styles.thin
        cell = sheet.cell(row=row, column=2)
        cell.border = styles.thin
        cell.alignment = styles.left
        if isinstance(value, str):
            _set_text(cell, value)
        elif isinstance(value, _dt.date):
            cell.value = value
            cell.number_format = "yyyy-mm-dd"
        elif value is not None:
            cell.value = value
            cell.number_format = "0"
        _define(workbook, name, COVER_SHEET, row, 2)
    note_row = _TABLE_TOP + len(fields) + 1
    notes = tuple(note.zh for note in _words.COVER_NOTES)
    for offset, note in enumerate(notes):
        _set_text(sheet.cell(row=note_row + offset, column=1), note)
    sheet.column_dimensions["A"].width = _LABEL_WIDTH
    sheet.column_dimensions["B"].width = 60
    _page_setup(sheet, landscape=False)


def _checks_sheet(workbook: Any, report: Report, previous: Report | None, styles: _Styles) -> None:
    formatting = import_openpyxl("formatting.rule")
    fills = import_openpyxl("styles")
    sheet = workbook.create_sheet(CHECKS_SHEET)
    header = tuple(label.zh for label in _words.CHECKS_HEADER)
    _title(sheet, _words.CHECKS_TITLE.zh, len(header), styles)
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row=2, column=column)
        _set_text(cell, text)
        cell.font = styles.bold
        cell.fill = styles.header_fill
        cell.border = styles.thin
        cell.alignment = styles.center
    cell_text = _cell_descriptions(report)
    row = 3
    for formulas in all_check_formulas(report.template, previous):
        declared, equation = formulas.rule, formulas.equation
        severity = SEVERITY_LABELS[declared.severity].zh
        what = cell_text[equation.target.key]
        if equation.target.previous_year:
            what += _words.LAST_YEAR.zh
        values = (
            declared.id,
            severity,
            f"{what} = {declared.expected_zh}",
            formulas.actual,
            formulas.expected,
            {"=": "=", "<=": "≤", ">=": "≥"}[equation.relation],
            formulas.status,
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            if value.startswith("="):
                cell.value = value
            else:
                _set_text(cell, value)
            cell.border = styles.thin
            cell.alignment = styles.left if column == 3 else styles.center
        sheet.row_dimensions[row].height = _lines(values[2], _CHECKS_TEXT_WIDTH) * _LINE_HEIGHT
        row += 1
    last = row - 1
    if last >= 3:
        status_range = f"G3:G{last}"
        for status, color in (
            (CHECK_STATUS["ok"], _OK_FILL),
            (CHECK_STATUS["mismatch"], _BAD_FILL),
            (CHECK_STATUS["not_assessable"], _UNKNOWN_FILL),
        ):
            sheet.conditional_formatting.add(
                status_range,
                formatting.CellIsRule(
                    operator="equal",
                    formula=[f'"{status}"'],
                    fill=fills.PatternFill("solid", fgColor=color, bgColor=color),
                ),
            )
    row += 1
    if previous is not None:
        year = previous.meta.year
        year_text = "" if year is None else _words.YEAR_SUFFIX.zh.format(year=year)
        source = f"{previous.meta.issuer or ''}{year_text}".strip() or "-"
        note = _words.LAST_YEAR_SOURCE.zh.format(source=source)
        _set_text(sheet.cell(row=row, column=3), note)
        row += 1
    previous_template = None if previous is None else previous.template
    for rule_id, reason in rules_not_in_sheet(report.template, previous_template).items():
        _set_text(sheet.cell(row=row, column=1), rule_id)
        _set_text(sheet.cell(row=row, column=3), _words.NOT_IN_SHEET.zh.format(reason=reason))
        row += 1
    widths = (6, 8, _CHECKS_TEXT_WIDTH, 10, 12, 6, 10)
    for letter, width in zip("ABCDEFG", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:G{max(last, 2)}"
    _page_setup(sheet, landscape=True)


def _cell_descriptions(report: Report) -> dict[str, str]:
    described: dict[str, str] = {}
    for key, label in cell_labels(report.template).items():
        row = " ".join(
            part for part in (label.row.group and label.row.group.zh, label.row.label.zh) if part
        )
        column = label.column.label.zh
        if label.column.group is not None:
            column = f"{label.column.group.zh}·{column}"
        described[key] = f"{row}·{column}"
    return described


def _workbook(report: Report, with_checks: bool, previous: Report | None) -> Any:
    openpyxl = import_openpyxl()
    workbook = openpyxl.Workbook()
    styles = _Styles.build()
    _cover_sheet(workbook, report, styles)
    document = build_document(report, empty="")
    for section in document.sections:
        if section.key in TABLE_SECTIONS:
            (table,) = (block for block in section.blocks if isinstance(block, Table))
            _table_sheet(workbook, report, section.key, table, styles)
        else:
            _prose_sheet(workbook, section.key, getattr(report, section.key), styles)
    if with_checks:
        _checks_sheet(workbook, report, previous, styles)
    return workbook


def render_xlsx(
    report: Report, *, with_checks: bool = True, previous: Report | None = None
) -> bytes:
    """The report as an Excel workbook (.xlsx) in the official layout.

    Parameters
    ----------
    report:
        The report to write; its empty cells stay empty in the workbook.
    with_checks:
        Add the checks sheet of live formulas (default).
    previous:
        Last year's report of the same issuer: the checks sheet then also has the
        cross-year rules (R4: carried over = last year's carried forward; H1, R5 as
        the templates allow), with last year's cells as constants.

    Returns
    -------
    bytes
        The workbook file. Every data cell has a defined name (``requests_received_natural_person``
        for ``requests.received.natural_person``), the cover sheet names ``meta_issuer``,
        ``meta_year`` …; :func:`~disclosure_schema.parse_xlsx` reads it back.

    Raises :class:`XlsxUnavailableError` when openpyxl is not installed.
    """
    workbook = _workbook(report, with_checks, previous)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def empty_workbook(
    template: str | None = None,
    *,
    issuer: str | None = None,
    year: int | None = None,
    previous: Report | None = None,
) -> bytes:
    """A blank form: the workbook of an empty report of ``template``, ready to fill in.

    Parameters
    ----------
    template:
        A template tag (``"2021"``, ``"2019"``); by default the one reports on ``year``
        use, else the newest.
    issuer:
        The body, written on the cover sheet when given.
    year:
        The year the report is on, written on the cover sheet when given.
    previous:
        Last year's report, for the cross-year checks (see :func:`render_xlsx`).

    Returns
    -------
    bytes
        The workbook file (see :func:`render_xlsx`).
    """
    report = empty_report(template or default_template(year))
    report = attrs.evolve(report, meta=Meta(issuer=issuer, year=year))
    return render_xlsx(report, previous=previous)
