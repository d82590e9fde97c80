"""The compliance rules (family C): what an evaluator scores beyond the arithmetic.

The rules are declared as data in :mod:`.rules` (ids, severities, texts, templates); this
module holds the one function per rule that judges a report's prose and meta data. Every
rule reads the report only, so it works the same on a parsed page and on report JSON.

Cut pages. An excerpt cut off is not a report missing sections. The report's *extent* is
the sections it shows: a section missing before the last one present is missing; a section
after it is missing only when the last one present is 五 or 六 and its text ends cleanly
(its last words finish a sentence, or are a date or signature line), otherwise not
assessable. The last section present may
itself be cut, so what a rule finds *missing* in it is not assessable either. Section 一
is not assessable when the report has no title and no 一 (the page may start mid-report).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, Literal

import attrs

from disclosure_schema.checks.findings import Finding, Severity
from disclosure_schema.checks.rules import RULES, Rule, RuleSelectionError, rule, select_rules
from disclosure_schema.errors import DisclosureSchemaError, Problem, ReportFormatError
from disclosure_schema.labels import SECTION_TITLES
from disclosure_schema.limits import DEFAULT_LIMITS
from disclosure_schema.model import Prose, Report, Report2019, Report2021
from disclosure_schema.parse.html import decode_bytes, read_html
from disclosure_schema.parse.result import ParseResult
from disclosure_schema.parse.sections import section_of_heading

__all__ = [
    "ASPECTS",
    "BodyKind",
    "Extent",
    "body_kind",
    "check_compliance",
    "completeness",
    "compliance_findings",
    "extent",
    "preamble_of",
    "preamble_of_page",
    "with_selected_rules",
]

SECTIONS: Final = tuple(SECTION_TITLES)
PROSE_SECTIONS: Final = ("overview", "problems", "other_matters")
TABLE_SECTIONS: Final = ("proactive", "requests", "appeals")
_QUOTE: Final = 40
#: The least number of Chinese characters section 五 needs to count as more than boilerplate.
PROBLEMS_MIN_CHARS: Final = 60

#: The five aspects of 一、总体情况 (国办公开办函〔2021〕30号) and the words that name them.
ASPECTS: Final[dict[str, re.Pattern[str]]] = {
    "主动公开": re.compile("主动公开"),
    "依申请公开": re.compile("依申请|申请公开|公开申请"),
    "政府信息管理": re.compile("管理"),
    "平台建设": re.compile("平台|网站建设|专栏建设"),
    "监督保障": re.compile("监督|保障|考核|评议|责任追究"),
}
_ASPECT_LEAD: Final = 24
_ASPECT_EN: Final = {
    "主动公开": "proactive disclosure",
    "依申请公开": "disclosure on request",
    "政府信息管理": "information management",
    "平台建设": "disclosure platforms",
    "监督保障": "oversight and safeguards",
}

_SENTENCE_END = re.compile(r"[。！？；.!?;…][”’」』）)\s]*$")
_DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_SIGNATURE = re.compile(r"(?:人民政府|政府|办公室|办公厅|局|委员会|办事处|街道|镇|乡)\s*$")
_FOOTER = re.compile(r"打印|关闭|扫一扫|分享|字体|来源|浏览|附件|联系电话|责任编辑")
_SIGNATURE_CHARS = 30
# Only 五 or 六 can end a report: after 一 come the tables, and a page cut in a table
# header before its first value leaves no trace in the report.
_ENDING_SECTIONS: Final = ("problems", "other_matters")

_PROBLEM_WORDS = re.compile("问题|不足|短板|薄弱|差距|欠缺|有待|不够|不到位|滞后")
_MEASURE_WORDS = re.compile("改进|整改|措施|加强|提升|完善|推进|下一步|今后|将")
_NONE_ONLY = re.compile(r"(?:暂|目前|本年度|今年)?(?:无|没有)(?:问题|相关情况|其他事项|其他|情况)?")
_PREVIOUS_YEAR = re.compile("上年|上一年|去年|前一年|以往")

_FEE = "处理费"
_FEE_NONE = re.compile(
    r"(?:未|没有|无|不曾|暂未|不)[^，。；,;]{0,8}(?:收取|收费|产生|涉及)"
    r"|(?:收取|收费)[^，。；,;]{0,12}?(?<![\d.])(?:0(?:\.0+)?|零)\s*(?:万?元)"
    r"|免收|免予收取"
    r"|处理费[^，。；,;]{0,6}?[：:]\s*(?:无|没有|未|0|零)"
)
_FEE_AMOUNT = re.compile(r"收取[^，。；,;]{0,20}?(\d{1,9}(?:\.\d{1,4})?)\s*(万?元)")

_DATE = r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_PERIOD = re.compile(
    rf"{_DATE}\s*(?:起)?\s*(?:至|到|-|—|－|~|～|–)\s*(?:{_DATE}|(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日)"
)
_PERIOD_WORDS = re.compile("统计期限|统计时限|统计时间|统计周期|统计区间|统计范围|数据统计")

_SENTENCES = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")

# The kind of body, from its name (条例第四十九条 sets two deadlines).
_GOVERNMENT = re.compile(
    r"^.{0,24}?(?:省|自治区|市|自治州|州|盟|地区|县|自治县|区|旗|自治旗)人民政府$"
)
_DEPARTMENT = re.compile(
    r"^.{0,24}?(?:省|自治区|市|自治州|州|盟|地区|县|自治县|区|旗)"
    r"(?P<body>[^省市县区州旗]{1,24}?(?:局|委员会|委|厅|办公室|办公厅|办))$"
)
_TOWNSHIP_BODY = re.compile(r"镇|乡(?!村)|街道|苏木")
_TOWNSHIP = re.compile(r"(?:镇|乡|街道|苏木)(?:人民政府|政府|办事处|党政办|党政办公室)?$")

BodyKind = Literal["department", "government", "township", "unknown"]


def body_kind(issuer: str | None) -> BodyKind:
    """The kind of body an issuer's name says, for the deadlines of 条例第四十九条.

    ``department``: a department of a government at county level or above (…市生态环境局,
    …区人民政府办公室); ``government``: a local government at county level or above
    (…县人民政府); ``township``: a township, town or sub-district (its deadline is set
    locally); ``unknown`` otherwise, including names with parentheses (combined reports).

    >>> [body_kind(name) for name in ("示例市生态环境局", "示例县人民政府", "示例镇人民政府")]
    ['department', 'government', 'township']
    >>> body_kind("示例县人民政府（县政府办公室）")
    'unknown'
    """
    if not issuer:
        return "unknown"
    name = "".join(issuer.split())
    if any(mark in name for mark in "()（）"):
        return "unknown"
    if _GOVERNMENT.match(name):
        return "government"
    department = _DEPARTMENT.match(name)
    if department and not _TOWNSHIP_BODY.search(department["body"]):
        return "department"
    if _TOWNSHIP.search(name):
        return "township"
    return "unknown"


def _texts(prose: Prose) -> list[str]:
    """Every text of a prose section in reading order, sub-headings included."""
    found = list(prose.paragraphs)
    for part in prose.parts:
        found.append(part.heading)
        found.extend(part.paragraphs)
    return [text for text in found if text.strip()]


def _chinese(text: str) -> str:
    return "".join(char for char in text if "\u4e00" <= char <= "\u9fff")


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE else text[: _QUOTE - 1] + "…"


def _sentences(text: str) -> list[str]:
    return [found.strip() for found in _SENTENCES.findall(text) if found.strip()]


def _ends_cleanly(texts: list[str]) -> bool:
    """Whether a section's texts end with a finished sentence (signature lines aside)."""
    for text in reversed(texts):
        stripped = text.strip()
        if _DATE_LINE.match(stripped) or _FOOTER.search(stripped):
            continue
        if len(stripped) <= _SIGNATURE_CHARS and _SIGNATURE.search(stripped):
            continue
        return bool(_SENTENCE_END.search(stripped))
    return False


@attrs.frozen
class Extent:
    """Which sections a report shows, and whether its text ends cleanly.

    ``present`` holds section keys (``overview`` … ``other_matters``); ``last`` is the
    position (0–5) of the last present section, ``None`` when none is.
    """

    present: frozenset[str]
    last: int | None
    clean_end: bool
    start_seen: bool
    #: Per table section: (has a value, has a written cell or an extra row).
    tables: dict[str, tuple[bool, bool]] = attrs.field(factory=dict, eq=False, repr=False)

    def absence(self, section: str) -> Literal["missing", "after_cut", "before_start"]:
        """Why an absent section is absent, as far as the report tells."""
        position = SECTIONS.index(section)
        if self.last is None:
            return "after_cut"
        if position < self.last:
            return "missing" if position or self.start_seen else "before_start"
        return "missing" if self.clean_end else "after_cut"

    def partial(self, section: str) -> bool:
        """Whether a present section may be cut off (it is the last one, the end not clean)."""
        return self.last == SECTIONS.index(section) and not self.clean_end


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in attrs.fields(cls))
    return names


def _any_value(node: Any) -> bool:
    """Whether a table part holds a number anywhere (stops at the first)."""
    for name in _field_names(type(node)):
        value = getattr(node, name)
        if value is None or isinstance(value, tuple):
            continue  # empty, or extra rows (looked at apart)
        if attrs.has(type(value)):
            if _any_value(value):
                return True
        else:
            return True
    return False


def _table_content(report: Report) -> dict[str, tuple[bool, bool]]:
    """Per table section: (has a value, has a written cell or an extra row)."""
    valued = {section: _any_value(getattr(report, section)) for section in TABLE_SECTIONS}
    written = dict.fromkeys(TABLE_SECTIONS, False)
    for item in report.as_written:
        written[item.key.split(".", 1)[0]] = True
    if report.proactive.extra_rows:
        written["proactive"] = True
        if any(v is not None for row in report.proactive.extra_rows for v in row.values):
            valued["proactive"] = True
    return {section: (valued[section], written[section]) for section in TABLE_SECTIONS}


def extent(report: Report, *, complete: bool | None = None) -> Extent:
    """The sections a report shows and whether its text ends cleanly.

    ``complete`` overrides the judgement of the end: ``True`` when the caller knows the
    text is whole, ``False`` when it knows it is cut.
    """
    tables = _table_content(report)
    present = {
        section
        for section in SECTIONS
        if (
            bool(_texts(getattr(report, section)))
            if section in PROSE_SECTIONS
            else any(tables[section])
        )
    }
    positions = [position for position, section in enumerate(SECTIONS) if section in present]
    last = max(positions) if positions else None
    if complete is not None:
        clean = complete
    elif last is not None and SECTIONS[last] in _ENDING_SECTIONS:
        clean = _ends_cleanly(_texts(getattr(report, SECTIONS[last])))
    else:
        clean = False
    return Extent(
        frozenset(present),
        last,
        clean,
        report.meta.title is not None or "overview" in present,
        tables,
    )


@attrs.frozen
class _Context:
    report: Report
    extent: Extent
    subject: str | None
    preamble: str | None


def _finding(
    context: _Context,
    declared: Rule,
    cells_: tuple[str, ...],
    zh: str,
    en: str,
    *,
    quote: str | None = None,
    assessable: bool = True,
) -> Finding:
    severity: Severity = declared.severity if assessable else "not_assessable"
    return Finding(
        rule=declared.id,
        severity=severity,
        cells=cells_,
        expected=None,
        actual=None,
        difference=None,
        message_zh=zh,
        message_en=en,
        subject=context.subject,
        quote=None if quote is None else _quote(quote),
    )


def _title(section: str, language: Literal["zh", "en"]) -> str:
    label = SECTION_TITLES[section]
    return label.zh if language == "zh" else label.en


_CUT_ZH = "报告文本在此之前已结束（页面可能被截断），无法判断"
_CUT_EN = "the text ends before it (the page may be cut off): cannot tell"


def _c1(context: _Context, declared: Rule) -> Iterator[Finding]:
    for section in SECTIONS:
        if section in context.extent.present:
            continue
        why = context.extent.absence(section)
        zh_title, en_title = _title(section, "zh"), _title(section, "en")
        if why == "missing":
            table = section in TABLE_SECTIONS
            yield _finding(
                context,
                declared,
                (section,),
                f"缺少“{zh_title}”（{section}）" + ("，或其表格全为空白。" if table else "部分。"),
                f"Section “{en_title}” ({section}) is missing"
                + (", or its table is blank." if table else "."),
            )
        elif why == "before_start":
            yield _finding(
                context,
                declared,
                (section,),
                f"未见“{zh_title}”（{section}），报告也无标题：页面可能从中间开始，无法判断。",
                f"No “{en_title}” ({section}) and no title: the page may start mid-report,"
                " cannot tell.",
                assessable=False,
            )
        else:
            yield _finding(
                context,
                declared,
                (section,),
                f"未见“{zh_title}”（{section}）：{_CUT_ZH}。",
                f"No “{en_title}” ({section}): {_CUT_EN}.",
                assessable=False,
            )


def _aspect_found(pattern: re.Pattern[str], prose: Prose) -> bool:
    leads = [part.heading for part in prose.parts]
    leads += [text[:_ASPECT_LEAD] for text in prose.paragraphs]
    leads += [text[:_ASPECT_LEAD] for part in prose.parts for text in part.paragraphs]
    return any(pattern.search(text) for text in leads)


def _c2(context: _Context, declared: Rule) -> Iterator[Finding]:
    if "overview" not in context.extent.present:
        return
    overview = context.report.overview
    missing = [name for name, pattern in ASPECTS.items() if not _aspect_found(pattern, overview)]
    if not missing:
        return
    headings = "、".join(part.heading for part in overview.parts) or _texts(overview)[0]
    names = "、".join(missing)
    names_en = ", ".join(_ASPECT_EN[name] for name in missing)
    if context.extent.partial("overview"):
        yield _finding(
            context,
            declared,
            ("overview",),
            f"一、总体情况未见：{names}；{_CUT_ZH}。",
            f"Section 1 does not show: {names_en}; {_CUT_EN}.",
            quote=headings,
            assessable=False,
        )
        return
    yield _finding(
        context,
        declared,
        ("overview",),
        f"一、总体情况未涵盖：{names}（既无小标题，也无以之开头的段落）。",
        f"Section 1 does not cover: {names_en} (no sub-heading or paragraph opens with it).",
        quote=headings,
    )


def _problems_text(context: _Context) -> str | None:
    if "problems" not in context.extent.present:
        return None
    return "\n".join(_texts(context.report.problems))


def _none_only(text: str) -> bool:
    body = _chinese(text)
    return not body or bool(_NONE_ONLY.fullmatch(body))


def _c3(context: _Context, declared: Rule) -> Iterator[Finding]:
    text = _problems_text(context)
    if text is None or not _none_only(text):
        return
    yield _finding(
        context,
        declared,
        ("problems",),
        "五、存在的主要问题及改进情况只写了“无”或没有内容。",
        "Section 5 says only “none” or nothing.",
        quote=text,
        assessable=not context.extent.partial("problems"),
    )


def _c4(context: _Context, declared: Rule) -> Iterator[Finding]:
    text = _problems_text(context)
    if text is None or _none_only(text):
        return
    body = _chinese(text)
    short = len(body) < PROBLEMS_MIN_CHARS
    lacking = [
        word
        for word, pattern in (("问题", _PROBLEM_WORDS), ("改进措施", _MEASURE_WORDS))
        if not pattern.search(body)
    ]
    if not short and not lacking:
        return
    reasons_zh = ([f"仅{len(body)}个汉字（少于{PROBLEMS_MIN_CHARS}）"] if short else []) + [
        f"未写{word}" for word in lacking
    ]
    english = {"问题": "problems", "改进措施": "improvement measures"}
    reasons_en = (
        [f"only {len(body)} Chinese characters (fewer than {PROBLEMS_MIN_CHARS})"] if short else []
    ) + [f"no {english[word]}" for word in lacking]
    yield _finding(
        context,
        declared,
        ("problems",),
        f"五、存在的主要问题及改进情况内容单薄：{'；'.join(reasons_zh)}。",
        f"Section 5 is thin: {'; '.join(reasons_en)}.",
        quote=text,
        assessable=not context.extent.partial("problems"),
    )


def _c5(context: _Context, declared: Rule) -> Iterator[Finding]:
    text = _problems_text(context)
    if text is None or _none_only(text):
        return
    year = context.report.meta.year
    if _PREVIOUS_YEAR.search(text) or (year is not None and f"{year - 1}年" in text):
        return
    yield _finding(
        context,
        declared,
        ("problems",),
        "五、存在的主要问题及改进情况未提及上一年度问题的整改情况。",
        "Section 5 does not mention the previous year's problems.",
        quote=text,
        assessable=not context.extent.partial("problems"),
    )


def _fee_sentences(prose: Prose) -> list[str]:
    """Sentences naming a 处理费; a sub-part headed by one counts with its text
    (“（一）收取信息处理费情况” / “无。” reads “…情况：无。”)."""
    found = [s for text in prose.paragraphs for s in _sentences(text) if _FEE in s]
    for part in prose.parts:
        if _FEE in part.heading:
            found.append(f"{part.heading}：{''.join(part.paragraphs)}".rstrip("："))
        found += [s for text in part.paragraphs for s in _sentences(text) if _FEE in s]
    return found


def _c6(context: _Context, declared: Rule) -> Iterator[Finding]:
    if "other_matters" not in context.extent.present:
        return
    other = context.report.other_matters
    if _fee_sentences(other):
        return
    text = "\n".join(_texts(other))
    assessable = not context.extent.partial("other_matters")
    if _none_only(text):
        zh = "六、其他需要报告的事项只写“无”，未说明信息处理费收取情况。"
        en = "Section 6 says only “none”, not the information processing fees collected."
    else:
        zh = "六、其他需要报告的事项未说明信息处理费收取情况（未收取也应说明）。"
        en = "Section 6 does not state the information processing fees collected (even none)."
    yield _finding(context, declared, ("other_matters",), zh, en, quote=text, assessable=assessable)


def _fee_collected(sentence: str) -> bool:
    if _FEE_NONE.search(sentence):
        return False
    return any(float(match[1]) > 0 for match in _FEE_AMOUNT.finditer(sentence))


def _c7(context: _Context, declared: Rule) -> Iterator[Finding]:
    if "other_matters" not in context.extent.present:
        return
    none_said = [s for s in _fee_sentences(context.report.other_matters) if _FEE_NONE.search(s)]
    if not none_said:
        return
    for section in ("overview", "problems"):
        collected = [
            s for s in _fee_sentences(getattr(context.report, section)) if _fee_collected(s)
        ]
        if collected:
            yield _finding(
                context,
                declared,
                ("other_matters", section),
                f"六、所述“{_quote(none_said[0])}”与{_title(section, 'zh')}所述"
                f"“{_quote(collected[0])}”矛盾：一处说未收取信息处理费，一处说收取了。",
                f"Section 6 says no information processing fee was collected"
                f" (“{_quote(none_said[0])}”) but {_title(section, 'en')} says one was"
                f" (“{_quote(collected[0])}”).",
                quote=none_said[0],
            )
            return


def completeness(result: ParseResult) -> bool | None:
    """What a parse says of the page's end, for :func:`check_compliance` (``complete=``).

    ``False`` when the parser reported the page cut (a ``truncated`` diagnostic), else
    ``None``: a page that ends in prose can be cut without the parser knowing, so the
    rules judge that from the report itself.

    >>> from disclosure_schema import parse_text
    >>> page = ["一、总体情况", "（一）主动公开", "二、主动公开政府信息情况", "第二十条第（一）项"]
    >>> completeness(parse_text(chr(10).join([*page, "规章", "1"])))
    False
    """
    return False if any(d.code == "truncated" for d in result.diagnostics) else None


def preamble_of(text: str) -> str | None:
    """The text of a page before its first section heading (一、总体情况 …), or ``None``.

    The parser keeps no preamble in the report; pass this to
    :func:`check_compliance` (``preamble=``) so C8 can read the statistics period there.

    >>> page = ["示例局2023年报告", "统计期限为2023年1月1日至2023年12月31日。", "一、总体情况", "…"]
    >>> preamble_of(chr(10).join(page)).splitlines()
    ['示例局2023年报告', '统计期限为2023年1月1日至2023年12月31日。']
    """
    lines = text.splitlines()
    for position, line in enumerate(lines):
        if section_of_heading(line.strip()) is not None:
            head = "\n".join(lines[:position]).strip()
            return head or None
    return None


_HTML_SUFFIXES: Final = (".html", ".htm", ".shtml", ".xhtml")
_TEXT_SUFFIXES: Final = (".txt", ".md", ".text")


def preamble_of_page(path: str | os.PathLike[str]) -> str | None:
    """:func:`preamble_of` a page file (text or HTML); ``None`` for any other file, or
    one that cannot be read (the preamble is optional: C8 then reads the prose only)."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in _HTML_SUFFIXES + _TEXT_SUFFIXES:
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read(DEFAULT_LIMITS.max_page_bytes + 1)
        if len(data) > DEFAULT_LIMITS.max_page_bytes:
            return None
        text, _ = decode_bytes(data)
        if suffix in _HTML_SUFFIXES:
            text = "\n".join(token.text for token in read_html(text).tokens if not token.cell)
    except (OSError, DisclosureSchemaError):
        return None
    return preamble_of(text)


def _period_texts(context: _Context) -> Iterator[tuple[str, str]]:
    if context.preamble:
        yield "preamble", context.preamble
    for section in PROSE_SECTIONS:
        for text in _texts(getattr(context.report, section)):
            yield section, text


def _date(year: str, month: str, day: str) -> _dt.date | None:
    try:
        return _dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _c8(context: _Context, declared: Rule) -> Iterator[Finding]:
    year = context.report.meta.year
    for where, text in _period_texts(context):
        if not _PERIOD_WORDS.search(text):
            continue
        for sentence in _sentences(text):
            if not _PERIOD_WORDS.search(sentence):
                continue
            match = _PERIOD.search(sentence)
            if match is None or year is None:
                yield _finding(
                    context,
                    declared,
                    (where, "meta.year"),
                    "统计期限的日期无法读出（须写明年、月、日及起止），无法核对。"
                    if year is not None
                    else "报告年度不明，无法核对统计期限。",
                    "The statistics period's dates cannot be read (年, 月, 日 and both ends"
                    " are needed): cannot be checked."
                    if year is not None
                    else "The report year is unknown: the statistics period cannot be checked.",
                    quote=sentence,
                    assessable=False,
                )
                return
            (y1, m1, d1, y2, m2, d2, m3, d3) = match.groups()
            start = _date(y1, m1, d1)
            end = _date(y2 or y1, m2 or m3, d2 or d3)
            if start == _dt.date(year, 1, 1) and end == _dt.date(year, 12, 31):
                return
            shown = f"{start}–{end}" if start and end else match[0]
            yield _finding(
                context,
                declared,
                (where, "meta.year"),
                f"统计期限为{shown}，不是报告年度{year}年的1月1日至12月31日。",
                f"The statistics period is {shown}, not 1 January to 31 December {year}.",
                quote=sentence,
            )
            return


_DEADLINES: Final = {"department": (1, 31), "government": (3, 31)}
_KIND_ZH: Final = {"department": "县级以上人民政府部门", "government": "县级以上地方人民政府"}
_KIND_EN: Final = {
    "department": "a department of a government at county level or above",
    "government": "a local government at county level or above",
}


def _c9(context: _Context, declared: Rule) -> Iterator[Finding]:
    meta = context.report.meta
    if meta.published is None:
        return
    kind = body_kind(meta.issuer)
    if meta.year is None or kind not in _DEADLINES:
        zh = (
            "报告年度不明"
            if meta.year is None
            else f"发布机关“{meta.issuer or '?'}”的类别无法从名称判断（或其期限由地方规定）"
        )
        en = (
            "the report year is unknown"
            if meta.year is None
            else f"the kind of body of “{meta.issuer or '?'}” cannot be told from its name"
            " (or its deadline is set locally)"
        )
        yield _finding(
            context,
            declared,
            ("meta.published", "meta.issuer"),
            f"{zh}，无法核对公布期限。",
            f"{en[0].upper()}{en[1:]}: the deadline cannot be checked.",
            quote=meta.issuer,
            assessable=False,
        )
        return
    month, day = _DEADLINES[kind]
    deadline = _dt.date(meta.year + 1, month, day)
    if meta.published <= deadline:
        return
    late = (meta.published - deadline).days
    yield _finding(
        context,
        declared,
        ("meta.published", "meta.issuer"),
        f"{meta.published}发布，晚于{_KIND_ZH[kind]}的法定期限{deadline}（{late}天）。",
        f"Published {meta.published}, {late} day(s) after the deadline {deadline} for"
        f" {_KIND_EN[kind]}.",
        quote=meta.issuer,
    )


def _c10(context: _Context, declared: Rule) -> Iterator[Finding]:
    for section, (valued, written) in context.extent.tables.items():
        if valued or not written:
            continue
        shown = [item.text for item in context.report.as_written if item.key.startswith(section)]
        yield _finding(
            context,
            declared,
            (section,),
            f"“{_title(section, 'zh')}”有表格但没有任何数值。",
            f"“{_title(section, 'en')}” has a table but no value at all.",
            quote=" ".join(shown[:8]) or None,
            assessable=not context.extent.partial(section),
        )


_EVALUATORS: Final[dict[str, Callable[[_Context, Rule], Iterator[Finding]]]] = {
    "C1": _c1,
    "C2": _c2,
    "C3": _c3,
    "C4": _c4,
    "C5": _c5,
    "C6": _c6,
    "C7": _c7,
    "C8": _c8,
    "C9": _c9,
    "C10": _c10,
}
COMPLIANCE_RULES: Final = tuple(declared.id for declared in RULES if declared.id in _EVALUATORS)


def with_selected_rules(
    found: list[Finding], report: Report, subject: str | None, rules: str | Iterable[str]
) -> list[Finding]:
    """``found`` (the R and H findings) kept to the selected rules, then the selected C rules.

    ``rules`` is a selection as :func:`~disclosure_schema.checks.rules.select_rules` reads it.
    """
    selected = select_rules(rules)
    kept = [finding for finding in found if finding.rule in selected]
    wanted = tuple(rule_id for rule_id in selected if rule_id in _EVALUATORS)
    return kept + compliance_findings(report, subject, rules=wanted) if wanted else kept


def compliance_findings(
    report: Report,
    subject: str | None = None,
    *,
    preamble: str | None = None,
    complete: bool | None = None,
    rules: Iterable[str] | None = None,
) -> list[Finding]:
    """The findings of the C rules (or of ``rules`` among them) on one report."""
    context = _Context(report, extent(report, complete=complete), subject, preamble)
    wanted = COMPLIANCE_RULES if rules is None else tuple(rules)
    found: list[Finding] = []
    for rule_id in wanted:
        if rule_id not in _EVALUATORS:
            raise RuleSelectionError(
                f"{rule_id!r} is not a compliance rule: they are {', '.join(COMPLIANCE_RULES)}"
            )
        declared = rule(rule_id)
        if report.template in declared.templates:
            found.extend(_EVALUATORS[rule_id](context, declared))
    return found


def check_compliance(
    report: Report,
    *,
    preamble: str | None = None,
    complete: bool | None = None,
    rules: str | Iterable[str] | None = None,
) -> list[Finding]:
    """The compliance rules (family C) on one report: what they find wanting.

    :param report: The report, parsed or loaded.
    :param preamble: The text before 一、总体情况, when the caller has it (the parser does
        not keep it in the report; see :func:`preamble_of`); C8 then reads the
        statistics period there too.
    :param complete: ``True`` when the text is known to be whole, ``False`` when known to
        be cut; ``None`` (default) judges it from the report (see :func:`extent`).
    :param rules: Only these compliance rules (ids or ``"C"``, as
        :func:`~disclosure_schema.checks.rules.select_rules` reads them); others named
        are ignored. Default: all of family C.
    :raises ReportFormatError: when ``report`` is not a report.
    :returns: Findings in rule order (C1, C2, …), each naming section keys or meta fields
        in ``cells`` and quoting the judged text in ``quote``.

    >>> from disclosure_schema import empty_report
    >>> {f.severity for f in check_compliance(empty_report("2021"))}
    {'not_assessable'}
    """
    if not isinstance(report, Report2019 | Report2021):
        raise ReportFormatError(
            [Problem("", f"expected a Report2019 or Report2021, got {type(report).__name__}")]
        )
    year = report.meta.year
    issuer = report.meta.issuer
    subject = None if issuer is None and year is None else f"{issuer or '?'} {year or '?'}"
    wanted = None
    if rules is not None:
        wanted = tuple(rule_id for rule_id in select_rules(rules) if rule_id in _EVALUATORS)
    return compliance_findings(report, subject, preamble=preamble, complete=complete, rules=wanted)
