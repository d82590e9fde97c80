"""Sections 一, 五 and 六 as prose: paragraphs and （一）-style sub-parts."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from disclosure_schema.model import Prose, ProsePart
from disclosure_schema.parse.normalize import fold
from disclosure_schema.parse.tokens import Token

__all__ = ["PROSE_SECTIONS", "read_prose"]

PROSE_SECTIONS = ("overview", "problems", "other_matters")
_SUB_HEADING = re.compile(r"^\((?:[一二三四五六七八九十]{1,3})?\)")
_MAX_SUB_HEADING = 30


def _section_prose(tokens: Sequence[Token]) -> Prose:
    paragraphs: list[str] = []
    parts: list[ProsePart] = []
    heading: str | None = None
    current: list[str] = []
    for token in tokens:
        text = " ".join(token.text.split())
        if not text:
            continue
        folded = fold(text)
        if _SUB_HEADING.match(folded) and len(folded) <= _MAX_SUB_HEADING:
            if heading is not None:
                parts.append(ProsePart(heading=heading, paragraphs=tuple(current)))
            heading, current = text, []
            continue
        (current if heading is not None else paragraphs).append(text)
    if heading is not None:
        parts.append(ProsePart(heading=heading, paragraphs=tuple(current)))
    return Prose(paragraphs=tuple(paragraphs), parts=tuple(parts))


def read_prose(
    tokens: Sequence[Token], headings: Sequence[tuple[int, str]], table_tokens: Collection[int]
) -> dict[str, Prose]:
    """The prose of sections 一/五/六 between their heading and the next heading."""
    found: dict[str, Prose] = {}
    for number, (start, section) in enumerate(headings):
        if section not in PROSE_SECTIONS or section in found:
            continue
        end = headings[number + 1][0] if number + 1 < len(headings) else len(tokens)
        body = [
            tokens[i] for i in range(start + 1, end) if i not in table_tokens and not tokens[i].cell
        ]
        found[section] = _section_prose(body)
    return found
