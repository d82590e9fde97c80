"""Rendering a report as Markdown, plain text or HTML.

All three read one layout (:mod:`disclosure_schema.render.layout`) built from the report
and the labels table.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from disclosure_schema.checks.findings import Finding
from disclosure_schema.model import Report
from disclosure_schema.render._docx import PageSetup, render_docx
from disclosure_schema.render._xlsx import XlsxUnavailableError, empty_workbook, render_xlsx
from disclosure_schema.render.findings import render_findings
from disclosure_schema.render.html import html as _html
from disclosure_schema.render.layout import Language, build_document
from disclosure_schema.render.markdown import markdown as _markdown
from disclosure_schema.render.text import text as _text

__all__ = [
    "PageSetup",
    "XlsxUnavailableError",
    "empty_workbook",
    "render_docx",
    "render_findings",
    "render_html",
    "render_markdown",
    "render_text",
    "render_xlsx",
]


def render_markdown(
    report: Report,
    *,
    sections: Collection[str] | None = None,
    language: Language = "zh",
    empty: str = "—",
    findings: Sequence[Finding] | None = None,
) -> str:
    """The report as Markdown (CommonMark + pipe tables).

    ``sections``: section keys to include (default all: overview, proactive, requests,
    appeals, problems, other_matters); ``language``: official Chinese labels or their
    English renderings; ``empty``: what an empty cell shows; ``findings``: listed at the end.
    """
    document = build_document(
        report, sections=sections, language=language, empty=empty, findings=findings
    )
    return _markdown(document)


def render_text(
    report: Report,
    *,
    sections: Collection[str] | None = None,
    language: Language = "zh",
    empty: str = "—",
    findings: Sequence[Finding] | None = None,
) -> str:
    """The report as plain text with grid tables (options as :func:`render_markdown`)."""
    document = build_document(
        report, sections=sections, language=language, empty=empty, findings=findings
    )
    return _text(document)


def render_html(
    report: Report,
    *,
    sections: Collection[str] | None = None,
    language: Language = "zh",
    empty: str = "—",
    findings: Sequence[Finding] | None = None,
    full_page: bool = False,
) -> str:
    """The report as HTML with the official row and column spans: an ``<article>`` fragment,
    or with ``full_page`` a whole UTF-8 page (other options as :func:`render_markdown`)."""
    document = build_document(
        report, sections=sections, language=language, empty=empty, findings=findings
    )
    return _html(document, full_page=full_page)
