"""The template registry: one :class:`TemplateSpec` per template, and what derives from it.

A template is declared by two things, each written once:

- its **report class** (attrs classes, the typed shape: every table, row and cell,
  each cell with its :class:`~disclosure_schema.template.ValueKind`);
- its **spec** (:class:`TemplateSpec`): labels, grouping and numbering, the article 20
  blocks with their item numbers, and the report years it covers.

:func:`register_template` checks that the two agree cell for cell. Cell kinds, units,
label tables, the codec, the JSON Schema, the docs and the parser's hints are derived.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cached_property
from typing import Any, Final

import attrs

from disclosure_schema.template._kinds import CellKind, ValueKind
from disclosure_schema.template._labels import (
    CellLabel,
    ColumnSpec,
    Label,
    ProactiveBlock,
    RowSpec,
    TemplateLabels,
)

__all__ = [
    "TemplateSpec",
    "default_template",
    "register_template",
    "template_for_year",
    "template_spec",
    "template_tags",
]


def _walk(cls: type[Any], prefix: str) -> Iterator[tuple[str, ValueKind]]:
    from disclosure_schema.model._values import value_kind  # noqa: PLC0415 - import cycle

    for field in attrs.fields(attrs.resolve_types(cls)):
        kind = value_kind(field)
        if kind is not None:
            yield f"{prefix}{field.name}", kind
        elif isinstance(field.type, type) and attrs.has(field.type):
            yield from _walk(field.type, f"{prefix}{field.name}.")


@attrs.frozen(kw_only=True)
class TemplateSpec:
    """One template, declared: its tag, report class, labels and years.

    ``first_year``/``last_year`` are the report years the template is used for
    (``last_year`` ``None``: still in use). ``document`` names the notice that issued it.
    """

    tag: str
    report_class: type[Any]
    labels: TemplateLabels
    first_year: int
    last_year: int | None = None
    document: str = ""
    section_titles: dict[str, Label] = attrs.field(factory=dict)

    @cached_property
    def _value_kinds(self) -> dict[str, ValueKind]:
        return dict(_walk(self.report_class, ""))

    def value_kinds(self) -> dict[str, ValueKind]:
        """Every cell key with its :class:`ValueKind`, in template order."""
        return dict(self._value_kinds)

    @cached_property
    def _cell_kinds(self) -> dict[str, CellKind]:
        return {key: kind.name for key, kind in self._value_kinds.items()}

    def cell_kinds(self) -> dict[str, CellKind]:
        """Every cell key with its kind name, in template order (a shared dict: do not
        change it)."""
        return self._cell_kinds

    def cell_units(self) -> dict[str, str]:
        """The unit the template prints for a cell (e.g. 万元), for the cells that have one."""
        return {
            key: unit
            for key, kind in self._value_kinds.items()
            if (unit := getattr(kind, "unit", None)) is not None
        }

    @cached_property
    def _cell_labels(self) -> dict[str, CellLabel]:
        found: dict[str, CellLabel] = {}
        for block in self.labels.proactive_blocks:
            for row in block.rows:
                for column in block.columns:
                    key = f"{row.key}.{column.key}"
                    found[key] = CellLabel(key, "proactive", row, column)
        for section, rows, columns in (
            ("requests", self.labels.request_rows, self.labels.request_columns),
            ("appeals", self.labels.appeal_rows, self.labels.appeal_columns),
        ):
            for row in rows:
                for column in columns:
                    key = f"{row.key}.{column.key}"
                    found[key] = CellLabel(key, section, row, column)
        order = self._cell_kinds
        if set(found) != set(order):
            raise ValueError(
                f"the labels and the report class of template {self.tag} disagree on"
                f" cells: {sorted(set(found) ^ set(order))}"
            )
        return {key: found[key] for key in order}

    def cell_labels(self) -> dict[str, CellLabel]:
        """The labels of every cell, by cell key, in template order."""
        return self._cell_labels

    def article20_items(self) -> tuple[int, ...]:
        """The article 20 item numbers of section 二's blocks, in order."""
        return tuple(block.item for block in self.labels.proactive_blocks)

    def article20_block(self, item: int) -> ProactiveBlock:
        """The block of an article 20 item; ``KeyError`` when the template has none."""
        for block in self.labels.proactive_blocks:
            if block.item == item:
                return block
        raise KeyError(f"template {self.tag} has no article 20 item {item}")

    def request_columns(self) -> tuple[ColumnSpec, ...]:
        """The applicant columns of table 三, in order."""
        return self.labels.request_columns

    def request_rows(self) -> tuple[RowSpec, ...]:
        """The rows of table 三, in order."""
        return self.labels.request_rows

    def appeal_cells(self) -> tuple[str, ...]:
        """The cell keys of table 四, row by row, in reading order."""
        return tuple(
            f"{row.key}.{column.key}"
            for row in self.labels.appeal_rows
            for column in self.labels.appeal_columns
        )

    def request_groups(self) -> dict[str, Label]:
        """The groups of table 三 rows (（三）不予公开 …) by their key part, in order."""
        groups: dict[str, Label] = {}
        for row in self.labels.request_rows:
            if row.group is not None:
                groups.setdefault(row.key.rsplit(".", 1)[0].rsplit(".", 1)[-1], row.group)
        return groups

    def covers(self, year: int) -> bool:
        """Whether reports on ``year`` use this template."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


_REGISTRY: Final[dict[str, TemplateSpec]] = {}
_OFFICIAL: Final[list[str]] = []
_LOCK = threading.Lock()


def _load_official() -> None:
    if _OFFICIAL:
        return
    with _LOCK:
        if _OFFICIAL:
            return
        from disclosure_schema.model.v2019 import Report2019  # noqa: PLC0415 - import cycle
        from disclosure_schema.model.v2021 import Report2021  # noqa: PLC0415
        from disclosure_schema.template import _official  # noqa: PLC0415

        for spec in (
            TemplateSpec(
                tag="2019",
                report_class=Report2019,
                labels=_official.LABELS_2019,
                first_year=2019,
                last_year=2020,
                document="国办公开办函〔2019〕60号",
                section_titles=_official.SECTION_TITLES,
            ),
            TemplateSpec(
                tag="2021",
                report_class=Report2021,
                labels=_official.LABELS_2021,
                first_year=2021,
                document="国办公开办函〔2021〕30号",
                section_titles=_official.SECTION_TITLES,
            ),
        ):
            _register(spec)
            _OFFICIAL.append(spec.tag)


def _register(spec: TemplateSpec) -> None:
    if getattr(spec.report_class, "template", None) != spec.tag:
        raise ValueError(f"{spec.report_class.__name__}.template must be the ClassVar {spec.tag!r}")
    if spec.labels.template != spec.tag:
        raise ValueError(f"labels of template {spec.labels.template!r} given for {spec.tag!r}")
    spec.cell_labels()  # labels and class agree cell for cell, or ValueError
    _REGISTRY[spec.tag] = spec


def register_template(spec: TemplateSpec) -> TemplateSpec:
    """Add a template (a new official revision, or a test's own) to the registry.

    The codec, the JSON Schema, the label tables and the renderers then handle it.
    Raises ``ValueError`` when the tag is taken or the labels and class disagree.
    """
    _load_official()
    if spec.tag in _REGISTRY:
        raise ValueError(f"template {spec.tag!r} is already registered")
    _register(spec)
    return spec


def unregister_template(tag: str) -> None:
    """Remove a template added by :func:`register_template` (not an official one)."""
    _load_official()
    if tag in _OFFICIAL:
        raise ValueError(f"template {tag!r} is official and cannot be removed")
    _REGISTRY.pop(tag, None)


def template_spec(tag: str) -> TemplateSpec:
    """The spec of a template tag; ``ValueError`` naming the known tags otherwise."""
    _load_official()
    try:
        return _REGISTRY[tag]
    except (KeyError, TypeError):
        known = " or ".join(repr(t) for t in _REGISTRY)
        raise ValueError(f"unknown template {tag!r}: expected {known}") from None


def template_tags(*, official: bool = False) -> tuple[str, ...]:
    """Every registered template tag, the official ones first (oldest first)."""
    _load_official()
    return tuple(_OFFICIAL) if official else tuple(_REGISTRY)


def template_for_year(year: int) -> str | None:
    """The official template reports on ``year`` use, or ``None`` before the first."""
    _load_official()
    for tag in _OFFICIAL:
        if _REGISTRY[tag].covers(year):
            return tag
    return None


def default_template(year: int | None = None) -> str:
    """The template a new report on ``year`` takes: the official one that covers the year,
    else (no year, or a year no template covers) the newest official template."""
    found = None if year is None else template_for_year(year)
    return found or template_tags(official=True)[-1]
