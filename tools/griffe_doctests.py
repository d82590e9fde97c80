"""A griffe extension for the API reference: doctest examples in docstrings become code.

Docstrings here hold doctests (``>>>`` lines and their expected output) that the test
suite runs. Read as Markdown they would be nested block quotes, and ``x["a"]["b"]`` a
link reference; this fences each doctest block as ``pycon`` code before mkdocstrings
renders it; and Sphinx roles (``:func:`~a.b`` ``) become plain code (``b``), which
Markdown would otherwise show as written. Configured in mkdocs.yml.
"""

from __future__ import annotations

import re
from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    """Wrap every run of doctest lines (from ``>>>`` to the next blank line) in a fence."""
    out: list[str] = []
    inside = False
    indent = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if not inside and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
            inside = True
        elif inside and not stripped:
            out.append(f"{indent}```")
            inside = False
        out.append(line)
    if inside:
        out.append(f"{indent}```")
    return "\n".join(out)


_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|data|mod|attr|exc|obj|const):`(~?)([^`]+)`")


def plain_roles(text: str) -> str:
    """``:func:`~a.b``` → ```b```, ``:class:`a.B``` → ```a.B```: inline code, no role."""

    def code(found: re.Match[str]) -> str:
        name = found.group(2)
        return f"`{name.rsplit('.', 1)[-1] if found.group(1) else name}`"

    return _ROLE.sub(code, text)


class DoctestBlocks(griffe.Extension):
    """Fence doctest blocks in every docstring."""

    def on_instance(self, *, node: Any, obj: griffe.Object, agent: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(plain_roles(obj.docstring.value))
