"""Value kinds: what a count, a signed change and an amount are, each in one place.

A :class:`ValueKind` owns every way the library touches a cell value of its kind: the
Python check the model constructor runs (:meth:`ValueKind.problem`), the normalization
the constructor applies first (:meth:`ValueKind.normalize`), reading and writing JSON
(:meth:`ValueKind.from_json`, :meth:`ValueKind.to_json`), the msgspec type of the fast
decoder, the JSON Schema fragment, the plain-digits text, and a hypothesis strategy
with the boundary values. The constructor and the JSON reader share the same problem
messages, so a value the constructor refuses is refused by ``from_json`` in the same words.

Ranges (documented in docs/data-model.md):

- a count is an ``int`` (not a ``bool``), ``0 ≤ n ≤ 2**53 − 1``;
- a signed change is an ``int``, ``|n| ≤ 2**53 − 1`` (every integer a JavaScript or
  spreadsheet reader holds exactly);
- an amount is a finite, non-negative :class:`~decimal.Decimal` with at most
  :data:`MAX_AMOUNT_INTEGER_DIGITS` digits before the point and
  :data:`MAX_AMOUNT_FRACTION_DIGITS` after it (so sums of thousands of amounts stay exact
  in the default 28-digit decimal context). The constructor normalizes ``-0`` to ``0``
  and an exponent to plain digits (``Decimal("1E+2")`` becomes ``Decimal("100")``), so
  what it holds is exactly what JSON gives back.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Final, Literal

import attrs
import msgspec

if TYPE_CHECKING:  # hypothesis is a test dependency, imported only when a strategy is asked for
    from hypothesis.strategies import SearchStrategy

__all__ = [
    "AMOUNT",
    "AMOUNT_PATTERN",
    "COUNT",
    "KINDS",
    "MAX_AMOUNT_FRACTION_DIGITS",
    "MAX_AMOUNT_INTEGER_DIGITS",
    "MAX_INTEGER",
    "SIGNED",
    "AmountKind",
    "CellKind",
    "CountKind",
    "HugeInteger",
    "KindProblem",
    "SignedKind",
    "ValueKind",
    "describe",
    "plain_digits",
]

CellKind = Literal["count", "signed", "amount"]

#: The largest count (and the largest size of a signed change): 2**53 − 1, the largest
#: integer every JSON reader (JavaScript's included) holds exactly.
MAX_INTEGER: Final = 2**53 - 1
#: Digits an amount may have before and after the decimal point.
MAX_AMOUNT_INTEGER_DIGITS: Final = 15
MAX_AMOUNT_FRACTION_DIGITS: Final = 10
#: How an amount is written in JSON: a string of plain digits, so no float can round it.
AMOUNT_PATTERN: Final = (
    rf"^[0-9]{{1,{MAX_AMOUNT_INTEGER_DIGITS}}}(\.[0-9]{{1,{MAX_AMOUNT_FRACTION_DIGITS}}})?$"
)
_AMOUNT_RE: Final = re.compile(AMOUNT_PATTERN)
_SHOWN_DIGITS: Final = 100
_SHOWN_CHARS: Final = 40


class KindProblem(ValueError):
    """A value does not fit its kind; the text is the problem, without a place."""


@attrs.frozen
class HugeInteger:
    """A JSON integer too long to be made a Python int (over 4,000 digits): its length."""

    digits: int


def _show_int(value: int) -> str:
    # Exact digits up to 100 (a too-large count shows what was written); beyond that
    # Python would refuse to print the number at all (int_max_str_digits).
    if -(10**_SHOWN_DIGITS) < value < 10**_SHOWN_DIGITS:
        return str(value)
    return f"a number of more than {_SHOWN_DIGITS} digits"


def _show_text(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"


def describe(value: object) -> str:
    """How a value is named in a problem message, in JSON words (``null``, ``boolean
    true``, ``integer 5``, ``string "x"``); a Python value JSON cannot hold is named by
    its type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, str):
        return f'string "{_show_text(value)}"'
    if isinstance(value, int):
        return f"integer {_show_int(value)}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Decimal):
        return f"Decimal {_show_text(str(value))}"
    if isinstance(value, HugeInteger):
        return f"integer of {value.digits} digits"
    return type(value).__name__


def _amount_shape(value: Decimal) -> tuple[int, int]:
    """(digits before the point, digits after it) of a finite decimal in plain form,
    computed without writing the digits out (``1E+999999`` must not allocate a megabyte)."""
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    fraction = max(-exponent, 0)
    if not any(digits):
        return 1, fraction
    significant = len(digits) - next(i for i, d in enumerate(digits) if d)
    return max(significant + exponent, 1), fraction


def plain_digits(value: int | Decimal) -> str:
    """A number as plain digits: no exponent, no grouping, ``-`` for negatives.

    >>> from decimal import Decimal
    >>> plain_digits(Decimal("1E+2")), plain_digits(Decimal("160.5964")), plain_digits(-3)
    ('100', '160.5964', '-3')
    """
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@attrs.frozen
class ValueKind:
    """One kind of cell value. Subclasses: :class:`CountKind`, :class:`SignedKind`,
    :class:`AmountKind`."""

    name: ClassVar[CellKind]
    #: What the kind is, for docs and messages.
    summary: ClassVar[str]

    def normalize(self, value: object) -> object:
        """The value the constructor stores (a wrong type is returned unchanged for
        :meth:`problem` to refuse)."""
        return value

    def problem(self, value: object) -> str | None:
        """Why ``value`` (already normalized) cannot be a cell of this kind, or ``None``."""
        raise NotImplementedError

    def check(self, value: object) -> object:
        """``value`` normalized, or :class:`KindProblem`."""
        value = self.normalize(value)
        problem = self.problem(value)
        if problem is not None:
            raise KindProblem(problem)
        return value

    def from_json(self, value: object) -> object:
        """The Python value of a JSON value, or :class:`KindProblem` with the message the
        constructor gives for the same value."""
        return self.check(value)

    def to_json(self, value: Any) -> object:
        """The JSON value of a (valid) Python value."""
        return value

    def msgspec_type(self) -> Any:
        """The type msgspec decodes this kind's JSON into, as strict as :meth:`from_json`."""
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of a cell of this kind (``null`` included)."""
        raise NotImplementedError

    def boundary_values(self) -> tuple[object, ...]:
        """Values at and across the edges of the kind: some accepted, some refused."""
        return (
            None,
            0,
            -0,
            1,
            -1,
            MAX_INTEGER,
            MAX_INTEGER + 1,
            -MAX_INTEGER,
            -MAX_INTEGER - 1,
            2**63 - 1,
            2**63,
            2**64,
            -(2**63),
            10**45,
            True,
            False,
            1.0,
            1.5,
            float("nan"),
            "3",
            Decimal("0"),
            Decimal("-0"),
            Decimal("0E-10"),
            Decimal("1E-50"),
            Decimal("1E+50"),
            Decimal("1E+2"),
            Decimal("9.63"),
            Decimal("-1"),
            Decimal("NaN"),
            Decimal("Infinity"),
            Decimal("1234567890123456789012345678901234567890123"),
            Decimal("999999999999999.9999999999"),
            Decimal("1000000000000000"),
            Decimal("0.00000000001"),
        )

    def valid_strategy(self) -> SearchStrategy[Any]:
        """A hypothesis strategy of values the constructor accepts, edges included."""
        raise NotImplementedError

    def strategy(self) -> SearchStrategy[Any]:
        """A hypothesis strategy of any value, accepted or not: the boundary values,
        valid values, and wrong types."""
        from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency

        return st.one_of(
            st.sampled_from(self.boundary_values()),
            self.valid_strategy(),
            st.integers(),
            st.booleans(),
            st.floats(),
            st.decimals(),
        )


def _integer_type_problem(value: object, expected: str) -> str | None:
    if type(value) is not int:
        return f"expected {expected} or null, got {describe(value)}"
    return None


@attrs.frozen
class CountKind(ValueKind):
    """A count: an integer from 0 to 2**53 − 1."""

    name: ClassVar[CellKind] = "count"
    summary: ClassVar[str] = f"integer, 0 ≤ n ≤ {MAX_INTEGER}"

    def problem(self, value: object) -> str | None:
        if value is None:
            return None
        wrong = _integer_type_problem(value, "a non-negative integer")
        if wrong is not None:
            return wrong
        assert isinstance(value, int)
        if value < 0:
            return f"a count cannot be negative, got {_show_int(value)}"
        if value > MAX_INTEGER:
            return f"a count must be at most {MAX_INTEGER}, got {_show_int(value)}"
        return None

    def msgspec_type(self) -> Any:
        return Annotated[int, msgspec.Meta(ge=0, le=MAX_INTEGER)] | None

    def schema(self) -> dict[str, Any]:
        return {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_INTEGER}

    def valid_strategy(self) -> SearchStrategy[Any]:
        from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency

        return st.none() | st.sampled_from((0, 1, MAX_INTEGER)) | st.integers(0, MAX_INTEGER)


@attrs.frozen
class SignedKind(ValueKind):
    """A signed change (本年增/减): an integer of size at most 2**53 − 1."""

    name: ClassVar[CellKind] = "signed"
    summary: ClassVar[str] = f"integer, |n| ≤ {MAX_INTEGER}"

    def problem(self, value: object) -> str | None:
        if value is None:
            return None
        wrong = _integer_type_problem(value, "an integer")
        if wrong is not None:
            return wrong
        assert isinstance(value, int)
        if not -MAX_INTEGER <= value <= MAX_INTEGER:
            return (
                f"a change must be between -{MAX_INTEGER} and {MAX_INTEGER}, got {_show_int(value)}"
            )
        return None

    def msgspec_type(self) -> Any:
        return Annotated[int, msgspec.Meta(ge=-MAX_INTEGER, le=MAX_INTEGER)] | None

    def schema(self) -> dict[str, Any]:
        return {"type": ["integer", "null"], "minimum": -MAX_INTEGER, "maximum": MAX_INTEGER}

    def valid_strategy(self) -> SearchStrategy[Any]:
        from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency

        edges = st.sampled_from((0, -1, MAX_INTEGER, -MAX_INTEGER))
        return st.none() | edges | st.integers(-MAX_INTEGER, MAX_INTEGER)


@attrs.frozen
class AmountKind(ValueKind):
    """An amount of money: a finite, non-negative decimal of at most 15 + 10 digits.

    ``unit`` is the unit the template prints for the cell (e.g. 万元), or ``None`` when
    the report states its own unit.
    """

    unit: str | None = None

    name: ClassVar[CellKind] = "amount"
    summary: ClassVar[str] = (
        f"decimal ≥ 0, at most {MAX_AMOUNT_INTEGER_DIGITS} digits before the point and"
        f" {MAX_AMOUNT_FRACTION_DIGITS} after; JSON: a string of digits"
    )

    def normalize(self, value: object) -> object:
        if type(value) is not Decimal or not value.is_finite():
            return value
        before, after = _amount_shape(value)
        if before > MAX_AMOUNT_INTEGER_DIGITS or after > MAX_AMOUNT_FRACTION_DIGITS:
            return value  # refused by problem(), shown as given
        if value.is_zero():
            value = value.copy_abs()  # -0 and -0.00 are 0 and 0.00
        if value.as_tuple().exponent > 0:  # type: ignore[operator]
            value = Decimal(format(value, "f"))  # 1E+2 → 100: what JSON gives back
        return value

    def problem(self, value: object) -> str | None:
        if value is None:
            return None
        if type(value) is not Decimal:
            return (
                'expected a decimal (in JSON a string of digits such as "9.63") or null,'
                f" got {describe(value)}"
            )
        if not value.is_finite():
            return f"an amount must be a finite number, got {value}"
        if value < 0:
            return f"an amount cannot be negative, got {_show_text(str(value))}"
        before, after = _amount_shape(value)
        if before > MAX_AMOUNT_INTEGER_DIGITS or after > MAX_AMOUNT_FRACTION_DIGITS:
            return (
                f"an amount has at most {MAX_AMOUNT_INTEGER_DIGITS} digits before the point"
                f" and {MAX_AMOUNT_FRACTION_DIGITS} after, got {_show_text(str(value))}"
            )
        return None

    def from_json(self, value: object) -> object:
        if type(value) is str:
            if _AMOUNT_RE.match(value):
                return Decimal(value)
            try:
                number = Decimal(value)
            except InvalidOperation:
                number = None
            if number is not None:
                self.check(number)  # the constructor's own words for -1, NaN, 1E+50 …
            raise KindProblem(
                f'expected a decimal written as plain digits (e.g. "9.63"), got {describe(value)}'
            )
        return self.check(value)

    def to_json(self, value: Any) -> object:
        return None if value is None else format(value, "f")

    def msgspec_type(self) -> Any:
        return Annotated[str, msgspec.Meta(pattern=AMOUNT_PATTERN)] | None

    def schema(self) -> dict[str, Any]:
        return {"type": ["string", "null"], "pattern": AMOUNT_PATTERN}

    def valid_strategy(self) -> SearchStrategy[Any]:
        from hypothesis import strategies as st  # noqa: PLC0415 - a test dependency

        largest = Decimal("9" * MAX_AMOUNT_INTEGER_DIGITS + "." + "9" * MAX_AMOUNT_FRACTION_DIGITS)
        edges = st.sampled_from(
            (Decimal("0"), Decimal("0E-10"), Decimal("-0"), Decimal("1E+2"), largest)
        )
        places = st.integers(min_value=0, max_value=MAX_AMOUNT_FRACTION_DIGITS)
        numbers = places.flatmap(
            lambda p: st.decimals(
                min_value=0,
                max_value=10**MAX_AMOUNT_INTEGER_DIGITS - 1,
                places=p,
                allow_nan=False,
                allow_infinity=False,
            )
        )
        return st.none() | edges | numbers


COUNT: Final = CountKind()
SIGNED: Final = SignedKind()
AMOUNT: Final = AmountKind()
#: The kinds by name (an amount with a unit is still kind ``"amount"``).
KINDS: Final[dict[str, ValueKind]] = {"count": COUNT, "signed": SIGNED, "amount": AMOUNT}
