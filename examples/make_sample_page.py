# ruff: noqa: E501 - the page skeleton is HTML written as a CMS writes it, long lines included
"""Write ``sample-page.html``: a report page of our own making, as a government CMS shows it.

The office and every number are invented (the totals add up). The page has the mess of a
real CMS page on purpose, so the demo and the tests exercise the parser on it: site
navigation, breadcrumbs, a share bar and a footer around a ``.TRS_Editor`` container,
``<p><span>`` inside table cells, ``&nbsp;`` for blank cells, ``<br />`` inside header
cells, inline styles, and one table per section.

Run: ``python examples/make_sample_page.py``
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

ISSUER = "示例县示例镇人民政府"
YEAR = 2023

#: 三、收到和处理政府信息公开申请情况: row label → the six applicant columns and 总计;
#: ``None`` is a blank cell (&nbsp;).
APPLICATIONS: dict[str, tuple[int | None, ...]] = {
    "received": (40, 3, 0, 1, 0, 2, 46),
    "carried_over": (2, 0, 0, 0, 0, 0, 2),
    "disclosed": (20, 2, 0, 1, 0, 1, 24),
    "partially_disclosed": (5, 0, 0, 0, 0, 0, 5),
    "withheld.state_secret": (0, 0, 0, 0, 0, 0, 0),
    "withheld.prohibited_by_law": (0, 0, 0, 0, 0, 0, 0),
    "withheld.security_stability": (0, 0, 0, 0, 0, 0, 0),
    "withheld.third_party_rights": (1, 0, 0, 0, 0, 0, 1),
    "withheld.internal_affairs": (0, 0, 0, 0, 0, 0, 0),
    "withheld.process_information": (1, 0, 0, 0, 0, 0, 1),
    "withheld.enforcement_case_files": (0, 0, 0, 0, 0, 0, 0),
    "withheld.administrative_inquiry": (0, 0, 0, 0, 0, 0, 0),
    "unavailable.not_held": (6, 1, 0, 0, 0, 0, 7),
    "unavailable.needs_creation": (1, 0, 0, 0, 0, 0, 1),
    "unavailable.still_unclear": (0, 0, 0, 0, 0, 0, 0),
    "not_processed.petition_or_complaint": (0, 0, 0, 0, 0, 0, 0),
    "not_processed.duplicate": (2, 0, 0, 0, 0, 0, 2),
    "not_processed.publication": (0, 0, 0, 0, 0, 0, 0),
    "not_processed.excessive": (0, 0, 0, 0, 0, 0, 0),
    "not_processed.confirmation": (0, 0, 0, 0, 0, 0, 0),
    "other.no_correction": (1, 0, 0, 0, 0, 0, 1),
    "other.fee_unpaid": (0, 0, 0, 0, 0, 0, 0),
    "other.other": (1, 0, 0, 0, 0, 1, 2),
    "total": (38, 3, 0, 1, 0, 2, 44),
    "carried_forward": (4, 0, 0, 0, 0, 0, 4),
}

#: 四: 行政复议, 未经复议直接起诉, 复议后起诉 × 结果维持/结果纠正/其他结果/尚未审结/总计.
APPEALS: tuple[tuple[int | None, ...], ...] = (
    (1, 0, 0, 1, 2),
    (1, 0, 0, 0, 1),
    (None, None, None, None, None),
)

_LABELS = {
    "received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "disclosed": "（一）予以公开",
    "partially_disclosed": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld.state_secret": "1.属于国家秘密",
    "withheld.prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld.security_stability": "3.危及“三安全一稳定”",
    "withheld.third_party_rights": "4.保护第三方合法权益",
    "withheld.internal_affairs": "5.属于三类内部事务信息",
    "withheld.process_information": "6.属于四类过程性信息",
    "withheld.enforcement_case_files": "7.属于行政执法案卷",
    "withheld.administrative_inquiry": "8.属于行政查询事项",
    "unavailable.not_held": "1.本机关不掌握相关政府信息",
    "unavailable.needs_creation": "2.没有现成信息需要另行制作",
    "unavailable.still_unclear": "3.补正后申请内容仍不明确",
    "not_processed.petition_or_complaint": "1.信访举报投诉类申请",
    "not_processed.duplicate": "2.重复申请",
    "not_processed.publication": "3.要求提供公开出版物",
    "not_processed.excessive": "4.无正当理由大量反复申请",
    "not_processed.confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other.no_correction": ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "other.fee_unpaid": (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    ),
    "other.other": "3.其他",
    "total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}

_GROUPS = {
    "withheld": ("（三）不予公开", 8),
    "unavailable": ("（四）无法提供", 3),
    "not_processed": ("（五）不予处理", 5),
    "other": ("（六）其他处理", 3),
}

TD = '<td style="border:1px solid #000;text-align:center;" valign="middle">'


def cell(value: int | str | None, attributes: str = "") -> str:
    """A data cell the way the CMS writes it: a paragraph with a span inside."""
    if value is None:
        return f"{TD[:-1]}{attributes}>&nbsp;</td>"
    return (
        f'{TD[:-1]}{attributes}><p style="text-indent:0;margin:0;">'
        f'<span style="font-family:仿宋_GB2312;font-size:16px;">{value}</span></p></td>'
    )


def _proactive_table() -> str:
    def caption(item: str) -> str:
        return f'<tr><td colspan="4" style="background:#DEEAF6;">{item}</td></tr>'

    header4 = (
        "<tr>"
        + cell("信息内容")
        + cell("本年制发<br />件数")
        + cell("本年废止<br/>件数")
        + cell("现行有效件数")
        + "</tr>"
    )
    rows = [
        caption("第二十条第（一）项"),
        header4,
        "<tr>" + cell("规章") + cell(0) + cell(0) + cell(0) + "</tr>",
        "<tr>" + cell("行政规范性文件") + cell(3) + cell(1) + cell(12) + "</tr>",
        caption("第二十条第（五）项"),
        "<tr>" + cell("信息内容") + cell("本年处理决定数量", ' colspan="3"') + "</tr>",
        "<tr>" + cell("行政许可") + cell(156, ' colspan="3"') + "</tr>",
        caption("第二十条第（六）项"),
        "<tr>" + cell("信息内容") + cell("本年处理决定数量", ' colspan="3"') + "</tr>",
        "<tr>" + cell("行政处罚") + cell(23, ' colspan="3"') + "</tr>",
        "<tr>" + cell("行政强制") + cell(2, ' colspan="3"') + "</tr>",
        caption("第二十条第（八）项"),
        "<tr>" + cell("信息内容") + cell("本年收费金额（单位：万元）", ' colspan="3"') + "</tr>",
        "<tr>" + cell("行政事业性收费") + cell("1.2345", ' colspan="3"') + "</tr>",
    ]
    return _table(rows)


def _table(rows: list[str]) -> str:
    body = "\n".join(rows)
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="600"'
        ' style="border-collapse:collapse;">\n<tbody>\n' + body + "\n</tbody>\n</table>"
    )


def _applications_table() -> str:
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    rows = [
        "<tr>"
        + cell(corner, ' colspan="3" rowspan="3"')
        + cell("申请人情况", ' colspan="7"')
        + "</tr>",
        "<tr>"
        + cell("自然人", ' rowspan="2"')
        + cell("法人或其他组织", ' colspan="5"')
        + cell("总计", ' rowspan="2"')
        + "</tr>",
        "<tr>"
        + "".join(
            cell(label)
            for label in (
                "商业<br />企业",
                "科研<br />机构",
                "社会公益<br />组织",
                "法律服务<br />机构",
                "其他",
            )
        )
        + "</tr>",
    ]
    first_outcome = True
    group_started: set[str] = set()
    for key, values in APPLICATIONS.items():
        label = _LABELS[key]
        cells = "".join(cell(value) for value in values)
        group = key.split(".")[0] if "." in key else None
        if key in ("received", "carried_over", "carried_forward"):
            rows.append("<tr>" + cell(label, ' colspan="3"') + cells + "</tr>")
            continue
        lead = ""
        if first_outcome:
            lead = cell("三、本年度办理结果", ' rowspan="22"')
            first_outcome = False
        if group is None:
            rows.append("<tr>" + lead + cell(label, ' colspan="2"') + cells + "</tr>")
            continue
        if group not in group_started:
            group_started.add(group)
            name, span = _GROUPS[group]
            lead += cell(name, f' rowspan="{span}"')
        rows.append("<tr>" + lead + cell(label) + cells + "</tr>")
    return _table(rows)


def _appeals_table() -> str:
    outcomes = ("结果<br />维持", "结果<br />纠正", "其他<br />结果", "尚未<br />审结", "总计")
    rows = [
        "<tr>" + cell("行政复议", ' colspan="5"') + cell("行政诉讼", ' colspan="10"') + "</tr>",
        "<tr>"
        + "".join(cell(label, ' rowspan="2"') for label in outcomes)
        + cell("未经复议直接起诉", ' colspan="5"')
        + cell("复议后起诉", ' colspan="5"')
        + "</tr>",
        "<tr>" + "".join(cell(label) for label in outcomes * 2) + "</tr>",
        "<tr>" + "".join(cell(value) for group in APPEALS for value in group) + "</tr>",
    ]
    return _table(rows)


def _paragraph(text: str) -> str:
    return (
        '<p style="text-indent:2em;line-height:1.75;"><span style="font-family:仿宋_GB2312;">'
        f"{text}</span></p>"
    )


def _heading(text: str) -> str:
    return f'<p style="text-indent:2em;"><strong><span style="font-family:黑体;">{text}</span></strong></p>'


def page() -> str:
    title = f"{ISSUER}{YEAR}年政府信息公开工作年度报告"
    body = "\n".join(
        [
            _paragraph(
                f"本报告由{ISSUER}根据《中华人民共和国政府信息公开条例》编制（disclosure_schema"
                " 自编示例，机关与数字均为虚构）。本报告中所列数据的统计期限自"
                f"{YEAR}年1月1日起至{YEAR}年12月31日止。"
            ),
            _heading("一、总体情况"),
            _paragraph("（一）主动公开。全年通过门户网站发布各类信息，及时更新重点领域信息。"),
            _paragraph("（二）依申请公开。规范受理、办理和答复流程，均在法定期限内答复。"),
            _heading("二、主动公开政府信息情况"),
            _proactive_table(),
            _heading("三、收到和处理政府信息公开申请情况"),
            _applications_table(),
            _heading("四、政府信息公开行政复议、行政诉讼情况"),
            _appeals_table(),
            _heading("五、存在的主要问题及改进情况"),
            _paragraph("信息更新的及时性有待提高。下一步将加强培训，完善发布审核机制。"),
            _heading("六、其他需要报告的事项"),
            _paragraph("本年度未收取信息处理费。"),
            '<p style="text-align:right;">' + ISSUER + "</p>",
            f'<p style="text-align:right;">{YEAR + 1}年1月20日</p>',
        ]
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<title>{title}_政府信息公开年报_示例县人民政府网</title>
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="{YEAR + 1}-01-20 09:30" />
<link rel="stylesheet" href="/css/common.css" />
<script type="text/javascript">var _hmt = _hmt || []; /* site statistics */</script>
</head>
<body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="示例县人民政府" /></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
<form class="search"><input type="text" placeholder="请输入关键字" /><button>搜索</button></form>
</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="article">
<h1 class="article-title">{title}</h1>
<div class="article-info">发布时间：{YEAR + 1}-01-20&nbsp;&nbsp;来源：{ISSUER}&nbsp;&nbsp;浏览次数：<span id="views">128</span>
&nbsp;&nbsp;字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div class="share">分享到：<a class="wx" href="#">微信</a><a class="wb" href="#">微博</a><a class="qq" href="#">QQ空间</a></div>
<div class="TRS_Editor"><style type="text/css">.TRS_Editor P{{line-height:1.75;}}</style>
<div class="Custom_UnionStyle">
{body}
</div></div>
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer"><p>主办：示例县人民政府办公室&nbsp;&nbsp;网站标识码：0000000000</p>
<p>示ICP备00000000号</p></div>
</body>
</html>
"""


def main() -> None:
    (HERE / "sample-page.html").write_text(page(), encoding="utf-8")


if __name__ == "__main__":
    main()
