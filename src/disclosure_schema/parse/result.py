"""What a parse returns: the report as far as it could be read, and diagnostics."""

from __future__ import annotations

from typing import Literal

import attrs

from disclosure_schema.model import Report

__all__ = ["Diagnostic", "ParseResult", "Severity"]

Severity = Literal["error", "warning", "info"]


@attrs.frozen
class Diagnostic:
    """One thing the parser noticed.

    ``code`` is stable (see docs/parsing.md); ``key`` is the cell key where there is one;
    ``line`` (1-based, text input) or ``path`` (element path, HTML input) say where.
    """

    code: str
    severity: Severity
    message: str
    key: str | None = None
    line: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else (self.path or "")
        parts = [self.severity, self.code]
        if where:
            parts.append(where)
        if self.key:
            parts.append(self.key)
        return f"{': '.join(parts)}: {self.message}"


@attrs.frozen
class ParseResult:
    """The report read from a page (``None`` when no report was found) and diagnostics."""

    report: Report | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def found(self) -> bool:
        """Whether a report (even a partial one) was read."""
        return self.report is not None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity ``error``."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity ``warning``."""
        return tuple(d for d in self.diagnostics if d.severity == "warning")
