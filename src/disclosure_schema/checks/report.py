"""Findings as a short list for people: Markdown or plain text, in Chinese or English."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

from disclosure_schema.checks.findings import Finding, Severity

__all__ = ["render_findings"]

_SHOWN_CELLS = 4
_SEVERITIES: tuple[Severity, ...] = ("error", "warning", "not_assessable")
_SEVERITY_ZH = {"error": "错误", "warning": "提示", "not_assessable": "无法核对"}
_SEVERITY_EN = {"error": "error", "warning": "warning", "not_assessable": "not assessable"}


def _cells(finding: Finding, markdown: bool) -> str:
    shown = [f"`{cell}`" if markdown else cell for cell in finding.cells[:_SHOWN_CELLS]]
    more = len(finding.cells) - len(shown)
    return ", ".join(shown) + (f" (+{more})" if more else "")


def _summary(findings: list[Finding], zh: bool) -> str:
    counts = Counter(finding.severity for finding in findings)
    names = _SEVERITY_ZH if zh else _SEVERITY_EN
    parts = [f"{names[severity]} {counts[severity]}" for severity in _SEVERITIES]
    if zh:
        return f"共 {len(findings)} 条：" + "，".join(parts)
    return f"{len(findings)} finding(s): " + ", ".join(parts)


def _line(finding: Finding, markdown: bool, zh: bool) -> str:
    severity = (_SEVERITY_ZH if zh else _SEVERITY_EN)[finding.severity]
    head = f"**{severity}** {finding.rule}" if markdown else f"{severity} {finding.rule}"
    if finding.subject:
        head += f" [{finding.subject}]"
    parts = [head]
    if finding.cells:
        parts.append(_cells(finding, markdown))
    if finding.difference is not None:
        parts.append(
            f"应为 {finding.expected}，实为 {finding.actual}，差 {finding.difference:+}"
            if zh
            else f"expected {finding.expected}, actual {finding.actual},"
            f" difference {finding.difference:+}"
        )
    parts.append(finding.message_zh if zh else finding.message_en)
    return ("- " if markdown else "") + " — ".join(parts)


def render_findings(
    findings: Iterable[Finding],
    format: Literal["markdown", "text"] = "markdown",
    language: Literal["zh", "en"] = "en",
) -> str:
    """A summary line, then one line per finding: severity, rule, cells, numbers, message.

    At most four cells are shown per finding (the rest are counted); the finding itself
    keeps them all.
    """
    if format not in ("markdown", "text"):
        raise ValueError(f"unknown format {format!r}: expected 'markdown' or 'text'")
    if language not in ("zh", "en"):
        raise ValueError(f"unknown language {language!r}: expected 'zh' or 'en'")
    listed = list(findings)
    zh = language == "zh"
    markdown = format == "markdown"
    lines = [_summary(listed, zh)]
    if listed and markdown:
        lines.append("")
    lines += [_line(finding, markdown, zh) for finding in listed]
    return "\n".join(lines) + "\n"
