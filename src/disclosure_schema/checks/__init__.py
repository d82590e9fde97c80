"""Consistency checks (勾稽关系) on reports: rules as data, one engine, findings.

>>> from disclosure_schema import check, empty_report
>>> {finding.severity for finding in check(empty_report("2021"))}
{'not_assessable'}
"""

from disclosure_schema.checks._compliance import (
    body_kind,
    check_compliance,
    completeness,
    preamble_of,
    preamble_of_page,
)
from disclosure_schema.checks.engine import SeriesPair, check, check_series, series_pairs
from disclosure_schema.checks.findings import Finding, Severity
from disclosure_schema.checks.rules import (
    DEFAULT_FAMILIES,
    RULES,
    Equation,
    ProseFigure,
    Rule,
    RuleSelectionError,
    Term,
    equations,
    rule_family,
    select_rules,
)

__all__ = [
    "DEFAULT_FAMILIES",
    "RULES",
    "Equation",
    "Finding",
    "ProseFigure",
    "Rule",
    "RuleSelectionError",
    "SeriesPair",
    "Severity",
    "Term",
    "body_kind",
    "check",
    "check_compliance",
    "check_series",
    "completeness",
    "equations",
    "preamble_of",
    "preamble_of_page",
    "rule_family",
    "select_rules",
    "series_pairs",
]
