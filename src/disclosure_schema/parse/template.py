"""Which template a page's tables follow, judged from the tables' own labels."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import cache
from typing import cast

from disclosure_schema.labels import Label, template_labels
from disclosure_schema.model import Template
from disclosure_schema.parse.normalize import label_body
from disclosure_schema.template import ARTICLE_20_NUMERALS, template_spec, template_tags

__all__ = ["ARTICLE_20_CITATION", "cited_items", "template_markers", "template_votes"]

_MIN_MARKER_CHARS = 4
_ITEM_OF_NUMERAL = {numeral: item for item, numeral in ARTICLE_20_NUMERALS.items()}
#: 第二十条第（X）项 in folded text (brackets folded to ASCII, or left out)
ARTICLE_20_CITATION = re.compile(
    r"第二十条第\(?([" + "".join(ARTICLE_20_NUMERALS.values()) + r"])\)?项"
)


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


def _registered() -> tuple[Template, ...]:
    # the official templates, and any a program registered (a test's toy template)
    return cast("tuple[Template, ...]", template_tags())


def template_markers() -> dict[Template, frozenset[str]]:
    """Label bodies that occur in one registered template's tables and in no other's."""
    return _markers(_registered())


@cache
def _markers(tags: tuple[Template, ...]) -> dict[Template, frozenset[str]]:
    bodies = {tag: _labels_of(tag) for tag in tags}
    return {
        tag: _distinct(own, set().union(*(bodies[other] for other in tags if other != tag)))
        for tag, own in bodies.items()
    }


def _distinct(own: set[str], other: set[str]) -> frozenset[str]:
    # a marker contained in one of the other template's labels (处理决定数量 in
    # 本年处理决定数量) would vote for the wrong template
    return frozenset(
        body
        for body in own - other
        if len(body) >= _MIN_MARKER_CHARS and not any(body in label for label in other)
    )


def cited_items(folded_texts: Iterable[str]) -> frozenset[int]:
    """The article 20 items cited (第二十条第（X）项) in folded texts."""
    # one search over the texts parted by NUL, which no citation holds
    return frozenset(
        _ITEM_OF_NUMERAL[found.group(1)]
        for found in ARTICLE_20_CITATION.finditer("\0".join(folded_texts))
    )


def template_votes(folded_texts: Iterable[str], items: Collection[int] = ()) -> dict[Template, int]:
    """How many distinct markers of each registered template occur in the page's table
    text, plus one for each cited article 20 item that only some templates have a
    block for (item 9 is in the 2019 template alone)."""
    joined = "".join(folded_texts)
    votes: dict[Template, int] = {}
    for template, markers in template_markers().items():
        votes[template] = sum(1 for marker in markers if marker in joined)
    if not items:
        return votes
    tags = _registered()
    having = {tag: set(template_spec(tag).article20_items()) for tag in tags}
    for item in items:
        owners = [tag for tag in tags if item in having[tag]]
        if 0 < len(owners) < len(tags):
            for tag in owners:
                votes[tag] += 1
    return votes
