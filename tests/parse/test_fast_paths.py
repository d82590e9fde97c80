"""The parser's fast paths against the plain definitions they stand for.

Each fast path (lines found by one search of the page, plain numbers taken as runs,
the page head cleaned at once, count hints found by their units) must give exactly
what the line-by-line or token-by-token definition gives, on any input.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema.parse import figures, meta, tables, text
from disclosure_schema.parse.tokens import Token

# lines of the kinds real page text has, and the characters that make a line special
_LINES = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\u3000",
            "\xa0",
            "\t",
            "0",
            "12",
            "１２",
            "1,234",
            "1 234",
            "007",
            "/",
            "—",
            "| 规章 | 1 | 0 |",
            "|",
            " |",
            "||",
            "+----+----+",
            "— 4 —",
            "- 4 -",
            "第 3 页",
            "第3页 共7页",
            "3/7",
            "page 4",
            "Page4",
            "行政许可 0 +2 15",
            "三、本年度办理结果 （三）不予公开 1.属于国家秘密 1 0 0",
            "自然人  法人或其他组织  总计",
            "本年增/减",
            "一、总体情况",
            "（七）总计",
            "全年共收到政府信息公开申请34件。",
            "收费金额 160.5964万元",
        ]
    ),
    st.text(alphabet="0123456789 \t\u3000\xa0|/-—页gG年件申请公开，。（）", max_size=12),
)
_PAGES = st.lists(_LINES, max_size=40).map("\n".join)


def _reference_value_rows(lines: list[str]) -> bool:
    found = 0
    for line in lines:
        words = line.split()
        if len(words) < text._MIN_ROW_WORDS or text._SPACED_THOUSANDS.match(line.strip()):
            continue
        if all(text._SPACED_VALUE.fullmatch(word) for word in words[-text._MIN_ROW_WORDS :]):
            found += 1
            if found >= text._MIN_VALUE_ROWS:
                return True
    return False


def _reference_tokens(page: str, first_line: int = 1, path: str | None = None) -> Iterator[Token]:
    """The tokenizer as a plain loop over the lines: every line looked at on its own."""
    row = 0
    lines = page.splitlines()
    if "|" in page or "｜" in page or "│" in page:
        lines = [raw[: text._MAX_LINE].translate(text._BOX_PIPES) for raw in lines]
        separators = text._pipes_separate_cells(lines)
    else:
        separators = False
    value_rows = _reference_value_rows(lines)
    for offset, raw in enumerate(lines):
        line = raw[: text._MAX_LINE]
        stripped = line.strip()
        if not stripped or text._FOOTER.match(line):
            continue
        number = first_line + offset if path is None else None
        if "|" in line:
            if separators and text._LONE_PIPES.match(line):
                row += 1
                continue
            if text._BORDER.match(line) and ("-" in line or "+" in line or "=" in line):
                row += 1
                continue
            row += 1
            for cell in text._pipe_cells(line):
                yield Token(cell, number, path, cell=True, row=row)
            continue
        if " " not in stripped and "\t" not in stripped and "\u3000" not in stripped:
            yield Token(line.rstrip("\r\n"), number, path)
            continue
        pieces = [piece for piece in text._COLUMN_GAP.split(stripped) if piece]
        if len(pieces) == 1:
            pieces = text._label_and_values(pieces[0], thousands=not value_rows)
        if len(pieces) > 1:
            row += 1
            for piece in pieces:
                yield Token(piece, number, path, cell=False, row=row)
            continue
        yield Token(line.rstrip("\r\n"), number, path)


@settings(max_examples=400, deadline=None)
@given(_PAGES, st.sampled_from([None, "/html/body/p[1]"]))
def test_tokenizer_is_the_line_by_line_tokenizer(page: str, path: str | None) -> None:
    assert list(text.tokenize_text(page, path=path)) == list(_reference_tokens(page, path=path))


def test_tokenizer_with_a_line_too_long_to_search() -> None:
    page = "一、总体情况\n" + "1" * (text._MAX_LINE + 5) + "\n行政许可 0 +2 15\n12\n"
    assert list(text.tokenize_text(page)) == list(_reference_tokens(page))


def _reference_runs(tokens: list[Token]) -> list[int]:
    ends = [0] * len(tokens)
    at = 0
    while at < len(tokens):
        end = at
        while end < len(tokens) and _plain_number(tokens[end].text):
            end += 1
        for inside in range(at, end):
            ends[inside] = end
        at = max(end, at + 1)
    return ends


def _plain_number(value: str) -> bool:
    return value.isdigit() and value.isascii() and len(value) <= tables._MAX_LABEL_CHARS * 2


_TOKEN_TEXTS = st.sampled_from(["0", "12", "１２", "7" * 801, "/", "", "行政许可", "12件", "x1"])


@given(st.lists(_TOKEN_TEXTS, max_size=30))
def test_plain_number_runs_are_the_token_by_token_runs(texts: list[str]) -> None:
    tokens = [Token(value) for value in texts]
    assert tables._plain_number_runs(tokens) == _reference_runs(tokens)


@given(st.lists(_LINES, max_size=20))
def test_the_head_cleaned_at_once_is_each_line_cleaned(lines: list[str]) -> None:
    def clean(line: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", line).split())

    cleaned, joined = meta._cleaned(lines)
    assert cleaned == [clean(line) for line in lines]
    assert joined == clean("\n".join(lines))


@given(st.lists(st.tuples(_LINES, st.booleans()), max_size=30))
def test_figures_read_only_from_hinted_runs_are_those_read_from_every_token(
    lines: list[tuple[str, bool]],
) -> None:
    tokens = [Token(line, number, cell=cell) for number, (line, cell) in enumerate(lines, 1)]
    fast = figures.read_figures(tokens, "2021", year=2023)
    with mock.patch.object(figures, "_hinted_runs", iter):
        every = figures.read_figures(tokens, "2021", year=2023)
    assert fast == every


@given(st.text(alphabet="0123456789０１件宗起个条项份年度 。\n", max_size=60))
def test_unit_positions_find_what_the_hint_pattern_finds(value: str) -> None:
    by_units = [
        at
        for at in figures._unit_positions(value)
        if figures._COUNT_DIGIT.search(value, max(at - figures._HINT_REACH, 0), at)
    ]
    assert bool(by_units) == bool(figures._COUNT_HINT.search(value))


def test_only_qi_and_jian_become_qi_and_jian_under_nfkc() -> None:
    # what lets hints without 期 or 间 skip the date search (meta._published_in_hints)
    for code in range(0x110000):
        folded = unicodedata.normalize("NFKC", chr(code))
        if "期" in folded or "间" in folded:
            assert chr(code) in "期间", hex(code)


_HINTS = st.lists(
    st.sampled_from(
        [
            "发布日期：2023-01-05",
            "发布时间 2022年3月4日",
            "⽇期:2021.1.2",
            "2023年",
            "政府信息公开",
            "时间",
        ]
    ),
    max_size=6,
)


@given(_HINTS)
def test_the_date_in_hints_is_the_date_in_the_cleaned_hints(hints: list[str]) -> None:
    assert meta._published_in_hints(hints) == meta._published(meta._cleaned(hints)[1])
