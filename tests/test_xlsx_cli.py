"""The command line: a blank form, render --format xlsx, parse form.xlsx."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosure_schema import cells, from_json, parse_file
from disclosure_schema.cli import main
from disclosure_schema.render._xlsx import CHECKS_SHEET

openpyxl = pytest.importorskip("openpyxl")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_form_then_parse(tmp_path: Path) -> None:
    runner = CliRunner()
    form = tmp_path / "2024年报.xlsx"
    result = runner.invoke(
        main,
        ["form", "--template", "2019", "--issuer", "城关镇", "--year", "2024", "-o", str(form)],
    )
    assert result.exit_code == 0, result.output
    parsed = parse_file(form)
    assert parsed.report is not None
    assert parsed.report.template == "2019"
    assert parsed.report.meta.issuer == "城关镇"
    assert set(cells(parsed.report).values()) == {None}


def test_render_xlsx_and_parse_back_to_the_same_json(tmp_path: Path) -> None:
    runner = CliRunner()
    source = EXAMPLES / "example-2021.json"
    workbook = tmp_path / "report.xlsx"
    result = runner.invoke(main, ["render", str(source), "--format", "xlsx", "-o", str(workbook)])
    assert result.exit_code == 0, result.output
    back = tmp_path / "report.json"
    result = runner.invoke(main, ["parse", str(workbook), "-o", str(back)])
    assert result.exit_code == 0, result.output
    assert from_json(back.read_bytes()) == from_json(source.read_bytes())


def test_render_xlsx_needs_an_output_file() -> None:
    result = CliRunner().invoke(
        main, ["render", str(EXAMPLES / "example-2021.json"), "--format", "xlsx"]
    )
    assert result.exit_code == 2
    assert "give -o FILE.xlsx" in result.output


def test_a_folder_of_forms_is_parsed(tmp_path: Path) -> None:
    runner = CliRunner()
    forms = tmp_path / "forms"
    forms.mkdir()
    for name in ("a", "b"):
        result = runner.invoke(main, ["form", "-o", str(forms / f"{name}.xlsx")])
        assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    result = runner.invoke(main, ["parse", str(forms), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.glob("*.json")) == ["a.json", "b.json"]


def test_a_broken_workbook_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    result = CliRunner().invoke(main, ["parse", str(broken), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.json").exists()


def test_form_with_last_year_checks_across_years(tmp_path: Path) -> None:
    runner = CliRunner()
    form = tmp_path / "next.xlsx"
    last_year = EXAMPLES / "example-2021.json"
    result = runner.invoke(main, ["form", "--previous", str(last_year), "-o", str(form)])
    assert result.exit_code == 0, result.output
    parsed = parse_file(form)
    assert parsed.report is not None
    previous = from_json(last_year.read_bytes())
    assert parsed.report.meta.issuer == previous.meta.issuer
    assert previous.meta.year is not None
    assert parsed.report.meta.year == previous.meta.year + 1
    sheet = openpyxl.load_workbook(io.BytesIO(form.read_bytes()))[CHECKS_SHEET]
    assert "R4" in {sheet.cell(row=row, column=1).value for row in range(3, sheet.max_row + 1)}
