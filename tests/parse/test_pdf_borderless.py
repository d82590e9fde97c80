"""PDF tables drawn without ruling lines (tools/make_borderless_fixtures.py): every cell is
read right or left empty with a diagnostic, and most are read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from disclosure_schema import cells, from_json, parse_file
from disclosure_schema.parse import _pdf

from .contract import contract_breaches

pytest.importorskip("pdfplumber")

ROOT = Path(__file__).parent.parent.parent
OFFICE = ROOT / "tests" / "fixtures" / "office"
EXPECTED: dict[str, str] = json.loads((OFFICE / "borderless.json").read_text(encoding="utf-8"))
#: Cells read right, measured (of 200 for example-2021, 198 for chengguan-2020); any
#: other cell must be empty with a diagnostic.
READ: dict[str, int] = {
    "borderless-example-2021-web.pdf": 200,
    "borderless-example-2021-wps.pdf": 200,
    "borderless-chengguan-2020-web.pdf": 198,
    "borderless-chengguan-2020-wps.pdf": 198,
}


def test_every_fixture_is_measured() -> None:
    assert sorted(EXPECTED) == sorted(READ)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_borderless_tables_read_right_or_empty_with_a_diagnostic(name: str) -> None:
    truth = cells(from_json((ROOT / "examples" / EXPECTED[name]).read_bytes()))
    result = parse_file(OFFICE / name)
    assert result.report is not None, [str(d) for d in result.diagnostics]
    assert contract_breaches(result, truth) == []
    got = cells(result.report)
    right = sum(1 for key, value in truth.items() if got.get(key) == value)
    assert right >= READ[name], f"{right} of {len(truth)}"


def _char(text: str, x0: float, width: float = 10.0, top: float = 100.0) -> dict[str, Any]:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + 10.0,
        "size": 10.0,
    }


def test_a_gap_as_wide_as_a_column_is_a_column_break_outside_tables() -> None:
    chars = [_char("规", 0.0), _char("章", 10.0), _char("1", 80.0, 5.0), _char("0", 130.0, 5.0)]
    assert _pdf._join_chars(chars, columns=True) == "规章  1  0"
    # inside a ruled cell (and by default) a gap is no column break
    assert _pdf._join_chars(chars) == "规章1 0"
    # a word space is a space, justification between Chinese characters nothing
    spaced = [_char("A", 0.0, 6.0), _char("B", 9.0, 6.0), _char("中", 20.0), _char("文", 33.0)]
    assert _pdf._join_chars(spaced, columns=True) == "A B中文"


def test_lines_with_column_breaks_are_not_joined_into_a_paragraph() -> None:
    row = _pdf._Line("行政规范性文件  4  2  23", 100.0, 110.0, 0.0, 500.0, 10.0)
    below = _pdf._Line("规章  1  0  5", 112.0, 122.0, 0.0, 500.0, 10.0)
    assert _pdf._paragraphs([row, below], 0.0, 500.0) == [row, below]
    # prose running to the right edge still continues on the next line
    prose = _pdf._Line("本年度共收到申请", 100.0, 110.0, 0.0, 500.0, 10.0)
    rest = _pdf._Line("十件。", 112.0, 122.0, 0.0, 30.0, 10.0)
    assert [line.text for line in _pdf._paragraphs([prose, rest], 0.0, 500.0)] == [
        "本年度共收到申请十件。"
    ]


def _row(text: str, top: float, *pieces: tuple[float, float]) -> Any:
    return _pdf._Line(text, top, top + 10.0, pieces[0][0], pieces[-1][1], 10.0, pieces)


def test_a_group_label_fragment_on_a_row_of_values_goes_to_a_line_of_its_own() -> None:
    # "（五）" of "（五）不予处理" in a column left of the row's label, which wraps above
    # and below the line of its values
    above = _pdf._Line("3.要求提供公开", 90.0, 100.0, 160.0, 230.0, 10.0)
    values = _row(
        "（五）  0  0  1", 100.0, (120.0, 150.0), (300.0, 305.0), (350.0, 355.0), (400.0, 405.0)
    )
    below = _pdf._Line("出版物", 110.0, 120.0, 160.0, 190.0, 10.0)
    lines = _pdf._group_fragments_apart([above, values, below])
    assert [line.text for line in lines] == ["3.要求提供公开", "0  0  1", "（五）", "出版物"]
    # the row's own label in that column continuing the line above: the same
    merged = _row(
        "（三）不  益  2  1",
        100.0,
        (120.0, 160.0),
        (160.0 + 10.0, 180.0),
        (300.0, 305.0),
        (350.0, 355.0),
    )
    above = attrs.evolve(above, x0=170.0)
    lines = _pdf._group_fragments_apart([above, merged])
    assert [line.text for line in lines] == ["3.要求提供公开", "益  2  1", "（三）不"]


def test_a_row_label_is_not_taken_for_a_group_fragment() -> None:
    # a one-line row label beside a caption line: the row is left as it is
    row = _row("行政规范性文件  4  2", 100.0, (80.0, 150.0), (300.0, 305.0), (350.0, 355.0))
    caption = _pdf._Line("第二十条第（五）项", 110.0, 120.0, 250.0, 345.0, 10.0)
    lines = [row, caption]
    assert _pdf._group_fragments_apart(lines) == lines
    # label fragments right of it only above: not a group's
    above = _pdf._Line("3.要求提供公开", 90.0, 100.0, 160.0, 230.0, 10.0)
    lines = [above, _row("（七）总计  4  2", 100.0, (120.0, 150.0), (300.0, 305.0), (350.0, 355.0))]
    assert _pdf._group_fragments_apart(lines) == lines


def test_a_number_wrapped_in_its_cell_is_left_unread_not_cut() -> None:
    # "33425" over "4": the rest of the number on the line below, beside the rest of
    # the row's label; which row the "4" belongs to is not known
    row = _row("3.危及“三安  —  33425", 100.0, (160.0, 230.0), (300.0, 305.0), (400.0, 430.0))
    rest = _row("全一稳定”  4", 110.0, (160.0, 210.0), (424.0, 430.0))
    lines = _pdf._wrapped_numbers_apart([row, rest])
    assert [line.text for line in lines] == ["3.危及“三安  —  33425 / 4", "全一稳定”"]
    # a row of its own below, as many values: both kept
    below = _row("全一稳定”  4  5", 110.0, (160.0, 210.0), (300.0, 305.0), (424.0, 430.0))
    assert _pdf._wrapped_numbers_apart([row, below]) == [row, below]
    # the rest far below (a paragraph away): not a wrapped number
    far = _row("全一稳定”  4", 140.0, (160.0, 210.0), (424.0, 430.0))
    assert _pdf._wrapped_numbers_apart([row, far]) == [row, far]


def test_digits_of_a_cell_wrapped_within_one_line_group_are_left_unread() -> None:
    # a row whose cells wrap: "529061" over "3" in one column, the label on one line
    chars = [
        _char("规", 0.0),
        _char("章", 10.0),
        *(_char(d, 100.0 + 5.0 * n, 5.0) for n, d in enumerate("529061")),
        _char("3", 125.0, 5.0, top=112.0),
        _char("7", 200.0, 5.0, top=106.0),
    ]
    assert _pdf._join_chars(chars, columns=True) == "规章  529061 / 3  7"


def test_a_number_wrapped_across_a_page_break_is_left_unread() -> None:
    labels = _pdf._Labels.load()
    row = _row("8.属于行政查  —  99999", 700.0, (160.0, 230.0), (300.0, 305.0), (400.0, 430.0))
    header = _pdf._Line("申请人情况", 60.0, 70.0, 300.0, 350.0, 10.0)
    rest = _row("询事项  99", 80.0, (160.0, 190.0), (420.0, 430.0))
    pages = [_pdf._PageContent(1, 842.0, [row]), _pdf._PageContent(2, 842.0, [header, rest])]
    _pdf._wrapped_across_pages(pages, labels)
    assert [line.text for line in pages[0].blocks] == ["8.属于行政查  —  99999 / 99"]
    assert [getattr(line, "text", None) for line in pages[1].blocks] == ["申请人情况", "询事项"]
    # a new row at the top of the next page (a label of the template) is its own row
    new = _row("行政许可  99", 80.0, (160.0, 190.0), (420.0, 430.0))
    pages = [_pdf._PageContent(1, 842.0, [row]), _pdf._PageContent(2, 842.0, [new])]
    _pdf._wrapped_across_pages(pages, labels)
    assert pages[0].blocks == [row]
    assert pages[1].blocks == [new]


def test_a_number_whose_rest_joined_the_next_pages_first_row_is_left_unread() -> None:
    # "12663" at the foot of a page, "27" of "1266327" on the next page stacked over the
    # next row's "3819" in the same column
    labels = _pdf._Labels.load()
    row = _row("6.属于四类过  —  12663", 700.0, (160.0, 230.0), (300.0, 305.0), (400.0, 430.0))
    rest = _pdf._Line("程性信息", 60.0, 70.0, 160.0, 200.0, 10.0)
    below = _row(
        "7.属于行政执法案卷  —  27 / 3819", 80.0, (160.0, 250.0), (300.0, 305.0), (405.0, 430.0)
    )
    pages = [_pdf._PageContent(1, 842.0, [row]), _pdf._PageContent(2, 842.0, [rest, below])]
    _pdf._wrapped_across_pages(pages, labels)
    assert [line.text for line in pages[0].blocks] == ["6.属于四类过  —  12663 / 27"]
    assert pages[1].blocks == [rest, below]
