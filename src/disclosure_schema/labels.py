"""The label tables: cell key ⇄ official Chinese label (and English), every template.

Rendering, parsing, export and docs read labels from here. The labels themselves are
declared once, in the template spec (:mod:`disclosure_schema.template`); this module is
the stable import path for them, plus the labels of check findings (not a template fact).
Strings are the official simplified-Chinese labels with full-width punctuation; known
wording variants seen in real reports are kept as ``aliases`` for the parser.
"""

from __future__ import annotations

from disclosure_schema.template._labels import (
    CellLabel,
    ColumnSpec,
    Label,
    ProactiveBlock,
    RowSpec,
    TemplateLabels,
    article20_caption,
)
from disclosure_schema.template._official import (
    APPLICANT_HEADER,
    INFO_CONTENT,
    LITIGATION,
    ORGANIZATIONS,
    OUTCOMES_HEADER,
    R0_NOTE,
    REPORT_TITLE,
    REPORT_YEAR,
    REVIEW,
    SECTION_TITLES,
)
from disclosure_schema.template._spec import template_spec

__all__ = [
    "APPLICANT_HEADER",
    "FINDINGS_TITLE",
    "FINDING_FIELDS",
    "INFO_CONTENT",
    "LITIGATION",
    "ORGANIZATIONS",
    "OUTCOMES_HEADER",
    "R0_NOTE",
    "REPORT_TITLE",
    "REPORT_YEAR",
    "REVIEW",
    "SECTION_TITLES",
    "SEVERITY_LABELS",
    "CellLabel",
    "ColumnSpec",
    "Label",
    "ProactiveBlock",
    "RowSpec",
    "TemplateLabels",
    "article20_caption",
    "cell_labels",
    "template_labels",
]

#: Rendering a list of check findings.
FINDINGS_TITLE = Label("核查发现", "Findings")
SEVERITY_LABELS: dict[str, Label] = {
    "error": Label("错误", "Error"),
    "warning": Label("警告", "Warning"),
    "not_assessable": Label("无法核查", "Not assessable"),
}
FINDING_FIELDS: dict[str, Label] = {
    "expected": Label("应为", "expected"),
    "actual": Label("实际", "actual"),
    "difference": Label("差额", "difference"),
}


def template_labels(template: str) -> TemplateLabels:
    """All labels of a template; ``ValueError`` for an unknown template tag."""
    return template_spec(template).labels


def cell_labels(template: str) -> dict[str, CellLabel]:
    """The labels of every cell of a template, by cell key, in the model's cell order."""
    return template_spec(template).cell_labels()
