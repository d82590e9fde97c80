"""Field helpers: every field of the model is checked by one of these.

Cells take their check from a :class:`~disclosure_schema.template.ValueKind` (recorded in
the field metadata so the codec, the JSON Schema and the strategies read it back); the
other fields (text, dates, years, nested parts, tuples) are checked here. Every failure is
a :class:`~disclosure_schema.errors.FieldValueError` naming the class and field.

A validator marked *mirrored* is one whose every rule the codec's msgspec mirror types
enforce before any object is built; a class whose validators are all mirrored may be
filled by the fast decoder without running ``__init__``. A validator without the mark
(a new, stricter rule) makes the decoder run ``__init__``: correct by construction.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from disclosure_schema.errors import FieldValueError
from disclosure_schema.template._kinds import (
    AMOUNT,
    COUNT,
    SIGNED,
    AmountKind,
    CellKind,
    ValueKind,
    describe,
)
from disclosure_schema.template._labels import ARTICLE_20_NUMERALS

#: metadata key under which a cell field records its :data:`CellKind` name.
KIND: Final = "disclosure_schema.kind"
#: metadata key under which a cell field records its :class:`ValueKind`.
VALUE_KIND: Final = "disclosure_schema.value_kind"
#: attribute set on validators and converters the codec's mirror types enforce.
MIRRORED: Final = "__disclosure_schema_mirrored__"

#: The article 20 items a block of section 二 can have, in any template.
ARTICLE_20_ITEMS: Final = tuple(ARTICLE_20_NUMERALS)
#: The earliest report year.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 9999

_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
_F = TypeVar("_F", bound=Callable[..., Any])


def mirrored(function: _F) -> _F:
    """Mark a validator or converter as enforced by the codec's mirror types."""
    setattr(function, MIRRORED, True)
    return function


def _kind_validator(kind: ValueKind) -> _Validator:
    @mirrored
    def check_cell(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        problem = kind.problem(value)
        if problem is not None:
            raise FieldValueError.at(instance, attribute.name, problem)

    return check_cell


def cell(kind: ValueKind) -> Any:
    """A cell field of ``kind``; ``None`` when the report left it empty."""
    converter = None
    if isinstance(kind, AmountKind):

        @mirrored
        def normalize(value: object) -> object:
            return kind.normalize(value)

        converter = normalize
    return attrs.field(
        default=None,
        converter=converter,
        validator=_kind_validator(kind),
        metadata={KIND: kind.name, VALUE_KIND: kind},
    )


def count() -> Any:
    """A non-negative integer cell; ``None`` when the report left it empty."""
    return cell(COUNT)


def signed() -> Any:
    """A signed integer cell (本年增/减); ``None`` when empty."""
    return cell(SIGNED)


def amount(unit: str | None = None) -> Any:
    """A non-negative :class:`~decimal.Decimal` cell (money); ``None`` when empty.

    ``unit`` is the unit the template prints (万元), ``None`` when the report states it.
    """
    return cell(AMOUNT if unit is None else AmountKind(unit))


# --- text, dates, years, items -----------------------------------------------------------


def text_problem(value: object) -> str | None:
    """Why ``value`` cannot be a text field (not a str, or not writable as UTF-8)."""
    if type(value) is not str:
        return f"expected a string, got {describe(value)}"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "a string cannot hold a lone surrogate (it cannot be written as UTF-8)"
    return None


@mirrored
def _check_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = text_problem(value)
    if problem is not None:
        raise FieldValueError.at(instance, attribute.name, problem)


@mirrored
def _check_optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _check_text(instance, attribute, value)


def text() -> Any:
    """A required text field."""
    return attrs.field(validator=_check_text)


def optional_text() -> Any:
    """A text field that may be ``None``."""
    return attrs.field(default=None, validator=_check_optional_text)


def year_problem(value: object) -> str | None:
    """Why ``value`` cannot be a report year."""
    if value is None:
        return None
    if type(value) is not int:
        return f"expected an integer or null, got {describe(value)}"
    if not MIN_YEAR <= value <= MAX_YEAR:
        return f"a report year must be from {MIN_YEAR} to {MAX_YEAR}, got {value}"
    return None


@mirrored
def _check_year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = year_problem(value)
    if problem is not None:
        raise FieldValueError.at(instance, attribute.name, problem)


def year() -> Any:
    """A report year (``None`` when unknown)."""
    return attrs.field(default=None, validator=_check_year)


@mirrored
def _check_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # exactly a date: a datetime (a subclass) would be written with its time and refused
    if value is not None and type(value) is not _dt.date:
        raise FieldValueError.at(
            instance, attribute.name, f"expected a datetime.date or null, got {describe(value)}"
        )


def date() -> Any:
    """A calendar date (``None`` when unknown)."""
    return attrs.field(default=None, validator=_check_date)


def item_problem(value: object) -> str | None:
    """Why ``value`` cannot be an article 20 item number."""
    if type(value) is not int or value not in ARTICLE_20_ITEMS:
        items = ", ".join(map(str, ARTICLE_20_ITEMS))
        return f"expected an article 20 item ({items}), got {describe(value)}"
    return None


@mirrored
def _check_item(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = item_problem(value)
    if problem is not None:
        raise FieldValueError.at(instance, attribute.name, problem)


def article20_item() -> Any:
    """The article 20 item number of a block of section 二."""
    return attrs.field(validator=_check_item)


def extra_value_problem(value: object) -> str | None:
    """Why ``value`` cannot be a number of an extra row: a signed count, an amount, or None."""
    if value is None:
        return None
    if type(value) is int:
        return SIGNED.problem(value)
    if type(value) is Decimal:
        return AMOUNT.problem(value)
    return f"expected an integer, a decimal or null, got {describe(value)}"


@mirrored
def _normalize_extra_values(value: object) -> object:
    if type(value) is tuple:
        return tuple(AMOUNT.normalize(v) if type(v) is Decimal else v for v in value)
    return value


@mirrored
def _check_extra_values(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not tuple:
        raise FieldValueError.at(
            instance, attribute.name, f"expected a tuple, got {type(value).__name__}"
        )
    for index, item in enumerate(value):
        problem = extra_value_problem(item)
        if problem is not None:
            raise FieldValueError.at(instance, f"{attribute.name}[{index}]", problem)


def extra_values() -> Any:
    """The numbers of an extra row: a tuple of ints, Decimals and ``None``."""
    return attrs.field(default=(), converter=_normalize_extra_values, validator=_check_extra_values)


# --- nested parts and tuples --------------------------------------------------------------

_Part = TypeVar("_Part")


def part(cls: type[_Part]) -> Any:
    """A nested part (a row, table or section) of exactly the class ``cls``.

    The check is what makes a 2019 report unable to hold a 2021 table at run time,
    not only for a type checker.
    """

    @mirrored
    def check_part(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not cls:
            raise FieldValueError.at(
                instance, attribute.name, f"expected {cls.__name__}, got {type(value).__name__}"
            )

    return attrs.field(factory=cls, validator=check_part)


def items(cls: type[Any]) -> Any:
    """A tuple of values of class ``cls`` (a list is refused: the model is immutable)."""

    @mirrored
    def check_items(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not tuple:
            raise FieldValueError.at(
                instance, attribute.name, f"expected a tuple, got {type(value).__name__}"
            )
        for index, item in enumerate(value):
            if cls is str:
                problem = text_problem(item)
                if problem is not None:
                    raise FieldValueError.at(instance, f"{attribute.name}[{index}]", problem)
            elif type(item) is not cls:
                raise FieldValueError.at(
                    instance,
                    f"{attribute.name}[{index}]",
                    f"expected {cls.__name__}, got {type(item).__name__}",
                )

    return attrs.field(default=(), validator=check_items)


@mirrored  # the codec's mirror of a report types each as_written key as a Literal of its cells
def _check_written_values(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value == ():
        return
    from disclosure_schema.model.common import WrittenValue  # noqa: PLC0415 - import cycle
    from disclosure_schema.template._spec import template_spec  # noqa: PLC0415

    if type(value) is not tuple:
        raise FieldValueError.at(
            instance, attribute.name, f"expected a tuple, got {type(value).__name__}"
        )
    spec = template_spec(instance.template)
    keys = spec.cell_kinds()
    for index, item in enumerate(value):
        if type(item) is not WrittenValue:
            raise FieldValueError.at(
                instance,
                f"{attribute.name}[{index}]",
                f"expected WrittenValue, got {type(item).__name__}",
            )
        if item.key not in keys:
            raise FieldValueError.at(
                instance,
                f"{attribute.name}[{index}].key",
                f"not a cell key of template {spec.tag}: {describe(item.key)}",
            )


def written_values() -> Any:
    """A report's ``as_written`` tuple; checks every key is a cell of the report's
    template. (Extra rows may name any article 20 item: a report on the 2021 template
    that keeps the old 第二十条第（九）项 block keeps its rows.)"""
    return attrs.field(default=(), validator=_check_written_values)


def cell_kind(attribute: attrs.Attribute[Any]) -> CellKind | None:
    """The kind name of a cell field, or ``None`` for a field that is not a cell."""
    kind: CellKind | None = attribute.metadata.get(KIND)
    return kind


def value_kind(attribute: attrs.Attribute[Any]) -> ValueKind | None:
    """The :class:`ValueKind` of a cell field, or ``None`` for a field that is not a cell."""
    kind: ValueKind | None = attribute.metadata.get(VALUE_KIND)
    return kind


__all__ = [
    "ARTICLE_20_ITEMS",
    "KIND",
    "MIRRORED",
    "VALUE_KIND",
    "CellKind",
    "amount",
    "article20_item",
    "cell",
    "cell_kind",
    "count",
    "date",
    "extra_value_problem",
    "extra_values",
    "item_problem",
    "items",
    "mirrored",
    "optional_text",
    "part",
    "signed",
    "text",
    "text_problem",
    "value_kind",
    "written_values",
    "year",
    "year_problem",
]
