"""Figures a report states in its prose, to choose between readings of its tables.

A report often says in words what one of its table cells holds ("全年共收到政府信息公开申请
34件"). Where a run of table values can be read onto the template grid in more than one way
and the template's arithmetic does not decide, such a figure can: the reading whose cell
agrees with it is taken over the readings that disagree. A figure never makes up a value
and never overrides a number the table states unambiguously; a figure that differs from
such a cell is only noted (``figure_differs``).

Only plain statements of one cell are read: one subject (applications received this year,
carried over from last year, carried forward to next year, administrative reviews, lawsuits
of one kind) and exactly one count ("34件") in the clause, in a sentence about the report's
own year. A clause that compares ("同比增长", "较上年减少3件"), approximates, counts
something else ("办理", "办结" count what was handled, not what was received), or gives
several numbers is not a figure; when unsure, nothing is read.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Final, NamedTuple, Protocol, TypeVar

import attrs

from disclosure_schema.labels import LITIGATION, REVIEW, template_labels
from disclosure_schema.model import Template
from disclosure_schema.parse.diagnostics import diagnostic
from disclosure_schema.parse.normalize import fold, numbering
from disclosure_schema.parse.result import Diagnostic
from disclosure_schema.parse.sections import section_of_folded
from disclosure_schema.parse.tokens import Token, path_string
from disclosure_schema.parse.values import is_value_like, read_cell

__all__ = ["Figure", "StatedFigures", "figures_in", "read_figures"]

_Reading = TypeVar("_Reading")

# the unit words of a count of applications, reviews or lawsuits
_COUNT_UNITS: Final = "件宗起个条项份"
# a count as prose writes it, with its unit word (after fold: half-width digits and commas)
_COUNT = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)"
    f"([{_COUNT_UNITS}])"
    r"(?!次|工作日|自然日|日|月|小时|人)"
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
# a year or date is not a count ("2023年", "2023年度", "12月31日")
_DATE = re.compile(r"\d+(?:年度?|月份?|日|号)")
_SENTENCES = re.compile(r"[。;!?？！\n]")
# a clause ends at a comma, but not at a thousands separator ("1,234件")
_CLAUSES = re.compile(r",(?!\d{3}(?!\d))|:")
# "收到申请34件、36件" or "复议5宗、诉讼0宗": parts of a clause parted after a count
_LIST = re.compile(f"(?<=[{_COUNT_UNITS}])、")
_PARENTHESIS = re.compile(r"\(([^()]{0,80})\)")
# a count word and a digit (any width): a cheap test before the text is folded
_COUNT_HINT = re.compile(f"[0-9０-９][^{_COUNT_UNITS}]{{0,3}}[{_COUNT_UNITS}]")
_COUNT_DIGIT = re.compile(r"[0-9０-９]")
_HINT_REACH: Final = 4  # a digit and up to three characters before the unit
_MAX_TOKEN_CHARS: Final = 5000

# what makes a clause's number something other than the cell's plain count
_NOT_PLAIN: Final = re.compile(
    r"同比|同期|较|比|增|减|降|升|%|占|约|余|多|近|超|以上|以下|不足|左右|累计|以来|历年"
    r"|平均|每|率|至少|将近|前|截至|截止|预计|计划|去年|上年|上一年|往年"
)
# what else a received clause may be about: what was handled, answered or carried
_NOT_RECEIVED: Final = re.compile(
    r"办理|办结|答复|处理|回复|结转|转办|在办|审结|诉讼|复议"
    r"|政务服务|办件|信访|热线|建议|提案|举报|投诉"
)
# a review or lawsuit the body decides (as the review office), not one it answers to
_NOT_RESPONDENT: Final = re.compile(r"办理|审理|受理|办结|审结")
_NOT_APPEAL_TOTAL: Final = re.compile(
    r"维持|纠正|撤销|确认|驳回|其他结果|尚未|审结|结果|胜诉|败诉|撤诉|决定|判决|裁定|其中|未审"
)
_RECEIVED_VERB = re.compile(r"收到|受理|接收|收悉|接到")
# applications for information ("政府信息公开申请", "依申请公开"), or "收到申请" bare: not
# applications for other services ("受理政务服务申请")
_DISCLOSURE = re.compile(r"公开")
_RECEIVED_OBJECT = re.compile(r"申请")
_BARE_RECEIVED = re.compile(r"(?:收到|受理|接收|接到)(?:了|各类)?申请")
_NEWLY_RECEIVED = re.compile(r"新收")
# a clause part that speaks of nothing: the second number of "收到申请34件、36件"
_SUBJECT_HINT = re.compile(r"申请|复议|诉讼|起诉|结转|新收|收到|受理")
_CARRIED_OVER = re.compile(r"上一?年度?结转|上一?年度?遗留|结转上一?年度?")
_CARRIED_FORWARD = re.compile(r"结转(?:至|到)?下一?年度?|转入下一?年度?")
_CARRIED_EITHER = re.compile(r"结转")
_PART_OF = re.compile(r"其中|含|包括")
_TERMINATOR = re.compile(r"[。；;！!？?]")
# an unfinished sentence at the end of a line goes on in the next line of the paragraph
_MAX_CARRIED_CHARS: Final = 300
_REVIEW_WORD = re.compile(r"复议")
_LITIGATION_WORD = re.compile(r"诉讼|起诉")


class Figure(NamedTuple):
    """A cell's value as the report's prose states it, and where: ``text`` is the
    clause that states it, ``line`` / ``path`` its place on the page."""

    key: str
    value: int
    text: str
    line: int | None = None
    path: str | None = None


class TableCell(Protocol):
    """What the table reader read for a cell: its value and its text as written."""

    @property
    def value(self) -> int | Decimal | None: ...

    @property
    def text(self) -> str: ...


@attrs.frozen
class _Subjects:
    """The cells a clause may state, by what it speaks of (derived from the template's
    labels: the rows named by the words real reports use, the 总计 column last). A
    template without such a row (a registered one of another shape) leaves it ``None``."""

    received: str | None
    carried_over: str | None
    carried_forward: str | None
    review: str | None
    # the lawsuit rows (未经复议直接起诉, 复议后起诉) by their folded labels
    litigation: tuple[tuple[str, str], ...]


def _total_of(rows: Sequence[tuple[str, str]], word: str, total: str | None) -> str | None:
    """The 总计 cell of the one row whose label holds ``word``, if there is one."""
    found = [key for key, label in rows if word in fold(label)]
    return f"{found[0]}.{total}" if len(found) == 1 and total is not None else None


@functools.cache
def _subjects(template: Template) -> _Subjects:
    labels = template_labels(template)
    # the template's arithmetic puts each row's 总计 last (the sum of the columns before)
    request_total = labels.request_columns[-1].key if labels.request_columns else None
    appeal_total = labels.appeal_columns[-1].key if labels.appeal_columns else None
    rows = [(row.key, row.label.zh) for row in labels.request_rows]
    appeal_rows = [(row.key, row.label.zh) for row in labels.appeal_rows]
    litigation = tuple(
        (fold(row.label.zh), f"{row.key}.{appeal_total}")
        for row in labels.appeal_rows
        if row.group is not None and row.group.zh == LITIGATION.zh and appeal_total is not None
    )
    return _Subjects(
        received=_total_of(rows, "新收", request_total),
        carried_over=_total_of(rows, "上年结转", request_total),
        carried_forward=_total_of(rows, "结转下年", request_total),
        review=_total_of(appeal_rows, REVIEW.zh, appeal_total),
        litigation=litigation,
    )


def _one(key: str | None) -> tuple[str, ...]:
    return () if key is None else (key,)


def _clause_keys(
    clause: str, subjects: _Subjects, value: int, *, disclosure: bool
) -> tuple[str, ...]:
    """The cells a clause with one count states (none when it is not plainly one);
    ``disclosure``: its sentence speaks of information disclosure (a review or lawsuit
    counts in table 四 only then)."""
    litigation_rows = [key for label, key in subjects.litigation if label in clause]
    appeal_words = _NOT_APPEAL_TOTAL.search(clause) or _NOT_RESPONDENT.search(clause)
    if litigation_rows:
        if len(litigation_rows) > 1 or appeal_words or not disclosure:
            return ()
        return (litigation_rows[0],)
    review = _REVIEW_WORD.search(clause) is not None
    litigation = _LITIGATION_WORD.search(clause) is not None
    if review or litigation:
        if (review and litigation) or appeal_words or not disclosure:
            return ()
        if review:
            return _one(subjects.review)
        # "行政诉讼N件" sums both lawsuit rows: exact for a cell only when it is 0
        return tuple(key for _, key in subjects.litigation) if value == 0 else ()
    over = _CARRIED_OVER.search(clause)
    forward = _CARRIED_FORWARD.search(clause)
    if over and forward:
        return ()
    if over:
        rest = clause[: over.start()] + clause[over.end() :]
        return (
            ()
            if _NOT_PLAIN.search(rest) or _CARRIED_EITHER.search(rest)
            else _one(subjects.carried_over)
        )
    if forward:
        return _one(subjects.carried_forward)
    if _CARRIED_EITHER.search(clause):
        return ()
    if (
        _NEWLY_RECEIVED.search(clause)
        or _BARE_RECEIVED.search(clause)
        or (
            _RECEIVED_VERB.search(clause)
            and _RECEIVED_OBJECT.search(clause)
            and _DISCLOSURE.search(clause)
        )
    ):
        return () if _NOT_RECEIVED.search(clause) else _one(subjects.received)
    return ()


def _sentence_figures(sentence: str, subjects: _Subjects, year: int | None) -> list[Figure]:
    years = {int(found) for found in _YEAR.findall(sentence)}
    if years and (year is None or years != {year}):
        return []  # about another year, or a year the page's own is not known against
    # a breakdown in parentheses ("(其中信件申请10件)") is left out; a note that changes
    # what the figure counts ("(含上年结转2件)") makes the sentence no figure
    for note in _PARENTHESIS.findall(sentence):
        if _NUMBER.search(note) and not note.startswith("其中"):
            return []
        if re.search(r"结转|上年|含|包括", note):
            return []
    plain = _PARENTHESIS.sub("", sentence)
    if "(" in plain or ")" in plain:
        return []
    found: list[Figure] = []
    disclosure = _DISCLOSURE.search(sentence) is not None
    clauses = _CLAUSES.split(plain)
    for clause in clauses:
        parts = _LIST.split(clause)
        part_figures: list[Figure] = []
        for part in parts:
            counts = _COUNT.findall(part)
            numbers = _NUMBER.findall(_DATE.sub("", part))
            if not counts:
                if numbers:
                    part_figures = []  # a number of another kind beside the count
                    break
                continue
            if len(counts) != 1 or len(numbers) != 1:
                part_figures = []
                break
            reading = read_cell("".join(counts[0]), "count")
            if not isinstance(reading.value, int):
                part_figures = []
                break
            if not _SUBJECT_HINT.search(part):
                if len(parts) > 1:
                    part_figures = []  # "收到申请34件、36件": several numbers for one thing
                    break
                continue
            keys = _clause_keys(part, subjects, reading.value, disclosure=disclosure)
            if not keys:
                continue
            if not _CARRIED_OVER.search(part) and _NOT_PLAIN.search(part):
                part_figures = []
                break
            part_figures.extend(Figure(key, reading.value, part) for key in keys)
        found.extend(part_figures)
    if any(_PART_OF.match(clause) and _CARRIED_EITHER.search(clause) for clause in clauses):
        # "共收到申请36件，其中上年结转2件": what was received counts what was carried over
        found = [figure for figure in found if figure.key != subjects.received]
    return found


def figures_in(text: str, template: Template, *, year: int | None) -> list[Figure]:
    """The figures one piece of prose states, in order (a cell may come twice).

    Parameters
    ----------
    text:
        A paragraph or line of the report's prose.
    template:
        The template whose cells the figures are read for.
    year:
        The report's year; a sentence naming another year (or any year, when the
        report's is not known) states no figure.

    Returns
    -------
    list[Figure]
        Each figure with the clause that states it.
    """
    if len(text) > _MAX_TOKEN_CHARS or not _COUNT_HINT.search(text):
        return []
    folded = fold(text)
    subjects = _subjects(template)
    found: list[Figure] = []
    for sentence in _SENTENCES.split(folded):
        if sentence:
            found.extend(_sentence_figures(sentence, subjects, year))
    return found


def _heading(text: str) -> bool:
    """A numbered item or a section heading ("三、…", "（二）…")."""
    folded = fold(text)
    return numbering(folded)[0] is not None or section_of_folded(folded) is not None


def _goes_on(previous: Token, token: Token) -> bool:
    """Whether ``token`` continues the unfinished sentence that ends ``previous``: the
    next line of page text with no blank line between, and no value, heading or
    numbered item."""
    if previous.line is None or token.line != previous.line + 1 or token.cell:
        return False
    text = token.text.strip()
    return not is_value_like(text) and not _heading(text)


def _last_sentence(text: str) -> int:
    """Where the last unfinished sentence of ``text`` begins (after its last terminator)."""
    ends = [match.end() for match in _TERMINATOR.finditer(text)]
    return ends[-1] if ends else 0


_RUN_BREAK: Final = "\n" * 4  # longer than a count hint can reach across
_TEXT: Final = operator.attrgetter("text")


def _is_prose(token: Token) -> bool:
    return not token.cell and not token.text.isdigit()


def _unit_positions(text: str) -> list[int]:
    """Where the count units stand in ``text``, in order (str.find per unit: faster than
    a character-class search over CJK text)."""
    found: list[int] = []
    for unit in _COUNT_UNITS:
        at = text.find(unit)
        while at >= 0:
            found.append(at)
            at = text.find(unit, at + 1)
    found.sort()
    return found


def _hinted_runs(tokens: Iterable[Token]) -> Iterator[Token]:
    """The tokens of each run of prose lines (no table cell, no bare number) that holds a
    count hint, each run followed by the token that ends it; the page's other tokens
    change nothing that :func:`read_figures` reads, and one search finds the hints."""
    page = list(tokens)
    texts = list(map(_TEXT, page))
    joined = _RUN_BREAK.join(texts)
    if joined.count("\n") != len(_RUN_BREAK) * (len(texts) - 1):
        yield from page  # a text with a line break in it: every token read
        return
    hinted: list[int] = []
    counted = counted_at = 0
    # a count hint is a unit with a digit among the four characters before it (what
    # _COUNT_HINT matches); units are few on a page, digits many, so units are searched
    for at in _unit_positions(joined):
        if not _COUNT_DIGIT.search(joined, max(at - _HINT_REACH, 0), at):
            continue
        counted += joined.count(_RUN_BREAK, counted_at, at)
        counted_at = at
        if not hinted or hinted[-1] != counted:
            hinted.append(counted)
    done = 0
    for at in hinted:
        if at < done:
            continue  # in a run already given
        start = at
        while start > done and _is_prose(page[start - 1]):
            start -= 1
        end = at + 1
        while end < len(page) and _is_prose(page[end]):
            end += 1
        yield from page[start : end + 1]  # with the token that ends the run
        done = end + 1


def read_figures(
    tokens: Iterable[Token], template: Template, *, year: int | None
) -> dict[str, Figure]:
    """The figures the page's prose states, by cell key: one value per cell, read from
    text that is no table cell. A cell stated with two different values has none. A
    sentence wrapped over lines of page text is read whole.

    Parameters
    ----------
    tokens:
        The page's tokens; table cells are skipped.
    template:
        The template of the report's tables.
    year:
        The report's year (see :func:`figures_in`).

    Returns
    -------
    dict[str, Figure]
        The first statement of each cell the prose states with one value.
    """
    found: dict[str, Figure] = {}
    contradicted: set[str] = set()

    def take(text: str, where: Token) -> None:
        for figure in figures_in(text, template, year=year):
            key = figure.key
            if key in found and found[key].value != figure.value:
                contradicted.add(key)
            found.setdefault(key, figure._replace(line=where.line, path=path_string(where.path)))

    # the line before, whose last unfinished sentence may go on in this one, and where
    # that sentence began; only runs of prose lines with a count in them are read
    previous: tuple[str, Token, Token, bool] | None = None
    for token in _hinted_runs(tokens):
        text = token.text
        if token.cell or text.isdigit():
            if previous is not None and previous[3]:
                take(previous[0], previous[1])
            previous = None
            continue
        hinted = _COUNT_HINT.search(text) is not None
        start = token
        if previous is not None:
            before, began, line, before_hinted = previous
            cut = _last_sentence(before) if (hinted or before_hinted) else len(before)
            tail = before[cut:].strip()
            joined = (
                (hinted or before_hinted)
                and tail
                and (cut or not _heading(tail))  # a heading ends its line
                and len(tail) <= _MAX_CARRIED_CHARS
                and _goes_on(line, token)
            )
            if before_hinted:
                take(before[:cut] if joined else before, began)
            if joined:
                text = tail + text.strip()
                start = began if not cut else line
                hinted = True
        previous = (text, start, token, hinted)
    if previous is not None and previous[3]:
        take(previous[0], previous[1])
    return {key: figure for key, figure in found.items() if key not in contradicted}


@attrs.define
class StatedFigures:
    """The figures of one page, handed to the table reader: :meth:`choose` picks a
    reading by them, and what they decided (or where they differ from the table) comes
    back as ``info`` diagnostics from :meth:`diagnostics`."""

    figures: Mapping[str, Figure]
    chosen: list[tuple[str, tuple[Figure, ...]]] = attrs.field(factory=list)

    def __bool__(self) -> bool:
        return bool(self.figures)

    def choose(
        self, keys: Sequence[str], readings: Mapping[_Reading, Sequence[int | Decimal | None]]
    ) -> tuple[_Reading, tuple[Figure, ...]] | None:
        """The one reading whose cells agree with every figure stated for ``keys`` when
        every other reading differs from one of them, with the figures that decided;
        ``None`` when no figure speaks for these cells or they do not single one out.

        ``readings`` maps each reading that fits the page to its values, one per key
        (``None`` for an empty cell: it agrees with no figure).
        """
        stated = [(at, self.figures[key]) for at, key in enumerate(keys) if key in self.figures]
        if not stated:
            return None
        agreeing = [
            reading
            for reading, values in readings.items()
            if all(at < len(values) and values[at] == figure.value for at, figure in stated)
        ]
        if len(agreeing) != 1:
            return None
        return agreeing[0], tuple(figure for _, figure in stated)

    def note(self, where: str, figures: tuple[Figure, ...]) -> None:
        """Record that ``figures`` chose the reading of ``where`` (a row or table key)."""
        self.chosen.append((where, figures))

    def diagnostics(self, cells: Mapping[str, TableCell]) -> list[Diagnostic]:
        """``figure_chose`` for every reading the figures chose, and ``figure_differs``
        for a figure whose cell the table states otherwise (the table's value is kept).
        """
        found: list[Diagnostic] = []
        for where, figures in self.chosen:
            said = "; ".join(
                f"{figure.text!r} ({figure.key} = {figure.value})" for figure in figures
            )
            first = figures[0]
            found.append(
                diagnostic(
                    "figure_chose",
                    f"{where}: several readings fit the table; the one that agrees with"
                    f" what the report's prose states was taken: {said}",
                    key=where,
                    line=first.line,
                    path=first.path,
                )
            )
        for key, figure in self.figures.items():
            if key not in cells:
                continue
            cell = cells[key]
            if cell.value != figure.value:
                found.append(
                    diagnostic(
                        "figure_differs",
                        f"the prose states {figure.value} ({figure.text!r}) where the table"
                        f" states {cell.text.strip()!r}; the table's value is kept",
                        key=key,
                        line=figure.line,
                        path=figure.path,
                    )
                )
        return found
