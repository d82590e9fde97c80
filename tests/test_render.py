"""Rendering: golden files, valid Markdown tables, well-formed HTML that holds every value,
aligned text, labels only from the labels table."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
import tabulate
from hypothesis import given, settings
from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from wcwidth import wcswidth

from disclosure_schema import (
    DecisionRow2021,
    ExtraRow,
    FeeAmountRow2021,
    ItemRow2019,
    Proactive2019,
    Proactive2021,
    ProcurementRow2019,
    Report,
    Report2019,
    Report2021,
    WrittenValue,
    cell_kinds,
    cells,
    from_json,
    labels,
    render_findings,
    render_html,
    render_markdown,
    render_text,
)
from disclosure_schema.checks.findings import Finding
from disclosure_schema.render.layout import Table, build_document, flatten
from tests.strategies import reports

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = ("chengguan-2020", "example-2021")
RENDERERS = {"md": render_markdown, "txt": render_text, "html": render_html}


def example(name: str) -> Report:
    return from_json((ROOT / "examples" / f"{name}.json").read_text(encoding="utf-8"))


def tables(report: Report) -> list[Table]:
    document = build_document(report)
    return [block for s in document.sections for block in s.blocks if isinstance(block, Table)]


# ---------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("suffix", sorted(RENDERERS))
def test_golden(name: str, suffix: str) -> None:
    rendered = RENDERERS[suffix](example(name))
    path = GOLDEN / f"{name}.{suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8"), f"regenerate with UPDATE_GOLDEN=1: {path}"


# ---------------------------------------------------------------------------- Markdown


def markdown_tables(source: str) -> list[list[list[str]]]:
    """Every table of a Markdown document as rows of cell texts, header row first."""
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    found: list[list[list[str]]] = []
    for token in tokens:
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            found[-1].append([])
        elif token.type == "inline" and found and found[-1] and token.level >= 4:
            found[-1][-1].append(token.content)
    return found


@pytest.mark.parametrize("name", EXAMPLES)
def test_markdown_tables_parse_back_to_the_flat_tables(name: str) -> None:
    report = example(name)
    expected = [
        [list(flat.header), *map(list, flat.rows)] for t in tables(report) for flat in flatten(t)
    ]
    parsed = markdown_tables(render_markdown(report))
    assert len(parsed) == {"2019": 7, "2021": 6}[report.template]
    assert parsed == expected


def test_markdown_requests_table_shape() -> None:
    for name, rows in (("chengguan-2020", 23), ("example-2021", 25)):
        requests = markdown_tables(render_markdown(example(name), sections=["requests"]))
        assert len(requests) == 1
        assert len(requests[0]) == 1 + rows
        assert {len(row) for row in requests[0]} == {8}
        assert requests[0][0][2] == "法人或其他组织 · 商业企业"
        assert "（三）不予公开 · 1.属于国家秘密" in requests[0][5][0]


def test_markdown_appeals_folds_into_three_rows() -> None:
    [appeals] = markdown_tables(render_markdown(example("example-2021"), sections=["appeals"]))
    assert appeals[0] == ["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [row[0] for row in appeals[1:]] == [
        "行政复议",
        "行政诉讼 · 未经复议直接起诉",
        "行政诉讼 · 复议后起诉",
    ]


# ---------------------------------------------------------------------------- HTML


def value_of(text: str, kind: str, unit: str | None, empty: str = "—") -> int | Decimal | None:
    if text == empty:
        return None
    if unit and kind == "amount":
        assert text.endswith(unit)
        text = text.removesuffix(unit)
    if kind == "amount":
        return Decimal(text)
    if kind == "signed" and text.startswith("+"):
        assert text != "+0"
        text = text[1:]
    assert re.fullmatch(r"-?\d+", text), text
    return int(text)


def check_html_cells(report: Report, root: etree._Element) -> None:
    kinds = cell_kinds(report.template)
    units: dict[str, str] = {}
    for written in report.as_written:
        if written.unit:
            units.setdefault(written.key, written.unit)
    found = {cell.get("data-key"): cell.text or "" for cell in root.iter("td")}
    found.pop(None, None)
    values = cells(report)
    assert set(found) == set(values)
    for key, text in found.items():
        assert key is not None
        assert value_of(text, kinds[key], units.get(key)) == values[key], key


def grid_widths(table: etree._Element) -> set[int]:
    """The width of every row of a table once row spans are resolved."""
    taken: dict[int, int] = {}  # row index → columns taken by cells spanning from above
    widths: set[int] = set()
    for index, row in enumerate(table.iter("tr")):
        width = taken.pop(index, 0)
        for cell in row:
            colspan = int(cell.get("colspan", "1"))
            width += colspan
            for below in range(1, int(cell.get("rowspan", "1"))):
                taken[index + below] = taken.get(index + below, 0) + colspan
        widths.add(width)
    return widths


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_is_well_formed_and_holds_every_value(name: str) -> None:
    report = example(name)
    root = etree.fromstring(render_html(report))
    check_html_cells(report, root)
    widths = {t.get("data-section"): grid_widths(t) for t in root.iter("table")}
    assert widths == {"proactive": {4}, "requests": {10}, "appeals": {15}}


@pytest.mark.parametrize(("name", "rowspan"), [("chengguan-2020", "20"), ("example-2021", "22")])
def test_html_spans_follow_the_template(name: str, rowspan: str) -> None:
    root = etree.fromstring(render_html(example(name), sections=["requests"]))
    spans = {th.text: (th.get("rowspan"), th.get("colspan")) for th in root.iter("th")}
    assert spans[labels.R0_NOTE.zh] == ("3", "3")
    assert spans[labels.APPLICANT_HEADER.zh] == (None, "7")
    assert spans["自然人"] == ("2", None)
    assert spans[labels.ORGANIZATIONS.zh] == (None, "5")
    assert spans[labels.OUTCOMES_HEADER.zh] == (rowspan, None)
    assert spans["（三）不予公开"] == ("8", None)
    assert spans["（四）无法提供"] == ("3", None)
    assert spans["（五）不予处理"] == ("5", None)
    assert spans["（七）总计"] == (None, "2")


def test_html_full_page() -> None:
    page = render_html(example("example-2021"), full_page=True)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "<br" not in page
    check_html_cells(example("example-2021"), lxml_html.document_fromstring(page))


def test_html_escapes_text() -> None:
    report = Report2021(
        proactive=Proactive2021(
            extra_rows=(ExtraRow(item=1, label="<b>&</b>", values=(1,), as_written=("1",)),)
        )
    )
    page = render_html(report, sections=["proactive"])
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in page
    etree.fromstring(page)


# ---------------------------------------------------------------------------- text


@pytest.mark.parametrize("name", EXAMPLES)
def test_text_columns_line_up_in_display_width(name: str) -> None:
    assert tabulate.WIDE_CHARS_MODE, "tabulate needs wcwidth to measure Chinese text"
    rendered = render_text(example(name))
    table_lines = [line for line in rendered.splitlines() if line.startswith(("+", "|"))]
    assert len(table_lines) > 50
    blocks: list[list[str]] = [[]]
    for line in rendered.splitlines():
        if line.startswith(("+", "|")):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    for block in filter(None, blocks):
        assert len({wcswidth(line) for line in block}) == 1, block[:3]

        # The column borders sit at the same display positions on every line.
        def borders(line: str, mark: str) -> tuple[int, ...]:
            return tuple(wcswidth(line[:i]) for i, ch in enumerate(line) if ch == mark)

        rules = {borders(line, "+") for line in block if line.startswith("+")}
        contents = {borders(line, "|") for line in block if line.startswith("|")}
        assert len(rules) == 1
        assert contents == rules


# ---------------------------------------------------------------------------- values, options


def test_values_render_as_written_without_float_artefacts() -> None:
    report = Report2019(
        proactive=Proactive2019(
            licensing=ItemRow2019(previous_items=10, change=-417, decisions=None),
            other_services=ItemRow2019(previous_items=0, change=6, decisions=0),
            procurement=ProcurementRow2019(projects=3, amount=Decimal("160.5964")),
        ),
        as_written=(
            WrittenValue(key="proactive.procurement.amount", text="160.5964万元", unit="万元"),
        ),
    )
    root = etree.fromstring(render_html(report, sections=["proactive"]))
    text = {td.get("data-key"): td.text for td in root.iter("td") if td.get("data-key")}
    assert text["proactive.licensing.change"] == "-417"
    assert text["proactive.other_services.change"] == "+6"
    assert text["proactive.other_services.decisions"] == "0"
    assert text["proactive.licensing.decisions"] == "—"
    assert text["proactive.procurement.amount"] == "160.5964万元"
    fees = Report2021(proactive=Proactive2021(fees=FeeAmountRow2021(amount=Decimal("1E+2"))))
    assert "| 100 " in render_markdown(fees, sections=["proactive"])
    fees = Report2021(proactive=Proactive2021(fees=FeeAmountRow2021(amount=Decimal("0.10"))))
    assert "| 0.10 " in render_markdown(fees, sections=["proactive"], empty="n/a")


def test_empty_placeholder_is_an_option() -> None:
    rendered = render_markdown(Report2021(), sections=["appeals"], empty="(empty)")
    assert rendered.count("(empty)") == 15
    assert "—" not in rendered


def test_extra_rows_appear_at_the_end_of_their_block() -> None:
    report = example("chengguan-2020")
    [first, *_] = markdown_tables(render_markdown(report, sections=["proactive"]))
    assert [row[0] for row in first] == ["信息内容", "规章", "规范性文件", "其他主动公开文件"]
    assert first[-1][1:] == ["35", "35", "35"]


def test_extra_rows_of_an_item_the_template_lacks_are_kept() -> None:
    extra = ExtraRow(item=9, label="政府集中采购", values=(2, Decimal("1.5")), as_written=())
    report = Report2021(proactive=Proactive2021(extra_rows=(extra,)))
    rendered = render_markdown(report, sections=["proactive"])
    assert "第二十条第（九）项" in rendered
    assert "| 政府集中采购 | 2 " in rendered.replace("  ", " ").replace("  ", " ")


def test_extra_row_wider_than_its_block_keeps_every_cell_and_no_value_twice() -> None:
    extra = ExtraRow(item=5, label="其他", values=(1, 2, 3), as_written=("1", "2", "3"))
    report = Report2021(
        proactive=Proactive2021(licensing=DecisionRow2021(decisions=7), extra_rows=(extra,))
    )
    [_, licensing, *_] = markdown_tables(render_markdown(report, sections=["proactive"]))
    assert licensing == [
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政许可", "7", "", ""],
        ["其他", "1", "2", "3"],
    ]
    root = etree.fromstring(render_html(report, sections=["proactive"]))
    assert [td.text for td in root.iter("td") if td.get("class") == "extra"] == ["1", "2", "3"]


def test_sections_option_selects_and_orders() -> None:
    rendered = render_markdown(example("example-2021"), sections={"appeals", "overview"})
    headings = [line for line in rendered.splitlines() if line.startswith("## ")]
    assert headings == [
        f"## {labels.SECTION_TITLES['overview'].zh}",
        f"## {labels.SECTION_TITLES['appeals'].zh}",
    ]
    with pytest.raises(ValueError, match="unknown section keys"):
        render_text(example("example-2021"), sections=["summary"])
    with pytest.raises(ValueError, match="unknown language"):
        render_html(example("example-2021"), language="fr")  # type: ignore[arg-type]


def test_english_labels() -> None:
    rendered = render_markdown(example("example-2021"), language="en", sections=["requests"])
    assert labels.SECTION_TITLES["requests"].en in rendered
    assert "Legal persons or other organizations · Commercial enterprises" in rendered
    assert "（三）不予公开" not in rendered


def test_title_from_issuer_and_year_when_the_report_has_none() -> None:
    report = from_json(
        (ROOT / "examples" / "example-2021.json")
        .read_text(encoding="utf-8")
        .replace('"title": "示例县示例局2023年政府信息公开工作年度报告（示例）"', '"title": null')
    )
    assert render_markdown(report, sections=()).startswith(
        "# 示例县示例局（示例数据，非真实机关）2023年政府信息公开工作年度报告\n"
    )
    assert render_text(Report2021(), sections=(), language="en").startswith(
        "Government information disclosure annual report\n"
    )


# ---------------------------------------------------------------------------- findings

FINDING = Finding(
    rule="requests.balance",
    severity="error",
    cells=("requests.received.total", "requests.outcomes.total.total"),
    expected=56,
    actual=57,
    difference=1,
    message_zh="第一项加第二项之和不等于第三项加第四项之和",
    message_en="Items 1 + 2 do not equal items 3 + 4",
)


def test_findings_are_listed_under_the_tables() -> None:
    report = example("example-2021")
    rendered = render_markdown(report, findings=[FINDING])
    assert rendered.index(labels.FINDINGS_TITLE.zh) > rendered.index("| 行政复议 ")
    assert "- 错误 · `requests.balance` · `requests.received.total`" in rendered
    assert "应为 56 · 实际 57 · 差额 +1" in rendered
    text = render_text(report, findings=[FINDING], language="en")
    assert "- Error · requests.balance · " in text
    assert "expected 56 · actual 57 · difference +1 · Items 1 + 2" in text
    root = etree.fromstring(render_html(report, findings=[FINDING]))
    assert [li.get("data-rule") for li in root.iter("li")] == ["requests.balance"]


def test_render_findings_formats() -> None:
    assert render_findings([]) == ""
    assert render_findings([FINDING], format="text").count("\n") == 1
    with pytest.raises(ValueError, match="unknown format"):
        render_findings([FINDING], format="pdf")  # type: ignore[arg-type]


def test_a_finding_about_text_shows_its_quote_and_no_empty_numbers() -> None:
    # A compliance finding judges prose: it has no numbers and quotes the judged text.
    judged = attrs.evolve(
        FINDING,
        rule="C3",
        severity="warning",
        cells=("problems",),
        expected=None,
        actual=None,
        difference=None,
        message_zh="五、只写了“无”或没有内容。",
        message_en="Section 5 says only “none”.",
        quote="无。",
    )
    line = render_findings([judged], format="text", language="zh")
    assert line == "- 警告 · C3 · problems · 五、只写了“无”或没有内容。 · “无。”\n"
    assert "—" not in render_findings([judged], format="markdown", language="en")
    assert "“无。”" in render_findings([judged], format="html")
    # A quote the message holds already is not repeated.
    told = attrs.evolve(judged, message_en="The prose “无。” is all.", quote="无。")
    assert render_findings([told], format="text", language="en").count("无。") == 1


def test_a_finding_that_is_not_assessable_shows_only_the_numbers_it_has() -> None:
    partial = attrs.evolve(FINDING, severity="not_assessable", expected=None, difference=None)
    text = render_findings([partial], format="text", language="en")
    assert " · actual 57 · Items 1 + 2" in text
    assert "expected" not in text
    assert "difference" not in text


# ---------------------------------------------------------------------------- labels


def all_labels() -> set[str]:
    found: set[str] = set()
    for template in ("2019", "2021"):
        t = labels.template_labels(template)
        for block in t.proactive_blocks:
            found.add(block.caption.zh)
            found.update(c.label.zh for c in block.columns)
            found.update(r.label.zh for r in block.rows)
        for spec in (*t.request_rows, *t.appeal_rows):
            found.update(x.zh for x in (spec.label, spec.group, spec.parent) if x)
        found.update(c.label.zh for c in (*t.request_columns, *t.appeal_columns))
    for value in vars(labels).values():
        if isinstance(value, labels.Label):
            found.add(value.zh)
        elif isinstance(value, dict):
            found.update(v.zh for v in value.values() if isinstance(v, labels.Label))
    return found


def test_no_label_is_hard_coded_in_the_renderers() -> None:
    sources = {
        path.name: path.read_text(encoding="utf-8")
        for path in (ROOT / "src" / "disclosure_schema" / "render").glob("*.py")
    }
    every = all_labels()
    assert len(every) > 80
    for label in every:
        for name, source in sources.items():
            assert label not in source, f"label {label!r} hard-coded in render/{name}"
    # Nothing Chinese at all in the renderers: every word comes from labels.py.
    for name, source in sources.items():
        assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", source), name


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_label_in_the_output_is_from_the_labels_table(name: str) -> None:
    report = example(name)
    every = all_labels()
    root = etree.fromstring(render_html(report, sections=["proactive", "requests", "appeals"]))
    extra_labels = {extra.label for extra in report.proactive.extra_rows}
    for th in root.iter("th", "h2"):
        assert th.text in every | extra_labels, th.text


# ---------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(reports)
def test_any_report_renders_and_html_holds_its_values(report: Report) -> None:
    assert render_markdown(report)
    assert render_text(report)
    check_html_cells(report, lxml_html.fragment_fromstring(render_html(report)))
    expected = [flat for t in tables(report) for flat in flatten(t)]
    parsed = markdown_tables(render_markdown(report))
    assert [len(table) for table in parsed] == [1 + len(flat.rows) for flat in expected]
    for table, flat in zip(parsed, expected, strict=True):
        assert {len(row) for row in table} == {len(flat.header)}
