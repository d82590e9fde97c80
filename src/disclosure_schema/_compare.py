"""Year over year: two reports of one body compared cell by cell and section by section.

>>> from disclosure_schema import ApplicantRow, Report2021, Requests2021, compare
>>> def report(year, received):
...     requests = Requests2021(received=ApplicantRow(natural_person=received))
...     return Report2021(requests=requests)
>>> change = compare(report(2022, 4), report(2023, 10)).cell("requests.received.natural_person")
>>> change.before, change.after, change.delta, change.relative
(4, 10, 6, 1.5)

Empty is not zero: a cell empty on either side has no delta and no relative change,
only the flag ``either_empty``.

Cells are compared through the template crosswalk (:mod:`disclosure_schema._crosswalk`);
findings are the cross-year rules of :mod:`disclosure_schema.checks` (R4, R5, H1) on the
pair plus notable changes (rules Y1–Y3, below); prose is compared sentence by sentence.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

import attrs
import orjson

from disclosure_schema._arrow import import_pyarrow
from disclosure_schema._crosswalk import Correspondence, crosswalk
from disclosure_schema._files import atomic_path, atomic_writer
from disclosure_schema.checks import Finding, check_series, equations
from disclosure_schema.errors import (
    DisclosureSchemaError,
    ExportError,
    Problem,
    ReportFormatError,
)
from disclosure_schema.labels import (
    SECTION_TITLES,
    CellLabel,
    Label,
    cell_labels,
    template_labels,
)
from disclosure_schema.model import (
    CellValue,
    Prose,
    Report,
    Report2019,
    Report2021,
    Template,
    cell_kinds,
    cell_value,
)
from disclosure_schema.template import template_tags

__all__ = [
    "COMPARISON_LABELS",
    "DOUBLING_RATIO",
    "NOTABLE_MINIMUM",
    "PROSE_SECTIONS",
    "SERIES_COLUMNS",
    "CellChange",
    "Comparison",
    "ComparisonError",
    "FigureChange",
    "NotComparableCell",
    "Pairing",
    "ProseDiff",
    "ReportInfo",
    "ReportPair",
    "SentenceChange",
    "SeriesRow",
    "Unpaired",
    "compare",
    "compare_series",
    "comparison_json_schema",
    "comparison_to_dict",
    "comparison_to_json",
    "normalize_issuer",
    "pair_by_body",
    "write_series",
]

_Number: TypeAlias = int | Decimal

#: Y1: a count is notable when it at least doubles or at most halves (ratio 2) …
DOUBLING_RATIO: Final = 2
#: … and the larger of the two values is at least this (1 → 2 is not news).
NOTABLE_MINIMUM: Final = 10

#: The prose sections compared: 一 (its paragraphs, then each sub-topic), 五, 六.
PROSE_SECTIONS: Final = ("overview", "problems", "other_matters")


#: The words of a rendered comparison, in Chinese and English (the renderers hold no words
#: of their own; the lead may move this table into :mod:`disclosure_schema.labels`).
COMPARISON_LABELS: Final[dict[str, Label]] = {
    "title": Label(
        "{issuer}{before}与{after}政府信息公开工作年度报告对比",
        "{issuer}: {before} and {after} annual reports compared",
    ),
    "templates": Label("模板：{before} → {after}", "Templates: {before} → {after}"),
    "cells": Label("表格数据对比", "Table cells compared"),
    "cell": Label("单元格", "Cell"),
    "delta": Label("增减", "Change"),
    "relative": Label("变化率", "Relative"),
    "changed_note": Label(
        "标 ● 的单元格有变化；空单元格（—）不是 0，不计增减。",
        "● marks a changed cell; an empty cell (—) is not 0 and has no change.",
    ),
    "no_change": Label("本部分没有变化的单元格。", "No cell of this section changed."),
    "not_comparable": Label("不可比的单元格", "Cells not comparable"),
    "template_of": Label("{template}年模板", "template {template}"),
    "prose": Label("文字部分对比", "Prose compared"),
    "added": Label("新增", "Added"),
    "removed": Label("删除", "Removed"),
    "changed": Label("修改", "Changed"),
    "figures": Label("数字变化", "figures"),
    "unchanged": Label("无变化（{count}句相同）", "No change ({count} sentences the same)"),
    "no_text": Label("两份报告均无此部分文字", "No text in either report"),
    "no_findings": Label("无。", "None."),
    "with_note": Label("{label}（{note}）", "{label} ({note})"),
    "missing_line": Label(
        "{template}·{label}：{value}（{reason}）", "{template} · {label}: {value} ({reason})"
    ),
    "sentence": Label("{kind}：{text}", "{kind}: {text}"),
    "changed_sentence": Label("{kind}：{before} → {after}", "{kind}: {before} → {after}"),
    "with_figures": Label("{text}（{word}：{figures}）", "{text} ({word}: {figures})"),
    "figure_separator": Label("，", ", "),
}


class ComparisonError(DisclosureSchemaError, ValueError):
    """Reports that cannot be compared as asked (e.g. a series of more than one body)."""


# --- the data -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ReportInfo:
    """Which report a side of a comparison is: issuer, year and template as it states them."""

    issuer: str | None
    year: int | None
    template: Template
    title: str | None = None

    @classmethod
    def of(cls, report: Report) -> ReportInfo:
        """The information of ``report``."""
        meta = report.meta
        return cls(issuer=meta.issuer, year=meta.year, template=report.template, title=meta.title)

    def year_text(self) -> str:
        """The year, or ``?`` when the report does not state it."""
        return "?" if self.year is None else str(self.year)


@attrs.frozen(kw_only=True)
class CellChange:
    """One cell both reports have (through the crosswalk), before and after.

    ``delta`` is ``after - before`` and ``relative`` is ``delta / before`` (rounded to
    four places); both are ``None`` when either side is empty (``either_empty``), and
    ``relative`` also when ``before`` is 0. ``before_cells`` / ``after_cells`` are the
    cell keys each side was read from: more than one means their sum (empty when any of
    them is empty; ``note_en`` then says so).
    """

    key: str
    section: str
    label_zh: str
    label_en: str
    before: CellValue
    after: CellValue
    delta: _Number | None
    relative: float | None
    either_empty: bool
    before_cells: tuple[str, ...]
    after_cells: tuple[str, ...]
    note_zh: str | None = None
    note_en: str | None = None

    @property
    def changed(self) -> bool:
        """Whether the two sides state something different (empty → 0 is a change)."""
        if (self.before is None) != (self.after is None):
            return True
        return self.delta is not None and self.delta != 0


@attrs.frozen(kw_only=True)
class NotComparableCell:
    """A cell of one side with no counterpart on the other (the templates differ there)."""

    side: Literal["before", "after"]
    template: Template
    key: str
    section: str
    label_zh: str
    label_en: str
    value: CellValue
    reason_zh: str
    reason_en: str


@attrs.frozen(kw_only=True)
class FigureChange:
    """A figure (digits) a sentence states that differs: ``None`` where one side has none."""

    before: str | None
    after: str | None


@attrs.frozen(kw_only=True)
class SentenceChange:
    """A sentence added, removed or changed; ``figures`` are the numbers that changed."""

    kind: Literal["added", "removed", "changed"]
    before: str | None
    after: str | None
    figures: tuple[FigureChange, ...] = ()


@attrs.frozen(kw_only=True)
class ProseDiff:
    """The sentence-level diff of one prose section or sub-topic.

    ``section`` is ``overview``, ``problems``, ``other_matters``, or for a sub-topic of 一
    ``overview/<heading>`` (the heading without its numbering, e.g. ``overview/主动公开``).
    """

    section: str
    title_zh: str
    title_en: str
    changes: tuple[SentenceChange, ...]
    unchanged: int


@attrs.frozen(kw_only=True)
class Comparison:
    """Two reports of one body compared: cells, cells not comparable, findings, prose."""

    before: ReportInfo
    after: ReportInfo
    cells: tuple[CellChange, ...]
    not_comparable: tuple[NotComparableCell, ...]
    findings: tuple[Finding, ...]
    prose: tuple[ProseDiff, ...]

    def cell(self, key: str) -> CellChange:
        """The compared cell with comparison key ``key``; ``KeyError`` when there is none."""
        for change in self.cells:
            if change.key == key:
                return change
        raise KeyError(f"no compared cell {key!r}")

    @property
    def subject(self) -> str:
        """``"<issuer> <year>→<year>"``, as cross-year findings name the pair."""
        return _pair_subject(self.before, self.after)

    @property
    def changed_cells(self) -> tuple[CellChange, ...]:
        """The compared cells whose value changed (empty → value counts)."""
        return tuple(change for change in self.cells if change.changed)


def _pair_subject(before: ReportInfo, after: ReportInfo) -> str:
    issuer = after.issuer or before.issuer or "?"
    return f"{issuer} {before.year_text()}→{after.year_text()}"


# --- labels -----------------------------------------------------------------------------


def _label_texts(label: CellLabel) -> tuple[str, str]:
    row, column = label.row, label.column
    zh = " ".join(part for part in (row.group and row.group.zh, row.label.zh) if part)
    # 其他 alone is ambiguous: name its header group (法人或其他组织) with it
    column_zh = f"{column.group.zh}·{column.label.zh}" if column.group else column.label.zh
    en = " ".join(part for part in (row.group and row.group.en, row.label.en) if part)
    return f"{zh}·{column_zh}", f"{en} / {column.label.en}"


def _label_of(key: str, *templates: Template) -> CellLabel:
    for template in templates:
        labels = cell_labels(template)
        if key in labels:
            return labels[key]
    raise KeyError(key)


# --- cells ------------------------------------------------------------------------------


def _read(report: Report, keys: tuple[str, ...]) -> tuple[CellValue, bool]:
    """The value of ``keys`` (their sum when several) and whether a sum was left empty
    because only some of them are empty."""
    values = [cell_value(report, key) for key in keys]
    if len(values) == 1:
        return values[0], False
    if any(value is None for value in values):
        return None, any(value is not None for value in values)
    total: _Number = 0
    for value in values:
        assert value is not None
        total += value
    return total, False


def _relative(delta: _Number, before: _Number) -> float | None:
    if before == 0:
        return None
    return round(float(Decimal(delta) / Decimal(before)), 4)


def _cell_change(
    correspondence: Correspondence, before: Report, after: Report, label: CellLabel
) -> CellChange:
    before_value, before_partial = _read(before, correspondence.before_keys)
    after_value, after_partial = _read(after, correspondence.after_keys)
    either_empty = before_value is None or after_value is None
    delta: _Number | None = None
    relative: float | None = None
    if before_value is not None and after_value is not None:
        delta = after_value - before_value
        relative = _relative(delta, before_value)
    notes_zh, notes_en = [], []
    for side, partial, keys in (
        ("before", before_partial, correspondence.before_keys),
        ("after", after_partial, correspondence.after_keys),
    ):
        which = "前" if side == "before" else "后"
        if partial:
            notes_zh.append(f"{which}一份报告所加的{len(keys)}个单元格部分为空，不求和")
            notes_en.append(f"{side}: {len(keys)} cells to add, some empty; no sum made")
        elif len(keys) > 1:
            notes_zh.append(f"{which}一份报告为{len(keys)}个单元格之和")
            notes_en.append(f"{side}: the sum of {len(keys)} cells")
    zh, en = _label_texts(label)
    return CellChange(
        key=correspondence.key,
        section=label.section,
        label_zh=zh,
        label_en=en,
        before=before_value,
        after=after_value,
        delta=delta,
        relative=relative,
        either_empty=either_empty,
        before_cells=correspondence.before_keys,
        after_cells=correspondence.after_keys,
        note_zh="；".join(notes_zh) or None,
        note_en="; ".join(notes_en) or None,
    )


def _require_report(value: object, where: str) -> Report:
    if not isinstance(value, Report2019 | Report2021):
        raise ReportFormatError(
            [Problem(where, f"expected a Report2019 or Report2021, got {type(value).__name__}")]
        )
    return value


# --- findings ---------------------------------------------------------------------------


def _finding(
    rule: str,
    cells: tuple[str, ...],
    expected: _Number | None,
    actual: _Number | None,
    zh: str,
    en: str,
    subject: str,
    severity: Literal["error", "warning", "not_assessable"] = "warning",
) -> Finding:
    difference = None if expected is None or actual is None else actual - expected
    return Finding(
        rule=rule,
        severity=severity,
        cells=cells,
        expected=expected,
        actual=actual,
        difference=difference,
        message_zh=zh,
        message_en=en,
        subject=subject,
    )


def _series_findings(before: Report, after: Report, subject: str) -> list[Finding]:
    """R4 (and R5 or H1 where both templates have them) on the pair, via :func:`check_series`."""
    years = (before.meta.year, after.meta.year)
    if None in years or years[1] != (years[0] or 0) + 1:
        zh = (
            "报告未注明年度" if None in years else f"{years[0]}年与{years[1]}年不是相邻年度"
        ) + "，不核对跨年度规则（R4 结转等）。"
        en = (
            "a report states no year"
            if None in years
            else f"{years[0]} and {years[1]} are not consecutive years"
        ) + ": the cross-year rules (R4 carry-over etc.) are not applied."
        return [_finding("R4", (), None, None, zh, en.capitalize(), subject, "not_assessable")]
    # one issuer string for both, so the engine pairs them whatever their spelling
    pair = [
        attrs.evolve(report, meta=attrs.evolve(report.meta, issuer="pair"))
        for report in (before, after)
    ]
    return [attrs.evolve(finding, subject=subject) for finding in check_series(pair)]


def _other_body(before: Report, after: Report, subject: str) -> list[Finding]:
    """Y0: the two reports name different issuers (after :func:`normalize_issuer`)."""
    issuers = (normalize_issuer(before.meta.issuer), normalize_issuer(after.meta.issuer))
    if None in issuers or issuers[0] == issuers[1]:
        return []
    return [
        _finding(
            "Y0",
            (),
            None,
            None,
            f"两份报告的发布机关不同（{before.meta.issuer}；{after.meta.issuer}），"
            "对比可能不是同一机关的前后年度。",
            f"The reports name different issuers ({before.meta.issuer}; {after.meta.issuer}):"
            " they may not be one body's consecutive reports.",
            subject,
        )
    ]


def _headline(changes: Sequence[CellChange]) -> list[CellChange]:
    """The cells Y1 looks at: a row's 总计 where the row has one, otherwise every cell."""
    rows_with_total = {
        change.key.rpartition(".")[0] for change in changes if change.key.endswith(".total")
    }
    return [
        change
        for change in changes
        if change.key.endswith(".total") or change.key.rpartition(".")[0] not in rows_with_total
    ]


def _doubling(changes: Sequence[CellChange], kinds: dict[str, str], subject: str) -> list[Finding]:
    found = []
    for change in _headline(changes):
        before, after = change.before, change.after
        if before is None or after is None or kinds.get(change.before_cells[0]) == "signed":
            continue
        if max(before, after) < NOTABLE_MINIMUM:
            continue
        if before > 0 and after >= DOUBLING_RATIO * before:
            word_zh, word_en = "翻倍以上", "at least doubled"
        elif after * DOUBLING_RATIO <= before:
            word_zh, word_en = "减半以上", "at least halved"
        else:
            continue
        found.append(
            _finding(
                "Y1",
                (change.key,),
                before,
                after,
                f"{change.label_zh}：由 {before} 变为 {after}，{word_zh}。",
                f"{change.label_en}: {before} → {after}, {word_en}.",
                subject,
            )
        )
    return found


def _block_of(change: CellChange, templates: tuple[Template, Template]) -> tuple[str, str, str]:
    """The block a compared cell belongs to: an article 20 item of 二, a row group of 三
    (e.g. （三）不予公开) or a row of 三 without group, a row group or row of 四."""
    row_key = change.key.rpartition(".")[0]
    if change.section == "proactive":
        for template in templates:
            for block in template_labels(template).proactive_blocks:
                if any(row.key == row_key for row in block.rows):
                    return f"item{block.item}", block.caption.zh, block.caption.en
    label = _label_of(change.key, *templates)
    if label.row.group is not None:
        group = label.row.group
        return f"{label.section}:{group.zh}", group.zh, group.en
    return row_key, label.row.label.zh, label.row.label.en


def _block_totals(members: Sequence[CellChange]) -> list[CellChange]:
    """The cells that sum a block up: its 总计 cells where it has them, else all its cells."""
    return [change for change in members if change.key.endswith(".total")] or list(members)


def _woke_blocks(
    changes: Sequence[CellChange], templates: tuple[Template, Template], subject: str
) -> list[Finding]:
    blocks: dict[str, tuple[str, str, list[CellChange]]] = {}
    for change in changes:
        block, zh, en = _block_of(change, templates)
        blocks.setdefault(block, (zh, en, []))[2].append(change)
    found = []
    for zh, en, members in blocks.values():
        if any(change.either_empty for change in members):
            continue
        if any(change.before != 0 for change in members):
            continue
        if all(change.after == 0 for change in members):
            continue
        shown = [change for change in _block_totals(members) if change.after != 0]
        total: _Number = 0
        for change in shown:
            assert change.after is not None
            total += change.after
        stated_zh = "、".join(f"{change.label_zh} {change.after}" for change in shown)
        stated_en = "; ".join(f"{change.label_en} {change.after}" for change in shown)
        found.append(
            _finding(
                "Y2",
                tuple(change.key for change in shown),
                0,
                total,
                f"{zh}：上一份报告全部为 0，本份报告不为 0（{stated_zh}）。",
                f"{en}: all zero in the earlier report, not in the later one ({stated_en}).",
                subject,
            )
        )
    return found


def _opposite_totals(
    changes: Sequence[CellChange], after_template: Template, subject: str
) -> list[Finding]:
    by_after_key: dict[str, CellChange] = {}
    for change in changes:
        for key in change.after_cells:
            by_after_key[key] = change
    found = []
    for rule_id in ("R1", "R2", "R3"):
        for equation in equations(rule_id, after_template):
            target = by_after_key.get(equation.target.key)
            parts: dict[str, CellChange] = {}
            for term in equation.terms:
                part = by_after_key.get(term.key)
                if part is None or term.weight != 1:
                    parts = {}
                    break
                parts[part.key] = part
            if target is None or not parts or target.key in parts:
                continue
            if target.delta is None or any(part.delta is None for part in parts.values()):
                continue
            components: _Number = 0
            for part in parts.values():
                assert part.delta is not None
                components += part.delta
            if not ((target.delta > 0 > components) or (target.delta < 0 < components)):
                continue
            found.append(
                _finding(
                    "Y3",
                    (target.key, *parts),
                    components,
                    target.delta,
                    f"{target.label_zh}：增减 {target.delta:+}，而其各项合计增减 {components:+}，"
                    "方向相反。",
                    f"{target.label_en}: changed by {target.delta:+} while its components"
                    f" together changed by {components:+} (opposite directions).",
                    subject,
                )
            )
    return found


# --- prose ------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_NUMBERING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十\d]{1,3}[、.．])\s*"
)
_FIGURE = re.compile(r"\d+(?:\.\d+)?")
#: Two sentences at one place of the diff are "changed" rather than removed and added when
#: they are at least this similar (difflib ratio).
_SIMILAR: Final = 0.5


def _sentences(paragraphs: Iterable[str]) -> list[str]:
    found: list[str] = []
    for paragraph in paragraphs:
        found.extend(part.strip() for part in _SENTENCE_END.split(paragraph) if part.strip())
    return found


def _figures(sentence: str) -> list[str]:
    return _FIGURE.findall(unicodedata.normalize("NFKC", sentence))


def _figure_changes(before: str, after: str) -> tuple[FigureChange, ...]:
    old, new = _figures(before), _figures(after)
    found: list[FigureChange] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for index in range(max(len(olds), len(news))):
            found.append(
                FigureChange(
                    before=olds[index] if index < len(olds) else None,
                    after=news[index] if index < len(news) else None,
                )
            )
    return tuple(found)


def _sentence_diff(before: list[str], after: list[str]) -> tuple[tuple[SentenceChange, ...], int]:
    changes: list[SentenceChange] = []
    unchanged = 0
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            unchanged += i2 - i1
            continue
        olds, news = before[i1:i2], after[j1:j2]
        for index in range(max(len(olds), len(news))):
            old = olds[index] if index < len(olds) else None
            new = news[index] if index < len(news) else None
            if (
                old is not None
                and new is not None
                and difflib.SequenceMatcher(None, old, new, autojunk=False).ratio() >= _SIMILAR
            ):
                changes.append(
                    SentenceChange(
                        kind="changed", before=old, after=new, figures=_figure_changes(old, new)
                    )
                )
                continue
            if old is not None:
                changes.append(SentenceChange(kind="removed", before=old, after=None))
            if new is not None:
                changes.append(SentenceChange(kind="added", before=None, after=new))
    return tuple(changes), unchanged


def _topic(heading: str) -> str:
    return _NUMBERING.sub("", unicodedata.normalize("NFKC", heading)).strip()


def _prose_units(prose: Prose, section: str) -> dict[str, tuple[str, list[str]]]:
    units: dict[str, tuple[str, list[str]]] = {section: (section, list(prose.paragraphs))}
    for part in prose.parts:
        key = f"{section}/{_topic(part.heading)}"
        if key in units:  # the same sub-topic twice: read as one
            units[key][1].extend(part.paragraphs)
        else:
            units[key] = (part.heading, list(part.paragraphs))
    return units


def _prose_diffs(before: Report, after: Report) -> tuple[ProseDiff, ...]:
    found: list[ProseDiff] = []
    for section in PROSE_SECTIONS:
        old_units = _prose_units(getattr(before, section), section)
        new_units = _prose_units(getattr(after, section), section)
        keys = list(dict.fromkeys([*new_units, *old_units]))
        # the section's own paragraphs first, then its sub-topics
        keys.sort(key=lambda key: key != section)
        for key in keys:
            heading = (new_units.get(key) or old_units[key])[0]
            if key == section:
                title = SECTION_TITLES[section]
                title_zh, title_en = title.zh, title.en
            else:
                title_zh = title_en = f"{SECTION_TITLES[section].zh} {heading}"
                title_en = f"{SECTION_TITLES[section].en}: {heading}"
            changes, unchanged = _sentence_diff(
                _sentences(old_units.get(key, ("", []))[1]),
                _sentences(new_units.get(key, ("", []))[1]),
            )
            found.append(
                ProseDiff(
                    section=key,
                    title_zh=title_zh,
                    title_en=title_en,
                    changes=changes,
                    unchanged=unchanged,
                )
            )
    return tuple(found)


# --- compare ----------------------------------------------------------------------------


def compare(before: Report, after: Report) -> Comparison:
    """Compare two reports of one body, the earlier one first.

    Args:
        before: The earlier report (any template).
        after: The later report (any template; across the template change the cells
            are read through the crosswalk of :mod:`disclosure_schema._crosswalk`).

    Returns:
        Every compared cell (before, after, delta, relative change), the cells that are
        not comparable, the findings (Y0 when the issuers differ, R4/R5/H1 on the pair when
        the years are consecutive, then Y1 doubling/halving, Y2 a block all zero then not,
        Y3 a total moving against its components) and the sentence-level diff of 一,
        its sub-topics, 五 and 六.

    Raises:
        ReportFormatError: For anything but two reports.
    """
    _require_report(before, "before")
    _require_report(after, "after")
    walk = crosswalk(before.template, after.template)
    templates = (before.template, after.template)
    changes = tuple(
        _cell_change(correspondence, before, after, _label_of(correspondence.key, *templates))
        for correspondence in walk.correspondences
    )
    missing = []
    for item in walk.not_comparable:
        report = before if item.side == "before" else after
        label = cell_labels(item.template)[item.key]
        zh, en = _label_texts(label)
        missing.append(
            NotComparableCell(
                side="before" if item.side == "before" else "after",
                template=item.template,
                key=item.key,
                section=label.section,
                label_zh=zh,
                label_en=en,
                value=cell_value(report, item.key),
                reason_zh=item.reason_zh,
                reason_en=item.reason_en,
            )
        )
    info_before, info_after = ReportInfo.of(before), ReportInfo.of(after)
    subject = _pair_subject(info_before, info_after)
    findings = [
        *_other_body(before, after, subject),
        *_series_findings(before, after, subject),
        *_doubling(changes, dict(cell_kinds(before.template)), subject),
        *_woke_blocks(changes, templates, subject),
        *_opposite_totals(changes, after.template, subject),
    ]
    return Comparison(
        before=info_before,
        after=info_after,
        cells=changes,
        not_comparable=tuple(missing),
        findings=tuple(findings),
        prose=_prose_diffs(before, after),
    )


# --- pairing and series -----------------------------------------------------------------


def normalize_issuer(issuer: str | None) -> str | None:
    """The issuer as pairing compares it: Unicode NFKC (full-width letters, digits and
    brackets become their plain forms), every white space removed; ``None`` stays ``None``.

    >>> normalize_issuer(" 示例县 人民政府（办公室） ")
    '示例县人民政府(办公室)'
    """
    if issuer is None:
        return None
    text = "".join(unicodedata.normalize("NFKC", issuer).split())
    return text or None


@attrs.frozen(kw_only=True)
class ReportPair:
    """Two reports of one body for consecutive years; indexes are positions in the input."""

    body: str
    before: Report
    after: Report
    before_index: int
    after_index: int


@attrs.frozen(kw_only=True)
class Unpaired:
    """A report that is in no pair, and why."""

    index: int
    report: Report
    reason: str


@attrs.frozen(kw_only=True)
class Pairing:
    """What :func:`pair_by_body` found: the pairs, and every report in none of them."""

    pairs: tuple[ReportPair, ...]
    unpaired: tuple[Unpaired, ...]


def pair_by_body(reports: Iterable[Report]) -> Pairing:
    """Group reports by body and pair consecutive years (N−1, N).

    The body is :func:`normalize_issuer` of ``meta.issuer``. A report that states no issuer
    or no year is never paired (its body or place in the series would be a guess); it is
    listed in ``unpaired``. So is a report whose body has no report for the year before
    or after it, and every report of a year for which one body has several different
    reports (identical copies count once; the later copies are listed as duplicates).

    Args:
        reports: The reports, in any order.

    Returns:
        Pairs by body (in order of first appearance), then year; and the unpaired reports
        in input order.
    """
    groups: dict[str, dict[int, list[int]]] = {}
    listed: list[Report] = []
    unpaired: dict[int, str] = {}
    for index, report in enumerate(reports):
        _require_report(report, f"[{index}]")
        listed.append(report)
        body, year = normalize_issuer(report.meta.issuer), report.meta.year
        if body is None or year is None:
            unpaired[index] = (
                "the report states no issuer" if body is None else ("the report states no year")
            )
            continue
        same_year = groups.setdefault(body, {}).setdefault(year, [])
        copy = next((other for other in same_year if listed[other] == report), None)
        if copy is not None:
            unpaired[index] = f"identical to report [{copy}]"
            continue
        same_year.append(index)
    pairs: list[ReportPair] = []
    for body, by_year in groups.items():
        usable: dict[int, int] = {}
        for year, indexes in by_year.items():
            if len(indexes) > 1:
                for index in indexes:
                    unpaired[index] = f"{len(indexes)} different reports of {body} for {year}"
            else:
                usable[year] = indexes[0]
        paired: set[int] = set()
        for year in sorted(usable):
            if year + 1 in usable:
                first, second = usable[year], usable[year + 1]
                pairs.append(
                    ReportPair(
                        body=body,
                        before=listed[first],
                        after=listed[second],
                        before_index=first,
                        after_index=second,
                    )
                )
                paired.update((first, second))
        for year, index in usable.items():
            if index not in paired:
                unpaired[index] = f"no report of {body} for {year - 1} or {year + 1}"
    return Pairing(
        pairs=tuple(pairs),
        unpaired=tuple(
            Unpaired(index=index, report=listed[index], reason=reason)
            for index, reason in sorted(unpaired.items())
        ),
    )


@attrs.frozen(kw_only=True)
class SeriesRow:
    """One cell of one year of a body's series, with its change from the year before.

    ``previous_year`` / ``previous_value`` / ``delta`` / ``relative`` are ``None`` when
    there is no report for the year before or the cell is not comparable with it (or
    either side is empty). ``summed`` marks a row whose value is the crosswalk's sum of
    stated cells (2021's （六）其他处理 group as the 2019 row ``requests.outcomes.other``).
    """

    body: str | None
    issuer: str | None
    year: int
    template: Template
    key: str
    section: str
    label_zh: str
    label_en: str
    value: CellValue
    previous_year: int | None
    previous_value: CellValue
    delta: _Number | None
    relative: float | None
    summed: bool = False

    def as_tuple(self) -> tuple[Any, ...]:
        """The values in :data:`SERIES_COLUMNS` order."""
        return attrs.astuple(self, recurse=False)


#: The columns of the series table, in order.
SERIES_COLUMNS: Final = tuple(field.name for field in attrs.fields(SeriesRow))


def _series_order(reports: Iterable[Report]) -> list[Report]:
    by_year: dict[int, Report] = {}
    bodies: set[str] = set()
    for index, report in enumerate(reports):
        _require_report(report, f"[{index}]")
        year = report.meta.year
        if year is None:
            raise ComparisonError(
                f"report [{index}] states no year: it cannot be placed in a series"
            )
        body = normalize_issuer(report.meta.issuer)
        if body is not None:
            bodies.add(body)
        if year in by_year and by_year[year] != report:
            raise ComparisonError(f"two different reports for {year}: a series has one per year")
        by_year[year] = report
    if len(bodies) > 1:
        raise ComparisonError(
            f"reports of {len(bodies)} bodies ({', '.join(sorted(bodies))}):"
            " compare_series takes one body; use pair_by_body for a folder"
        )
    return [by_year[year] for year in sorted(by_year)]


def _year_rows(report: Report, previous: Report | None) -> Iterator[SeriesRow]:
    year = report.meta.year
    assert year is not None
    comparison = compare(previous, report) if previous is not None else None
    by_key = {change.key: change for change in comparison.cells} if comparison else {}
    body = normalize_issuer(report.meta.issuer)
    labels = cell_labels(report.template)

    def row(key: str, value: CellValue, label: CellLabel, summed: bool) -> SeriesRow:
        change = by_key.get(key)
        compared = change is not None and (summed or change.after_cells == (key,))
        zh, en = _label_texts(label)
        return SeriesRow(
            body=body,
            issuer=report.meta.issuer,
            year=year,
            template=report.template,
            key=key,
            section=label.section,
            label_zh=zh,
            label_en=en,
            value=value,
            previous_year=year - 1 if compared else None,
            previous_value=change.before if change is not None and compared else None,
            delta=change.delta if change is not None and compared else None,
            relative=change.relative if change is not None and compared else None,
            summed=summed,
        )

    for key, label in labels.items():
        yield row(key, cell_value(report, key), label, False)
    if comparison is not None:
        templates = (comparison.before.template, comparison.after.template)
        for change in comparison.cells:
            if len(change.after_cells) > 1:
                yield row(change.key, change.after, _label_of(change.key, *templates), True)


def compare_series(reports: Iterable[Report]) -> list[SeriesRow]:
    """One body over several years as a table: one row per cell per year, with deltas.

    Args:
        reports: Reports of one body (same :func:`normalize_issuer`, or no issuer), one
            per year, in any order.

    Returns:
        Year by year, each report's cells in template order; a cell has its previous value
        and delta when the body has a report for the year before and the crosswalk
        compares the cell. Write it with :func:`write_series`.

    Raises:
        ComparisonError: For reports of several bodies, without a year, or two
            different reports for one year.
    """
    ordered = _series_order(reports)
    rows: list[SeriesRow] = []
    for index, report in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        if previous is not None and previous.meta.year != (report.meta.year or 0) - 1:
            previous = None
        rows.extend(_year_rows(report, previous))
    return rows


# --- writing the series table -----------------------------------------------------------


def _digits(value: _Number) -> str:
    return str(value) if isinstance(value, int) else format(value, "f")


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return _digits(value)
    return value


#: Parquet holds values and deltas as DECIMAL(38, 6), exact for every count and amount.
_PARQUET_SCALE: Final = 6


def _parquet_number(value: _Number | None, row: SeriesRow) -> Decimal | None:
    if value is None:
        return None
    exact = Decimal(value)
    scaled = exact.quantize(Decimal(1).scaleb(-_PARQUET_SCALE))
    if scaled != exact:
        raise ExportError(
            f"{row.issuer or '(no issuer)'} {row.year} {row.key}: {_digits(value)} cannot be"
            f" held exactly in a Parquet DECIMAL(38, {_PARQUET_SCALE}); write .csv instead"
        )
    return scaled


def write_series(rows: Iterable[SeriesRow], path: str | Path) -> int:
    """Write a series table (:func:`compare_series`) to ``.csv`` or ``.parquet``; the number
    of rows written.

    Args:
        rows: The rows.
        path: The file; its extension picks the format. CSV is UTF-8, empty cells are empty
            fields, numbers are written with their own digits; Parquet (needs ``pyarrow``,
            the ``parquet`` extra) holds ``value``, ``previous_value`` and ``delta`` as
            ``DECIMAL(38, 6)`` and ``relative`` as a double. The file is written atomically.

    Returns:
        How many rows were written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        count = 0
        with atomic_writer(target, newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(SERIES_COLUMNS)
            for row in rows:
                writer.writerow([_csv_value(value) for value in row.as_tuple()])
                count += 1
        return count
    if suffix != ".parquet":
        raise ExportError(f"{target}: unknown extension {suffix!r}: expected .csv or .parquet")
    pa, pq = import_pyarrow()
    number = pa.decimal128(38, _PARQUET_SCALE)
    text = pa.string()
    types = {
        "year": pa.int32(),
        "previous_year": pa.int32(),
        "value": number,
        "previous_value": number,
        "delta": number,
        "relative": pa.float64(),
        "summed": pa.bool_(),
    }
    schema = pa.schema([(name, types.get(name, text)) for name in SERIES_COLUMNS])
    columns: dict[str, list[Any]] = {name: [] for name in SERIES_COLUMNS}
    for row in rows:
        for name, value in zip(SERIES_COLUMNS, row.as_tuple(), strict=True):
            number = name in ("value", "previous_value", "delta")
            columns[name].append(_parquet_number(value, row) if number else value)
    table = pa.Table.from_arrays(
        [pa.array(columns[field.name], type=field.type) for field in schema], schema=schema
    )
    with atomic_path(target) as temporary:
        pq.write_table(table, str(temporary))
    return len(columns["key"])


# --- the JSON form ----------------------------------------------------------------------


def _json_number(value: _Number | None) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    return format(value, "f")


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "subject": finding.subject,
        "quote": finding.quote,
        "cells": list(finding.cells),
        "expected": _json_number(finding.expected),
        "actual": _json_number(finding.actual),
        "difference": _json_number(finding.difference),
        "message_zh": finding.message_zh,
        "message_en": finding.message_en,
    }


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    """The JSON form of a comparison (see :func:`comparison_json_schema`).

    Counts are JSON integers; amounts (and their deltas) decimal strings, as in the report
    JSON; an empty cell is ``null``.
    """
    return {
        "before": attrs.asdict(comparison.before),
        "after": attrs.asdict(comparison.after),
        "cells": [
            {
                "key": change.key,
                "section": change.section,
                "label_zh": change.label_zh,
                "label_en": change.label_en,
                "before": _json_number(change.before),
                "after": _json_number(change.after),
                "delta": _json_number(change.delta),
                "relative": change.relative,
                "either_empty": change.either_empty,
                "changed": change.changed,
                "before_cells": list(change.before_cells),
                "after_cells": list(change.after_cells),
                "note_zh": change.note_zh,
                "note_en": change.note_en,
            }
            for change in comparison.cells
        ],
        "not_comparable": [
            {
                "side": item.side,
                "template": item.template,
                "key": item.key,
                "section": item.section,
                "label_zh": item.label_zh,
                "label_en": item.label_en,
                "value": _json_number(item.value),
                "reason_zh": item.reason_zh,
                "reason_en": item.reason_en,
            }
            for item in comparison.not_comparable
        ],
        "findings": [_finding_dict(finding) for finding in comparison.findings],
        "prose": [
            {
                "section": diff.section,
                "title_zh": diff.title_zh,
                "title_en": diff.title_en,
                "unchanged": diff.unchanged,
                "changes": [
                    {
                        "kind": change.kind,
                        "before": change.before,
                        "after": change.after,
                        "figures": [attrs.asdict(figure) for figure in change.figures],
                    }
                    for change in diff.changes
                ],
            }
            for diff in comparison.prose
        ],
    }


def comparison_to_json(comparison: Comparison | Sequence[Comparison]) -> str:
    """A comparison (or a list of them) as indented JSON text, ending with a newline."""
    document: Any = (
        comparison_to_dict(comparison)
        if isinstance(comparison, Comparison)
        else [comparison_to_dict(item) for item in comparison]
    )
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()


_SCHEMA_ID: Final = "https://disclosure-schema.invalid/comparison.schema.json"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_NUMBER_SCHEMA: Final[dict[str, Any]] = {
    "description": "A count (integer) or an amount (decimal string); null when empty.",
    "anyOf": [
        {"type": "integer"},
        {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"},
        {"type": "null"},
    ],
}


def comparison_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :func:`comparison_to_dict`'s output.

    Generated from the comparison classes' fields: a test keeps the committed
    ``docs/comparison.schema.json`` equal to it.
    """
    text = {"type": "string"}
    nullable_text = _nullable(text)
    keys = {"type": "array", "items": text}

    def fields_of(cls: type[Any], overrides: dict[str, Any]) -> dict[str, Any]:
        return {field.name: overrides[field.name] for field in attrs.fields(cls)}

    report = _object(
        fields_of(
            ReportInfo,
            {
                "issuer": nullable_text,
                "year": _nullable({"type": "integer"}),
                "template": {"enum": list(template_tags(official=True))},
                "title": nullable_text,
            },
        )
    )
    cell_fields = fields_of(
        CellChange,
        {
            "key": text,
            "section": text,
            "label_zh": text,
            "label_en": text,
            "before": _NUMBER_SCHEMA,
            "after": _NUMBER_SCHEMA,
            "delta": _NUMBER_SCHEMA,
            "relative": _nullable({"type": "number"}),
            "either_empty": {"type": "boolean"},
            "before_cells": keys,
            "after_cells": keys,
            "note_zh": nullable_text,
            "note_en": nullable_text,
        },
    )
    cell_fields["changed"] = {"type": "boolean"}
    cell = _object(cell_fields)
    missing = _object(
        fields_of(
            NotComparableCell,
            {
                "side": {"enum": ["before", "after"]},
                "template": {"enum": list(template_tags(official=True))},
                "key": text,
                "section": text,
                "label_zh": text,
                "label_en": text,
                "value": _NUMBER_SCHEMA,
                "reason_zh": text,
                "reason_en": text,
            },
        )
    )
    finding = _object(
        fields_of(
            Finding,
            {
                "rule": text,
                "severity": {"enum": ["error", "warning", "not_assessable"]},
                "cells": keys,
                "expected": _NUMBER_SCHEMA,
                "actual": _NUMBER_SCHEMA,
                "difference": _NUMBER_SCHEMA,
                "message_zh": text,
                "message_en": text,
                "subject": nullable_text,
                "quote": nullable_text,
            },
        )
    )
    figure = _object(fields_of(FigureChange, {"before": nullable_text, "after": nullable_text}))
    sentence = _object(
        fields_of(
            SentenceChange,
            {
                "kind": {"enum": ["added", "removed", "changed"]},
                "before": nullable_text,
                "after": nullable_text,
                "figures": {"type": "array", "items": {"$ref": "#/$defs/FigureChange"}},
            },
        )
    )
    prose = _object(
        fields_of(
            ProseDiff,
            {
                "section": text,
                "title_zh": text,
                "title_en": text,
                "changes": {"type": "array", "items": {"$ref": "#/$defs/SentenceChange"}},
                "unchanged": {"type": "integer", "minimum": 0},
            },
        )
    )
    comparison = _object(
        {
            "before": {"$ref": "#/$defs/ReportInfo"},
            "after": {"$ref": "#/$defs/ReportInfo"},
            "cells": {"type": "array", "items": {"$ref": "#/$defs/CellChange"}},
            "not_comparable": {"type": "array", "items": {"$ref": "#/$defs/NotComparableCell"}},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/Finding"}},
            "prose": {"type": "array", "items": {"$ref": "#/$defs/ProseDiff"}},
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _SCHEMA_ID,
        "title": "Year-over-year comparison of two disclosure annual reports",
        "description": (
            "The JSON form of disclosure_schema.compare(before, after), or a list of them"
            " (disclosure-schema compare DIR). Empty cells are null: an empty side gives no"
            " delta. Amounts are decimal strings."
        ),
        "anyOf": [
            {"$ref": "#/$defs/Comparison"},
            {"type": "array", "items": {"$ref": "#/$defs/Comparison"}},
        ],
        "$defs": {
            "CellChange": cell,
            "Comparison": comparison,
            "FigureChange": figure,
            "Finding": finding,
            "NotComparableCell": missing,
            "ProseDiff": prose,
            "ReportInfo": report,
            "SentenceChange": sentence,
        },
    }
