"""Mangled report pages for parser tests, built the ways real pages deviate.

Invented issuer and prose; labels and layout follow the official templates.
"""

from __future__ import annotations

from collections.abc import Sequence

from disclosure_schema.labels import template_labels

ORG = "示例镇人民政府"
R0 = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
AFTER = "复议后起诉"


def td(text: str, *, colspan: int = 1, rowspan: int = 1, nested: bool = True) -> str:
    spans = (f' colspan="{colspan}"' if colspan > 1 else "") + (
        f' rowspan="{rowspan}"' if rowspan > 1 else ""
    )
    body = text if text else "&nbsp;"
    if nested:
        body = f'<p style="text-align:center"><span style="font-size:12px">{body}</span></p>'
    return f"<td{spans}>{body}</td>"


def tr(*cells: str) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def requests_rows_2021(values: Sequence[str], *, subtotals: bool = False) -> list[str]:
    """Table 三 body rows (2021 grid, 7 columns) with every data row given ``values``."""
    labels = template_labels("2021")
    rows: list[str] = []
    seen_groups: set[str] = set()
    for spec in labels.request_rows:
        cells = [td(value) for value in values]
        if spec.group is None:
            rows.append(tr(td(spec.label.zh, colspan=3), *cells))
            continue
        group = spec.group.zh
        if group not in seen_groups:
            seen_groups.add(group)
            if subtotals:
                rows.append(tr(td(group, colspan=3), *cells))
        rows.append(tr(td(group), td("", nested=False), td(spec.label.zh), *cells))
    return rows


def cms_page_2021(*, charset: str = "gbk") -> str:
    """A whole CMS page: nav, share bar, 无障碍, a .TRS_Editor container, nested <p> in
    <td>, &nbsp; blanks, <br /> in header cells, spans that differ between header and data
    rows, a unit inside a cell, a 总计 column left blank."""
    request_values = ["3", "1", "", "", "", "", ""]  # 总计 left blank
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{ORG}2022年政府信息公开工作年度报告_示例县人民政府</title>
<link rel="canonical" href="https://www.example.gov.cn/xxgk/ndbg/2023/t20230120_1.html">
<script>var x = "一、总体情况 第二十条第（一）项 99";</script>
</head><body>
<div class="nav"><a href="#">首页</a> &gt; <a href="#">政府信息公开</a> &gt; 年报</div>
<div class="top"><a href="#">无障碍</a> <a href="#">长者模式</a></div>
<div class="bdsharebuttonbox">分享到：微信 微博</div>
<div class="article">
<h1>{ORG}2022年政府信息公开工作年度报告</h1>
<div class="info">发布时间：2023-01-20 来源：示例镇</div>
<div class="TRS_Editor">
<p>本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。如对本报告有疑问，请与示例镇党政办联系（电话：0000-1234567）。</p>
<p><strong>一、总体情况</strong></p>
<p>（一）主动公开</p><p>示例镇全年主动公开信息若干条。</p>
<p><strong>二、主动公开政府信息情况</strong></p>
<table border="1"><tbody>
{tr(td("第二十条第（一）项", colspan=4))}
{tr(td("信息内容"), td("本年<br />制发件数"), td("本年<br/>废止件数"), td("现行有效<br>件数"))}
{tr(td("规章"), td("0"), td("0"), td("0"))}
{tr(td("行政规范性文件"), td("2"), td("1"), td("7"))}
{tr(td("第二十条第（五）项", colspan=4))}
{tr(td("信息内容"), td("本年处理决定数量", colspan=3))}
{tr(td("行政许可"), td("15"), td(""), td(""))}
{tr(td("第二十条第（六）项", colspan=4))}
{tr(td("信息内容"), td("本年处理决定数量", colspan=3))}
{tr(td("行政处罚"), td("4", colspan=3))}
{tr(td("行政强制"), td("", colspan=3))}
{tr(td("第二十条第（八）项", colspan=4))}
{tr(td("信息内容"), td("本年收费金额（单位：万元）", colspan=3))}
{tr(td("行政事业性收费"), td("1.25万元", colspan=3))}
</tbody></table>
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>
<table border="1"><tbody>
{tr(td(R0, colspan=3, rowspan=3), td("申请人情况", colspan=7))}
{tr(td("自然人", rowspan=2), td("法人或其他组织", colspan=5), td("总计", rowspan=2))}
{tr(td("商业<br />企业"), td("科研<br />机构"), td("社会公益组织"), td("法律服务机构"), td("其他"))}
{"".join(requests_rows_2021(request_values))}
</tbody></table>
<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
<table border="1"><tbody>
{tr(td("行政复议", colspan=5), td("行政诉讼", colspan=10))}
{tr(*(td(x, rowspan=2) for x in OUTCOMES), td("未经复议直接起诉", colspan=5), td(AFTER, colspan=5))}
{tr(*(td(x) for x in OUTCOMES * 2))}
{tr(*(td(str(n % 3)) for n in range(15)))}
</tbody></table>
<p><strong>五、存在的主要问题及改进情况</strong></p>
<p>示例问题一。</p><p>（一）改进措施</p><p>示例措施。</p>
<p><strong>六、其他需要报告的事项</strong></p>
<p>本年度未收取信息处理费。</p>
</div></div>
<div class="footer">主办：示例县人民政府 网站标识码 0000000000</div>
</body></html>"""
