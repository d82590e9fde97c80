"""Small helpers for working with reports in Python: load and save a report by path,
change cells by key, fill the empty cells of a report built from scratch."""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from disclosure_schema._files import atomic_writer
from disclosure_schema.codec import from_json, to_json_bytes
from disclosure_schema.errors import FieldValueError, ParseError
from disclosure_schema.limits import DEFAULT_LIMITS, Limits, check_size
from disclosure_schema.model import CellValue, Report, cell_kinds
from disclosure_schema.parse import parse_file

__all__ = ["fill_empty", "read_report", "with_cells", "write_report"]

_JSON_SUFFIX = ".json"


def read_report(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Report:
    """Load a report from a file: report JSON (``.json``), or a page that is parsed.

    Parameters:
        path: a ``.json`` file written by `write_report` (or the CLI's ``parse``),
            or a page (``.html``, ``.txt``, …) read with `parse_file`.
        limits: size limits for the file.

    Returns:
        The report.

    Raises:
        OSError: the file cannot be read (``FileNotFoundError``, ``PermissionError``).
        ReportFormatError: the JSON is not a valid report.
        ParseError: the page holds no report (the message says why).
        InputLimitError: the file is over ``limits``.

    >>> report = read_report("examples/example-2021.json")
    >>> report.template
    '2021'
    """
    file = Path(path)
    if file.suffix.lower() == _JSON_SUFFIX:
        check_size(file.stat().st_size, limits.max_json_bytes, "the JSON file", "max_json_bytes")
        return from_json(file.read_bytes(), limits=limits)
    result = parse_file(file, limits=limits)
    if result.report is None:
        reasons = "; ".join(d.message for d in result.errors) or "no report found"
        raise ParseError(f"{file}: {' '.join(reasons.split())}")
    return result.report


def write_report(report: Report, path: str | os.PathLike[str], *, pretty: bool = True) -> Path:
    """Save a report as JSON, atomically (a reader never sees half a file).

    Parameters:
        report: the report to save.
        path: the file to write; its folder is created. An existing regular file is
            replaced; a symbolic link, FIFO or device is refused.
        pretty: indented JSON (the default) or compact.

    Returns:
        The path written.

    Raises:
        UnsafeOutputError: ``path`` is not a regular file (a
            `DisclosureSchemaError`).
        OSError: the file cannot be written.
    """
    target = Path(path)
    with atomic_writer(target, "wb") as stream:
        stream.write(to_json_bytes(report, pretty=pretty))
    return target


def _evolve_path(node: Any, parts: list[str], value: Any) -> Any:
    if len(parts) == 1:
        return attrs.evolve(node, **{parts[0]: value})
    child = getattr(node, parts[0])
    return attrs.evolve(node, **{parts[0]: _evolve_path(child, parts[1:], value)})


def _as_kind(key: str, kind: str, value: Any) -> CellValue:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise FieldValueError(
            f"{key}: a cell holds an int or a Decimal (or None), not {type(value).__name__}"
        )
    if kind == "amount" and isinstance(value, int):
        return Decimal(value)
    return value


def with_cells(report: Report, values: Mapping[str, CellValue]) -> Report:
    """A copy of ``report`` with some cells changed, by cell key.

    Parameters:
        report: the report to start from (it is not changed).
        values: cell key → new value (an ``int``, a ``Decimal`` for amounts, or ``None``
            to empty the cell); keys as in `disclosure_schema.cells`.

    Returns:
        The new report.

    Raises:
        KeyError: a key the report's template does not have (the message names it).
        FieldValueError: a value the cell cannot hold (e.g. a negative count).

    >>> from disclosure_schema import Report2021, cell_value
    >>> report = with_cells(Report2021(), {"requests.received.total": 12})
    >>> cell_value(report, "requests.received.total")
    12
    """
    kinds = cell_kinds(report.template)
    result = report
    for key, value in values.items():
        if key not in kinds:
            raise KeyError(f"template {report.template} has no cell {key!r}")
        result = _evolve_path(result, key.split("."), _as_kind(key, kinds[key], value))
    return result


def fill_empty(report: Report, value: int = 0) -> Report:
    """A copy of ``report`` with every empty cell set to ``value`` (cells that hold a
    value keep it) — for an office that builds its report from scratch and reports 0
    where nothing happened, so that every check can be assessed.

    Parameters:
        report: the report to start from (it is not changed).
        value: what an empty cell becomes (amounts get it as a ``Decimal``).

    Returns:
        The new report.

    >>> from disclosure_schema import Report2021, check, empty_report
    >>> filled = fill_empty(empty_report("2021"))
    >>> filled.requests.received.total
    0
    >>> [f for f in check(filled) if f.severity == "not_assessable"]
    []
    """
    from disclosure_schema.model import cells  # noqa: PLC0415 - keeps the import list short

    empty = {key: value for key, current in cells(report).items() if current is None}
    return with_cells(report, empty)
