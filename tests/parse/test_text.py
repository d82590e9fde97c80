"""The text path: one cell per line, pipe rows, variants, truncation, values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disclosure_schema import cell_value
from disclosure_schema.parse import parse_file, parse_text
from disclosure_schema.parse.values import read_cell

HEAD_2022 = "示例乡2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
REQUESTS_HEAD = (
    "三、收到和处理政府信息公开申请情况\n"
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
    "申请人情况\n自然人\n法人或其他组织\n总计\n商业企业\n科研机构\n社会公益组织\n法律服务机构\n其他\n"
)


def _lines(*values: object) -> str:
    return "".join(f"{value}\n" for value in values)


@pytest.mark.parametrize(
    ("text", "kind", "value", "readable"),
    [
        ("0", "count", 0, True),
        (" 0", "count", 0, True),
        ("/", "count", None, True),
        ("—", "count", None, True),
        ("_", "count", None, True),
        ("", "count", None, True),
        ("+6", "signed", 6, True),
        ("-417", "signed", -417, True),
        ("－8", "signed", -8, True),
        ("１２", "count", 12, True),
        ("1,234", "count", 1234, True),
        ("12件", "count", 12, True),
        ("160.5964万元", "amount", Decimal("160.5964"), True),
        ("184719元", "amount", Decimal("184719"), True),
        ("约30", "count", None, False),
        ("30余", "count", None, False),
        ("58.5%", "count", None, False),
        ("-3", "count", None, False),
        ("2.5", "count", None, False),
        ("1234567890123456", "count", None, False),
        # beyond what the model holds: unreadable, never a report lost to one cell
        ("0.00000000000001", "amount", None, False),
        ("1.12345678901", "amount", None, False),
        ("1.1234567890", "amount", Decimal("1.1234567890"), True),
        ("-0", "amount", Decimal(0), True),
    ],
)
def test_read_cell(text: str, kind: str, value: object, readable: bool) -> None:
    reading = read_cell(text, kind)  # type: ignore[arg-type]
    assert reading.value == value
    assert reading.readable is readable


def test_2019_grid_on_a_2022_report_is_parsed_as_2019_with_a_warning() -> None:
    text = HEAD_2022 + _lines(
        "第二十条第（五）项",
        "信息内容",
        "上一年项目数量",
        "本年增/减",
        "处理决定数量",
        "行政许可",
        "3",
        "+2",
        "40",
        "其他对外管理服务事项",
        "5",
        "-1",
        "6",
        "第二十条第（九）项",
        "信息内容",
        "采购项目数量",
        "采购总金额",
        "政府集中采购",
        "2",
        "160.5964万元",
        "五、存在的主要问题及改进情况",
        "无。",
    )
    result = parse_text(text)
    report = result.report
    assert report is not None
    assert report.template == "2019"
    assert report.meta.year == 2022
    assert any(d.code == "template_year_mismatch" for d in result.diagnostics)
    assert cell_value(report, "proactive.licensing.change") == 2
    assert cell_value(report, "proactive.other_services.change") == -1
    assert cell_value(report, "proactive.procurement.amount") == Decimal("160.5964")
    written = {w.key: w for w in report.as_written}
    assert written["proactive.licensing.change"].text == "+2"
    assert written["proactive.procurement.amount"].unit == "万元"


def test_traditional_characters_and_notes_in_labels() -> None:
    text = HEAD_2022 + _lines(
        "第二十條第(一)項",
        "信息內容",
        "本年制發件數",
        "本年廢止件數",
        "現行有效件數(歷史累計)",
        "規章(設區的市、自治州人民政府應提供相關數據)",
        "/",
        "/",
        "/",
        "行政規範性檔案(說明)",
        "1",
        "0",
        "4",
    )
    report = parse_text(text).report
    assert report is not None
    assert report.template == "2021"
    assert cell_value(report, "proactive.regulations.issued") is None
    assert cell_value(report, "proactive.normative_documents.in_force") == 4


def test_pipe_rows_with_blank_cells() -> None:
    text = HEAD_2022 + (
        "第二十条第(一)项 | |||\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "规章 | 0 | | 0 |\n行政规范性文件 | 4 | - | 4 |\n"
    )
    report = parse_text(text).report
    assert report is not None
    assert cell_value(report, "proactive.regulations.repealed") is None
    assert cell_value(report, "proactive.regulations.in_force") == 0
    assert cell_value(report, "proactive.normative_documents.repealed") is None


def test_eight_column_table_three() -> None:
    header = REQUESTS_HEAD.replace("其他\n", "其他\n小计\n")
    rows = _lines(
        "一、本年新收政府信息公开申请数量",
        5,
        1,
        2,
        0,
        0,
        0,
        3,
        8,
        "二、上年结转政府信息公开申请数量",
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    )
    result = parse_text(HEAD_2022 + header + rows + "四、政府信息公开行政复议、行政诉讼情况\n")
    report = result.report
    assert report is not None
    assert cell_value(report, "requests.received.natural_person") == 5
    assert cell_value(report, "requests.received.commercial_enterprise") == 1
    assert cell_value(report, "requests.received.research_institution") == 2
    assert cell_value(report, "requests.received.other_organization") == 0
    assert cell_value(report, "requests.received.total") == 8
    assert any(d.code == "subtotal_column" for d in result.diagnostics)


def test_split_group_labels_and_other_rows_2021() -> None:
    rows = _lines(
        "三、",
        "（三）",
        "不予",
        "公开",
        "1.属于国家秘密",
        *[1] * 7,
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        *[2] * 7,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        *[3] * 7,
        "3.其他",
        *[4] * 7,
        "（七）总计",
        *[9] * 7,
    )
    report = parse_text(HEAD_2022 + REQUESTS_HEAD + rows).report
    assert report is not None
    assert report.template == "2021"
    assert cell_value(report, "requests.outcomes.withheld.state_secret.total") == 1
    assert cell_value(report, "requests.outcomes.other.no_correction.total") == 2
    assert cell_value(report, "requests.outcomes.other.fee_unpaid.total") == 3
    assert cell_value(report, "requests.outcomes.other.other.total") == 4
    assert cell_value(report, "requests.outcomes.total.total") == 9


def test_truncated_mid_row_keeps_full_cells_and_says_where() -> None:
    text = HEAD_2022 + REQUESTS_HEAD + _lines("一、本年新收政府信息公开申请数量", 5, 1, 0) + "1"
    result = parse_text(text)
    report = result.report
    assert report is not None
    assert cell_value(report, "requests.received.research_institution") == 0
    assert cell_value(report, "requests.received.social_welfare_organization") is None
    truncated = [d for d in result.diagnostics if d.code == "truncated"]
    assert truncated
    assert all(d.line is not None for d in truncated)


def test_ambiguous_short_row_is_left_empty() -> None:
    text = HEAD_2022 + _lines(
        "第二十条第（八）项",
        "信息内容",
        "上一年项目数量",
        "本年增/减",
        "行政事业性收费",
        "0",
        "第二十条第（九）项",
    )
    result = parse_text(text)
    assert result.report is not None
    assert cell_value(result.report, "proactive.fees.previous_items") is None
    assert any(d.code == "missing_values" for d in result.diagnostics)


def test_unreadable_value_is_kept_as_written() -> None:
    text = (
        HEAD_2022
        + _lines(
            "第二十条第（五）项",
            "信息内容",
            "本年处理决定数量",
            "行政许可",
            "约30",
        )
        + "五、存在的主要问题及改进情况\n"
    )
    result = parse_text(text)
    report = result.report
    assert report is not None
    assert cell_value(report, "proactive.licensing.decisions") is None
    assert any(w.text == "约30" for w in report.as_written)
    assert any(d.code == "unreadable_value" and d.key for d in result.diagnostics)


@pytest.mark.parametrize("written", ["0.00000000000001", "3.12345678901"])
def test_an_amount_the_model_cannot_hold_leaves_its_cell_empty_not_the_report(
    written: str,
) -> None:
    # regression: the model refused the value and the whole report was lost
    text = (
        HEAD_2022
        + _lines(
            "第二十条第（八）项",
            "信息内容",
            "本年收费金额（单位：万元）",
            "行政事业性收费",
            written,
        )
        + "五、存在的主要问题及改进情况\n"
    )
    result = parse_text(text)
    assert result.report is not None
    assert cell_value(result.report, "proactive.fees.amount") is None
    assert any(
        d.code == "unreadable_value" and d.key == "proactive.fees.amount"
        for d in result.diagnostics
    )
    assert any(w.text == written for w in result.report.as_written)


def test_no_report() -> None:
    result = parse_text("今天天气很好。\n明天也不错。\n")
    assert result.report is None
    assert not result.found
    assert result.diagnostics[-1].code == "no_report"


def test_missing_file(tmp_path: object) -> None:
    with pytest.raises(FileNotFoundError):
        parse_file("/nonexistent/page.txt")


def test_large_input_finishes() -> None:
    # Time against size is measured by bench/bench_parse.py (scaling), not asserted here.
    text = ("行政许可 | 0 | 1 |\n" + "这是一行普通文字。" * 20 + "\n") * 20_000
    assert isinstance(parse_text(text + "x" * 3_000_000).diagnostics, tuple)


def test_rows_copied_with_single_spaces() -> None:
    text = HEAD_2022 + (
        "第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可 15\n"
        "第二十条第（六）项\n行政处罚 4\n行政强制 /\n"
        + REQUESTS_HEAD
        + "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3\n"
        + "3.危及“三安全一稳定” 1 0 0 0 0 0 1\n"
        + "四、政府信息公开行政复议、行政诉讼情况\n"
        + "0 0 0 0 0 1 0 0 0 1 0 0 0 0 0\n五、存在的主要问题及改进情况\n"
    )
    report = parse_text(text).report
    assert report is not None
    assert cell_value(report, "proactive.licensing.decisions") == 15
    assert cell_value(report, "proactive.penalties.decisions") == 4
    assert cell_value(report, "proactive.enforcement.decisions") is None
    assert cell_value(report, "requests.received.total") == 3
    assert cell_value(report, "requests.outcomes.withheld.security_stability.total") == 1
    assert cell_value(report, "appeals.litigation_direct.upheld") == 1
    assert cell_value(report, "appeals.litigation_direct.total") == 1


def test_eight_columns_without_header_found_by_arithmetic() -> None:
    rows = _lines(
        "一、本年新收政府信息公开申请数量", 5, 3, 1, 2, 0, 0, 0, 8,
        "二、上年结转政府信息公开申请数量", 1, 0, 0, 0, 0, 0, 0, 1,
    )  # fmt: skip
    result = parse_text(HEAD_2022 + "三、收到和处理政府信息公开申请情况\n" + rows)
    report = result.report
    assert report is not None
    assert cell_value(report, "requests.received.commercial_enterprise") == 1
    assert cell_value(report, "requests.received.research_institution") == 2
    assert cell_value(report, "requests.received.total") == 8


def test_eight_columns_that_do_not_add_up_are_not_guessed() -> None:
    rows = _lines("一、本年新收政府信息公开申请数量", 5, 3, 1, 9, 0, 0, 0, 8)
    result = parse_text(HEAD_2022 + "三、收到和处理政府信息公开申请情况\n" + rows)
    assert result.report is not None
    assert cell_value(result.report, "requests.received.natural_person") is None
    assert any(d.code == "ambiguous_columns" for d in result.diagnostics)


def test_single_value_written_in_a_later_spanned_cell() -> None:
    text = (
        HEAD_2022
        + "第二十条第(五)项 | | | |\n信息内容 | 本年处理决定数量 | | |\n行政许可 | | | 7 |\n"
    )
    report = parse_text(text).report
    assert report is not None
    assert cell_value(report, "proactive.licensing.decisions") == 7


def test_numbering_on_its_own_line() -> None:
    rows = _lines("（七）", "总计", *[4] * 7, "四、", "结转下年度继续办理", *[1] * 7)
    report = parse_text(HEAD_2022 + REQUESTS_HEAD + rows).report
    assert report is not None
    assert cell_value(report, "requests.outcomes.total.total") == 4
    assert cell_value(report, "requests.carried_forward.natural_person") == 1


def test_row_labels_split_over_lines() -> None:
    rows = _lines(
        "一、本年新收政府信息", "公开申请数量", *[2] * 7,
        "二、上年结转政府信息", "公开申请数量", *[1] * 7,
    )  # fmt: skip
    report = parse_text(HEAD_2022 + REQUESTS_HEAD + rows).report
    assert report is not None
    assert cell_value(report, "requests.received.total") == 2
    assert cell_value(report, "requests.carried_over.total") == 1


def test_table_three_without_its_heading() -> None:
    text = HEAD_2022 + _lines(
        "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费", "0",
        "申请人情况", "一、本年新收政府信息公开申请数量", *[1] * 7,
        "（一）予以公开", *[1] * 7,
    )  # fmt: skip
    result = parse_text(text)
    report = result.report
    assert report is not None
    assert cell_value(report, "requests.received.total") == 1
    assert cell_value(report, "requests.outcomes.disclosed.natural_person") == 1
    assert report.proactive.extra_rows == ()
