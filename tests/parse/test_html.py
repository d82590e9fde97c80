"""The HTML path: CMS pages, encodings, grids with spans, paragraphs and <pre>."""

from __future__ import annotations

from decimal import Decimal

from disclosure_schema import cell_value, cells
from disclosure_schema.parse import parse_bytes, parse_html, parse_text
from tests.parse.pages import ORG, cms_page_2021, requests_rows_2021


def test_gbk_cms_page() -> None:
    result = parse_html(cms_page_2021().encode("gbk"))
    report = result.report
    assert report is not None, result.diagnostics
    assert report.template == "2021"
    assert report.meta.year == 2022
    assert report.meta.issuer == ORG
    assert str(report.meta.published) == "2023-01-20"
    assert report.meta.source_url == "https://www.example.gov.cn/xxgk/ndbg/2023/t20230120_1.html"
    assert report.meta.contact is not None
    assert "0000-1234567" in report.meta.contact
    assert cell_value(report, "proactive.normative_documents.in_force") == 7
    assert cell_value(report, "proactive.licensing.decisions") == 15
    assert cell_value(report, "proactive.penalties.decisions") == 4
    assert cell_value(report, "proactive.enforcement.decisions") is None
    assert cell_value(report, "proactive.fees.amount") == Decimal("1.25")
    assert any(w.key == "proactive.fees.amount" and w.unit == "万元" for w in report.as_written)
    assert cell_value(report, "requests.received.natural_person") == 3
    assert cell_value(report, "requests.received.commercial_enterprise") == 1
    assert cell_value(report, "requests.received.total") is None
    assert cell_value(report, "requests.outcomes.other.other.natural_person") == 3
    assert cell_value(report, "requests.carried_forward.commercial_enterprise") == 1
    assert cell_value(report, "appeals.review.upheld") == 0
    assert cell_value(report, "appeals.litigation_after_review.total") == 2
    assert report.overview.parts[0].heading == "（一）主动公开"
    assert report.other_matters.paragraphs == ("本年度未收取信息处理费。",)
    assert not result.errors


def test_gbk_bytes_without_declaration_are_sniffed() -> None:
    page = cms_page_2021(charset="x-unknown").encode("gb18030")
    result = parse_bytes(page, filename="page.htm")
    assert result.report is not None
    assert result.report.meta.issuer == ORG


def test_wrong_declared_charset_falls_back() -> None:
    page = cms_page_2021(charset="utf-8").encode("gbk")
    result = parse_html(page)
    assert result.report is not None
    assert cell_value(result.report, "proactive.licensing.decisions") == 15
    assert any(d.code == "encoding_fallback" for d in result.diagnostics)


def test_subtotal_rows_are_reported_not_stored() -> None:
    rows = "".join(requests_rows_2021(["1", "0", "0", "0", "0", "0", "1"], subtotals=True))
    page = f"<p>三、收到和处理政府信息公开申请情况</p><table>{rows}</table>"
    result = parse_html(page)
    assert result.report is not None
    values = cells(result.report)
    assert all(
        values[k] == (1 if k.endswith(("natural_person", "total")) else 0)
        for k in values
        if k.startswith("requests.")
    )
    assert any(d.code == "subtotal_row" for d in result.diagnostics)


def test_paragraph_cells_and_pre_parse_like_text() -> None:
    lines = [
        "二、主动公开政府信息情况",
        "第二十条第（五）项",
        "信息内容",
        "本年处理决定数量",
        "行政许可",
        "9",
    ]
    as_paragraphs = (
        "".join(f"<p>{line}</p>" for line in lines) + "<p>五、存在的主要问题及改进情况</p>"
    )
    as_pre = "<pre>" + "\n".join(lines) + "\n五、存在的主要问题及改进情况\n</pre>"
    text = "\n".join(lines) + "\n五、存在的主要问题及改进情况\n"
    expected = cells(parse_text(text).report)  # type: ignore[arg-type]
    for page in (as_paragraphs, as_pre):
        report = parse_html(page).report
        assert report is not None
        assert cells(report) == expected
        assert cell_value(report, "proactive.licensing.decisions") == 9


def test_hostile_spans_are_capped() -> None:
    page = (
        '<table><tr><td colspan="999999" rowspan="999999">x</td></tr>'
        + "<tr><td>1</td></tr>" * 10
        + "</table>"
    )
    result = parse_html(page)
    assert result.report is None
    assert result.diagnostics[-1].code == "no_report"


def test_garbage_and_empty_inputs_do_not_raise() -> None:
    for page in (
        "",
        "<",
        "<html><body></body></html>",
        b"\xff\xfe\x00",
        b"\x80\x81\x82",
        "<?xml version='1.0' encoding='utf-8'?><html/>",
    ):
        result = parse_html(page)
        assert result.report is None
        assert result.diagnostics[-1].code == "no_report"


def test_a_page_with_only_a_title_is_not_a_report() -> None:
    page = f"<html><head><title>{ORG}2022年政府信息公开工作年度报告</title></head><body>"
    page += "<div id='app'></div><script>render()</script></body></html>"
    result = parse_html(page)
    assert result.report is None
    assert result.diagnostics[-1].code == "no_report"


def test_report_inside_form_and_print_wrappers_is_kept() -> None:
    page = cms_page_2021(charset="utf-8")
    page = page.replace("<body>", '<body><form id="form1" method="post"><div id="printArea">')
    page = page.replace("</body>", "</div></form></body>")
    page = page.replace('<div class="TRS_Editor">', '<header class="nav-print">', 1)
    page = page.replace(
        '</div></div>\n<div class="footer">', '</header></div>\n<div class="footer">'
    )
    report = parse_html(page).report
    assert report is not None
    assert cell_value(report, "proactive.licensing.decisions") == 15
    assert cell_value(report, "appeals.litigation_after_review.total") == 2
