"""PDF tables drawn without ruling lines (tools/make_borderless_fixtures.py): every cell is
read right or left empty with a diagnostic, and most are read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from disclosure_schema import cells, from_json, parse_file
from disclosure_schema.parse import _pdf

from .contract import contract_breaches

pytest.importorskip("pdfplumber")

ROOT = Path(__file__).parent.parent.parent
OFFICE = ROOT / "tests" / "fixtures" / "office"
EXPECTED: dict[str, str] = json.loads((OFFICE / "borderless.json").read_text(encoding="utf-8"))
#: Cells read right, measured (of 200 for example-2021, 198 for chengguan-2020); the rest
#: are empty with a diagnostic. A label fragment of a group ("（五）", "（三）不") on the
#: line of a row's values hides that row's label: its cells are left empty.
READ: dict[str, int] = {
    "borderless-example-2021-web.pdf": 200,
    "borderless-example-2021-wps.pdf": 193,
    "borderless-chengguan-2020-web.pdf": 191,
    "borderless-chengguan-2020-wps.pdf": 191,
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
