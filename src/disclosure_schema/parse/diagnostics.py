"""Every diagnostic code the parser gives, declared once: severity, title, description.

Call sites build diagnostics with :func:`diagnostic`, so a code's severity is the one
declared here; docs/parsing.md's table is generated from :data:`CATALOGUE`
(``python tools/gen_parse_docs.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from disclosure_schema.parse.result import Diagnostic, Severity
from disclosure_schema.parse.tokens import path_string

if TYPE_CHECKING:
    import lxml.etree

__all__ = ["CATALOGUE", "DiagnosticCode", "diagnostic"]


@attrs.frozen
class DiagnosticCode:
    """One diagnostic code: how severe it is, a short title, and what it means."""

    code: str
    severity: Severity
    title: str
    description: str


_CODES: Final = (
    DiagnosticCode(
        "no_report", "error", "No report",
        "no report tables, section headings or title on the page, or the input could not be"
        " read (a file that is no PDF, Word document or workbook, a damaged file, a missing"
        " extra or LibreOffice); the message says why, and `report` is `None`",
    ),
    DiagnosticCode(
        "input_too_large", "error", "Input over a limit",
        "the page or file is over a limit of `Limits` (bytes, unpacked size of a workbook,"
        " lines or cells, HTML elements); it is not read (with `no_report`); the message names"
        " the setting to raise",
    ),
    DiagnosticCode(
        "unreadable_html", "error", "HTML not parsed", "the HTML parser gave up on the input",
    ),
    DiagnosticCode(
        "no_tables", "warning", "No tables", "a report was found but no table cells",
    ),
    DiagnosticCode("no_year", "warning", "No year", "the report year was not found"),
    DiagnosticCode(
        "template_from_year", "info", "Template from the year",
        "the tables do not tell the template; it was chosen from the year",
    ),
    DiagnosticCode(
        "template_mixed", "warning", "Labels of both templates",
        "the tables carry labels of both templates and the majority won, or a workbook's"
        " cover sheet names one template while its cells are those of the other (the cells"
        " win)",
    ),
    DiagnosticCode(
        "template_year_mismatch", "warning", "Template and year disagree",
        "the template does not match the year (a 2022 report on the 2019 grid)",
    ),
    DiagnosticCode(
        "truncated", "warning", "Page ends inside a table",
        "the page ends inside a table; `key` names the first cell not read, and every cell"
        " after the cut is `None`",
    ),
    DiagnosticCode(
        "missing_values", "warning", "Too few values",
        "a row (or table 四) has fewer values than columns and it cannot be told which is"
        " which; the row or table named by `key` is left empty",
    ),
    DiagnosticCode(
        "surplus_values", "warning", "Too many values",
        "a row has more non-empty values than columns; the surplus is not used and never"
        " given to another row (table 四 is read without the values its arithmetic rules out)",
    ),
    DiagnosticCode(
        "ambiguous_reading", "warning", "Several readings fit",
        "a run of values can be read onto the template grid in more than one way and the"
        " template's arithmetic does not decide; the cells named by `key` are left empty",
    ),
    DiagnosticCode(
        "figure_chose", "info", "Reading chosen by a stated figure",
        "several readings of a run of values fit the table's arithmetic, and the report's"
        " prose states one of its cells (\"全年共收到申请34件\"): the one reading that agrees"
        " with it was taken; `key` names the row or table, the message quotes the clause",
    ),
    DiagnosticCode(
        "figure_differs", "info", "Prose and table differ",
        "the report's prose states a cell (\"全年共收到申请34件\") that its table states"
        " otherwise; the table's value is kept (a check's business, not the parser's)",
    ),
    DiagnosticCode(
        "orphan_values", "warning", "Values under no row",
        "values stand in a table where no row label claims them (the label is lost or"
        " garbled); they are not used, `key` names the table",
    ),
    DiagnosticCode(
        "row_not_found", "warning", "Row not found",
        "no values were read for the template row named by `key`; its cells are `None`",
    ),
    DiagnosticCode(
        "row_by_position", "info", "Row placed by position",
        "a row whose label does not name it (an unnumbered 总计, a garbled label) was read as"
        " the only template row its place in the grid allows",
    ),
    DiagnosticCode(
        "unreadable_value", "warning", "Value not readable",
        "a cell's text cannot be read exactly as its kind (`约30`, `58.5%` or a negative"
        " number in a count cell); the cell is `None` and the text is kept in `as_written`."
        " On a workbook's cover sheet: a year or date that is none; it is not used",
    ),
    DiagnosticCode(
        "duplicate_cell", "warning", "Cell given twice",
        "a cell was given twice; the first is kept",
    ),
    DiagnosticCode(
        "extra_row", "info", "Row not in the template",
        "a 第二十条 row the template does not have (on a web page, or added to a block of a"
        " workbook's sheet 二, e.g. 其他主动公开文件); kept in `extra_rows` with its cells as"
        " written",
    ),
    DiagnosticCode(
        "unknown_row", "warning", "Unknown row",
        "a table 三 row with values that is not in the template and that its place does not"
        " name (`key` names the table), or a row of a workbook's sheet 二 above every 第二十条"
        " block; not stored",
    ),
    DiagnosticCode(
        "subtotal_row", "info", "Subtotal row", "a subtotal row in table 三; not stored",
    ),
    DiagnosticCode(
        "ambiguous_columns", "warning", "Subtotal column not told",
        "table 三 has 8 values per row but the subtotal column cannot be told (no header, sums"
        " do not decide); those rows are left empty",
    ),
    DiagnosticCode(
        "subtotal_column", "info", "Subtotal column",
        "table 三 has an extra 法人或其他组织 subtotal column; not stored",
    ),
    DiagnosticCode(
        "encoding_fallback", "warning", "Declared charset wrong",
        "the declared charset does not decode the page; another was used",
    ),
    DiagnosticCode(
        "undecodable_bytes", "warning", "Bytes replaced",
        "no encoding decodes the page cleanly; it is read in the closest one (the message"
        " names the first bad byte's position) with the bad bytes replaced",
    ),
    DiagnosticCode(
        "table_too_large", "warning", "Table over the cell limit",
        "a table's spans claim more cells than `Limits.max_table_cells` allows; its rows"
        " after the limit are not read",
    ),
    DiagnosticCode(
        "needs_ocr", "error", "PDF needs OCR",
        "the PDF has no text layer (scanned page images) or only `(cid:N)` glyph numbers; it"
        " is not read, since OCR is not exact enough to vouch for numbers",
    ),
    DiagnosticCode(
        "pdf_image_pages", "warning", "PDF pages are images",
        "some pages of the PDF have no text layer (they are images); what they show is not"
        " read, the message names the pages",
    ),
    DiagnosticCode(
        "pdf_damaged", "warning", "PDF damaged",
        "a stream or object of the PDF could not be read; what it held is missing from the"
        " report (never filled in from elsewhere)",
    ),
    DiagnosticCode(
        "pdf_text_outside_cells", "warning", "PDF text outside the ruled cells",
        "text inside a table's frame but in no ruled cell; read as text lines, not as cells",
    ),
    DiagnosticCode(
        "pdf_running_lines", "info", "PDF running lines removed",
        "running headers or footers (\"— 5 —\", \"第 3 页\", a line repeated in the margin"
        " of several pages) were removed",
    ),
    DiagnosticCode(
        "pdf_table_stitched", "info", "PDF table stitched across pages",
        "a table crossing a page break was read as one table; the message says what was done"
        " (repeated header rows dropped, a row cut by the break joined)",
    ),
    DiagnosticCode(
        "pdf_numbers_cut", "warning", "PDF numbers cut by a page break",
        "a row of a table is cut by a page break and numbers stand on both sides of the"
        " break; which part belongs to which cell is not known, so those cells are not read"
        " (they are `None`)",
    ),
    DiagnosticCode(
        "tracked_changes", "warning", "Word tracked changes",
        "the Word document has tracked changes; it is read as if all were accepted (deleted"
        " text left out, inserted text kept)",
    ),
    DiagnosticCode(
        "converted", "info", "Converted by LibreOffice",
        "an old Word (.doc) or WPS (.wps) file was converted to .docx by LibreOffice before"
        " it was read",
    ),
    DiagnosticCode(
        "formula_not_computed", "warning", "Formula without a value",
        "a workbook cell holds a formula but no computed value (the file was saved by a"
        " program that does not calculate); the cell is `None`: open and save the workbook"
        " in Excel, WPS or LibreOffice",
    ),
    DiagnosticCode(
        "missing_cell", "warning", "Workbook cell name missing",
        "the workbook has no defined name for the template cell named by `key` (a name was"
        " deleted); the cell is `None`",
    ),
    DiagnosticCode(
        "unknown_value", "warning", "Number outside the form",
        "a number in table 三 or 四 of a workbook outside the form's cells (a row or column"
        " added by hand); not read, `path` names the sheet and cell",
    ),
    DiagnosticCode(
        "xlsx_by_labels", "info", "Workbook read by its labels",
        "the workbook has none of the form's defined names; its sheets were read by their"
        " labels, like a web page's tables",
    ),
)  # fmt: skip

#: Every code by name, in the order the docs list them.
CATALOGUE: Final[dict[str, DiagnosticCode]] = {entry.code: entry for entry in _CODES}


def diagnostic(
    code: str,
    message: str,
    *,
    key: str | None = None,
    line: int | None = None,
    path: str | lxml.etree._Element | None = None,
) -> Diagnostic:
    """A diagnostic of a catalogued ``code`` with its declared severity.

    Parameters
    ----------
    code:
        A key of :data:`CATALOGUE` (a ``KeyError`` otherwise: codes are declared first).
    message:
        What was noticed on this page.
    key, line, path:
        The cell, row or table key, and where on the page (an HTML cell token's
        element is turned into its element path).

    Returns
    -------
    Diagnostic
        The diagnostic.
    """
    where = path_string(path)
    return Diagnostic(code, CATALOGUE[code].severity, message, key=key, line=line, path=where)
