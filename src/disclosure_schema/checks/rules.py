"""The consistency rules (勾稽关系) as data: one :class:`Rule` declaration per rule id.

A rule expands, per template, into concrete :class:`Equation` s: a target cell compared
with a weighted sum of other cells (R0 expands to seven equations, one per applicant
column). Prose rules (H4) declare :class:`ProseFigure` s instead: a bounded pattern that
finds a figure in the prose of 一、总体情况 and the cells whose sum it should equal.
The engine (:mod:`.engine`) evaluates every declaration the same way, so adding a rule is
adding one entry to :data:`RULES`.

Row and column keys come from the labels table (:mod:`disclosure_schema.labels`), so a
rule follows the template it is declared on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Literal, TypeAlias

import attrs

from disclosure_schema.labels import (
    LITIGATION,
    OUTCOMES_HEADER,
    REVIEW,
    ColumnSpec,
    RowSpec,
    template_labels,
)
from disclosure_schema.model import TEMPLATES, Template, cell_kinds

__all__ = [
    "RULES",
    "Equation",
    "ProseFigure",
    "Relation",
    "Rule",
    "Scope",
    "Term",
    "equations",
    "rule",
]

#: How the target compares with the sum of the terms.
Relation: TypeAlias = Literal["=", "<=", ">="]
#: ``report``: the cells of one report; ``series``: two reports of one issuer, years N−1 and N.
Scope: TypeAlias = Literal["report", "series"]


@attrs.frozen
class Term:
    """``weight × cell``; in a series rule ``previous_year`` picks the cell of year N−1."""

    weight: int
    key: str
    previous_year: bool = False


@attrs.frozen
class Equation:
    """``target <relation> Σ terms``: one concrete check on concrete cells."""

    target: Term
    terms: tuple[Term, ...]
    relation: Relation = "="

    @property
    def cells(self) -> tuple[str, ...]:
        """The cell keys involved, target first, each once."""
        return tuple(dict.fromkeys((self.target.key, *(term.key for term in self.terms))))


@attrs.frozen
class ProseFigure:
    """A figure stated in the prose and the cells whose sum it should equal.

    ``pattern`` has a group ``n`` holding the figure (digits); a pattern without that
    group states zero (e.g. “未收到…申请”). Every quantifier in a pattern is bounded, so
    matching is linear in the length of the text.
    """

    name: str
    #: A literal every match contains: texts without it are not searched (it is cheaper).
    needle: str
    pattern: re.Pattern[str]
    terms: tuple[str, ...]


@attrs.frozen
class Rule:
    """One consistency rule: its id, severity, text, and how it expands to equations."""

    id: str
    severity: Literal["error", "warning"]
    scope: Scope
    templates: tuple[Template, ...]
    description_zh: str
    description_en: str
    #: How the expected value is computed, for messages (“按……应为 N”).
    expected_zh: str
    expected_en: str
    build: Callable[[Template], tuple[Equation, ...]] = attrs.field(
        default=lambda template: (), repr=False
    )
    prose_figures: tuple[ProseFigure, ...] = ()
    #: What the rule does not check, or why it is weaker than it looks.
    note_en: str = ""


def _data_columns(columns: tuple[ColumnSpec, ...]) -> tuple[str, ...]:
    return tuple(column.key for column in columns if column.key != "total")


def _sum_of(target: str, keys: tuple[str, ...]) -> Equation:
    return Equation(Term(1, target), tuple(Term(1, key) for key in keys))


def _r0(template: Template) -> tuple[Equation, ...]:
    # received + carried_over = outcomes.total + carried_forward, solved for outcomes.total
    return tuple(
        Equation(
            Term(1, f"requests.outcomes.total.{column.key}"),
            (
                Term(1, f"requests.received.{column.key}"),
                Term(1, f"requests.carried_over.{column.key}"),
                Term(-1, f"requests.carried_forward.{column.key}"),
            ),
        )
        for column in template_labels(template).request_columns
    )


def _outcome_leaf_rows(template: Template) -> tuple[RowSpec, ...]:
    return tuple(
        row
        for row in template_labels(template).request_rows
        if row.parent == OUTCOMES_HEADER and row.key != "requests.outcomes.total"
    )


def _r1(template: Template) -> tuple[Equation, ...]:
    leaves = _outcome_leaf_rows(template)
    return tuple(
        _sum_of(
            f"requests.outcomes.total.{column.key}",
            tuple(f"{row.key}.{column.key}" for row in leaves),
        )
        for column in template_labels(template).request_columns
    )


def _row_totals(rows: tuple[RowSpec, ...], columns: tuple[ColumnSpec, ...]) -> tuple[Equation, ...]:
    data_columns = _data_columns(columns)
    return tuple(
        _sum_of(f"{row.key}.total", tuple(f"{row.key}.{column}" for column in data_columns))
        for row in rows
    )


def _r2(template: Template) -> tuple[Equation, ...]:
    labels = template_labels(template)
    return _row_totals(labels.request_rows, labels.request_columns)


def _r3(template: Template) -> tuple[Equation, ...]:
    labels = template_labels(template)
    return _row_totals(labels.appeal_rows, labels.appeal_columns)


def _r4(template: Template) -> tuple[Equation, ...]:
    return tuple(
        Equation(
            Term(1, f"requests.carried_over.{column.key}"),
            (Term(1, f"requests.carried_forward.{column.key}", previous_year=True),),
        )
        for column in template_labels(template).request_columns
    )


def _proactive_rows_with(template: Template, *columns: str) -> tuple[str, ...]:
    """Row keys of section 二 whose block has all of ``columns``."""
    return tuple(
        row.key
        for block in template_labels(template).proactive_blocks
        if set(columns) <= {column.key for column in block.columns}
        for row in block.rows
    )


def _templates_with(*columns: str) -> tuple[Template, ...]:
    """The official templates whose section 二 has a block with all of ``columns``: a
    rule on those columns applies to exactly these (derived from the template spec)."""
    return tuple(template for template in TEMPLATES if _proactive_rows_with(template, *columns))


def _r5(template: Template) -> tuple[Equation, ...]:
    return tuple(
        Equation(
            Term(1, f"{row}.previous_items"),
            (
                Term(1, f"{row}.previous_items", previous_year=True),
                Term(1, f"{row}.change", previous_year=True),
            ),
        )
        for row in _proactive_rows_with(template, "previous_items", "change")
    )


def _h1(template: Template) -> tuple[Equation, ...]:
    return tuple(
        Equation(
            Term(1, f"{row}.in_force"),
            (
                Term(1, f"{row}.in_force", previous_year=True),
                Term(1, f"{row}.issued"),
                Term(-1, f"{row}.repealed"),
            ),
        )
        for row in _proactive_rows_with(template, "issued", "repealed", "in_force")
    )


def _h2(template: Template) -> tuple[Equation, ...]:
    found: list[Equation] = []
    for row in _proactive_rows_with(template, "produced", "published", "total_published"):
        found.append(Equation(Term(1, f"{row}.published"), (Term(1, f"{row}.produced"),), "<="))
        found.append(
            Equation(Term(1, f"{row}.total_published"), (Term(1, f"{row}.published"),), ">=")
        )
    return tuple(found)


def _h3(template: Template) -> tuple[Equation, ...]:
    # change ≥ −previous_items, i.e. this year's item count is not negative
    return tuple(
        Equation(Term(1, f"{row}.change"), (Term(-1, f"{row}.previous_items"),), ">=")
        for row in _proactive_rows_with(template, "previous_items", "change")
    )


# Bounded gaps between a keyword and its figure: no digits, no clause breaks.
_BREAKS = r"\d，。；,;：:\n"
_GAP = rf"[^{_BREAKS}]{{0,30}}?"
_SHORT_GAP = rf"[^{_BREAKS}、和及与各诉]{{0,8}}?"
# “均/各” after two kinds named together states each one's figure, not their sum
_TOGETHER_GAP = rf"[^{_BREAKS}、和及与各均诉]{{0,8}}?"
_FIGURE = r"(?P<n>\d{1,7})\s{0,2}"
_APPLICATION = "申请"
_RECEIVED = "(?:收到|新收|受理)"
_REVIEW = re.escape(REVIEW.zh)
_LITIGATION = re.escape(LITIGATION.zh)
# 行政复议、行政诉讼 / 行政复议和诉讼: both kinds of appeal named together
_BOTH = rf"{_REVIEW}[、和及与][^{_BREAKS}]{{0,4}}?(?:{_LITIGATION}|诉讼)"

_APPEAL_TOTALS = (
    "appeals.review.total",
    "appeals.litigation_direct.total",
    "appeals.litigation_after_review.total",
)

#: Tried in this order on each paragraph; text matched by one figure is not matched again
#: by a later one (so “收到…行政复议申请2件” counts as a review, not as applications).
_PROSE_FIGURES = (
    ProseFigure(
        "reviews and lawsuits together",
        REVIEW.zh,
        re.compile(rf"{_BOTH}{_TOGETHER_GAP}{_FIGURE}[件起]"),
        _APPEAL_TOTALS,
    ),
    ProseFigure(
        "no reviews or lawsuits",
        REVIEW.zh,
        re.compile(rf"(?:未|没有|无)[^{_BREAKS}]{{0,20}}?{_BOTH}"),
        _APPEAL_TOTALS,
    ),
    ProseFigure(
        "reviews",
        REVIEW.zh,
        re.compile(rf"{_REVIEW}{_SHORT_GAP}{_FIGURE}[件起]"),
        ("appeals.review.total",),
    ),
    ProseFigure(
        "lawsuits",
        LITIGATION.zh,
        re.compile(rf"{_LITIGATION}{_SHORT_GAP}{_FIGURE}[件起]"),
        ("appeals.litigation_direct.total", "appeals.litigation_after_review.total"),
    ),
    ProseFigure(
        "applications received",
        _APPLICATION,
        re.compile(rf"{_RECEIVED}{_GAP}{_APPLICATION}{_SHORT_GAP}{_FIGURE}件"),
        ("requests.received.total",),
    ),
    ProseFigure(
        "applications received, figure first",
        _APPLICATION,
        re.compile(rf"{_RECEIVED}[^{_BREAKS}]{{0,12}}?{_FIGURE}[件份][^{_BREAKS}]{{0,12}}?申请"),
        ("requests.received.total",),
    ),
    ProseFigure(
        "no applications received",
        _APPLICATION,
        re.compile(rf"(?:未|没有|无)接?{_RECEIVED}{_GAP}{_APPLICATION}"),
        ("requests.received.total",),
    ),
)

RULES: tuple[Rule, ...] = (
    Rule(
        "R0",
        "error",
        "report",
        TEMPLATES,
        "三、每列：本年新收 + 上年结转 = 本年度办理结果总计 + 结转下年度继续办理（模板注明）",
        "Table 3, each column: received + carried over = outcomes total + carried forward"
        " (printed in the template)",
        "本年新收 + 上年结转 − 结转下年度继续办理",
        "received + carried over − carried forward",
        _r0,
    ),
    Rule(
        "R1",
        "error",
        "report",
        TEMPLATES,
        "三、每列：（七）总计 = 各项办理结果（（一）至（六）全部明细行）之和",
        "Table 3, each column: (7) total = sum of every outcome row (1)–(6)",
        "各项办理结果之和",
        "the sum of the outcome rows",
        _r1,
    ),
    Rule(
        "R2",
        "error",
        "report",
        TEMPLATES,
        "三、每行：总计 = 六类申请人之和",
        "Table 3, each row: total = sum of the six applicant columns",
        "六类申请人之和",
        "the sum of the six applicant columns",
        _r2,
    ),
    Rule(
        "R3",
        "error",
        "report",
        TEMPLATES,
        "四、每行：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        "Table 4, each row: total = upheld + corrected + other + pending",
        "结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        "upheld + corrected + other + pending",
        _r3,
    ),
    Rule(
        "R4",
        "error",
        "series",
        TEMPLATES,
        "跨年度、同一机关、每列：第N年上年结转 = 第N−1年结转下年度继续办理",
        "Across years, same issuer, each column: carried over (N) = carried forward (N−1)",
        "上一年度结转下年度继续办理",
        "the previous year's carried forward",
        _r4,
    ),
    Rule(
        "R5",
        "error",
        "series",
        _templates_with("previous_items", "change"),
        "跨年度、2019年模板：第N年上一年项目数量 = 第N−1年上一年项目数量 + 第N−1年本年增/减",
        "Across years, template 2019: previous items (N) = previous items (N−1) + change (N−1)",
        "上一年度的上一年项目数量 + 本年增/减",
        "the previous year's previous items + change",
        _r5,
    ),
    Rule(
        "H1",
        "warning",
        "series",
        _templates_with("issued", "repealed", "in_force"),
        "跨年度、2021年模板：第N年现行有效件数 = 第N−1年现行有效件数 + 第N年本年制发件数"
        " − 第N年本年废止件数",
        "Across years, template 2021: in force (N) = in force (N−1) + issued (N) − repealed (N)",
        "上一年度现行有效件数 + 本年制发件数 − 本年废止件数",
        "the previous year's in force + issued − repealed",
        _h1,
        note_en="Often off in real reports (documents expire, counts are re-based): a warning.",
    ),
    Rule(
        "H2",
        "warning",
        "report",
        _templates_with("produced", "published", "total_published"),
        "二、2019年模板：本年新公开数量 ≤ 本年新制作数量；对外公开总数量 ≥ 本年新公开数量",
        "Section 2, template 2019: published ≤ produced; total published ≥ published",
        "对应的制作或公开数量",
        "the matching produced or published count",
        _h2,
        note_en="Some issuers publish documents made in earlier years, so a warning only.",
    ),
    Rule(
        "H3",
        "warning",
        "report",
        _templates_with("previous_items", "change"),
        "二、2019年模板：本年项目数量（上一年项目数量 + 本年增/减）不为负",
        "Section 2, template 2019: this year's item count (previous items + change) is not"
        " negative",
        "−上一年项目数量",
        "− previous items",
        _h3,
        note_en="That every count is ≥ 0 is already enforced by the model (a negative count"
        " cannot be constructed), so H3 checks the one count the template leaves implicit:"
        " previous items + change.",
    ),
    Rule(
        "H4",
        "warning",
        "report",
        TEMPLATES,
        "一、总体情况正文所述数字（如收到申请X件、行政复议X件、行政诉讼X件）与表格一致",
        "Figures stated in the prose of section 1 (applications received, reviews, lawsuits)"
        " match the tables",
        "表格数字",
        "the table",
        prose_figures=_PROSE_FIGURES,
        note_en="Searches the paragraphs of 一、总体情况 and its parts with bounded patterns;"
        " prose may count differently (e.g. including carried-over applications): a warning.",
    ),
)

_BY_ID = {declared.id: declared for declared in RULES}


def rule(rule_id: str) -> Rule:
    """The rule declared with this id; ``KeyError`` naming the id when there is none."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r}: known rules are {', '.join(_BY_ID)}") from None


@cache
def equations(rule_id: str, template: Template) -> tuple[Equation, ...]:
    """The concrete equations of a rule on a template (empty when it does not apply).

    Every cell key is checked against the model, so a declaration cannot name a cell
    the template does not have.
    """
    declared = rule(rule_id)
    if template not in declared.templates:
        return ()
    found = declared.build(template)
    known = cell_kinds(template)
    figure_keys = [key for figure in declared.prose_figures for key in figure.terms]
    for key in [key for equation in found for key in equation.cells] + figure_keys:
        if key not in known:
            raise AssertionError(f"rule {rule_id} names cell {key!r} not in template {template}")
    return found
