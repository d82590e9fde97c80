"""Field helpers for cells: one place defines what a count, a signed change and an
amount are, and records the kind in the field metadata so the codec and the JSON
Schema can read it back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final, Literal, TypeVar

import attrs

from disclosure_schema.errors import FieldValueError

CellKind = Literal["count", "signed", "amount"]

#: metadata key under which a cell field records its :data:`CellKind`.
KIND: Final = "disclosure_schema.kind"


def _where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def _check_count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if type(value) is not int:
        raise FieldValueError(
            f"{_where(instance, attribute)}: expected a non-negative int or None,"
            f" got {type(value).__name__} {value!r}"
        )
    if value < 0:
        raise FieldValueError(
            f"{_where(instance, attribute)}: a count cannot be negative, got {value}"
        )


def _check_signed(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and type(value) is not int:
        raise FieldValueError(
            f"{_where(instance, attribute)}: expected an int or None,"
            f" got {type(value).__name__} {value!r}"
        )


def _check_amount(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if type(value) is not Decimal:
        raise FieldValueError(
            f"{_where(instance, attribute)}: expected a Decimal or None,"
            f" got {type(value).__name__} {value!r}"
        )
    if not value.is_finite() or value < 0:
        raise FieldValueError(
            f"{_where(instance, attribute)}: an amount must be finite and not negative, got {value}"
        )


def count() -> Any:
    """A non-negative integer cell; ``None`` when the report left it empty."""
    return attrs.field(default=None, validator=_check_count, metadata={KIND: "count"})


def signed() -> Any:
    """A signed integer cell (本年增/减); ``None`` when empty."""
    return attrs.field(default=None, validator=_check_signed, metadata={KIND: "signed"})


def amount() -> Any:
    """A non-negative :class:`~decimal.Decimal` cell (money); ``None`` when empty."""
    return attrs.field(default=None, validator=_check_amount, metadata={KIND: "amount"})


_Part = TypeVar("_Part")


def part(cls: type[_Part]) -> Any:
    """A nested part (a row, table or section) of exactly the class ``cls``.

    The check is what makes a 2019 report unable to hold a 2021 table at run time,
    not only for a type checker.
    """

    def check_part(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not cls:
            raise FieldValueError(
                f"{_where(instance, attribute)}: expected {cls.__name__},"
                f" got {type(value).__name__}"
            )

    return attrs.field(factory=cls, validator=check_part)


def items(cls: type[Any]) -> Any:
    """A tuple of values of class ``cls`` (a list is refused: the model is immutable)."""

    def check_items(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not tuple:
            raise FieldValueError(
                f"{_where(instance, attribute)}: expected a tuple, got {type(value).__name__}"
            )
        for index, item in enumerate(value):
            if not isinstance(item, cls):
                raise FieldValueError(
                    f"{_where(instance, attribute)}[{index}]: expected {cls.__name__},"
                    f" got {type(item).__name__}"
                )

    return attrs.field(default=(), validator=check_items)


def cell_kind(attribute: attrs.Attribute[Any]) -> CellKind | None:
    """The kind of a cell field, or ``None`` for a field that is not a cell."""
    kind: CellKind | None = attribute.metadata.get(KIND)
    return kind
