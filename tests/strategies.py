"""Hypothesis strategies that build any valid report of either template.

Built from the model's own fields, so a new field is covered without touching this file.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

import attrs
from hypothesis import strategies as st

from disclosure_schema import ExtraRow, Meta, Report, WrittenValue, cell_kinds, report_class
from disclosure_schema.model._values import ARTICLE_20_ITEMS, cell_kind, value_kind
from disclosure_schema.template import template_spec

# Lone surrogates cannot be written as UTF-8; every other character can appear in a report.
texts = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)
counts = st.none() | st.integers(min_value=0, max_value=10**7)
signed = st.none() | st.integers(min_value=-(10**7), max_value=10**7)
amounts = st.none() | st.integers(min_value=0, max_value=6).flatmap(
    lambda places: st.decimals(
        min_value=0, max_value=10**9, places=places, allow_nan=False, allow_infinity=False
    )
)
_CELLS = {"count": counts, "signed": signed, "amount": amounts}

metas = st.builds(
    Meta,
    issuer=st.none() | texts,
    year=st.none() | st.integers(min_value=1990, max_value=2100),
    title=st.none() | texts,
    published=st.none() | st.dates(min_value=dt.date(1990, 1, 1)),
    source_url=st.none() | texts,
    contact=st.none() | texts,
    region=st.none() | texts,
)


def extra_rows_of(template: str) -> st.SearchStrategy[ExtraRow]:
    """Extra rows under the article 20 items of one template (or any item: a report may
    keep a block its template dropped)."""
    items = template_spec(template).article20_items()
    return st.builds(
        ExtraRow,
        item=st.sampled_from(items) | st.sampled_from(ARTICLE_20_ITEMS),
        label=texts,
        values=st.lists(st.none() | st.integers(0, 10**6) | amounts, max_size=4).map(tuple),
        as_written=st.lists(texts, max_size=4).map(tuple),
    )


extra_rows = extra_rows_of("2019")


def _written_values(template: str) -> st.SearchStrategy[WrittenValue]:
    return st.builds(
        WrittenValue,
        key=st.sampled_from(list(cell_kinds(template))),
        text=texts,
        unit=st.none() | st.sampled_from(["万元", "元", "件"]),
    )


def _strategy_for(type_: Any, template: str) -> st.SearchStrategy[Any]:
    if type_ is Meta:
        return metas
    if type_ is ExtraRow:
        return extra_rows_of(template)
    if type_ is WrittenValue:
        return _written_values(template)
    if type_ is str:
        return texts
    if typing.get_origin(type_) is tuple:
        item = _strategy_for(typing.get_args(type_)[0], template)
        return st.lists(item, max_size=3).map(tuple)
    if isinstance(type_, type) and attrs.has(type_):
        return _builds(type_, template)
    raise TypeError(f"no strategy for {type_!r}")


def _builds(cls: type[Any], template: str, *, edges: bool = False) -> st.SearchStrategy[Any]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(attrs.resolve_types(cls)):
        kind = cell_kind(field)
        value_kind_ = value_kind(field)
        if edges and value_kind_ is not None:
            fields[field.name] = value_kind_.valid_strategy()
        elif kind:
            fields[field.name] = _CELLS[kind]
        elif (
            edges
            and isinstance(field.type, type)
            and attrs.has(field.type)
            and field.type not in (Meta, ExtraRow, WrittenValue)
        ):
            fields[field.name] = _builds(field.type, template, edges=True)
        else:
            fields[field.name] = _strategy_for(field.type, template)
    return st.builds(cls, **fields)


def reports_of(template: str, *, edges: bool = False) -> st.SearchStrategy[Report]:
    """Any valid report of one template; with ``edges``, cells take every value their
    kind allows, its limits included (2**53 − 1, 15 + 10 digit amounts, -0, 0E-10)."""
    strategy: st.SearchStrategy[Report] = _builds(report_class(template), template, edges=edges)
    return strategy


reports = st.one_of(reports_of("2019"), reports_of("2021"))
"""Any valid report of either template."""
