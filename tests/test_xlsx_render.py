"""The Excel workbook: official layout, one defined name per data cell, empty stays empty."""

from __future__ import annotations

import importlib
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from disclosure_schema import (
    TEMPLATES,
    XlsxUnavailableError,
    cell_kinds,
    cells,
    empty_workbook,
    from_json,
    parse_xlsx,
    render_xlsx,
)
from disclosure_schema.checks._formulas import cell_name
from disclosure_schema.labels import SECTION_TITLES
from disclosure_schema.render._xlsx import CHECKS_SHEET, COVER_SHEET

openpyxl = pytest.importorskip("openpyxl")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _named_cell(workbook: Any, name: str) -> Any:
    (sheet, coordinate), *_ = workbook.defined_names[name].destinations
    return workbook[sheet][coordinate.replace("$", "")]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_cell_has_its_name_and_value(path: Path) -> None:
    report = from_json(path.read_bytes())
    workbook = _load(render_xlsx(report))
    for key, value in cells(report).items():
        cell = _named_cell(workbook, cell_name(key))
        stored = Decimal(repr(cell.value)) if isinstance(cell.value, float) else cell.value
        assert stored == value, key


@pytest.mark.parametrize("template", TEMPLATES)
def test_blank_form_is_empty_not_zero(template: str) -> None:
    workbook = _load(empty_workbook(template, issuer="城关镇人民政府", year=2024))
    for key in cell_kinds(template):
        assert _named_cell(workbook, cell_name(key)).value is None
    assert _named_cell(workbook, "meta_issuer").value == "城关镇人民政府"
    assert _named_cell(workbook, "meta_year").value == 2024
    assert _named_cell(workbook, "meta_template").value == template


def test_sheets_layout_and_print_setup() -> None:
    workbook = _load(empty_workbook("2021"))
    sections = [title.zh for title in SECTION_TITLES.values()]
    assert workbook.sheetnames == [COVER_SHEET, *sections, CHECKS_SHEET]
    requests = workbook[SECTION_TITLES["requests"].zh]
    # the R0 note spans three label columns and the three header rows, as in the template
    assert "A3:C5" in {str(merged) for merged in requests.merged_cells.ranges}
    assert requests["A3"].value.startswith("（本列数据的勾稽关系")
    assert requests.freeze_panes == "D6"
    assert int(requests.page_setup.paperSize) == 9  # A4
    assert requests.page_setup.fitToWidth == 1
    assert requests.sheet_properties.pageSetUpPr.fitToPage
    received = _named_cell(workbook, "requests_received_natural_person")
    assert received.number_format == "0"
    assert received.border.left.style == "thin"
    # typing checks warn (they never refuse: "/" or "1.5万元" must stay possible)
    (validation,) = [
        rule
        for rule in requests.data_validations.dataValidation
        if received.coordinate in rule.sqref
    ]
    assert (validation.type, validation.errorStyle) == ("whole", "warning")


def test_text_starting_with_equals_stays_text() -> None:
    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    report = attrs.evolve(
        report, overview=attrs.evolve(report.overview, paragraphs=("=1+1", "正文"))
    )
    workbook = _load(render_xlsx(report))
    sheet = workbook[SECTION_TITLES["overview"].zh]
    assert sheet["B3"].value == "=1+1"
    assert sheet["B3"].data_type == "s"


def test_without_openpyxl_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def refuse(name: str, package: str | None = None) -> Any:
        if name.startswith("openpyxl"):
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", refuse)
    with pytest.raises(XlsxUnavailableError, match=r"pip install 'disclosure-schema\[xlsx\]'"):
        empty_workbook("2021")
    result = parse_xlsx(b"PK\x05\x06" + bytes(18))
    assert result.report is None
    monkeypatch.undo()
    data = empty_workbook("2021")
    monkeypatch.setattr(importlib, "import_module", refuse)
    result = parse_xlsx(data)
    assert result.report is None
    assert "pip install 'disclosure-schema[xlsx]'" in result.errors[-1].message
