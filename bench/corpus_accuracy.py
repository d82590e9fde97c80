"""Cell accuracy of the parser on a folder of pages with expected values.

    python bench/corpus_accuracy.py DIR

DIR holds ``expected/*.json`` (template, year, issuer_contains, cells, extra_rows) and the
pages they name (``source`` relative to DIR or its parent; else ``excerpts/<name>.txt``), or
pages and their ``<name>.json`` side by side in DIR itself.
Prints every mismatch, then cell accuracy and template/year accuracy.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from disclosure_schema.model import cell_value
from disclosure_schema.parse import ParseResult, parse_file


def _page(folder: Path, name: str, expected: dict[str, Any]) -> Path | None:
    source = expected.get("source")
    candidates = []
    if source:
        candidates += [folder / source, folder.parent / source, folder / Path(source).name]
    for sub in ("excerpts", "pages", "."):
        for extension in (".txt", ".html", ".htm"):
            candidates.append(folder / sub / f"{name}{extension}")
    return next((path for path in candidates if path.is_file()), None)


def _same(actual: object, wanted: object) -> bool:
    if wanted is None or actual is None:
        return actual is wanted
    if isinstance(actual, Decimal):
        return isinstance(wanted, str | int) and actual == Decimal(str(wanted))
    return actual == wanted and type(actual) is type(wanted)


def compare(result: ParseResult, expected: dict[str, Any]) -> list[str]:
    """Every difference between a parse result and an expected-values document."""
    report = result.report
    if report is None:
        return [f"no report: {[str(d) for d in result.diagnostics]}"]
    problems: list[str] = []
    if report.template != expected.get("template"):
        problems.append(f"template {report.template} != {expected.get('template')}")
    if report.meta.year != expected.get("year"):
        problems.append(f"year {report.meta.year} != {expected.get('year')}")
    issuer = expected.get("issuer_contains")
    if issuer and issuer not in (report.meta.issuer or ""):
        problems.append(f"issuer {report.meta.issuer!r} does not contain {issuer!r}")
    for key, wanted in expected.get("cells", {}).items():
        try:
            actual = cell_value(report, key)
        except KeyError:
            problems.append(f"{key}: not a cell of template {report.template}")
            continue
        if not _same(actual, wanted):
            problems.append(f"{key}: {actual!r} != {wanted!r}")
    extra_rows = report.proactive.extra_rows
    for wanted_row in expected.get("extra_rows", []):
        matches = [row for row in extra_rows if wanted_row["label_contains"] in row.label]
        if not matches:
            problems.append(f"extra row {wanted_row['label_contains']!r} missing")
        elif list(matches[0].values) != wanted_row["values"]:
            problems.append(f"extra row values {matches[0].values} != {wanted_row['values']}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    folder = Path(argv[1])
    cells_total = cells_right = pages = template_right = year_right = 0
    expected_dir = folder / "expected" if (folder / "expected").is_dir() else folder
    for path in sorted(expected_dir.glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        page = _page(folder, path.stem, expected)
        if page is None:
            print(f"{path.stem}: page not found")
            continue
        result = parse_file(page)
        problems = compare(result, expected)
        pages += 1
        report = result.report
        template_right += bool(report and report.template == expected.get("template"))
        year_right += bool(report and report.meta.year == expected.get("year"))
        wanted_cells = expected.get("cells", {})
        cell_problems = sum(1 for p in problems if p.split(":")[0] in wanted_cells)
        cells_total += len(wanted_cells)
        cells_right += len(wanted_cells) - (len(wanted_cells) if report is None else cell_problems)
        for problem in problems:
            print(f"{path.stem}: {problem}")
    if not pages:
        print("no pages with expected values")
        return 2
    print(f"pages: {pages}")
    print(f"cell accuracy: {cells_right}/{cells_total} = {cells_right / max(cells_total, 1):.4f}")
    print(f"template accuracy: {template_right}/{pages}; year accuracy: {year_right}/{pages}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
