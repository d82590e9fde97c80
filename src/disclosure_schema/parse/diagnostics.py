"""Every diagnostic code the parser gives, declared once: severity, title, description.

Call sites build diagnostics with :func:`diagnostic`, so a code's severity is the one
declared here; docs/parsing.md's table is generated from :data:`CATALOGUE`
(``python tools/gen_parse_docs.py``).
"""

from __future__ import annotations

from typing import Final

import attrs

from disclosure_schema.parse.result import Diagnostic, Severity

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
        " read; `report` is `None`",
    ),
    DiagnosticCode(
        "input_too_large", "error", "Input over a limit",
        "the page is over a limit of `Limits` (bytes, lines or cells, HTML elements); it is"
        " not read (with `no_report`)",
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
        "the tables carry labels of both templates; the majority won",
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
        "a cell's text cannot be read exactly as its kind (`约30`, `58.5%` in a count cell);"
        " the cell is `None` and the text is kept in `as_written`",
    ),
    DiagnosticCode(
        "duplicate_cell", "warning", "Cell given twice",
        "a cell was given twice; the first is kept",
    ),
    DiagnosticCode(
        "extra_row", "info", "Row not in the template",
        "a 第二十条 row the template does not have; kept in `extra_rows`",
    ),
    DiagnosticCode(
        "unknown_row", "warning", "Unknown row",
        "a table 三 row with values that is not in the template and that its place does not"
        " name; not stored, `key` names the table",
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
)  # fmt: skip

#: Every code by name, in the order the docs list them.
CATALOGUE: Final[dict[str, DiagnosticCode]] = {entry.code: entry for entry in _CODES}


def diagnostic(
    code: str,
    message: str,
    *,
    key: str | None = None,
    line: int | None = None,
    path: str | None = None,
) -> Diagnostic:
    """A diagnostic of a catalogued ``code`` with its declared severity.

    Parameters
    ----------
    code:
        A key of :data:`CATALOGUE` (a ``KeyError`` otherwise: codes are declared first).
    message:
        What was noticed on this page.
    key, line, path:
        The cell, row or table key, and where on the page.

    Returns
    -------
    Diagnostic
        The diagnostic.
    """
    return Diagnostic(code, CATALOGUE[code].severity, message, key=key, line=line, path=path)
