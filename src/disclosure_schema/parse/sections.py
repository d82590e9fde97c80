"""Section headings 一 … 六 and their wording variants."""

from __future__ import annotations

import functools
from typing import Final

from disclosure_schema.labels import SECTION_TITLES
from disclosure_schema.parse.normalize import body_of_folded, fold, label_body, numbering

# Page lines repeat (labels, "0"): reading each distinct text once pays.
_CACHE_SIZE = 8192

__all__ = ["SECTION_NUMERALS", "section_of_folded", "section_of_heading"]

#: The numeral each section's official title starts with ("一" of "一、总体情况").
SECTION_NUMERALS: Final = {
    section: numeral
    for section, label in SECTION_TITLES.items()
    if (numeral := numbering(fold(label.zh))[0]) is not None
}
_MAX_HEADING_CHARS: Final = 60

# Words a heading of each section contains when its wording differs from the official one
# (matching hints, not labels: the official titles and aliases come from labels.py).
_HINTS: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "overview": (("总体情况",), ("概述",), ("总体",)),
    "proactive": (("主动公开",),),
    "requests": (("申请", "收到"), ("申请", "情况"), ("依申请",)),
    "appeals": (("复议",), ("诉讼",)),
    "problems": (("问题",), ("改进",), ("不足",)),
    "other_matters": (("其他", "事项"), ("其他", "报告"), ("其他",)),
}


def _title_bodies() -> dict[str, str]:
    bodies: dict[str, str] = {}
    for section, label in SECTION_TITLES.items():
        for text in (label.zh, *label.aliases):
            bodies[label_body(text)] = section
    return bodies


_BODIES: Final = _title_bodies()


def section_of_heading(text: str) -> str | None:
    """The section a heading line opens (``"overview"`` … ``"other_matters"``), or ``None``.

    A heading needs both the section's numeral and its title wording: table 三's row
    labels 一、… 四、 share the numerals but not the wording.
    """
    if len(text) > _MAX_HEADING_CHARS * 3:
        return None
    return section_of_folded(fold(text))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def section_of_folded(folded: str) -> str | None:
    """:func:`section_of_heading` of a text already passed through ``fold``."""
    folded = folded.lstrip("#>*")
    if not folded or len(folded) > _MAX_HEADING_CHARS or "·" in folded:
        return None
    mark, rest = numbering(folded)
    body = body_of_folded(folded)
    if mark is None:
        found = _BODIES.get(body)
        if found is not None and len(body) >= 6:
            return found
        # the numeral without its "、" ("一 总体情况" once spaces are gone)
        found = _BODIES.get(body_of_folded(folded[1:]))
        if found is not None and folded[0] == SECTION_NUMERALS[found]:
            return found
        return None
    for section, numeral in SECTION_NUMERALS.items():
        if mark != numeral:
            continue
        if _BODIES.get(body) == section:
            return section
        if any(all(word in rest for word in hint) for hint in _HINTS[section]):
            return section
    return None
