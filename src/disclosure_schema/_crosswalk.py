"""Which cells of one template can be compared with which cells of another: the crosswalk.

Everything here is derived from the model's cell keys (:func:`~disclosure_schema.cell_kinds`)
and the labels table; the only declaration is the one place where the templates split a
row in two different ways.

Rules, for a report on template ``A`` (before) and one on template ``B`` (after):

- Same template: every cell is compared with itself.
- A cell key both templates have is compared with itself: table 三 (rows and columns
  both templates share), table 四, and the 处理决定数量 cells of 第二十条第（五）（六）项
  (行政许可, 行政处罚, 行政强制: the number of decisions made in the year, labelled
  处理决定数量 in 2019 and 本年处理决定数量 in 2021).
- 2019's single row （六）其他处理 is compared, column by column, with the *sum* of the
  2021 group （六）其他处理 (its three rows 1.–3.). The comparison key is the 2019 cell key,
  ``requests.outcomes.other.<column>`` (e.g. ``requests.outcomes.other.total``): it names
  the row as the older template does, and no 2021 cell has that key, so it cannot be
  confused with a stated 2021 cell. The 2021 side is empty when any of the three rows is
  empty in that column (empty is not zero, so no partial sum is made).
- Every other cell (the 第二十条 blocks whose columns differ: 第（一）项 规章/规范性文件,
  the 2019 上一年项目数量 / 本年增/减 columns, 其他对外管理服务事项, 第（八）项 收费,
  第（九）项 政府集中采购) is listed as not comparable, with the reason; nothing is dropped
  silently.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import attrs

from disclosure_schema.labels import cell_labels, template_labels
from disclosure_schema.model import Template, cell_kinds

__all__ = [
    "OTHER_GROUP_ROW",
    "Correspondence",
    "Crosswalk",
    "NotComparable",
    "crosswalk",
]

#: The row key of （六）其他处理: a single row in 2019, a group of three rows in 2021.
OTHER_GROUP_ROW: Final = "requests.outcomes.other"


@attrs.frozen
class Correspondence:
    """One compared cell: its comparison key and the cells each side reads it from.

    ``before_keys`` / ``after_keys`` are cell keys of the before / after template; a side
    with more than one key is the sum of those cells (empty if any of them is empty).
    """

    key: str
    before_keys: tuple[str, ...]
    after_keys: tuple[str, ...]


@attrs.frozen
class NotComparable:
    """A cell of one side that has no counterpart on the other side, and why."""

    side: str  # "before" or "after"
    template: Template
    key: str
    reason_zh: str
    reason_en: str


@attrs.frozen
class Crosswalk:
    """How two templates' cells correspond, in the after template's cell order."""

    before: Template
    after: Template
    correspondences: tuple[Correspondence, ...]
    not_comparable: tuple[NotComparable, ...]


def _other_group_rows(template: Template) -> tuple[str, ...]:
    """The row keys of （六）其他处理 in a template: one row, or the rows of the group."""
    return tuple(
        row.key
        for row in template_labels(template).request_rows
        if row.key == OTHER_GROUP_ROW or row.key.startswith(f"{OTHER_GROUP_ROW}.")
    )


def _split_other(key: str, template: Template) -> str | None:
    """The column of a （六）其他处理 cell, or ``None`` for any other cell."""
    for row in _other_group_rows(template):
        if key.startswith(f"{row}."):
            column = key[len(row) + 1 :]
            if "." not in column:
                return column
    return None


def _reason(other: Template) -> tuple[str, str]:
    return (
        f"{other}年模板没有对应的单元格",
        f"the {other} template has no corresponding cell",
    )


@cache
def crosswalk(before: Template, after: Template) -> Crosswalk:
    """The crosswalk from a report on template ``before`` to one on template ``after``.

    Args:
        before: The earlier report's template tag (``"2019"`` or ``"2021"``).
        after: The later report's template tag.

    Returns:
        Every compared cell (by comparison key), and every cell of either side that is not
        comparable. Each cell key of both templates is in exactly one of the two.
    """
    before_keys = cell_kinds(before)
    after_keys = cell_kinds(after)
    # fail early on an unknown template or a labels table out of step with the model
    cell_labels(before)
    cell_labels(after)
    if before == after:
        return Crosswalk(
            before, after, tuple(Correspondence(key, (key,), (key,)) for key in after_keys), ()
        )
    before_rows = _other_group_rows(before)
    after_rows = _other_group_rows(after)
    grouped: dict[str, Correspondence] = {}
    if before_rows != after_rows:
        columns = [column.key for column in template_labels(after).request_columns]
        for column in columns:
            key = f"{OTHER_GROUP_ROW}.{column}"
            grouped[column] = Correspondence(
                key,
                tuple(f"{row}.{column}" for row in before_rows),
                tuple(f"{row}.{column}" for row in after_rows),
            )
    found: list[Correspondence] = []
    emitted: set[str] = set()
    covered_before: set[str] = set()
    covered_after: set[str] = set()
    for key in after_keys:
        other_column = _split_other(key, after)
        if other_column is not None and other_column in grouped:
            correspondence = grouped[other_column]
            if correspondence.key not in emitted:
                emitted.add(correspondence.key)
                found.append(correspondence)
                covered_before.update(correspondence.before_keys)
                covered_after.update(correspondence.after_keys)
        elif key in before_keys:
            found.append(Correspondence(key, (key,), (key,)))
            covered_before.add(key)
            covered_after.add(key)
    missing: list[NotComparable] = []
    zh, en = _reason(after)
    missing.extend(
        NotComparable("before", before, key, zh, en)
        for key in before_keys
        if key not in covered_before
    )
    zh, en = _reason(before)
    missing.extend(
        NotComparable("after", after, key, zh, en) for key in after_keys if key not in covered_after
    )
    return Crosswalk(before, after, tuple(found), tuple(missing))
