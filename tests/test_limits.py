"""Input limits: refused before the expensive work, with a message naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure_schema import (
    DEFAULT_LIMITS,
    InputLimitError,
    Limits,
    Report2021,
    from_json,
    parse_bytes,
    parse_file,
    parse_html,
    parse_text,
    to_json,
)


def codes(result: object) -> list[str]:
    return [d.code for d in result.diagnostics]  # type: ignore[attr-defined]


def test_defaults_are_documented_values() -> None:
    assert DEFAULT_LIMITS.max_page_bytes == 10 * 1024 * 1024
    assert DEFAULT_LIMITS.max_json_bytes == 4 * 1024 * 1024


def test_from_json_refuses_a_large_document() -> None:
    text = to_json(Report2021())
    with pytest.raises(InputLimitError, match="max_json_bytes"):
        from_json(text, limits=Limits(max_json_bytes=100))
    assert from_json(text) == Report2021()


def test_page_size_limit() -> None:
    small = Limits(max_page_bytes=1000)
    for result in (
        parse_text("x" * 1001, limits=small),
        parse_html("<p>" + "x" * 1000 + "</p>", limits=small),
        parse_bytes(b"x" * 1001, limits=small),
    ):
        assert codes(result) == ["input_too_large", "no_report"]
        assert "max_page_bytes" in result.diagnostics[0].message


def test_file_over_the_limit_is_not_read_whole(tmp_path: Path) -> None:
    page = tmp_path / "big.txt"
    page.write_bytes(b"1\n" * 5000)
    result = parse_file(page, limits=Limits(max_page_bytes=1000))
    assert codes(result) == ["input_too_large", "no_report"]


def test_token_limit() -> None:
    result = parse_text("0\n" * 200, limits=Limits(max_tokens=100))
    assert codes(result) == ["input_too_large", "no_report"]


def test_element_limit() -> None:
    html = "<div>" + "<p>x</p>" * 300 + "</div>"
    result = parse_html(html, limits=Limits(max_html_elements=100))
    assert codes(result) == ["input_too_large", "no_report"]
    assert "max_html_elements" in result.diagnostics[0].message


def test_spans_are_capped() -> None:
    row = '<tr><td rowspan="99999999" colspan="99999999">1</td></tr>'
    html = f"<table>{row * 20}</table>"
    result = parse_html(html, limits=Limits(max_span=10, max_table_cells=50))
    assert "table_too_large" in codes(result)
