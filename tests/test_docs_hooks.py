"""Docs pages keep their doctests, and readers see none of the doctest machinery."""

from __future__ import annotations

import re
from pathlib import Path

from tools.mkdocs_hooks import hide_doctest_markers

ROOT = Path(__file__).resolve().parent.parent


def test_markers_are_hidden_inside_code_blocks_only():
    page = (
        "Text with <BLANKLINE> stays.\n\n"
        "```pycon\n>>> print(x)  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE\n"
        "a\n<BLANKLINE>\nb\n```\n"
    )
    assert hide_doctest_markers(page) == (
        "Text with <BLANKLINE> stays.\n\n```pycon\n>>> print(x)\na\n\nb\n```\n"
    )


def test_no_docs_page_shows_a_marker_after_the_hook():
    for page in sorted((ROOT / "docs").glob("*.md")):
        shown = hide_doctest_markers(page.read_text(encoding="utf-8"))
        assert not re.search(r"#\s*doctest:", shown), page.name
        assert "<BLANKLINE>" not in shown, page.name
