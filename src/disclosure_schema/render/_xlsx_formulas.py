"""Excel formulas for the checks sheet (核对), generated from the rule declarations.

One source: every single-report equation that :func:`disclosure_schema.checks.equations`
expands a rule into becomes one row of Excel formulas over the defined names of the
workbook (:func:`cell_name`). The formulas follow the engine's semantics:

- a cell left empty (or holding text that is no number, such as ``/``) makes the
  equation 无法核查 (not assessable), never OK and never 不一致;
- otherwise the target is compared with the weighted sum of the terms by the equation's
  relation (=, ≤, ≥).

Cross-year rules (scope ``series``) need last year's report and prose rules (H4) read
text; neither can be a formula over this workbook's cells: :func:`sheet_rules` says
which rules are in the sheet and :func:`rules_not_in_sheet` why the others are not.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from disclosure_schema.checks.rules import RULES, Equation, Rule, Term, equations
from disclosure_schema.model import Template

__all__ = [
    "CHECK_STATUS",
    "CheckFormulas",
    "all_check_formulas",
    "cell_name",
    "check_formulas",
    "python_status",
    "rules_not_in_sheet",
    "sheet_rules",
]

#: What the status column shows, by outcome (the engine's severities in the sheet's words).
CHECK_STATUS: dict[str, str] = {"ok": "OK", "mismatch": "不一致", "not_assessable": "无法核查"}

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


def rules_not_in_sheet(template: Template) -> dict[str, str]:
    """The rules of a template that are not in the checks sheet, each with the reason."""
    reasons: dict[str, str] = {}
    for declared in RULES:
        if template not in declared.templates:
            continue
        if declared.scope == "series":
            reasons[declared.id] = (
                "跨年度规则，需要上一年度报告（请用 disclosure-schema check 核对）"
            )
        elif not equations(declared.id, template):
            reasons[declared.id] = (
                "核对正文文字，无法用公式表示（请用 disclosure-schema check 核对）"
                if declared.prose_figures
                else "本模板没有这条规则可核对的单元格"
            )
    return reasons


def _number(term: Term) -> str:
    # "--" turns a number typed as text ("12") into a number; text that is no number
    # ("/", "—") gives #VALUE!, which the status formula reads as not assessable
    return f"(--{cell_name(term.key)})"


def _weighted(term: Term, first: bool) -> str:
    weight = term.weight
    sign = "-" if weight < 0 else ("" if first else "+")
    factor = "" if abs(weight) == 1 else f"{abs(weight)}*"
    return f"{sign}{factor}{_number(term)}"


def _sum(terms: tuple[Term, ...]) -> str:
    if not terms:
        return "0"
    return "".join(_weighted(term, index == 0) for index, term in enumerate(terms))


def check_formulas(equation: Equation, declared: Rule) -> CheckFormulas:
    """The formulas of one equation of a rule.

    ``actual`` shows the target cell (empty when it is empty), ``expected`` the weighted
    sum of the terms (empty while any term is empty or not a number), ``status`` OK,
    不一致 or 无法核查.
    """
    if any(term.previous_year for term in (equation.target, *equation.terms)):
        raise ValueError(f"rule {declared.id}: a cross-year equation has no formula in one year")
    names = [cell_name(key) for key in equation.cells]
    any_blank = f"OR({','.join(f'ISBLANK({name})' for name in names)})"
    target = _number(equation.target)
    expected = _sum(equation.terms)
    term_names = [cell_name(term.key) for term in equation.terms]
    terms_blank = (
        f"OR({','.join(f'ISBLANK({name})' for name in term_names)})" if term_names else "FALSE"
    )
    relation = _EXCEL_RELATION[equation.relation]
    mismatch, ok, unknown = (
        CHECK_STATUS["mismatch"],
        CHECK_STATUS["ok"],
        CHECK_STATUS["not_assessable"],
    )
    return CheckFormulas(
        rule=declared,
        equation=equation,
        actual=f'=IF(ISBLANK({names[0]}),"",IFERROR({target},{names[0]}))',
        expected=f'=IF({terms_blank},"",IFERROR({expected},""))',
        status=(
            f'=IF({any_blank},"{unknown}",'
            f'IFERROR(IF({target}{relation}({expected}),"{ok}","{mismatch}"),"{unknown}"))'
        ),
    )


def all_check_formulas(template: Template) -> tuple[CheckFormulas, ...]:
    """Every row of the checks sheet of a template, rule by rule in declaration order."""
    return tuple(
        check_formulas(equation, declared)
        for declared in sheet_rules(template)
        for equation in equations(declared.id, template)
    )


def python_status(values: dict[str, int | Decimal | None], formulas: CheckFormulas) -> str:
    """What the status formula computes, for values that are numbers or empty (for tests
    and for reading the sheet without a spreadsheet program)."""
    equation = formulas.equation
    if any(values[key] is None for key in equation.cells):
        return CHECK_STATUS["not_assessable"]
    actual = values[equation.target.key]
    expected = sum(term.weight * (values[term.key] or 0) for term in equation.terms)
    assert actual is not None
    holds = {
        "=": actual == expected,
        "<=": actual <= expected,
        ">=": actual >= expected,
    }[equation.relation]
    return CHECK_STATUS["ok" if holds else "mismatch"]
