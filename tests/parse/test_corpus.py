"""The parser against the shared real pages: every expected cell, template and year."""

from __future__ import annotations

import json
import os
import sys
from html import escape
from pathlib import Path

import pytest

from disclosure_schema import cells
from disclosure_schema.parse import parse_bytes, parse_file, parse_html, parse_text


def _shared() -> Path:
    """../shared beside the checkout (a worktree sits one level deeper: look upwards)."""
    if os.environ.get("DISCLOSURE_SHARED"):
        return Path(os.environ["DISCLOSURE_SHARED"])
    for parent in Path(__file__).resolve().parents[2:5]:
        if (parent / "shared" / "corpus").is_dir():
            return parent / "shared"
    return Path(__file__).resolve().parents[2] / ".." / "shared"


SHARED = _shared()
CORPUS = SHARED / "corpus"

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from corpus_accuracy import compare  # noqa: E402

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")

_EXPECTED = sorted((CORPUS / "expected").glob("*.json")) if CORPUS.is_dir() else []
_EXCERPTS = sorted((CORPUS / "excerpts").glob("*")) if CORPUS.is_dir() else []


def _page(expected: dict[str, object], name: str) -> Path:
    source = expected.get("source")
    assert isinstance(source, str)
    for candidate in (SHARED / source, CORPUS / source, CORPUS / "excerpts" / f"{name}.txt"):
        if candidate.is_file():
            return candidate
    raise AssertionError(f"page for {name} not found")


@pytest.mark.parametrize("path", _EXPECTED, ids=lambda path: path.stem)
def test_expected_values(path: Path) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))
    result = parse_file(_page(expected, path.stem))
    assert compare(result, expected) == []


@pytest.mark.parametrize("path", _EXCERPTS, ids=lambda path: path.name)
def test_every_excerpt_parses(path: Path) -> None:
    result = parse_file(path)
    assert all(d.code != "no_report" or result.report is None for d in result.diagnostics)
    assert not any("internal parser error" in d.message for d in result.diagnostics)


@pytest.mark.parametrize("path", [*_EXCERPTS, SHARED / "seed" / "chengguan-2020.txt"], ids=str)
def test_page_text_as_paragraphs_or_pre_parses_like_the_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = parse_text(text + "\n").report
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines())
    pre = f"<pre>{escape(text)}\n</pre>"
    for page in (paragraphs, pre):
        report = parse_html(
            f"<html><body><div class='TRS_Editor'>{page}</div></body></html>"
        ).report
        assert (report is None) == (expected is None)
        if report is not None and expected is not None:
            assert cells(report) == cells(expected)
            assert report.template == expected.template
            assert report.meta.year == expected.meta.year


def test_seed_as_gbk_bytes_parses_like_the_text() -> None:
    text = (SHARED / "seed" / "chengguan-2020.txt").read_text(encoding="utf-8")
    expected = parse_text(text).report
    for name in ("seed.txt", None):
        report = parse_bytes(text.encode("gb18030"), filename=name).report
        assert report is not None
        assert expected is not None
        assert cells(report) == cells(expected)
        assert report.meta == expected.meta
