"""The token stream both input paths produce and the table mapper reads."""

from __future__ import annotations

import attrs

__all__ = ["Token"]


@attrs.frozen
class Token:
    """One piece of page text in reading order: a line of text or a table cell.

    ``cell`` is true for a cell whose boundaries the input marked (a ``|`` or a ``<td>``),
    so an empty cell is a real empty value; ``row`` numbers marked table rows.
    ``line`` (text input) or ``path`` (HTML input) say where it came from.
    """

    text: str
    line: int | None = None
    path: str | None = None
    cell: bool = False
    row: int | None = None
