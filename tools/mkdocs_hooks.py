"""mkdocs hooks: the docs pages hold doctests the test suite runs (``--doctest-glob``);
readers should see the session, not the doctest machinery. Configured in mkdocs.yml.
"""

from __future__ import annotations

import re
from typing import Any

_FLAGS = re.compile(r"\s*#\s*doctest:\s*[+-]\w+(?:\s*,\s*[+-]\w+)*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def hide_doctest_markers(markdown: str) -> str:
    """Inside code blocks: drop ``# doctest: +FLAG`` comments and show ``<BLANKLINE>`` as
    the blank line it stands for.

    >>> hide_doctest_markers("```pycon\\n>>> f()  # doctest: +ELLIPSIS\\n<BLANKLINE>\\n```")
    '```pycon\\n>>> f()\\n\\n```'
    """
    out: list[str] = []
    inside = False
    for line in markdown.split("\n"):
        shown = line
        if _FENCE.match(line):
            inside = not inside
        elif inside:
            shown = "" if line.strip() == "<BLANKLINE>" else _FLAGS.sub("", line)
        out.append(shown)
    return "\n".join(out)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """The mkdocs hook: every page, before it is rendered."""
    return hide_doctest_markers(markdown)
