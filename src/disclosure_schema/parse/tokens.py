"""The token stream both input paths produce and the table mapper reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import lxml.etree

__all__ = ["Token", "path_string"]


class Token(NamedTuple):
    """One piece of page text in reading order: a line of text or a table cell.

    ``cell`` is true for a cell whose boundaries the input marked (a ``|`` or a ``<td>``),
    so an empty cell is a real empty value; ``row`` numbers marked table rows.
    ``line`` (text input) or ``path`` (HTML input) say where it came from: ``path`` is
    an element path, or for a table cell the cell's lxml element itself, turned into
    its path by :func:`path_string` only when a diagnostic needs it (a few cells do;
    building the path of every cell cost more than reading the cell).

    A light tuple, not an attrs class: a page makes thousands of tokens, and a tuple is
    built in C without a Python ``__init__`` per token.
    """

    text: str
    line: int | None = None
    path: str | lxml.etree._Element | None = None
    cell: bool = False
    row: int | None = None


def path_string(path: str | lxml.etree._Element | None) -> str | None:
    """A token's ``path`` as the element path string (``/html/body/table/tr[3]/td[2]``)."""
    if path is None or isinstance(path, str):
        return path
    return str(path.getroottree().getpath(path))
