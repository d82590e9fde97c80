"""A list of check findings, in the words of the labels table."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final, Literal

import attrs

from disclosure_schema.checks.findings import Finding
from disclosure_schema.labels import FINDING_FIELDS, SEVERITY_LABELS
from disclosure_schema.render.layout import Document, Row, Table

__all__ = ["FLAG", "Flag", "finding_line", "flagged_cells", "mark_flagged", "render_findings"]

#: What Markdown and text append to a cell flagged by an error or a warning.
FLAG: Final = "⚠"
#: Severities that mark a cell (a ``not_assessable`` finding means a cell is empty, which
#: the table already shows).
_MARKING: Final = ("error", "warning")


@attrs.frozen
class Flag:
    """Why a cell is flagged: the most severe severity and the rules, in order."""

    severity: str
    rules: tuple[str, ...]


def flagged_cells(findings: Iterable[Finding]) -> dict[str, Flag]:
    """The cell keys that findings of severity error or warning name, each with its flag.

    >>> from disclosure_schema import Finding
    >>> f = Finding(rule="R2", severity="error", cells=("a.total",), expected=1, actual=2,
    ...             difference=1, message_zh="", message_en="")
    >>> flagged_cells([f])
    {'a.total': Flag(severity='error', rules=('R2',))}
    """
    flags: dict[str, Flag] = {}
    for finding in findings:
        if finding.severity not in _MARKING:
            continue
        for key in finding.cells:
            old = flags.get(key)
            if old is None:
                flags[key] = Flag(finding.severity, (finding.rule,))
                continue
            severity = "error" if "error" in (old.severity, finding.severity) else "warning"
            rules = old.rules if finding.rule in old.rules else (*old.rules, finding.rule)
            flags[key] = Flag(severity, rules)
    return flags


def mark_flagged(document: Document, flags: Mapping[str, Flag] | None = None) -> Document:
    """The document with :data:`FLAG` after the text of every flagged data cell (for the
    formats that cannot colour a cell: Markdown and text)."""
    flags = flagged_cells(document.findings) if flags is None else flags
    if not flags:
        return document

    def table(block: Table) -> Table:
        def rows(group: tuple[Row, ...]) -> tuple[Row, ...]:
            return tuple(
                attrs.evolve(
                    row,
                    cells=tuple(
                        attrs.evolve(cell, text=f"{cell.text} {FLAG}")
                        if cell.key is not None and cell.key in flags
                        else cell
                        for cell in row.cells
                    ),
                )
                for row in group
            )

        return attrs.evolve(block, head=rows(block.head), body=rows(block.body))

    sections = tuple(
        attrs.evolve(
            section,
            blocks=tuple(table(b) if isinstance(b, Table) else b for b in section.blocks),
        )
        for section in document.sections
    )
    return attrs.evolve(document, sections=sections)


_SEPARATOR = " · "


def _number(value: int | Decimal, *, signed: bool = False) -> str:
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return f"+{text}" if signed and value > 0 else text


def _quoted(finding: Finding, message: str) -> str:
    """The finding's quote in quotation marks, unless there is none or the message quotes
    it already (the marks are the same in both languages: the quoted text is the report's)."""
    if not finding.quote or finding.quote in message:
        return ""
    return f"“{finding.quote}”"


def finding_line(finding: Finding, language: Literal["zh", "en"], *, code: bool = False) -> str:
    """One finding on one line: severity · rule · cells · expected/actual/difference · message
    · quote.

    A number part is left out when its number is ``None`` (a finding about text has none;
    a finding that is not assessable may lack some), and the ``quote`` of the judged text
    is shown unless the message already holds it. ``code`` marks the rule and cell keys as
    Markdown code spans.

    >>> from disclosure_schema import Finding
    >>> f = Finding(rule="C3", severity="warning", cells=("problems",), expected=None,
    ...             actual=None, difference=None, message_zh="",
    ...             message_en="Section 5 says only “none”.", quote="None.")
    >>> finding_line(f, "en")
    'Warning · C3 · problems · Section 5 says only “none”. · “None.”'
    """

    def mark(text: str) -> str:
        return f"`{text}`" if code else text

    def word(field: str) -> str:
        label = FINDING_FIELDS[field]
        return label.zh if language == "zh" else label.en

    def number(field: str, value: int | Decimal | None, *, signed: bool = False) -> str:
        return "" if value is None else f"{word(field)} {_number(value, signed=signed)}"

    severity = SEVERITY_LABELS[finding.severity]
    message = finding.message_zh if language == "zh" else finding.message_en
    parts = [
        severity.zh if language == "zh" else severity.en,
        *([finding.subject] if finding.subject else []),
        mark(finding.rule),
        ", ".join(map(mark, finding.cells)),
        number("expected", finding.expected),
        number("actual", finding.actual),
        number("difference", finding.difference, signed=True),
        message,
        _quoted(finding, message),
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
