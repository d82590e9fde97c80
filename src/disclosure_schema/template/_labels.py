"""The shapes of a template's labels: a label, a column, a row, an article 20 block."""

from __future__ import annotations

from typing import Final

import attrs

__all__ = [
    "ARTICLE_20_NUMERALS",
    "CellLabel",
    "ColumnSpec",
    "Label",
    "ProactiveBlock",
    "RowSpec",
    "TemplateLabels",
    "article20_caption",
]


@attrs.frozen
class Label:
    """An official label in Chinese, its English rendering, and variants seen in reports."""

    zh: str
    en: str
    aliases: tuple[str, ...] = ()


@attrs.frozen
class ColumnSpec:
    """A data column: its key (the last part of a cell key), label and header group."""

    key: str
    label: Label
    group: Label | None = None


@attrs.frozen
class RowSpec:
    """A data row: its full row key, own label, and the group labels above it."""

    key: str
    label: Label
    group: Label | None = None
    parent: Label | None = None


@attrs.frozen
class ProactiveBlock:
    """One 第二十条第（X）项 block of section 二."""

    item: int
    caption: Label
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]


@attrs.frozen
class TemplateLabels:
    """Every label of one template, in the template's order."""

    template: str
    proactive_blocks: tuple[ProactiveBlock, ...]
    request_columns: tuple[ColumnSpec, ...]
    request_rows: tuple[RowSpec, ...]
    appeal_columns: tuple[ColumnSpec, ...]
    appeal_rows: tuple[RowSpec, ...]


@attrs.frozen
class CellLabel:
    """The labels of one cell: its section, row and column."""

    key: str
    section: str
    row: RowSpec
    column: ColumnSpec


#: The items of article 20 of the regulations (条例第二十条) that a block of section 二
#: can cover, in any template, with the numeral the caption writes.
ARTICLE_20_NUMERALS: Final[dict[int, str]] = {1: "一", 5: "五", 6: "六", 8: "八", 9: "九"}


def article20_caption(item: int) -> Label:
    """The caption 第二十条第（X）项 of an article 20 item (1, 5, 6, 8 or 9), in any template."""
    try:
        numeral = ARTICLE_20_NUMERALS[item]
    except (KeyError, TypeError):
        items = ", ".join(map(str, ARTICLE_20_NUMERALS))
        raise ValueError(f"article 20 item must be one of {items}, got {item!r}") from None
    return Label(f"第二十条第（{numeral}）项", f"Article 20, item ({item})")
