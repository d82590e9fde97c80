"""Reading a workbook back: every cell of any report, and workbooks an office edited."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_schema import (
    DEFAULT_LIMITS,
    ExtraRow,
    Meta,
    Prose,
    ProsePart,
    Report,
    WrittenValue,
    cell_kinds,
    cells,
    empty_workbook,
    from_json,
    parse_bytes,
    parse_file,
    parse_xlsx,
    render_xlsx,
)
from disclosure_schema.checks._formulas import cell_name
from disclosure_schema.labels import template_labels
from disclosure_schema.render._xlsx import excel_number
from tests.strategies import reports, reports_of

openpyxl = pytest.importorskip("openpyxl")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str | None) -> str | None:
    return None if text is None else _ILLEGAL.sub("", text)


def _expected_prose(prose: Prose) -> Prose:
    """What a prose sheet can hold: no control characters, no empty paragraphs."""

    def paragraphs(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(text for text in map(_clean, items) if text)

    return Prose(
        paragraphs=paragraphs(prose.paragraphs),
        parts=tuple(
            ProsePart(heading=_clean(part.heading) or "", paragraphs=paragraphs(part.paragraphs))
            for part in prose.parts
        ),
    )


def _expected_meta(meta: Meta) -> Meta:
    texts = {
        field: (_clean(getattr(meta, field)) or None)
        for field in ("issuer", "title", "source_url", "contact", "region")
    }
    return attrs.evolve(meta, **texts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports)
def test_every_cell_reads_back(report: Report) -> None:
    result = parse_xlsx(render_xlsx(report))
    assert result.report is not None
    assert result.report.template == report.template
    assert cells(result.report) == cells(report)
    assert not [d for d in result.diagnostics if d.key is not None]
    assert result.report.meta == _expected_meta(report.meta)
    assert _extra_rows_seen(result.report) == _extra_rows_expected(report)
    for section in ("overview", "problems", "other_matters"):
        expected = _expected_prose(getattr(report, section))
        got = getattr(result.report, section)
        # a part whose heading is empty cannot be told from paragraphs of the part before
        if all(part.heading for part in expected.parts):
            assert got == expected, section


def _extra_rows_expected(report: Report) -> list[tuple[int, str]]:
    """Added rows as the sheet shows them: block by block in template order, then the
    blocks the template lacks; a row with no label and no text shows nothing."""
    order = [block.item for block in template_labels(report.template).proactive_blocks]
    rows = sorted(
        report.proactive.extra_rows,
        key=lambda row: order.index(row.item) if row.item in order else len(order) + row.item,
    )
    expected = []
    for row in rows:
        label = _clean(row.label) or ""
        texts = [_clean(text) for text in row.as_written]
        if label or any(texts) or any(value is not None for value in row.values):
            expected.append((row.item, label))
    return expected


def _extra_rows_seen(report: Report) -> list[tuple[int, str]]:
    return [(row.item, row.label) for row in report.proactive.extra_rows]


def test_added_rows_read_back() -> None:
    report = from_json((EXAMPLES / "chengguan-2020.json").read_bytes())
    extra = ExtraRow(
        item=9, label="其他", values=(None, Decimal("1.5")), as_written=("", "1.5万元")
    )
    report = attrs.evolve(
        report,
        proactive=attrs.evolve(report.proactive, extra_rows=(*report.proactive.extra_rows, extra)),
    )
    result = parse_xlsx(render_xlsx(report))
    assert result.report is not None
    assert result.report.proactive.extra_rows == report.proactive.extra_rows
    assert [d.code for d in result.diagnostics] == ["extra_row", "extra_row"]


def _named(workbook: Any, name: str) -> Any:
    (sheet, coordinate), *_ = workbook.defined_names[name].destinations
    return workbook[sheet][coordinate.replace("$", "")]


def _edited(data: bytes, values: dict[str, object]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for name, value in values.items():
        _named(workbook, name).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_office_fills_the_blank_form() -> None:
    data = _edited(
        empty_workbook("2021", issuer="城关镇人民政府", year=2024),
        {
            "requests_received_natural_person": 12,
            "requests_received_commercial_enterprise": "3",
            "requests_received_research_institution": " 0 ",
            "requests_received_social_welfare_organization": "/",
            "requests_received_legal_service_organization": "—",
            "requests_received_total": "15件",
            "proactive_fees_amount": "1.5万元",
            "proactive_regulations_issued": 2.0,
            "appeals_review_upheld": "很多",
            "appeals_review_total": -1,
            "meta_published": "2025-01-20",
        },
    )
    result = parse_xlsx(data)
    report = result.report
    assert report is not None
    received = report.requests.received
    assert received.natural_person == 12
    assert received.commercial_enterprise == 3
    assert received.research_institution == 0
    assert received.social_welfare_organization is None
    assert received.legal_service_organization is None
    assert received.total == 15
    assert report.proactive.fees.amount == Decimal("1.5")
    assert report.proactive.regulations.issued == 2
    assert report.appeals.review.upheld is None
    assert report.appeals.review.total is None
    flagged = {d.key: d.code for d in result.diagnostics if d.key}
    assert flagged == {
        "appeals.review.upheld": "unreadable_value",
        "appeals.review.total": "unreadable_value",
    }
    written = {(w.key, w.text, w.unit) for w in report.as_written}
    assert ("proactive.fees.amount", "1.5万元", "万元") in written
    assert ("appeals.review.upheld", "很多", None) in written
    assert report.meta.issuer == "城关镇人民政府"
    assert report.meta.year == 2024
    assert str(report.meta.published) == "2025-01-20"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("requests_received_total", 10**17),  # beyond the largest count
        ("appeals_review_total", 2**70),
        ("proactive_fees_amount", "0.000000000001"),  # more decimals than an amount holds
        ("proactive_fees_amount", "1" * 16),  # more integer digits than an amount holds
    ],
)
def test_a_value_the_model_cannot_hold_leaves_its_cell_empty_not_the_workbook(
    name: str, value: object
) -> None:
    # regression: the model refused the value and the whole workbook was lost
    data = _edited(empty_workbook("2021", year=2024), {name: value, "appeals_review_upheld": 1})
    result = parse_xlsx(data)
    assert result.report is not None
    key = name.replace("_", ".", 1).replace("_", ".", 1)
    flagged = {d.key: d.code for d in result.diagnostics if d.key}
    assert flagged.get(key) == "unreadable_value", flagged
    assert result.report.appeals.review.upheld == 1


def test_formula_without_computed_value_is_empty_with_a_diagnostic() -> None:
    data = _edited(
        empty_workbook("2021"),
        {"requests_received_natural_person": 2, "requests_received_total": "=1+1"},
    )
    result = parse_xlsx(data)
    assert result.report is not None
    assert result.report.requests.received.total is None
    (diagnostic,) = [d for d in result.diagnostics if d.key == "requests.received.total"]
    assert diagnostic.code == "formula_not_computed"


def test_moved_rows_are_still_found_by_name() -> None:
    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    sheet = workbook["三、收到和处理政府信息公开申请情况"]
    sheet.insert_rows(4, amount=2)  # openpyxl does not move names: move them as Excel would
    for defined in workbook.defined_names.values():
        destinations = list(defined.destinations)
        if destinations and destinations[0][0] == sheet.title:
            column, row = re.fullmatch(r"\$([A-Z]+)\$(\d+)", destinations[0][1]).groups()  # type: ignore[union-attr]
            if int(row) >= 4:
                defined.attr_text = f"'{sheet.title}'!${column}${int(row) + 2}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_xlsx(buffer.getvalue())
    assert result.report is not None
    assert cells(result.report) == cells(report)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_office_built_workbook_without_names_is_read_by_labels(path: Path) -> None:
    report = from_json(path.read_bytes())
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, with_checks=False)))
    for name in list(workbook.defined_names):
        del workbook.defined_names[name]
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_xlsx(buffer.getvalue())
    assert result.report is not None
    assert result.report.template == report.template
    assert cells(result.report) == cells(report)
    assert "xlsx_by_labels" in {d.code for d in result.diagnostics}


def test_dispatch_by_extension_and_by_content(tmp_path: Path) -> None:
    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    data = render_xlsx(report)
    unnamed = tmp_path / "upload.bin"
    unnamed.write_bytes(data)
    named = tmp_path / "form.xlsx"
    named.write_bytes(data)
    for result in (parse_bytes(data), parse_file(unnamed), parse_file(named)):
        assert result.report is not None
        assert cells(result.report) == cells(report)


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04 not a zip", b"plain text", b"PK\x05\x06" + bytes(18)],
    ids=["empty", "cut-zip", "text", "empty-zip"],
)
def test_not_a_workbook_is_a_reason_not_a_traceback(data: bytes) -> None:
    result = parse_xlsx(data)
    assert result.report is None
    assert result.errors


def test_an_amount_keeps_the_unit_the_report_stated() -> None:
    report = from_json((EXAMPLES / "chengguan-2020.json").read_bytes())
    key = "proactive.procurement.amount"
    written = WrittenValue(key=key, text="160.5964万元", unit="万元")
    report = attrs.evolve(
        report,
        proactive=attrs.evolve(
            report.proactive,
            procurement=attrs.evolve(report.proactive.procurement, amount=Decimal("160.5964")),
        ),
        as_written=(written,),
    )
    data = render_xlsx(report)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cell = _named(workbook, "proactive_procurement_amount")
    assert cell.value == 160.5964  # a number formulas can add; the unit is in its format
    assert cell.number_format.endswith('"万元"')
    result = parse_xlsx(data)
    assert result.report is not None
    assert result.report.proactive.procurement.amount == Decimal("160.5964")
    assert result.report.as_written == (written,)


def test_a_number_outside_the_form_cells_is_reported() -> None:
    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    sheet = workbook["三、收到和处理政府信息公开申请情况"]
    sheet["L6"] = 7  # a column the office added beside 总计
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_xlsx(buffer.getvalue())
    assert result.report is not None
    assert cells(result.report) == cells(report)
    (stray,) = [d for d in result.diagnostics if d.code == "unknown_value"]
    assert stray.path == "三、收到和处理政府信息公开申请情况!L6"


def test_a_cut_workbook_is_refused_with_a_reason() -> None:
    data = empty_workbook("2021")
    result = parse_xlsx(data[: len(data) // 2])
    assert result.report is None
    assert result.errors


def test_a_zip_bomb_is_refused_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(DEFAULT_LIMITS.max_page_bytes + 1))
    data = buffer.getvalue()
    assert len(data) < 100_000
    result = parse_bytes(data)
    assert result.report is None
    assert "input_too_large" in {d.code for d in result.diagnostics}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports, st.data())
def test_values_set_through_the_names_read_back(report: Report, data: st.DataObject) -> None:
    """Any report's form, overwritten cell by cell with another report's values through
    the defined names — some typed as numbers, some as text, some cleared."""
    edited = data.draw(reports_of(report.template))
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    for key, value in cells(edited).items():
        as_text = data.draw(st.booleans())
        if value is None:
            written: object = None
        elif as_text:
            written = format(value, "f") if isinstance(value, Decimal) else str(value)
        else:
            written = excel_number(value, cell_kinds(edited.template)[key])
        _named(workbook, cell_name(key)).value = written
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_xlsx(buffer.getvalue())
    assert result.report is not None
    assert cells(result.report) == cells(edited)


def test_an_office_built_single_sheet_is_read_by_labels() -> None:
    """All tables on one sheet under a title line, typed as text, no names: read like a page."""
    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    source = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, with_checks=False)))
    built = openpyxl.Workbook()
    sheet = built.active
    sheet["A1"] = f"{report.meta.issuer}2023年政府信息公开工作年度报告"
    top = 3
    for title in source.sheetnames[2:5]:  # the three table sheets
        original = source[title]
        for row in original.iter_rows():
            for cell in row:
                if cell.value is not None:
                    value = cell.value
                    sheet.cell(row=top + cell.row - 1, column=cell.column).value = (
                        str(value) if isinstance(value, int | float) else value
                    )
        for merged in original.merged_cells.ranges:
            sheet.merge_cells(
                start_row=top + merged.min_row - 1,
                start_column=merged.min_col,
                end_row=top + merged.max_row - 1,
                end_column=merged.max_col,
            )
        top += original.max_row + 2
    buffer = io.BytesIO()
    built.save(buffer)
    result = parse_xlsx(buffer.getvalue())
    assert result.report is not None
    assert result.report.meta.year == 2023
    assert cells(result.report) == cells(report)
