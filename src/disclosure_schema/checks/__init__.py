"""Consistency checks (勾稽关系) on reports: rules as data, one engine, findings."""

from disclosure_schema.checks.findings import Finding, Severity

__all__ = ["Finding", "Severity"]
