"""The template spec: the one place that says what a template is.

Public: value kinds (:data:`COUNT`, :data:`SIGNED`, :data:`AMOUNT`), the label shapes,
:class:`TemplateSpec` and the registry functions, and helpers the parser, the rules and
export use instead of writing template facts again.

>>> from disclosure_schema.template import template_spec, template_for_year
>>> template_for_year(2020), template_for_year(2023)
('2019', '2021')
>>> template_spec("2021").article20_items()
(1, 5, 6, 8)
>>> len(template_spec("2019").appeal_cells())
15
"""

from __future__ import annotations

from disclosure_schema.template._kinds import (
    AMOUNT,
    AMOUNT_PATTERN,
    COUNT,
    KINDS,
    MAX_AMOUNT_FRACTION_DIGITS,
    MAX_AMOUNT_INTEGER_DIGITS,
    MAX_INTEGER,
    SIGNED,
    AmountKind,
    CellKind,
    CountKind,
    KindProblem,
    SignedKind,
    ValueKind,
    describe,
    plain_digits,
)
from disclosure_schema.template._labels import (
    ARTICLE_20_NUMERALS,
    CellLabel,
    ColumnSpec,
    Label,
    ProactiveBlock,
    RowSpec,
    TemplateLabels,
    article20_caption,
)
from disclosure_schema.template._spec import (
    TemplateSpec,
    default_template,
    register_template,
    template_for_year,
    template_spec,
    template_tags,
    unregister_template,
)

__all__ = [
    "AMOUNT",
    "AMOUNT_PATTERN",
    "ARTICLE_20_NUMERALS",
    "COUNT",
    "KINDS",
    "MAX_AMOUNT_FRACTION_DIGITS",
    "MAX_AMOUNT_INTEGER_DIGITS",
    "MAX_INTEGER",
    "SIGNED",
    "AmountKind",
    "CellKind",
    "CellLabel",
    "ColumnSpec",
    "CountKind",
    "KindProblem",
    "Label",
    "ProactiveBlock",
    "RowSpec",
    "SignedKind",
    "TemplateLabels",
    "TemplateSpec",
    "ValueKind",
    "article20_caption",
    "default_template",
    "describe",
    "plain_digits",
    "register_template",
    "template_for_year",
    "template_spec",
    "template_tags",
    "unregister_template",
]
