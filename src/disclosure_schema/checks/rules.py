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
from collections.abc import Callable, Iterable
from functools import cache
from typing import Literal, TypeAlias

import attrs

from disclosure_schema.errors import DisclosureSchemaError
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
    "DEFAULT_FAMILIES",
    "RULES",
    "Equation",
    "ProseFigure",
    "Relation",
    "Rule",
    "RuleSelectionError",
    "Scope",
    "Term",
    "equations",
    "rule",
    "rule_family",
    "select_rules",
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
    #: Where the requirement comes from (条例 article, notice), for the docs.
    source_zh: str = ""


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


def _templates_of_the_fee_regime() -> tuple[Template, ...]:
    """The official templates of the revision that came with the information processing fee
    (国办函〔2020〕109号) and the 2021 notice: those whose table 三 has the row for requests
    closed because the fee was not paid (derived from the template spec)."""
    return tuple(
        template
        for template in TEMPLATES
        if any(
            key.startswith("requests.outcomes.other.fee_unpaid.") for key in cell_kinds(template)
        )
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
        # “共受理…申请N件（其中上年结转M件）”: the figure counts the carried-over ones too
        "applications handled, carried over included",
        _APPLICATION,
        re.compile(
            rf"{_RECEIVED}{_GAP}{_APPLICATION}{_SHORT_GAP}{_FIGURE}件"
            r"[^。；;\n]{0,24}?(?:上年|上一年度?)结转"
        ),
        ("requests.received.total", "requests.carried_over.total"),
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
        " prose may count differently (e.g. including carried-over applications): a warning."
        " Each finding quotes the sentence (``quote``). A figure of information published"
        " proactively (“主动公开…N条”) restates no cell: neither template has a total of it,"
        " so it is not compared.",
    ),
    # --- C: compliance with 条例 and the notices (evaluated by checks/_compliance.py) ---
    Rule(
        "C1",
        "error",
        "report",
        TEMPLATES,
        "六个部分齐全且可辨认（一、总体情况至六、其他需要报告的事项）",
        "All six sections are present and recognizable (1. overview … 6. other matters)",
        "六个部分",
        "six sections",
        note_en="A section is present when it has prose, or (tables) a value or a written cell."
        " A section missing before the last one present is an error; sections after the last"
        " one present are not assessable unless the text ends cleanly (a finished sentence,"
        " a date or signature line): a page cut off is not a report missing sections. Section"
        " 一 is not assessable when the report has no title either (the page may start"
        " mid-report).",
        source_zh="条例第五十条；年度报告格式（六个部分）",
    ),
    Rule(
        "C2",
        "warning",
        "report",
        TEMPLATES,
        "一、总体情况涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面",
        "Section 1 covers the five aspects: proactive disclosure, disclosure on request,"
        " information management, platforms, oversight",
        "五个方面",
        "five aspects",
        note_en="An aspect counts when a sub-heading of 一 or the first 24 characters of one"
        " of its paragraphs name it; wording varies, so a warning. When 一 is the last"
        " section seen and the text may be cut, a missing aspect is not assessable.",
        source_zh="国办公开办函〔2021〕30号：总体情况“主要包括主动公开、依申请公开、政府信息管理、"
        "政府信息公开平台建设、监督保障”",
    ),
    Rule(
        "C3",
        "error",
        "report",
        TEMPLATES,
        "五、存在的主要问题及改进情况不为空，也不只写“无”“暂无”",
        "Section 5 is not empty and not just “无/暂无” (none)",
        "问题及改进情况",
        "problems and improvements",
        source_zh="条例第五十条第（四）项",
    ),
    Rule(
        "C4",
        "warning",
        "report",
        TEMPLATES,
        "五、存在的主要问题及改进情况有实质内容：至少60个汉字，既写问题也写改进措施",
        "Section 5 has substance: at least 60 Chinese characters, naming both problems and"
        " improvement measures",
        "至少60个汉字，含问题与改进措施",
        "≥ 60 Chinese characters with problems and measures",
        note_en="Problem words: 问题, 不足, 短板, 薄弱, 差距, 欠缺, 有待, 不够, 不到位, 滞后."
        " Measure words: 改进, 整改, 措施, 加强, 提升, 完善, 推进, 下一步, 今后, 将."
        " A threshold, not a judgement of quality: a warning.",
        source_zh="条例第五十条第（四）项；国办公开办函〔2021〕30号“不能遗漏，也不宜泛化”",
    ),
    Rule(
        "C5",
        "warning",
        "report",
        _templates_of_the_fee_regime(),
        "五、（2021年模板）说明上一年度问题的整改情况",
        "Section 5 (template 2021) reports on the previous year's problems",
        "提及上年度问题整改",
        "a mention of the previous year's problems",
        note_en="Looks for 上年, 上一年, 去年, 上年度 or the previous year's number (e.g."
        " 2022年) in section 5. That the 2021 notice asks for it is unconfirmed: at most a"
        " warning.",
        source_zh="国办公开办函〔2021〕30号（要求未经核实）",
    ),
    Rule(
        "C6",
        "warning",
        "report",
        _templates_of_the_fee_regime(),
        "六、（2021年模板）说明信息处理费收取情况（未收取也应说明），只写“无”或未提及即为缺项",
        "Section 6 (template 2021) states the information processing fees collected (also"
        " when none); “无” alone or no mention falls short",
        "信息处理费收取情况",
        "the information processing fees collected",
        note_en="The fee charged to applicants under 国办函〔2020〕109号 (信息处理费), not the"
        " 行政事业性收费 of table 2 (proactive.fees), which is never looked at. The exact"
        " template wording of item 六 is unconfirmed: a warning.",
        source_zh="国办公开办函〔2021〕30号；《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    ),
    Rule(
        "C7",
        "error",
        "report",
        _templates_of_the_fee_regime(),
        "六、所述未收取信息处理费，而报告他处写明收取了信息处理费：前后矛盾",
        "Section 6 says no information processing fee was collected while the prose"
        " elsewhere says one was",
        "前后一致",
        "consistent statements",
        note_en="Compares sentences naming 信息处理费 only; table 2's 行政事业性收费"
        " (proactive.fees) is a different charge and is never compared.",
        source_zh="《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    ),
    Rule(
        "C8",
        "error",
        "report",
        TEMPLATES,
        "统计期限（如有说明）为报告年度的1月1日至12月31日",
        "The statistics period, when stated, is 1 January to 31 December of the report's year",
        "报告年度1月1日至12月31日",
        "1 January to 31 December of the report year",
        note_en="Read from the prose sections and, when given, the preamble text"
        " (check_compliance(..., preamble=...)); the parser keeps no preamble in the report."
        " Only dates written with 年, 月 and 日 are read: garbled dates"
        " (“自202011日起”) are not assessable.",
        source_zh="惯例（四川DB51/T 2660—2019第2.1条）；全国文件措辞未经核实",
    ),
    Rule(
        "C9",
        "error",
        "report",
        TEMPLATES,
        "按期公布：县级以上人民政府部门于次年1月31日前，县级以上地方人民政府于次年3月31日前",
        "Published on time: departments of governments at county level and above by 31"
        " January, local governments at county level and above by 31 March of the next year",
        "法定公布期限",
        "the statutory deadline",
        note_en="Needs meta.published and meta.year. The kind of body is read from the issuer's"
        " name (see docs/evaluators.md); townships, sub-districts and unknown kinds are not"
        " assessable, since their deadlines are set locally.",
        source_zh="条例第四十九条",
    ),
    Rule(
        "C10",
        "warning",
        "report",
        TEMPLATES,
        "表格部分（二、三、四）有单元格但没有任何数值（如全部为“/”“-”）",
        "A table section (2, 3, 4) is there but holds no value at all (e.g. every cell “/”)",
        "表格数值",
        "values in the table",
        note_en="Marks such as “/” often mean none, but the template asks for numbers: a"
        " warning. A table with nothing written at all is C1 (missing or blank).",
        source_zh="年度报告格式（表格部分）",
    ),
)

_BY_ID = {declared.id: declared for declared in RULES}
_FAMILY = re.compile(r"[A-Z]+")


def rule_family(rule_id: str) -> str:
    """The family of a rule id: its leading capitals (``"R"``, ``"H"``, ``"C"``)."""
    found = _FAMILY.match(rule_id)
    return found[0] if found else rule_id


#: The families :func:`~disclosure_schema.check` applies unless told otherwise: the
#: arithmetic (R) and the heuristics (H). The compliance family (C) is asked for by name.
DEFAULT_FAMILIES = ("R", "H")


class RuleSelectionError(DisclosureSchemaError, ValueError):
    """A rule selection names a family or rule id that does not exist."""


def select_rules(spec: str | Iterable[str]) -> tuple[str, ...]:
    """The rule ids a selection names, in declaration order.

    ``spec`` is a comma-separated string or an iterable of families (``R``, ``H``, ``C``)
    and rule ids (``H4``, ``C3``). Anything else raises :class:`RuleSelectionError`
    naming what exists.

    >>> select_rules("R,C3")
    ('R0', 'R1', 'R2', 'R3', 'R4', 'R5', 'C3')
    """
    wanted = spec.split(",") if isinstance(spec, str) else list(spec)
    chosen: set[str] = set()
    families = {rule_family(declared.id) for declared in RULES}
    for item in (part.strip().upper() for part in wanted):
        if not item:
            continue
        if item in _BY_ID:
            chosen.add(item)
        elif item in families:
            chosen.update(d.id for d in RULES if rule_family(d.id) == item)
        else:
            raise RuleSelectionError(
                f"no rule or family {item!r}: families are {', '.join(sorted(families))};"
                f" rules are {', '.join(_BY_ID)}"
            )
    return tuple(declared.id for declared in RULES if declared.id in chosen)


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
