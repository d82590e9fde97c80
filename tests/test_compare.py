"""Year over year: cell deltas (hidden values, both templates, across the template change),
empty is not zero, the crosswalk, findings, prose, pairing, the series table, JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from decimal import Decimal
from itertools import product
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings

from disclosure_schema import (
    TEMPLATES,
    ComparisonError,
    ExportError,
    Meta,
    Prose,
    ProsePart,
    Report,
    ReportFormatError,
    cell_kinds,
    cell_value,
    compare,
    compare_series,
    comparison_json_schema,
    comparison_to_dict,
    comparison_to_json,
    empty_report,
    from_dict,
    from_json,
    pair_by_body,
    to_dict,
    write_series,
)
from disclosure_schema._compare import SERIES_COLUMNS, normalize_issuer
from disclosure_schema._crosswalk import OTHER_GROUP_ROW, crosswalk
from tests.strategies import reports

ROOT = Path(__file__).resolve().parent.parent
BODY = "示例县示例局"
OTHER_2021 = ("no_correction", "fee_unpaid", "other")


def filled(
    template: str,
    value_of: Callable[[int, str], int | None],
    *,
    issuer: str | None = BODY,
    year: int | None = None,
) -> Report:
    """A report whose cell number ``i`` (template order), key ``key``, is ``value_of(i, key)``."""
    data: dict[str, Any] = to_dict(empty_report(template))
    for index, (key, kind) in enumerate(cell_kinds(template).items()):
        value = value_of(index, key)
        node = data
        *parents, name = key.split(".")
        for part in parents:
            node = node[part]
        node[name] = str(value) if kind == "amount" and value is not None else value
    report = from_dict(data)
    return attrs.evolve(report, meta=Meta(issuer=issuer, year=year))


def hidden_before(index: int, key: str) -> int:
    return 1 + index


def hidden_after(index: int, key: str) -> int:
    return 1000 + 7 * index


def with_cells(report: Report, values: dict[str, int | None]) -> Report:
    data = to_dict(report)
    for key, value in values.items():
        node = data
        *parents, name = key.split(".")
        for part in parents:
            node = node[part]
        node[name] = value
    return from_dict(data)


# --- cells ------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_hidden_values_same_template(template: str) -> None:
    before = filled(template, hidden_before, year=2022)
    after = filled(template, hidden_after, year=2023)
    comparison = compare(before, after)
    assert [change.key for change in comparison.cells] == list(cell_kinds(template))
    assert comparison.not_comparable == ()
    for change in comparison.cells:
        b, a = cell_value(before, change.key), cell_value(after, change.key)
        assert (change.before, change.after) == (b, a)
        assert a is not None
        assert b is not None
        assert change.delta == a - b
        assert change.relative == round(float(Decimal(a - b) / Decimal(b)), 4)
        assert not change.either_empty
        assert change.changed


def test_hidden_values_across_the_template_change() -> None:
    before = filled("2019", hidden_before, year=2020)
    after = filled("2021", hidden_after, year=2021)
    comparison = compare(before, after)
    shared = set(cell_kinds("2019")) & set(cell_kinds("2021"))
    compared = {change.key: change for change in comparison.cells}
    for key in shared:
        change = compared[key]
        assert change.before == cell_value(before, key)
        assert change.after == cell_value(after, key)
        assert change.delta == cell_value(after, key) - cell_value(before, key)  # type: ignore[operator]
    # 2019's single row （六）其他处理 against the sum of the 2021 group
    for column in ("natural_person", "total"):
        change = compared[f"{OTHER_GROUP_ROW}.{column}"]
        parts = [cell_value(after, f"{OTHER_GROUP_ROW}.{row}.{column}") for row in OTHER_2021]
        assert change.before == cell_value(before, f"{OTHER_GROUP_ROW}.{column}")
        assert change.after == sum(part for part in parts if part is not None)
        assert change.delta == change.after - change.before  # type: ignore[operator]
        assert len(change.after_cells) == 3
    # the blocks that differ are listed, with their values, never dropped
    missing = {(item.side, item.key): item for item in comparison.not_comparable}
    assert ("before", "proactive.procurement.amount") in missing
    assert ("after", "proactive.fees.amount") in missing
    item = missing[("after", "proactive.regulations.issued")]
    assert item.value == cell_value(after, "proactive.regulations.issued")
    assert "规章" in item.label_zh


def test_newer_template_before_the_older_one() -> None:
    before = filled("2021", hidden_before, year=2021)
    after = filled("2019", hidden_after, year=2022)
    change = compare(before, after).cell(f"{OTHER_GROUP_ROW}.total")
    parts = [cell_value(before, f"{OTHER_GROUP_ROW}.{row}.total") for row in OTHER_2021]
    assert change.before == sum(part for part in parts if part is not None)
    assert change.after == cell_value(after, f"{OTHER_GROUP_ROW}.total")


def test_amounts_stay_exact() -> None:
    key = "proactive.fees.amount"
    before = with_cells(empty_report("2021"), {})
    data_before = to_dict(before)
    data_before["proactive"]["fees"]["amount"] = "9.63211"
    data_after = to_dict(before)
    data_after["proactive"]["fees"]["amount"] = "10.1"
    change = compare(from_dict(data_before), from_dict(data_after)).cell(key)
    assert change.delta == Decimal("0.46789")
    assert comparison_to_dict(compare(from_dict(data_before), from_dict(data_after)))["cells"]


@pytest.mark.parametrize(
    ("before", "after", "delta", "either_empty", "changed"),
    [
        (None, 0, None, True, True),
        (0, None, None, True, True),
        (None, None, None, True, False),
        (0, 0, 0, False, False),
        (0, 5, 5, False, True),
    ],
)
def test_empty_is_not_zero(
    before: int | None, after: int | None, delta: int | None, either_empty: bool, changed: bool
) -> None:
    key = "requests.received.natural_person"
    change = compare(
        with_cells(empty_report("2021"), {key: before}),
        with_cells(empty_report("2021"), {key: after}),
    ).cell(key)
    assert (change.delta, change.either_empty, change.changed) == (delta, either_empty, changed)
    assert change.relative is None


def test_group_sum_with_an_empty_part_is_empty() -> None:
    before = with_cells(empty_report("2019"), {f"{OTHER_GROUP_ROW}.total": 2})
    after = with_cells(
        empty_report("2021"),
        {f"{OTHER_GROUP_ROW}.no_correction.total": 3, f"{OTHER_GROUP_ROW}.fee_unpaid.total": 0},
    )
    change = compare(before, after).cell(f"{OTHER_GROUP_ROW}.total")
    assert change.after is None
    assert change.delta is None
    assert change.either_empty
    assert change.note_en is not None
    assert "no sum" in change.note_en


# --- the crosswalk ----------------------------------------------------------------------


@pytest.mark.parametrize(("before", "after"), list(product(TEMPLATES, TEMPLATES)))
def test_crosswalk_covers_every_cell_of_both_templates(before: str, after: str) -> None:
    walk = crosswalk(before, after)  # type: ignore[arg-type]
    for side, template in (("before", before), ("after", after)):
        covered: list[str] = []
        for correspondence in walk.correspondences:
            covered.extend(getattr(correspondence, f"{side}_keys"))
        covered.extend(item.key for item in walk.not_comparable if item.side == side)
        # every cell of the template exactly once: compared, or listed as not comparable
        assert sorted(covered) == sorted(cell_kinds(template))
    shared = set(cell_kinds(before)) & set(cell_kinds(after))
    identical = {c.key for c in walk.correspondences if c.before_keys == c.after_keys == (c.key,)}
    assert shared <= identical
    keys = [c.key for c in walk.correspondences]
    assert len(keys) == len(set(keys))


def test_crosswalk_across_templates_compares_tables_3_and_4_whole() -> None:
    walk = crosswalk("2019", "2021")
    missing = {item.key for item in walk.not_comparable}
    assert not any(key.startswith(("requests.", "appeals.")) for key in missing)
    assert all(key.startswith("proactive.") for key in missing)


# --- findings ---------------------------------------------------------------------------


def _carry(template: str, carried_forward: int, carried_over: int, years: tuple[int, int]):
    columns = [
        key.rpartition(".")[2]
        for key in cell_kinds(template)
        if key.startswith("requests.received.")
    ]
    first = with_cells(
        empty_report(template), {f"requests.carried_forward.{c}": carried_forward for c in columns}
    )
    second = with_cells(
        empty_report(template), {f"requests.carried_over.{c}": carried_over for c in columns}
    )
    return (
        attrs.evolve(first, meta=Meta(issuer=BODY, year=years[0])),
        attrs.evolve(second, meta=Meta(issuer=BODY, year=years[1])),
    )


@pytest.mark.parametrize(("first", "second"), list(product(TEMPLATES, TEMPLATES)))
def test_r4_found_when_carry_over_breaks(first: str, second: str) -> None:
    before, _ = _carry(first, 3, 0, (2020, 2021))
    _, after = _carry(second, 0, 4, (2020, 2021))
    found = [f for f in compare(before, after).findings if f.rule == "R4"]
    assert len(found) == 7
    assert {f.severity for f in found} == {"error"}
    total = next(f for f in found if "requests.carried_over.total" in f.cells)
    assert (total.expected, total.actual, total.difference) == (3, 4, 1)
    assert total.subject == f"{BODY} 2020→2021"


@pytest.mark.parametrize(("first", "second"), list(product(TEMPLATES, TEMPLATES)))
def test_r4_silent_when_carry_over_holds(first: str, second: str) -> None:
    before, _ = _carry(first, 3, 0, (2020, 2021))
    _, after = _carry(second, 0, 3, (2020, 2021))
    assert [f for f in compare(before, after).findings if f.rule == "R4"] == []


def test_r4_holds_across_differently_spelled_issuers() -> None:
    before, after = _carry("2021", 3, 3, (2022, 2023))
    after = attrs.evolve(after, meta=attrs.evolve(after.meta, issuer=f" {BODY} "))
    assert [f for f in compare(before, after).findings if f.rule == "R4"] == []


@pytest.mark.parametrize("years", [(2019, 2021), (None, 2021)])
def test_series_rules_need_consecutive_years(years: tuple[int | None, int]) -> None:
    before, after = _carry("2021", 3, 4, (2020, 2021))
    before = attrs.evolve(before, meta=Meta(issuer=BODY, year=years[0]))
    after = attrs.evolve(after, meta=Meta(issuer=BODY, year=years[1]))
    found = [f for f in compare(before, after).findings if f.rule == "R4"]
    assert len(found) == 1
    assert found[0].severity == "not_assessable"


def test_r5_on_a_2019_pair() -> None:
    before = with_cells(
        empty_report("2019"),
        {"proactive.licensing.previous_items": 10, "proactive.licensing.change": 2},
    )
    after = with_cells(empty_report("2019"), {"proactive.licensing.previous_items": 11})
    before = attrs.evolve(before, meta=Meta(issuer=BODY, year=2019))
    after = attrs.evolve(after, meta=Meta(issuer=BODY, year=2020))
    found = [f for f in compare(before, after).findings if f.rule == "R5" and f.severity == "error"]
    assert [(f.expected, f.actual) for f in found] == [(12, 11)]


def test_y1_doubling_and_halving_past_the_threshold() -> None:
    keys = {
        "requests.received.total": (10, 25),  # more than doubled
        "requests.carried_forward.total": (30, 12),  # more than halved
        "appeals.review.total": (2, 5),  # doubled, but below the minimum of 10
        "requests.outcomes.disclosed.total": (10, 19),  # not doubled
        "requests.received.natural_person": (5, 20),  # a row with a total: only 总计 counts
    }
    before = with_cells(empty_report("2021"), {k: v[0] for k, v in keys.items()})
    after = with_cells(empty_report("2021"), {k: v[1] for k, v in keys.items()})
    found = {f.cells[0]: f for f in compare(before, after).findings if f.rule == "Y1"}
    assert set(found) == {"requests.received.total", "requests.carried_forward.total"}
    doubled = found["requests.received.total"]
    assert (doubled.expected, doubled.actual, doubled.difference) == (10, 25, 15)


def test_y2_block_all_zero_then_not() -> None:
    zero = {key: 0 for key in cell_kinds("2021") if key.startswith("appeals.")}
    before = with_cells(empty_report("2021"), zero)
    after = with_cells(
        empty_report("2021"), {**zero, "appeals.review.upheld": 2, "appeals.review.total": 2}
    )
    found = [f for f in compare(before, after).findings if f.rule == "Y2"]
    assert len(found) == 1
    assert found[0].cells == ("appeals.review.total",)
    assert found[0].actual == 2
    # an empty cell in the block: not all zero, no finding
    partial = with_cells(before, {"appeals.review.other": None})
    assert [f for f in compare(partial, after).findings if f.rule == "Y2"] == []


def test_y3_total_moves_against_its_components() -> None:
    columns = [key for key in cell_kinds("2021") if key.startswith("appeals.review.")]
    before = with_cells(empty_report("2021"), dict.fromkeys(columns, 5))
    after = with_cells(
        empty_report("2021"), {**dict.fromkeys(columns, 3), "appeals.review.total": 9}
    )
    found = [f for f in compare(before, after).findings if f.rule == "Y3"]
    assert len(found) == 1
    assert found[0].cells[0] == "appeals.review.total"
    assert (found[0].expected, found[0].actual) == (-8, 4)


# --- prose ------------------------------------------------------------------------------


def test_prose_sentence_diff_with_figures() -> None:
    before = attrs.evolve(
        empty_report("2021"),
        overview=Prose(
            paragraphs=("本年度工作稳步推进。全年主动公开信息203条。",),
            parts=(ProsePart(heading="（一）主动公开", paragraphs=("网站公开147条。",)),),
        ),
        problems=Prose(paragraphs=("培训不足。",)),
    )
    after = attrs.evolve(
        empty_report("2021"),
        overview=Prose(
            paragraphs=("本年度工作稳步推进。全年主动公开信息250条。新增政务新媒体。",),
            parts=(ProsePart(heading="(一)主动公开", paragraphs=("网站公开147条。",)),),
        ),
        other_matters=Prose(paragraphs=("未收取信息处理费。",)),
    )
    diffs = {diff.section: diff for diff in compare(before, after).prose}
    assert list(diffs) == ["overview", "overview/主动公开", "problems", "other_matters"]
    overview = diffs["overview"]
    assert overview.unchanged == 1
    assert [change.kind for change in overview.changes] == ["changed", "added"]
    changed = overview.changes[0]
    assert (changed.before, changed.after) == ("全年主动公开信息203条。", "全年主动公开信息250条。")
    assert [(f.before, f.after) for f in changed.figures] == [("203", "250")]
    assert diffs["overview/主动公开"].changes == ()
    assert [c.kind for c in diffs["problems"].changes] == ["removed"]
    assert [c.kind for c in diffs["other_matters"].changes] == ["added"]


# --- pairing and series -----------------------------------------------------------------


def test_pair_by_body_three_years_and_a_lone_report() -> None:
    reports = [
        filled("2021", hidden_before, issuer=BODY, year=2023),
        filled("2019", hidden_before, issuer="另一机关", year=2020),  # lone
        filled("2019", hidden_before, issuer=BODY, year=2020),
        filled("2021", hidden_after, issuer=f"{BODY} ", year=2021),  # spelled with a space
        filled("2021", hidden_after, issuer=None, year=2022),  # no issuer
        filled("2021", hidden_before, issuer=BODY, year=2022),
    ]
    pairing = pair_by_body(reports)
    assert [(p.body, p.before_index, p.after_index) for p in pairing.pairs] == [
        (BODY, 2, 3),
        (BODY, 3, 5),
        (BODY, 5, 0),
    ]
    assert [(u.index, u.reason) for u in pairing.unpaired] == [
        (1, "no report of 另一机关 for 2019 or 2021"),
        (4, "the report states no issuer"),
    ]


def test_pair_by_body_gaps_and_duplicates() -> None:
    first = filled("2021", hidden_before, year=2021)
    reports = [
        first,
        first,  # an identical copy counts once
        filled("2021", hidden_before, year=2023),  # 2022 missing
        filled("2021", hidden_before, year=2025),
        filled("2021", hidden_after, year=2025),  # two different reports for 2025
        filled("2021", hidden_after, year=None),
    ]
    pairing = pair_by_body(reports)
    assert pairing.pairs == ()
    reasons = {u.index: u.reason for u in pairing.unpaired}
    assert reasons[1] == "identical to report [0]"
    assert reasons[0].startswith("no report of")
    assert reasons[3].startswith("2 different reports")
    assert reasons[5] == "the report states no year"
    assert set(reasons) == {0, 1, 2, 3, 4, 5}


def test_normalize_issuer() -> None:
    assert normalize_issuer("示例县　人民政府（办公室）") == "示例县人民政府(办公室)"
    assert normalize_issuer("  ") is None
    assert normalize_issuer(None) is None


def test_compare_series_rows_and_deltas(tmp_path: Path) -> None:
    reports = [
        filled("2021", hidden_after, year=2022),
        filled("2019", hidden_before, year=2020),
        filled("2021", hidden_before, year=2021),
    ]
    rows = compare_series(reports)
    count_2019, count_2021 = len(cell_kinds("2019")), len(cell_kinds("2021"))
    other_columns = 7  # 2021 after 2020 also has the crosswalk's sums of （六）其他处理
    assert len(rows) == count_2019 + (count_2021 + other_columns) + count_2021
    by = {(row.year, row.key, row.summed): row for row in rows}
    key = "requests.received.total"
    assert by[(2020, key, False)].previous_value is None
    row = by[(2022, key, False)]
    assert (row.previous_year, row.previous_value, row.value) == (
        2021,
        cell_value(reports[2], key),
        cell_value(reports[0], key),
    )
    assert row.delta == row.value - row.previous_value  # type: ignore[operator]
    summed = by[(2021, f"{OTHER_GROUP_ROW}.total", True)]
    assert summed.previous_value == cell_value(reports[1], f"{OTHER_GROUP_ROW}.total")
    # a 2021 cell of the group has no 2020 counterpart of its own
    assert by[(2021, f"{OTHER_GROUP_ROW}.fee_unpaid.total", False)].previous_year is None

    csv_path = tmp_path / "series.csv"
    assert write_series(rows, csv_path) == len(rows)
    with csv_path.open(encoding="utf-8", newline="") as stream:
        read = list(csv.DictReader(stream))
    assert tuple(read[0]) == SERIES_COLUMNS
    assert len(read) == len(rows)
    assert read[0]["previous_value"] == ""

    pq = pytest.importorskip("pyarrow.parquet")
    parquet_path = tmp_path / "series.parquet"
    assert write_series(rows, parquet_path) == len(rows)
    table = pq.read_table(parquet_path)
    assert table.num_rows == len(rows)
    assert table.column_names == list(SERIES_COLUMNS)


def test_compare_series_refuses_several_bodies() -> None:
    with pytest.raises(ComparisonError, match="2 bodies"):
        compare_series(
            [
                filled("2021", hidden_before, year=2021),
                filled("2021", hidden_before, issuer="乙", year=2022),
            ]
        )
    with pytest.raises(ComparisonError, match="no year"):
        compare_series([filled("2021", hidden_before, year=None)])


def test_compare_refuses_what_is_not_a_report() -> None:
    with pytest.raises(ReportFormatError):
        compare(empty_report("2021"), "2021")  # type: ignore[arg-type]


# --- JSON -------------------------------------------------------------------------------


def test_committed_comparison_schema_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "comparison.schema.json").read_text(encoding="utf-8"))
    assert committed == comparison_json_schema()
    jsonschema.Draft202012Validator.check_schema(committed)


def test_comparison_json_validates_and_holds_cells_findings_prose() -> None:
    before = from_json((ROOT / "examples" / "chengguan-2020.json").read_bytes())
    after = from_json((ROOT / "examples" / "example-2021.json").read_bytes())
    after = attrs.evolve(after, meta=attrs.evolve(after.meta, issuer=before.meta.issuer, year=2021))
    comparison = compare(before, after)
    document = json.loads(comparison_to_json(comparison))
    validator = jsonschema.Draft202012Validator(comparison_json_schema())
    validator.validate(document)
    validator.validate(json.loads(comparison_to_json([comparison, comparison])))
    assert {"key", "before", "after", "delta"} <= set(document["cells"][0])
    assert document["findings"]
    assert document["prose"]
    amounts = [
        item for item in document["not_comparable"] if item["key"] == "proactive.fees.amount"
    ]
    assert amounts[0]["value"] == "9.63211"


# --- properties -------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(reports, reports)
def test_any_pair_reads_every_cell_as_stated(before: Report, after: Report) -> None:
    comparison = compare(before, after)
    for change in comparison.cells:
        if change.before_cells == (change.key,):
            assert change.before == cell_value(before, change.key)
        if change.after_cells == (change.key,):
            assert change.after == cell_value(after, change.key)
        assert (change.delta is None) == change.either_empty
        if change.delta is not None:
            assert change.delta == change.after - change.before  # type: ignore[operator]
    compared = {key for change in comparison.cells for key in change.after_cells}
    listed = {item.key for item in comparison.not_comparable if item.side == "after"}
    assert compared | listed == set(cell_kinds(after.template))
    json.loads(comparison_to_json(comparison))


@settings(max_examples=20, deadline=None)
@given(reports)
def test_a_report_against_itself_changes_nothing(report: Report) -> None:
    comparison = compare(report, report)
    assert comparison.changed_cells == ()
    assert all(diff.changes == () for diff in comparison.prose)
    assert not [f for f in comparison.findings if f.rule.startswith("Y")]


def test_write_series_refuses_an_unknown_extension(tmp_path: Path) -> None:
    rows = compare_series([filled("2021", hidden_before, year=2021)])
    with pytest.raises(ExportError, match="extension"):
        write_series(rows, tmp_path / "series.xlsx")
    assert not (tmp_path / "series.xlsx").exists()


def test_write_series_parquet_keeps_amounts_exact(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    before = with_cells(empty_report("2021"), {})
    data = to_dict(before)
    data["proactive"]["fees"]["amount"] = "9.63211"
    first = attrs.evolve(from_dict(data), meta=Meta(issuer=BODY, year=2022))
    data["proactive"]["fees"]["amount"] = "10.1"
    second = attrs.evolve(from_dict(data), meta=Meta(issuer=BODY, year=2023))
    path = tmp_path / "series.parquet"
    write_series(compare_series([first, second]), path)
    table = pq.read_table(path).to_pylist()
    row = next(r for r in table if r["year"] == 2023 and r["key"] == "proactive.fees.amount")
    assert (row["previous_value"], row["value"], row["delta"]) == (
        Decimal("9.632110"),
        Decimal("10.100000"),
        Decimal("0.467890"),
    )
    data["proactive"]["fees"]["amount"] = "0.0000001"
    third = attrs.evolve(from_dict(data), meta=Meta(issuer=BODY, year=2024))
    with pytest.raises(ExportError, match="exactly"):
        write_series(compare_series([third]), tmp_path / "other.parquet")
