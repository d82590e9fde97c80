"""Meta data from page text: title, issuer, year, publication date, contact."""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Final, overload

from disclosure_schema.model import Meta

__all__ = ["read_meta"]

_TITLE_WORDS: Final = ("政府信息公开", "年度报告")
_MAX_TITLE_CHARS: Final = 80
_YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*年")
_SITE_SUFFIX = re.compile(r"^(.{0,60}?(?:年度报告|年报))\s*[_|\-—–]+.{0,60}$")
_YEAR_AT_START = re.compile(r"^(20\d{2})\s*年")
_PERIOD = re.compile(
    r"(?:自|从|为|期限)\s*(20\d{2})\s*年?\s*0?1\s*月?\s*0?1\s*日"
    r"|(20\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|-|—|－|~)"
    r"|自\s*(20\d{2})"
)
_YEAR_OF_REPORT = re.compile(r"(20\d{2})\s*年度")
_ANY_YEAR = re.compile(r"(20\d{2})\s*年")
_PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|公开日期|日期|时间)\s*[:：]?\s*"
    r"(20\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})"
)
_FROM_BY = re.compile(
    r"由\s*([^,，。、()（）《》\s]{2,25}?)\s*(?:依据|根据|按照|负责|汇总|编制|组织编制)"
)
_NOW_ISSUER = re.compile(r"现(?:将|公布|发布)\s*([^,，。、()（）《》\s]{2,25}?)\s*20\d{2}\s*年")
_SUBJECT = re.compile(
    r"20\d{2}\s*年\s*[,，]\s*([^,，。、()（）《》\s]{2,20}?"
    r"(?:办公室|办公厅|人民政府|政府|局|委员会|委|街道办事处|办事处|街道|镇|乡))"
)
_NOT_ISSUER: Final = ("我", "本", "全", "各", "今", "在", "市办", "县办", "区办")
_MIN_YEAR: Final = 2000
_MAX_CONTACT: Final = 160
_HEAD_LINES: Final = 80
_NFKC: Final = functools.partial(unicodedata.normalize, "NFKC")
_SPACE = re.compile(r"\s")


def _title_line(text: str) -> bool:
    return (
        len(text) <= _MAX_TITLE_CHARS
        and "《" not in text
        and ">" not in text
        and not text.startswith(("根据", "按照", "现将", "本报告", "本年度报告"))
    )


def _site_title(line: str) -> str:
    return _SITE_SUFFIX.sub(r"\1", line) if "年报" in line or "年度报告" in line else line


class _TitleTexts(Sequence[str]):
    """The texts a title is looked for in: the page's head lines, then the hints, each
    hint cleaned only when it is first read (a page gives up to 200 hints; the title is
    most often found in its first lines)."""

    def __init__(self, lines: Sequence[str], hints: Sequence[str]) -> None:
        self._lines = [text for text in map(_site_title, lines) if text]
        self._hints = hints  # non-empty, stripped: the HTML reader's
        self._cleaned: list[str | None] = [None] * len(hints)

    def __len__(self) -> int:
        return len(self._lines) + len(self._hints)

    @overload
    def __getitem__(self, at: int) -> str: ...

    @overload
    def __getitem__(self, at: slice) -> Sequence[str]: ...

    def __getitem__(self, at: int | slice) -> str | Sequence[str]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        if at < 0:
            at += len(self)
        if at < len(self._lines):
            return self._lines[at]
        hint = at - len(self._lines)
        if not 0 <= hint < len(self._hints):
            raise IndexError(at)
        found = self._cleaned[hint]
        if found is None:
            found = self._cleaned[hint] = _site_title(_cleaned([self._hints[hint]])[0][0])
        return found


def _title(lines: Sequence[str], hints: Sequence[str]) -> str | None:
    """The title among the page's lines (already cleaned: NFKC, one space between words,
    see :func:`_cleaned`) and hints."""
    # a title with a year first: a menu item "政府信息公开年度报告" is not the title
    texts = _TitleTexts(lines, hints)
    return (
        _title_pass(texts, with_year=True)
        or _title_pass(texts, with_year=False)
        or next(
            (
                text
                for text in lines
                if len(text) <= _MAX_TITLE_CHARS
                and "信息公开" in text
                and text.endswith(("报告", "年报"))
            ),
            None,
        )
    )


_TITLE_TAIL = re.compile(r"^(?:20\d{2}\s*年|(?:政府)?信息公开)")
_PROSE_MARKS = re.compile(r"[。，,；;：:！!？?/]")
_MAX_TITLE_PART: Final = 40


def _title_pass(texts: Sequence[str], *, with_year: bool) -> str | None:
    for at, text in enumerate(texts):
        candidates = [text]
        following = texts[at + 1] if at + 1 < len(texts) else ""
        if (
            len(text) <= _MAX_TITLE_PART
            and "年度报告" not in text
            and "政府信息公开" not in following
            and not _PROSE_MARKS.search(text)
        ):
            # a title broken inside its name ("…2022年政府" / "信息公开工作年度报告")
            candidates.append(text + following)
        for candidate in candidates:
            if not (_title_line(candidate) and all(word in candidate for word in _TITLE_WORDS)):
                continue
            previous = texts[at - 1] if at else ""
            if (
                _TITLE_TAIL.match(candidate)
                and _title_line(previous)
                and len(previous) <= 30
                and not _PROSE_MARKS.search(previous)
            ):
                # a title split over two lines: issuer, then year and report name
                return previous + candidate
            if not with_year or _YEAR_IN_TITLE.search(candidate):
                return candidate
    return None


def _issuer_from_title(title: str) -> str | None:
    match = _YEAR_IN_TITLE.search(title)
    head = title[: match.start()] if match else title.split("政府信息公开", maxsplit=1)[0]
    if match and not head.strip():
        # "2022年某某区政府信息公开工作年度报告": the issuer follows the year
        tail = title[match.end() :].removeprefix("度")
        head = tail.split("政府信息公开", maxsplit=1)[0]
    head = head.strip(' 《》"“”:：_-|').removeprefix("关于")
    return head if len(head) >= 2 else None


_NOT_A_NAME = re.compile(r"[《》()（）,，。、:：;；“”\"/|]")


def _issuer(title: str | None, text: str) -> str | None:
    from_title = _issuer_from_title(title) if title else None
    if from_title and _NOT_A_NAME.search(from_title):
        from_title = None  # a fragment of a sentence or a breadcrumb, not a name
    from_prose: str | None = None
    for pattern in (_FROM_BY, _NOW_ISSUER, _SUBJECT):
        match = pattern.search(text)
        if match and not match.group(1).startswith(_NOT_ISSUER):
            from_prose = match.group(1)
            break
    if (
        from_title
        and from_prose
        and (from_prose.startswith(from_title) or from_prose.endswith(from_title))
    ):
        return from_prose  # the fullest name the page gives ("上海市科委" for "市科委")
    return from_title or from_prose


def _year(title: str | None, head: str) -> int | None:
    if title:
        match = _YEAR_IN_TITLE.search(title)
        if match:
            return int(match.group(1))
    match = _PERIOD.search(head)
    if match:
        return int(next(group for group in match.groups() if group))
    counted = Counter(int(m.group(1)) for m in _YEAR_OF_REPORT.finditer(head))
    if not counted:
        counted = Counter(int(m.group(1)) for m in _ANY_YEAR.finditer(head))
    if counted:
        return counted.most_common(1)[0][0]
    return None


def _published(head: str) -> _dt.date | None:
    match = _PUBLISHED.search(head)
    if match is None:
        return None
    try:
        return _dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


_SENTENCE_END = re.compile(r"[。;；]")


def _contact(lines: Sequence[str]) -> str | None:
    # the lines are already cleaned (NFKC, one space between words)
    for line in lines:
        if "联系" not in line:
            continue
        for sentence in _SENTENCE_END.split(line):
            if "联系" not in sentence or not any(w in sentence for w in ("电话", "地址")):
                continue
            start = 0
            for marker in ("请与", "请联系", "联系"):
                at = sentence.find(marker)
                if at >= 0:
                    start = at
                    break
            found = sentence[start:].strip(" ,，")
            return found[:_MAX_CONTACT] if found else None
    return None


def _cleaned(lines: Sequence[str]) -> tuple[list[str], str]:
    """Each line cleaned (NFKC, one space between words, none at either end), and all
    of them as one cleaned text."""
    # NFKC line by line: most lines pass its quick check and are returned as they are,
    # where the lines as one text would be normalized whole for one full-width bracket
    # (and NFKC composes nothing across a line break, so each line's form is its own)
    normal = list(map(_NFKC, lines))
    if _SPACE.search("".join(normal)) is not None:
        normal = [" ".join(line.split()) for line in normal]
    # (else no space in any line: each is already clean, as most pages' heads are)
    return normal, " ".join(filter(None, normal))


def _published_in_hints(hints: Sequence[str]) -> _dt.date | None:
    """:func:`_published` of the hints cleaned and joined, cleaning only the hints a
    date can be read from: every date label _PUBLISHED knows has 期 or 间 (and no other
    character becomes either under NFKC), and a label lies within one hint (hints are
    joined by a space; labels have none), so no date starts before the first such hint."""
    first = next((at for at, hint in enumerate(hints) if "期" in hint or "间" in hint), None)
    return None if first is None else _published(_cleaned(hints[first:])[1])


def read_meta(lines: Sequence[str], hints: Sequence[str] = ()) -> Meta:
    """Meta data from the page's text lines (``hints``: HTML <title>/<h1> texts)."""
    cleaned, head = _cleaned(list(itertools.islice(filter(str.strip, lines), _HEAD_LINES)))
    title = _title(cleaned, hints)
    year = _year(title, head)
    if year is not None and year < _MIN_YEAR:
        year = None
    return Meta(
        issuer=_issuer(title, head),
        year=year,
        title=title,
        published=_published(head) or _published_in_hints(hints),
        contact=_contact(cleaned),
    )
