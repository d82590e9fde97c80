"""Rendering a comparison: golden files, findings first, changed cells marked, safe HTML."""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import lxml.html
import pytest
from markdown_it import MarkdownIt

from disclosure_schema import Comparison, Prose, compare, from_json, render_comparison
from disclosure_schema.labels import FINDINGS_TITLE

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"


def across_the_template_change() -> Comparison:
    """城关镇 2020 (template 2019) against our 2021-template example, as if it were 城关镇 2021."""
    before = from_json((ROOT / "examples" / "chengguan-2020.json").read_bytes())
    after = from_json((ROOT / "examples" / "example-2021.json").read_bytes())
    after = attrs.evolve(after, meta=attrs.evolve(after.meta, issuer=before.meta.issuer, year=2021))
    return compare(before, after)


@pytest.mark.parametrize("suffix", ["md", "txt", "html"])
def test_golden(suffix: str) -> None:
    form = {"md": "markdown", "txt": "text", "html": "html"}[suffix]
    rendered = render_comparison(across_the_template_change(), form)  # type: ignore[arg-type]
    path = GOLDEN / f"compare-chengguan-2020-2021.{suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8"), f"regenerate with UPDATE_GOLDEN=1: {path}"


@pytest.mark.parametrize("form", ["markdown", "text", "html"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_findings_come_first(form: str, language: str) -> None:
    comparison = across_the_template_change()
    rendered = render_comparison(comparison, form, language=language)  # type: ignore[arg-type]
    findings_title = FINDINGS_TITLE.zh if language == "zh" else FINDINGS_TITLE.en
    first_table_label = (
        comparison.cells[0].label_zh if language == "zh" else comparison.cells[0].label_en
    )
    assert rendered.index(findings_title) < rendered.index(first_table_label)
    assert "R4" in rendered


def test_markdown_tables_mark_changed_cells_only() -> None:
    comparison = across_the_template_change()
    rendered = render_comparison(comparison, "markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(rendered)
    rows = [t.content for t in tokens if t.type == "inline"]
    marked = [row for row in rows if row.startswith("●")]
    assert len(marked) == len(comparison.changed_cells)
    compact = render_comparison(comparison, "markdown", changed_only=True)
    assert len(compact) < len(rendered)


def test_html_is_a_whole_page_with_changed_rows_highlighted() -> None:
    comparison = across_the_template_change()
    page = render_comparison(comparison, "html")
    assert page.startswith("<!DOCTYPE html>")
    tree = lxml.html.fromstring(page.encode("utf-8"))
    assert tree.find(".//style") is not None
    changed = tree.findall(".//tr[@class='changed']")
    assert {row.get("data-key") for row in changed} == {c.key for c in comparison.changed_cells}


def test_prose_is_escaped() -> None:
    comparison = across_the_template_change()
    before = from_json((ROOT / "examples" / "example-2021.json").read_bytes())
    hostile = attrs.evolve(before, problems=Prose(paragraphs=("<script>alert(1)</script>。",)))
    comparison = compare(before, hostile)
    page = render_comparison(comparison, "html")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    markdown = render_comparison(comparison, "markdown")
    html_of_markdown = MarkdownIt("commonmark").render(markdown)
    assert "<script>" not in html_of_markdown


def test_unknown_format_or_language() -> None:
    comparison = across_the_template_change()
    with pytest.raises(ValueError, match="format"):
        render_comparison(comparison, "pdf")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        render_comparison(comparison, language="fr")  # type: ignore[arg-type]
