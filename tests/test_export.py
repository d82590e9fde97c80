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
from disclosure_schema.export import TIDY_COLUMNS, read_tidy, wide_columns
from disclosure_schema.export import report_id as report_id_of
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
    assert [(row.key, row.number) for row in template_rows] == list(cells(report).items())
    assert all(row.value is None or type(row.value) is int for row in rows)
    assert all(row.amount is None or isinstance(row.amount, Decimal) for row in rows)
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
    assert rows["proactive.fees.amount"].amount == Decimal("9.63211")
    assert rows["proactive.fees.amount"].value is None
    assert rows["proactive.fees.amount"].unit == "万元"
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
    assert (fee["value"], fee["amount"]) == ("", "0.0000001")
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
    assert (fee["value"], fee["amount"]) == (None, Decimal("9.63211"))


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


def _office(base: Report2021, issuer: str | None, received: int) -> Report2021:
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
    assert got == [(base.meta.year, 10 + 20 + 30 + 40 + 50)]
    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    kinds = {name: kind for name, kind, *_ in described}
    assert (kinds["value"], kinds["amount"], kinds["year"]) == (
        "BIGINT",
        "DECIMAL(38,6)",
        "INTEGER",
    )
    assert {kinds[name] for name in ("source", "report_id", "key", "unit")} == {"VARCHAR"}


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


def test_source_and_report_id_keep_copies_and_issuerless_reports_apart(tmp_path):
    """Two reports without an issuer, and two copies of one report, stay separate groups."""
    first = Report2021()
    second = _office(Report2021(), None, 7)
    path = tmp_path / "t.parquet"
    write_tidy([first, second, first], path, sources=["a/x.json", "a/y.json", "b/x.json"])
    got = duckdb.sql(
        f"SELECT source, report_id, count(*) FROM read_parquet('{path}')"
        " GROUP BY ALL ORDER BY source"
    ).fetchall()
    assert [(source, rows) for source, _, rows in got] == [
        ("a/x.json", 200),
        ("a/y.json", 200),
        ("b/x.json", 200),
    ]
    ids = [report_id for _, report_id, _ in got]
    assert ids[0] == ids[2] != ids[1]  # the id is the content's: stable, shared by copies
    assert ids[0] == report_id_of(first)
    rows = list(wide_rows([first], sources=["a/x.json"]))
    assert (rows[0]["source"], rows[0]["report_id"]) == ("a/x.json", ids[0])


def test_sources_must_match_the_reports(tmp_path):
    with pytest.raises(ExportError, match="one source per report"):
        write_tidy([Report2021()], tmp_path / "t.csv", sources=[])


def test_pandas_dataframe_of_tidy_rows_has_one_column_per_field():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(tidy_rows(_examples()))
    assert tuple(frame.columns) == TIDY_COLUMNS
    assert len(frame) == 401
    received = frame[frame.key == "requests.received.total"]
    assert received.value.tolist() == [0, 52]


def test_parquet_types_need_no_cast_in_pandas(tmp_path):
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "t.parquet"
    write_tidy(_examples(), path)
    frame = pandas.read_parquet(path, dtype_backend="numpy_nullable")
    assert str(frame.value.dtype) == "Int64"
    assert frame[frame.key == "requests.received.total"].value.tolist() == [0, 52]


def test_one_report_and_file_objects(tmp_path):
    import io  # noqa: PLC0415

    report = _examples()[1]
    binary = io.BytesIO()
    assert write_tidy(report, binary, format="parquet") == 200
    (tmp_path / "t.parquet").write_bytes(binary.getvalue())
    assert [row.value for row in read_tidy(tmp_path / "t.parquet")] == [
        row.value for row in tidy_rows(report)
    ]
    text = io.StringIO()
    write_tidy(report, text, format="csv")
    assert text.getvalue().splitlines()[0] == ",".join(TIDY_COLUMNS)
    with (tmp_path / "t.jsonl").open("wb") as stream:
        assert write_tidy(report, stream) == 200  # the format from the file's name
    assert len((tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()) == 200
    with pytest.raises(ExportError, match="binary"):
        write_tidy(report, io.StringIO(), format="parquet")
    with pytest.raises(ExportError, match="format="):
        write_tidy(report, io.BytesIO())


@settings(max_examples=30, deadline=None)
@given(reports)
def test_every_format_reads_back_the_rows_tidy_rows_gives(report):
    """The Arrow, CSV and JSONL writers hold exactly the rows of tidy_rows (labels too)."""
    import tempfile  # noqa: PLC0415

    expected = list(tidy_rows(report, sources=["a/b.json"]))
    fits = all(row.amount is None or -row.amount.as_tuple().exponent <= 6 for row in expected)
    with tempfile.TemporaryDirectory() as folder:
        for suffix in ("csv", "jsonl", "parquet"):
            if suffix == "parquet" and not fits:
                continue
            path = Path(folder) / f"t.{suffix}"
            write_tidy(report, path, sources=["a/b.json"], batch_rows=50)
            got = list(read_tidy(path))
            assert [_comparable(row) for row in got] == [_comparable(row) for row in expected]


def _comparable(row):
    # the formats keep the number, not trailing zeros; "" text reads back as none
    amount = row.amount.normalize() if row.amount is not None else None
    return row._replace(
        amount=amount,
        issuer=row.issuer or None,
        as_written=row.as_written or None,
        unit=row.unit or None,
    )


def test_export_jobs_survives_a_worker_that_dies(tmp_path):
    """A file that kills its worker is named as failed; every other report is exported."""
    import os  # noqa: PLC0415
    import shutil  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(5):
        shutil.copy(EXAMPLES / "example-2021.json", folder / f"r{index}.json")
    shutil.copy(EXAMPLES / "example-2021.json", folder / "crash.json")
    # every Python process of the run (the CLI and its workers) loads this first: reading
    # crash.json kills the process, as the memory killer would
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import os\n"
        "import disclosure_schema.cli as cli\n"
        "real = cli.load_report\n"
        "def load(path):\n"
        "    if path.name == 'crash.json':\n"
        "        os._exit(1)\n"
        "    return real(path)\n"
        "cli.load_report = load\n"
        "cli._EXPORT_CHUNK = 2\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hooks), *sys.path])}
    target = tmp_path / "t.parquet"
    result = subprocess.run(
        [sys.executable, "-m", "disclosure_schema", "export", str(folder), "-o", str(target),
         "-j", "2", "-q"],
        capture_output=True, text=True, env=env, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "crash.json: the worker process died on this file" in result.stderr
    sources = {row.source for row in read_tidy(target)}
    assert sources == {str(folder / f"r{index}.json") for index in range(5)}
