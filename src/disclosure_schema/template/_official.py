"""The two official templates, declared once: labels (zh/en, with the variants real
reports use), grouping and numbering, article 20 blocks with their item numbers, and the
report years each covers. Everything else (label tables, parser hints, rules, docs)
derives from these declarations and the model classes they name.

- 2019 template: 国办公开办函〔2019〕60号, used for reports on 2019 and 2020;
- 2021 template: 国办公开办函〔2021〕30号, used for reports on 2021 onward.
"""

from __future__ import annotations

from typing import Final

from disclosure_schema.template._labels import (
    ARTICLE_20_NUMERALS,
    ColumnSpec,
    Label,
    ProactiveBlock,
    RowSpec,
    TemplateLabels,
    article20_caption,
)

SECTION_TITLES: dict[str, Label] = {
    "overview": Label("一、总体情况", "1. Overview"),
    "proactive": Label(
        "二、主动公开政府信息情况", "2. Proactive disclosure of government information"
    ),
    "requests": Label(
        "三、收到和处理政府信息公开申请情况",
        "3. Disclosure applications received and handled",
    ),
    "appeals": Label(
        "四、政府信息公开行政复议、行政诉讼情况",
        "4. Administrative review and litigation",
        aliases=(
            "四、政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "四、因政府信息公开工作被申请行政复议提起行政诉讼情况",
            "四、政府信息公开工作被申请行政复议和提起行政诉讼情况",
        ),
    ),
    "problems": Label(
        "五、存在的主要问题及改进情况",
        "5. Main problems and improvements",
        aliases=(
            "五、政府信息公开工作存在的主要问题及改进情况",
            "五、政府信息公开工作存在的情况及改进情况",
            "五、存在问题及改进情况",
            "五、存在的问题及改进措施",
        ),
    ),
    "other_matters": Label(
        "六、其他需要报告的事项", "6. Other matters to report", aliases=("六、其他事项",)
    ),
}

INFO_CONTENT = Label("信息内容", "Information")
APPLICANT_HEADER = Label("申请人情况", "Applicants")
ORGANIZATIONS = Label("法人或其他组织", "Legal persons or other organizations")
OUTCOMES_HEADER = Label("三、本年度办理结果", "3. Outcomes this year")
R0_NOTE = Label(
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "(In each column, item 1 plus item 2 equals item 3 plus item 4.)",
)
REVIEW = Label("行政复议", "Administrative review")
LITIGATION = Label("行政诉讼", "Administrative litigation")


#: The report title after the issuer and year, and how the year is written before it.
REPORT_TITLE = Label("政府信息公开工作年度报告", "Government information disclosure annual report")
REPORT_YEAR = Label("{year}年", "{year}")


def _caption(item_zh: str, item: int) -> Label:
    assert ARTICLE_20_NUMERALS[item] == item_zh
    return article20_caption(item)


_COL_DECISIONS_2021 = ColumnSpec("decisions", Label("本年处理决定数量", "Decisions this year"))

_ITEM_COLUMNS_2019 = (
    ColumnSpec(
        "previous_items",
        Label("上一年项目数量", "Items in the previous year", aliases=("上年项目数量",)),
    ),
    ColumnSpec("change", Label("本年增/减", "Change this year (+/−)", aliases=("本年增减",))),
    ColumnSpec("decisions", Label("处理决定数量", "Decisions")),
)

_PROACTIVE_2019 = (
    ProactiveBlock(
        1,
        _caption("一", 1),
        (
            ColumnSpec("produced", Label("本年新制作数量", "Newly made this year")),
            ColumnSpec("published", Label("本年新公开数量", "Newly published this year")),
            ColumnSpec("total_published", Label("对外公开总数量", "Total published")),
        ),
        (
            RowSpec("proactive.regulations", Label("规章", "Regulations")),
            RowSpec(
                "proactive.normative_documents",
                Label("规范性文件", "Normative documents", aliases=("行政规范性文件",)),
            ),
        ),
    ),
    ProactiveBlock(
        5,
        _caption("五", 5),
        _ITEM_COLUMNS_2019,
        (
            RowSpec("proactive.licensing", Label("行政许可", "Administrative licensing")),
            RowSpec(
                "proactive.other_services",
                Label("其他对外管理服务事项", "Other external management and services"),
            ),
        ),
    ),
    ProactiveBlock(
        6,
        _caption("六", 6),
        _ITEM_COLUMNS_2019,
        (
            RowSpec("proactive.penalties", Label("行政处罚", "Administrative penalties")),
            RowSpec("proactive.enforcement", Label("行政强制", "Administrative enforcement")),
        ),
    ),
    ProactiveBlock(
        8,
        _caption("八", 8),
        _ITEM_COLUMNS_2019[:2],
        (RowSpec("proactive.fees", Label("行政事业性收费", "Administrative fees")),),
    ),
    ProactiveBlock(
        9,
        _caption("九", 9),
        (
            ColumnSpec("projects", Label("采购项目数量", "Procurement projects")),
            ColumnSpec("amount", Label("采购总金额", "Total procurement amount")),
        ),
        (RowSpec("proactive.procurement", Label("政府集中采购", "Centralized procurement")),),
    ),
)

_PROACTIVE_2021 = (
    ProactiveBlock(
        1,
        _caption("一", 1),
        (
            ColumnSpec(
                "issued",
                Label("本年制发件数", "Issued this year", aliases=("本年新制发数量",)),
            ),
            ColumnSpec(
                "repealed", Label("本年废止件数", "Repealed this year", aliases=("废止数量",))
            ),
            ColumnSpec(
                "in_force",
                Label(
                    "现行有效件数",
                    "In force",
                    aliases=("现行有效数量", "现行有效件"),
                ),
            ),
        ),
        (
            RowSpec("proactive.regulations", Label("规章", "Regulations")),
            RowSpec(
                "proactive.normative_documents",
                Label(
                    "行政规范性文件", "Administrative normative documents", aliases=("规范性文件",)
                ),
            ),
        ),
    ),
    ProactiveBlock(
        5,
        _caption("五", 5),
        (_COL_DECISIONS_2021,),
        (RowSpec("proactive.licensing", Label("行政许可", "Administrative licensing")),),
    ),
    ProactiveBlock(
        6,
        _caption("六", 6),
        (_COL_DECISIONS_2021,),
        (
            RowSpec("proactive.penalties", Label("行政处罚", "Administrative penalties")),
            RowSpec("proactive.enforcement", Label("行政强制", "Administrative enforcement")),
        ),
    ),
    ProactiveBlock(
        8,
        _caption("八", 8),
        (
            ColumnSpec(
                "amount",
                Label(
                    "本年收费金额（单位：万元）",
                    "Fees collected this year (10,000 yuan)",
                    aliases=("本年收费金额",),
                ),
            ),
        ),
        (RowSpec("proactive.fees", Label("行政事业性收费", "Administrative fees")),),
    ),
)

_REQUEST_COLUMNS = (
    ColumnSpec("natural_person", Label("自然人", "Natural persons")),
    ColumnSpec("commercial_enterprise", Label("商业企业", "Commercial enterprises"), ORGANIZATIONS),
    ColumnSpec("research_institution", Label("科研机构", "Research institutions"), ORGANIZATIONS),
    ColumnSpec(
        "social_welfare_organization",
        Label("社会公益组织", "Social welfare organizations"),
        ORGANIZATIONS,
    ),
    ColumnSpec(
        "legal_service_organization",
        Label("法律服务机构", "Legal service organizations"),
        ORGANIZATIONS,
    ),
    ColumnSpec("other_organization", Label("其他", "Other organizations"), ORGANIZATIONS),
    ColumnSpec("total", Label("总计", "Total")),
)

_WITHHELD = Label("（三）不予公开", "(3) Withheld")
_UNAVAILABLE = Label("（四）无法提供", "(4) Cannot be provided")
_NOT_PROCESSED = Label("（五）不予处理", "(5) Not processed")
_OTHER_GROUP = Label("（六）其他处理", "(6) Other handling")


def _outcome(key: str, zh: str, en: str, group: Label | None = None) -> RowSpec:
    return RowSpec(f"requests.outcomes.{key}", Label(zh, en), group, OUTCOMES_HEADER)


_REQUEST_ROWS_HEAD = (
    RowSpec(
        "requests.received",
        Label("一、本年新收政府信息公开申请数量", "1. New applications received this year"),
    ),
    RowSpec(
        "requests.carried_over",
        Label("二、上年结转政府信息公开申请数量", "2. Applications carried over from last year"),
    ),
    _outcome("disclosed", "（一）予以公开", "(1) Disclosed"),
    RowSpec(
        "requests.outcomes.partially_disclosed",
        Label(
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "(2) Partially disclosed (counted only here)",
            aliases=("（二）部分公开",),
        ),
        None,
        OUTCOMES_HEADER,
    ),
    _outcome("withheld.state_secret", "1.属于国家秘密", "1. State secret", _WITHHELD),
    _outcome(
        "withheld.prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        "2. Prohibited by other laws and regulations",
        _WITHHELD,
    ),
    _outcome(
        "withheld.security_stability",
        "3.危及“三安全一稳定”",
        "3. Endangers security or stability",
        _WITHHELD,
    ),
    _outcome(
        "withheld.third_party_rights",
        "4.保护第三方合法权益",
        "4. Protects third-party rights",
        _WITHHELD,
    ),
    _outcome(
        "withheld.internal_affairs", "5.属于三类内部事务信息", "5. Internal affairs", _WITHHELD
    ),
    _outcome(
        "withheld.process_information",
        "6.属于四类过程性信息",
        "6. Process information",
        _WITHHELD,
    ),
    _outcome(
        "withheld.enforcement_case_files",
        "7.属于行政执法案卷",
        "7. Enforcement case files",
        _WITHHELD,
    ),
    _outcome(
        "withheld.administrative_inquiry",
        "8.属于行政查询事项",
        "8. Administrative inquiry matters",
        _WITHHELD,
    ),
    _outcome(
        "unavailable.not_held",
        "1.本机关不掌握相关政府信息",
        "1. Not held by this body",
        _UNAVAILABLE,
    ),
    _outcome(
        "unavailable.needs_creation",
        "2.没有现成信息需要另行制作",
        "2. Would need to be newly made",
        _UNAVAILABLE,
    ),
    _outcome(
        "unavailable.still_unclear",
        "3.补正后申请内容仍不明确",
        "3. Still unclear after correction",
        _UNAVAILABLE,
    ),
    _outcome(
        "not_processed.petition_or_complaint",
        "1.信访举报投诉类申请",
        "1. Petitions, reports or complaints",
        _NOT_PROCESSED,
    ),
    _outcome("not_processed.duplicate", "2.重复申请", "2. Duplicate applications", _NOT_PROCESSED),
    _outcome(
        "not_processed.publication",
        "3.要求提供公开出版物",
        "3. Requests for publications",
        _NOT_PROCESSED,
    ),
    _outcome(
        "not_processed.excessive",
        "4.无正当理由大量反复申请",
        "4. Excessive repeated applications",
        _NOT_PROCESSED,
    ),
    _outcome(
        "not_processed.confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        "5. Requests to confirm or reissue obtained information",
        _NOT_PROCESSED,
    ),
)

_REQUEST_ROWS_TAIL = (
    _outcome("total", "（七）总计", "(7) Total"),
    RowSpec(
        "requests.carried_forward",
        Label("四、结转下年度继续办理", "4. Carried forward to next year"),
    ),
)

_REQUEST_ROWS_2019 = (
    *_REQUEST_ROWS_HEAD,
    _outcome("other", "（六）其他处理", "(6) Other handling"),
    *_REQUEST_ROWS_TAIL,
)

_REQUEST_ROWS_2021 = (
    *_REQUEST_ROWS_HEAD,
    _outcome(
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "1. Applicant did not correct in time; no longer processed",
        _OTHER_GROUP,
    ),
    _outcome(
        "other.fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "2. Applicant did not pay fees in time; no longer processed",
        _OTHER_GROUP,
    ),
    _outcome("other.other", "3.其他", "3. Other", _OTHER_GROUP),
    *_REQUEST_ROWS_TAIL,
)

_APPEAL_COLUMNS = (
    ColumnSpec("upheld", Label("结果维持", "Upheld")),
    ColumnSpec("corrected", Label("结果纠正", "Corrected")),
    ColumnSpec("other", Label("其他结果", "Other result")),
    ColumnSpec("pending", Label("尚未审结", "Pending")),
    ColumnSpec("total", Label("总计", "Total")),
)

_APPEAL_ROWS = (
    RowSpec("appeals.review", REVIEW),
    RowSpec(
        "appeals.litigation_direct",
        Label("未经复议直接起诉", "Sued without prior review"),
        LITIGATION,
    ),
    RowSpec(
        "appeals.litigation_after_review",
        Label("复议后起诉", "Sued after review"),
        LITIGATION,
    ),
)

LABELS_2019: Final = TemplateLabels(
    "2019", _PROACTIVE_2019, _REQUEST_COLUMNS, _REQUEST_ROWS_2019, _APPEAL_COLUMNS, _APPEAL_ROWS
)
LABELS_2021: Final = TemplateLabels(
    "2021", _PROACTIVE_2021, _REQUEST_COLUMNS, _REQUEST_ROWS_2021, _APPEAL_COLUMNS, _APPEAL_ROWS
)
