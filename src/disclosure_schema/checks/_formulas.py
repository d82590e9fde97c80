"""Excel formulas for the checks sheet (核对), generated from the rule declarations.

One source: every single-report equation that :func:`disclosure_schema.checks.equations`
expands a rule into becomes one row of Excel formulas over the defined names of the
workbook (:func:`cell_name`). The formulas follow the engine's semantics:

- a cell left empty (or holding text that is no number, such as ``/``) makes the
  equation 无法核查 (not assessable), never OK and never 不一致;
- otherwise the target is compared with the weighted sum of the terms by the equation's
  relation (=, ≤, ≥).

Cross-year rules (scope ``series``) need last year's report: when the workbook is made
with it, its cells enter the formulas as constants; without it those rules are left
out. Prose rules (H4) read text and cannot be formulas. :func:`sheet_rules` says which
rules are in the sheet and :func:`rules_not_in_sheet` why the others are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from disclosure_schema._form_labels import NOT_IN_SHEET_REASONS, STATUS_LABELS
from disclosure_schema.checks.rules import RULES, Equation, Rule, Term, equations, rule_family
from disclosure_schema.model import CellValue, Report, Template, cells

__all__ = [
    "CHECK_STATUS",
    "CheckFormulas",
    "all_check_formulas",
    "cell_name",
    "check_formulas",
    "python_status",
    "rules_not_in_sheet",
    "series_rules",
    "sheet_rules",
]

#: What the status column shows, by outcome (the engine's severities in the sheet's words).
CHECK_STATUS: dict[str, str] = {outcome: label.zh for outcome, label in STATUS_LABELS.items()}

_EXCEL_RELATION = {"=": "=", "<=": "<=", ">=": ">="}


def cell_name(key: str) -> str:
    """The Excel defined name of a cell key: dots become underscores.

    >>> cell_name("requests.received.natural_person")
    'requests_received_natural_person'
    """
    return key.replace(".", "_")


@attrs.frozen
class CheckFormulas:
    """One equation as Excel formulas: the target's value, the expected value, the status.

    Each string is a formula (it starts with ``=``) over the defined names of the cells.
    """

    rule: Rule
    equation: Equation
    actual: str
    expected: str
    status: str


def sheet_rules(template: Template) -> tuple[Rule, ...]:
    """The rules of a template that the checks sheet computes: every single-report rule
    with equations on the template."""
    return tuple(
        declared
        for declared in RULES
        if declared.scope == "report" and equations(declared.id, template)
    )


def rules_not_in_sheet(template: Template, previous: Template | None = None) -> dict[str, str]:
    """The rules of a template that are not in the checks sheet, each with the reason;
    ``previous``: the template of last year's report when the sheet was given one."""
    reasons: dict[str, str] = {}
    in_sheet = {declared.id for declared in series_rules(previous, template)} if previous else set()
    for declared in RULES:
        if template not in declared.templates or declared.id in in_sheet:
            continue
        if declared.scope == "series" and previous is not None:
            reasons[declared.id] = NOT_IN_SHEET_REASONS["series_template"].zh.format(
                template=previous
            )
        elif declared.scope == "series":
            reasons[declared.id] = NOT_IN_SHEET_REASONS["series"].zh
        elif not equations(declared.id, template):
            # the compliance family judges the report's text and dates, never cells
            judges_text = declared.prose_figures or rule_family(declared.id) == "C"
            reason = "prose" if judges_text else "no_cells"
            reasons[declared.id] = NOT_IN_SHEET_REASONS[reason].zh
    return reasons


def _literal(value: int | Decimal) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _operand(term: Term, previous: Mapping[str, CellValue] | None) -> tuple[str, str]:
    """A term's number as an Excel expression, and the test that it is empty.

    A cell of this year is read through its name: ``--`` turns a number typed as text
    ("12") into a number, and text that is no number ("/", "—") gives #VALUE!, which the
    status formula reads as not assessable. A cell of last year is a constant from last
    year's report (empty there: the term is empty)."""
    if term.previous_year:
        if previous is None:
            raise ValueError(f"{term.key}: a cross-year term needs last year's report")
        value = previous[term.key]
        return ("0", "TRUE") if value is None else (f"({_literal(value)})", "FALSE")
    name = cell_name(term.key)
    return f"(--{name})", f"ISBLANK({name})"


def _weighted(term: Term, expression: str, first: bool) -> str:
    weight = term.weight
    sign = "-" if weight < 0 else ("" if first else "+")
    factor = "" if abs(weight) == 1 else f"{abs(weight)}*"
    return f"{sign}{factor}{expression}"


def _any(tests: list[str]) -> str:
    unique = [test for test in dict.fromkeys(tests) if test != "FALSE"]
    if not unique:
        return "FALSE"
    if "TRUE" in unique:
        return "TRUE"
    return f"OR({','.join(unique)})"


def check_formulas(
    equation: Equation, declared: Rule, previous: Mapping[str, CellValue] | None = None
) -> CheckFormulas:
    """The formulas of one equation of a rule.

    ``actual`` shows the target cell (empty when it is empty), ``expected`` the weighted
    sum of the terms (empty while any term is empty or not a number), ``status`` OK,
    不一致 or 无法核查. ``previous`` holds last year's cells (by cell key), needed by the
    terms of a cross-year rule.
    """
    target, target_blank = _operand(equation.target, previous)
    operands = [_operand(term, previous) for term in equation.terms]
    expected = (
        "".join(
            _weighted(term, expression, index == 0)
            for index, (term, (expression, _)) in enumerate(
                zip(equation.terms, operands, strict=True)
            )
        )
        or "0"
    )
    terms_blank = _any([blank for _, blank in operands])
    any_blank = _any([target_blank, *(blank for _, blank in operands)])
    relation = _EXCEL_RELATION[equation.relation]
    mismatch, ok, unknown = (
        CHECK_STATUS["mismatch"],
        CHECK_STATUS["ok"],
        CHECK_STATUS["not_assessable"],
    )
    if equation.target.previous_year:
        actual = f"={target}" if target_blank == "FALSE" else '=""'
    else:
        name = cell_name(equation.target.key)
        actual = f'=IF({target_blank},"",IFERROR({target},{name}))'
    return CheckFormulas(
        rule=declared,
        equation=equation,
        actual=actual,
        expected=f'=IF({terms_blank},"",IFERROR({expected},""))',
        status=(
            f'=IF({any_blank},"{unknown}",'
            f'IFERROR(IF({target}{relation}({expected}),"{ok}","{mismatch}"),"{unknown}"))'
        ),
    )


def series_rules(previous: Template, template: Template) -> tuple[Rule, ...]:
    """The cross-year rules that apply from a report on ``previous`` to one on ``template``."""
    return tuple(
        declared
        for declared in RULES
        if declared.scope == "series"
        and previous in declared.templates
        and template in declared.templates
        and equations(declared.id, template)
    )


def all_check_formulas(
    template: Template, previous: Report | None = None
) -> tuple[CheckFormulas, ...]:
    """Every row of the checks sheet of a template, rule by rule in declaration order;
    with last year's report also the cross-year rules, its cells as constants."""
    rules = sheet_rules(template)
    last_year = None
    if previous is not None:
        chosen = {declared.id for declared in (*rules, *series_rules(previous.template, template))}
        rules = tuple(declared for declared in RULES if declared.id in chosen)
        last_year = cells(previous)
    return tuple(
        check_formulas(equation, declared, last_year)
        for declared in rules
        for equation in equations(declared.id, template)
    )


def python_status(
    values: Mapping[str, CellValue],
    formulas: CheckFormulas,
    previous: Mapping[str, CellValue] | None = None,
) -> str:
    """What the status formula computes, for values that are numbers or empty (for tests
    and for reading the sheet without a spreadsheet program)."""
    equation = formulas.equation

    def value(term: Term) -> CellValue:
        if term.previous_year:
            assert previous is not None
            return previous[term.key]
        return values[term.key]

    found = [value(term) for term in (equation.target, *equation.terms)]
    if any(item is None for item in found):
        return CHECK_STATUS["not_assessable"]
    actual = found[0]
    expected = sum(
        term.weight * (item or 0) for term, item in zip(equation.terms, found[1:], strict=True)
    )
    assert actual is not None
    holds = {
        "=": actual == expected,
        "<=": actual <= expected,
        ">=": actual >= expected,
    }[equation.relation]
    return CHECK_STATUS["ok" if holds else "mismatch"]
