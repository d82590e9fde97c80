"""The main job on a bundled sample page: parse → check → render → export → query.

``sample-page.html`` is a report page of our own making (an invented town, invented
numbers), with the clutter of a real government CMS page around it. Run with
``make demo``; it takes a few seconds.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import duckdb

from disclosure_schema import (
    check,
    from_json,
    parse_file,
    render_findings,
    render_markdown,
    to_json,
    write_tidy,
)

HERE = Path(__file__).parent


def heading(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m\n" if sys.stdout.isatty() else f"\n== {text}\n")


def main() -> None:
    page = HERE / "sample-page.html"
    heading(f"1. parse {page.name}")
    result = parse_file(page)
    report = result.report
    assert report is not None, "the sample page must hold a report"
    print(f"{report.meta.issuer} · {report.meta.year} · template {report.template}")
    print(f"diagnostics: {len(result.diagnostics)}")
    for diagnostic in result.diagnostics:
        print(f"  {diagnostic.severity}: {diagnostic.message}")
    assert from_json(to_json(report)) == report

    heading("2. check")
    print(render_findings(check(report), format="text", language="zh"))

    heading("3. render (Markdown)")
    print(render_markdown(report))

    heading("4. export (tidy CSV) with the two bundled example reports")
    others = [
        from_json((HERE / name).read_bytes())
        for name in ("chengguan-2020.json", "example-2021.json")
    ]
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "reports.csv"
        rows = write_tidy([report, *others], table)
        print(f"{rows} rows → {table.name}")

        heading("5. query with DuckDB: applications received, per report")
        duckdb.sql(
            f"""
            SELECT issuer, year, template, value::BIGINT AS received
            FROM read_csv('{table}', types={{'value': 'DECIMAL(38,6)', 'template': 'VARCHAR'}})
            WHERE key = 'requests.received.total'
            ORDER BY year
            """
        ).show()


if __name__ == "__main__":
    main()
