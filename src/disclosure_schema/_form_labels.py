"""The words of the Excel form (sheet names, cover fields, the checks sheet, notes).

They are the form's own words, not template labels (those are in
:mod:`disclosure_schema.labels`); the renderers hold no Chinese text of their own, so
the form reads its words from here.
"""

from __future__ import annotations

from typing import Final

from disclosure_schema.labels import SEVERITY_LABELS, Label

__all__ = [
    "AMOUNT_UNITS",
    "CHECKS_HEADER",
    "CHECKS_SHEET",
    "CHECKS_TITLE",
    "COVER_FIELDS",
    "COVER_NOTES",
    "COVER_SHEET",
    "COVER_TITLE",
    "LAST_YEAR",
    "LAST_YEAR_SOURCE",
    "NOT_IN_SHEET",
    "NOT_IN_SHEET_REASONS",
    "PROSE_HEADER",
    "STATUS_LABELS",
    "TEMPLATE_FIELD",
    "VALIDATION_MESSAGES",
    "VALIDATION_TITLE",
    "YEAR_SUFFIX",
]

COVER_SHEET: Final = Label("封面", "Cover")
CHECKS_SHEET: Final = Label("核对", "Checks")
COVER_TITLE: Final = Label("政府信息公开工作年度报告 · 填报表", "Annual report form")
TEMPLATE_FIELD: Final = Label("模板", "Template")
#: The cover fields: the Meta attribute and its label.
COVER_FIELDS: Final = (
    ("issuer", Label("发布机关", "Issuer")),
    ("year", Label("年度", "Year")),
    ("title", Label("报告标题", "Title")),
    ("published", Label("发布日期", "Published")),
    ("source_url", Label("来源网址", "Source")),
    ("contact", Label("联系方式", "Contact")),
    ("region", Label("地区", "Region")),
)
COVER_NOTES: Final = (
    Label(
        "填写说明：在各表的白色单元格中填写数字；未发生的事项填 0，"
        "不掌握的数据留空（留空不等于 0）。",
        "Type the numbers into the white cells; 0 for none, and leave a cell empty when"
        " the number is not known (empty is not 0).",
    ),
    Label(
        "“核对”工作表随填写自动核对各项勾稽关系。",
        "The checks sheet checks the totals as you type.",
    ),
    Label(
        "每个数据单元格都有名称（公式 → 名称管理器），可在公式中直接引用。",
        "Every data cell has a name (Formulas → Name Manager) that formulas can use.",
    ),
)
#: Prose sheets: the column of part headings and the column of paragraphs.
PROSE_HEADER: Final = (Label("小标题", "Part heading"), Label("正文段落", "Paragraph"))
CHECKS_TITLE: Final = Label("勾稽关系核对（随填写自动计算）", "Consistency checks (live)")
CHECKS_HEADER: Final = (
    Label("规则", "Rule"),
    Label("级别", "Severity"),
    Label("核对内容", "What is checked"),
    Label("本表填写", "Entered"),
    Label("按规则应为", "Expected by the rule"),
    Label("关系", "Relation"),
    Label("结果", "Result"),
)
#: What the status column of the checks sheet shows, by outcome.
STATUS_LABELS: Final = {
    "ok": Label("OK", "OK"),
    "mismatch": Label("不一致", "Mismatch"),
    "not_assessable": SEVERITY_LABELS["not_assessable"],
}
LAST_YEAR: Final = Label("（上一年度）", " (previous year)")
LAST_YEAR_SOURCE: Final = Label(
    "跨年度规则的上一年度数字取自：{source}", "Previous-year figures of cross-year rules: {source}"
)
YEAR_SUFFIX: Final = Label("{year}年", "{year}")
NOT_IN_SHEET: Final = Label("不在本表：{reason}", "Not in this sheet: {reason}")
NOT_IN_SHEET_REASONS: Final = {
    "series": Label(
        "跨年度规则，需要上一年度报告"
        "（请用 disclosure-schema form --previous 或 check --series 核对）",
        "a cross-year rule: needs last year's report (form --previous, or check --series)",
    ),
    "series_template": Label(
        "不适用于{template}年模板的上一年度报告",
        "does not apply to a previous report on template {template}",
    ),
    "prose": Label(
        "核对正文文字，无法用公式表示（请用 disclosure-schema check 核对）",
        "checks the prose, which no formula can (use disclosure-schema check)",
    ),
    "no_cells": Label(
        "本模板没有这条规则可核对的单元格", "the template has no cells this rule checks"
    ),
}
VALIDATION_TITLE: Final = Label("请核对填写内容", "Please check the value")
VALIDATION_MESSAGES: Final = {
    "count": Label(
        "请填写不小于 0 的整数；不掌握的数据请留空。",
        "A whole number, 0 or more; leave the cell empty when the number is not known.",
    ),
    "signed": Label(
        "请填写整数（可为负数）；不掌握的数据请留空。",
        "A whole number (may be negative); leave the cell empty when it is not known.",
    ),
    "amount": Label(
        "请填写不小于 0 的数字；不掌握的数据请留空。",
        "A number, 0 or more; leave the cell empty when it is not known.",
    ),
}
#: Units an amount cell can show in its number format (and parse_xlsx reads back).
AMOUNT_UNITS: Final = ("万元", "元")
