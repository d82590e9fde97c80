"""The one engine that evaluates the rule declarations of :mod:`.rules`.

Empty cells. An equation is assessed only when every cell it names has a value. When
any of them is empty (``None``) the equation yields a ``not_assessable`` finding that
names the empty cells, never an error and never a pass: an empty cell means "not
reported", which is not zero. This is deliberate for partly filled rows too — reports
often fill only 自然人 and 总计 and leave the other applicant columns blank; total = 自然人
is then plausible but not proven, so R2 on that row is not assessable rather than an error.

Series. :func:`check_series` groups reports by ``meta.issuer`` (exact string), orders each
group by ``meta.year`` and compares consecutive years only (N−1 → N). A year gap of more
than one means no comparison; two different reports for one issuer and year are not
compared with their neighbours (one ``not_assessable`` finding says so); identical
duplicates count once. A report without issuer or year cannot be placed: it gets one
``not_assessable`` finding (rule R4, no cells). R4 applies to every pair, R5 when both
reports are on template 2019, H1 when both are on template 2021. :func:`series_pairs`
lists every pair considered, whether it was compared, and with which rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache, lru_cache
from itertools import pairwise
from operator import itemgetter, mul
from typing import Any

import attrs

from disclosure_schema.checks._compliance import with_selected_rules
from disclosure_schema.checks.findings import Finding, Severity
from disclosure_schema.checks.rules import RULES, Equation, ProseFigure, Rule, equations, rule
from disclosure_schema.errors import Problem, ReportFormatError
from disclosure_schema.labels import cell_labels
from disclosure_schema.model import CellValue, Report, Report2019, Report2021, Template, cell_kinds

__all__ = ["SeriesPair", "check", "check_series", "series_pairs"]

_Number = int | Decimal

_REL_ZH = {"=": "为 ", "<=": "不超过 ", ">=": "不少于 "}
_REL_EN = {"=": "", "<=": "at most ", ">=": "at least "}
_LISTED_EMPTY = 3
_SNIPPET = 40
# H4 findings quote the sentence holding the figure, up to this many characters
_SENTENCE = 80
_SENTENCE_ENDS = "。；;！!？?\n"


@attrs.frozen
class SeriesPair:
    """Two reports of one issuer in consecutive order of year, and what was compared.

    ``rules`` are the ids of the cross-year rules applied (empty when the pair was not
    compared); ``reason`` says why a pair was not compared.
    """

    issuer: str
    previous_year: int
    current_year: int
    rules: tuple[str, ...]
    reason: str = ""


@attrs.frozen
class _Side:
    """One report as the engine sees it: its cell values, template and year."""

    values: tuple[CellValue, ...]
    template: Template
    year: int | None

    def value(self, key: str) -> CellValue:
        return self.values[_reader(self.template).index[key]]


@attrs.frozen
class _Reader:
    index: dict[str, int]
    read: Callable[[Any], tuple[CellValue, ...]]


@cache
def _reader(template: Template) -> _Reader:
    """A function reading every cell of a report, in cell-key order, into one tuple.

    Generated code (as attrs generates its methods) because reading ~180 nested
    attributes is most of the cost of :func:`check`: binding each row once makes it
    several times faster than ``attrgetter`` on dotted names. The source is built only
    from the model's own cell keys, each checked to be a dotted Python identifier.
    """
    keys = tuple(cell_kinds(template))
    local_names: dict[str, str] = {}
    lines = ["def read(report):"]

    def bind(path: str) -> str:
        if path not in local_names:
            parent, _, name = path.rpartition(".")
            if not name.isidentifier():
                raise AssertionError(f"cell key part {name!r} is not an identifier")
            source = bind(parent) if parent else "report"
            local_names[path] = f"part_{len(local_names)}"
            lines.append(f"    {local_names[path]} = {source}.{name}")
        return local_names[path]

    reads = []
    for key in keys:
        row, _, column = key.rpartition(".")
        if not column.isidentifier():
            raise AssertionError(f"cell key part {column!r} is not an identifier")
        reads.append(f"{bind(row)}.{column}")
    lines.append(f"    return ({', '.join(reads)},)")
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), namespace)
    return _Reader({key: position for position, key in enumerate(keys)}, namespace["read"])


def _side(report: Report, year: int | None) -> _Side:
    return _Side(_reader(report.template).read(report), report.template, year)


_RELATIONS = {"=": 0, "<=": 1, ">=": 2}
# the terms reader returns CellValues; Any because check() sums them after ruling out None
_Compiled = tuple[
    Rule,
    Equation,
    int,
    Callable[[Any], tuple[Any, ...]],
    tuple[int, ...] | None,
    int,
    tuple[str, ...],
]


def _terms_reader(positions: tuple[int, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(positions) == 1:
        (only,) = positions
        return lambda values: (values[only],)
    read: Callable[[Any], tuple[Any, ...]] = itemgetter(*positions)
    return read


@cache
def _report_equations(template: Template) -> tuple[_Compiled, ...]:
    """Every single-report equation of a template, with cell keys resolved to positions."""
    index = _reader(template).index
    compiled: list[_Compiled] = []
    for declared in RULES:
        if declared.scope != "report":
            continue
        for equation in equations(declared.id, template):
            weights = tuple(term.weight for term in equation.terms)
            compiled.append(
                (
                    declared,
                    equation,
                    index[equation.target.key],
                    _terms_reader(tuple(index[term.key] for term in equation.terms)),
                    None if set(weights) == {1} else weights,
                    _RELATIONS[equation.relation],
                    equation.cells,
                )
            )
    return tuple(compiled)


def _prose_rules(template: Template) -> tuple[Rule, ...]:
    return tuple(
        declared for declared in RULES if declared.prose_figures and template in declared.templates
    )


def _cell_text(key: str, side: _Side, zh: bool, with_year: bool) -> str:
    return _label_text(key, side.template, zh, side.year if with_year else None, with_year)


@lru_cache(maxsize=8192)
def _label_text(key: str, template: Template, zh: bool, year: int | None, with_year: bool) -> str:
    side = _Side((), template, year)
    label = cell_labels(side.template)[key]
    row, column = label.row, label.column
    if zh:
        text = " ".join(part for part in (row.group and row.group.zh, row.label.zh) if part)
        # 其他 alone is ambiguous: name its header group (法人或其他组织) with it
        column_zh = f"{column.group.zh}·{column.label.zh}" if column.group else column.label.zh
        text = f"{text}·{column_zh}"
        return f"{text}（{side.year}年）" if with_year else text
    text = " ".join(part for part in (row.group and row.group.en, row.label.en) if part)
    text = f"{text} / {column.label.en}"
    return f"{text} ({side.year})" if with_year else text


def _empty_list(texts: list[str], zh: bool) -> str:
    shown = texts[:_LISTED_EMPTY]
    more = len(texts) - len(shown)
    joined = "；".join(shown) if zh else "; ".join(shown)
    if more:
        joined += f" 等共{len(texts)}个" if zh else f" and {more} more"
    return joined


def _evaluate(
    declared: Rule,
    equation: Equation,
    current: _Side,
    previous: _Side | None,
    subject: str | None,
) -> Finding | None:
    actual, expected, empty = _assess(equation, current, previous)
    if empty:
        terms_complete = len(empty) == (1 if actual is None else 0)
        return Finding._deferred(
            (_equation_texts, (declared, equation, current, previous)),
            rule=declared.id,
            severity="not_assessable",
            cells=equation.cells,
            expected=expected if terms_complete else None,
            actual=actual,
            difference=None,
            subject=subject,
        )
    assert actual is not None
    relation = equation.relation
    if (
        (relation == "=" and actual == expected)
        or (relation == "<=" and actual <= expected)
        or (relation == ">=" and actual >= expected)
    ):
        return None
    return Finding._deferred(
        (_equation_texts, (declared, equation, current, previous)),
        rule=declared.id,
        severity=declared.severity,
        cells=equation.cells,
        expected=expected,
        actual=actual,
        difference=actual - expected,
        subject=subject,
    )


def _assess(
    equation: Equation, current: _Side, previous: _Side | None
) -> tuple[CellValue, _Number, list[tuple[str, _Side]]]:
    """The target's value, the weighted sum of the terms that have a value, and the
    empty cells (target first)."""

    def side_of(previous_year: bool) -> _Side:
        return previous if previous_year and previous is not None else current

    target_side = side_of(equation.target.previous_year)
    actual = target_side.value(equation.target.key)
    expected: _Number = 0
    empty: list[tuple[str, _Side]] = []
    if actual is None:
        empty.append((equation.target.key, target_side))
    for term in equation.terms:
        side = side_of(term.previous_year)
        value = side.value(term.key)
        if value is None:
            empty.append((term.key, side))
        else:
            expected += term.weight * value
    return actual, expected, empty


def _equation_texts(
    declared: Rule, equation: Equation, current: _Side, previous: _Side | None
) -> tuple[str, str]:
    """The messages of an equation's finding (built when first read)."""
    cross_year = previous is not None
    actual, expected, empty = _assess(equation, current, previous)
    target_side = previous if equation.target.previous_year and previous is not None else current
    target_zh = _cell_text(equation.target.key, target_side, True, cross_year)
    target_en = _cell_text(equation.target.key, target_side, False, cross_year)
    if empty:
        # only the listed cells need their texts; the rest are counted
        shown = empty[:_LISTED_EMPTY]
        zh = [_cell_text(key, side, True, cross_year) for key, side in shown]
        en = [_cell_text(key, side, False, cross_year) for key, side in shown]
        zh += [""] * (len(empty) - len(shown))
        en += [""] * (len(empty) - len(shown))
        return (
            f"{target_zh}：无法核对，{len(empty)}个单元格为空（{_empty_list(zh, True)}）。",
            f"{target_en}: cannot be checked, {len(empty)} empty cell(s)"
            f" ({_empty_list(en, False)}).",
        )
    assert actual is not None
    relation = equation.relation
    difference = actual - expected
    return (
        f"{target_zh}为 {actual}，按{declared.expected_zh}应{_REL_ZH[relation]}"
        f"{expected}，差 {difference:+}。",
        f"{target_en} is {actual}; by {declared.expected_en} it should be"
        f" {_REL_EN[relation]}{expected} (difference {difference:+}).",
    )


def _prose_texts(report: Report) -> Iterable[str]:
    yield from report.overview.paragraphs
    for part in report.overview.parts:
        yield from part.paragraphs


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _sentence_of(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding ``text[start:end]``, at most ``_SENTENCE`` long."""
    before = max(text.rfind(mark, 0, start) for mark in _SENTENCE_ENDS) + 1
    after = [found for mark in _SENTENCE_ENDS if (found := text.find(mark, end)) >= 0]
    stop = min(after) + 1 if after else len(text)
    before = max(before, start - _SENTENCE // 2)
    return text[before : min(stop, before + _SENTENCE)].strip()


def _prose_finding(
    declared: Rule,
    figure: ProseFigure,
    quoted: str,
    stated: int,
    side: _Side,
    subject: str | None,
    sentence: str | None = None,
) -> Finding | None:
    values = [side.value(key) for key in figure.terms]
    cells_zh = " + ".join(_cell_text(key, side, True, False) for key in figure.terms)
    cells_en = " + ".join(_cell_text(key, side, False, False) for key in figure.terms)
    if any(value is None for value in values):
        return Finding(
            rule=declared.id,
            severity="not_assessable",
            cells=figure.terms,
            expected=None,
            actual=stated,
            difference=None,
            message_zh=f"正文“{quoted}”所述 {stated}，但表格（{cells_zh}）有空单元格，无法核对。",
            message_en=f"The prose “{quoted}” states {stated}, but the table ({cells_en}) has"
            " empty cells: cannot be checked.",
            subject=subject,
            quote=sentence,
        )
    expected = sum(value for value in values if value is not None)
    if stated == expected:
        return None
    difference = stated - expected
    return Finding(
        rule=declared.id,
        severity=declared.severity,
        cells=figure.terms,
        expected=expected,
        actual=stated,
        difference=difference,
        message_zh=f"正文“{quoted}”所述 {stated} 与表格（{cells_zh}）{expected} 不一致，"
        f"差 {difference:+}。",
        message_en=f"The prose “{quoted}” states {stated}, the table ({cells_en}) gives"
        f" {expected} (difference {difference:+}).",
        subject=subject,
        quote=sentence,
    )


def _prose_findings(
    declared: Rule, report: Report, side: _Side, subject: str | None
) -> list[Finding]:
    found: list[Finding] = []
    for text in _prose_texts(report):
        taken: list[tuple[int, int]] = []
        for figure in declared.prose_figures:
            if figure.needle not in text:
                continue
            for match in figure.pattern.finditer(text):
                if _overlaps(match.span(), taken):
                    continue
                taken.append(match.span())
                stated = int(match["n"]) if "n" in figure.pattern.groupindex else 0
                quoted = match[0][:_SNIPPET]
                sentence = _sentence_of(text, *match.span())
                finding = _prose_finding(declared, figure, quoted, stated, side, subject, sentence)
                if finding is not None:
                    found.append(finding)
    return found


def _subject(issuer: str | None, years: str) -> str | None:
    if issuer is None and years == "?":
        return None
    return f"{issuer or '?'} {years}"


def _require_report(value: object, where: str) -> None:
    if not isinstance(value, Report2019 | Report2021):
        raise ReportFormatError(
            [Problem(where, f"expected a Report2019 or Report2021, got {type(value).__name__}")]
        )


def check(report: Report, *, rules: str | Iterable[str] | None = None) -> list[Finding]:
    """Every rule on one report: the equations that fail or cannot be assessed.

    ``rules`` selects families or rule ids (``"R,C"``, ``("H4", "C1")``; see
    :func:`~disclosure_schema.checks.rules.select_rules`); by default the R and H families
    run. The compliance family C runs only when selected.

    A report whose every equation holds gives ``[]``. Findings come in the order of
    :data:`~disclosure_schema.checks.rules.RULES`, then of the template's cells. The
    report is not changed and never rejected; cross-year rules (R4, R5, H1) are in
    :func:`check_series`. Rows a report added beyond the template (``extra_rows``) are
    not checked. Anything but a report raises :class:`ReportFormatError`.
    """
    _require_report(report, "")
    year = report.meta.year
    subject = _subject(report.meta.issuer, "?" if year is None else str(year))
    side = _side(report, year)
    values = side.values
    found: list[Finding] = []
    deferred = Finding._deferred
    severity: Severity
    difference: _Number | None
    for declared, equation, target, read_terms, weights, relation, cells in _report_equations(
        report.template
    ):
        actual = values[target]
        terms = read_terms(values)
        if None in terms:
            # not assessable; the sum is what it would be only when the target alone is empty
            found.append(
                deferred(
                    (_equation_texts, (declared, equation, side, None)),
                    rule=declared.id,
                    severity="not_assessable",
                    cells=cells,
                    expected=None,
                    actual=actual,
                    difference=None,
                    subject=subject,
                )
            )
            continue
        expected = sum(terms) if weights is None else sum(map(mul, weights, terms))
        if actual is None:
            severity, difference = "not_assessable", None
        elif (
            actual == expected
            if relation == 0
            else (actual <= expected if relation == 1 else actual >= expected)
        ):
            continue
        else:
            severity, difference = declared.severity, actual - expected
        found.append(
            deferred(
                (_equation_texts, (declared, equation, side, None)),
                rule=declared.id,
                severity=severity,
                cells=cells,
                expected=expected,
                actual=actual,
                difference=difference,
                subject=subject,
            )
        )
    for declared in _prose_rules(report.template):
        found.extend(_prose_findings(declared, report, side, subject))
    if rules is not None:
        # the compliance rules (family C, checks/_compliance.py) run only when selected
        return with_selected_rules(found, report, subject, rules)
    return found


@attrs.frozen
class _Plan:
    pairs: tuple[tuple[SeriesPair, Report, Report], ...]
    findings: tuple[Finding, ...]


def _series_rules(previous: Template, current: Template) -> tuple[Rule, ...]:
    return tuple(
        declared
        for declared in RULES
        if declared.scope == "series"
        and previous in declared.templates
        and current in declared.templates
    )


def _unplaced(report: Report, reason_zh: str, reason_en: str) -> Finding:
    year = report.meta.year
    return Finding(
        rule="R4",
        severity="not_assessable",
        cells=(),
        expected=None,
        actual=None,
        difference=None,
        message_zh=f"{reason_zh}，无法跨年度核对。",
        message_en=f"{reason_en}: cannot be compared across years.",
        subject=_subject(report.meta.issuer, "?" if year is None else str(year)),
    )


def _plan(reports: Iterable[Report]) -> _Plan:
    groups: dict[str, dict[int, list[Report]]] = {}
    findings: list[Finding] = []
    for position, report in enumerate(reports):
        _require_report(report, f"[{position}]")
        issuer, year = report.meta.issuer, report.meta.year
        if issuer is None or year is None:
            findings.append(
                _unplaced(report, "报告未注明发布机关或年度", "The report states no issuer or year")
            )
            continue
        same_year = groups.setdefault(issuer, {}).setdefault(year, [])
        if report not in same_year:
            same_year.append(report)
    pairs: list[tuple[SeriesPair, Report, Report]] = []
    for issuer, by_year in groups.items():
        years = sorted(by_year)
        for year in years:
            if len(by_year[year]) > 1:
                findings.append(
                    _unplaced(
                        by_year[year][0],
                        f"同一机关同一年度有{len(by_year[year])}份不同的报告",
                        f"{len(by_year[year])} different reports for the same issuer and year",
                    )
                )
        for earlier, later in pairwise(years):
            previous, current = by_year[earlier][0], by_year[later][0]
            if later - earlier != 1:
                reason = f"years {earlier} and {later} are not consecutive"
            elif len(by_year[earlier]) > 1 or len(by_year[later]) > 1:
                reason = "more than one report for one of the years"
            else:
                reason = ""
            rules = (
                ()
                if reason
                else tuple(r.id for r in _series_rules(previous.template, current.template))
            )
            pairs.append((SeriesPair(issuer, earlier, later, rules, reason), previous, current))
    return _Plan(tuple(pairs), tuple(findings))


def series_pairs(reports: Iterable[Report]) -> list[SeriesPair]:
    """The pairs :func:`check_series` considers: per issuer, consecutive years in order."""
    return [pair for pair, _, _ in _plan(reports).pairs]


def check_series(reports: Iterable[Report]) -> list[Finding]:
    """The cross-year rules (R4, R5, H1) on every pair of consecutive years of one issuer.

    Findings carry ``subject`` ``"<issuer> <N−1>→<N>"``. Those about reports that cannot be
    placed come first, then the rest issuer by issuer (in order of first appearance) and
    year by year; see :func:`series_pairs` for which pairs were
    compared. The single-report rules are not applied here: call :func:`check` for those.
    """
    plan = _plan(reports)
    found = list(plan.findings)
    for pair, previous, current in plan.pairs:
        if not pair.rules:
            continue
        subject = f"{pair.issuer} {pair.previous_year}→{pair.current_year}"
        before = _side(previous, pair.previous_year)
        after = _side(current, pair.current_year)
        for rule_id in pair.rules:
            declared = rule(rule_id)
            for equation in equations(rule_id, current.template):
                finding = _evaluate(declared, equation, after, before, subject)
                if finding is not None:
                    found.append(finding)
    return found
