"""Which template a page's tables follow, judged from the tables' own labels."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from disclosure_schema.labels import Label, template_labels
from disclosure_schema.model import Template
from disclosure_schema.parse.normalize import label_body

__all__ = ["template_markers", "template_votes"]

_MIN_MARKER_CHARS = 4


def _labels_of(template: str) -> set[str]:
    labels = template_labels(template)
    found: list[Label] = []
    for block in labels.proactive_blocks:
        found.append(block.caption)
        found.extend(column.label for column in block.columns)
        found.extend(row.label for row in block.rows)
    found.extend(row.label for row in labels.request_rows)
    found.extend(row.group for row in labels.request_rows if row.group is not None)
    bodies: set[str] = set()
    for label in found:
        bodies.update(label_body(text) for text in (label.zh, *label.aliases))
    return bodies


@cache
def template_markers() -> dict[Template, frozenset[str]]:
    """Label bodies that occur in one template's tables and not in the other's."""
    v2019, v2021 = _labels_of("2019"), _labels_of("2021")
    return {
        "2019": _distinct(v2019, v2021),
        "2021": _distinct(v2021, v2019),
    }


def _distinct(own: set[str], other: set[str]) -> frozenset[str]:
    # a marker contained in one of the other template's labels (处理决定数量 in
    # 本年处理决定数量) would vote for the wrong template
    return frozenset(
        body
        for body in own - other
        if len(body) >= _MIN_MARKER_CHARS and not any(body in label for label in other)
    )


def template_votes(folded_texts: Iterable[str], has_item_nine: bool) -> dict[Template, int]:
    """How many distinct markers of each template occur in the page's table text."""
    joined = "".join(folded_texts)
    votes: dict[Template, int] = {}
    for template, markers in template_markers().items():
        votes[template] = sum(1 for marker in markers if marker in joined)
    if has_item_nine:
        votes["2019"] += 1
    return votes
