"""Consistency checks (勾稽关系) on reports: rules as data, one engine, findings.

>>> from disclosure_schema import check, empty_report
>>> {finding.severity for finding in check(empty_report("2021"))}
{'not_assessable'}
"""

from disclosure_schema.checks.engine import SeriesPair, check, check_series, series_pairs
from disclosure_schema.checks.findings import Finding, Severity
from disclosure_schema.checks.rules import RULES, Equation, ProseFigure, Rule, Term, equations

__all__ = [
    "RULES",
    "Equation",
    "Finding",
    "ProseFigure",
    "Rule",
    "SeriesPair",
    "Severity",
    "Term",
    "check",
    "check_series",
    "equations",
    "series_pairs",
]
