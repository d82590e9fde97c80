"""Regression tests for pages that were read with silent wrong or lost numbers.

Every case holds the contract: each cell is the true value, or None with a warning or
error diagnostic whose key names the cell, its row or its table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from disclosure_schema import Report, cell_value, cells, from_json
from disclosure_schema.parse import ParseResult, parse_bytes, parse_html, parse_text

from .contract import contract_breaches
from .layouts import LAYOUTS, Piece, html_cells, pieces_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TEXT_LAYOUTS = ("one_per_line", "dense", "pipe_lines", "pipe_rows", "pdf_rows", "detached_labels")


def _report(name: str) -> Report:
    return from_json((EXAMPLES / name).read_text(encoding="utf-8"))


R2021 = _report("example-2021.json")
R2019 = _report("chengguan-2020.json")


def _parse(layout: str, page: str) -> ParseResult:
    return parse_html(page) if layout.startswith("html") else parse_text(page)


def _edited(
    report: Report, edit: Callable[[list[Piece]], None], layout: str
) -> tuple[ParseResult, dict[str, object]]:
    pieces = pieces_of(report)
    edit(pieces)
    return _parse(layout, LAYOUTS[layout](pieces)), dict(cells(report))


def _first(pieces: list[Piece], prefix: str) -> int:
    return next(i for i, piece in enumerate(pieces) if (piece.key or "").startswith(prefix))


@pytest.mark.parametrize("report", [R2021, R2019], ids=["2021", "2019"])
@pytest.mark.parametrize("layout", [*TEXT_LAYOUTS, "html_cells"])
def test_every_layout_reads_every_cell(report: Report, layout: str) -> None:
    result, truth = _edited(report, lambda pieces: None, layout)
    got = cells(result.report) if result.report else {}
    assert {k: got.get(k) for k in truth} == truth


@pytest.mark.parametrize("layout", ["one_per_line", "dense", "pipe_lines"])
@pytest.mark.parametrize("stray", ["/", "—", "0", "7"])
def test_a_stray_value_before_table_four_shifts_nothing(layout: str, stray: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        pieces.insert(_first(pieces, "appeals."), Piece(stray))

    result, truth = _edited(R2021, edit, layout)
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("extra", ["", "/", "3", "0"])
def test_an_extra_cell_before_table_four_values_shifts_nothing(extra: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        at = _first(pieces, "appeals.")
        pieces.insert(at, Piece(extra, None, pieces[at].row))

    result, truth = _edited(R2021, edit, "html_cells")
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("layout", ["one_per_line", "dense", "pipe_lines", "pipe_rows"])
@pytest.mark.parametrize("written", ["1 234", "1,234", "1，234", "1234件"])
def test_thousands_separators(layout: str, written: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        at = _first(pieces, "proactive.licensing.decisions")
        pieces[at] = Piece(written, pieces[at].key, pieces[at].row)

    result, truth = _edited(R2021, edit, layout)
    truth["proactive.licensing.decisions"] = 1234
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("layout", ["one_per_line", "dense", "pipe_rows", "html_cells"])
@pytest.mark.parametrize("written", ["12①", "12*", "12⑴", "12¹", "12※", "12注"])
def test_footnote_marks_are_not_digits(layout: str, written: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        at = _first(pieces, "proactive.licensing.decisions")
        pieces[at] = Piece(written, pieces[at].key, pieces[at].row)

    result, truth = _edited(R2021, edit, layout)
    truth["proactive.licensing.decisions"] = 12
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize(
    ("markup", "value"),
    [
        ("12<sup>1</sup>", 12),
        ("12<sup>①</sup>", 12),
        ('<span style="display:none">9</span>577', 577),
        ('<span style="DISPLAY: none;">9</span>577', 577),
        ('<span hidden="">9</span>577', 577),
        ('<span style="visibility:hidden">9</span>577', 577),
        ("<del>9</del>577", 577),
        ("<s>9</s>577", 577),
        ("<strike>9</strike>577", 577),
        ("1<br>234", 1234),
        ("<p>1</p><p>234</p>", 1234),
        ("<span>12</span><span>34</span>", 1234),
        ("<![CDATA[577]]>", 577),
    ],
)
def test_markup_inside_html_cells_reads_what_a_browser_shows(markup: str, value: int) -> None:
    page = html_cells(pieces_of(R2021)).replace("<td>1320</td>", f"<td>{markup}</td>")
    result = parse_html(page)
    truth = dict(cells(R2021))
    truth["proactive.licensing.decisions"] = value
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("layout", ["one_per_line", "dense", "pipe_rows", "html_cells"])
@pytest.mark.parametrize("label", ["总计", "总 计", "总计(件)", "总计（件）", "合计", "（七）合计"])
def test_total_row_variants(layout: str, label: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        at = next(i for i, piece in enumerate(pieces) if piece.text == "（七）总计")
        pieces[at] = Piece(label, None, pieces[at].row)

    result, truth = _edited(R2021, edit, layout)
    assert contract_breaches(result, truth) == []
    total = cell_value(result.report, "requests.outcomes.total.total") if result.report else None
    assert total in (None, truth["requests.outcomes.total.total"])


@pytest.mark.parametrize("layout", ["one_per_line", "dense", "html_cells"])
def test_garbled_row_label_is_placed_by_position_or_diagnosed(layout: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        at = next(i for i, piece in enumerate(pieces) if piece.text.startswith("二、上年结转"))
        pieces[at] = Piece("二、上年结▯▯▯▯", None, pieces[at].row)

    result, truth = _edited(R2021, edit, layout)
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("layout", ["one_per_line", "dense", "html_cells"])
@pytest.mark.parametrize(
    "sentence",
    [
        "依据《条例》第二十条第（一）项的规定，本年未发生行政复议。",
        "第二十条第（一）项",
        "按第二十条第(六)项处理",
    ],
)
def test_an_item_citation_in_section_four_does_not_open_a_table(layout: str, sentence: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        at = next(i for i, piece in enumerate(pieces) if piece.text.startswith("四、政府信息"))
        pieces.insert(at + 1, Piece(sentence))

    result, truth = _edited(R2021, edit, layout)
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("footer", ["— 4 —", "- 4 -", "－ 12 －", "第 3 页", "第3页 共7页", "3/7"])
@pytest.mark.parametrize("layout", ["one_per_line", "dense", "pipe_lines"])
def test_page_footers_between_rows(footer: str, layout: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        for prefix in ("proactive.normative_documents.repealed", "requests.received.total",
                       "requests.outcomes.withheld", "appeals.review.other"):  # fmt: skip
            pieces.insert(_first(pieces, prefix), Piece(footer))

    result, truth = _edited(R2021, edit, layout)
    assert contract_breaches(result, truth) == []


def test_html_rows_past_any_limit_are_read_or_diagnosed() -> None:
    filler = "<table>" + "<tr><td>说明</td></tr>" * 5_100 + "</table>"
    page = html_cells(pieces_of(R2021)).replace("<div class='TRS_Editor'>", "<div>" + filler)
    result = parse_html(page)
    assert contract_breaches(result, dict(cells(R2021))) == []


def test_one_long_html_table_is_read_to_its_end() -> None:
    page = html_cells(pieces_of(R2021))
    # every table of the page merged into one, after 5,100 rows of notes
    merged = page.replace("</tr></table>", "</tr>").replace("<table><tr>", "<tr>")
    merged = merged.replace(
        "<div class='TRS_Editor'>", "<div><table>" + "<tr><td>说明</td></tr>" * 5_100
    )
    result = parse_html(merged + "</table>")
    assert contract_breaches(result, dict(cells(R2021))) == []


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
@pytest.mark.parametrize("declared", [True, False])
@pytest.mark.parametrize("damage", ["invalid", "cut"])
def test_gbk_page_with_a_bad_byte_keeps_its_text(
    encoding: str, declared: bool, damage: str
) -> None:
    text = LAYOUTS["one_per_line"](pieces_of(R2021))
    data = text.encode(encoding)
    if damage == "invalid":
        at = data.index("本报告".encode(encoding))
        data = data[:at] + b"\xff" + data[at:]
    else:
        data = data + "说".encode(encoding)[:1]
    if declared:
        data = f'<meta charset="{encoding}">\n'.encode() + data
    result = parse_bytes(data, filename="page.txt")
    assert contract_breaches(result, dict(cells(R2021))) == []
    assert result.report is not None
    assert result.report.meta.issuer == "示例县示例局"
    bad = [d for d in result.diagnostics if d.code == "undecodable_bytes"]
    assert bad
    assert "byte" in bad[0].message


@pytest.mark.parametrize(
    ("head", "issuer"),
    [
        ("上海市科学技术委员会\n2022年政府信息公开工作年度报告\n", "上海市科学技术委员会"),
        ("上海市科学技术委员会2022年政府\n信息公开工作年度报告\n", "上海市科学技术委员会"),
        ("上海市科学技术委员会2022年\n政府信息公开工作年度报告\n", "上海市科学技术委员会"),
        (
            "市科委2022年政府信息公开工作年度报告\n根据《中华人民共和国政府信息公开条例》"
            "（以下简称《条例》）规定，现将上海市科委2022年政府信息公开工作情况报告如下。\n",
            "上海市科委",
        ),
        (
            "2022年政府信息公开工作年度报告\n根据《国务院办公厅政府信息公开办公室关于政府信息公开"
            "工作年度报告有关事项的规\n定》)和《关于印发中华人民共和国政府信息公开工作年度报告格式"
            "的通知》要求，由上海市科学技术委员会编制本报告。\n",
            "上海市科学技术委员会",
        ),
    ],
)
def test_issuer_is_the_fullest_name_never_a_fragment(head: str, issuer: str) -> None:
    body = LAYOUTS["one_per_line"](pieces_of(R2021)[1:])
    result = parse_text(head + body)
    assert result.report is not None
    assert result.report.meta.issuer == issuer
    assert result.report.meta.year == 2022


@pytest.mark.parametrize("layout", ["one_per_line", "dense", "html_cells"])
def test_a_note_under_a_value_in_its_cell(layout: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        at = _first(pieces, "proactive.normative_documents.issued")
        pieces.insert(at + 1, Piece("（其中修订1件）", None, pieces[at].row))

    result, truth = _edited(R2021, edit, layout)
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("layout", ["one_per_line", "dense"])
def test_label_fragments_of_merged_cells(layout: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        at = next(i for i, piece in enumerate(pieces) if piece.text == "（三）不予公开")
        row = pieces[at].row
        pieces[at : at + 1] = [Piece("（三）不", None, row), Piece("予公开", None, row)]

    result, truth = _edited(R2021, edit, layout)
    assert contract_breaches(result, truth) == []
    got = cells(result.report) if result.report else {}
    assert {k: got.get(k) for k in truth} == truth


@pytest.mark.parametrize("report", [R2021, R2019], ids=["2021", "2019"])
def test_labels_gathered_apart_from_value_rows(report: Report) -> None:
    result, truth = _edited(report, lambda pieces: None, "detached_labels")
    got = cells(result.report) if result.report else {}
    assert {k: got.get(k) for k in truth} == truth
    assert any(d.code == "row_by_position" and d.key == "requests" for d in result.diagnostics)


def test_a_lone_pipe_paragraph_in_a_value_row_is_no_cell() -> None:
    def edit(pieces: list[Piece]) -> None:
        at = _first(pieces, "appeals.review.other")
        pieces.insert(at, Piece("|"))
        del pieces[_first(pieces, "appeals.litigation_direct.other")]

    result, truth = _edited(R2021, edit, "html_cells")
    assert contract_breaches(result, truth) == []


def test_a_marked_value_in_a_pdf_row_and_the_next_label_lost() -> None:
    def edit(pieces: list[Piece]) -> None:
        at = _first(pieces, "requests.outcomes.not_processed.excessive.research_institution")
        pieces[at] = Piece(pieces[at].text + "*", pieces[at].key, pieces[at].row)
        label = next(i for i, piece in enumerate(pieces) if piece.text.startswith("5.要求行政机关"))
        del pieces[label]

    result, truth = _edited(R2021, edit, "pdf_rows")
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("note", ["单位：件", "注：", "说明：以上数据截至年底。"])
def test_a_note_line_inside_a_row_with_a_stray_value(note: str) -> None:
    def edit(pieces: list[Piece]) -> None:
        at = _first(pieces, "proactive.regulations.total_published")
        pieces.insert(at, Piece(note))
        pieces.insert(at, Piece("/"))

    result, truth = _edited(R2019, edit, "dense")
    assert contract_breaches(result, truth) == []
