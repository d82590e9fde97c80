"""The token stream both input paths produce and the table mapper reads."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Token"]


class Token(NamedTuple):
    """One piece of page text in reading order: a line of text or a table cell.

    ``cell`` is true for a cell whose boundaries the input marked (a ``|`` or a ``<td>``),
    so an empty cell is a real empty value; ``row`` numbers marked table rows.
    ``line`` (text input) or ``path`` (HTML input) say where it came from.

    A light tuple, not an attrs class: a page makes thousands of tokens, and a tuple is
    built in C without a Python ``__init__`` per token.
    """

    text: str
    line: int | None = None
    path: str | None = None
    cell: bool = False
    row: int | None = None
