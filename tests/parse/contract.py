"""The parser's contract, as a check tests share: every cell is the true value, or None
with a warning or error diagnostic whose ``key`` names the cell, its row or its table."""

from __future__ import annotations

from collections.abc import Mapping

from disclosure_schema import cells
from disclosure_schema.parse import ParseResult

__all__ = ["contract_breaches", "covered"]

# diagnostics without a key that speak for every cell they leave out
_WHOLE_PAGE = frozenset(("no_report", "truncated", "table_too_large", "input_too_large"))


def covered(key: str, result: ParseResult) -> bool:
    """Whether a warning or error diagnostic of ``result`` names ``key``, its row or table."""
    for diagnostic in result.diagnostics:
        if diagnostic.severity == "info":
            continue
        if diagnostic.key is None and diagnostic.code in _WHOLE_PAGE:
            return True
        named = diagnostic.key
        if named and (key == named or key.startswith(named + ".")):
            return True
    return False


def contract_breaches(result: ParseResult, truth: Mapping[str, object]) -> list[str]:
    """Cells that break the contract: a wrong value, or an empty one nobody explained."""
    got = cells(result.report) if result.report is not None else {}
    breaches: list[str] = []
    for key, value in truth.items():
        read = got.get(key)
        if read == value:
            continue
        if read is None:
            if not covered(key, result):
                breaches.append(f"{key}: empty without a diagnostic (true {value!r})")
            continue
        breaches.append(f"{key}: read {read!r}, true {value!r}")
    return breaches
