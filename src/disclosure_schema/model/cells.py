"""Reading a report cell by cell, by the cell keys of cell-keys.md.

A cell key is the dotted path of a cell, e.g. ``requests.outcomes.total.natural_person``;
it is also the cell's path in the JSON form of the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any, Literal, TypeAlias

import attrs

from disclosure_schema.model._values import CellKind, cell_kind
from disclosure_schema.model.v2019 import Report2019
from disclosure_schema.model.v2021 import Report2021

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

#: The template tags, oldest first.
TEMPLATES: tuple[Template, ...] = ("2019", "2021")

_SECTIONS_WITH_CELLS = ("proactive", "requests", "appeals")


def report_class(template: str) -> type[Report2019] | type[Report2021]:
    """The report class for a template tag; ``ValueError`` for an unknown tag."""
    if template == "2019":
        return Report2019
    if template == "2021":
        return Report2021
    raise ValueError(f"unknown template {template!r}: expected '2019' or '2021'")


def empty_report(template: str) -> Report:
    """A report of the given template with every cell empty."""
    return report_class(template)()


def _walk_kinds(cls: type[Any], prefix: str) -> Iterator[tuple[str, CellKind]]:
    for field in attrs.fields(attrs.resolve_types(cls)):
        kind = cell_kind(field)
        if kind is not None:
            yield f"{prefix}{field.name}", kind
        elif isinstance(field.type, type) and attrs.has(field.type):
            yield from _walk_kinds(field.type, f"{prefix}{field.name}.")


@cache
def cell_kinds(template: str) -> dict[str, CellKind]:
    """Every cell key of a template, in template order, with its kind."""
    cls = attrs.resolve_types(report_class(template))
    kinds: dict[str, CellKind] = {}
    for section in _SECTIONS_WITH_CELLS:
        section_type = attrs.fields_dict(cls)[section].type
        assert isinstance(section_type, type)
        kinds.update(_walk_kinds(section_type, f"{section}."))
    return kinds


def cells(report: Report) -> dict[str, CellValue]:
    """Every cell of a report by cell key, in template order (``None`` for empty)."""
    return {key: cell_value(report, key) for key in cell_kinds(report.template)}


def cell_value(report: Report, key: str) -> CellValue:
    """The value of one cell; ``KeyError`` naming the key when the template has no such cell."""
    if key not in cell_kinds(report.template):
        raise KeyError(f"template {report.template} has no cell {key!r}")
    value: Any = report
    for part in key.split("."):
        value = getattr(value, part)
    result: CellValue = value
    return result
