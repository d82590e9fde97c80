"""A list of check findings, in the words of the labels table."""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from disclosure_schema.checks.findings import Finding
from disclosure_schema.labels import FINDING_FIELDS, SEVERITY_LABELS

__all__ = ["finding_line", "render_findings"]

_SEPARATOR = " · "


def _number(value: int | Decimal | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return f"+{text}" if signed and value > 0 else text


def finding_line(finding: Finding, language: Literal["zh", "en"], *, code: bool = False) -> str:
    """One finding on one line: severity · rule · cells · expected/actual/difference · message.

    ``code`` marks the rule and cell keys as Markdown code spans.
    """

    def mark(text: str) -> str:
        return f"`{text}`" if code else text

    def word(field: str) -> str:
        label = FINDING_FIELDS[field]
        return label.zh if language == "zh" else label.en

    severity = SEVERITY_LABELS[finding.severity]
    parts = [
        severity.zh if language == "zh" else severity.en,
        *([finding.subject] if finding.subject else []),
        mark(finding.rule),
        ", ".join(map(mark, finding.cells)),
        f"{word('expected')} {_number(finding.expected)}",
        f"{word('actual')} {_number(finding.actual)}",
        f"{word('difference')} {_number(finding.difference, signed=True)}",
        finding.message_zh if language == "zh" else finding.message_en,
    ]
    return _SEPARATOR.join(part for part in parts if part)


def render_findings(
    findings: Sequence[Finding],
    *,
    format: Literal["markdown", "text", "html"] = "markdown",
    language: Literal["zh", "en"] = "zh",
) -> str:
    """Findings as a short list, one finding per item, in Markdown, plain text or HTML."""
    if language not in ("zh", "en"):
        raise ValueError(f"unknown language {language!r}: expected 'zh' or 'en'")
    if format == "markdown":
        return "".join(f"- {finding_line(f, language, code=True)}\n" for f in findings)
    if format == "text":
        return "".join(f"- {finding_line(f, language)}\n" for f in findings)
    if format == "html":
        items = "".join(
            f'<li class="finding finding-{f.severity}" data-rule="{html.escape(f.rule)}">'
            f"{html.escape(finding_line(f, language))}</li>\n"
            for f in findings
        )
        return f'<ul class="findings">\n{items}</ul>\n'
    raise ValueError(f"unknown format {format!r}: expected 'markdown', 'text' or 'html'")
