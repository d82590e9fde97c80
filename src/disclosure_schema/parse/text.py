"""Page text → tokens: one-cell-per-line runs, ``|`` rows (Markdown, tabulate pipe and
grid formats, cells ending in `` |``), space-aligned columns, and prose lines."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Final

from disclosure_schema.parse.tokens import Token

__all__ = ["tokenize_text"]

_BORDER = re.compile(r"^[\s|+:=\-─━┄┈═╌]*$")
_BOX_PIPES: Final = str.maketrans({"│": "|", "┃": "|", "║": "|", "｜": "|"})
_COLUMN_GAP = re.compile(r"\s{2,}|\t")
_MAX_LINE: Final = 20_000
_MAX_SPACED_ROW: Final = 200
_SPACED_VALUE = re.compile(
    r"[+\-－＋]?[0-9０-９][0-9０-９,.，]*(?:万元|元)?[\u2460-\u24ff\u2776-\u2793¹²³*＊※]?|[/—_\-－]"
)
_DIGITS = re.compile(r"[0-9０-９]")
_CJK_END = re.compile(r"[\u4e00-\u9fff)）”\"]$")
_NUMBERING = re.compile(r"^[0-9０-９]{1,2}[.、．]")
_ANY_NUMBERING = re.compile(r"(?:^|(?<=\s))[0-9０-９]{1,2}[.、．]")
_LABEL_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|[0-9０-９]{1,2}[.、．])"
)
_LONE_PIPES = re.compile(r"^\s*\|[\s|]*$")
# page furniture a PDF or print leaves between table rows: "— 4 —", "- 4 -", "第 3 页",
# "第3页 共7页", "共7页 第3页", "3/7"
_FOOTER = re.compile(
    r"^\s*(?:[-—–－~―]+\s*[0-9０-９]{1,4}\s*[-—–－~―]+"
    r"|第\s*[0-9０-９]{1,4}\s*页(?:\s*[,，/、]?\s*共\s*[0-9０-９]{1,4}\s*页)?"
    r"|共\s*[0-9０-９]{1,4}\s*页\s*[,，/、]?\s*第\s*[0-9０-９]{1,4}\s*页"
    r"|[0-9０-９]{1,3}\s*/\s*[0-9０-９]{1,3}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)\s*$"
)
# one number written with spaces between its digit groups ("1 234", "12 345 678")
_MIN_ROW_WORDS: Final = 3
_MIN_VALUE_ROWS: Final = 2
_SPACED_THOUSANDS = re.compile(r"^[0-9０-９]{1,3}(?: [0-9０-９]{3})+$")


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [cell.strip() for cell in body.split("|")]


# what str.split() parts words by, less the line breaks splitlines() leaves in no line
# (spelled out: a class of characters is searched much faster than "\s but not \n")
_SPACES: Final = "\t\x1f \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INNER_SPACE = re.compile(f"[{_SPACES}]")  # (no "+": a repeat is not searched as fast)


def _value_rows(joined: str) -> bool:
    """Whether the page writes table rows as values parted by single spaces (PDF text):
    then "1 234" is two cells, not one number with a space in it. ``joined``: the
    page's lines joined by "\n"."""
    found = 0
    # only lines with a space in them can have three words; spaces are few on a page
    space = _INNER_SPACE.search(joined)
    while space is not None:
        start = joined.rfind("\n", 0, space.start()) + 1
        end = joined.find("\n", space.end())
        if end < 0:
            end = len(joined)
        line = joined[start:end]
        space = _INNER_SPACE.search(joined, end)  # in the lines after this one
        words = line.split()
        if len(words) < _MIN_ROW_WORDS or _SPACED_THOUSANDS.match(line.strip()):
            continue
        if all(_SPACED_VALUE.fullmatch(word) for word in words[-_MIN_ROW_WORDS:]):
            found += 1
            if found >= _MIN_VALUE_ROWS:
                return True
    return False


def _label_and_values(line: str, *, thousands: bool = True) -> list[str]:
    """A row copied with single spaces between cells ("行政许可 0 +2 15") as its label and
    values; any other line as itself."""
    if len(line) > _MAX_SPACED_ROW:
        return [line]
    if thousands and _SPACED_THOUSANDS.match(line):
        return [line]
    words = line.split()
    values: list[str] = []
    while words and _SPACED_VALUE.fullmatch(words[-1]):
        values.insert(0, words.pop())
    if not values:
        return [line]
    label = " ".join(words)
    if words and not _CJK_END.search(label):
        return [line]
    if words and _DIGITS.search(_ANY_NUMBERING.sub("", label)):
        return [line]
    if sum(1 for word in words if _LABEL_MARK.match(word)) >= 2:
        # merged label cells on one line ("三、本年度办理结果 （三）不予公开 1.属于国家秘密")
        return [*words, *values]
    return [label, *values] if words else values


def _pipes_separate_cells(lines: list[str]) -> bool:
    """Whether lines holding only pipes separate cells written on lines of their own
    ("规章", "|", "1", "|") rather than end or start pipe rows ("规章 |", "1 |", "|")."""
    after_bare = after_pipe = 0
    previous = ""
    for line in lines:
        if not line.strip():
            continue
        if "|" in line and _LONE_PIPES.match(line):
            if previous and "|" not in previous:
                after_bare += 1
            elif previous:
                after_pipe += 1
        previous = line
    return after_bare >= after_pipe  # a lone pipe among plain lines separates nothing


# what makes a line more than one plain word (a cell of its own): a pipe or a footer
# character, or any space (inside it, around it, or all of it). Searched in the page
# joined by "\n", so the plain lines (most lines of a one-cell-per-line page) cost no
# Python step each. The spaces are str.isspace()'s, less the line breaks splitlines()
# leaves in no line.
_SPECIAL_LINE = re.compile(f"[|页/\\-—–－~―gG{_SPACES}]")


class _LineReader:
    """Tokens of the lines that need a look of their own, numbering table rows."""

    def __init__(self, joined: str, *, separators: bool) -> None:
        self.joined = joined
        self.separators = separators
        self._value_rows: bool | None = None
        self.row = 0

    def value_rows(self) -> bool:
        if self._value_rows is None:
            self._value_rows = _value_rows(self.joined)
        return self._value_rows

    def tokens(self, raw: str, number: int | None, path: str | None) -> Iterator[Token]:
        line = raw[:_MAX_LINE]
        stripped = line.strip()
        if not stripped or _FOOTER.match(line):
            return
        if "|" in line:
            if self.separators and _LONE_PIPES.match(line):
                self.row += 1
                return
            if _BORDER.match(line) and ("-" in line or "+" in line or "=" in line):
                self.row += 1
                return
            self.row += 1
            for cell in _pipe_cells(line):
                yield Token(cell, number, path, cell=True, row=self.row)
            return
        if " " not in stripped and "\t" not in stripped and "\u3000" not in stripped:
            # one word: a cell of its own (most lines of a one-cell-per-line page)
            yield Token(line.rstrip("\r\n"), number, path)
            return
        pieces = [piece for piece in _COLUMN_GAP.split(stripped) if piece]
        if len(pieces) == 1:
            pieces = _label_and_values(pieces[0], thousands=not self.value_rows())
        if len(pieces) > 1:
            self.row += 1
            for piece in pieces:
                yield Token(piece, number, path, cell=False, row=self.row)
            return
        yield Token(line.rstrip("\r\n"), number, path)


def tokenize_text(text: str, *, first_line: int = 1, path: str | None = None) -> Iterator[Token]:
    """Split page text into tokens, numbering lines from ``first_line``."""
    return iter(_tokens(text, first_line, path))


def _tokens(text: str, first_line: int, path: str | None) -> list[Token]:
    # a list filled by C-level extends, not a generator resumed once per token
    tokens: list[Token] = []
    lines = text.splitlines()
    if "|" in text or "｜" in text or "│" in text:
        lines = [raw[:_MAX_LINE].translate(_BOX_PIPES) for raw in lines]
        separators = _pipes_separate_cells(lines)
    else:
        separators = False
    # (splitlines leaves no line break inside a line, so "\n" parts them unambiguously)
    joined = "\n".join(lines)
    reader = _LineReader(joined, separators=separators)
    if len(text) > _MAX_LINE and max(map(len, lines)) > _MAX_LINE:
        # a line too long to search whole (rare): every line looked at on its own
        for at, line in enumerate(lines):
            tokens.extend(reader.tokens(line, first_line + at if path is None else None, path))
        return tokens
    done = 0  # lines before this one are tokenized
    counted = counted_at = 0  # line breaks before offset counted_at of joined
    match = _SPECIAL_LINE.search(joined)
    while match is not None:
        counted += joined.count("\n", counted_at, match.start())
        counted_at = match.start()
        at = counted  # the index of the line the match is in
        if at > done:
            tokens.extend(_plain(lines, done, at, first_line, path))
        tokens.extend(reader.tokens(lines[at], first_line + at if path is None else None, path))
        done = at + 1
        line_end = joined.find("\n", counted_at)
        match = None if line_end < 0 else _SPECIAL_LINE.search(joined, line_end)
    if done < len(lines):
        tokens.extend(_plain(lines, done, len(lines), first_line, path))
    return tokens


_NOT_CELL = itertools.repeat(False)
_NO_ROW = itertools.repeat(None)


def _plain(
    lines: list[str], start: int, end: int, first_line: int, path: str | None
) -> Iterator[Token]:
    """Tokens of lines that are each one plain word or empty (skipped), made without a
    Python step per line."""
    texts = lines[start:end]
    numbers = (
        range(first_line + start, first_line + end) if path is None else itertools.repeat(None)
    )
    # the empty lines left out before any token is made
    fields = zip(
        itertools.compress(texts, texts),
        itertools.compress(numbers, texts),
        itertools.repeat(path),
        _NOT_CELL,
        _NO_ROW,
    )
    # tuple.__new__ makes each Token in C (Token(...) would run a Python __new__ per line)
    return map(tuple.__new__, itertools.repeat(Token), fields)
