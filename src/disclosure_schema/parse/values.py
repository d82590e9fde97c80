"""Cell text → value: empty, count, signed count or amount with its unit.

A value that cannot be read exactly is kept as written and reported, never guessed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Final, Literal, NamedTuple

from disclosure_schema.template import AMOUNT, COUNT, SIGNED

# Page lines repeat (labels, "0"): reading each distinct text once pays.
_CACHE_SIZE = 8192

__all__ = [
    "CellReading",
    "canonical_text",
    "held_by_model",
    "is_value_like",
    "read_cell",
    "strip_footnote_marks",
]

Kind = Literal["count", "signed", "amount"]

#: Texts that mean "left empty" in real reports.
BLANKS: Final = frozenset({"", "/", "-", "—", "——", "–", "_", "__", "\\", "－", "/ ", "无", "－－"})
_COUNT_SUFFIXES: Final = ("件", "项", "条", "个", "宗", "次", "家", "人")
_UNITS: Final = ("万元", "元")
_NUMBER = re.compile(r"[+\-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_DIGIT = re.compile(r"\d")
_NUMBERED_LABEL = re.compile(r"^\d{1,2}[.、][\u4e00-\u9fff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MAX_VALUE_CHARS: Final = 16
_MAX_DIGITS: Final = 15


# Footnote marks after a number ("12①", "12*", "12¹"): NFKC would turn most of them into
# digits ("121"), so they go before normalization.
_FOOTNOTE_MARKS = re.compile(
    r"(?<=[0-9０-９])\s*[\u2460-\u24ff\u2776-\u2793\u00b9\u00b2\u00b3\u2070-\u209f"
    r"*＊※△▲#＃]+\s*$|(?<=[0-9０-９])\s*[(（]?注[0-9０-９]?[)）]?\s*$"
)


def strip_footnote_marks(text: str) -> str:
    """``text`` without footnote marks after its number (``"12①"`` → ``"12"``)."""
    return _FOOTNOTE_MARKS.sub("", text)


def _clean(text: str) -> str:
    folded = unicodedata.normalize("NFKC", strip_footnote_marks(text))
    folded = folded.replace("—", "-").replace("－", "-").replace("−", "-").replace("＋", "+")
    return "".join(folded.split())


_KINDS: Final = {"count": COUNT, "signed": SIGNED, "amount": AMOUNT}


def held_by_model(value: int | Decimal, kind: Kind) -> tuple[int | Decimal, str | None]:
    """``value`` as the model keeps a value of ``kind`` (an amount normalized), and why
    the model cannot hold it (``None`` when it can): the kind's own check, so a reader
    can leave one cell empty instead of failing to build the report."""
    value_kind = _KINDS[kind]
    if kind == "amount":
        value = value_kind.normalize(value)  # type: ignore[assignment]
    return value, value_kind.problem(value)


class CellReading(NamedTuple):
    """What a cell says: ``value`` (``None`` for empty or unreadable), the unit the text
    stated, and whether the text could be read at all (a light tuple: one per cell)."""

    value: int | Decimal | None
    unit: str | None = None
    readable: bool = True
    blank: bool = False


@functools.lru_cache(maxsize=_CACHE_SIZE)
def is_value_like(text: str) -> bool:
    """Whether a cell text looks like a table value (a number, a blank marker, or a short
    text with digits such as ``约30``) rather than a label or prose."""
    if text.isascii() and text.isdigit():
        return True
    cleaned = _clean(text)
    if cleaned in BLANKS or text.strip() in BLANKS:
        return True
    if _NUMBER.fullmatch(cleaned):
        return True  # a number however long ("1000000000.000000")
    if len(cleaned) > _MAX_VALUE_CHARS or not _DIGIT.search(cleaned):
        return False
    if _NUMBERED_LABEL.match(cleaned):
        return False
    return len(_CJK.findall(cleaned)) <= 2


@functools.lru_cache(maxsize=_CACHE_SIZE)
def read_cell(text: str, kind: Kind) -> CellReading:
    """Read one cell as a value of ``kind``; unreadable text gives ``readable=False``."""
    if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS:
        plain = int(text)
        return CellReading(Decimal(plain) if kind == "amount" else plain)
    cleaned = _clean(text)
    if cleaned in BLANKS or text.strip() in BLANKS:
        return CellReading(None, blank=True)
    unit: str | None = None
    for suffix in _UNITS:
        if cleaned.endswith(suffix):
            unit, cleaned = suffix, cleaned[: -len(suffix)]
            break
    else:
        for suffix in _COUNT_SUFFIXES:
            if cleaned.endswith(suffix):
                cleaned = cleaned[: -len(suffix)]
                break
    if not _NUMBER.fullmatch(cleaned):
        return CellReading(None, readable=False)
    number = cleaned.replace(",", "")
    significant = number.rstrip("0").rstrip(".") if "." in number else number
    if sum(ch.isdigit() for ch in significant) > _MAX_DIGITS:
        return CellReading(None, readable=False)  # no report counts beyond this; JSON-safe
    if kind == "amount":
        try:
            amount = Decimal(number)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return CellReading(None, readable=False)
        if amount < 0 or number.startswith("+"):
            return CellReading(None, readable=False)
        amount, problem = held_by_model(amount, "amount")  # type: ignore[assignment]
        if problem is not None:
            # more digits than the model holds: kept as written, never the report lost
            return CellReading(None, readable=False)
        return CellReading(amount, unit)
    if unit is not None or "." in number:
        return CellReading(None, readable=False)
    value = int(number)
    if kind == "count" and (value < 0 or number.startswith("+")):
        return CellReading(None, readable=False)
    if held_by_model(value, kind)[1] is not None:  # pragma: no cover - 15 digits always fit
        return CellReading(None, readable=False)
    return CellReading(value)


def canonical_text(value: int | Decimal | None) -> str:
    """How a value is written when nothing about its text is special."""
    return "" if value is None else str(value)
