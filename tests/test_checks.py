"""The consistency checks: per rule a passing and a failing report, empty cells, series."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema import (
    RULES,
    Finding,
    Meta,
    Prose,
    ProsePart,
    Report,
    Report2019,
    Report2021,
    ReportFormatError,
    SeriesPair,
    cell_value,
    check,
    check_series,
    empty_report,
    from_json,
    series_pairs,
)
from disclosure_schema.checks import equations
from tests.strategies import reports, reports_of

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
NP = "natural_person"
_APPEALS = (
    "appeals.review.total",
    "appeals.litigation_direct.total",
    "appeals.litigation_after_review.total",
)


def _load(name: str) -> Any:
    return from_json((ROOT / "examples" / name).read_text(encoding="utf-8"))


def chengguan() -> Report2019:
    report = _load("chengguan-2020.json")
    assert isinstance(report, Report2019)
    return report


def example() -> Report2021:
    report = _load("example-2021.json")
    assert isinstance(report, Report2021)
    return report


def with_cell(report: Any, key: str, value: object) -> Any:
    """The report with one cell (dotted key) replaced."""
    head, _, rest = key.partition(".")
    if not rest:
        return attrs.evolve(report, **{head: value})
    return attrs.evolve(report, **{head: with_cell(getattr(report, head), rest, value)})


def bump(report: Any, key: str, by: int) -> Any:
    return with_cell(report, key, cell_value(report, key) + by)


def only(findings: list[Finding], rule: str) -> Finding:
    of_rule = [finding for finding in findings if finding.rule == rule]
    assert len(of_rule) == 1, of_rule
    return of_rule[0]


def with_prose(report: Any, *paragraphs: str) -> Any:
    return attrs.evolve(
        report, overview=Prose(parts=(ProsePart(heading="（二）", paragraphs=paragraphs),))
    )


# --- clean reports -------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_bundled_examples_check_clean(path: Path) -> None:
    assert check(from_json(path.read_text(encoding="utf-8"))) == []


def test_the_2020_sample_report_checks_clean() -> None:
    assert check(chengguan()) == []


# --- R0 … R3 on one report ------------------------------------------------------------------


def test_r0_failing_names_the_column_and_difference() -> None:
    report = bump(example(), f"requests.carried_forward.{NP}", 1)
    finding = only(check(report), "R0")
    assert finding.severity == "error"
    assert finding.cells == (
        f"requests.outcomes.total.{NP}",
        f"requests.received.{NP}",
        f"requests.carried_over.{NP}",
        f"requests.carried_forward.{NP}",
    )
    assert (finding.actual, finding.expected, finding.difference) == (41, 40, 1)
    assert finding.subject == "示例县示例局（示例数据，非真实机关） 2023"


def test_r1_failing_names_every_leaf_row_and_difference() -> None:
    report = bump(example(), f"requests.outcomes.withheld.state_secret.{NP}", 2)
    finding = only(check(report), "R1")
    assert finding.cells[0] == f"requests.outcomes.total.{NP}"
    assert len(finding.cells) == 1 + 21  # 2021: （一）（二）, 8 + 3 + 5, （六）1–3
    assert f"requests.outcomes.other.fee_unpaid.{NP}" in finding.cells
    assert finding.difference == -2


def test_r1_on_template_2019_uses_the_single_other_row() -> None:
    report = bump(chengguan(), "requests.outcomes.other.total", 1)
    finding = only(check(report), "R1")
    assert len(finding.cells) == 1 + 19
    assert "requests.outcomes.other.total" in finding.cells
    assert finding.difference == -1


def test_r2_failing_names_the_row_and_difference() -> None:
    report = bump(example(), "requests.received.commercial_enterprise", 1)
    finding = only(check(report), "R2")
    assert finding.cells == (
        "requests.received.total",
        "requests.received.natural_person",
        "requests.received.commercial_enterprise",
        "requests.received.research_institution",
        "requests.received.social_welfare_organization",
        "requests.received.legal_service_organization",
        "requests.received.other_organization",
    )
    assert (finding.actual, finding.expected, finding.difference) == (52, 53, -1)


def test_r3_failing_names_the_row_and_difference() -> None:
    report = bump(example(), "appeals.litigation_direct.total", 3)
    finding = only(check(report), "R3")
    assert finding.cells == (
        "appeals.litigation_direct.total",
        "appeals.litigation_direct.upheld",
        "appeals.litigation_direct.corrected",
        "appeals.litigation_direct.other",
        "appeals.litigation_direct.pending",
    )
    assert (finding.actual, finding.expected, finding.difference) == (5, 2, 3)
    assert "差 +3" in finding.message_zh
    assert "difference +3" in finding.message_en


# --- empty cells ----------------------------------------------------------------------------


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_an_all_empty_report_is_only_not_assessable(template: str) -> None:
    findings = check(empty_report(template))
    assert {finding.severity for finding in findings} == {"not_assessable"}
    expected = sum(len(equations(rule.id, template)) for rule in RULES if rule.scope == "report")
    assert len(findings) == expected
    assert all(finding.difference is None for finding in findings)


def test_blank_organization_columns_are_not_assessable_not_errors() -> None:
    # The common real shape: only 自然人 and 总计 filled, the organization columns blank.
    report = example()
    row = attrs.evolve(
        report.requests.received,
        commercial_enterprise=None,
        research_institution=None,
        social_welfare_organization=None,
        legal_service_organization=None,
        other_organization=None,
        total=40,
    )
    report = with_cell(report, "requests.received", row)
    findings = [f for f in check(report) if "requests.received.total" in f.cells]
    r2 = only(findings, "R2")
    assert r2.severity == "not_assessable"
    assert r2.actual == 40
    assert r2.expected is None
    assert "5个单元格为空" in r2.message_zh
    assert not [f for f in check(report) if f.severity == "error" and f.rule == "R2"]


def test_an_empty_target_reports_the_computed_value() -> None:
    report = with_cell(example(), "requests.received.total", None)
    r2 = only(check(report), "R2")
    assert (r2.severity, r2.actual, r2.expected) == ("not_assessable", None, 52)


@settings(max_examples=150, deadline=None)
@given(reports)
def test_no_error_on_an_equation_with_an_empty_cell(report: Report) -> None:
    for finding in check(report):
        values = [cell_value(report, key) for key in finding.cells]
        if finding.severity == "not_assessable":
            assert None in values or finding.rule == "H4"
        else:
            assert None not in values
            assert finding.difference is not None
            assert finding.difference != 0 or finding.rule in {"H2", "H3"}


# --- heuristics on one report ---------------------------------------------------------------


def test_h2_published_more_than_produced() -> None:
    report = with_cell(chengguan(), "proactive.regulations.produced", 5)
    report = with_cell(report, "proactive.regulations.published", 3)
    assert check(with_cell(report, "proactive.regulations.total_published", 3)) == []
    finding = only(check(with_cell(report, "proactive.regulations.total_published", 1)), "H2")
    assert finding.severity == "warning"
    assert finding.cells == (
        "proactive.regulations.total_published",
        "proactive.regulations.published",
    )
    assert (finding.actual, finding.expected, finding.difference) == (1, 3, -2)
    more = with_cell(report, "proactive.regulations.published", 6)
    more = with_cell(more, "proactive.regulations.total_published", 6)
    finding = only(check(more), "H2")
    assert finding.cells == ("proactive.regulations.published", "proactive.regulations.produced")
    assert finding.difference == 1


def test_h3_this_years_item_count_not_negative() -> None:
    report = with_cell(chengguan(), "proactive.other_services.change", -213)
    assert check(report) == []
    finding = only(check(with_cell(report, "proactive.other_services.change", -300)), "H3")
    assert finding.severity == "warning"
    assert finding.cells == (
        "proactive.other_services.change",
        "proactive.other_services.previous_items",
    )
    assert (finding.actual, finding.expected, finding.difference) == (-300, -213, -87)


def test_h4_received_figure_in_prose() -> None:
    report = with_prose(example(), "本年度共收到政府信息公开申请52件，均按期答复。")
    assert check(report) == []
    report = with_prose(example(), "本年度共收到政府信息公开申请55件，均按期答复。")
    finding = only(check(report), "H4")
    assert finding.severity == "warning"
    assert finding.cells == ("requests.received.total",)
    assert (finding.actual, finding.expected, finding.difference) == (55, 52, 3)
    assert "收到政府信息公开申请55件" in finding.message_zh


def test_h4_review_litigation_and_combined_figures() -> None:
    clean = with_prose(example(), "被申请行政复议4件，提起行政诉讼3件。")
    assert check(clean) == []
    findings = check(with_prose(example(), "被申请行政复议5件，提起行政诉讼2起。"))
    assert [(f.cells, f.difference) for f in findings] == [
        (("appeals.review.total",), 1),
        (("appeals.litigation_direct.total", "appeals.litigation_after_review.total"), -1),
    ]
    combined = only(check(with_prose(example(), "行政复议、行政诉讼共6件。")), "H4")
    assert combined.cells == (
        "appeals.review.total",
        "appeals.litigation_direct.total",
        "appeals.litigation_after_review.total",
    )
    assert combined.difference == -1


def test_h4_stated_zero() -> None:
    report = with_prose(chengguan(), "本年度未收到政府信息公开申请，未发生行政复议、行政诉讼。")
    assert check(report) == []
    finding = only(check(bump(report, "requests.received.total", 1)), "H4")
    assert (finding.actual, finding.expected, finding.difference) == (0, 1, -1)


@pytest.mark.parametrize(
    ("prose", "cells", "stated"),
    [
        ("全年共受理3份政府信息公开申请。", ("requests.received.total",), 3),
        ("本年度无新收到的政府信息公开申请。", ("requests.received.total",), 0),
        ("去年未接收到依申请公开的请求。", ("requests.received.total",), 0),
        ("收到涉及信息公开的行政复议申请2件。", ("appeals.review.total",), 2),
        ("无因信息公开引起的行政复议和诉讼。", _APPEALS, 0),
        ("被申请行政复议和提起行政诉讼共6件。", _APPEALS, 6),
        ("被申请行政复议和提起行政诉讼均为6件。", _APPEALS[1:], 6),
    ],
)
def test_h4_phrasings(prose: str, cells: tuple[str, ...], stated: int) -> None:
    finding = only(check(with_prose(example(), prose)), "H4")
    assert (finding.cells, finding.actual) == (cells, stated)


def test_h4_ignores_figures_that_are_not_counts_of_applications() -> None:
    report = with_prose(example(), "收到申请后5个工作日内答复；行政复议案件办理时限60日。")
    assert check(report) == []


def test_h4_with_an_empty_table_cell_is_not_assessable() -> None:
    report = with_prose(empty_report("2021"), "共收到政府信息公开申请7件。")
    finding = only(check(report), "H4")
    assert (finding.severity, finding.actual, finding.expected) == ("not_assessable", 7, None)


_PROSE_ALPHABET = list("收到新受理申请件份起行政复议诉讼、和及各均未无没有0123456789０１，。；: \n")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=_PROSE_ALPHABET, max_size=120), max_size=3))
def test_h4_on_any_prose_never_raises(paragraphs: list[str]) -> None:
    for finding in check(with_prose(example(), *paragraphs)):
        assert finding.rule == "H4"
        assert isinstance(finding.actual, int)
        assert finding.actual >= 0
        assert finding.severity == "warning"


def test_h4_patterns_finish_on_long_hostile_text() -> None:
    # Growth with size is measured in bench/, not timed here; a backtracking pattern
    # would make this test hang instead of pass.
    text = ("收到" + "政" * 15 + "申请" + "请" * 7) * 20_000 + "行政复议" * 20_000
    assert all(f.rule == "H4" for f in check(with_prose(example(), text)))


# --- across years ---------------------------------------------------------------------------


def previous_of_example() -> Report2021:
    """The year before the 2021 example, consistent with it for R4 and H1."""
    report = example()
    report = attrs.evolve(report, meta=attrs.evolve(report.meta, year=2022))
    report = with_cell(report, "requests.carried_forward", report.requests.carried_over)
    report = with_cell(report, "proactive.regulations.in_force", 4)
    return with_cell(report, "proactive.normative_documents.in_force", 21)


def test_r4_and_h1_pass_on_consistent_years() -> None:
    reports = [example(), previous_of_example()]
    assert check_series(reports) == []
    assert series_pairs(reports) == [
        series_pair(example().meta.issuer, 2022, 2023, ("R4", "H1")),
    ]


def series_pair(issuer: str | None, before: int, after: int, rules: tuple[str, ...]) -> SeriesPair:
    assert issuer is not None
    return SeriesPair(issuer, before, after, rules)


def test_r4_failing_names_the_column_and_difference() -> None:
    previous = bump(previous_of_example(), f"requests.carried_forward.{NP}", 3)
    finding = only(check_series([example(), previous]), "R4")
    assert finding.cells == (f"requests.carried_over.{NP}", f"requests.carried_forward.{NP}")
    assert (finding.actual, finding.expected, finding.difference) == (3, 6, -3)
    assert finding.subject == "示例县示例局（示例数据，非真实机关） 2022→2023"
    assert "（2023年）" in finding.message_zh


def test_h1_failing_is_a_warning() -> None:
    previous = with_cell(previous_of_example(), "proactive.regulations.in_force", 6)
    finding = only(check_series([previous, example()]), "H1")
    assert finding.severity == "warning"
    assert finding.cells == (
        "proactive.regulations.in_force",
        "proactive.regulations.issued",
        "proactive.regulations.repealed",
    )
    assert (finding.actual, finding.expected, finding.difference) == (5, 7, -2)


def previous_of_chengguan(change: int) -> Report2019:
    report = chengguan()
    report = attrs.evolve(report, meta=attrs.evolve(report.meta, year=2019))
    report = with_cell(report, "proactive.other_services.previous_items", 213 - change)
    return with_cell(report, "proactive.other_services.change", change)


def test_r5_passes_and_fails() -> None:
    assert check_series([chengguan(), previous_of_chengguan(13)]) == []
    assert series_pairs([chengguan(), previous_of_chengguan(13)])[0].rules == ("R4", "R5")
    previous = with_cell(previous_of_chengguan(13), "proactive.other_services.change", 10)
    finding = only(check_series([chengguan(), previous]), "R5")
    assert finding.severity == "error"
    assert finding.cells == (
        "proactive.other_services.previous_items",
        "proactive.other_services.change",
    )
    assert (finding.actual, finding.expected, finding.difference) == (213, 210, 3)


def test_template_change_compares_r4_only() -> None:
    later = attrs.evolve(example(), meta=attrs.evolve(chengguan().meta, year=2021))
    pairs = series_pairs([chengguan(), later])
    assert [pair.rules for pair in pairs] == [("R4",)]
    findings = check_series([chengguan(), later])
    assert {finding.rule for finding in findings} == {"R4"}
    assert {finding.severity for finding in findings} == {"error"}


def test_year_gap_is_not_compared() -> None:
    later = attrs.evolve(chengguan(), meta=attrs.evolve(chengguan().meta, year=2022))
    pairs = series_pairs([chengguan(), later])
    assert pairs[0].rules == ()
    assert "not consecutive" in pairs[0].reason
    assert check_series([chengguan(), later]) == []


def test_reports_without_issuer_or_year_are_reported_not_compared() -> None:
    anonymous = attrs.evolve(chengguan(), meta=Meta(year=2021))
    findings = check_series([chengguan(), anonymous])
    assert [(f.rule, f.severity, f.cells, f.subject) for f in findings] == [
        ("R4", "not_assessable", (), "? 2021"),
    ]
    assert series_pairs([chengguan(), anonymous]) == []


def test_different_reports_for_one_year_are_not_compared() -> None:
    other = bump(chengguan(), "proactive.other_services.decisions", 1)
    previous = previous_of_chengguan(13)
    findings = check_series([chengguan(), other, previous, chengguan()])
    assert [(f.rule, f.severity) for f in findings] == [("R4", "not_assessable")]
    assert series_pairs([chengguan(), other, previous])[0].rules == ()


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["2019", "2021"]).flatmap(lambda t: st.tuples(reports_of(t), reports)))
def test_series_never_errs_on_an_empty_cell(pair: tuple[Report, Report]) -> None:
    earlier = attrs.evolve(pair[0], meta=Meta(issuer="甲", year=2020))
    later = attrs.evolve(pair[1], meta=Meta(issuer="甲", year=2021))
    for finding in check_series([later, earlier]):
        assert finding.subject == "甲 2020→2021"
        (equation,) = [
            e for e in equations(finding.rule, later.template) if e.cells == finding.cells
        ]
        terms = (equation.target, *equation.terms)
        values = [cell_value(earlier if t.previous_year else later, t.key) for t in terms]
        assert (None in values) == (finding.severity == "not_assessable")


def test_anything_but_a_report_is_refused_with_our_error() -> None:
    with pytest.raises(ReportFormatError, match="expected a Report2019 or Report2021, got dict"):
        check({})  # type: ignore[arg-type]
    with pytest.raises(ReportFormatError, match=r"\[1\]: expected"):
        check_series([example(), "x"])  # type: ignore[list-item]


# --- rendering and rule metadata ------------------------------------------------------------


def test_rule_ids_are_unique_and_cover_the_spec() -> None:
    ids = [rule.id for rule in RULES if not rule.id.startswith("C")]  # C: test_compliance.py
    assert ids == ["R0", "R1", "R2", "R3", "R4", "R5", "H1", "H2", "H3", "H4"]
    assert len(equations("R0", "2019")) == 7
    assert len(equations("R2", "2021")) == 25
    assert equations("R5", "2021") == ()
