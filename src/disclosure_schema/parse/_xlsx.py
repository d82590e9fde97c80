"""Reading an Excel workbook (.xlsx) back into a report.

Two kinds of workbook:

- one written by :func:`~disclosure_schema.render_xlsx` or
  :func:`~disclosure_schema.empty_workbook` and filled in by an office: every data cell
  is found by its defined name (``requests_received_natural_person``), wherever rows or
  sheets were moved. A value may be typed as a number or as text (``"12"``, ``"/"``,
  ``"—"``, ``"1.5万元"``); text is read by the same cell reader as a page.
- one whose tables an office built itself in the official layout, without defined
  names: its sheets become an HTML page (merged ranges as rowspan/colspan) read by
  :func:`~disclosure_schema.parse_html`, the same table reader as any web page.

The contract is the parser's: every cell is the value the workbook states, or ``None``
with a diagnostic naming it.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any, Final, cast

from disclosure_schema.checks._formulas import cell_name
from disclosure_schema.errors import DisclosureSchemaError, InputLimitError
from disclosure_schema.labels import INFO_CONTENT, article20_caption
from disclosure_schema.limits import DEFAULT_LIMITS, Limits, check_size
from disclosure_schema.model import (
    TEMPLATES,
    ExtraRow,
    Meta,
    Prose,
    ProsePart,
    Report,
    Template,
    WrittenValue,
    cell_kinds,
    report_class,
)
from disclosure_schema.parse import api as _api
from disclosure_schema.parse._package import package_holds
from disclosure_schema.parse.build import table_sections
from disclosure_schema.parse.diagnostics import diagnostic
from disclosure_schema.parse.result import Diagnostic, ParseResult
from disclosure_schema.parse.values import (
    Kind,
    canonical_text,
    held_by_model,
    is_value_like,
    read_cell,
)
from disclosure_schema.render._xlsx import (
    AMOUNT_UNITS,
    META_FIELDS,
    PROSE_SECTIONS,
    TEMPLATE_NAME,
    import_openpyxl,
    meta_name,
    sheet_title,
)

__all__ = ["looks_like_xlsx", "parse_xlsx"]

_WORKBOOK_PART: Final = "xl/workbook.xml"
_EXACT_DIGITS: Final = re.compile(r"\d{1,30}(?:\.\d{1,30})?")
_YEAR: Final = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_PROSE_FIRST_ROW: Final = 3
_FIRST_TABLE_ROW: Final = 3
_DIGIT: Final = re.compile(r"\d")
_ARTICLE20_ITEMS: Final = (1, 5, 6, 8, 9)


def looks_like_xlsx(data: bytes) -> bool:
    """Whether bytes are an Excel workbook: a zip archive holding ``xl/workbook.xml``."""
    return package_holds(data, _WORKBOOK_PART)


def _failed(reason: str, diagnostics: list[Diagnostic] | None = None) -> ParseResult:
    return ParseResult(None, (*(diagnostics or []), diagnostic("no_report", reason)))


def _check_archive(data: bytes, limits: Limits) -> None:
    check_size(len(data), limits.max_page_bytes, "the workbook", "max_page_bytes")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    # the parts are XML: a workbook is refused when they would be larger than a page may
    # be, before anything is unpacked (a small zip can hold gigabytes)
    check_size(unpacked, limits.max_page_bytes, "the unpacked workbook", "max_page_bytes")


def parse_xlsx(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> ParseResult:
    """Read a report from the bytes of an Excel workbook (.xlsx).

    Parameters
    ----------
    data:
        The workbook file.
    limits:
        Size limits; a workbook over them (packed or unpacked) is refused unread.

    Returns
    -------
    ParseResult
        The report and diagnostics. A workbook with the defined names of
        :func:`~disclosure_schema.render_xlsx` is read by name; any other is read by its
        labels through :func:`~disclosure_schema.parse_html`. A file that is no workbook,
        or a missing openpyxl, gives a ``no_report`` result saying why.
    """
    try:
        _check_archive(data, limits)
    except InputLimitError as error:
        return ParseResult(
            None,
            (
                diagnostic("input_too_large", str(error)),
                diagnostic("no_report", f"not read: {error}"),
            ),
        )
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return _failed(f"not an Excel workbook (.xlsx): {error}")
    try:
        openpyxl = import_openpyxl()
    except DisclosureSchemaError as error:
        return _failed(str(error))
    try:
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        return _failed(f"the workbook could not be read ({type(error).__name__}: {error})")
    try:
        if _named_template(values) is not None:
            return _read_named(values, formulas)
        return _read_by_labels(values, limits)
    except DisclosureSchemaError as error:
        return _failed(f"the workbook could not be read: {error}")
    except Exception as error:  # noqa: BLE001 - a bug on an unseen workbook must not crash a batch
        return _failed(f"internal parser error ({type(error).__name__}: {error})")


# ---------------------------------------------------------------------------- by name


def _destination(workbook: Any, name: str) -> tuple[Any, str] | None:
    """The worksheet and coordinate a defined name points to (its first cell)."""
    defined = workbook.defined_names.get(name)
    if defined is None:
        return None
    for sheet_name, coordinate in defined.destinations:
        if sheet_name in workbook.sheetnames:
            first = coordinate.replace("$", "").split(":")[0]
            return workbook[sheet_name], first
    return None


def _named_template(workbook: Any) -> Template | None:
    """The template of a workbook with our defined names; ``None`` when it has none."""
    present = {
        template: sum(cell_name(key) in workbook.defined_names for key in cell_kinds(template))
        for template in TEMPLATES
    }
    best = max(TEMPLATES, key=lambda template: (present[template], template))
    if present[best] == 0:
        return None
    # both templates share most cells; only the ones that differ tell them apart
    tied = [template for template in TEMPLATES if present[template] == present[best]]
    complete = [
        template for template in TEMPLATES if present[template] == len(cell_kinds(template))
    ]
    if len(tied) > 1 or len(complete) > 1:
        return _stated_template(workbook) or best
    return best


def _stated_template(workbook: Any) -> Template | None:
    place = _destination(workbook, TEMPLATE_NAME)
    if place is None:
        return None
    sheet, coordinate = place
    value = sheet[coordinate].value
    text = str(int(value)) if isinstance(value, int | float) else str(value or "").strip()
    return next((template for template in TEMPLATES if template == text), None)


def _format_unit(number_format: object) -> str | None:
    """The unit an amount cell's number format shows (``General"万元"``), if any."""
    if not isinstance(number_format, str):
        return None
    return next((unit for unit in AMOUNT_UNITS if number_format.endswith(f'"{unit}"')), None)


def _number_from_float(number: float, kind: str) -> int | Decimal | None:
    if kind == "amount":
        return Decimal(repr(number))
    return int(number) if number.is_integer() else None


def _read_value(
    key: str,
    kind: str,
    value: object,
    formula: object,
    where: str,
    diagnostics: list[Diagnostic],
    written: list[WrittenValue],
) -> int | Decimal | None:
    """One named cell: the number it states, or ``None`` with a diagnostic."""

    def unreadable(text: str, why: str) -> None:
        diagnostics.append(
            diagnostic(
                "unreadable_value",
                f"{text!r} cannot be read as a {kind} ({why}); kept as written",
                key=key,
                path=where,
            )
        )
        written.append(WrittenValue(key=key, text=text))

    if value is None:
        if isinstance(formula, str) and formula.startswith("="):
            diagnostics.append(
                diagnostic(
                    "formula_not_computed",
                    f"the cell holds the formula {formula!r} but no computed value"
                    " (open and save the workbook in a spreadsheet program); left empty",
                    key=key,
                    path=where,
                )
            )
        return None
    if isinstance(value, bool | _dt.date | _dt.time | _dt.timedelta):
        unreadable(str(value), "not a number")
        return None
    if isinstance(value, int):
        number: int | Decimal | None = Decimal(value) if kind == "amount" else value
    elif isinstance(value, float):
        number = _number_from_float(value, kind)
        if number is None:
            unreadable(repr(value), "not a whole number")
            return None
    else:
        text = str(value)
        reading = read_cell(text, "amount" if kind == "amount" else kind)
        if reading.readable and reading.value is not None:
            number = reading.value
            if text != canonical_text(number) or reading.unit:
                written.append(WrittenValue(key=key, text=text, unit=reading.unit))
        elif reading.blank:
            if text.strip():
                written.append(WrittenValue(key=key, text=text))
            return None
        elif kind == "amount" and _EXACT_DIGITS.fullmatch(text.strip()):
            # an amount with more digits than a double holds is written as its exact text
            try:
                number = Decimal(text.strip())
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                unreadable(text, "not a number")
                return None
        else:
            unreadable(text, "not a number")
            return None
    if isinstance(number, int) and kind == "count" and number < 0:
        unreadable(str(value), "a count cannot be negative")
        return None
    if isinstance(number, Decimal) and (number < 0 or not number.is_finite()):
        unreadable(str(value), "an amount cannot be negative")
        return None
    if number is None:  # pragma: no cover - every branch above gives a number or returns
        return None
    held, problem = held_by_model(number, cast("Kind", kind))
    if problem is not None:
        unreadable(str(value), problem)
        return None
    return held


def _text_of(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    return str(value)


def _read_meta(workbook: Any, diagnostics: list[Diagnostic]) -> Meta:
    found: dict[str, Any] = {}
    for field, label in META_FIELDS:
        place = _destination(workbook, meta_name(field))
        if place is None:
            continue
        sheet, coordinate = place
        value = sheet[coordinate].value
        where = f"{sheet.title}!{coordinate}"
        if value is None:
            continue
        if field == "year":
            text = _text_of(value) or ""
            match = _YEAR.search(text)
            if match is None:
                diagnostics.append(
                    diagnostic("unreadable_value", f"{label} {text!r} is no year", path=where)
                )
                continue
            found[field] = int(match[1])
        elif field == "published":
            if isinstance(value, _dt.datetime):
                found[field] = value.date()
            elif isinstance(value, _dt.date):
                found[field] = value
            else:
                try:
                    found[field] = _dt.date.fromisoformat(str(value).strip())
                except ValueError:
                    diagnostics.append(
                        diagnostic(
                            "unreadable_value",
                            f"{label} {value!r} is no date (YYYY-MM-DD)",
                            path=where,
                        )
                    )
        else:
            found[field] = _text_of(value)
    return Meta(**found)


def _read_prose(workbook: Any, section: str) -> Prose:
    title = sheet_title(section)
    if title not in workbook.sheetnames:
        return Prose()
    sheet = workbook[title]
    paragraphs: list[str] = []
    parts: list[tuple[str, list[str]]] = []
    for heading, paragraph, *_ in sheet.iter_rows(
        min_row=_PROSE_FIRST_ROW, max_col=2, values_only=True
    ):
        heading_text, paragraph_text = _text_of(heading), _text_of(paragraph)
        if heading_text is not None and heading_text != "":
            parts.append((heading_text, []))
        if paragraph_text is not None and paragraph_text != "":
            (parts[-1][1] if parts else paragraphs).append(paragraph_text)
    return Prose(
        paragraphs=tuple(paragraphs),
        parts=tuple(ProsePart(heading=h, paragraphs=tuple(p)) for h, p in parts),
    )


def _read_named(values: Any, formulas: Any) -> ParseResult:
    template = _named_template(values)
    assert template is not None
    diagnostics: list[Diagnostic] = []
    stated = _stated_template(values)
    if stated is not None and stated != template:
        diagnostics.append(
            diagnostic(
                "template_mixed",
                f"the cover sheet says template {stated} but the cells are those of"
                f" {template}; read as {template}",
            )
        )
    written: list[WrittenValue] = []
    read: dict[str, int | Decimal | None] = {}
    named_rows: set[tuple[str, int]] = set()
    named_cells: set[tuple[str, str]] = set()
    for key, kind in cell_kinds(template).items():
        place = _destination(values, cell_name(key))
        if place is None:
            diagnostics.append(
                diagnostic(
                    "missing_cell",
                    f"the workbook has no cell named {cell_name(key)}; left empty",
                    key=key,
                )
            )
            read[key] = None
            continue
        sheet, coordinate = place
        formula = formulas[sheet.title][coordinate].value
        where = f"{sheet.title}!{coordinate}"
        named_rows.add((sheet.title, sheet[coordinate].row))
        named_cells.add((sheet.title, coordinate))
        cell = sheet[coordinate]
        read[key] = _read_value(key, kind, cell.value, formula, where, diagnostics, written)
        unit = _format_unit(cell.number_format) if kind == "amount" else None
        if unit is not None and isinstance(cell.value, int | float) and read[key] is not None:
            text = f"{canonical_text(read[key])}{unit}"
            written.append(WrittenValue(key=key, text=text, unit=unit))
    meta = _read_meta(values, diagnostics)
    if meta.year is None:
        diagnostics.append(diagnostic("no_year", "the report year was not found"))
    extra_rows = _read_extra_rows(values, named_rows, diagnostics)
    diagnostics.extend(_stray_values(values, named_cells))
    report = _build(template, read, meta, values, tuple(written), extra_rows)
    return ParseResult(report, tuple(diagnostics))


def _stray_values(workbook: Any, named_cells: set[tuple[str, str]]) -> Iterator[Diagnostic]:
    """Numbers typed into tables 三 and 四 outside the form's cells (a row or column an
    office added): not read, and said so."""
    for section in ("requests", "appeals"):
        title = sheet_title(section)
        if title not in workbook.sheetnames:
            continue
        for row in workbook[title].iter_rows():
            for cell in row:
                value = cell.value
                if value is None or (title, cell.coordinate) in named_cells:
                    continue
                is_number = isinstance(value, int | float) and not isinstance(value, bool)
                if is_number or (
                    isinstance(value, str) and _DIGIT.search(value) and is_value_like(value)
                ):
                    yield diagnostic(
                        "unknown_value",
                        f"{value!r} is outside the cells of the form; not read",
                        path=f"{title}!{cell.coordinate}",
                    )


def _caption_item(label: str | None) -> int | None:
    """The article 20 item of a block caption such as 第二十条第（一）项, else ``None``."""
    if label is None:
        return None
    folded = label.strip()
    return next((item for item in _ARTICLE20_ITEMS if article20_caption(item).zh == folded), None)


def _extra_values(texts: list[str]) -> tuple[int | Decimal | None, ...]:
    values: list[int | Decimal | None] = []
    for text in texts:
        reading = read_cell(text, "signed")
        if not reading.readable:
            reading = read_cell(text, "amount")
        values.append(reading.value)
    return tuple(values)


def _read_extra_rows(
    workbook: Any, named_rows: set[tuple[str, int]], diagnostics: list[Diagnostic]
) -> tuple[ExtraRow, ...]:
    """Rows of section 二 the template does not have (其他主动公开文件 …): every row of the
    sheet that holds no named cell and is no caption or header, under the block above it."""
    title = sheet_title("proactive")
    if title not in workbook.sheetnames:
        return ()
    sheet = workbook[title]
    item: int | None = None
    found: list[ExtraRow] = []
    for number, row in enumerate(
        sheet.iter_rows(min_row=_FIRST_TABLE_ROW, values_only=True), start=_FIRST_TABLE_ROW
    ):
        if (title, number) in named_rows or not row:
            continue
        label = _text_of(row[0])
        caption = _caption_item(label)
        if caption is not None:
            item = caption
            continue
        if label is not None and label.strip() == INFO_CONTENT.zh:
            continue
        texts = [_text_of(value) or "" for value in row[1:]]
        while texts and texts[-1] == "":
            texts.pop()
        if not label and not texts:
            continue
        where = f"{title}!A{number}"
        if item is None:
            diagnostics.append(
                diagnostic(
                    "unknown_row",
                    f"row {(label or '')[:40]!r} is above every 第二十条 block; not stored",
                    path=where,
                )
            )
            continue
        found.append(
            ExtraRow(
                item=item,
                label=label or "",
                values=_extra_values(texts),
                as_written=tuple(texts),
            )
        )
        diagnostics.append(
            diagnostic(
                "extra_row",
                f"row {(label or '')[:40]!r} is not in the template; kept in extra_rows",
                path=where,
            )
        )
    return tuple(found)


def _build(
    template: Template,
    read: dict[str, int | Decimal | None],
    meta: Meta,
    workbook: Any,
    written: tuple[WrittenValue, ...],
    extra_rows: tuple[ExtraRow, ...],
) -> Report:
    cls = report_class(template)
    parts: dict[str, Any] = table_sections(template, read, extra_rows)
    for section in PROSE_SECTIONS:
        parts[section] = _read_prose(workbook, section)
    report: Report = cls(meta=meta, as_written=written, **parts)
    return report


# ---------------------------------------------------------------------------- by labels


def _html_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    return str(value)


def _sheet_html(sheet: Any, limits: Limits) -> Iterator[str]:
    """One worksheet as an HTML table: merged ranges become rowspan/colspan."""
    if sheet.max_row * sheet.max_column > limits.max_table_cells:
        raise InputLimitError(
            f"the sheet {sheet.title!r} has {sheet.max_row:,} × {sheet.max_column:,} cells,"
            f" over the limit of {limits.max_table_cells:,} (raise Limits.max_table_cells)"
        )
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (
            merged.max_row - merged.min_row + 1,
            merged.max_col - merged.min_col + 1,
        )
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if (row, column) != (merged.min_row, merged.min_col):
                    covered.add((row, column))
    yield f'<table data-sheet="{escape(sheet.title)}">'
    for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells: list[str] = []
        for c, value in enumerate(row, start=1):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            attributes = ""
            if rowspan > 1:
                attributes += f' rowspan="{rowspan}"'
            if colspan > 1:
                attributes += f' colspan="{colspan}"'
            cells.append(f"<td{attributes}>{escape(_html_text(value))}</td>")
        if any(value is not None for value in row) or any(
            (r, c) in spans for c in range(1, len(row) + 1)
        ):
            yield f"<tr>{''.join(cells)}</tr>"
    yield "</table>"


def workbook_html(workbook: Any, limits: Limits = DEFAULT_LIMITS) -> str:
    """Every worksheet of a workbook as one HTML page of tables, in sheet order."""
    parts = ["<html><body>"]
    for sheet in workbook.worksheets:
        parts.extend(_sheet_html(sheet, limits))
    parts.append("</body></html>")
    return "\n".join(parts)


def _read_by_labels(values: Any, limits: Limits) -> ParseResult:
    html = workbook_html(values, limits)
    result = _api.parse_html(html, limits=limits)
    note = diagnostic(
        "xlsx_by_labels",
        "the workbook has no defined names of a form; its sheets were read by their labels",
    )
    return ParseResult(result.report, (note, *result.diagnostics))
