"""The checks sheet (核对): one formula row per equation of the template's rules, and what
a spreadsheet program computes agrees with :func:`disclosure_schema.check`."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema import (
    RULES,
    TEMPLATES,
    Report,
    cell_kinds,
    cells,
    check,
    check_series,
    empty_report,
    from_dict,
    from_json,
    parse_xlsx,
    render_xlsx,
    to_dict,
)
from disclosure_schema.checks import equations
from disclosure_schema.checks._formulas import (
    CHECK_STATUS,
    all_check_formulas,
    python_status,
    rules_not_in_sheet,
)
from disclosure_schema.checks.rules import rule_family
from disclosure_schema.render._xlsx import CHECKS_SHEET
from tests.strategies import reports

openpyxl = pytest.importorskip("openpyxl")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_STATUS_COLUMN = 7
_FIRST_ROW = 3


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_rule_of_the_template_has_its_formulas_or_a_reason(template: str) -> None:
    in_sheet = [(f.rule.id, f.equation) for f in all_check_formulas(template)]
    expected = [
        (declared.id, equation)
        for declared in RULES
        if declared.scope == "report"
        for equation in equations(declared.id, template)
    ]
    assert in_sheet == expected
    applying = {declared.id for declared in RULES if template in declared.templates}
    covered = {rule_id for rule_id, _ in in_sheet} | set(rules_not_in_sheet(template))
    assert covered == applying
    assert {"R0", "R1", "R2", "R3"} <= {rule_id for rule_id, _ in in_sheet}


@pytest.mark.parametrize("template", TEMPLATES)
def test_with_last_year_the_cross_year_rules_are_in_the_sheet(template: str) -> None:
    previous = empty_report(template)
    in_sheet = {f.rule.id for f in all_check_formulas(template, previous)}
    applying = {declared.id for declared in RULES if template in declared.templates}
    not_in_sheet = rules_not_in_sheet(template, template)
    assert in_sheet | set(not_in_sheet) == applying
    assert "R4" in in_sheet
    assert set(not_in_sheet) == {"H4"} | {
        rule_id for rule_id in applying if rule_family(rule_id) == "C"
    }


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_sheet_holds_one_row_per_equation(template: str) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(empty_report(template))))
    sheet = workbook[CHECKS_SHEET]
    formulas = all_check_formulas(template)
    for offset, expected in enumerate(formulas):
        row = _FIRST_ROW + offset
        assert sheet.cell(row=row, column=1).value == expected.rule.id
        assert sheet.cell(row=row, column=_STATUS_COLUMN).value == expected.status
    assert sheet.conditional_formatting


def _variants(report: Report, seed: int) -> list[Report]:
    """The report, then copies with cells emptied ("hidden") and cells off by some."""
    chooser = random.Random(seed)
    keys = list(cell_kinds(report.template))
    found = [report]
    for hidden, changed in ((6, 0), (0, 6), (4, 4), (len(keys) // 2, 3)):
        data = to_dict(report)
        for key in chooser.sample(keys, hidden):
            _set(data, key, None)
        for key in chooser.sample(keys, changed):
            value = cells(report)[key]
            _set(data, key, (value or 0) + chooser.randint(1, 3))
        found.append(from_dict(data))
    return found


def _set(data: dict[str, Any], key: str, value: object) -> None:
    *parents, leaf = key.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[leaf] = str(value) if isinstance(value, float) else value


def _expected_statuses(report: Report, previous: Report | None = None) -> list[str]:
    """What each row of the sheet must show, from the engine's findings."""
    findings = check(report)
    if previous is not None:
        findings += check_series([previous, report])
    severity = {(f.rule, f.cells): f.severity for f in findings}
    statuses = []
    for formulas in all_check_formulas(report.template, previous):
        found = severity.get((formulas.rule.id, formulas.equation.cells))
        if found is None:
            statuses.append(CHECK_STATUS["ok"])
        elif found == "not_assessable":
            statuses.append(CHECK_STATUS["not_assessable"])
        else:
            statuses.append(CHECK_STATUS["mismatch"])
    return statuses


def _cases() -> list[tuple[Report | None, Report]]:
    """(last year's report or None, this year's): the examples with cells emptied and
    altered, alone and after a last year that is itself partly empty or off."""
    found: list[tuple[Report | None, Report]] = []
    for seed, path in enumerate(sorted(EXAMPLES.glob("*.json"))):
        report = from_json(path.read_bytes())
        year = report.meta.year
        assert year is not None
        earlier = attrs.evolve(report, meta=attrs.evolve(report.meta, year=year - 1))
        currents = _variants(report, seed)
        found.extend((None, current) for current in currents)
        found.extend(zip(_variants(earlier, seed + 100), currents, strict=True))
    return found


def test_python_status_agrees_with_check() -> None:
    for previous, report in _cases():
        values = cells(report)
        last_year = None if previous is None else cells(previous)
        formulas = all_check_formulas(report.template, previous)
        statuses = [python_status(values, f, last_year) for f in formulas]
        assert statuses == _expected_statuses(report, previous)


def _recalculated(workbooks: list[bytes], folder: Path) -> list[Any]:
    """The workbooks opened, recalculated and saved by LibreOffice, as openpyxl reads
    the computed values."""
    sources = []
    for index, data in enumerate(workbooks):
        source = folder / f"in{index}.xlsx"
        source.write_bytes(data)
        sources.append(str(source))
    out = folder / "out"
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [
        openpyxl.load_workbook(out / f"in{index}.xlsx", data_only=True)
        for index in range(len(workbooks))
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_computes_what_check_finds(tmp_path: Path) -> None:
    cases = _cases()
    workbooks = [render_xlsx(report, previous=previous) for previous, report in cases]
    computed = _recalculated(workbooks, tmp_path)
    rules_seen: set[str] = set()
    for (previous, report), workbook in zip(cases, computed, strict=True):
        sheet = workbook[CHECKS_SHEET]
        expected = _expected_statuses(report, previous)
        got = [
            sheet.cell(row=_FIRST_ROW + offset, column=_STATUS_COLUMN).value
            for offset in range(len(expected))
        ]
        assert got == expected
        rules_seen |= {f.rule.id for f in all_check_formulas(report.template, previous)}
    # sanity: the cases exercise all three outcomes and the cross-year rules
    seen = {status for previous, report in cases for status in _expected_statuses(report, previous)}
    assert seen == set(CHECK_STATUS.values())
    assert {"R4", "R5", "H1", "H2", "H3"} <= rules_seen


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_numbers_typed_as_text_are_checked_and_blank_markers_are_not(tmp_path: Path) -> None:
    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))

    def named(name: str) -> Any:
        (sheet, coordinate), *_ = workbook.defined_names[name].destinations
        return workbook[sheet][coordinate.replace("$", "")]

    # natural persons typed as text: still OK; commercial enterprises "/": not assessable
    received = named("requests_received_natural_person")
    received.value = str(received.value)
    named("requests_received_commercial_enterprise").value = "/"
    buffer = io.BytesIO()
    workbook.save(buffer)
    (computed,) = _recalculated([buffer.getvalue()], tmp_path)
    sheet = computed[CHECKS_SHEET]
    rows = {
        (sheet.cell(row=row, column=1).value, sheet.cell(row=row, column=3).value): sheet.cell(
            row=row, column=_STATUS_COLUMN
        ).value
        for row in range(_FIRST_ROW, sheet.max_row + 1)
    }
    r0 = {text: status for (rule, text), status in rows.items() if rule == "R0"}
    natural = next(status for text, status in r0.items() if "自然人" in text)
    commercial = next(status for text, status in r0.items() if "商业企业" in text)
    assert natural == CHECK_STATUS["ok"]
    assert commercial == CHECK_STATUS["not_assessable"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_a_form_saved_by_a_spreadsheet_program_reads_back_with_its_formulas(
    tmp_path: Path,
) -> None:
    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    (sheet, coordinate), *_ = workbook.defined_names["requests_received_total"].destinations
    workbook[sheet][coordinate.replace("$", "")] = "=requests_received_natural_person+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    _recalculated([buffer.getvalue()], tmp_path)
    saved = (tmp_path / "out" / "in0.xlsx").read_bytes()
    result = parse_xlsx(saved)
    assert result.report is not None
    expected = cells(report)
    natural = expected["requests.received.natural_person"]
    assert isinstance(natural, int)
    expected["requests.received.total"] = natural + 1
    assert cells(result.report) == expected
    assert not [d for d in result.diagnostics if d.severity != "info"]


@settings(max_examples=200, deadline=None)
@given(reports)
def test_the_formula_semantics_agree_with_check_on_any_report(report: Report) -> None:
    values = cells(report)
    statuses = [python_status(values, f) for f in all_check_formulas(report.template)]
    assert statuses == _expected_statuses(report)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@settings(max_examples=2, deadline=None, derandomize=True)
@given(st.lists(reports, min_size=6, max_size=6))
def test_libreoffice_agrees_with_check_on_generated_reports(batch: list[Report]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        computed = _recalculated([render_xlsx(report) for report in batch], Path(folder))
    for report, workbook in zip(batch, computed, strict=True):
        sheet = workbook[CHECKS_SHEET]
        expected = _expected_statuses(report)
        got = [
            sheet.cell(row=_FIRST_ROW + offset, column=_STATUS_COLUMN).value
            for offset in range(len(expected))
        ]
        assert got == expected
