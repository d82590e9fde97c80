"""Assemble a report object from what the readers found."""

from __future__ import annotations

import functools
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
from disclosure_schema.parse.tables import MappedCell, MappedExtraRow
from disclosure_schema.parse.values import canonical_text

__all__ = ["build_report", "construct", "nested_cells"]


@functools.lru_cache(maxsize=4096)
def _key_parts(key: str) -> tuple[tuple[str, ...], str]:
    # a template has a few hundred cell keys: split each once, not once per page
    *parents, leaf = key.split(".")
    return tuple(parents), leaf


def nested_cells(values: dict[str, int | Decimal | None]) -> dict[str, Any]:
    """Cell values by dotted key → nested dicts by key part (the model's shape)."""
    tree: dict[str, Any] = {}
    for key, value in values.items():
        node = tree
        parents, leaf = _key_parts(key)
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


_FIELDS: dict[type[Any], tuple[attrs.Attribute[Any], ...]] = {}


def _fields(cls: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    # resolving the annotations of a model class once, not on every report built
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple(attrs.fields(attrs.resolve_types(cls)))
    return found


def construct(cls: type[Any], tree: dict[str, Any]) -> Any:
    """An instance of model class ``cls`` from a tree of :func:`nested_cells`."""
    kwargs: dict[str, Any] = {}
    for field in _fields(cls):
        if field.name not in tree:
            continue
        value = tree[field.name]
        if isinstance(value, dict):
            assert isinstance(field.type, type)
            kwargs[field.name] = construct(field.type, value)
        else:
            kwargs[field.name] = value
    return cls(**kwargs)


def build_report(
    template: Template,
    cells: dict[str, MappedCell],
    extra_rows: tuple[MappedExtraRow, ...],
    meta: Meta,
    prose: dict[str, Prose],
) -> Report:
    """A report of ``template`` holding the given cells, extra rows, meta and prose."""
    kinds = cell_kinds(template)
    values = {key: cell.value for key, cell in cells.items() if key in kinds}
    tree = nested_cells(values)
    written = tuple(
        WrittenValue(key=key, text=cell.text, unit=cell.unit)
        for key in kinds
        if (cell := cells.get(key)) is not None and cell.text != canonical_text(cell.value)
    )
    extras = tuple(
        ExtraRow(item=row.item, label=row.label, values=row.values, as_written=row.texts)
        for row in extra_rows
    )
    cls = report_class(template)
    proactive = tree.get("proactive", {})
    proactive["extra_rows"] = extras
    tree["proactive"] = proactive
    sections: dict[str, Any] = {}
    for name in ("proactive", "requests", "appeals"):
        field_type = next(field for field in _fields(cls) if field.name == name).type
        assert isinstance(field_type, type)
        sections[name] = construct(field_type, tree.get(name, {}))
    parts: dict[str, Any] = {**sections, **prose}
    report: Report = cls(meta=meta, as_written=written, **parts)
    return report
