"""Round trips through the renderer: parse(render(r)) gives back every cell of r."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from disclosure_schema import Meta, Prose, ProsePart, Report, cells
from disclosure_schema.parse import parse_html, parse_text
from tests.strategies import reports as any_reports

render: Any = pytest.importorskip("disclosure_schema.render")

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plain(report: Report) -> Report:
    """The report with prose, meta and extra-row labels that cannot pass for table parts.

    Free text that reads exactly like a section heading or a row label ("四、复议", "规章")
    cannot be told from one in page text; the round trip is about cells.
    """
    prose = Prose(
        paragraphs=("本节为示例文字。",), parts=(ProsePart(heading="（一）示例", paragraphs=()),)
    )
    extra_rows = tuple(
        attrs.evolve(row, label=f"附加示例行{'甲乙丙丁戊'[number % 5]}")
        for number, row in enumerate(report.proactive.extra_rows)
    )
    return attrs.evolve(
        report,
        meta=Meta(year=report.meta.year),
        overview=prose,
        problems=prose,
        other_matters=prose,
        proactive=attrs.evolve(report.proactive, extra_rows=extra_rows),
    )


reports = any_reports.map(_plain)


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
