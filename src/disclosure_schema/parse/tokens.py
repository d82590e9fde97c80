"""The token stream both input paths produce and the table mapper reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import lxml.etree

__all__ = ["ElementPath", "Token"]


class ElementPath:
    """Where an HTML cell came from: its element, turned into the element path
    (``/html/body/table/tbody/tr[3]/td[2]``) only when ``str()`` asks for it.

    A diagnostic needs the path of a few cells; building it for every cell cost more
    than reading the cell.
    """

    __slots__ = ("element",)

    def __init__(self, element: lxml.etree._Element) -> None:
        self.element = element

    def __str__(self) -> str:
        return str(self.element.getroottree().getpath(self.element))

    def __repr__(self) -> str:
        return f"ElementPath({str(self)!r})"


class Token(NamedTuple):
    """One piece of page text in reading order: a line of text or a table cell.

    ``cell`` is true for a cell whose boundaries the input marked (a ``|`` or a ``<td>``),
    so an empty cell is a real empty value; ``row`` numbers marked table rows.
    ``line`` (text input) or ``path`` (HTML input: a string, or an :class:`ElementPath`
    that ``str()`` turns into one) say where it came from.

    A light tuple, not an attrs class: a page makes thousands of tokens, and a tuple is
    built in C without a Python ``__init__`` per token.
    """

    text: str
    line: int | None = None
    path: str | ElementPath | None = None
    cell: bool = False
    row: int | None = None
