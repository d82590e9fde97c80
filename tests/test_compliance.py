"""The compliance rules (family C): per rule a passing and a failing report, cut pages.

Reports are built from examples/example-2021.json and examples/chengguan-2020.json with
prose of our own writing (never a real report's words).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema import (
    Appeals,
    DisclosureSchemaError,
    Finding,
    Proactive2021,
    Prose,
    ProsePart,
    Report2019,
    Report2021,
    ReportFormatError,
    WrittenValue,
    check,
    check_compliance,
    from_json,
    parse_text,
    render_text,
    select_rules,
    to_json,
)
from disclosure_schema.checks import (
    DEFAULT_FAMILIES,
    RULES,
    RuleSelectionError,
    body_kind,
    completeness,
    rule_family,
)
from disclosure_schema.checks._compliance import (
    PROBLEMS_MIN_CHARS,
    extent,
    preamble_of,
    preamble_of_page,
)
from disclosure_schema.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared")
CORPUS = sorted((SHARED / "corpus" / "excerpts").glob("*.txt"))
SEED = SHARED / "seed" / "chengguan-2020.txt"

OVERVIEW = Prose(
    paragraphs=("本年度，本局按照条例要求推进政府信息公开工作。",),
    parts=(
        ProsePart(
            heading="（一）主动公开", paragraphs=("通过门户网站及时公开政策文件和工作动态。",)
        ),
        ProsePart(
            heading="（二）依申请公开", paragraphs=("依法办理政府信息公开申请，均按期答复。",)
        ),
        ProsePart(
            heading="（三）政府信息管理", paragraphs=("健全发布审核制度，定期清理已公开信息。",)
        ),
        ProsePart(
            heading="（四）政府信息公开平台建设", paragraphs=("维护公开专栏，完善栏目设置。",)
        ),
        ProsePart(heading="（五）监督保障", paragraphs=("将政务公开纳入年度考核，组织业务培训。",)),
    ),
)
PROBLEMS = Prose(
    paragraphs=(
        "一是部分栏目更新不够及时，信息公开的时效性有待提高；二是政策解读形式较为单一。"
        "上一年度指出的专栏更新滞后问题已完成整改。",
        "下一步，本局将加强审核把关，完善栏目更新机制，提升政策解读质量。",
    )
)
OTHER = Prose(
    parts=(
        ProsePart(heading="（一）收取信息处理费情况", paragraphs=("本年度未收取信息处理费。",)),
        ProsePart(heading="（二）其他", paragraphs=("无其他需要报告的事项。",)),
    )
)


def _load(name: str) -> Any:
    return from_json((ROOT / "examples" / name).read_text(encoding="utf-8"))


def good() -> Report2021:
    """The 2021 example with complete prose of our own: every C rule passes."""
    report = _load("example-2021.json")
    assert isinstance(report, Report2021)
    meta = attrs.evolve(report.meta, issuer="示例县示例局")
    return attrs.evolve(
        report, meta=meta, overview=OVERVIEW, problems=PROBLEMS, other_matters=OTHER
    )


def good_2019() -> Report2019:
    report = _load("chengguan-2020.json")
    assert isinstance(report, Report2019)
    return attrs.evolve(report, overview=OVERVIEW, problems=PROBLEMS, other_matters=OTHER)


def with_meta(report: Any, **changes: Any) -> Any:
    return attrs.evolve(report, meta=attrs.evolve(report.meta, **changes))


def c(report: Any, **kwargs: Any) -> list[Finding]:
    return check_compliance(report, **kwargs)


def of(findings: list[Finding], rule: str) -> list[Finding]:
    return [finding for finding in findings if finding.rule == rule]


def only(findings: list[Finding], rule: str) -> Finding:
    found = of(findings, rule)
    assert len(found) == 1, findings
    return found[0]


# --- declarations and selection ------------------------------------------------------------


def test_compliance_rules_are_declared_beside_r_and_h() -> None:
    declared = [rule for rule in RULES if rule_family(rule.id) == "C"]
    assert [rule.id for rule in declared] == [f"C{n}" for n in range(1, 11)]
    for rule in declared:
        assert rule.severity in ("error", "warning")
        assert rule.description_zh
        assert rule.description_en
        assert rule.source_zh
        assert rule.templates


def test_selection_by_family_and_id() -> None:
    assert select_rules("C") == tuple(f"C{n}" for n in range(1, 11))
    assert select_rules(["h4", "C3"]) == ("H4", "C3")
    with pytest.raises(RuleSelectionError, match="families are C, H, R"):
        select_rules("X")
    with pytest.raises(DisclosureSchemaError):
        check(good(), rules="C99")


def test_check_runs_c_only_when_selected() -> None:
    broken = attrs.evolve(good(), problems=Prose(paragraphs=("无",)))
    assert {rule_family(f.rule) for f in check(broken)} <= set(DEFAULT_FAMILIES)
    assert [f.rule for f in check(broken, rules="C")] == ["C3"]
    assert [f.rule for f in check(broken, rules="R,C3")] == ["C3"]
    assert check(broken, rules="R") == check(broken)[: len(check(broken, rules="R"))]


def test_the_good_report_passes_every_c_rule() -> None:
    assert c(good()) == []
    assert c(good_2019()) == []


# --- C1 six sections ----------------------------------------------------------------------


def test_c1_a_missing_section_before_the_last_is_named() -> None:
    finding = only(c(attrs.evolve(good(), problems=Prose())), "C1")
    assert finding.severity == "error"
    assert finding.cells == ("problems",)
    assert "problems" in finding.message_zh


def test_c1_a_blank_table_is_missing_or_blank() -> None:
    finding = only(c(attrs.evolve(good(), appeals=Appeals())), "C1")
    assert (finding.severity, finding.cells) == ("error", ("appeals",))
    assert "blank" in finding.message_en


def test_c1_a_last_section_missing_after_a_clean_end_is_an_error() -> None:
    finding = only(c(attrs.evolve(good(), other_matters=Prose())), "C1")
    assert (finding.severity, finding.cells) == ("error", ("other_matters",))


def test_c1_after_a_cut_the_sections_are_not_assessable() -> None:
    cut = Prose(
        paragraphs=("一是部分栏目更新不够及时，信息公开的时效性有待提高；二是政策解读形式",)
    )
    report = attrs.evolve(good(), problems=cut, other_matters=Prose())
    finding = only(c(report), "C1")
    assert (finding.severity, finding.cells) == ("not_assessable", ("other_matters",))
    # told the text is whole, it is missing
    assert only(c(report, complete=True), "C1").severity == "error"


def test_c1_a_cut_after_section_one_leaves_the_tables_not_assessable() -> None:
    # the page may end in a table header, before any value: nothing of it reaches the report
    report = Report2021(meta=good().meta, overview=OVERVIEW)
    findings = of(c(report), "C1")
    assert [f.cells[0] for f in findings] == [
        "proactive",
        "requests",
        "appeals",
        "problems",
        "other_matters",
    ]
    assert {f.severity for f in findings} == {"not_assessable"}


def test_c1_no_title_and_no_section_one_may_be_a_page_starting_mid_report() -> None:
    report = with_meta(attrs.evolve(good(), overview=Prose()), title=None)
    assert only(c(report), "C1").severity == "not_assessable"
    assert only(c(attrs.evolve(good(), overview=Prose())), "C1").severity == "error"


def test_c1_signature_and_date_lines_end_a_report_cleanly() -> None:
    signed = attrs.evolve(
        good(),
        problems=Prose(paragraphs=(*PROBLEMS.paragraphs, "示例县示例局", "2024年1月20日")),
        other_matters=Prose(),
    )
    assert extent(signed).clean_end
    assert only(c(signed), "C1").severity == "error"


# --- C2 five aspects ----------------------------------------------------------------------


def test_c2_a_missing_aspect_is_named() -> None:
    parts = tuple(part for part in OVERVIEW.parts if "平台" not in part.heading)
    finding = only(c(attrs.evolve(good(), overview=Prose(parts=parts))), "C2")
    assert finding.severity == "warning"
    assert "平台建设" in finding.message_zh
    assert "主动公开" not in finding.message_zh
    assert finding.cells == ("overview",)
    assert finding.quote is not None
    assert "（一）主动公开" in finding.quote


def test_c2_a_clear_paragraph_counts_like_a_heading() -> None:
    paragraphs = tuple(
        f"{lead}{part.heading[3:]}方面，{part.paragraphs[0]}"
        for lead, part in zip("一二三四五", OVERVIEW.parts, strict=True)
    )
    assert of(c(attrs.evolve(good(), overview=Prose(paragraphs=paragraphs))), "C2") == []


def test_c2_in_a_section_that_may_be_cut_a_missing_aspect_is_not_assessable() -> None:
    report = Report2021(meta=good().meta, overview=Prose(parts=OVERVIEW.parts[:2]))
    assert only(c(report), "C2").severity == "not_assessable"


# --- C3 C4 C5 section 五 ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["无", "暂无。", "无。", "（无）"])
def test_c3_none_alone_is_an_error(text: str) -> None:
    finding = only(c(attrs.evolve(good(), problems=Prose(paragraphs=(text,)))), "C3")
    assert (finding.severity, finding.cells, finding.quote) == ("error", ("problems",), text)
    assert of(c(attrs.evolve(good(), problems=Prose(paragraphs=(text,)))), "C4") == []


def test_c4_boilerplate_below_the_threshold_is_a_warning() -> None:
    thin = Prose(paragraphs=("下一步，我局将继续加强政府信息公开工作。",))
    finding = only(c(attrs.evolve(good(), problems=thin)), "C4")
    assert finding.severity == "warning"
    assert f"少于{PROBLEMS_MIN_CHARS}" in finding.message_zh
    assert "未写问题" in finding.message_zh


def test_c4_long_text_without_problems_is_a_warning() -> None:
    measures = "下一步将加强审核把关，完善栏目更新机制，提升政策解读质量，推进平台建设。" * 3
    finding = only(c(attrs.evolve(good(), problems=Prose(paragraphs=(measures,)))), "C4")
    assert "未写问题" in finding.message_zh
    assert "少于" not in finding.message_zh


def test_c5_previous_year_not_mentioned_is_a_warning_on_2021_only() -> None:
    text = tuple(p.replace("上一年度", "本年度") for p in PROBLEMS.paragraphs)
    finding = only(c(attrs.evolve(good(), problems=Prose(paragraphs=text))), "C5")
    assert finding.severity == "warning"
    assert of(c(attrs.evolve(good_2019(), problems=Prose(paragraphs=text))), "C5") == []
    # the previous year's number counts too
    named = tuple(p.replace("本年度指出", "2022年指出") for p in text)
    assert of(c(attrs.evolve(good(), problems=Prose(paragraphs=named))), "C5") == []


# --- C6 C7 section 六 and 信息处理费 --------------------------------------------------------


def test_c6_none_alone_falls_short() -> None:
    finding = only(c(attrs.evolve(good(), other_matters=Prose(paragraphs=("无。",)))), "C6")
    assert (finding.severity, finding.cells) == ("warning", ("other_matters",))
    assert "只写“无”" in finding.message_zh


def test_c6_no_mention_of_the_fee_falls_short_on_2021_only() -> None:
    other = Prose(paragraphs=("本年度无其他需要报告的事项。",))
    finding = only(c(attrs.evolve(good(), other_matters=other)), "C6")
    assert "未说明信息处理费" in finding.message_zh
    assert of(c(attrs.evolve(good_2019(), other_matters=other)), "C6") == []


def test_c7_a_fee_collected_elsewhere_contradicts_none_in_six() -> None:
    parts = (
        *OVERVIEW.parts[:1],
        ProsePart(
            heading="（二）依申请公开",
            paragraphs=("依法办理政府信息公开申请，按规定收取信息处理费120元。",),
        ),
        *OVERVIEW.parts[2:],
    )
    report = attrs.evolve(good(), overview=Prose(parts=parts))
    finding = only(c(report), "C7")
    assert finding.severity == "error"
    assert finding.cells == ("other_matters", "overview")
    assert "120元" in finding.message_zh
    assert "未收取" in finding.message_zh
    assert of(c(good()), "C7") == []


def test_c7_never_compares_table_two_fees() -> None:
    # 行政事业性收费 (proactive.fees) is not the 信息处理费 charged to applicants
    fees = attrs.evolve(good().proactive.fees, amount=Decimal("9.5"))
    report = attrs.evolve(good(), proactive=attrs.evolve(good().proactive, fees=fees))
    assert c(report) == []


# --- C8 statistics period -----------------------------------------------------------------


def test_c8_the_report_year_passes() -> None:
    preamble = "本报告所列数据的统计期限为2023年1月1日至2023年12月31日。"
    assert c(good(), preamble=preamble) == []
    assert c(good(), preamble="统计期限自2023年1月1日起至12月31日止。") == []


def test_c8_another_year_is_an_error() -> None:
    preamble = "本报告所列数据的统计期限为2022年1月1日至2022年12月31日。"
    finding = only(c(good(), preamble=preamble), "C8")
    assert (finding.severity, finding.cells) == ("error", ("preamble", "meta.year"))
    assert finding.quote == preamble


def test_c8_a_period_in_section_one_is_read_too() -> None:
    overview = attrs.evolve(OVERVIEW, paragraphs=("数据统计期限为2023年1月1日至2023年11月30日。",))
    finding = only(c(attrs.evolve(good(), overview=overview)), "C8")
    assert finding.cells == ("overview", "meta.year")


def test_c8_garbled_dates_are_not_assessable() -> None:
    finding = only(c(good(), preamble="本报告统计期限自202311日起至20231231日止。"), "C8")
    assert finding.severity == "not_assessable"


# --- C9 deadline --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("示例市生态环境局", "department"),
        ("示例县人民政府办公室", "department"),
        ("示例市示例区人民政府", "government"),
        ("示例县人民政府", "government"),
        ("示例县示例镇人民政府", "township"),
        ("示例区示例街道办事处", "township"),
        ("示例镇党政办", "township"),
        ("示例县乡村振兴局", "department"),
        ("示例市人民政府（市政府办公室）", "unknown"),
        ("示例机关", "unknown"),
        (None, "unknown"),
    ],
)
def test_body_kind_from_the_name(name: str | None, kind: str) -> None:
    assert body_kind(name) == kind


@pytest.mark.parametrize(
    ("issuer", "published", "late"),
    [
        ("示例县示例局", dt.date(2024, 1, 31), False),
        ("示例县示例局", dt.date(2024, 2, 1), True),
        ("示例县人民政府", dt.date(2024, 3, 31), False),
        ("示例县人民政府", dt.date(2024, 4, 1), True),
    ],
)
def test_c9_deadline(issuer: str, published: dt.date, late: bool) -> None:
    findings = of(c(with_meta(good(), issuer=issuer, published=published)), "C9")
    assert [f.severity for f in findings] == (["error"] if late else [])
    if late:
        assert findings[0].cells == ("meta.published", "meta.issuer")
        assert "2024-" in findings[0].message_zh


def test_c9_unknown_kind_is_not_assessable_and_unknown_date_is_silent() -> None:
    township = with_meta(good(), issuer="示例镇人民政府", published=dt.date(2024, 5, 1))
    assert only(c(township), "C9").severity == "not_assessable"
    assert of(c(with_meta(good(), published=None)), "C9") == []


# --- C10 table without values -------------------------------------------------------------


def test_c10_a_table_of_slashes_has_no_values() -> None:
    written = tuple(
        WrittenValue(key=f"proactive.{row}.decisions", text="/")
        for row in ("licensing", "penalties", "enforcement")
    )
    report = attrs.evolve(good(), proactive=Proactive2021(), as_written=written)
    finding = only(c(report), "C10")
    assert (finding.severity, finding.cells, finding.quote) == ("warning", ("proactive",), "/ / /")
    assert of(c(report), "C1") == []


# --- real pages ---------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS, reason="the shared corpus is not on this machine")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_excerpts_give_no_false_error(path: Path) -> None:
    """Excerpts are cut after ~2000 bytes: sections after the cut are not assessable."""
    text = path.read_text(encoding="utf-8")
    result = parse_text(text)
    report = result.report
    assert report is not None
    errors = [f for f in check(report, rules="C") if f.severity == "error"]
    assert errors == []
    # with the preamble and what the parse says of the end, still no error
    told = check_compliance(report, preamble=preamble_of(text), complete=completeness(result))
    assert [f for f in told if f.severity == "error"] == []


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed report is not on this machine")
def test_the_seed_report_meets_every_c_rule() -> None:
    text = SEED.read_text(encoding="utf-8")
    report = parse_text(text).report
    assert report is not None
    assert check_compliance(report) == []
    # its preamble states the period with digits lost (年 and 月 gone): not assessable
    finding = only(check_compliance(report, preamble=preamble_of(text)), "C8")
    assert finding.severity == "not_assessable"
    # its publication date is not on the page; were it, a township's deadline is local
    dated = with_meta(report, published=dt.date(2021, 1, 20))
    assert only(check_compliance(dated), "C9").severity == "not_assessable"


# --- command line -------------------------------------------------------------------------


def test_cli_check_selects_families_and_counts_them(tmp_path: Path) -> None:
    broken = attrs.evolve(good(), problems=Prose(paragraphs=("暂无。",)))
    path = tmp_path / "broken.json"
    path.write_text(to_json(broken), encoding="utf-8")
    runner = CliRunner()
    default = runner.invoke(main, ["check", "-v", str(path)])
    assert default.exit_code == 0, default.output
    assert "-- R: 0 error, 0 warning, 0 not_assessable; H: 0 error" in default.output
    selected = runner.invoke(main, ["check", str(path), "--rules", "R,C", "--format", "json"])
    assert selected.exit_code == 1, selected.output
    (record,) = orjson.loads(selected.stdout)
    assert [f["rule"] for f in record["findings"]] == ["C3"]
    assert record["findings"][0]["quote"] == "暂无。"
    assert record["families"] == {
        "R": {"error": 0, "warning": 0, "not_assessable": 0},
        "C": {"error": 1, "warning": 0, "not_assessable": 0},
    }
    refused = runner.invoke(main, ["check", str(path), "--rules", "Z"])
    assert refused.exit_code == 2
    assert "no rule or family 'Z'" in refused.output


# --- H4: prose figures restating a table cell ---------------------------------------------


def _said(report: Any, text: str) -> Any:
    return attrs.evolve(
        report, overview=Prose(parts=(ProsePart(heading="（二）", paragraphs=(text,)),))
    )


@pytest.mark.parametrize(
    ("prose", "cells", "passes"),
    [
        ("全年共受理政府信息公开申请52件，均按期答复。", ("requests.received.total",), True),
        ("全年共受理政府信息公开申请50件，均按期答复。", ("requests.received.total",), False),
        (
            "全年共受理政府信息公开申请56件（其中上年结转4件）。",
            ("requests.received.total", "requests.carried_over.total"),
            True,
        ),
        (
            "全年共受理政府信息公开申请52件（其中上年结转4件）。",
            ("requests.received.total", "requests.carried_over.total"),
            False,
        ),
        ("本年度被申请行政复议4件。", ("appeals.review.total",), True),
        ("本年度被申请行政复议3件。", ("appeals.review.total",), False),
    ],
)
def test_h4_common_phrasings(prose: str, cells: tuple[str, ...], passes: bool) -> None:
    findings = check(_said(good(), prose), rules="H4")
    if passes:
        assert findings == []
        return
    (finding,) = findings
    assert (finding.severity, finding.cells) == ("warning", cells)
    assert finding.quote == prose


def test_h4_quotes_the_sentence_and_leaves_proactive_counts_alone() -> None:
    text = "本年度主动公开政府信息120条。全年共收到政府信息公开申请50件，均按期答复。另无其他。"
    (finding,) = check(_said(good(), text), rules="H4")
    assert finding.quote == "全年共收到政府信息公开申请50件，均按期答复。"


def test_c6_c7_a_fee_heading_with_none_under_it_is_a_statement() -> None:
    heading = ProsePart(heading="（一）收取信息处理费情况", paragraphs=("无。",))
    report = attrs.evolve(good(), other_matters=Prose(parts=(heading,)))
    assert c(report) == []
    charged = Prose(paragraphs=("本年度收取信息处理费50元。",), parts=OVERVIEW.parts)
    assert only(c(attrs.evolve(report, overview=charged)), "C7").severity == "error"


def test_anything_but_a_report_is_refused_with_our_error() -> None:
    with pytest.raises(ReportFormatError, match="expected a Report2019 or Report2021"):
        check_compliance({"template": "2021"})  # type: ignore[arg-type]


_PROSE = list("一二三（）问题不足改进措施加强无暂没有未收取信息处理费元")
_PROSE += list("0123456789年月日至统计期限上年。，；：\n ")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text(alphabet=_PROSE, max_size=80), max_size=3),
    st.lists(st.text(alphabet=_PROSE, max_size=80), max_size=3),
    st.one_of(st.none(), st.text(alphabet=_PROSE, max_size=120)),
)
def test_c_rules_on_any_prose_never_raise(
    problems: list[str], other: list[str], preamble: str | None
) -> None:
    report = attrs.evolve(
        good(),
        problems=Prose(paragraphs=tuple(problems)),
        other_matters=Prose(paragraphs=tuple(other)),
    )
    for finding in check_compliance(report, preamble=preamble):
        assert rule_family(finding.rule) == "C"
        assert finding.severity in ("error", "warning", "not_assessable")
        assert finding.cells
        assert finding.quote is None or len(finding.quote) <= 40


def test_c_rules_finish_on_long_hostile_text() -> None:
    # growth with size belongs in bench/; a backtracking pattern would hang here
    text = ("收取信息处理费" + "。 " * 50 + "统计期限2023年1月" + "1" * 30) * 2_000
    report = attrs.evolve(
        good(), problems=Prose(paragraphs=(text,)), other_matters=Prose(paragraphs=(text,))
    )
    assert all(rule_family(f.rule) == "C" for f in check_compliance(report, preamble=text))


def test_cli_reads_a_page_preamble_for_the_statistics_period(tmp_path: Path) -> None:
    title, rest = render_text(good()).split("\n", 1)
    for year, code in ((2023, 0), (2022, 1)):
        period = f"本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"
        page = tmp_path / f"page-{year}.txt"
        page.write_text(f"{title}\n\n{period}\n{rest}", encoding="utf-8")
        assert preamble_of_page(page) is not None
        result = CliRunner().invoke(main, ["check", str(page), "--rules", "C8"])
        assert result.exit_code == code, result.output
    assert preamble_of_page(tmp_path / "missing.txt") is None
    assert preamble_of_page(ROOT / "examples" / "example-2021.json") is None
