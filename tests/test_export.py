"""The tidy and wide exports: exact values, labels, formats, atomic writes, DuckDB."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import attrs
import duckdb
import pytest
from hypothesis import given, settings

from disclosure_schema import (
    ExportError,
    ExtraRow,
    FeeAmountRow2021,
    Meta,
    Proactive2021,
    Report2021,
    WrittenValue,
    cells,
    from_json,
    tidy_rows,
    wide_rows,
    write_tidy,
    write_wide,
)
from disclosure_schema.export import TIDY_COLUMNS, wide_columns
from tests.strategies import reports

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _examples() -> list[Report2021]:
    return [
        from_json((EXAMPLES / name).read_text(encoding="utf-8"))
        for name in ("chengguan-2020.json", "example-2021.json")
    ]


@settings(max_examples=60, deadline=None)
@given(reports)
def test_tidy_rows_hold_every_cell_in_template_order(report):
    rows = list(tidy_rows([report]))
    template_rows = [row for row in rows if "extra_rows" not in row.key]
    assert [(row.key, row.value) for row in template_rows] == list(cells(report).items())
    extra_count = sum(
        max(len(extra.values), len(extra.as_written)) for extra in report.proactive.extra_rows
    )
    assert len(rows) == len(template_rows) + extra_count
    assert all(row.template == report.template for row in rows)


def test_labels_are_official_chinese_with_groups():
    row = next(
        row
        for row in tidy_rows(_examples()[1:])
        if row.key == "requests.outcomes.withheld.state_secret.commercial_enterprise"
    )
    assert row.row_label == "三、本年度办理结果 · （三）不予公开 · 1.属于国家秘密"
    assert row.column_label == "法人或其他组织 · 商业企业"
    assert row.section == "三、收到和处理政府信息公开申请情况"


def test_as_written_only_where_it_differs_and_extra_rows_kept():
    report = Report2021(
        proactive=Proactive2021(
            fees=FeeAmountRow2021(amount=Decimal("9.63211")),
            extra_rows=(
                ExtraRow(item=1, label="其他文件", values=(4, None), as_written=("4", "/")),
            ),
        ),
        as_written=(WrittenValue(key="proactive.fees.amount", text="9.63211万元", unit="万元"),),
    )
    rows = {row.key: row for row in tidy_rows([report])}
    assert rows["proactive.fees.amount"].as_written == "9.63211万元"
    assert rows["proactive.fees.amount"].value == Decimal("9.63211")
    first, second = (
        rows["proactive.extra_rows[0].values[0]"],
        rows["proactive.extra_rows[0].values[1]"],
    )
    assert (first.value, first.as_written, first.column_label) == (4, None, "本年制发件数")
    assert (second.value, second.as_written) == (None, "/")
    assert first.row_label == "第二十条第（一）项 · 其他文件"


def test_csv_is_exact_utf8_and_excel_adds_a_bom(tmp_path):
    report = Report2021(proactive=Proactive2021(fees=FeeAmountRow2021(amount=Decimal("0.0000001"))))
    path = tmp_path / "t.csv"
    assert write_tidy([report], path) == 200
    text = path.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(text.splitlines()))
    assert tuple(rows[0]) == TIDY_COLUMNS
    fee = next(row for row in rows if row["key"] == "proactive.fees.amount")
    assert fee["value"] == "0.0000001"
    write_tidy([report], path, excel=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_excel_csv_keeps_text_that_looks_like_a_formula_as_text(tmp_path):
    report = Report2021(
        meta=Meta(issuer="=HYPERLINK(1)"),
        proactive=Proactive2021(
            extra_rows=(ExtraRow(item=1, label="其他", values=(6,), as_written=("+6",)),)
        ),
    )
    path = tmp_path / "t.csv"
    write_tidy([report], path, excel=True)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert {row["issuer"] for row in rows} == {"'=HYPERLINK(1)"}
    assert rows[-1]["as_written"] == "'+6"
    assert rows[-1]["value"] == "6"
    write_tidy([report], path)  # plain CSV keeps the text as it is
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert rows[-1]["as_written"] == "+6"


def test_jsonl_writes_amounts_as_exact_numbers(tmp_path):
    report = Report2021(proactive=Proactive2021(fees=FeeAmountRow2021(amount=Decimal("9.63211"))))
    path = tmp_path / "t.jsonl"
    write_tidy([report], path)
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line, parse_float=Decimal) for line in lines]
    assert [record["key"] for record in records][:2] == [
        "proactive.regulations.issued",
        "proactive.regulations.repealed",
    ]
    fee = next(record for record in records if record["key"] == "proactive.fees.amount")
    assert fee["value"] == Decimal("9.63211")


def test_unknown_extension_and_excel_misuse_are_our_errors(tmp_path):
    with pytest.raises(ExportError, match=r"\.xlsx"):
        write_tidy([], tmp_path / "t.xlsx")
    with pytest.raises(ExportError, match="csv only"):
        write_tidy([], tmp_path / "t.jsonl", excel=True)


def test_parquet_refuses_an_amount_it_cannot_hold_exactly(tmp_path):
    report = Report2021(proactive=Proactive2021(fees=FeeAmountRow2021(amount=Decimal("0.0000001"))))
    target = tmp_path / "t.parquet"
    with pytest.raises(ExportError, match=r"proactive\.fees\.amount: 0\.0000001"):
        write_tidy([report], target)
    assert list(tmp_path.iterdir()) == []  # nothing half-written, no temporary left


def test_a_failed_export_keeps_the_previous_file(tmp_path):
    target = tmp_path / "t.csv"
    write_tidy(_examples(), target)
    before = target.read_bytes()

    def broken():
        yield _examples()[0]
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_tidy(broken(), target)
    assert target.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["t.csv"]


def _office(base: Report2021, issuer: str, received: int) -> Report2021:
    return attrs.evolve(
        base,
        meta=attrs.evolve(base.meta, issuer=issuer),
        requests=attrs.evolve(
            base.requests, received=attrs.evolve(base.requests.received, total=received)
        ),
    )


def test_parquet_batches_and_duckdb_recipe_sums(tmp_path):
    """A Parquet export of several reports loads in DuckDB and its sums are exact."""
    base = _examples()[1]
    offices = [_office(base, f"办公室{index}", 10 * index) for index in range(1, 6)]
    path = tmp_path / "all.parquet"
    # a tiny batch size forces several row groups
    assert write_tidy(offices, path, batch_rows=150) == 5 * 200
    got = duckdb.sql(
        f"""
        SELECT year, sum(value) AS received
        FROM read_parquet('{path}')
        WHERE key = 'requests.received.total'
        GROUP BY year ORDER BY year
        """
    ).fetchall()
    assert got == [(base.meta.year, Decimal(10 + 20 + 30 + 40 + 50))]
    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    assert {name: kind for name, kind, *_ in described}["value"] == "DECIMAL(38,6)"


def test_wide_has_one_row_per_report_and_union_of_keys(tmp_path):
    examples = _examples()
    rows = list(wide_rows(examples))
    assert len(rows) == 2
    assert tuple(rows[0]) == wide_columns()
    assert rows[1]["proactive.procurement.projects"] is None  # a 2019-only cell
    assert rows[1]["proactive.fees.amount"] == examples[1].proactive.fees.amount
    for suffix in ("csv", "jsonl", "parquet"):
        assert write_wide(examples, tmp_path / f"w.{suffix}") == 2
    got = duckdb.sql(
        f"SELECT issuer, \"requests.received.total\" FROM read_parquet('{tmp_path / 'w.parquet'}')"
    ).fetchall()
    assert got == [(report.meta.issuer, report.requests.received.total) for report in examples]


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_memory_does_not_grow_with_the_number_of_reports(tmp_path, suffix):
    import tracemalloc  # noqa: PLC0415

    base = _examples()[1]

    def peak(count: int) -> int:
        reports = (_office(base, f"办公室{index}", index) for index in range(count))
        tracemalloc.start()
        try:
            write_tidy(reports, tmp_path / f"t.{suffix}", batch_rows=2_000)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(20), peak(200)
    assert large < small * 2, (small, large)
