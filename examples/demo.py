"""The main job on a bundled sample page: parse → check → render → export → query.

``sample-page.html`` is a report page of our own making (an invented town, invented
numbers), with the clutter of a real government CMS page around it. Run with
``make demo``; it takes a few seconds and leaves what it made in ``demo-output/`` (in
the current folder) for you to open: the report JSON, a printable HTML page, and the
tidy CSV of three reports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from disclosure_schema import (
    check,
    parse_file,
    read_report,
    render_findings,
    render_html,
    render_markdown,
    write_report,
    write_tidy,
)

HERE = Path(__file__).parent
OUTPUT = Path("demo-output")


def named(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def heading(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m\n" if sys.stdout.isatty() else f"\n== {text}\n")


def main() -> None:
    OUTPUT.mkdir(exist_ok=True)
    page = HERE / "sample-page.html"
    heading(f"1. parse {page.name}")
    result = parse_file(page)
    report = result.report
    assert report is not None, "the sample page must hold a report"
    print(f"{report.meta.issuer} · {report.meta.year} · template {report.template}")
    print(f"diagnostics: {len(result.diagnostics)}")
    for diagnostic in result.diagnostics:
        print(f"  {diagnostic.severity}: {diagnostic.message}")
    saved = write_report(report, OUTPUT / "town.json")
    assert read_report(saved) == report
    print(f"→ {saved}")

    heading("2. check")
    findings = check(report)
    print(render_findings(findings, format="text", language="zh"))

    heading("3. render (Markdown here; a printable page in the output folder)")
    print(render_markdown(report))
    printable = OUTPUT / "town.html"
    printable.write_text(render_html(report, findings=findings, full_page=True), encoding="utf-8")
    print(f"→ {printable} (open it in a browser, or print it on A4)")

    sources = [page, HERE / "chengguan-2020.json", HERE / "example-2021.json"]
    reports = [report, *(read_report(path) for path in sources[1:])]
    heading(f"4. export (tidy CSV): the parsed page and the two examples, {len(reports)} reports")
    table = OUTPUT / "reports.csv"
    rows = write_tidy(reports, table, sources=[named(path) for path in sources])
    print(f"{rows} rows (one per cell: source, report_id, labels, value, amount, …) → {table}")

    heading("5. query with DuckDB: applications received and fees, per report")
    # counts are integers in `value` and money is decimal in `amount`: no cast needed;
    # only the CSV reader is told that `amount` is exact and `template` is text
    duckdb.sql(
        f"""
        SELECT source, year, template,
               any_value(value) FILTER (WHERE key = 'requests.received.total') AS received,
               any_value(amount) FILTER (WHERE key = 'proactive.fees.amount') AS fees_万元
        FROM read_csv('{table}', types={{'amount': 'DECIMAL(38,6)', 'template': 'VARCHAR'}})
        GROUP BY source, report_id, year, template
        ORDER BY year, source
        """
    ).show()
    print("(fees NULL: the 2019 template has no cell for the amount of fees; empty is not 0)\n")
    print(f"Files left for you in {OUTPUT.resolve()}:")
    for path in sorted(OUTPUT.iterdir()):
        print(f"  {path.name}")


if __name__ == "__main__":
    main()
