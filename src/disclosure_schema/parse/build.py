"""Assemble a report object from what the readers found."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from disclosure_schema.model import (
    ExtraRow,
    Meta,
    Prose,
    Report,
    Template,
    WrittenValue,
    cell_kinds,
    report_class,
)
from disclosure_schema.model._filling import filler, fills_directly
from disclosure_schema.model._values import VALUE_KIND
from disclosure_schema.parse.tables import MappedCell, MappedExtraRow
from disclosure_schema.parse.values import canonical_text

__all__ = ["build_report", "table_sections"]


_FIELDS: dict[type[Any], tuple[attrs.Attribute[Any], ...]] = {}


def _fields(cls: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    # resolving the annotations of a model class once, not on every report built
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple(attrs.fields(attrs.resolve_types(cls)))
    return found


_BUILDERS: dict[tuple[type[Any], str], Any] = {}


def _builder(cls: type[Any], prefix: str) -> Any:
    """A function building a ``cls`` (a section) from cell values by dotted key and the
    values of its other fields, generated once per class as straight-line code.

    Every value is already within its kind's range (:func:`~disclosure_schema.parse.
    values.read_cell` and :func:`~disclosure_schema.parse.values.held_by_model` give no
    other), so a class whose every rule is such a range check
    is filled slot by slot on an unfrozen twin (see :mod:`disclosure_schema.model.
    _filling`) instead of paying a validating ``__init__`` per row; any other class is
    built by its ``__init__``."""
    namespace: dict[str, Any] = {"_new": object.__new__}
    lines: list[str] = []
    counter = itertools.count()

    def emit(part: type[Any], at: str, extra: str | None) -> str:
        number = next(counter)
        target = f"o{number}"
        namespace[f"cls{number}"] = part
        values: list[tuple[str, str]] = []
        direct = fills_directly(part)
        for field in _fields(part):
            if isinstance(field.type, type) and attrs.has(field.type):
                values.append((field.name, emit(field.type, f"{at}{field.name}.", None)))
            elif VALUE_KIND in field.metadata:
                values.append((field.name, f"get({at + field.name!r})"))
            elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                direct = False  # left to __init__, which makes the default
            else:
                default = f"d{number}_{field.name}"
                namespace[default] = field.default
                given = default if extra is None else f"{extra}.get({field.name!r}, {default})"
                values.append((field.name, given))
        twin = filler(part) if direct else None
        if twin is None:
            arguments = ", ".join(f"{name}={value}" for name, value in values)
            lines.append(f"    {target} = cls{number}({arguments})")
            return target
        namespace[f"twin{number}"] = twin
        lines.append(f"    {target} = _new(twin{number})")
        lines.extend(f"    {target}.{name} = {value}" for name, value in values)
        lines.append(f"    {target}.__class__ = cls{number}")
        return target

    found = _BUILDERS.get((cls, prefix))
    if found is not None:
        return found
    result = emit(cls, prefix, "extra")
    source = "def build(values, extra):\n    get = values.get\n" + "\n".join(lines)
    source += f"\n    return {result}\n"
    exec(compile(source, f"<disclosure_schema.parse.build {cls.__name__}>", "exec"), namespace)
    _BUILDERS[cls, prefix] = namespace["build"]
    return namespace["build"]


@functools.cache
def _order(template: Template) -> dict[str, int]:
    return {key: at for at, key in enumerate(cell_kinds(template))}


def build_report(
    template: Template,
    cells: Mapping[str, MappedCell],
    extra_rows: tuple[MappedExtraRow, ...],
    meta: Meta,
    prose: dict[str, Prose],
    unusual: Sequence[str] | None = None,
    values: dict[str, int | Decimal | None] | None = None,
) -> Report:
    """A report of ``template`` holding the given cells, extra rows, meta and prose.

    ``cells`` are cells of the template only; ``unusual``, when given, holds every key
    whose text may differ from its value's plain writing, ``values`` each cell's value
    (the mapper knows both).
    """
    if values is None:
        values = {key: cell.value for key, cell in cells.items()}
    # most cells are written as their value is: look only at those that may not be
    candidates = cells if unusual is None else dict.fromkeys(unusual)
    special = [
        key
        for key in candidates
        if (cell := cells.get(key)) is not None and cell.text != canonical_text(cell.value)
    ]
    if len(special) > 1:
        order = _order(template)
        special.sort(key=order.__getitem__)
    written = tuple(
        WrittenValue(key=key, text=cells[key].text, unit=cells[key].unit) for key in special
    )
    extras = tuple(
        ExtraRow(item=row.item, label=row.label, values=row.values, as_written=row.texts)
        for row in extra_rows
    )
    parts: dict[str, Any] = {**table_sections(template, values, extras), **prose}
    report: Report = report_class(template)(meta=meta, as_written=written, **parts)
    return report


def table_sections(
    template: Template, values: Mapping[str, int | Decimal | None], extra_rows: tuple[ExtraRow, ...]
) -> dict[str, Any]:
    """Sections 二, 三 and 四 of a ``template`` report holding ``values`` (cell key →
    value; a key left out is an empty cell) and the extra rows of section 二.

    Every value must be one the model holds (a reader checks it when it reads it:
    :func:`~disclosure_schema.parse.values.read_cell`, :func:`~disclosure_schema.parse.
    values.held_by_model`): the sections are filled without the validating ``__init__``s.
    """
    cls = report_class(template)
    sections: dict[str, Any] = {}
    for name in ("proactive", "requests", "appeals"):
        field_type = next(field for field in _fields(cls) if field.name == name).type
        assert isinstance(field_type, type)
        extra = {"extra_rows": extra_rows} if name == "proactive" else {}
        sections[name] = _builder(field_type, f"{name}.")(values, extra)
    return sections
