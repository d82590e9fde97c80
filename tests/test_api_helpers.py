"""The Python API as people use it: read/write a report by path, change cells by key,
fill empty cells, parse_file raising like every Python reader, __version__."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import disclosure_schema
from disclosure_schema import (
    DisclosureSchemaError,
    FieldValueError,
    ParseError,
    ReportFormatError,
    cell_value,
    cells,
    check,
    empty_report,
    fill_empty,
    from_json,
    parse_file,
    read_report,
    with_cells,
    write_report,
)
from tests.strategies import reports

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def test_parse_file_raises_for_a_missing_path_and_refuses_page_text():
    with pytest.raises(FileNotFoundError):
        parse_file("/missing.html")
    page = (EXAMPLES / "sample-page.html").read_text(encoding="utf-8")
    with pytest.raises(ParseError, match="use parse_text or parse_html") as raised:
        parse_file(page)
    assert len(str(raised.value)) < 200, "the page is not echoed back"


def test_read_report_json_and_page_and_failures(tmp_path):
    report = read_report(EXAMPLES / "example-2021.json")
    assert report == from_json((EXAMPLES / "example-2021.json").read_bytes())
    page = read_report(EXAMPLES / "sample-page.html")
    assert page.meta.year == 2023
    with pytest.raises(FileNotFoundError):
        read_report(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ReportFormatError):
        read_report(tmp_path / "bad.json")
    (tmp_path / "notice.txt").write_text("今天天气很好。\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"notice\.txt"):
        read_report(tmp_path / "notice.txt")


def test_write_report_round_trips_and_refuses_links(tmp_path):
    report = read_report(EXAMPLES / "chengguan-2020.json")
    target = write_report(report, tmp_path / "sub" / "r.json")
    assert read_report(target) == report
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(DisclosureSchemaError, match="symbolic link"):
        write_report(report, link)
    assert not (tmp_path / "elsewhere.json").exists()
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["r.json"]


def test_with_cells_changes_only_the_named_cells():
    report = read_report(EXAMPLES / "example-2021.json")
    changed = with_cells(
        report, {"requests.received.total": 999, "requests.received.other_organization": None}
    )
    assert cell_value(changed, "requests.received.total") == 999
    assert cell_value(changed, "requests.received.other_organization") is None
    before, after = cells(report), cells(changed)
    assert {k for k in before if before[k] != after[k]} <= {
        "requests.received.total",
        "requests.received.other_organization",
    }
    assert report == read_report(EXAMPLES / "example-2021.json"), "the input is not changed"
    with pytest.raises(KeyError, match=r"no cell 'requests\.nope'"):
        with_cells(report, {"requests.nope": 1})
    with pytest.raises(FieldValueError):
        with_cells(report, {"requests.received.total": -1})
    with pytest.raises(FieldValueError):
        with_cells(report, {"requests.received.total": "12"})  # type: ignore[dict-item]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_fill_empty_makes_every_check_assessable(template):
    blank = empty_report(template)
    assert any(f.severity == "not_assessable" for f in check(blank))
    filled = fill_empty(blank, 0)
    assert all(value is not None for value in cells(filled).values())
    assert [f for f in check(filled) if f.severity == "not_assessable"] == []
    kept = fill_empty(with_cells(blank, {"requests.received.total": 5}))
    assert cell_value(kept, "requests.received.total") == 5
    amounts = [v for v in cells(filled).values() if isinstance(v, Decimal)]
    assert all(v == 0 for v in amounts)


def test_version_is_a_string():
    assert isinstance(disclosure_schema.__version__, str)
    assert disclosure_schema.__version__


def test_write_report_leaves_no_temporary_on_failure(tmp_path, monkeypatch):
    report = empty_report("2021")

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr("disclosure_schema._api.to_json_bytes", broken)
    with pytest.raises(RuntimeError):
        write_report(report, tmp_path / "r.json")
    assert os.listdir(tmp_path) == []


@settings(max_examples=60, deadline=None)
@given(report=reports, data=st.data())
def test_with_cells_round_trips_any_report(report, data):
    assert with_cells(report, cells(report)) == report
    keys = sorted(cells(report))
    key = data.draw(st.sampled_from(keys))
    value = cell_value(report, key)
    changed = with_cells(report, {key: None})
    assert cell_value(changed, key) is None
    assert with_cells(changed, {key: value}) == report
    filled = fill_empty(report, 0)
    assert all(
        filled_value == (0 if before is None else before)
        for before, filled_value in zip(cells(report).values(), cells(filled).values(), strict=True)
    )
