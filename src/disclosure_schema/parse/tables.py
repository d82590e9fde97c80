"""The table mapper: tokens in reading order → cells, by label and position.

Both input paths (page text and HTML grids) end here. Rows are found by their labels
(tolerant of notes, numbering, width and traditional characters); values are mapped by
position in the official column order, because header cells are often lost.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Final, Literal, NamedTuple

import attrs

from disclosure_schema.labels import (
    APPLICANT_HEADER,
    INFO_CONTENT,
    LITIGATION,
    ORGANIZATIONS,
    OUTCOMES_HEADER,
    R0_NOTE,
    REVIEW,
    Label,
    RowSpec,
    template_labels,
)
from disclosure_schema.model import Template, cell_kinds
from disclosure_schema.parse.diagnostics import diagnostic
from disclosure_schema.parse.figures import Figure, StatedFigures
from disclosure_schema.parse.normalize import body_of_folded, fold, label_body, numbering
from disclosure_schema.parse.result import Diagnostic
from disclosure_schema.parse.sections import section_of_folded
from disclosure_schema.parse.tokens import Token
from disclosure_schema.parse.values import CellReading, canonical_text, is_value_like, read_cell
from disclosure_schema.template import ARTICLE_20_NUMERALS, template_spec
from disclosure_schema.template._kinds import CellKind

__all__ = ["MappedCell", "MappedExtraRow", "TableResult", "map_tables"]

Section = Literal["proactive", "requests", "appeals"]
_State = Literal["proactive", "requests", "appeals", "prose"]
_TABLE_SECTIONS: Final[dict[str, _State]] = {
    "proactive": "proactive",
    "requests": "requests",
    "appeals": "appeals",
}

_DIGIT = re.compile(r"[0-9]")
_CAPTION_SLACK: Final = 4
_SENTENCE = re.compile(r"[。,，;；的规定依据按照根据]")
_AFTER_TABLE_TWO: Final = frozenset(("appeals", "problems", "other_matters"))
# a note written in a cell under its value ("22" then "（其中修订16件）")
_CELL_NOTE = re.compile(r"^\((?:其中|含|注|包括|另有)[^()]{0,30}\)?$")
_NOTE_LINE = re.compile(r"^(?:注|说明|单位|备注|数据来源|填表说明)\d?[:：]")
_TABLE_STATES: Final = frozenset(("proactive", "requests", "appeals"))
_TOTAL_WORDS: Final = frozenset(("总计", "合计"))
_CAPTION = re.compile(r"第二十条第[(\[]?([一二三四五六七八九十])[)\]]?项")
_ITEM_NUMBERS: Final = {numeral: item for item, numeral in ARTICLE_20_NUMERALS.items()}
_MAX_LABEL_CHARS: Final = 400
_SUBTOTAL_WORDS: Final = ("小计", "合计")
_FUZZY_RATIO: Final = 0.8
_AMBIGUOUS: Final = -1
# longest official row label without its notes is 37 characters; longer text is prose
_MAX_ROW_LABEL_BODY: Final = 60
_MAX_CAPTION_CHARS: Final = 40
# Page texts repeat (labels, "0"): reading each distinct text once pays.
_CACHE_SIZE: Final = 8192
_ARTICLE: Final = {"count": "a", "signed": "a", "amount": "an"}


class MappedCell(NamedTuple):
    """A cell value read from the page, with its text as written and where it was (a
    light tuple: one per cell)."""

    key: str
    value: int | Decimal | None
    text: str
    unit: str | None
    token: Token


@attrs.frozen
class MappedExtraRow:
    """A row the template does not have, found in a 第二十条 block."""

    item: int
    label: str
    values: tuple[int | Decimal | None, ...]
    texts: tuple[str, ...]


def _cell(
    key: str,
    cells: dict[str, MappedCell],
    values: dict[str, int | Decimal | None],
    plain: dict[str, Token],
) -> MappedCell:
    found = cells.get(key)
    if found is not None:
        return found
    token = plain[key]
    return MappedCell(key, values[key], token.text, None, token)


class _Cells(Mapping[str, MappedCell]):
    """The cells read, by key: a MappedCell for each, made when it is asked for."""

    __slots__ = ("_cells", "_plain", "_values")

    def __init__(
        self,
        cells: dict[str, MappedCell],
        values: dict[str, int | Decimal | None],
        plain: dict[str, Token],
    ) -> None:
        self._cells, self._values, self._plain = cells, values, plain

    def __getitem__(self, key: str) -> MappedCell:
        if key not in self._values:
            raise KeyError(key)
        return _cell(key, self._cells, self._values, self._plain)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


@attrs.frozen
class TableResult:
    """Everything the mapper read: cells by key, extra rows, diagnostics, and the token
    indexes that belonged to tables (the prose reader skips them)."""

    cells: Mapping[str, MappedCell]
    extra_rows: tuple[MappedExtraRow, ...]
    diagnostics: tuple[Diagnostic, ...]
    table_tokens: frozenset[int]
    headings: tuple[tuple[int, str], ...] = ()
    #: keys of cells whose text may not be their value's plain writing (a superset)
    unusual: tuple[str, ...] = ()
    #: the value of each cell, by key
    values: dict[str, int | Decimal | None] = attrs.field(factory=dict)


_FUZZY_CACHE_SIZE: Final = 4096
_UNSEEN: Final = object()


@attrs.frozen
class _RowTarget:
    section: Section
    row_key: str | None  # None for an extra row
    columns: tuple[str, ...]
    item: int | None = None
    label: str = ""
    subtotal: bool = False
    total: bool = False  # an unnumbered 总计/合计 row: the total row or a subtotal


@attrs.define
class _OpenRow:
    target: _RowTarget
    label_token: Token
    values: list[Token] = attrs.field(factory=list)
    closed_by_end: bool = False
    # values followed it after a line that is no row label: they may be its own
    continued: bool = False


def _bodies(label: Label) -> list[str]:
    return [label_body(text) for text in (label.zh, *label.aliases)]


class _Index:
    """Row labels of one template, reduced for matching."""

    def __init__(self, template: Template) -> None:
        labels = template_labels(template)
        self.template = template
        self.blocks = {block.item: block for block in labels.proactive_blocks}
        self.proactive: dict[str, tuple[int, RowSpec]] = {}
        for block in labels.proactive_blocks:
            for row in block.rows:
                for body in _bodies(row.label):
                    self.proactive.setdefault(body, (block.item, row))
        self.header_bodies: set[str] = {label_body(INFO_CONTENT.zh)}
        for block in labels.proactive_blocks:
            for column in block.columns:
                self.header_bodies.update(_bodies(column.label))
        self.proactive_header_bodies = set(self.header_bodies)
        for column in (*labels.request_columns, *labels.appeal_columns):
            self.header_bodies.update(_bodies(column.label))
        for label in (
            APPLICANT_HEADER,
            ORGANIZATIONS,
            OUTCOMES_HEADER,
            R0_NOTE,
            REVIEW,
            LITIGATION,
        ):
            self.header_bodies.update(_bodies(label))
        spec = template_spec(template)
        self.request_rows = labels.request_rows
        self.request_columns = tuple(column.key for column in labels.request_columns)
        # the numbering of a group label ("(三)" of "（三）不予公开") opens its group
        self.group_numerals = {
            numeral: key
            for key, label in spec.request_groups().items()
            if (numeral := numbering(fold(label.zh))[0]) is not None
        }
        self.total_mark = next(
            (
                numbering(fold(row.label.zh))[0]
                for row in labels.request_rows
                if row.key.endswith(".outcomes.total")
            ),
            None,
        )
        self.appeal_cells = len(spec.appeal_cells())
        self.appeal_width = len(labels.appeal_columns)
        # the 法人或其他组织 columns of table 三, where a report may add their subtotal
        organizations = [
            at
            for at, column in enumerate(labels.request_columns)
            if column.group is not None and column.group.zh == ORGANIZATIONS.zh
        ]
        self.first_organization = organizations[0] if organizations else 0
        self.after_organizations = organizations[-1] + 1 if organizations else 0
        self.first_organization_body = (
            label_body(labels.request_columns[organizations[0]].label.zh) if organizations else ""
        )
        self.wide_row = len(labels.request_columns) + 1
        self.widest_block = max(
            (len(block.columns) for block in labels.proactive_blocks), default=1
        )
        self.appeal_rows = labels.appeal_rows
        self.appeal_by_body: dict[str, RowSpec] = {}
        for row in labels.appeal_rows:
            for body in _bodies(row.label):
                self.appeal_by_body.setdefault(body, row)
        self.appeal_columns = tuple(column.key for column in labels.appeal_columns)
        self.appeal_keys = [
            f"{row.key}.{column}" for row in self.appeal_rows for column in self.appeal_columns
        ]
        self.requests: list[tuple[str, RowSpec]] = []
        for row in labels.request_rows:
            for body in _bodies(row.label):
                self.requests.append((body, row))
        self.requests_by_body: dict[str, list[RowSpec]] = {}
        for body, row in self.requests:
            self.requests_by_body.setdefault(body, []).append(row)
        # the target of each template row, made once (a page opens dozens of rows)
        self.targets: dict[str, _RowTarget] = {}
        for block in labels.proactive_blocks:
            columns = tuple(column.key for column in block.columns)
            for proactive_row in block.rows:
                self.targets[proactive_row.key] = _RowTarget(
                    "proactive", proactive_row.key, columns, block.item
                )
        for request_row in labels.request_rows:
            self.targets[request_row.key] = _RowTarget(
                "requests", request_row.key, self.request_columns
            )
        for appeal_row in labels.appeal_rows:
            self.targets[appeal_row.key] = _RowTarget(
                "appeals", appeal_row.key, self.appeal_columns
            )
        self.request_row_cache: dict[tuple[str | None, str, str | None], object] = {}
        self.proactive_row_cache: dict[str, object] = {}
        self.fuzzy_cache: dict[tuple[str | None, str, str | None], RowSpec | None] = {}
        self.group_bodies: dict[str, str] = {}
        for row in labels.request_rows:
            if row.group is not None:
                group_key = row.key.split(".")[2]
                for body in _bodies(row.group):
                    self.group_bodies[body] = group_key
        self.request_header_bodies = {
            label_body(text)
            for column in labels.request_columns
            for text in (column.label.zh, *column.label.aliases)
        } | {label_body(APPLICANT_HEADER.zh), label_body(ORGANIZATIONS.zh)}
        self.appeal_header_bodies = {
            label_body(text)
            for column in labels.appeal_columns
            for text in (column.label.zh, *column.label.aliases)
        } | {label_body(row.label.zh) for row in labels.appeal_rows}

    def request_row(self, mark: str | None, body: str, group: str | None) -> RowSpec | None:
        """The table 三 row a label names (numbering, body, the group it stands in)."""
        key = (mark, body, group)
        found = self.request_row_cache.get(key, _UNSEEN)
        if found is _UNSEEN:
            if len(self.request_row_cache) > _FUZZY_CACHE_SIZE:  # shared by every parse
                self.request_row_cache.clear()
            found = self.request_row_cache[key] = self._request_row(mark, body, group)
        assert found is None or isinstance(found, RowSpec)
        return found

    def _request_row(self, mark: str | None, body: str, group: str | None) -> RowSpec | None:
        if not body:
            return None
        if body in {"其他", "总计"}:
            if body == "总计" and mark is not None and mark == self.total_mark:
                return self._request_by_suffix("outcomes.total")
            if body == "其他" and mark is not None and mark.isdigit() and group == "other":
                return self._request_by_suffix("outcomes.other.other")
            return None
        exact = self.requests_by_body.get(body)
        if exact:
            return self._prefer_group(exact, group)
        if len(body) < 4:
            return None
        contained = [
            row
            for candidate, row in self.requests
            if len(candidate) >= 4 and (body in candidate or candidate in body)
        ]
        if len({row.key for row in contained}) > 1 and not any(
            group is not None and f".{group}." in row.key for row in contained
        ):
            # a fragment common to several labels ("公开申请数量"): it names no row
            return None
        if contained:
            return self._prefer_group(contained, group)
        key = (mark, body, group)
        if len(self.fuzzy_cache) > _FUZZY_CACHE_SIZE:  # the index is shared by every parse
            self.fuzzy_cache.clear()
        if key not in self.fuzzy_cache:
            self.fuzzy_cache[key] = self._fuzzy_request_row(body)
        return self.fuzzy_cache[key]

    def _fuzzy_request_row(self, body: str) -> RowSpec | None:
        best: tuple[float, RowSpec] | None = None
        for candidate, row in self.requests:
            # ratio() ≤ 2·min(len)/Σlen: most lines of prose are ruled out without matching
            shorter, total = min(len(body), len(candidate)), len(body) + len(candidate)
            if 2 * shorter < _FUZZY_RATIO * total:
                continue
            matcher = SequenceMatcher(None, body, candidate)
            if matcher.quick_ratio() < _FUZZY_RATIO:
                continue
            ratio = matcher.ratio()
            if ratio >= _FUZZY_RATIO and (best is None or ratio > best[0]):
                best = (ratio, row)
        return best[1] if best else None

    def proactive_row(self, body: str) -> tuple[int, RowSpec] | None:
        """The 第二十条 block row a label body names: item and row."""
        found = self.proactive_row_cache.get(body, _UNSEEN)
        if found is _UNSEEN:
            if len(self.proactive_row_cache) > _FUZZY_CACHE_SIZE:  # shared by every parse
                self.proactive_row_cache.clear()
            found = self.proactive_row_cache[body] = self._proactive_row(body)
        return found  # type: ignore[return-value]

    def _proactive_row(self, body: str) -> tuple[int, RowSpec] | None:
        found = self.proactive.get(body)
        if found is not None or len(body) < 4:
            return found
        # a wording with a short addition ("行政事业性收费项目", "行政许可事项")
        for official, row in self.proactive.items():
            if len(official) >= 4 and body.startswith(official) and len(body) - len(official) <= 3:
                return row
        return None

    def appeal_row(self, body: str) -> RowSpec | None:
        return self.appeal_by_body.get(body)

    def _request_by_suffix(self, suffix: str) -> RowSpec | None:
        for row in self.request_rows:
            if row.key == f"requests.{suffix}":
                return row
        return None

    @staticmethod
    def _prefer_group(rows: list[RowSpec], group: str | None) -> RowSpec:
        for row in rows:
            if group is not None and f".{group}." in row.key:
                return row
        return rows[0]


@functools.cache
def _index(template: Template) -> _Index:
    return _Index(template)


@attrs.define
class _Mapper:
    index: _Index
    tokens: Sequence[Token]
    cut_last: bool
    section: _State | None = None
    item: int | None = None
    group: str | None = None
    row: _OpenRow | None = None
    rows: list[_OpenRow] = attrs.field(factory=list)
    appeal_run: list[Token] = attrs.field(factory=list)
    appeal_values: list[Token] | None = None
    appeal_numbers: bool = False  # whether appeal_values has a value that is no blank
    appeal_end: bool = False
    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    table_tokens: set[int] = attrs.field(factory=set)
    request_header: list[str] = attrs.field(factory=list)
    headings: list[tuple[int, str]] = attrs.field(factory=list)
    pending_mark: str | None = None
    orphans: list[tuple[str, Token]] = attrs.field(factory=list)
    request_rows_seen: bool = False
    interrupted: _OpenRow | None = None
    # the rows with more than one filled cell, counted when a heading cell asks
    _shared_rows: frozenset[int | None] | None = None

    @property
    def shared_rows(self) -> frozenset[int | None]:
        if self._shared_rows is None:
            tokens = self.tokens
            # the rows of the non-empty cells, counted with C-level maps
            filled_cells = map(
                operator.and_, map(_CELL, tokens), map(bool, map(str.strip, map(_TEXT, tokens)))
            )
            filled = Counter(itertools.compress(map(_ROW, tokens), filled_cells))
            self._shared_rows = frozenset(row for row, count in filled.items() if count > 1)
        return self._shared_rows

    def run(self) -> None:
        tokens = self.tokens
        last = len(tokens) - 1
        table_tokens = self.table_tokens
        run_end = _plain_number_runs(tokens)
        position = 0
        while position <= last:
            token = tokens[position]
            row = self.row
            if row is None and run_end[position] > position and self.section == "appeals":
                # table 四's plain numbers (its rows have no labels of their own in most
                # pages): add_value's own path for the whole run at once
                end = min(run_end[position], last)
                if end > position:
                    self.pending_mark = None
                    if not self.appeal_numbers:
                        self.appeal_run.extend(tokens[position:end])
                        table_tokens.update(range(position, end))
                    position = end
                    continue
            if row is not None and run_end[position] > position:
                # plain numbers in an open row (most tokens of a table): add_value's own
                # path for the whole run at once (the page's last token stays apart:
                # it may be a number cut in half)
                end = min(run_end[position], last)
                if end > position:
                    self.pending_mark = None
                    row.values.extend(tokens[position:end])
                    table_tokens.update(range(position, end))
                    position = end
                    continue
            if position == last and self.cut_last and is_value_like(token.text):
                self.diagnostics.append(
                    _diag(
                        "truncated",
                        f"the page ends inside a value ({token.text.strip()!r}); it is not used",
                        token,
                    )
                )
                break
            self.step(position, token)
            position += 1
        if self.row is not None:
            self.row.closed_by_end = True
        self.close_row()
        self.close_appeals(end=True)

    def step(self, position: int, token: Token) -> None:
        text = token.text
        if len(text) > _MAX_LABEL_CHARS * 2:
            self.close_row()
            self.close_appeals()
            return
        if text.isdigit() and text.isascii():
            self.add_value(position, token)  # a plain number: no heading, label or caption
            return
        folded, heading, caption, value_like, note, plain_label, parts = _text_reading(text)
        if heading is not None and token.cell and token.row in self.shared_rows:
            heading = None  # a cell beside other cells ("四、复议" in a row) is no heading
        if heading is not None:
            self.headings.append((position, heading))
            self.close_row()
            self.close_appeals()
            self.section = _TABLE_SECTIONS.get(heading, "prose")
            self.item = None
            self.group = None
            return
        if caption is not None and not self.is_caption(folded, caption):
            caption = None
            if self.section in ("appeals", "prose"):
                return  # an item cited in prose ("依据第二十条第（一）项…")
        if caption is not None:
            self.close_row()
            self.close_appeals()
            self.section = "proactive"
            self.item = _ITEM_NUMBERS.get(caption.group(1))
            self.table_tokens.add(position)
            return
        if value_like:
            self.add_value(position, token)
            return
        if note and self.section in _TABLE_STATES:
            # a note in or under a table ("（其中修订16件）", "单位：件"): no row label, and
            # it does not end the open row (its values may go on after it)
            self.table_tokens.add(position)
            return
        if plain_label:
            self.label(position, token, parts)
            return
        if len(folded) > _MAX_LABEL_CHARS:
            self.close_row()
            self.close_appeals()
            return
        # a flattened label path ("三、本年度办理结果 · （三）不予公开 · 1.属于国家秘密")
        for piece in text.replace("・", "·").split("·"):
            if piece.strip():
                self.label(position, token._replace(text=piece.strip()), _label_parts(fold(piece)))

    def is_caption(self, folded: str, caption: re.Match[str]) -> bool:
        """Whether a text holding "第二十条第（N）项" is a table caption, not a citation:
        alone on its line, and not after section 四 began."""
        if caption.start() > _CAPTION_SLACK or len(folded) - caption.end() > _CAPTION_SLACK:
            return False
        if _SENTENCE.search(folded):
            return False
        return not any(section in _AFTER_TABLE_TWO for _, section in self.headings[-1:])

    def add_value(self, position: int, token: Token) -> None:
        self.pending_mark = None
        if self.section == "appeals" and self.row is None:
            if not self.appeal_numbers:
                self.appeal_run.append(token)
                self.table_tokens.add(position)
            return
        if self.row is None:
            if self.interrupted is not None:
                self.interrupted.continued = True
            if self.section in ("proactive", "requests") and not _is_blank(token):
                self.orphans.append((self.section, token))
                self.table_tokens.add(position)
            return
        # every value goes to its row: surplus is reported there, never lent to a neighbour
        self.row.values.append(token)
        self.table_tokens.add(position)

    def label(  # noqa: PLR0915
        self, position: int, token: Token, parts: tuple[str | None, str, bool]
    ) -> None:
        section = self.section
        if section == "prose":
            return
        index = self.index
        mark, body, no_label = parts
        if no_label:
            # prose, or a row with its values run into its label: no template label
            # has digits once its numbering is off
            self.close_row()
            return
        if mark is not None and not body and section in (None, "requests"):
            # a numbering on its own line ("（七）" then "总计"): it belongs to what follows
            self.close_row()
            if mark in index.group_numerals:
                self.group = index.group_numerals[mark]
            self.pending_mark = mark
            self.table_tokens.add(position)
            return
        if mark is None and self.pending_mark is not None:
            mark = self.pending_mark
        self.pending_mark = None
        if (
            section in (None, "requests")
            and body in index.appeal_header_bodies
            and body not in index.request_header_bodies
        ):
            # table 四's header without its section heading
            self.section = section = "appeals"
        if section == "appeals":
            self.close_appeals()
            self.table_tokens.add(position)
            row = index.appeal_row(body)
            if row is None:
                self.close_row()
            else:
                self.open(position, token, index.targets[row.key])
            return
        headers = index.proactive_header_bodies if section == "proactive" else index.header_bodies
        if (
            body in headers
            and mark is None
            and not (body in _TOTAL_WORDS and self.request_rows_seen)
        ):
            if section == "requests" or body in index.request_header_bodies:
                self.request_header.append(body)
            self.close_row()
            self.table_tokens.add(position)
            return
        total_mark = index.total_mark
        if section == "requests" and body in _TOTAL_WORDS and mark in (None, total_mark):
            if mark is not None and mark == total_mark and body == "总计":
                pass  # the official label: read below
            else:
                # 总计 / 合计 / 总计(件) without （七）: the total row or a subtotal, told
                # apart by where it stands once the table is read
                self.open(
                    position,
                    token,
                    _RowTarget("requests", None, (), label=token.text, subtotal=True, total=True),
                )
                return
        if (
            section == "requests"
            and len(body) <= 6
            and (_SUBTOTAL_WORDS[0] in body or _SUBTOTAL_WORDS[1] in body)
        ):
            self.request_header.append(_SUBTOTAL_WORDS[0])
            self.open(
                position, token, _RowTarget("requests", None, (), label=token.text, subtotal=True)
            )
            return
        if section in (None, "proactive") and self.proactive_label(position, token, body):
            return
        if (
            section in (None, "requests") or (section == "proactive" and mark is not None)
        ) and self.request_label(position, token, mark, body):
            # (a numbered table 三 label after section 二 also starts table 三 when the
            # section heading between them is missing)
            return
        if section == "proactive" and self.item is not None:
            block = index.blocks.get(self.item)
            columns = (
                tuple(column.key for column in block.columns)
                if block
                else ("",) * index.widest_block  # an item the template has no block for
            )
            self.open(
                position, token, _RowTarget("proactive", None, columns, self.item, token.text)
            )
            return
        if section == "requests" and mark is None and len(body) <= 30:
            # a stray piece of a split label ("不予", "公开", "公开申请数量") or a note: it
            # continues a label that has no values yet, else it ends the open row
            if self.row is None or self.row.values:
                self.interrupted = self.row
                self.close_row()
            return
        if section == "requests":
            self.open(position, token, _RowTarget("requests", None, (), label=token.text))
            return
        self.close_row()

    def proactive_label(self, position: int, token: Token, body: str) -> bool:
        found = self.index.proactive_row(body)
        if found is None:
            return False
        item, row = found
        self.item = item
        self.section = "proactive"
        self.open(position, token, self.index.targets[row.key])
        return True

    def request_label(self, position: int, token: Token, mark: str | None, body: str) -> bool:
        group_numerals = self.index.group_numerals
        if mark in group_numerals and not body:
            self.close_row()
            self.group = group_numerals[mark]
            self.table_tokens.add(position)
            return True
        if mark in group_numerals:
            self.group = group_numerals[mark]
        group = self.index.group_bodies.get(body)
        if group is not None:
            self.group = group
            self.section = "requests"
            self.open(
                position, token, _RowTarget("requests", None, (), label=token.text, subtotal=True)
            )
            return True
        row = self.index.request_row(mark, body, self.group)
        if row is None:
            return False
        self.section = "requests"
        self.request_rows_seen = True
        if row.group is not None:
            self.group = row.key.split(".")[2]
        self.open(position, token, self.index.targets[row.key])
        return True

    def open(self, position: int, token: Token, target: _RowTarget) -> None:
        row = self.row
        if row is not None:
            if not row.values and target.row_key is not None and row.target == target:
                return  # the same label again (a spanned cell repeated)
            self.rows.append(row)  # close_row
        self.interrupted = None
        self.row = _OpenRow(target, token)
        self.table_tokens.add(position)

    def close_row(self) -> None:
        if self.row is not None:
            self.rows.append(self.row)
        self.row = None

    def close_appeals(self, *, end: bool = False) -> None:
        run, self.appeal_run = self.appeal_run, []
        if not run:
            return
        if self.appeal_values is not None and (
            self.appeal_numbers or all(_is_blank(token) for token in run)
        ):
            return  # the first run of values with a number in it is table 四's
        if not end and all(not token.text.strip() for token in run):
            return  # empty filler cells of a header row
        while len(run) > self.index.appeal_cells and not run[0].text.strip():
            run.pop(0)
        self.appeal_values = run
        self.appeal_numbers = not all(map(_is_blank, run))
        self.appeal_end = end


_TEXT: Final = operator.attrgetter("text")
_CELL: Final = operator.attrgetter("cell")
_ROW: Final = operator.attrgetter("row")
_RUN = re.compile(b"\x01+")


def _plain_number_runs(tokens: Sequence[Token]) -> list[int]:
    """For each token, where the run of plain-number tokens (ASCII digits, as long as
    a step takes) it is in ends; its own index or less when it is in none. Each token's
    flag is found by C-level maps, the runs by one search of the flags as bytes."""
    texts = list(map(_TEXT, tokens))
    digits = bytes(map(str.isdigit, texts))
    numbers = list(itertools.compress(texts, digits))
    if numbers and (
        not "".join(numbers).isascii() or max(map(len, numbers)) > _MAX_LABEL_CHARS * 2
    ):
        # a digit of another script, or a number too long for a step (rare): each text
        # looked at on its own
        digits = bytes(
            text.isdigit() and text.isascii() and len(text) <= _MAX_LABEL_CHARS * 2
            for text in texts
        )
    run_end = [0] * len(tokens)
    for match in _RUN.finditer(digits):
        start, end = match.span()
        run_end[start:end] = [end] * (end - start)
    return run_end


_NO_PARTS: Final = (None, "", True)


class _TextReading(NamedTuple):
    folded: str
    heading: str | None
    caption: re.Match[str] | None
    value_like: bool
    note: bool  # a note in or under a table ("（其中修订16件）", "单位：件")
    plain_label: bool  # not too long for a label, and no "·" path of labels in it
    parts: tuple[str | None, str, bool]  # _label_parts of the folded text


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _text_reading(text: str) -> _TextReading:
    """What the mapper asks of a token's text, asked once per distinct text (labels
    repeat on every page)."""
    folded = fold(text)
    plain = len(folded) <= _MAX_LABEL_CHARS and "·" not in folded
    return _TextReading(
        folded,
        section_of_folded(folded),
        _CAPTION.search(folded) if len(folded) <= _MAX_CAPTION_CHARS else None,
        is_value_like(text),
        bool(_CELL_NOTE.match(folded) or _NOTE_LINE.match(folded)),
        plain,
        _label_parts(folded) if plain else _NO_PARTS,
    )


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _label_parts(folded: str) -> tuple[str | None, str, bool]:
    """A folded label's numbering, its body, and whether it can be no row label (too
    long, or digits in its body: prose, or a row with its values run into its label)."""
    mark, _ = numbering(folded)
    body = body_of_folded(folded)
    return mark, body, len(body) > _MAX_ROW_LABEL_BODY or bool(_DIGIT.search(body))


def _diag(
    code: str,
    message: str,
    token: Token | None,
    key: str | None = None,
) -> Diagnostic:
    return diagnostic(
        code,
        message,
        key=key,
        line=token.line if token else None,
        path=token.path if token else None,
    )


_MAX_PLAIN_DIGITS: Final = 15  # what read_cell reads as an int without more checks
# a row's texts (joined by "\n") each a number written plainly: ASCII digits, no leading
# zero (so the text is its value's plain writing), at most _MAX_PLAIN_DIGITS of them
_PLAIN_VALUE = f"(?:0|[1-9][0-9]{{0,{_MAX_PLAIN_DIGITS - 1}}})"
_PLAIN_ROW = re.compile(f"{_PLAIN_VALUE}(?:\n{_PLAIN_VALUE})*")


@functools.cache
def _row_plan(
    template: Template, prefix: str, columns: tuple[str, ...]
) -> tuple[tuple[str, ...], bool]:
    """The cell keys of a row's columns and whether one is an amount (made once per
    row of a template)."""
    kinds = cell_kinds(template)
    keys = tuple(f"{prefix}.{column}" for column in columns)
    return keys, any(kinds[key] == "amount" for key in keys)


def _is_blank(token: Token) -> bool:
    return read_cell(token.text, "signed").blank


@attrs.define
class _Collector:
    template: Template
    cells: dict[str, MappedCell] = attrs.field(factory=dict)
    extra_rows: list[MappedExtraRow] = attrs.field(factory=list)
    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    # the template's cell kinds, looked up once per page rather than once per cell
    kinds: dict[str, CellKind] = attrs.field(
        init=False, default=attrs.Factory(lambda self: cell_kinds(self.template), takes_self=True)
    )
    # keys of cells whose text is not their value's plain writing ("1,234", "12件")
    unusual: list[str] = attrs.field(factory=list)
    # every cell's value; its MappedCell in cells, or for a plain number its token in
    # plain (a page has hundreds: made only when asked for). Plain rows wait in
    # plain_rows until flush() puts them all at once; read has every key put.
    values: dict[str, int | Decimal | None] = attrs.field(factory=dict)
    plain: dict[str, Token] = attrs.field(factory=dict)
    read: set[str] = attrs.field(factory=set)
    rows_read: set[str] = attrs.field(factory=set)  # the rows of the keys in read
    plain_rows: list[tuple[tuple[str, ...], list[str], list[Token], bool]] = attrs.field(
        factory=list
    )
    flushed: int = 0
    # the figures the page's prose states, to choose between readings of a row
    figures: StatedFigures | None = None

    def cell(self, key: str) -> MappedCell:
        self.flush()
        return _cell(key, self.cells, self.values, self.plain)

    def put_plain(self, prefix: str, columns: tuple[str, ...], values: list[Token]) -> bool:
        """Put a row whose every value is written as plain digits (most rows of most
        pages); ``False``, having put nothing, for any other row."""
        keys, has_amount = _row_plan(self.template, prefix, columns)
        texts = list(map(_TEXT, values))
        if not _PLAIN_ROW.fullmatch("\n".join(texts)) or not self.read.isdisjoint(keys):
            return False
        self.read.update(keys)
        self.rows_read.add(prefix)
        self.plain_rows.append((keys, texts, values, has_amount))
        return True

    def flush(self) -> None:
        """Put the plain rows not yet put into values and plain, all in one pass."""
        rows = self.plain_rows[self.flushed :]
        if not rows:
            return
        self.flushed = len(self.plain_rows)
        keys = list(itertools.chain.from_iterable(row[0] for row in rows))
        texts = itertools.chain.from_iterable(row[1] for row in rows)
        tokens = itertools.chain.from_iterable(row[2] for row in rows)
        # (each row's keys, texts and tokens are as long as the row: its caller checked)
        self.values.update(zip(keys, map(int, texts), strict=False))
        self.plain.update(zip(keys, tokens, strict=False))
        values, kinds = self.values, self.kinds
        for row_keys, _, _, has_amount in rows:
            if has_amount:
                for key in row_keys:
                    if kinds[key] == "amount":
                        values[key] = Decimal(values[key])  # type: ignore[arg-type]

    def put(self, key: str, token: Token) -> None:
        kind = self.kinds[key]
        reading: CellReading = read_cell(token.text, kind)
        if not reading.readable:
            self.diagnostics.append(
                _diag(
                    "unreadable_value",
                    f"cannot read {token.text.strip()!r} as {_ARTICLE[kind]} {kind} value;"
                    " kept as written",
                    token,
                    key,
                )
            )
        if key in self.read and self.cell(key).text.strip():
            previous = self.cell(key)
            if previous.value != reading.value or previous.text != token.text:
                self.diagnostics.append(
                    _diag(
                        "duplicate_cell",
                        f"cell given twice ({previous.text.strip()!r}, then"
                        f" {token.text.strip()!r}); the first is kept",
                        token,
                        key,
                    )
                )
            return
        self.cells[key] = MappedCell(key, reading.value, token.text, reading.unit, token)
        self.values[key] = reading.value
        self.read.add(key)
        self.rows_read.add(key.rsplit(".", 1)[0])
        if token.text != canonical_text(reading.value):
            self.unusual.append(key)

    def row(self, row: _OpenRow, columns: tuple[str, ...], values: list[Token]) -> None:
        target = row.target
        needed = len(columns)
        prefix = target.row_key
        assert prefix is not None
        if len(values) == needed and not row.continued and self.put_plain(prefix, columns, values):
            return
        if row.continued:
            self.diagnostics.append(
                _diag(
                    "ambiguous_reading",
                    f"row {prefix}: values follow it after a line that is no row label;"
                    " whether they are its own cannot be told, so the row is left empty",
                    row.label_token,
                    prefix,
                )
            )
            return
        if len(values) > needed:
            kept, dropped = _row_reading(target, values, needed, self.figures)
            if kept is None:
                self.diagnostics.append(
                    _diag(
                        "ambiguous_reading",
                        f"row {prefix} has {len(values)} values for {needed} columns"
                        f" ({[t.text.strip() for t in values][:12]}); more than one reading"
                        " fits, so the row is left empty",
                        row.label_token,
                        prefix,
                    )
                )
                return
            values = kept
            surplus = [t for t in dropped if not _is_blank(t)]
            if surplus:
                self.diagnostics.append(
                    _diag(
                        "surplus_values",
                        f"row {prefix} has more values than columns:"
                        f" {[t.text.strip() for t in surplus]} not used (the only reading"
                        " the row's sums and the figures stated in the prose allow)",
                        surplus[0],
                        prefix,
                    )
                )
        if len(values) == needed:
            misplaced = self.misplaced(prefix, columns, values)
            if misplaced is not None:
                self.diagnostics.append(
                    _diag(
                        "ambiguous_reading",
                        f"row {prefix}: {misplaced.text.strip()!r} is a value of another"
                        " column of the row (a cell lost or added before it); the row is left"
                        " empty",
                        misplaced,
                        prefix,
                    )
                )
                return
            for column, token in zip(columns, values, strict=False):
                self.put(f"{prefix}.{column}", token)
            return
        if row.closed_by_end:
            for column, token in zip(columns, values, strict=False):
                self.put(f"{prefix}.{column}", token)
            missing = columns[len(values)]
            self.diagnostics.append(
                _diag(
                    "truncated",
                    f"the page ends in row {prefix} after {len(values)} of {needed} values;"
                    " the rest are empty",
                    values[-1] if values else row.label_token,
                    f"{prefix}.{missing}",
                )
            )
            return
        if values:
            self.diagnostics.append(
                _diag(
                    "missing_values",
                    f"row {prefix} has {len(values)} of {needed} values"
                    f" ({[t.text.strip() for t in values]}); which column each belongs to"
                    " cannot be told, so the row is left empty",
                    row.label_token,
                    prefix,
                )
            )

    def misplaced(self, prefix: str, columns: tuple[str, ...], values: list[Token]) -> Token | None:
        """A value its column cannot hold but another column of the row can ("+54" under
        上一年项目数量 beside 本年增/减): the row's values are shifted."""
        keys, _ = _row_plan(self.template, prefix, columns)
        kinds = [self.kinds[key] for key in keys]
        row_kinds = set(kinds)
        if len(row_kinds) == 1:
            return None
        for kind, token in zip(kinds, values, strict=False):
            if read_cell(token.text, kind).readable:
                continue
            if any(read_cell(token.text, other).readable for other in row_kinds - {kind}):
                return token
        return None

    def extra(self, row: _OpenRow) -> None:
        target = row.target
        tokens = row.values[: max(len(target.columns), 1)]
        if not any(not _is_blank(token) for token in tokens):
            return
        values: list[int | Decimal | None] = []
        for token in tokens:
            reading = read_cell(token.text, "signed")
            if not reading.readable:
                reading = read_cell(token.text, "amount")
            values.append(reading.value)
        label = " ".join(target.label.split())
        assert target.item is not None
        self.extra_rows.append(
            MappedExtraRow(target.item, label, tuple(values), tuple(t.text.strip() for t in tokens))
        )
        self.diagnostics.append(
            _diag(
                "extra_row",
                f"row {label[:40]!r} is not in the template; kept in extra_rows",
                row.label_token,
            )
        )

    def unknown(self, row: _OpenRow) -> None:
        tokens = row.values
        texts = [t.text.strip() for t in tokens if not _is_blank(t)]
        if not texts:
            return
        label = " ".join(row.target.label.split())[:60]
        if row.target.subtotal:
            self.diagnostics.append(
                _diag(
                    "subtotal_row",
                    f"subtotal row {label!r} ({[t.text.strip() for t in tokens]}) is not a"
                    " template cell; not stored",
                    row.label_token,
                )
            )
            return
        self.diagnostics.append(
            _diag(
                "unknown_row",
                f"row {label!r} with values {texts} is not in the template; not stored",
                row.label_token,
            )
        )


_MAX_ROW_SURPLUS: Final = 2


def _is_filler(token: Token) -> bool:
    """An empty grid cell: what a lost column span leaves beside a row's values."""
    return token.cell and not token.text.strip()


def _row_fit(kept: Sequence[Token]) -> int:
    """How a reading of a table 三 row agrees with its arithmetic (总计 is the sum of the
    six applicant columns)."""
    numbers = [read_cell(token.text, "count").value for token in kept]
    return _sum_fit(numbers[:-1], numbers[-1])


def _no_arithmetic(kept: Sequence[Token]) -> int:
    return _PROVED


def _row_reading(
    target: _RowTarget, values: list[Token], needed: int, figures: StatedFigures | None = None
) -> tuple[list[Token] | None, list[Token]]:
    """The one reading of a row with more values than columns, and what it leaves out.

    Empty grid cells go first (spans lost in copying leave them); else any values may be
    the stray ones, and the row's arithmetic (table 三) must single out one reading. When
    readings that differ remain, ``None``: the row is left empty, never guessed.
    """
    surplus = len(values) - needed
    if all(_is_filler(token) for token in values[needed:]):
        # empty cells after the row's values: the pipes or spans that end a row
        return values[:needed], values[needed:]
    fillers = [at for at, token in enumerate(values) if _is_filler(token)]
    if len(fillers) >= surplus:
        return _choose(values, surplus, _no_arithmetic, fillers, among=fillers)
    if surplus > _MAX_ROW_SURPLUS:
        return None, []
    fit = _row_fit if target.section == "requests" else _no_arithmetic
    keys = [f"{target.row_key}.{column}" for column in target.columns]
    return _choose(
        values,
        surplus,
        fit,
        _strays(values),
        figures=figures,
        keys=keys,
        where=target.row_key or "",
    )


def _subtotal_position(mapper: _Mapper, rows: list[_OpenRow]) -> int | None:
    """Where the extra 法人或其他组织 subtotal column sits in a table 三 with one column
    more than the template's: before or after the organization columns (``None`` when
    the table has the template's columns)."""
    index = mapper.index
    wide_row, first, after = index.wide_row, index.first_organization, index.after_organizations
    if first == after:
        return None  # a template without organization columns has no such subtotal
    if not any(len(row.values) >= wide_row for row in rows):
        return None  # no row as wide
    requests = [
        row.values
        for row in rows
        if row.target.section == "requests" and row.target.row_key is not None
    ]
    wide = [
        values
        for values in requests
        if len(values) >= wide_row and not _is_blank(values[wide_row - 1])
    ]
    if not wide or 2 * len(wide) < len([values for values in requests if values]):
        return None  # a row or two with a stray value, not a subtotal column
    header = mapper.request_header
    if "小计" in header:
        before = set(header[: header.index("小计")])
        return after if index.first_organization_body in before else first
    numbers = [[read_cell(t.text, "count").value for t in values[:wide_row]] for values in wide]
    complete = [[int(v) for v in row if v is not None] for row in numbers]
    complete = [row for row in complete if len(row) == wide_row]

    def adds_up(at: int) -> bool:
        for row in complete:
            organizations = row[first + 1 : after + 1] if at == first else row[first:after]
            if row[at] != sum(organizations) or row[-1] != sum(row[:first]) + row[at]:
                return False
        return True

    fitting = [at for at in (after, first) if adds_up(at)]
    if len(fitting) == 1:
        return fitting[0]
    if (
        fitting
        and all(row[first:after] == row[first + 1 : after + 1] for row in complete)
        and len(complete) == len(wide)
    ):
        return after  # both positions give the same cells
    return _AMBIGUOUS


def map_tables(
    tokens: Sequence[Token],
    template: Template,
    *,
    cut_last: bool,
    figures: Mapping[str, Figure] | None = None,
) -> TableResult:
    """Map a token stream to the cells of ``template``; ``figures`` (cell key → the
    figure the page's prose states for it) choose between readings that fit the table."""
    index = _index(template)
    mapper = _Mapper(index, tokens, cut_last)
    mapper.run()
    collector = _Collector(template)
    collector.diagnostics.extend(mapper.diagnostics)
    mapper.rows = _detached(mapper.rows, index, collector)
    subtotal_at = _subtotal_position(mapper, mapper.rows)
    if subtotal_at == _AMBIGUOUS:
        collector.diagnostics.append(
            _diag(
                "ambiguous_columns",
                f"table 三 has {index.wide_row} values per row and it cannot be told which is the"
                f" 法人或其他组织 subtotal; its {index.wide_row}-value rows are left empty",
                None,
            )
        )
    elif subtotal_at is not None:
        collector.diagnostics.append(
            _diag(
                "subtotal_column",
                f"table 三 has an extra 法人或其他组织 subtotal column (column {subtotal_at + 1});"
                " it is not stored",
                None,
            )
        )
    rows = _placed(mapper.rows, index, collector)
    stated = StatedFigures(figures) if figures else None
    collector.figures = stated
    for row in rows:
        target = row.target
        values = list(row.values)
        if target.row_key is None:
            if target.section == "proactive" and target.item is not None:
                collector.extra(row)
            else:
                collector.unknown(row)
            continue
        if (
            target.section == "requests"
            and subtotal_at is not None
            and len(values) >= index.wide_row
        ):
            if subtotal_at == _AMBIGUOUS:
                collector.diagnostics.append(
                    _diag(
                        "ambiguous_columns",
                        f"row {target.row_key} has {index.wide_row} values; left empty",
                        row.label_token,
                        target.row_key,
                    )
                )
                continue
            values = values[:subtotal_at] + values[subtotal_at + 1 :]
        collector.row(row, target.columns, values)
    _orphans(mapper, collector)
    _appeals(mapper, collector, index, stated)
    collector.flush()
    if stated is not None:
        collector.diagnostics.extend(
            stated.diagnostics(_Cells(collector.cells, collector.values, collector.plain))
        )
    _ended_in_tables(mapper, collector)
    _rows_not_found(collector, template)
    return TableResult(
        _Cells(collector.cells, collector.values, collector.plain),
        tuple(collector.extra_rows),
        tuple(collector.diagnostics),
        frozenset(mapper.table_tokens),
        tuple(mapper.headings),
        tuple(collector.unusual),
        collector.values,
    )


_MAX_STRAY_VALUES: Final = 2


_CONTRADICTED: Final = 0
_UNCHECKED: Final = 1  # nothing contradicts it, but an empty value leaves it unproved
_PROVED: Final = 2


def _sum_fit(parts: Sequence[int | Decimal | None], total: int | Decimal | None) -> int:
    """How counts and their stated total agree: ``_PROVED`` when every value is stated
    and the sum is the total, ``_CONTRADICTED`` when the stated parts exceed or (all
    stated) differ from it, else ``_UNCHECKED``."""
    known = sum(int(part) for part in parts if part is not None)
    if total is None:
        return _UNCHECKED
    if all(part is not None for part in parts):
        return _PROVED if known == total else _CONTRADICTED
    return _UNCHECKED if known <= total else _CONTRADICTED


def _strays(values: list[Token]) -> list[int]:
    """Where a stray value can be left out of a run: an empty one ("/", "—", an empty
    cell). A stray number is not looked for: where the page's own sums do not add up,
    one reading without a number would fit by accident."""
    return [at for at, token in enumerate(values) if _is_blank(token)]


def _choose(
    values: list[Token],
    surplus: int,
    fit: Callable[[list[Token]], int],
    strays: Sequence[int],
    *,
    among: Sequence[int] | None = None,
    figures: StatedFigures | None = None,
    keys: Sequence[str] = (),
    where: str = "",
) -> tuple[list[Token] | None, list[Token]]:
    """The reading of ``values`` without ``surplus`` of them that ``fit`` proves while it
    contradicts every reading that differs, and the values it leaves out; else ``None``.

    Every way of leaving values out (of ``among``, default all) is weighed: a sum proves
    which values are kept, not their order, so two readings that keep the same values in
    different columns both stand and none is taken. The reading taken must leave out
    only values at ``strays`` (where a stray stands); a reading nothing contradicts but
    nothing proves (an empty value in the sum) also keeps the others possible.

    Where several readings stand, ``figures`` the report's prose states for the cells
    ``keys`` may single one out (every other reading differs from a figure); the one
    left must still be proved and leave out only strays.
    """
    positions = range(len(values)) if among is None else among
    standing: dict[tuple[str, ...], tuple[int, tuple[int, ...], list[Token]]] = {}
    for dropped in itertools.combinations(positions, surplus):
        kept = [token for at, token in enumerate(values) if at not in dropped]
        grade = fit(kept)
        if grade == _CONTRADICTED:
            continue
        key = tuple("" if _is_blank(token) else token.text.strip() for token in kept)
        if key not in standing:
            standing[key] = (grade, dropped, kept)
            if len(standing) > 1 and not figures:
                return None, []
    decided: tuple[Figure, ...] = ()
    if len(standing) > 1 and figures:
        readings = {
            key: [read_cell(token.text, "count").value for token in kept]
            for key, (_, _, kept) in standing.items()
        }
        choice = figures.choose(keys, readings)
        if choice is not None:
            standing = {choice[0]: standing[choice[0]]}
            decided = choice[1]
    if len(standing) != 1:
        return None, []
    grade, dropped, kept = next(iter(standing.values()))
    if grade != _PROVED or not set(dropped) <= set(strays):
        return None, []
    if decided and figures:
        figures.note(where, decided)
    return kept, [values[at] for at in dropped]


def _appeal_fit(index: _Index, tokens: Sequence[Token]) -> int:
    """How table 四's values agree with its arithmetic: in each of its rows the last
    value (总计) is the sum of the others."""
    numbers = [read_cell(token.text, "count").value for token in tokens]
    width = index.appeal_width
    return min(
        _sum_fit(numbers[start : start + width - 1], numbers[start + width - 1])
        for start in range(0, index.appeal_cells, width)
    )


def _appeal_reading(
    index: _Index, values: list[Token], figures: StatedFigures | None = None
) -> tuple[list[Token] | None, list[Token]]:
    """The one reading of a run of more table 四 values than it has cells that its
    arithmetic allows (or, of several, the one the prose's ``figures`` agree with), and
    the values it leaves out; ``None`` when none or several differ."""
    surplus = len(values) - index.appeal_cells
    if surplus > _MAX_STRAY_VALUES:
        return None, []
    keys = [f"{row.key}.{column}" for row in index.appeal_rows for column in index.appeal_columns]
    fit = functools.partial(_appeal_fit, index)
    return _choose(
        values, surplus, fit, _strays(values), figures=figures, keys=keys, where="appeals"
    )


def _appeals(
    mapper: _Mapper, collector: _Collector, index: _Index, figures: StatedFigures | None = None
) -> None:
    values = mapper.appeal_values
    if not values:
        return
    keys = index.appeal_keys
    cells = index.appeal_cells
    if len(values) > cells:
        kept, dropped = _appeal_reading(index, values, figures)
        if kept is None:
            collector.diagnostics.append(
                _diag(
                    "ambiguous_reading",
                    f"table 四 has {len(values)} values for {cells} cells"
                    f" ({[t.text.strip() for t in values]}); no single reading of them adds"
                    " up, so the table is left empty",
                    values[0],
                    "appeals",
                )
            )
            return
        collector.diagnostics.append(
            _diag(
                "surplus_values",
                f"table 四 has {len(values)} values for {cells} cells; read without"
                f" {[t.text.strip() for t in dropped]}, the only reading its totals and the"
                " figures stated in the prose allow",
                dropped[0],
                "appeals",
            )
        )
        values = kept
    if len(values) < cells and not mapper.appeal_end:
        collector.diagnostics.append(
            _diag(
                "missing_values",
                f"table 四 has {len(values)} of {cells} values; which column each"
                " belongs to cannot be told, so the table is left empty",
                values[0],
                "appeals",
            )
        )
        return
    width = len(index.appeal_columns)
    for at, row in enumerate(index.appeal_rows):
        chunk = values[at * width : (at + 1) * width]
        if len(chunk) == width and collector.put_plain(row.key, index.appeal_columns, chunk):
            continue
        for key, token in zip(keys[at * width : (at + 1) * width], chunk, strict=False):
            collector.put(key, token)
    if len(values) < cells:
        collector.diagnostics.append(
            _diag(
                "truncated",
                f"the page ends in table 四 after {len(values)} of {cells} values;"
                " the rest are empty",
                values[-1],
                keys[len(values)],
            )
        )


def _row_numbers(row: _OpenRow, kind_count: int) -> list[int | None]:
    return [read_cell(token.text, "count").value for token in row.values[:kind_count]]  # type: ignore[misc]


def _placed(rows: list[_OpenRow], index: _Index, collector: _Collector) -> list[_OpenRow]:
    """Table 三 rows whose label did not name them, placed by where they stand when the
    grid allows exactly one place: an unnumbered 总计/合计 after the outcome rows, a
    garbled label between two rows with one template row missing between them."""
    if not any(row.target.row_key is None and row.target.section == "requests" for row in rows):
        return list(rows)  # every table 三 row was named by its label
    order = [row.key for row in index.request_rows]
    width = len(index.request_columns)
    read = {row.target.row_key for row in rows if row.target.row_key and row.values}
    total_key = next((key for key in order if key.endswith(".outcomes.total")), None)
    placed = list(rows)
    candidates = [
        at
        for at, row in enumerate(rows)
        if row.target.total and any(not _is_blank(token) for token in row.values)
    ]
    if total_key is not None and candidates and total_key not in read:
        after = [
            at
            for at in candidates
            if any((r.target.row_key or "").startswith("requests.outcomes.") for r in rows[:at])
            and not any(
                (r.target.row_key or "").startswith("requests.outcomes.") for r in rows[at:]
            )
        ]
        sums = _outcome_sums(rows, width)
        fitting = [
            at
            for at in after
            if len(rows[at].values) == width
            and (sums is None or _row_numbers(rows[at], width) == sums)
        ]
        if len(fitting) == 1:
            at = fitting[0]
            placed[at] = attrs.evolve(
                rows[at],
                target=attrs.evolve(
                    rows[at].target,
                    row_key=total_key,
                    columns=index.request_columns,
                    subtotal=False,
                    total=False,
                ),
            )
            collector.diagnostics.append(
                _diag(
                    "row_by_position",
                    f"row {rows[at].target.label.strip()!r} read as {total_key}: it follows the"
                    " outcome rows" + (" and its values are their sums" if sums else ""),
                    rows[at].label_token,
                    total_key,
                )
            )
        elif len(fitting) > 1:
            collector.diagnostics.append(
                _diag(
                    "ambiguous_reading",
                    f"{len(fitting)} rows could be the （七）总计 row; it is left empty",
                    rows[fitting[0]].label_token,
                    total_key,
                )
            )
    keyed = [(at, row.target.row_key) for at, row in enumerate(placed) if row.target.row_key]
    for at, row in enumerate(placed):
        target = row.target
        if target.row_key is not None or target.section != "requests" or target.subtotal:
            continue
        if len(row.values) != width or target.total:
            continue
        before = [key for where, key in keyed if where < at and key in order]
        later = [key for where, key in keyed if where > at and key in order]
        if not before or not later:
            continue
        first, second = order.index(before[-1]), order.index(later[0])
        if second - first != 2 or order[first + 1] in read:
            continue
        key = order[first + 1]
        read.add(key)
        placed[at] = attrs.evolve(
            row, target=attrs.evolve(target, row_key=key, columns=index.request_columns)
        )
        collector.diagnostics.append(
            _diag(
                "row_by_position",
                f"row {target.label.strip()[:40]!r} read as {key}: it stands between"
                f" {before[-1]} and {later[0]}",
                row.label_token,
                key,
            )
        )
    return placed


def _outcome_sums(rows: list[_OpenRow], width: int) -> list[int | None] | None:
    """Column sums of the outcome rows read, or ``None`` when a value is missing."""
    outcome_rows = [
        row
        for row in rows
        if (row.target.row_key or "").startswith("requests.outcomes.")
        and not (row.target.row_key or "").endswith(".total")
    ]
    if not outcome_rows:
        return None
    sums = [0] * width
    for row in outcome_rows:
        numbers = _row_numbers(row, width)
        if len(numbers) != width or any(number is None for number in numbers):
            return None
        sums = [a + int(b or 0) for a, b in zip(sums, numbers, strict=True)]
    return list(sums)


def _detached(rows: list[_OpenRow], index: _Index, collector: _Collector) -> list[_OpenRow]:
    """Table 三 rows whose labels stand apart from their values (PDF text: every label,
    then every value row): labels without values followed by as many value lines as
    labels, each line as wide as the table, are read in order."""
    if not any(
        not row.values and row.target.row_key is not None and row.target.section == "requests"
        for row in rows
    ):
        return list(rows)  # every named table 三 row has its values
    width = len(index.request_columns)
    order = {row.key: at for at, row in enumerate(index.request_rows)}
    out = list(rows)
    start = 0
    while start < len(out):
        run: list[int] = []
        at = start
        while at < len(out) and not out[at].values and out[at].target.section == "requests":
            if out[at].target.row_key is not None:
                run.append(at)
            at += 1
        if at >= len(out) or out[at].target.row_key is None or not run:
            start = at + 1
            continue
        last = out[at]
        lines: dict[int | None, list[Token]] = {}
        for token in last.values:
            lines.setdefault(token.row, []).append(token)
        keyed = [*run, at]
        keys = [out[k].target.row_key for k in keyed]
        if (
            None not in lines
            and len(lines) == len(keyed)
            and all(len(line) == width for line in lines.values())
            and [order.get(key or "", -1) for key in keys]
            == sorted(order.get(key or "", -1) for key in keys)
        ):
            for where, values in zip(keyed, list(lines.values()), strict=True):
                out[where] = attrs.evolve(out[where], values=values)
            collector.diagnostics.append(
                _diag(
                    "row_by_position",
                    f"table 三's row labels stand apart from their values; {len(keyed)} value"
                    " lines read in the order of the labels",
                    last.label_token,
                    "requests",
                )
            )
        start = at + 1
    return out


def _orphans(mapper: _Mapper, collector: _Collector) -> None:
    """Values no row claims (their label lost or garbled): said, never lent to a row."""
    by_section: dict[str, list[Token]] = {}
    for section, token in mapper.orphans:
        by_section.setdefault(section, []).append(token)
    for section, tokens in by_section.items():
        texts = [token.text.strip() for token in tokens]
        shown = texts[:12] + (["…"] if len(texts) > 12 else [])
        collector.diagnostics.append(
            _diag(
                "orphan_values",
                f"{len(texts)} value(s) in the {section} table under no row label ({shown});"
                " not used",
                tokens[0],
                section,
            )
        )


@functools.cache
def _template_rows(template: Template) -> tuple[str, ...]:
    """A template's rows (cell keys less their column), in order."""
    return tuple(dict.fromkeys(key.rsplit(".", 1)[0] for key in cell_kinds(template)))


def _rows_not_found(collector: _Collector, template: Template) -> None:
    """Name the template rows no value was read for, when some other cell was read."""
    if not collector.read or any(d.code == "truncated" for d in collector.diagnostics):
        return
    named = {d.key for d in collector.diagnostics if d.key and d.severity != "info"}
    read = collector.rows_read
    for row in _template_rows(template):
        if row in read:
            continue
        if any(
            row == name or row.startswith(name + ".") or name.startswith(row + ".")
            for name in named
        ):
            continue
        collector.diagnostics.append(
            _diag(
                "row_not_found",
                f"no values were read for row {row}; its cells are empty",
                None,
                row,
            )
        )


def _ended_in_tables(mapper: _Mapper, collector: _Collector) -> None:
    """Say where the page ended when it ends inside the tables (a cut page)."""
    if not mapper.tokens or len(mapper.tokens) - 1 not in mapper.table_tokens:
        return
    if mapper.appeal_values is not None and len(mapper.appeal_values) == mapper.index.appeal_cells:
        return
    if any(d.code == "truncated" for d in collector.diagnostics):
        return
    last = mapper.tokens[-1]
    collector.diagnostics.append(
        _diag(
            "truncated",
            f"the page ends inside the tables, after {last.text.strip()[:30]!r};"
            " the cells after it are empty",
            last,
        )
    )
