"""Reading a report cell by cell, by the cell keys of cell-keys.md.

A cell key is the dotted path of a cell, e.g. ``requests.outcomes.total.natural_person``;
it is also the cell's path in the JSON form of the report.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, TypeAlias

from disclosure_schema.model.v2019 import Report2019
from disclosure_schema.model.v2021 import Report2021
from disclosure_schema.template._kinds import CellKind
from disclosure_schema.template._spec import template_spec, template_tags

__all__ = [
    "TEMPLATES",
    "CellValue",
    "Report",
    "Template",
    "cell_kinds",
    "cell_value",
    "cells",
    "empty_report",
    "report_class",
]

Template: TypeAlias = Literal["2019", "2021"]
Report: TypeAlias = Report2019 | Report2021
CellValue: TypeAlias = int | Decimal | None

#: The official template tags, oldest first (from the template spec).
TEMPLATES: tuple[Template, ...] = template_tags(official=True)  # type: ignore[assignment]


def report_class(template: str) -> type[Report2019] | type[Report2021]:
    """The report class for a template tag; ``ValueError`` for an unknown tag."""
    cls: type[Report2019] | type[Report2021] = template_spec(template).report_class
    return cls


def empty_report(template: str) -> Report:
    """A report of the given template with every cell empty."""
    return report_class(template)()


def cell_kinds(template: str) -> dict[str, CellKind]:
    """Every cell key of a template, in template order, with its kind."""
    return template_spec(template).cell_kinds()


def cells(report: Report) -> dict[str, CellValue]:
    """Every cell of a report by cell key, in template order (``None`` for empty)."""
    return {key: cell_value(report, key) for key in cell_kinds(report.template)}


def cell_value(report: Report, key: str) -> CellValue:
    """The value of one cell; ``KeyError`` naming the key when the template has no such cell."""
    if key not in template_spec(report.template).cell_kinds():
        raise KeyError(f"template {report.template} has no cell {key!r}")
    value: Any = report
    for part in key.split("."):
        value = getattr(value, part)
    result: CellValue = value
    return result
