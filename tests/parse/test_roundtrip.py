"""Round trips through the renderer: parse(render(r)) gives back every cell of r."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from disclosure_schema import Report, cells
from disclosure_schema.parse import parse_html, parse_text
from tests.strategies import reports

render: Any = pytest.importorskip("disclosure_schema.render")

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_cells(report: Report, parsed: Report | None) -> None:
    assert parsed is not None
    assert parsed.template == report.template
    assert cells(parsed) == cells(report)


@_SETTINGS
@given(reports)
def test_html_round_trip(report: Report) -> None:
    _assert_cells(report, parse_html(render.render_html(report)).report)


@_SETTINGS
@given(reports)
def test_markdown_round_trip(report: Report) -> None:
    _assert_cells(report, parse_text(render.render_markdown(report)).report)


@_SETTINGS
@given(reports)
def test_text_round_trip(report: Report) -> None:
    _assert_cells(report, parse_text(render.render_text(report)).report)


@_SETTINGS
@given(reports)
def test_full_html_page_as_bytes_round_trip(report: Report) -> None:
    page = render.render_html(report, full_page=True).encode("utf-8")
    _assert_cells(report, parse_html(page).report)
